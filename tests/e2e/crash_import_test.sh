#!/usr/bin/env bash
# `veil crash import` end to end: the fixtures of tests/crash/fixtures (real tombstones and .ips
# reports, invented softphone ones with planted personal data) are imported by the CLI into an
# agent that uploads to a real veil-collector (SQLite) on loopback. Asserts: refused inputs
# (minidump, legacy .crash, not consented) exit 1 and name the file and the reason; --dry-run
# prints cleaned crash.report lines; every imported report is stored, none quarantined; no
# planted value is in a stored row nor in the database's bytes.
#   crash_import_test.sh COLLECTOR_BIN   (VEIL_BIN, VEIL_SOURCE_DIR from CTest)
. "$(dirname "$0")/lib.sh"
COLLECTOR=${1:?}; S=${VEIL_SOURCE_DIR:?}; F=$S/tests/crash/fixtures
P=$S/config/policy.json; D=$S/config/zstd.dict
command -v sqlite3 >/dev/null || command -v python3 >/dev/null || { echo "SKIP: python3 not found"; exit 77; }
PLANTED="alice.smith 4915123456789 203.0.113.77 example.org 6629fae49393a053 192.168.1.20 bob.jones 23456789 F233B26D 1f8c2278cc55e8a7 7AE97A48 C28F189C 9F4D42D9 A525FXXU6EXB1"
cpid=
trap 'kill -TERM $cpid 2>/dev/null; wait 2>/dev/null; rm -rf "$T"' EXIT

