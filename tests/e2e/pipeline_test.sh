#!/usr/bin/env bash
# Agent -> collector -> sink, end to end: softphone_sim (libveil through the C ABI) uploads a
# generated corpus through a capturing proxy to veil-collector, which stores into SQLite or a
# ClickHouse started here (temp dirs, free loopback ports). Asserts:
#   - every install's spool drained; rows per category == input events of a known type whose
#     category is granted; nothing of the non-granted category (location); nothing quarantined;
#     the agents' not_consented drops == the input's location events
#   - no planted PII value in any stored row (check_clean.py: raw, lower-case, digit runs,
#     hashes), nor in the SQLite files' bytes
#   - a captured batch re-POSTed with its Idempotency-Key is answered "duplicate", rows unchanged
#   - POST /v1/erasure without the device's proof (the removed admin form, a bad signature)
#     deletes nothing
#   - with ../shared/corpus: the shared generator's corpus too, and none of its truth.json pii
#     values in a dump of the stored rows (and the SQLite files)
# usage: pipeline_test.sh sqlite|clickhouse COLLECTOR_BIN SOFTPHONE_SIM_BIN     (77: skipped)
. "$(dirname "$0")/lib.sh"
SINK=${1:?}; COLLECTOR=${2:?}; SIM=${3:?}
E=$(cd "$(dirname "$0")" && pwd); S=${VEIL_SOURCE_DIR:?}
P=$S/config/policy.json; D=$S/config/zstd.dict; CHK="python3 $E/pipeline_check.py"
SHARED=${VEIL_SHARED_DIR:-$S/../shared}
GRANT=usage,call_quality,crash,diagnostics
for b in "$COLLECTOR" "$SIM"; do [ -x "$b" ] || { echo "SKIP: $b not built"; exit 77; }; done
command -v python3 >/dev/null || { echo "SKIP: python3 not found"; exit 77; }
command -v curl >/dev/null || { echo "SKIP: curl not found"; exit 77; }

