#!/usr/bin/env bash
# Users' rights end to end (issue 14): two `veil run` daemons (installs A and B) upload to a real
# veil-collector on SQLite or a ClickHouse started here; everything goes through the CLI a
# support engineer uses. Asserts:
#   - consent grant/show/revoke over the socket, with the history naming the API
#   - A uploads in two key epochs (its key file is aged between runs, so the daemon rotates):
#     two install tokens of A and one of B are stored
#   - preview lists what is pending; export's collector answer lists exactly the rows stored
#     under A's tokens, and its ledger accounts for every stored row of A
#   - `veil erase` removes A's rows of every epoch, B's remain; the receipt counts them
#   - erase while the collector is down: pending, survives a daemon restart, completes once the
#     collector is back (same port); afterwards nothing of B is stored
#   - nothing A or B held is left in their state directories' spools
# usage: rights_test.sh sqlite|clickhouse COLLECTOR_BIN      (77: skipped)
. "$(dirname "$0")/lib.sh"
SINK=${1:?}; COLLECTOR=${2:?}
V=${VEIL_BIN:?}; E=$(cd "$(dirname "$0")" && pwd); S=${VEIL_SOURCE_DIR:?}
P=$S/config/policy.json; D=$S/config/zstd.dict; CHK="python3 $E/pipeline_check.py"
[ -x "$COLLECTOR" ] || { echo "SKIP: $COLLECTOR not built"; exit 77; }
command -v curl >/dev/null || { echo "SKIP: curl not found"; exit 77; }

pids=""; cpid=""; dpids=""
cleanup() {
  for p in $dpids $cpid $pids; do kill -TERM "$p" 2>/dev/null; done
  for p in $dpids $cpid $pids; do wait "$p" 2>/dev/null; done
  rm -rf "$T"
}
trap cleanup EXIT
. "$E/lib_sink.sh"
. "$E/lib_daemon.sh"
start_sink "$SINK"

CPORT=$(python3 -c "import socket; s=socket.socket(); s.bind(('127.0.0.1',0)); print(s.getsockname()[1])")
start_collector() {
  : >"$T/collector.out"
  "$COLLECTOR" --db "$DBURL" --listen "127.0.0.1:$CPORT" --policy "$P" --zstd-dict "$D" \
    >"$T/collector.out" 2>>"$T/collector.err" &
  cpid=$!
  wait_line "$T/collector.out" '^listening on ' 400 || { fail "collector did not start: $(cat "$T/collector.err")"; finish; }
}
stop_collector() { kill -TERM "$cpid"; wait "$cpid" 2>/dev/null; cpid=""; }
start_collector
pass "collector on 127.0.0.1:$CPORT ($SINK)"

write_config() {  # write_config NAME
  mkdir -p "$T/$1"
  cat >"$T/$1/agent.json" <<JSON
{"schema":"veil-agent/1","policy_file":"$P","state_dir":"$T/$1/state",
 "service":{"name":"rights-e2e"},
 "upload":{"endpoint":"http://127.0.0.1:$CPORT","dictionary_file":"$D","io_timeout_ms":3000,
           "connect_timeout_ms":1000,"backoff_floor_ms":100,"backoff_cap_ms":500,
           "max_attempts_per_minute":600},
 "batch":{"max_records":2,"max_age_ms":200},"spool":{"sync_each_append":false},
 "rights":{"collector_timeout_ms":5000},"shutdown_timeout_ms":5000,"daemon":{"socket":"$T/$1/veil.sock"}}
JSON
}
start_daemon() {  # start_daemon NAME: sets the pid in D_<NAME>
  "$V" run --config "$T/$1/agent.json" 2>>"$T/$1/daemon.err" &
  local pid=$!; dpids="$dpids $pid"; eval "D_$1=$pid"
  for _ in $(seq 200); do [ -S "$T/$1/veil.sock" ] && break; sleep 0.05; done
  [ -S "$T/$1/veil.sock" ] || { fail "daemon $1 did not start: $(cat "$T/$1/daemon.err")"; finish; }
}
stop_daemon() {  # stop_daemon NAME
  local pid; eval "pid=\$D_$1"
  kill -TERM "$pid"; wait "$pid"; local rc=$?
  [ "$rc" -eq 0 ] || fail "daemon $1 exit $rc: $(tail -3 "$T/$1/daemon.err")"
}
send_events() {  # send_events NAME N: N feature.used events over the daemon's socket
  python3 - "$T/$1/veil.sock" "$2" <<'PY'
import json, socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM); s.connect(sys.argv[1])
for i in range(int(sys.argv[2])):
    e = {"type": "feature.used", "ts": "2026-12-07T09:00:00Z", "attrs": {"feature": "chat"}}
    s.sendall((json.dumps(e) + "\n").encode())
