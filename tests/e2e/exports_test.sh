#!/usr/bin/env bash
# libveil.so exports only the C ABI (veil_*) and the public C++ API (veil::, not veil::detail).
# With --no-http-client (VEIL_HTTP_CLIENT=OFF) it also needs no OpenSSL or Boost library.
#   exports_test.sh LIBVEIL_SO [--no-http-client]
. "$(dirname "$0")/lib.sh"
LIB=${1:?}
NM=${VEIL_NM:-nm}  # the target's nm in a cross build
command -v "$NM" >/dev/null || { echo "$NM not found: skipped"; exit 77; }
"$NM" -D --defined-only "$LIB" | awk '{print $3}' | sort -u > "$T/raw"
"$NM" -D --defined-only -C "$LIB" | cut -d' ' -f3- | sort -u > "$T/demangled"
[ -s "$T/raw" ] && pass "$(wc -l < "$T/raw") exported symbols" || fail "no exported symbols"
# Mangled C++ names of namespace veil start with _ZN4veil (functions) or _ZNK4veil (const members).
grep -vE '^(veil_[a-z0-9_]+|_ZNK?4veil.*)$' "$T/raw" > "$T/other" || true
[ ! -s "$T/other" ] && pass "only veil_* and veil:: symbols" || fail "unexpected exports: $(head -20 "$T/other")"
expect_no_grep "$T/demangled" 'veil::detail::' "no veil::detail symbols"
for f in veil_agent_open veil_agent_open_config veil_agent_record_json veil_agent_set_consent veil_agent_get_consent \
         veil_agent_set_under_16 veil_agent_flush veil_agent_stats_json veil_agent_close veil_string_free \
         veil_status_str veil_options_new veil_options_free veil_options_set_policy_file veil_options_set_endpoint \
         veil_version veil_last_open_error veil_options_load_config veil_options_set_transport veil_options_set_log \
         veil_agent_transport_done veil_agent_transport_done_body veil_agent_record_json_n veil_options_set_spki_pin; do
  grep -qx "$f" "$T/raw" || fail "$f not exported"
done
pass "C entry points exported"
expect_grep "$T/demangled" '^veil::agent::record\(' "veil::agent::record exported"
# Collector-only code (the OTLP reader, the cleaned-data contract, SQLite) does not ship inside
# libveil: its link units are not linked into the shared library. The full symbol table (local
# symbols too) must not name them; the encoder must be there, so the check can fail.
"$NM" -C "$LIB" | cut -d' ' -f3- | sort -u > "$T/all"
expect_grep "$T/all" 'veil::detail::otlp_encoder::encode|veil::detail::batch_codec::compress' "the OTLP encoder and batch codec are in libveil"
expect_no_grep "$T/all" 'veil::detail::otlp_decoder' "no OTLP decoder in libveil"
expect_no_grep "$T/all" 'veil::detail::contract::|veil::collector::' "no contract checker or collector code in libveil"
expect_no_grep "$T/all" 'sqlite3_' "no SQLite in libveil"
if command -v readelf >/dev/null; then
  readelf -d "$LIB" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p' > "$T/needed"
  pass "needs: $(tr '\n' ' ' < "$T/needed")"
  if [ "${2:-}" = "--no-http-client" ]; then
    expect_no_grep "$T/needed" '^lib(ssl|crypto|boost_)' "no OpenSSL or Boost library without the HTTP client"
    expect_no_grep "$T/all" 'boost::beast|SSL_CTX_new' "no Beast or TLS code without the HTTP client"
    expect_grep "$T/all" 'host_uploader' "the host transport is in libveil"
  else
    expect_grep "$T/needed" '^libssl' "the built-in HTTP client links OpenSSL"
  fi
fi
finish
