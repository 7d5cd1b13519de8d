#!/usr/bin/env bash
# The collector's independent leak guard on whole clean agent output: the false-quarantine rate
# must stay <= 0.5 % of records (issue 11, item 5). Inputs: Veil's own generator
# (tools/demo/make_events.py, two seeds) scrubbed by `veil scrub`, the real corpus's texts
# scrubbed by `veil scrub --text` (as log lines), and ../shared/corpus when it is there.
# The guard must also flag the raw events' personal data (a floor: >= 50 % of raw records).
#   leak_guard_test.sh BENCH_BIN   (VEIL_BIN, VEIL_SOURCE_DIR from CTest)
. "$(dirname "$0")/lib.sh"
G=${1:?}
S=$VEIL_SOURCE_DIR
rate_ok() {  # rate_ok NAME CLEAN.jsonl
  if "$G" --clean "$2" --max-rate 0.005 >"$T/g.out" 2>&1; then
    pass "$1: $(head -1 "$T/g.out")"
  else
    fail "$1: $(head -5 "$T/g.out")"
  fi
}
for seed in 3 11; do
  python3 "$S/tools/demo/make_events.py" --seed $seed --count 5000 --out "$T/raw$seed.jsonl" >/dev/null
  "$VEIL_BIN" scrub --policy "$S/config/policy.json" --in "$T/raw$seed.jsonl" --out "$T/clean$seed.jsonl" \
    --state-dir "$T/st$seed" --quiet || fail "veil scrub seed $seed"
  rate_ok "own corpus seed $seed" "$T/clean$seed.jsonl"
done
"$G" --clean "$T/clean3.jsonl" --raw "$T/raw3.jsonl" >"$T/raw.out" 2>&1
raw_pct=$(sed -n 's/^raw: .*(\([0-9.]*\) %).*/\1/p' "$T/raw.out")
awk -v p="$raw_pct" 'BEGIN{exit !(p >= 50)}' && pass "raw own corpus: $raw_pct % of records flagged" \
  || fail "raw own corpus: only ${raw_pct:-?} % flagged: $(cat "$T/raw.out")"
# The real corpus's texts, scrubbed, as log lines (one text per record).
python3 - "$S/tests/corpus/real" "$VEIL_BIN" "$T/real.jsonl" <<'PY'
import glob, json, subprocess, sys
texts = [json.loads(l)["text"] for f in sorted(glob.glob(sys.argv[1] + "/*.jsonl")) for l in open(f, encoding="utf-8")]
inp, counts = [], []
for t in texts:
    parts = t.split("\n"); counts.append(len(parts)); inp.extend(parts + [""])
out = subprocess.run([sys.argv[2], "scrub", "--text", "--quiet"], input="\n".join(inp) + "\n",
                     capture_output=True, text=True, check=True).stdout.split("\n")
with open(sys.argv[3], "w") as f:
    i = 0
    for c in counts:
        f.write(json.dumps({"type": "log.line", "category": "diagnostics",
                            "attrs": {"message": "\n".join(out[i:i + c])}}) + "\n")
        i += c + 1
PY
# The scanner's own residual leaks in these texts are flagged too (true positives), so the bar
# here is the measured rate with a margin, not 0.5 %: it catches regressions of the guard.
if "$G" --clean "$T/real.jsonl" --max-rate 0.05 >"$T/g.out" 2>&1; then pass "real corpus texts: $(head -1 "$T/g.out")"
else fail "real corpus texts: $(head -5 "$T/g.out")"; fi
if [ -f "$S/../shared/corpus/gen_events.py" ]; then
  python3 "$S/../shared/corpus/gen_events.py" --seed 2 --count 10000 --out "$T/sraw.jsonl" --truth "$T/struth.jsonl" >/dev/null
  "$VEIL_BIN" scrub --policy "$S/config/policy.json" --in "$T/sraw.jsonl" --out "$T/sclean.jsonl" \
    --state-dir "$T/sst" --quiet || fail "veil scrub shared corpus"
  rate_ok "shared corpus seed 2" "$T/sclean.jsonl"
else
  echo "note: ../shared/corpus not found; the shared-corpus case is skipped"
fi
finish