s.close()
PY
}
wait_sent() {  # wait_sent NAME N: until the daemon reports N records sent
  for _ in $(seq 300); do
    ctl "$1" '{"op":"stats"}' >"$T/$1/stats.json" 2>/dev/null
    python3 -c "import json,sys; s=json.load(open(sys.argv[1])); s=s.get('stats',s); sys.exit(0 if s['upload']['records_sent'] >= $2 else 1)" "$T/$1/stats.json" 2>/dev/null && return 0
    sleep 0.05
  done
  fail "$1: $2 records not sent: $(head -c 400 "$T/$1/stats.json")"
  return 1
}
dump() { $CHK dump "${DUMP[@]}" "$T/rows.jsonl" >"$T/got.json" || fail "dump of the stored rows"; }
by_install() { python3 -c "import json,sys; print(json.dumps(json.load(open(sys.argv[1]))['by_install'], sort_keys=True))" "$T/got.json"; }

# ---- 1. consent over the CLI, then uploads in two epochs for A, one for B ------------------------
write_config A; write_config B
start_daemon A; start_daemon B
expect_rc 0 "consent grant usage (A)" -- "$V" consent grant usage --socket "$T/A/veil.sock"
expect_rc 0 "consent grant usage (B)" -- "$V" consent grant usage --state "$T/B"
expect_rc 0 "consent show --json" -- "$V" consent show --json --socket "$T/A/veil.sock"
python3 -c "
import json,sys; d=json.load(open(sys.argv[1])); c=d['categories']['usage']; h=d['history']
assert c['granted'] is True, c
assert any(e['category']=='usage' and e['granted'] and e.get('via') for e in h), h
" "$T/out" && pass "consent show: usage granted, the change in the history with its API" \
  || fail "consent show: $(head -c 400 "$T/out")"
expect_rc 1 "consent grant of an unknown category" -- "$V" consent grant nosuch --socket "$T/A/veil.sock"
send_events A 4; wait_sent A 4
send_events B 4; wait_sent B 4
stop_daemon A
# Age A's key by two periods: the next start is in a new epoch, with a new key and token.
python3 - "$T/A/state/pseudonym.key" <<'PY'
import struct, sys
p = sys.argv[1]; b = bytearray(open(p, "rb").read())
assert b[:8] == b"VEILKEY1", "unexpected key file layout"
start, period = struct.unpack_from("<QQ", b, 8)
struct.pack_into("<Q", b, 8, start - 2 * period)
open(p, "wb").write(bytes(b))
PY
start_daemon A
send_events A 6; wait_sent A 6
dump
n=$(python3 -c "import json,sys; print(len(json.load(open(sys.argv[1]))['by_install']))" "$T/got.json")
[ "$n" = 3 ] && pass "three install tokens stored (A in two epochs, B): $(by_install)" \
  || fail "$n install tokens stored, wanted 3: $(by_install)"

