#!/usr/bin/env bash
# kill -9 the agent (`veil run`) at random moments while it records and uploads, restart it,
# repeat; at the end let it drain. The server may see a batch twice (sent, then killed before the
# ack was written), but only under the same Idempotency-Key, so a collector that deduplicates by
# key stores every record exactly once and loses none.   crash_dedup_test.sh TEST_SERVER_BIN
. "$(dirname "$0")/lib.sh"
V=${VEIL_BIN:?}; SRV_BIN=${1:?}; S=$VEIL_SOURCE_DIR
SOCK="$T/veil.sock"
# The server answers after 150 ms, so many kills land between "sent" and "acked".
"$SRV_BIN" --out "$T/srv" --dict "$S/config/zstd.dict" --delay-ms 150 > "$T/url" &
srv=$!
daemon=
trap 'kill -9 $daemon 2>/dev/null; kill $srv 2>/dev/null; wait 2>/dev/null; rm -rf "$T"' EXIT
for _ in $(seq 100); do [ -s "$T/url" ] && break; sleep 0.05; done
url=$(head -1 "$T/url")
cat > "$T/agent.json" <<JSON
{"schema":"veil-agent/1","policy_file":"$S/config/policy.json","state_dir":"$T/state",
 "upload":{"endpoint":"$url","dictionary_file":"$S/config/zstd.dict","io_timeout_ms":5000,
           "backoff_floor_ms":50,"backoff_cap_ms":200,"max_attempts_per_minute":1000},
 "batch":{"max_records":20,"max_age_ms":50},"queue":{"capacity":100000},
 "consent":{"granted_by_default":["usage"]},
 "spool":{"sync_each_append":true},"shutdown_timeout_ms":10000,"daemon":{"socket":"$SOCK"}}
JSON
start_daemon() {
  "$V" run --config "$T/agent.json" 2>> "$T/daemon.err" &
  daemon=$!
  for _ in $(seq 200); do [ -S "$SOCK" ] && return 0; sleep 0.02; done
  return 1
}
send() {  # send EVENTS FROM..TO (feature.used with a unique feature name per event)
  python3 - "$SOCK" "$1" "$2" <<'PY'
import json, socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.connect(sys.argv[1])
lines = "".join(json.dumps({"type": "feature.used", "ts": "2026-11-29T10:15:07Z",
                            "attrs": {"feature": f"f{i:05d}"}}) + "\n"
                for i in range(int(sys.argv[2]), int(sys.argv[3])))
s.sendall(lines.encode())
s.close()
PY
}
total=0
for round in $(seq 1 8); do
  start_daemon || { fail "daemon did not start in round $round: $(tail -3 "$T/daemon.err")"; break; }
  send $total $((total + 60)); total=$((total + 60))
  sleep "0.$((RANDOM % 4 + 1))"
  kill -9 "$daemon"; wait "$daemon" 2>/dev/null; daemon=
  rm -f "$SOCK"
done
start_daemon || fail "final daemon did not start"
# Events sent right before a kill may not have reached the spool (the queue is in memory): the
# test counts what the spool accepted, from what the server finally received.
sleep 2
kill -TERM "$daemon"; wait "$daemon"; rc=$?; daemon=
[ "$rc" -eq 0 ] && pass "final daemon drained and exited 0" || fail "final daemon exit $rc"
sleep 0.1
python3 - "$T/srv" "$total" <<'PY'
import glob, json, os, sys
by_key = {}
for f in sorted(glob.glob(sys.argv[1] + "/req-*.json")):
    body = open(f, encoding="utf-8").read()
    hdr = open(f[:-5] + ".headers", encoding="utf-8").read().lower()
    key = [l.split(": ", 1)[1] for l in hdr.splitlines() if l.startswith("idempotency-key: ")][0]
    if body.startswith("DECODE ERROR"):
        print("undecodable batch", f); sys.exit(1)
    feats = []
    for rl in json.loads(body)["resourceLogs"]:
        for sl in rl["scopeLogs"]:
            for r in sl["logRecords"]:
                for a in r["attributes"]:
                    if a["key"] == "feature":
                        feats.append(a["value"]["stringValue"])
    if key in by_key and sorted(by_key[key]) != sorted(feats):
        print("the same key carried different records:", key); sys.exit(1)
    by_key[key] = feats
stored = [x for v in by_key.values() for x in v]   # what a key-deduplicating collector stores
dups = len(stored) - len(set(stored))
print(f"requests={len(glob.glob(sys.argv[1] + '/req-*.json'))} distinct_keys={len(by_key)} stored={len(stored)} duplicates={dups} sent_to_agent={sys.argv[2]}")
sys.exit(1 if dups or not stored else 0)
PY
[ $? -eq 0 ] && pass "no record stored twice across kill -9 restarts" || fail "duplicates or nothing stored"
finish
