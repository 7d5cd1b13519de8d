#!/usr/bin/env bash
# veil-collector over HTTPS: a throw-away CA signs a leaf for 127.0.0.1; curl trusting that CA
# posts an OTLP batch (200, stored); curl without the CA is refused by verification; plain HTTP
# to the TLS port gets no 200.   collector_tls_test.sh COLLECTOR_BIN
. "$(dirname "$0")/lib.sh"
C=${1:?}
command -v curl >/dev/null || { echo "SKIP: curl not found"; exit 77; }
command -v openssl >/dev/null || { echo "SKIP: openssl not found"; exit 77; }
cd "$T"
ec="-newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2"
openssl req -x509 $ec -keyout ca.key -out ca.pem -subj "/CN=Veil TLS test CA" \
  -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign >/dev/null 2>&1
openssl req -x509 -CA ca.pem -CAkey ca.key $ec -keyout leaf.key -out leaf.pem -subj /CN=localhost \
  -addext subjectAltName=DNS:localhost,IP:127.0.0.1 -addext extendedKeyUsage=serverAuth >/dev/null 2>&1 \
  || { echo "SKIP: this openssl cannot sign with -CA"; exit 77; }
"$C" --db "sqlite://$T/c.db" --listen 127.0.0.1:0 --tls-cert leaf.pem --tls-key leaf.key > out.txt 2> err.txt &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; rm -rf "$T"' EXIT
for _ in $(seq 200); do grep -q '^listening on ' out.txt && break; sleep 0.05; done
port=$(sed -n 's/^listening on .*:\([0-9]*\)$/\1/p' out.txt)
[ -n "$port" ] && pass "collector listens with TLS on $port" || { fail "no port: $(cat err.txt)"; finish; }
body='{"resourceLogs":[{"resource":{"attributes":[]},"scopeLogs":[{"scope":{"name":"veil"},"logRecords":[{"timeUnixNano":"1795947307000000000","eventName":"feature.used","attributes":[{"key":"veil.category","value":{"stringValue":"usage"}},{"key":"feature","value":{"stringValue":"chat"}}]}]}]}]}'
code=$(curl -s -o resp.txt -w '%{http_code}' --cacert ca.pem -H 'Content-Type: application/json' \
  -H 'Idempotency-Key: 0123456789abcdef0123456789abcdef' --data "$body" "https://127.0.0.1:$port/v1/logs")
[ "$code" = 200 ] && pass "HTTPS POST with the CA: 200" || fail "HTTPS POST: $code $(cat resp.txt)"
expect_grep resp.txt '"accepted":1' "the record was accepted"
code=$(curl -s -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' --data "$body" "https://127.0.0.1:$port/v1/logs")
[ "$code" = 000 ] && pass "without the CA the client refuses the certificate" || fail "unverified HTTPS gave $code"
code=$(curl -s -m 5 -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' --data "$body" "http://127.0.0.1:$port/v1/logs")
[ "$code" != 200 ] && pass "plain HTTP on the TLS port is not served ($code)" || fail "plain HTTP got 200"
code=$(curl -s -o /dev/null -w '%{http_code}' --cacert ca.pem "https://127.0.0.1:$port/healthz")
[ "$code" = 200 ] && pass "healthz over HTTPS" || fail "healthz: $code"
finish
