#!/usr/bin/env bash
# Install into a temporary prefix, build tests/cmake (find_package(veil), C++ and C) against it,
# run both consumers.   install_test.sh TEST_SERVER_BIN [--no-http-client]
# (uses VEIL_BUILD_DIR and VEIL_SOURCE_DIR). --no-http-client (VEIL_HTTP_CLIENT=OFF): no tools are
# installed and the consumers, which use the built-in client, cannot upload: those parts are left
# out (e2e.c_abi covers uploads through a host transport).
. "$(dirname "$0")/lib.sh"
B=${VEIL_BUILD_DIR:?}; S=${VEIL_SOURCE_DIR:?}
expect_rc 0 "cmake --install into a temp prefix" -- cmake --install "$B" --prefix "$T/prefix"
[ -f "$T/prefix/include/veil/veil.h" ] && [ -f "$T/prefix/include/veil/export.h" ] && pass "headers installed" || fail "headers missing"
ls "$T"/prefix/lib*/cmake/veil/veilConfig.cmake >/dev/null 2>&1 && pass "veilConfig.cmake installed" || fail "no veilConfig.cmake"
grep -rqE '#include *[<"](boost/|sodium|zstd|nlohmann|simdjson)' "$T/prefix/include/veil" && fail "public headers include a private dependency" || pass "public headers include no private dependency"
# The tools are installed, and the collector finds its defaults in <prefix>/share/veil (never in
# the source tree): started with no --policy or --zstd-dict, it reads the installed files; with
# the installed policy gone, the error names the file it looked for in the prefix.
NO_HTTP=; [ "${2:-}" = "--no-http-client" ] && NO_HTTP=1
[ -f "$T/prefix/include/veil/module.modulemap" ] && pass "the Swift module map is installed" || fail "no module.modulemap"
if [ -n "$NO_HTTP" ]; then
  [ ! -e "$T/prefix/bin/veil" ] && pass "no tools without the HTTP client" || fail "tools installed without the HTTP client"
else
  [ -x "$T/prefix/bin/veil-collector" ] && [ -x "$T/prefix/bin/veil" ] && pass "veil and veil-collector installed" || fail "veil or veil-collector not installed"
fi
if [ -x "$T/prefix/bin/veil-collector" ]; then
  "$T/prefix/bin/veil-collector" --db "sqlite://$T/inst.db" --listen 127.0.0.1:0 >"$T/coll.out" 2>"$T/coll.err" &
  cpid=$!
  wait_line "$T/coll.out" '^listening on ' 400 && pass "the installed collector starts on its installed defaults" \
    || fail "the installed collector did not start: $(cat "$T/coll.err")"
  kill $cpid 2>/dev/null; wait $cpid 2>/dev/null
  mv "$T/prefix/share/veil/policy.json" "$T/policy.moved"
  expect_rc 1 "the collector without its installed policy fails" -- "$T/prefix/bin/veil-collector" --db "sqlite://$T/inst2.db" --listen 127.0.0.1:0
  expect_no_grep "$T/err" "$S/config" "the error does not point into the source tree"
  mv "$T/policy.moved" "$T/prefix/share/veil/policy.json"
fi
gen=(); command -v ninja >/dev/null && gen=(-G Ninja)
# A sanitized libveil (the ASan CI build) needs the consumer linked with the same runtime.
san=(); [ -n "${VEIL_SAN_FLAGS:-}" ] && san=("-DCMAKE_C_FLAGS=$VEIL_SAN_FLAGS" "-DCMAKE_CXX_FLAGS=$VEIL_SAN_FLAGS" "-DCMAKE_EXE_LINKER_FLAGS=$VEIL_SAN_FLAGS")
expect_rc 0 "configure the consumer" -- cmake -S "$S/tests/cmake" -B "$T/consumer" "${gen[@]}" -DCMAKE_PREFIX_PATH="$T/prefix" -DCMAKE_BUILD_TYPE=Release "${san[@]}"
expect_rc 0 "build the consumer" -- cmake --build "$T/consumer"
P=$(ls "$T"/prefix/share/veil/policy.json)
expect_rc 0 "C++ consumer records an event" -- "$T/consumer/consumer_cpp" "$P" "$T/state-cpp"
expect_grep "$T/out" '"stored":1' "the C++ consumer's event was stored"
expect_rc 0 "C consumer records an event" -- "$T/consumer/consumer_c" "$P" "$T/state-c"

# Both consumers against a local HTTP server: the events must arrive cleaned.
SRV_BIN=${1:-}
if [ -n "$NO_HTTP" ]; then
  pass "no HTTP client: the consumers' upload part is left out"
elif [ -n "$SRV_BIN" ] && [ -x "$SRV_BIN" ]; then
  D=$(ls "$T"/prefix/share/veil/zstd.dict)
  "$SRV_BIN" --out "$T/srv" --dict "$D" > "$T/url" &
  srv=$!
  for _ in $(seq 100); do [ -s "$T/url" ] && break; sleep 0.05; done
  url=$(head -1 "$T/url")
  expect_rc 0 "C++ consumer uploads to $url" -- "$T/consumer/consumer_cpp" "$P" "$T/up-cpp" "$url" "$D"
  expect_rc 0 "C consumer uploads to $url" -- "$T/consumer/consumer_c" "$P" "$T/up-c" "$url" "$D"
  kill $srv 2>/dev/null; wait $srv 2>/dev/null
  cat "$T"/srv/req-*.json > "$T/all.json" 2>/dev/null || true
  expect_grep "$T/all.json" '"app.started"' "the C++ consumer's event arrived"
  expect_grep "$T/all.json" '"rating.submitted"' "the C consumer's event arrived"
  expect_grep "$T/all.json" '<phone>' "the C consumer's comment arrived scrubbed"
  expect_no_grep "$T/all.json" 'carol@example.com|cpp-consumer-1|1234567' "no personal value arrived"
else
  fail "no test server binary given"
fi
finish
