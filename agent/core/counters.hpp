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

// The one list of drop reasons: the enum, the count and the names are made from it. Append
// only (the values index stored and reported counters).
#define VEIL_DROP_REASONS(X)                                                               \
  /* event rejected while parsing the raw envelope */                                      \
  X(parse_error)    /* malformed JSON */                                                   \
  X(invalid_utf8)   /* not UTF-8 */                                                        \
  X(too_large)      /* event bigger than limits.max_event_bytes */                         \
  X(too_deep)       /* nesting deeper than limits.max_depth */                             \
  X(limit_exceeded) /* a string or array over its limit */                                 \
  X(bad_envelope)   /* type/ts/attrs missing or of the wrong type */                       \
  /* event dropped by policy or consent */                                                 \
  X(unknown_type)  /* type not named by the policy (default deny) */                       \
  X(not_consented) /* its category is not granted */                                       \
  /* field-level (the event goes on without the field) */                                  \
  X(field_denied)  /* field not named by the policy (default deny) */                      \
  X(field_dropped) /* policy says drop */                                                  \
  X(invalid_value) /* action could not transform the value: dropped, never passed raw */   \
  X(no_key)        /* pseudonym wanted but no key for this instant */                      \
  /* storage and upload */                                                                 \
  X(queue_full)                                                                            \
  X(spool_full)                                                                            \
  X(too_old)                                                                               \
  X(retry_exhausted)                                                                       \
  X(rejected_by_server)                                                                    \
  X(corrupt)                                                                               \
  X(erasure_pending)      /* collected while an erasure request waits for the receipt */   \
  X(install_erased)       /* 410: the collector erased this install token; key rotated */  \
  X(install_key_conflict) /* 409: the token is bound to another device key; key rotated */ \
  X(privacy_budget)       /* aggregate LDP: the type's epsilon budget of the day is spent */

enum class drop_reason : std::uint8_t {
#define VEIL_DROP_REASON_ENUM(n) n,
  VEIL_DROP_REASONS(VEIL_DROP_REASON_ENUM)
#undef VEIL_DROP_REASON_ENUM
};
inline constexpr std::size_t drop_reason_count = 0
#define VEIL_DROP_REASON_ONE(n) +1
    VEIL_DROP_REASONS(VEIL_DROP_REASON_ONE)
#undef VEIL_DROP_REASON_ONE
    ;

inline constexpr std::array<std::string_view, drop_reason_count> drop_reason_names = {
#define VEIL_DROP_REASON_NAME(n) #n,
    VEIL_DROP_REASONS(VEIL_DROP_REASON_NAME)
#undef VEIL_DROP_REASON_NAME
};

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
