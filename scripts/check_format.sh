#!/bin/sh
# Fails when a C or C++ file in agent/, include/, tools/ or tests/ is not formatted as
# .clang-format says; lists the files. Exits 77 (ctest: skipped) when clang-format is missing.
# Usage: scripts/check_format.sh [repo-root]
set -eu
root=${1:-$(dirname "$0")/..}
cd "$root"
if ! command -v clang-format >/dev/null 2>&1; then
  echo "check_format: clang-format not installed, skipped" >&2
  exit 77
fi
bad=0
for f in $(git ls-files 'agent/*' 'include/*' 'tools/*' 'tests/*' 2>/dev/null |
           grep -E '\.(c|cc|cpp|h|hpp)$' | grep -v '^tests/layering/bad/' | grep -v '/corpus/'); do
  if ! clang-format --dry-run -Werror "$f" >/dev/null 2>&1; then
    echo "not formatted: $f (run: clang-format -i $f)" >&2
    bad=$((bad + 1))
  fi
done
if [ "$bad" -ne 0 ]; then
  echo "check_format: $bad file(s) not formatted" >&2
  exit 1
fi
echo "check_format: all files formatted"
