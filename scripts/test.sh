#!/usr/bin/env bash
# Builds Veil twice (RelWithDebInfo with -Werror, then Debug with ASan+UBSan) and runs the whole
# test suite in each. Installs missing Debian packages first (idempotent). Usage: scripts/test.sh
# Environment: VEIL_TEST_BUILDS="release asan" (default both), VEIL_JOBS (default nproc).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh --with-clickhouse --with-chromium
jobs=${VEIL_JOBS:-$(nproc)}
builds=${VEIL_TEST_BUILDS:-"release asan"}
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0:strict_string_checks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
if [ ! -d ../shared/corpus ]; then
  echo "note: ../shared/corpus not found; the shared-corpus tests will be skipped" >&2
fi
for b in $builds; do
  case "$b" in
    release) flags=(-DCMAKE_BUILD_TYPE=RelWithDebInfo -DVEIL_WERROR=ON) ;;
    asan) flags=(-DCMAKE_BUILD_TYPE=Debug "-DVEIL_SANITIZE=address;undefined") ;;
    *) echo "scripts/test.sh: unknown build '$b'" >&2; exit 2 ;;
  esac
  echo "== build-$b: configure and build" >&2
  cmake -S . -B "build-$b" -G Ninja "${flags[@]}" >/dev/null
  cmake --build "build-$b" -j"$jobs"
  echo "== build-$b: tests" >&2
  (cd "build-$b" && ctest --output-on-failure -j"$jobs" --timeout 900)
done
echo "scripts/test.sh: all builds passed: $builds" >&2
