#!/usr/bin/env bash
# Anonymous statistics end to end (issue 15): two `veil run` daemons get the same 150 raw
# call.ended events (three past days, varied codecs, networks and countries, planted personal
# values): EV with the event policy (config/policy.json), AG with the shipped aggregate profile
# (config/policy-aggregate.json). Both upload to a real veil-collector on SQLite or a ClickHouse
# started here. Asserts:
#   - AG folded every event, sealed its daily windows and sent them all (nothing waiting), and
#     spooled no call.ended event; the collector stored no event row from AG
#   - the stored metrics equal the totals of EV's stored events: per codec x network_type x
#     remote_country cell, call.ended.count == EV's rows, and the MOS histogram's count and sum
#     equal EV's MOS count and sum
#   - no metric row carries an install token or an erasure key, and no planted personal value
#     is in any metric row
#   - `veil report` shows the call.ended metrics, adds both lanes' calls per day, and with k
#     above the cells' report counts it suppresses them
# usage: aggregate_test.sh sqlite|clickhouse COLLECTOR_BIN      (77: skipped)
. "$(dirname "$0")/lib.sh"
SINK=${1:?}; COLLECTOR=${2:?}
V=${VEIL_BIN:?}; E=$(cd "$(dirname "$0")" && pwd); S=${VEIL_SOURCE_DIR:?}
D=$S/config/zstd.dict; CHK="python3 $E/pipeline_check.py"
[ -x "$COLLECTOR" ] || { echo "SKIP: $COLLECTOR not built"; exit 77; }
command -v curl >/dev/null || { echo "SKIP: curl not found"; exit 77; }

pids=""; dpids=""
cleanup() {
  for p in $dpids $pids; do kill -TERM "$p" 2>/dev/null; done
  for p in $dpids $pids; do wait "$p" 2>/dev/null; done
  rm -rf "$T"
}
trap cleanup EXIT
. "$E/lib_sink.sh"
. "$E/lib_daemon.sh"
start_sink "$SINK"

"$COLLECTOR" --db "$DBURL" --listen 127.0.0.1:0 --policy "$S/config/policy.json" --zstd-dict "$D" \
  >"$T/collector.out" 2>"$T/collector.err" &
pids="$pids $!"
wait_line "$T/collector.out" '^listening on ' 400 || { fail "collector did not start: $(cat "$T/collector.err")"; finish; }
CPORT=$(sed -n 's/^listening on .*:\([0-9]*\)$/\1/p' "$T/collector.out" | head -1)
pass "collector on 127.0.0.1:$CPORT ($SINK)"

start_daemon() {  # start_daemon NAME POLICY
  mkdir -p "$T/$1"
  cat >"$T/$1/agent.json" <<JSON
{"schema":"veil-agent/1","policy_file":"$2","state_dir":"$T/$1/state",
 "service":{"name":"aggregate-e2e","version":"5.6.12","os":"android"},
 "upload":{"endpoint":"http://127.0.0.1:$CPORT","dictionary_file":"$D","io_timeout_ms":3000,
           "connect_timeout_ms":1000,"backoff_floor_ms":100,"backoff_cap_ms":500,
           "max_attempts_per_minute":600},
 "batch":{"max_records":50,"max_age_ms":200},"spool":{"sync_each_append":false},
 "consent":{"granted_by_default":["call_quality"]},
 "shutdown_timeout_ms":5000,"daemon":{"socket":"$T/$1/veil.sock"}}
JSON
  "$V" run --config "$T/$1/agent.json" 2>>"$T/$1/daemon.err" &
  dpids="$dpids $!"
  for _ in $(seq 200); do [ -S "$T/$1/veil.sock" ] && break; sleep 0.05; done
  [ -S "$T/$1/veil.sock" ] || { fail "daemon $1 did not start: $(cat "$T/$1/daemon.err")"; finish; }
}
# Until the daemon's stats satisfy a Python condition on `s` (the stats object).
wait_stats() {  # wait_stats NAME CONDITION LABEL
  for _ in $(seq 400); do
    ctl "$1" '{"op":"stats"}' >"$T/$1/stats.json" 2>/dev/null
    python3 -c "import json,sys; s=json.load(open(sys.argv[1])); s=s.get('stats',s); sys.exit(0 if ($2) else 1)" "$T/$1/stats.json" 2>/dev/null && { pass "$1: $3"; return 0; }
    sleep 0.05
  done
  fail "$1: $3: $(head -c 600 "$T/$1/stats.json")"
  return 1
}