# ---- 2. preview and export ---------------------------------------------------------------------
expect_rc 0 "preview --json (A)" -- "$V" preview --json --socket "$T/A/veil.sock"
python3 -c "import json,sys; json.load(open(sys.argv[1]))" "$T/out" && pass "preview is JSON" || fail "preview: $(head -c 300 "$T/out")"
expect_rc 0 "export (A)" -- "$V" export --out "$T/A-export.json" --socket "$T/A/veil.sock"
[ "$(stat -c %a "$T/A-export.json")" = 600 ] && pass "export file mode 0600" || fail "export file mode"
python3 - "$T/A-export.json" "$T/rows.jsonl" "$T/got.json" <<'PY' && pass "export round trip: the collector's answer is exactly the rows stored under A's tokens, the ledger accounts for each" \
  || fail "export round trip"
import json, sys
ex = json.load(open(sys.argv[1]))
rows = [json.loads(l) for l in open(sys.argv[2])]
by_inst = json.load(open(sys.argv[3]))["by_install"]
tokens = {t["token"] for t in ex["ledger"]["tokens"]}
mine = [r for r in rows if r["install"] in tokens]
ok = True
def check(c, m):
    global ok
    if not c:
        ok = False; print("  mismatch:", m, file=sys.stderr)
check(len(tokens) == 2, f"{len(tokens)} tokens in the export, wanted 2 epochs")
check(len(mine) == 10, f"{len(mine)} stored rows under the export's tokens, wanted 10")
col = ex["collector"]
check(col.get("status") == "ok", f"collector answer {col.get('status')}: {col.get('error')}")
got = [(s["install"], r) for s in col.get("subjects", []) for r in s["rows"]]
key = lambda inst, r: (inst, r["type"], r["category"], r["ts"])
check(sorted(key(i, r) for i, r in got) == sorted(key(r["install"], r) for r in mine),
      f"export lists {len(got)} rows, the sink stores {len(mine)} under A's tokens")
batches = ex["ledger"]["batches"]
ids = {b["id"] for b in batches}
missing = [r["batch"] for _, r in got if r["batch"] not in ids]
check(not missing, f"{len(missing)} stored rows come from batches not in the ledger, e.g. {missing[:1]}")
check(sum(b["records"] for b in batches) == len(mine), f"ledger records {sum(b['records'] for b in batches)} vs {len(mine)} stored")
check(all(b["digest"].startswith("blake2b-256:") and len(b["digest"]) == 12 + 64 for b in batches), "ledger digests")
sys.exit(0 if ok else 1)
PY

