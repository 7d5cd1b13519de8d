#!/bin/sh
# End-to-end: veil-collector (SQLite) <- OTLP batches over HTTP -> `veil report --html` ->
# headless Chromium screenshot. Asserts the page renders to a non-trivial PNG.
# usage: report_html.sh VEIL_COLLECTOR_BIN VEIL_BIN WORKDIR
# Exit 0 pass, 1 fail, 77 skipped (no chromium/curl).
set -eu
COLLECTOR=$1; VEIL=$2; WORK=$3
command -v curl >/dev/null 2>&1 || { echo "SKIP: curl not found"; exit 77; }
CHROME=$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)
[ -n "$CHROME" ] || { echo "SKIP: chromium not found"; exit 77; }

rm -rf "$WORK"; mkdir -p "$WORK"
DB="sqlite://$WORK/events.db"
"$COLLECTOR" --db "$DB" --listen 127.0.0.1:0 >"$WORK/collector.out" 2>"$WORK/collector.err" &
PID=$!
trap 'kill -TERM $PID 2>/dev/null || true' EXIT
i=0
while ! grep -q '^listening on ' "$WORK/collector.out" 2>/dev/null; do
  i=$((i + 1)); [ $i -lt 200 ] || { echo "FAIL: collector did not start"; cat "$WORK/collector.err"; exit 1; }
  sleep 0.05
done
PORT=$(sed -n 's/^listening on .*:\([0-9]*\)$/\1/p' "$WORK/collector.out")

attr() { printf '{"key":"%s","value":{"stringValue":"%s"}}' "$1" "$2"; }
num() { printf '{"key":"%s","value":{"doubleValue":%s}}' "$1" "$2"; }
n=0
# Install tokens of the agent's pseudonym shape (32 lowercase hex); records dated now (the
# collector refuses times outside its retention window).
NOW_NS="$(date +%s)000000000"
for inst in aaaaaaaaaaaaaaaa bbbbbbbbbbbbbbbb cccccccccccccccc dddddddddddddddd eeeeeeeeeeeeeeee ffffffffffffffff; do
  n=$((n + 1))
  country=DE; [ $n -gt 4 ] && country=FR
  codec=opus; [ $((n % 2)) -eq 0 ] && codec=g722
  body=$(printf '{"resourceLogs":[{"resource":{"attributes":[%s]},"scopeLogs":[{"logRecords":[' "$(attr veil.install "$inst$inst")")
  body="$body"$(printf '{"eventName":"call.ended","timeUnixNano":"%s","attributes":[%s,%s,%s,%s,%s,%s,%s,%s]},' "$NOW_NS" \
    "$(attr veil.category call_quality)" "$(attr remote_country $country)" "$(attr codec $codec)" "$(attr network_type wifi)" \
    "$(attr duration_bucket 60-180)" "$(num mos 4.$n)" "$(num jitter_ms 1$n)" "$(num packet_loss_pct 0.$n)")
  body="$body"$(printf '{"eventName":"app.started","timeUnixNano":"%s","attributes":[%s,%s,%s]}' "$NOW_NS" \
    "$(attr veil.category usage)" "$(attr app_version 5.6.12)" "$(attr os_name Android)")
  body="$body]}]}]}"
  code=$(curl -s -o "$WORK/resp.$n" -w '%{http_code}' -H 'Content-Type: application/json' -H "Idempotency-Key: e2e-$n" \
    --data-binary "$body" "http://127.0.0.1:$PORT/v1/logs")
  [ "$code" = 200 ] || { echo "FAIL: POST $n -> $code: $(cat "$WORK/resp.$n")"; exit 1; }
  grep -q '"quarantined":0' "$WORK/resp.$n" || {
    echo "FAIL: records quarantined ($(cat "$WORK/resp.$n")); is agent/policy/text_scanner still the fail-closed placeholder?"; exit 1; }
done
kill -TERM $PID; wait $PID || { echo "FAIL: collector exit status"; exit 1; }
trap - EXIT

"$VEIL" report --db "$DB" --k 3 --html "$WORK/report.html" >"$WORK/report.out" 2>"$WORK/report.err" || {
  echo "FAIL: veil report"; cat "$WORK/report.err"; exit 1; }
grep -q '<svg' "$WORK/report.html" || { echo "FAIL: no <svg> in report"; exit 1; }
if grep -Eq "(src|href)=[\"']?https?:|<script" "$WORK/report.html"; then echo "FAIL: external reference"; exit 1; fi

"$CHROME" --headless --no-sandbox --disable-gpu --hide-scrollbars --screenshot="$WORK/report.png" \
  --window-size=1200,2000 "file://$WORK/report.html" >"$WORK/chromium.log" 2>&1 || true
[ -f "$WORK/report.png" ] || { echo "FAIL: no screenshot"; tail -5 "$WORK/chromium.log"; exit 1; }
size=$(wc -c <"$WORK/report.png")
[ "$size" -gt 20000 ] || { echo "FAIL: screenshot only $size bytes"; exit 1; }
echo "PASS: report.png $size bytes"
