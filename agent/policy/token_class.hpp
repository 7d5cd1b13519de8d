// Token classes of personal data found in free text, with their placeholders (docs/events.md).
// Pure constants; thread-safe.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace veil::detail {

// The one list of token classes: the enum, the count, the names and the placeholders are made
// from it, so they cannot disagree. A new class goes here (at the end: the values are stored
// counts' indices) and into docs/events.md.
#define VEIL_TOKEN_CLASSES(X)                                                \
  X(ip)     /* IPv4, IPv6 (all textual forms)                             */ \
  X(email)  /* e-mail address                                             */ \
  X(phone)  /* phone number                                               */ \
  X(sip)    /* sip:/sips:/tel: URI, SIP user parts                        */ \
  X(mac)    /* MAC address                                                */ \
  X(id)     /* IMEI, IMSI, ICCID, Call-ID, tag, branch, instance ids      */ \
  X(user)   /* user name (path segment, display name, digest username)    */ \
  X(card)   /* payment card number (Luhn)                                 */ \
  X(secret) /* password=, token=, Bearer, digest response, URL userinfo   */ \
  X(geo)    /* coordinates "52.520008, 13.404954"                         */

enum class token_class : std::uint8_t {
#define VEIL_TOKEN_CLASS_ENUM(n) n,
  VEIL_TOKEN_CLASSES(VEIL_TOKEN_CLASS_ENUM)
#undef VEIL_TOKEN_CLASS_ENUM
};
inline constexpr std::size_t token_class_count = 0
#define VEIL_TOKEN_CLASS_ONE(n) +1
    VEIL_TOKEN_CLASSES(VEIL_TOKEN_CLASS_ONE)
#undef VEIL_TOKEN_CLASS_ONE
    ;

inline constexpr std::array<std::string_view, token_class_count> token_class_names = {
#define VEIL_TOKEN_CLASS_NAME(n) #n,
    VEIL_TOKEN_CLASSES(VEIL_TOKEN_CLASS_NAME)
#undef VEIL_TOKEN_CLASS_NAME
};
/// `<name>` of each class.
inline constexpr std::array<std::string_view, token_class_count> token_placeholders = {
#define VEIL_TOKEN_CLASS_PLACEHOLDER(n) "<" #n ">",
    VEIL_TOKEN_CLASSES(VEIL_TOKEN_CLASS_PLACEHOLDER)
#undef VEIL_TOKEN_CLASS_PLACEHOLDER
};

constexpr std::string_view placeholder(token_class c) noexcept {
  return token_placeholders[static_cast<std::size_t>(c)];
}
constexpr std::string_view name(token_class c) noexcept {
  return token_class_names[static_cast<std::size_t>(c)];
}

/// Replacement counts per token class.
struct redaction_counts {
  std::array<std::uint64_t, token_class_count> by_class{};
  void add(token_class c, std::uint64_t n = 1) noexcept {
    by_class[static_cast<std::size_t>(c)] += n;
  }
  std::uint64_t operator[](token_class c) const noexcept {
    return by_class[static_cast<std::size_t>(c)];
  }
  std::uint64_t total() const noexcept {
    std::uint64_t t = 0;
    for (auto v : by_class) t += v;
    return t;
  }
  redaction_counts& operator+=(const redaction_counts& o) noexcept {
    for (std::size_t i = 0; i < token_class_count; ++i) by_class[i] += o.by_class[i];
    return *this;
  }
};

}  // namespace veil::detail
