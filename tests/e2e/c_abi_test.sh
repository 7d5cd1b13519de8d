#!/usr/bin/env bash
# The C ABI from C: c_abi_test (built as C) against veil_test_server; the batch must arrive
# cleaned, through the built-in client and through the program's own host transport (whose
# batches must reach the server with the Idempotency-Keys the program saw).
#   c_abi_test.sh C_ABI_TEST_BIN TEST_SERVER_BIN [--host-only]
. "$(dirname "$0")/lib.sh"
C_BIN=${1:?}; SRV_BIN=${2:?}; S=$VEIL_SOURCE_DIR
# VEIL_EMULATOR: qemu-user for a cross build's programs (empty otherwise; split on purpose).
EMU=(${VEIL_EMULATOR:-})
"${EMU[@]}" "$SRV_BIN" --out "$T/srv" --dict "$S/config/zstd.dict" > "$T/url" &
srv=$!
trap 'kill $srv 2>/dev/null; wait $srv 2>/dev/null; rm -rf "$T"' EXIT
for _ in $(seq 100); do [ -s "$T/url" ] && break; sleep 0.05; done
url=$(head -1 "$T/url")
expect_rc 0 "C program records and flushes against $url" -- "${EMU[@]}" "$C_BIN" "$S/config/policy.json" "$T/state" "$url" "$S/config/zstd.dict" ${3:-}
cp "$T/out" "$T/c_out"
cat "$T/err" >&2
sleep 0.1
cat "$T"/srv/req-*.json > "$T/all.json" 2>/dev/null || true
cat "$T"/srv/req-*.headers > "$T/all.headers" 2>/dev/null || true
expect_grep "$T/all.json" '"feature.used"' "the server decoded the batch"
if [ -z "${3:-}" ]; then expect_grep "$T/all.json" '"c-test"' "resource service.name"; fi
expect_grep "$T/all.json" '"c-host"' "the host transport's batches arrived (service.name c-host)"
expect_grep "$T/all.json" '"sync"' "the batch answered inside the callback arrived"
expect_no_grep "$T/all.json" 'alice@example.com' "no PII in the batch"
keys=$(sed -n 's/^host-key: //p' "$T/c_out")
[ "$(echo "$keys" | wc -w)" -eq 2 ] || fail "expected 2 host-key lines: $keys"
for k in $keys; do
  expect_grep "$T/all.headers" "^idempotency-key: $k\$" "the server got host batch $k with its Idempotency-Key"
done
# The retried batch went over the wire once: its 503 was made up by the program.
[ "$(grep -c "^idempotency-key: $(echo "$keys" | head -1)\$" "$T/all.headers")" -eq 1 ] ||
  fail "the retried batch reached the server more than once"
finish
