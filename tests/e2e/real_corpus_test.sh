#!/usr/bin/env bash
# Veil's real-world-style labelled corpus (tests/corpus/real/, provenance in PROVENANCE.md) through
# `veil scrub --text`, checked by tests/corpus/check_real.py: the corpus is well-formed (self-test),
# and leaks stay within the budget with benign tokens kept.
. "$(dirname "$0")/lib.sh"
V=${VEIL_BIN:?}; S=$VEIL_SOURCE_DIR
# Leaks of the real corpus: 0 since the name runs, URL segments and pjsua idioms (2026-12-08)
MAX_LEAKS=0
# Leaks of the attack corpus (attack_*.jsonl, write_attack.py: layouts nobody here had tested, see
# PROVENANCE.md "Attack corpus") and its benign share, measured when it landed; lower as fixes land
MAX_ATTACK_LEAKS=2
MIN_ATTACK_BENIGN=99
# Leaks of the probe corpus (tests/corpus/probe, write_probe.py: 290 texts in 264 layouts neither
# corpus above had, 2026-12-08) and its benign share, measured when it landed; lower as fixes land
MAX_PROBE_LEAKS=60
MIN_PROBE_BENIGN=80
# The committed files are what write_corpus.py and write_attack.py write (deterministic; edit the
# generators, not the JSONL).
mkdir -p "$T/regen"
if python3 "$S/tests/corpus/real/write_corpus.py" --out "$T/regen" &&
   python3 "$S/tests/corpus/real/write_attack.py" --out "$T/regen" &&
   diff -q <(cat "$S"/tests/corpus/real/*.jsonl) <(cat "$T"/regen/*.jsonl) > /dev/null; then
  pass "corpus regenerates identically"
else
  fail "tests/corpus/real/*.jsonl differ from write_corpus.py's / write_attack.py's output"
fi
mkdir -p "$T/probe"
if python3 "$S/tests/corpus/probe/write_probe.py" --out "$T/probe" > /dev/null &&
   diff -q "$S/tests/corpus/probe/probe.jsonl" "$T/probe/probe.jsonl" > /dev/null &&
   diff -q "$S/tests/corpus/probe/PROVENANCE.md" "$T/probe/PROVENANCE.md" > /dev/null; then
  pass "probe corpus regenerates identically"
else
  fail "tests/corpus/probe/probe.jsonl or PROVENANCE.md differ from write_probe.py's output"
fi
# The shared corpus and the attack corpus are checked apart, each against its own budget.
mkdir -p "$T/shared" "$T/attack"
cp "$S"/tests/corpus/real/PROVENANCE.md "$T/shared/" && cp "$S"/tests/corpus/real/PROVENANCE.md "$T/attack/"
for f in "$S"/tests/corpus/real/*.jsonl; do
  case "$(basename "$f")" in attack_*) cp "$f" "$T/attack/" ;; *) cp "$f" "$T/shared/" ;; esac
done
if python3 "$S/tests/corpus/check_real.py" --self-test > "$T/self.txt"; then
  pass "corpus self-test: $(tail -n 1 "$T/self.txt")"
else
  fail "corpus self-test: $(cat "$T/self.txt")"
fi
if python3 "$S/tests/corpus/check_real.py" --veil "$V" --corpus "$T/shared" --max-leaks "$MAX_LEAKS" > "$T/rep.txt"; then
  pass "real corpus: $(tail -n 1 "$T/rep.txt")"
else
  fail "real corpus: $(cat "$T/rep.txt")"
fi
if python3 "$S/tests/corpus/check_real.py" --veil "$V" --corpus "$T/attack" --max-leaks "$MAX_ATTACK_LEAKS" \
     --min-benign "$MIN_ATTACK_BENIGN" > "$T/att.txt"; then
  pass "attack corpus: $(tail -n 1 "$T/att.txt")"
else
  fail "attack corpus: $(cat "$T/att.txt")"
fi
if python3 "$S/tests/corpus/check_real.py" --self-test --corpus "$T/probe" > "$T/pself.txt" &&
   python3 "$S/tests/corpus/check_real.py" --veil "$V" --corpus "$T/probe" --max-leaks "$MAX_PROBE_LEAKS" \
     --min-benign "$MIN_PROBE_BENIGN" > "$T/probe.txt"; then
  pass "probe corpus: $(tail -n 1 "$T/probe.txt")"
else
  fail "probe corpus: $(cat "$T/pself.txt" "$T/probe.txt" 2>/dev/null | tail -n 5)"
fi
# A label that is not in its text (or an unknown source) is refused, with the file and line.
mkdir -p "$T/bad" && cp "$S"/tests/corpus/real/PROVENANCE.md "$T/bad/"
echo '{"text": "ext 1101", "source": "pjsua", "pii": [{"value": "1102", "class": "user"}], "benign": []}' > "$T/bad/x.jsonl"
expect_rc 1 "malformed corpus refused" -- python3 "$S/tests/corpus/check_real.py" --self-test --corpus "$T/bad"
expect_grep "$T/out" "x.jsonl:1: value not in text" "malformed corpus: file and line named"
# The checker must be able to fail: a planted "leak" (a dictionary word labelled personal, which
# the scanner rightly keeps) is over a budget of 0.
mkdir -p "$T/planted" && cp "$S"/tests/corpus/real/PROVENANCE.md "$T/planted/"
echo '{"text": "the codec was opus", "source": "pjsua", "pii": [{"value": "opus", "class": "user"}], "benign": []}' > "$T/planted/x.jsonl"
expect_rc 1 "checker fails when leaks exceed the budget" -- \
  python3 "$S/tests/corpus/check_real.py" --veil "$V" --corpus "$T/planted" --max-leaks 0
# Generated events in phrasings the shared corpus lacks (tools/demo/make_prose.py), through the
# JSONL scrub and tools/demo/check_clean.py. Budgets: leaks per seed of the current scanner
# measured on main when this test landed; lowered to 0 by the default-deny scanner
declare -A PROSE_MAX=([1]=3 [2]=3 [3]=3)
for seed in 1 2 3; do
  python3 "$S/tools/demo/make_prose.py" --seed "$seed" --count 1000 --out "$T/raw.jsonl" --truth "$T/truth.json" \
    || { fail "prose generator seed $seed"; continue; }
  "$V" scrub --policy "$S/config/policy.json" --in "$T/raw.jsonl" --out "$T/clean.jsonl" --quiet \
    || { fail "scrub prose seed $seed"; continue; }
  if python3 "$S/tools/demo/check_clean.py" --truth "$T/truth.json" --clean "$T/clean.jsonl" \
       --max-leaks "${PROSE_MAX[$seed]}" > "$T/prose.txt"; then
    pass "prose seed $seed: $(tail -n 1 "$T/prose.txt")"
  else
    fail "prose seed $seed: $(tail -n 1 "$T/prose.txt")"
  fi
done
finish
