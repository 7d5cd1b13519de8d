#!/usr/bin/env bash
# `veil run` end to end: the daemon on a temp socket against veil_test_server; JSONL events in,
# consent and stats over the control protocol, SIGTERM flushes and exits 0; the server got
# cleaned events; no planted PII value is found in any file of the state directory or the
# server's bodies.   run_test.sh TEST_SERVER_BIN
. "$(dirname "$0")/lib.sh"
V=${VEIL_BIN:?}; SRV_BIN=${1:?}; S=$VEIL_SOURCE_DIR
SOCK="$T/veil.sock"

expect_rc 0 "run --help" -- "$V" run --help
expect_grep "$T/out" "usage: veil run" "run --help prints usage"
expect_rc 0 "stats --help" -- "$V" stats --help
expect_rc 0 "consent --help" -- "$V" consent --help
expect_rc 2 "run without --config" -- "$V" run
expect_rc 2 "consent with a bad state word" -- "$V" consent --socket "$SOCK" usage maybe
expect_rc 1 "stats with no daemon" -- "$V" stats --socket "$T/nothing.sock"
expect_rc 1 "run with a missing config" -- "$V" run --config /nonexistent/agent.json

# Input: the generated corpus when ../shared is present, else a small inline sample.
CORPUS=$S/../shared/corpus/gen_events.py
if [ -f "$CORPUS" ]; then
  python3 "$CORPUS" --seed 3 --count 500 --out "$T/raw.jsonl" --truth "$T/truth.json" >/dev/null
  python3 - "$T/truth.json" > "$T/pii.txt" <<'PY'
import json, sys
t = json.load(open(sys.argv[1]))
vals = {p["value"] for e in t["events"] for p in (e.get("pii") or []) if isinstance(p.get("value"), str)}
for v in sorted(vals):
    if len(v) >= 6:
        print(v)
PY
else
  echo "note: $S/../shared missing: the PII corpus check is skipped, a small sample is used"
  printf '%s\n' \
    '{"type":"feature.used","ts":"2026-11-29T10:15:07Z","attrs":{"feature":"chat"}}' \
    '{"type":"screen.viewed","ts":"2026-11-29T10:15:07Z","attrs":{"screen":"dialer","email":"alice@example.com"}}' \
    > "$T/raw.jsonl"
  echo "alice@example.com" > "$T/pii.txt"
fi

"$SRV_BIN" --out "$T/srv" --dict "$S/config/zstd.dict" > "$T/url" &
srv=$!
trap 'kill $srv $daemon 2>/dev/null; wait 2>/dev/null; rm -rf "$T"' EXIT
daemon=
for _ in $(seq 100); do [ -s "$T/url" ] && break; sleep 0.05; done
url=$(head -1 "$T/url")
cat > "$T/agent.json" <<JSON
{"schema":"veil-agent/1","policy_file":"$S/config/policy.json","state_dir":"$T/state",
 "service":{"name":"veil-run-e2e"},
 "upload":{"endpoint":"$url","dictionary_file":"$S/config/zstd.dict","io_timeout_ms":5000},
 "batch":{"max_records":100,"max_age_ms":60000},"queue":{"capacity":100000},
 "spool":{"sync_each_append":false},"shutdown_timeout_ms":10000,"daemon":{"socket":"$SOCK"}}
JSON

"$V" run --config "$T/agent.json" 2> "$T/daemon.err" &
daemon=$!
for _ in $(seq 200); do [ -S "$SOCK" ] && break; sleep 0.05; done
[ -S "$SOCK" ] && pass "daemon listens on its socket" || fail "no socket: $(cat "$T/daemon.err")"
mode=$(stat -c %a "$SOCK")
[ "$mode" = 600 ] && pass "socket mode 0600" || fail "socket mode $mode"

for c in usage call_quality crash diagnostics location; do
  expect_rc 0 "consent $c on" -- "$V" consent --socket "$SOCK" "$c" on
done
expect_rc 0 "consent query" -- "$V" consent --socket "$SOCK" usage
expect_grep "$T/out" "^usage on$" "consent query prints the state"
expect_rc 1 "consent on an unknown category" -- "$V" consent --socket "$SOCK" nosuch on

python3 - "$SOCK" "$T/raw.jsonl" <<'PY'
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.connect(sys.argv[1])
s.sendall(open(sys.argv[2], "rb").read())
s.close()
PY
lines=$(wc -l < "$T/raw.jsonl")
for _ in $(seq 200); do
  "$V" stats --socket "$SOCK" > "$T/stats.json" 2>/dev/null
  python3 -c "import json,sys; s=json.load(open('$T/stats.json')); sys.exit(0 if s['pipeline']['processed'] >= $lines else 1)" && break
  sleep 0.05
done
expect_rc 0 "stats" -- "$V" stats --socket "$SOCK"
cp "$T/out" "$T/stats.json"
expect_grep "$T/stats.json" '"processed": '"$lines" "the daemon processed every line"

kill -TERM "$daemon"
wait "$daemon"; rc=$?
[ "$rc" -eq 0 ] && pass "SIGTERM: exit 0" || fail "SIGTERM: exit $rc: $(cat "$T/daemon.err")"
[ ! -e "$SOCK" ] && pass "socket removed at exit" || fail "socket left behind"
daemon=
sleep 0.1

cat "$T"/srv/req-*.json > "$T/received.json" 2>/dev/null || true
[ -s "$T/received.json" ] && pass "the server got batches ($(ls "$T"/srv/*.json | wc -l))" || fail "no batch arrived"
expect_grep "$T/received.json" '"veil-run-e2e"' "batches carry the configured service.name"
expect_no_grep "$T/received.json" "DECODE ERROR" "every batch decodes"
python3 - "$T/received.json" "$T/srv" <<'PY' && pass "events arrived as OTLP log records" || fail "no log records"
import glob, json, sys
n = 0
for f in glob.glob(sys.argv[2] + "/req-*.json"):
    d = json.load(open(f))
    for rl in d["resourceLogs"]:
        for sl in rl["scopeLogs"]:
            n += len(sl["logRecords"])
print("records received:", n)
sys.exit(0 if n > 0 else 1)
PY

# No planted PII value in the server's bodies nor in any file under the state directory.
python3 - "$T/pii.txt" "$T/state" "$T/srv" <<'PY' && pass "no raw PII in the state directory or the uploads" || fail "raw PII found"
import os, re, sys
vals = [v.rstrip("\n") for v in open(sys.argv[1], encoding="utf-8") if v.strip()]
needles = [v.encode() for v in vals]
# Keyed tokens (32/64 hex) are random and may contain a 6-digit value by chance: masked
# (as in pipeline_check.py grep-values).
TOKEN = re.compile(rb"(?<![0-9a-f])(?:[0-9a-f]{64}|[0-9a-f]{32})(?![0-9a-f])")
bad = 0; files = 0
for root in sys.argv[2:]:
    for d, _, fs in os.walk(root):
        for f in fs:
            p = os.path.join(d, f)
            if f.endswith(".headers"): continue
            data = TOKEN.sub(b"#", open(p, "rb").read()); files += 1
            for v in needles:
                if v in data:
                    print("LEAK", p, v[:3] + b"...", file=sys.stderr); bad += 1
print(f"checked {files} files for {len(needles)} values")
sys.exit(1 if bad else 0)
PY
finish
