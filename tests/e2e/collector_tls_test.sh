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
body='{"resourceLogs":[{"resource":{"attributes":[]},"scopeLogs":[{"scope":{"name":"veil"},"logRecords":[{"timeUnixNano":"'"$(date +%s)000000000"'","eventName":"feature.used","attributes":[{"key":"veil.category","value":{"stringValue":"usage"}},{"key":"feature","value":{"stringValue":"chat"}}]}]}]}]}'
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

# Cipher suites: TLS 1.2 forward-secret AEAD only, TLS 1.3 preferred, no renegotiation. An RSA
# leaf too, so static-RSA key exchange could be offered if the list allowed it.
hs() {  # hs PORT ARGS...: 0 when a handshake with these s_client options completes
  local p=$1; shift
  echo | timeout 10 openssl s_client -connect "127.0.0.1:$p" -CAfile ca.pem "$@" >hs.txt 2>&1 &&
    grep -q 'Cipher is [A-Z]' hs.txt && ! grep -q 'Cipher is (NONE)' hs.txt
}
for p_args in "$port:-tls1_2 -cipher ECDHE-ECDSA-AES128-GCM-SHA256" "$port:-tls1_3"; do
  hs "${p_args%%:*}" ${p_args#*:} && pass "handshake ${p_args#*:}" || fail "handshake ${p_args#*:} refused: $(tail -3 hs.txt)"
done
for c in ECDHE-ECDSA-AES128-SHA ECDHE-ECDSA-AES256-SHA384 ECDHE-ECDSA-AES128-SHA256; do
  hs "$port" -tls1_2 -cipher "$c" && fail "CBC suite $c accepted" || pass "CBC suite $c refused"
done
hs "$port" -tls1_1 && fail "TLS 1.1 accepted" || pass "TLS 1.1 refused"
echo | timeout 10 openssl s_client -connect "127.0.0.1:$port" -CAfile ca.pem >hs.txt 2>&1
expect_grep hs.txt 'TLSv1\.3' "a default client negotiates TLS 1.3"
openssl req -x509 -CA ca.pem -CAkey ca.key -newkey rsa:2048 -nodes -days 2 -keyout rsa.key -out rsa.pem \
  -subj /CN=localhost -addext subjectAltName=IP:127.0.0.1 >/dev/null 2>&1
"$C" --db "sqlite://$T/r.db" --listen 127.0.0.1:0 --tls-cert rsa.pem --tls-key rsa.key > out2.txt 2> err2.txt &
pid2=$!
trap 'kill $pid $pid2 2>/dev/null; wait $pid $pid2 2>/dev/null; rm -rf "$T"' EXIT
wait_line out2.txt '^listening on ' 200 || fail "RSA collector did not start: $(cat err2.txt)"
port2=$(sed -n 's/^listening on .*:\([0-9]*\)$/\1/p' out2.txt)
hs "$port2" -tls1_2 -cipher ECDHE-RSA-AES128-GCM-SHA256 && pass "RSA leaf: ECDHE-RSA AEAD accepted" || fail "ECDHE-RSA-AES128-GCM-SHA256 refused: $(tail -3 hs.txt)"
for c in AES128-GCM-SHA256 AES256-SHA AES128-SHA ECDHE-RSA-AES128-SHA; do
  hs "$port2" -tls1_2 -cipher "$c" && fail "RSA leaf: $c accepted" || pass "RSA leaf: $c refused (static RSA or CBC-SHA1)"
done
# Renegotiation: s_client's "R" line asks for it; the server must refuse with a no_renegotiation
# alert, and the connection does not go on to answer a request after it.
{ sleep 1; echo R; sleep 1; printf 'GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'; sleep 1; } |
  timeout 10 openssl s_client -connect "127.0.0.1:$port2" -CAfile ca.pem -tls1_2 >reneg.txt 2>&1
expect_grep reneg.txt 'RENEGOTIATING' "the client asked to renegotiate"
expect_grep reneg.txt 'no renegotiation' "the server refused renegotiation (no_renegotiation alert)"
expect_no_grep reneg.txt '^ok$' "no request was answered after it"
finish