pids=""
cleanup() {
  for p in $pids; do kill -TERM "$p" 2>/dev/null; done
  for p in $pids; do wait "$p" 2>/dev/null; done
  rm -rf "$T"
}
trap cleanup EXIT
port_of() { sed -n 's/^listening on .*:\([0-9]*\)$/\1/p' "$1" | head -1; }
jq_py() { python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print($2)" "$1"; }

# ---- the sink ----------------------------------------------------------------------------------
. "$E/lib_sink.sh"
start_sink "$SINK"

# ---- collector and capturing proxy ---------------------------------------------------------------
# An admin-scoped key: it grants nothing any more (the erasure step shows it cannot erase);
# ingest stays open (no ingest key is configured).
ADMIN_KEY=admin-e2e-0123456789abcdef
echo "ops $ADMIN_KEY admin" >"$T/keys"
"$COLLECTOR" --db "$DBURL" --listen 127.0.0.1:0 --policy "$P" --zstd-dict "$D" --api-keys "$T/keys" >"$T/collector.out" 2>"$T/collector.err" &
cpid=$!; pids="$pids $cpid"
wait_line "$T/collector.out" '^listening on ' 400 || { fail "collector did not start: $(cat "$T/collector.err")"; finish; }
CPORT=$(port_of "$T/collector.out")
python3 "$E/capture_proxy.py" "$CPORT" "$T/cap" >"$T/proxy.out" 2>"$T/proxy.err" &
pids="$pids $!"
wait_line "$T/proxy.out" '^listening on ' 200 || { fail "proxy did not start: $(cat "$T/proxy.err")"; finish; }
URL="http://127.0.0.1:$(port_of "$T/proxy.out")"
pass "collector on 127.0.0.1:$CPORT ($SINK), proxy at $URL"

run_fleet() {  # run_fleet NAME RAW INSTALLS: softphone_sim through the proxy
  "$SIM" --endpoint "$URL" --state-dir "$T/phones-$1" --installs "$3" --events "$2" --grant "$GRANT" \
    --policy "$P" --dict "$D" --flush-timeout-ms 60000 --quiet >"$T/sim-$1.out" 2>"$T/sim-$1.err"
  local rc=$?
  sed -n 's/^summary: //p' "$T/sim-$1.out" >"$T/sim-$1.json"
  [ "$rc" -eq 0 ] && grep -q '"drained":true' "$T/sim-$1.json" && pass "$1: $3 installs recorded, every spool drained" \
    || fail "$1: softphone_sim exit $rc: $(head -c 600 "$T/sim-$1.err") $(cat "$T/sim-$1.json")"
}
compare_counts() {  # compare_counts EXPECTED.json DUMP.json AGENT.json LABEL
  python3 - "$@" <<'PY' && pass "$4: rows per category == what policy and consent allow, no location, none quarantined" \
    || fail "$4: stored rows differ from what policy and consent allow"
import json, sys
want, got, agent = (json.load(open(p)) for p in sys.argv[1:4])
ok = True
def check(cond, msg):
    global ok
    if not cond:
        ok = False
        print("  mismatch:", msg, file=sys.stderr)
check(got["by_category"] == want["by_category"], f"stored {got['by_category']} vs allowed {want['by_category']}")
check("location" not in got["by_category"], "location rows stored")
check(got["quarantine"] == 0, f"{got['quarantine']} records quarantined")
check(agent["drops"]["not_consented"] == want["not_consented"], f"agent not_consented {agent['drops']['not_consented']} vs {want['not_consented']}")
check(agent["drops"]["unknown_type"] == want["unknown"], f"agent unknown_type {agent['drops']['unknown_type']} vs {want['unknown']}")
check(agent["stored"] == want["allowed"] and agent["sent"] == want["allowed"], f"agent stored {agent['stored']} sent {agent['sent']} vs {want['allowed']}")
print(f"  allowed {want['allowed']}, stored rows {sum(got['by_category'].values())}, not consented {want['not_consented']}, unknown {want['unknown']}, malformed {want['malformed']}")
sys.exit(0 if ok else 1)
PY
}

# ---- 1. the project's own corpus -----------------------------------------------------------------
python3 "$S/tools/demo/make_events.py" --seed 11 --count 600 --out "$T/raw.jsonl" --truth "$T/truth.json"
run_fleet own "$T/raw.jsonl" 6
$CHK expected "$T/raw.jsonl" "$P" "$GRANT" >"$T/want.json"
$CHK dump "${DUMP[@]}" "$T/rows.jsonl" >"$T/got.json" || fail "dump of the stored rows"
compare_counts "$T/want.json" "$T/got.json" "$T/sim-own.json" "own corpus"
n_inst=$(jq_py "$T/got.json" 'len(d["by_install"])')
[ "$n_inst" = 6 ] && pass "6 distinct install pseudonyms stored" || fail "$n_inst distinct install tokens, wanted 6"
if python3 "$S/tools/demo/check_clean.py" --truth "$T/truth.json" --clean "$T/rows.jsonl" --min-benign 0 --min-expect 0 \
     >"$T/check.out" 2>&1; then
  pass "no planted PII in any stored row ($(tail -1 "$T/check.out"))"
else
  fail "planted PII stored: $(head -20 "$T/check.out")"
fi
grep -q '"status": 200' "$T"/cap/req-1.json 2>/dev/null && pass "batches went through the proxy ($(ls "$T"/cap/*.json | wc -l))" \
  || fail "no captured batch"

# ---- 2. duplicates: re-POST a captured batch with its Idempotency-Key ------------------------------
python3 "$E/capture_proxy.py" --replay "$T/cap/req-1" "$CPORT" >"$T/replay.json"
expect_grep "$T/replay.json" '\\"duplicate\\":true' "a re-POSTed batch is answered duplicate"
$CHK dump "${DUMP[@]}" "$T/rows2.jsonl" >"$T/got2.json"
[ "$(jq_py "$T/got2.json" 'd["rows"]')" = "$(jq_py "$T/got.json" 'd["rows"]')" ] \
  && pass "the duplicate batch was not stored twice" || fail "rows changed after the duplicate POST"

# ---- 3. erasure needs the device's proof --------------------------------------------------------
# Only the device can erase its data (docs/collector.md, users' rights): neither the removed admin
# form nor a request without a valid signature by the key bound to the token deletes anything.
# (The device's own erasure, signed by the agent, is the agent side's end-to-end test.)
tok=$(jq_py "$T/got.json" 'sorted(d["by_install"].items())[0][0]')
code=$(curl -s -o "$T/erase.json" -w '%{http_code}' -H 'Content-Type: application/json' -H "Authorization: Bearer $ADMIN_KEY" \
  --data-binary "{\"tokens\":[\"$tok\"]}" "http://127.0.0.1:$CPORT/v1/erasure")
[ "$code" = 400 ] && pass "the admin erasure form is gone: 400" || fail "admin-form erasure: $code $(cat "$T/erase.json")"
zeros=$(printf '0%.0s' $(seq 128))
code=$(curl -s -o "$T/erase.json" -w '%{http_code}' -H 'Content-Type: application/json' \
  --data-binary "{\"version\":1,\"requests\":[{\"install\":\"$tok\",\"signature\":\"$zeros\"}]}" \
  "http://127.0.0.1:$CPORT/v1/erasure")
[ "$code" = 403 ] && grep -q '"proof_refused"' "$T/erase.json" \
  && pass "erasure without the device's signature: 403 proof_refused" \
  || fail "erasure without a proof answered $code $(cat "$T/erase.json")"
$CHK dump "${DUMP[@]}" "$T/rows3.jsonl" >"$T/got3.json"
[ "$(jq_py "$T/got3.json" 'd["rows"]')" = "$(jq_py "$T/got.json" 'd["rows"]')" ] \
  && pass "refused erasures deleted nothing" || fail "rows changed after refused erasures"
grep -q "$tok" "$T/collector.err" && fail "the collector logged an install token" || pass "no token in the collector's log"

# ---- 4. the shared corpus (only when ../shared is beside the checkout) ------------------------------
if [ -f "$SHARED/corpus/gen_events.py" ]; then
  python3 "$SHARED/corpus/gen_events.py" --seed 5 --count 800 --out "$T/shared.jsonl" --truth "$T/shared-truth.json" >/dev/null 2>&1 \
    || fail "shared gen_events.py failed"
  before=$(jq_py "$T/got3.json" 'json.dumps(d["by_category"])')
  run_fleet shared "$T/shared.jsonl" 4
  $CHK expected "$T/shared.jsonl" "$P" "$GRANT" >"$T/want-shared.json"
  $CHK dump "${DUMP[@]}" "$T/rows4.jsonl" >"$T/got4.json"
  # Only the new rows count against the shared corpus' expectation.
  python3 - "$T/got4.json" "$before" >"$T/got-shared.json" <<'PY'
import collections, json, sys
d = json.load(open(sys.argv[1])); before = collections.Counter(json.loads(sys.argv[2]))
d["by_category"] = {k: v for k, v in (collections.Counter(d["by_category"]) - before).items() if v}
print(json.dumps(d))
PY
  compare_counts "$T/want-shared.json" "$T/got-shared.json" "$T/sim-shared.json" "shared corpus"
  if $CHK grep-values "$T/shared-truth.json" "$T/rows4.jsonl" >"$T/grep.out" 2>&1; then
    pass "shared corpus: $(tail -1 "$T/grep.out") in the stored rows"
  else
    fail "shared corpus: PII stored: $(head -10 "$T/grep.out")"
  fi
else
  echo "note: $SHARED/corpus not found: the shared-corpus part is skipped"
fi

# ---- 5. stop; the SQLite files themselves ------------------------------------------------------------
kill -TERM "$cpid"; wait "$cpid"; rc=$?
[ "$rc" -eq 0 ] && pass "collector: SIGTERM, exit 0" || fail "collector exit $rc: $(tail -5 "$T/collector.err")"
if [ "$SINK" = sqlite ]; then
  files=$(ls "$T"/events.db*)
  # shellcheck disable=SC2086
  $CHK grep-values "$T/truth.json" $files >"$T/grep1.out" 2>&1 && pass "own corpus: $(tail -1 "$T/grep1.out") (database files)" \
    || fail "own corpus: PII in the database files: $(head -5 "$T/grep1.out")"
  if [ -f "$T/shared-truth.json" ]; then
    # shellcheck disable=SC2086
    $CHK grep-values "$T/shared-truth.json" $files >"$T/grep2.out" 2>&1 && pass "shared corpus: $(tail -1 "$T/grep2.out") (database files)" \
      || fail "shared corpus: PII in the database files: $(head -5 "$T/grep2.out")"
  fi
fi
finish
