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
#   arm64    the `mobile` configuration (MinSizeRel, VEIL_HTTP_CLIENT=OFF: host transport only,
#            no Beast/OpenSSL/Boost in libveil; no tools), -Werror, cross-compiled for aarch64
#            (cmake/aarch64-linux-gnu.cmake, the mobile-aarch64 preset with its tests) and its
#            ctest suite run under qemu-user: every unit test of what a phone links (the word
#            and phone tables, with libphonenumber's arm64 build as the phone table's oracle;
#            the spool and wire codecs; atomics and threads of the queue and worker), the C
#            ABI with a host transport written in C, the exports check (no ICU, protobuf,
#            abseil, OpenSSL, libphonenumber or Boost library), the agent's fuzz corpora.
#            Not there: the collector's fuzz replays (server code; release and asan run them)
#            and e2e.install (its consumer projects build with the host compiler).
#   mobile   the same configuration on x86-64, not in the default set: the arm64 build is
#            what a phone links, on its architecture (ARM's unsigned char, weaker memory
#            order, alignment), and runs the same tests; mobile adds only e2e.install
#            without the HTTP client and the collector's replays, which release covers but for
#            that flag. Measured on the 2-core CI machine from clean, without ccache
#            (2026-12-07): mobile 6 min (configure 4 s, build 335 s, ctest 17 s), arm64 8 min
#            (configure 3 s, build about 395 s, ctest under qemu 82 s). Running both would put
#            the suite at about 36 min; arm64 instead of mobile keeps it at about 30
#            (docs/mobile.md). Run it with VEIL_TEST_BUILDS=mobile (`ctest --preset mobile`
#            locally).
# Environment: VEIL_TEST_BUILDS="release asan tsan arm64" (the default; any of these and
# mobile), VEIL_JOBS (default nproc).
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=${VEIL_JOBS:-$(nproc)}
builds=${VEIL_TEST_BUILDS:-"release asan tsan arm64"}
# The arm64 packages (multiarch) only when the arm64 build runs.
case " $builds " in
  *" arm64 "*) scripts/install-deps.sh --with-clickhouse --with-chromium --with-arm64 ;;
  *) scripts/install-deps.sh --with-clickhouse --with-chromium ;;
esac
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
    mobile|arm64) flags=(-DCMAKE_BUILD_TYPE=MinSizeRel -DVEIL_WERROR=ON -DVEIL_HTTP_CLIENT=OFF
                   -DVEIL_PHONE_TABLE=ON -DVEIL_CRASH_SYMBOLIZE=OFF -DVEIL_BUILD_TOOLS=OFF)
      # The preset's toolchain; its tests run under qemu-user (CMAKE_CROSSCOMPILING_EMULATOR).
      if [ "$b" = arm64 ]; then
        flags+=(-DCMAKE_TOOLCHAIN_FILE=cmake/aarch64-linux-gnu.cmake -DVEIL_STATIC_DEPS=ON)
      fi ;;
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