# ---- the same raw events to both daemons ---------------------------------------------------------
python3 - "$T/events.jsonl" <<'PY'
import json, random, sys, datetime
rnd = random.Random(15)
today = datetime.datetime.now(datetime.timezone.utc).replace(hour=0, minute=0, second=0, microsecond=0)
codecs = ["opus", "opus", "G722", "PCMA"]
nets = ["wifi", "lte", "5g"]
numbers = ["+49 30 1234567", "+33 1 23 45 67 89", "+1 212 555 0100", "+44 20 7946 0958"]
with open(sys.argv[1], "w") as f:
    for i in range(150):
        day = today - datetime.timedelta(days=1 + i % 3)
        ts = day + datetime.timedelta(hours=8 + rnd.randrange(14), minutes=rnd.randrange(60))
        attrs = {"call_id": f"{rnd.getrandbits(64):016x}@pbx.example.org", "direction": "out",
                 "remote_number": rnd.choice(numbers), "remote_display_name": "Alice Liddell",
                 "contact_name": "Bob Marley", "codec": rnd.choice(codecs), "network_type": rnd.choice(nets),
                 "duration_s": 5 + rnd.randrange(1200), "mos": round(1 + rnd.random() * 3.5, 2),
                 "jitter_ms": rnd.randrange(90), "packet_loss_pct": round(rnd.random() * 6, 2),
                 "local_ip": "192.168.7.23", "public_ip": "203.0.113.77"}
        f.write(json.dumps({"type": "call.ended", "ts": ts.strftime("%Y-%m-%dT%H:%M:%SZ"), "attrs": attrs}) + "\n")
PY
start_daemon EV "$S/config/policy.json"
start_daemon AG "$S/config/policy-aggregate.json"
for n in EV AG; do
  python3 - "$T/$n/veil.sock" "$T/events.jsonl" <<'PY'
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM); s.connect(sys.argv[1])
s.sendall(open(sys.argv[2], "rb").read()); s.close()
PY
done
wait_stats EV "s['upload']['records_sent'] == 150" "150 call.ended events sent as events"
wait_stats AG "s['aggregate']['events_folded'] == 150 and s['aggregate']['windows_sent'] == 3 and s['aggregate']['windows_waiting'] == 0 and s['aggregate']['open_events'] == 0 and s['pipeline']['stored'] == 0" \
  "150 events folded into 3 daily windows, all sent, none spooled"

# ---- what the sink holds -------------------------------------------------------------------------
$CHK dump "${DUMP[@]}" "$T/rows.jsonl" >"$T/got.json" || fail "dump of the stored event rows"
if [ "$SINK" = sqlite ]; then
  python3 - "$T/events.db" "$T/metrics.jsonl" <<'PY'
import json, sqlite3, sys
db = sqlite3.connect(sys.argv[1])
with open(sys.argv[2], "w") as f:
    for row in db.execute("SELECT name, kind, attrs, resource, count, sum, bucket_counts, window_start, window_end FROM metrics"):
        f.write(json.dumps(dict(zip(["name", "kind", "attrs", "resource", "count", "sum", "bucket_counts", "window_start", "window_end"], row))) + "\n")
PY
else
  curl -s "http://127.0.0.1:$CHP/" --data-binary "SELECT name, kind, attrs, resource, count, sum, bucket_counts, toUnixTimestamp(window_start) AS window_start, toUnixTimestamp(window_end) AS window_end FROM veil_e2e.metrics FORMAT JSONEachRow" >"$T/metrics.jsonl"
fi
python3 - "$T/rows.jsonl" "$T/metrics.jsonl" "$T/events.jsonl" <<'PY' && pass "metrics == totals of the event rows per codec x network x country (count, MOS count and sum); anonymous; no planted value" || fail "metrics differ from the event totals, or carry an identifier or a planted value"
import json, sys
from collections import defaultdict
rows = [json.loads(l) for l in open(sys.argv[1])]
mets = [json.loads(l) for l in open(sys.argv[2]) if l.strip()]
ok = True
def check(c, msg):
    global ok
    if not c:
        ok = False; print("  mismatch:", msg, file=sys.stderr)
