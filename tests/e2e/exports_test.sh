#!/usr/bin/env bash
# libveil.so exports only the C ABI (veil_*) and the public C++ API (veil::, not veil::detail).
#   exports_test.sh LIBVEIL_SO
. "$(dirname "$0")/lib.sh"
LIB=${1:?}
command -v nm >/dev/null || { echo "nm not found: skipped"; exit 77; }
nm -D --defined-only "$LIB" | awk '{print $3}' | sort -u > "$T/raw"
nm -D --defined-only -C "$LIB" | cut -d' ' -f3- | sort -u > "$T/demangled"
[ -s "$T/raw" ] && pass "$(wc -l < "$T/raw") exported symbols" || fail "no exported symbols"
# Mangled C++ names of namespace veil start with _ZN4veil (functions) or _ZNK4veil (const members).
grep -vE '^(veil_[a-z0-9_]+|_ZNK?4veil.*)$' "$T/raw" > "$T/other" || true
[ ! -s "$T/other" ] && pass "only veil_* and veil:: symbols" || fail "unexpected exports: $(head -20 "$T/other")"
expect_no_grep "$T/demangled" 'veil::detail::' "no veil::detail symbols"
for f in veil_agent_open veil_agent_open_config veil_agent_record_json veil_agent_set_consent veil_agent_get_consent \
         veil_agent_set_under_16 veil_agent_flush veil_agent_stats_json veil_agent_close veil_string_free \
         veil_status_str veil_options_new veil_options_free veil_options_set_policy_file veil_options_set_endpoint; do
  grep -qx "$f" "$T/raw" || fail "$f not exported"
done
pass "C entry points exported"
expect_grep "$T/demangled" '^veil::agent::record\(' "veil::agent::record exported"
# Collector-only code (the OTLP reader, the cleaned-data contract, SQLite) does not ship inside
# libveil: its link units are not linked into the shared library. The full symbol table (local
# symbols too) must not name them; the encoder must be there, so the check can fail.
nm -C "$LIB" | cut -d' ' -f3- | sort -u > "$T/all"
expect_grep "$T/all" 'veil::detail::otlp_encoder::encode|veil::detail::batch_codec::compress' "the OTLP encoder and batch codec are in libveil"
expect_no_grep "$T/all" 'veil::detail::otlp_decoder' "no OTLP decoder in libveil"
expect_no_grep "$T/all" 'veil::detail::contract::|veil::collector::' "no contract checker or collector code in libveil"
expect_no_grep "$T/all" 'sqlite3_' "no SQLite in libveil"
finish
