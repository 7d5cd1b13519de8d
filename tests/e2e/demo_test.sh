#!/usr/bin/env bash
# The main job (scripts/demo.sh) in its reduced form, with the binaries of this build
# (VEIL_DEMO_QUICK=1, VEIL_BUILD_DIR): exits 0, prints every section, the report and the
# statistics, finds no planted PII, and writes a self-contained HTML report.
# usage: demo_test.sh            (77: skipped when a binary the demo needs is not built)
. "$(dirname "$0")/lib.sh"
B=${VEIL_BUILD_DIR:?}; S=${VEIL_SOURCE_DIR:?}
for b in "$B/veil" "$B/veil-collector" "$B/softphone_sim"; do
  [ -x "$b" ] || { echo "SKIP: $b not built"; exit 77; }
done
command -v python3 >/dev/null || { echo "SKIP: python3 not found"; exit 77; }
OUT="$T/demo"
VEIL_DEMO_QUICK=1 VEIL_DEMO_OUT="$OUT" timeout 300 bash "$S/scripts/demo.sh" >"$T/demo.out" 2>"$T/demo.err"
rc=$?
[ "$rc" -eq 0 ] && pass "demo.sh exit 0" || fail "demo.sh exit $rc: $(tail -20 "$T/demo.err") $(tail -20 "$T/demo.out")"
for h in "Raw events" "Collector" "Softphones" "Aggregate-mode phones" "Stored" "Before / after" "Privacy check" "Report" \
         "Agent statistics" "Scrub statistics" "Done"; do
  expect_grep "$T/demo.out" "^== $h" "section '$h'"
done
expect_grep "$T/demo.out" "every install's spool drained" "the softphones' spools drained"
expect_grep "$T/demo.out" "holds [1-9][0-9]* metric points of [1-9][0-9]* metrics; 0 carry an install token" \
  "aggregate-mode installs stored anonymous metrics"
expect_grep "$T/demo.out" "^Calls per day, event mode and aggregate mode together" "the report merges both lanes"
expect_grep "$T/demo.out" "^  location +NO +[0-9]+ +0$" "nothing of the non-consented location category stored"
expect_grep "$T/demo.out" "RAW .*\| STORED" "a before/after of one event"
expect_grep "$T/demo.out" ": 0 found$" "no planted value in the database or the phones' state"
expect_grep "$T/demo.out" " 0 records quarantined" "the collector's guard quarantined nothing"
expect_grep "$T/demo.out" "^Calls per destination country" "the report is printed"
expect_grep "$T/demo.out" "HTML report: $OUT/report.html" "the HTML report's path"
expect_grep "$T/demo.out" "drops by reason: .*not_consented" "agent drops by reason"
expect_grep "$T/demo.out" "redaction|replac" "redactions by class"
[ -s "$OUT/report.html" ] && grep -q '<svg' "$OUT/report.html" && pass "report.html written with charts" \
  || fail "no report.html with <svg> in $OUT"
finish
