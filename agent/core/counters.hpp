// Drop and rejection counters by reason (every drop and redaction is counted by reason; counts,
// never values, reach logs). One enum for every stage so the CLI, the agent's stats and logs speak
// one vocabulary. Plain values; aggregate with +=. Not thread-safe by itself (the agent keeps
// atomics).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace veil::detail {

enum class drop_reason : std::uint8_t {
  // event rejected while parsing the raw envelope
  parse_error,     // malformed JSON
  invalid_utf8,    // not UTF-8
  too_large,       // event bigger than limits.max_event_bytes
  too_deep,        // nesting deeper than limits.max_depth
  limit_exceeded,  // a string or array over its limit
  bad_envelope,    // type/ts/attrs missing or of the wrong type
  // event dropped by policy or consent
  unknown_type,   // type not named by the policy (default deny)
  not_consented,  // its category is not granted
  // field-level (the event goes on without the field)
  field_denied,   // field not named by the policy (default deny)
  field_dropped,  // policy says drop
  invalid_value,  // action could not transform the value: dropped, never passed raw
  no_key,         // pseudonym wanted but no key for this instant
  // storage and upload
  queue_full,
  spool_full,
  too_old,
  retry_exhausted,
  rejected_by_server,
  corrupt,
  erasure_pending,       // collected while an erasure request waits for the collector's receipt
  install_erased,        // 410: the collector erased this install token; the key is rotated
  install_key_conflict,  // 409: the token is bound to another device key; the key is rotated
  privacy_budget,        // aggregate LDP: the type's ε budget of the day is spent
};
inline constexpr std::size_t drop_reason_count = 22;

inline constexpr std::array<std::string_view, drop_reason_count> drop_reason_names = {
    "parse_error",          "invalid_utf8",  "too_large",       "too_deep",
    "limit_exceeded",       "bad_envelope",  "unknown_type",    "not_consented",
    "field_denied",         "field_dropped", "invalid_value",   "no_key",
    "queue_full",           "spool_full",    "too_old",         "retry_exhausted",
    "rejected_by_server",   "corrupt",       "erasure_pending", "install_erased",
    "install_key_conflict", "privacy_budget"};

constexpr std::string_view name(drop_reason r) noexcept {
  return drop_reason_names[static_cast<std::size_t>(r)];
}

struct drop_counters {
  std::array<std::uint64_t, drop_reason_count> by_reason{};
  void add(drop_reason r, std::uint64_t n = 1) noexcept {
    by_reason[static_cast<std::size_t>(r)] += n;
  }
  std::uint64_t operator[](drop_reason r) const noexcept {
    return by_reason[static_cast<std::size_t>(r)];
  }
  drop_counters& operator+=(const drop_counters& o) noexcept {
    for (std::size_t i = 0; i < drop_reason_count; ++i) by_reason[i] += o.by_reason[i];
    return *this;
  }
};

}  // namespace veil::detail
