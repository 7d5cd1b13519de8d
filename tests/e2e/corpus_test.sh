#!/usr/bin/env bash
# The shared corpus (../shared/corpus) through `veil scrub`, checked by pii_check.py for
# several seeds: leaks=0, utility >= 95 %, benign kept >= 95 %, pseudonyms consistent.
# Skips (exit 77) when ../shared is not beside the checkout (a plain clone).
. "$(dirname "$0")/lib.sh"
V=${VEIL_BIN:?}; P="$VEIL_SOURCE_DIR/config/policy.json"
C="$VEIL_SOURCE_DIR/../shared/corpus"
if [ ! -f "$C/pii_check.py" ] || [ ! -f "$C/gen_events.py" ]; then
  echo "SKIP: $C not found (../shared is only beside the checkout in CI and dev sessions)"
  exit 77
fi
for seed in 1 7 42 1234 20261129; do
  python3 "$C/gen_events.py" --seed "$seed" --count 2500 --out "$T/raw$seed.jsonl" --truth "$T/truth$seed.json" >/dev/null 2>&1 \
    || { fail "generator failed for seed $seed"; continue; }
  if python3 "$C/pii_check.py" --raw "$T/raw$seed.jsonl" --truth "$T/truth$seed.json" \
       --scrub-cmd "$V scrub --policy $P --quiet" --max-print 10 > "$T/report$seed.txt" 2>&1; then
    pass "seed $seed: $(tail -n 1 "$T/report$seed.txt")"
  else
    fail "seed $seed: $(tail -n 1 "$T/report$seed.txt")"; cat "$T/report$seed.txt" >&2
  fi
done
finish
