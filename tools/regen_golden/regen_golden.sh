#!/usr/bin/env bash
# Regenerates tests/golden/*.out.jsonl from *.in.jsonl with the fixed test key and clock.
# Review the diff before committing (golden files change only on purpose). Usage: tools/regen_golden/regen_golden.sh [path/to/veil]
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
veil=${1:-$root/build/veil}
for in in "$root"/tests/golden/*.in.jsonl; do
  out=${in%.in.jsonl}.out.jsonl
  "$veil" scrub --policy "$root/config/policy.json" --key-file "$root/tests/golden/test.key" \
    --now 2026-11-29T12:00:00Z --quiet --in "$in" --out "$out"
done
git -C "$root" diff --stat -- tests/golden
