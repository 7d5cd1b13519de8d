#!/usr/bin/env bash
# Veil's own harder corpus (tools/demo/make_events.py: odd formats, SIP traces, non-ASCII names)
# through `veil scrub`, checked by tools/demo/check_clean.py: no leak, benign kept, derived values right.
. "$(dirname "$0")/lib.sh"
V=${VEIL_BIN:?}; S=$VEIL_SOURCE_DIR
for seed in 1 2 3; do
  python3 "$S/tools/demo/make_events.py" --seed "$seed" --count 1500 --out "$T/raw.jsonl" --truth "$T/truth.json" \
    || { fail "generator seed $seed"; continue; }
  "$V" scrub --policy "$S/config/policy.json" --in "$T/raw.jsonl" --out "$T/clean.jsonl" --quiet \
    || { fail "scrub seed $seed"; continue; }
  if python3 "$S/tools/demo/check_clean.py" --truth "$T/truth.json" --clean "$T/clean.jsonl" > "$T/rep.txt"; then
    pass "seed $seed: $(tail -n 1 "$T/rep.txt")"
  else
    fail "seed $seed: $(cat "$T/rep.txt")"
  fi
done
finish