# ---- refusals and the dry run ----------------------------------------------------------------
printf 'MDMP\x93\xa7\x00\x00' >"$T/app.dmp"
expect_rc 1 "a minidump is refused" -- "$VEIL_BIN" crash import "$T/app.dmp" --dry-run --policy "$P"
expect_grep "$T/err" "app.dmp: minidump: Veil does not import minidumps" "the refusal names the file and the format"
printf 'Incident Identifier: E44AD7C2-4F93-47A8-A1D7-CB619425EFB1\nCrashReporter Key: 5f34f05ff9130504\n' >"$T/old.crash"
expect_rc 1 "a legacy .crash text is refused" -- "$VEIL_BIN" crash import "$T/old.crash" --dry-run --policy "$P"
expect_grep "$T/err" "legacy text crash report" "the refusal says it is the legacy text form"
expect_no_grep "$T/err" "5f34f05ff9130504" "the refusal does not echo the report"
expect_rc 2 "no FILE is a usage error" -- "$VEIL_BIN" crash import --dry-run --policy "$P"
expect_rc 0 "--dry-run prints every fixture cleaned" -- "$VEIL_BIN" crash import "$F"/*.tombstone "$F"/*.ips --dry-run --policy "$P"
n=$(grep -c '"type":"crash.report"' "$T/out")
[ "$n" = 7 ] && pass "7 crash.report lines" || fail "$n crash.report lines, wanted 7: $(head -c 300 "$T/err")"
for v in $PLANTED; do grep -qF "$v" "$T/out" && fail "dry run shows planted $v"; done
pass "dry run shows no planted value"

# ---- into a collector ------------------------------------------------------------------------
"$COLLECTOR" --db "sqlite://$T/events.db" --listen 127.0.0.1:0 --policy "$P" --zstd-dict "$D" >"$T/collector.out" 2>"$T/collector.err" &
cpid=$!
wait_line "$T/collector.out" '^listening on ' 400 || { fail "collector did not start: $(cat "$T/collector.err")"; finish; }
URL="http://127.0.0.1:$(sed -n 's/^listening on .*:\([0-9]*\)$/\1/p' "$T/collector.out" | head -1)"
config() {  # config FILE GRANTS(json list)
  cat >"$1" <<JSON
{"schema":"veil-agent/1","policy_file":"$P","state_dir":"$T/state",
 "service":{"name":"voxline","version":"5.6.12","os":"android"},
 "upload":{"endpoint":"$URL","dictionary_file":"$D","io_timeout_ms":5000},
 "batch":{"max_records":50,"max_age_ms":50},"consent":{"granted_by_default":$2}}
JSON
}
config "$T/off.json" '["usage"]'
expect_rc 1 "without crash consent nothing is imported" -- "$VEIL_BIN" crash import "$F/aosp-arm64-abort.tombstone" --config "$T/off.json"
expect_grep "$T/err" "not consented" "the refusal says consent is missing"
rm -rf "$T/state"
config "$T/on.json" '["crash"]'
# The fixtures' own crash times (2021-2026) are outside the collector's retention window, where
# it quarantines records (time:out_of_range); copies dated now are stored.
mkdir -p "$T/now"
python3 - "$F" "$T/now" <<'PY'
import datetime, glob, os, re, sys
now = datetime.datetime.now().astimezone()
for f in glob.glob(sys.argv[1] + "/*.tombstone") + glob.glob(sys.argv[1] + "/*.ips"):
    t = open(f, encoding="utf-8").read()
    t = re.sub(r"Timestamp: [0-9-]+ [0-9:.]+[+-][0-9]{4}", "Timestamp: " + now.strftime("%Y-%m-%d %H:%M:%S%z"), t)
    t = re.sub(r'"timestamp":"[^"]*"', '"timestamp":"' + now.strftime("%Y-%m-%d %H:%M:%S.00 %z") + '"', t)
    open(os.path.join(sys.argv[2], os.path.basename(f)), "w", encoding="utf-8").write(t)
PY
expect_rc 0 "every fixture imported with crash consent" -- "$VEIL_BIN" crash import "$T"/now/* --config "$T/on.json"
python3 - "$T/events.db" "$T/rows.txt" <<'PY' && pass "7 crash.report rows stored, none quarantined" || fail "stored rows: $(cat "$T/rows.txt" | head -c 400)"
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
rows = db.execute("select type, attrs from events").fetchall()
q = db.execute("select count(*) from quarantine").fetchone()[0]
open(sys.argv[2], "w").write("\n".join(a for _, a in rows) + f"\nquarantined {q}\n")
sys.exit(0 if len(rows) == 7 and all(t == "crash.report" for t, _ in rows) and q == 0 else 1)
PY
for v in $PLANTED; do grep -qF "$v" "$T/rows.txt" && fail "stored row holds planted $v"; done
# A report as old as the monerod one (2025-01) is past retention: quarantined, without values.
expect_rc 0 "an old report is imported by the agent" -- "$VEIL_BIN" crash import "$F/monerod-macos-sigbus.ips" --config "$T/on.json"
python3 - "$T/events.db" <<'PY' && pass "the collector quarantines it as time:out_of_range" || fail "old report not quarantined by time"
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
q = db.execute("select reason, type from quarantine").fetchall()
sys.exit(0 if q == [("time:out_of_range", "crash.report")] else 1)
PY
# The crash groups of `veil report`: one install imported everything, so k = 1 shows the groups
# and k = 2 hides every count.
expect_rc 0 "veil report --k 1 --csv over the collector's database" -- "$VEIL_BIN" report --db "sqlite://$T/events.db" --k 1 --csv
expect_grep "$T/out" '^crash_groups,SIGSEGV,\(none\),voxline::sip::dialog::on_response\(voxline::sip::message const&\),5\.6\.12,1' "the softphone crash is its own group, named by its top frame"
expect_grep "$T/out" '^crash_groups,SIGBUS,EXC_BAD_ACCESS,mdb_page_search_root,' "the .ips crash is grouped by signal, exception and top frame"
expect_rc 0 "veil report --k 2 --json" -- "$VEIL_BIN" report --db "sqlite://$T/events.db" --k 2 --json
python3 - "$T/out" <<'PY' && pass "with k = 2 every crash group's count is suppressed" || fail "a crash group count shown under k = 2: $(head -c 300 "$T/out")"
import json, sys
r = json.load(open(sys.argv[1]))
t = [t for t in r["tables"] if t["id"] == "crash_groups"][0]
print(json.dumps(t["rows"][:1]))
sys.exit(0 if t["rows"] and all(json.dumps(row).count("suppressed") or "<2" in json.dumps(row) for row in t["rows"]) else 1)
PY
kill -TERM $cpid; wait $cpid 2>/dev/null; cpid=
for v in $PLANTED; do cat "$T"/events.db* | grep -qaF "$v" && fail "database bytes hold planted $v"; done
pass "no planted value in the stored rows or the database files"
finish