# ---- 3. erase A: every epoch's rows go, B's stay -----------------------------------------------
b_before=$(python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print(sum(v for v in d['by_install'].values()) - 10)" "$T/got.json")
expect_rc 2 "erase without --yes" -- "$V" erase --socket "$T/A/veil.sock"
expect_rc 0 "erase A" -- "$V" erase --yes --wait 30 --socket "$T/A/veil.sock"
expect_grep "$T/out" "install token" "erase prints the receipt"
dump
python3 - "$T/got.json" "$T/A-export.json" "$b_before" <<'PY' && pass "A's rows of both epochs are gone, B's $b_before remain" || fail "after erasing A: $(by_install)"
import json, sys
d = json.load(open(sys.argv[1])); ex = json.load(open(sys.argv[2]))
tokens = {t["token"] for t in ex["ledger"]["tokens"]}
left = d["by_install"]
sys.exit(0 if not (tokens & set(left)) and sum(left.values()) == int(sys.argv[3]) and len(left) == 1 else 1)
PY
ctl A '{"op":"erasure_status"}' >"$T/A-status.json"
python3 -c "
import json,sys; e=json.load(open(sys.argv[1]))['erasure']; r=e['receipts'][-1]
assert not e['pending'], e
assert r['installs'] == 2, r  # the two epochs' tokens (the new, unused one is not sent)
assert r['receipt']['total'] == 10 and r['receipt']['rows_deleted'].get('usage') == 10, r
" "$T/A-status.json" && pass "A's receipt: not pending, counts the deleted rows" || fail "A's receipt: $(head -c 500 "$T/A-status.json")"
# After erasure A starts over: consent is reset, nothing is collected until granted again.
expect_rc 0 "consent show after erase" -- "$V" consent show --json --socket "$T/A/veil.sock"
python3 -c "import json,sys; d=json.load(open(sys.argv[1])); sys.exit(0 if not d['categories']['usage']['granted'] else 1)" "$T/out" \
  && pass "consent is reset by the erasure" || fail "consent after erase: $(head -c 300 "$T/out")"

# ---- 4. erase B while the collector is down; the daemon restarts; the collector comes back -----
stop_collector
expect_rc 0 "erase B with the collector down" -- "$V" erase --yes --wait 1 --socket "$T/B/veil.sock"
expect_grep "$T/out" "erasure pending" "erase says the request is pending"
stop_daemon B
start_daemon B
ctl B '{"op":"erasure_status"}' >"$T/B-status.json"
python3 -c "import json,sys; sys.exit(0 if json.load(open(sys.argv[1]))['erasure']['pending'] else 1)" "$T/B-status.json" \
  && pass "the erasure request survived the restart" || fail "B after restart: $(head -c 300 "$T/B-status.json")"
send_events B 3  # not collected while the erasure waits
start_collector
done_=0
for _ in $(seq 200); do
  ctl B '{"op":"erasure_status"}' >"$T/B-status.json"
  python3 -c "import json,sys; sys.exit(0 if not json.load(open(sys.argv[1]))['erasure']['pending'] else 1)" "$T/B-status.json" && { done_=1; break; }
  sleep 0.1
done
[ "$done_" = 1 ] && pass "the erasure completed once the collector was back" || fail "B's erasure still pending: $(head -c 300 "$T/B-status.json")"
dump
python3 -c "import json,sys; d=json.load(open(sys.argv[1])); sys.exit(0 if d['rows'] == 0 else 1)" "$T/got.json" \
  && pass "nothing of A or B is stored any more" || fail "rows left: $(by_install)"
ctl B '{"op":"stats"}' >"$T/B/stats.json"
python3 -c "
import json,sys; s=json.load(open(sys.argv[1])); s=s.get('stats',s); d=s['drops']
sys.exit(0 if d.get('erasure_pending',0) + d.get('not_consented',0) >= 3 else 1)" "$T/B/stats.json" \
  && pass "events recorded while the erasure waited were dropped and counted" || fail "B's drops: $(head -c 400 "$T/B/stats.json")"
for n in A B; do
  expect_rc 0 "preview $n after erasure" -- "$V" preview --json --socket "$T/$n/veil.sock"
  python3 -c "
import json,sys; d=json.load(open(sys.argv[1])); c=d.get('categories', d)
n=sum(v['records'] for v in c.values() if isinstance(v, dict) and 'records' in v)
sys.exit(0 if n == 0 else 1)" "$T/out" && pass "$n: nothing pending after the erasure" || fail "$n: preview after erasure: $(head -c 300 "$T/out")"
done
expect_rc 0 "consent grant all (A)" -- "$V" consent grant all --socket "$T/A/veil.sock"
expect_rc 0 "consent object location (A)" -- "$V" consent object location --socket "$T/A/veil.sock"
stop_daemon A; stop_daemon B; dpids=""
# Without a daemon: the CLI opens the state itself (and sends nothing).
expect_rc 0 "consent show --config (no daemon)" -- "$V" consent show --json --config "$T/A/agent.json"
python3 -c "
import json,sys; c=json.load(open(sys.argv[1]))['categories']
assert c['usage']['granted'] and not c['location']['granted'] and c['location']['objected'], c
" "$T/out" && pass "grant all and object persisted in A's state" || fail "A's consent: $(head -c 400 "$T/out")"
finish
