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

# Screenshots at a desktop and a phone width, and the layout measured at both: a wrapper page
# loads the report in an iframe of that width and writes what it measures into its DOM, which
# --dump-dom prints (the report itself has no script).
for W in 1280 390; do
  "$CHROME" --headless --no-sandbox --disable-gpu --hide-scrollbars --screenshot="$WORK/report-$W.png" \
    --window-size=$W,2400 "file://$WORK/report.html" >"$WORK/chromium-$W.log" 2>&1 || true
  [ -f "$WORK/report-$W.png" ] || { echo "FAIL: no screenshot at $W px"; tail -5 "$WORK/chromium-$W.log"; exit 1; }
  size=$(wc -c <"$WORK/report-$W.png")
  [ "$size" -gt 15000 ] || { echo "FAIL: screenshot at $W px only $size bytes"; exit 1; }
  cat >"$WORK/measure-$W.html" <<HTML
<!DOCTYPE html><html><body><iframe id="f" src="report.html" width="$W" height="2400"></iframe>
<pre id="out">pending</pre><script>
document.getElementById('f').onload = function () {
  var d = this.contentDocument, r = {page: d.documentElement.scrollWidth, charts: []};
  d.querySelectorAll('svg.chart').forEach(function (s) {
    var b = s.getBoundingClientRect();
    if (b.width === 0) return;  // the layout for the other screen width
    var t = s.querySelector('text.l'), fs = t ? t.getBoundingClientRect().height : 0;
    r.charts.push({w: Math.round(b.width), h: Math.round(b.height), label_px: Math.round(fs),
      axis: s.querySelectorAll('g.axis text.axis-label').length,
      ticks: s.querySelectorAll('g.axis text.t').length,
      legend: s.querySelectorAll('g.legend text').length,
      bars: s.querySelectorAll('rect.b').length});
  });
  document.getElementById('out').textContent = 'RESULT ' + JSON.stringify(r);
};
</script></body></html>
HTML
  "$CHROME" --headless --no-sandbox --disable-gpu --allow-file-access-from-files --virtual-time-budget=5000 \
    --dump-dom "file://$WORK/measure-$W.html" >"$WORK/measure-$W.dom" 2>"$WORK/measure-$W.log" || true
  python3 - "$WORK/measure-$W.dom" "$W" <<'PY' || exit 1
import json, re, sys
m = re.search(r"RESULT (\{.*\})", open(sys.argv[1]).read())
if not m:
    print(f"FAIL: no layout measured at {sys.argv[2]} px"); sys.exit(1)
r, w = json.loads(m.group(1)), int(sys.argv[2])
bad = []
if len(r["charts"]) < 5: bad.append(f"{len(r['charts'])} charts")
for c in r["charts"]:
    if c["w"] > w: bad.append(f"a chart {c['w']} px wide in a {w} px page")
    if c["w"] < min(w, 800) * 0.6: bad.append(f"a chart only {c['w']} px wide")
    if c["axis"] != 1 or c["ticks"] != 3 or c["legend"] < 2: bad.append(f"a chart without axis/ticks/legend {c}")
    if c["label_px"] < 10: bad.append(f"chart labels {c['label_px']} px high: unreadable")
if r["page"] > w + 2: bad.append(f"the page scrolls sideways: {r['page']} px")
if bad:
    print(f"FAIL at {w} px: " + "; ".join(bad[:5])); sys.exit(1)
print(f"PASS: {w} px: {len(r['charts'])} charts shown, each with axis, ticks and legend, labels "
      f"{min(c['label_px'] for c in r['charts'])} px or more, none wider than the page")
PY
done
echo "PASS: report-1280.png and report-390.png"