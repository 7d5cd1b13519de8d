#!/usr/bin/env bash
# Builds Veil four times and runs tests in each; installs missing Debian packages first
# (idempotent). Usage: scripts/test.sh
#   release  RelWithDebInfo, -Werror: the whole ctest suite (unit, layering, CLI, corpus, e2e
#            against a loopback collector and ClickHouse, fuzz corpus replay).
#   asan     Debug, ASan+UBSan: the whole ctest suite again (memory errors, UB, leaks).
#   tsan     RelWithDebInfo, ThreadSanitizer: the doctest binary only (unit, agent runtime with
#            its worker, spool and upload threads, collector server with its thread pool). The
#            script and e2e tests add processes, not new threading, and TSan's 5-15x slow-down
#            there would cost more CI time than it finds.
#   mobile   the `mobile` preset's configuration (MinSizeRel, VEIL_HTTP_CLIENT=OFF: host
#            transport only, no Beast/OpenSSL/Boost in libveil; no tools), -Werror: its ctest
#            suite (the unit tests that apply, the C ABI with a host transport written in C,
#            the exports check that libveil needs none of ICU, protobuf, abseil, OpenSSL,
#            libphonenumber, Boost). It is what a phone app links, so it must build and pass
#            on its own; the sanitizer builds already cover its code.
# Environment: VEIL_TEST_BUILDS="release asan tsan mobile" (default all), VEIL_JOBS (default
# nproc).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh --with-clickhouse --with-chromium
jobs=${VEIL_JOBS:-$(nproc)}
builds=${VEIL_TEST_BUILDS:-"release asan tsan mobile"}
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0:strict_string_checks=1}
export TSAN_OPTIONS=${TSAN_OPTIONS:-halt_on_error=1:second_deadlock_stack=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
if [ ! -d ../shared/corpus ]; then
  echo "note: ../shared/corpus not found; the shared-corpus tests will be skipped" >&2
fi
for b in $builds; do
  case "$b" in
    release) flags=(-DCMAKE_BUILD_TYPE=RelWithDebInfo -DVEIL_WERROR=ON) ;;
    asan) flags=(-DCMAKE_BUILD_TYPE=Debug "-DVEIL_SANITIZE=address;undefined") ;;
    tsan) flags=(-DCMAKE_BUILD_TYPE=RelWithDebInfo -DVEIL_SANITIZE=thread) ;;
    mobile) flags=(-DCMAKE_BUILD_TYPE=MinSizeRel -DVEIL_WERROR=ON -DVEIL_HTTP_CLIENT=OFF
                   -DVEIL_PHONE_TABLE=ON -DVEIL_CRASH_SYMBOLIZE=OFF -DVEIL_BUILD_TOOLS=OFF) ;;
    *) echo "scripts/test.sh: unknown build '$b'" >&2; exit 2 ;;
  esac
  echo "== build-$b: configure and build" >&2
  cmake -S . -B "build-$b" -G Ninja "${flags[@]}" >/dev/null
  if [ "$b" = tsan ]; then
    cmake --build "build-$b" -j"$jobs" --target veil_tests veil_test_server
    echo "== build-$b: doctest suite under ThreadSanitizer" >&2
    (cd "build-$b" && ./tests/veil_tests)
    continue
  fi
  cmake --build "build-$b" -j"$jobs"
  echo "== build-$b: tests" >&2
  (cd "build-$b" && ctest --output-on-failure -j"$jobs" --timeout 900)
done
echo "scripts/test.sh: all builds passed: $builds" >&2
