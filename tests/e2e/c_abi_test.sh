#!/usr/bin/env bash
# The C ABI from C: c_abi_test (built as C) against veil_test_server; the batch must arrive
# cleaned.   c_abi_test.sh C_ABI_TEST_BIN TEST_SERVER_BIN
. "$(dirname "$0")/lib.sh"
C_BIN=${1:?}; SRV_BIN=${2:?}; S=$VEIL_SOURCE_DIR
"$SRV_BIN" --out "$T/srv" --dict "$S/config/zstd.dict" > "$T/url" &
srv=$!
trap 'kill $srv 2>/dev/null; wait $srv 2>/dev/null; rm -rf "$T"' EXIT
for _ in $(seq 100); do [ -s "$T/url" ] && break; sleep 0.05; done
url=$(head -1 "$T/url")
expect_rc 0 "C program records and flushes against $url" -- "$C_BIN" "$S/config/policy.json" "$T/state" "$url" "$S/config/zstd.dict"
cat "$T/err" >&2
sleep 0.1
cat "$T"/srv/req-*.json > "$T/all.json" 2>/dev/null || true
expect_grep "$T/all.json" '"feature.used"' "the server decoded the batch"
expect_grep "$T/all.json" '"c-test"' "resource service.name"
expect_no_grep "$T/all.json" 'alice@example.com' "no PII in the batch"
finish