def attrs_of(a):
    a = json.loads(a) if isinstance(a, str) else a
    if isinstance(a, list): a = {kv["key"]: kv["value"] for kv in a}
    return {k: (v.get("stringValue") if isinstance(v, dict) else v) for k, v in a.items()}
want = defaultdict(lambda: [0, 0, 0.0])
for r in rows:
    check(r["type"] == "call.ended", f"an event row of type {r['type']}")
    a = r["attrs"] if isinstance(r["attrs"], dict) else json.loads(r["attrs"])
    w = want[(a.get("codec", ""), a.get("network_type", ""), a.get("remote_country", ""))]
    w[0] += 1
    if "mos" in a: w[1] += 1; w[2] += a["mos"]
check(len(rows) == 150, f"{len(rows)} event rows stored, want 150 (EV only)")
got = defaultdict(lambda: [0, 0, 0.0])
for m in mets:
    a = attrs_of(m["attrs"])
    k = (a.get("codec", ""), a.get("network_type", ""), a.get("remote_country", ""))
    check(m["window_end"] - m["window_start"] == 86400, f"window {m['window_start']}..{m['window_end']} is not a day")
    check(m["window_start"] % 86400 == 0, "window not aligned to 00:00 UTC")
    if m["name"] == "call.ended.count": got[k][0] += int(m["sum"] if m["kind"] == "sum" else m["count"])
    if m["name"] == "call.ended.mos": got[k][1] += int(m["count"]); got[k][2] += float(m["sum"])
    res = json.dumps(m["resource"])
    check("veil.install" not in res and "erasure" not in res, f"identifier in a metric resource: {res}")
    text = json.dumps(m)
    for bad in ["1234567", "Alice", "Bob", "192.168", "203.0.113", "pbx.example.org", "5550100"]:
        check(bad not in text, f"planted value {bad} in a metric row")
check(set(want) == set(got), f"cells differ: event-only {set(want) - set(got)}, metric-only {set(got) - set(want)}")
for k, w in want.items():
    g = got[k]
    check(g[0] == w[0] and g[1] == w[1] and abs(g[2] - w[2]) < 1e-6, f"cell {k}: metrics {g} vs events {w}")
print(f"  {len(want)} cells, {len(mets)} metric rows, {len(rows)} event rows")
sys.exit(0 if ok else 1)
PY

# ---- the report ----------------------------------------------------------------------------------
expect_rc 0 "veil report (k=1)" -- "$V" report --db "$DBURL" --k 1
grep -q "call.ended.count" "$T/out" && grep -q "call.ended.mos" "$T/out" \
  && pass "report: the call.ended metric sections are there" || fail "report lacks the metric sections: $(head -c 800 "$T/out")"
expect_rc 0 "veil report --json (k=1)" -- "$V" report --db "$DBURL" --k 1 --json
python3 - "$T/out" <<'PY' && pass "report: calls per day add the event rows (50 a day) and the aggregates (50 a day)" || fail "report: calls_per_day: $(head -c 800 "$T/out")"
import json, sys
doc = json.load(open(sys.argv[1]))
t = next(t for t in doc["tables"] if t["id"] == "calls_per_day")
assert len(t["rows"]) == 3, t["rows"]
for r in t["rows"]:
    assert (r["calls_events"], r["calls_aggregates"], r["calls_total"]) == (50, 50, 100), r
PY
expect_rc 0 "veil report (k=1000)" -- "$V" report --db "$DBURL" --k 1000 --json
python3 - "$T/out" <<'PY' && pass "report: with k=1000 every metric cell is suppressed in place" || fail "report with k=1000 shows a metric cell: $(head -c 800 "$T/out")"
import json, sys
doc = json.load(open(sys.argv[1]))
tables = [t for t in doc["tables"] if "call.ended" in t["id"] + t["title"]]
assert tables, "no metric table"
for t in tables:
    assert t["rows"], f"table {t['id']} has no rows"
    for r in t["rows"]:
        assert r.get("suppressed") is True, f"table {t['id']}: a shown row {r}"
print(f"  {len(tables)} metric tables, {sum(len(t['rows']) for t in tables)} rows, all suppressed")
PY
finish
