// Token classes of personal data found in free text, with their placeholders (docs/events.md).
// Pure constants; thread-safe.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace veil::detail {

enum class token_class : std::uint8_t {
  ip,      // IPv4, IPv6 (all textual forms)             -> <ip>
  email,   // e-mail address                             -> <email>
  phone,   // phone number                               -> <phone>
  sip,     // sip:/sips:/tel: URI, SIP user parts        -> <sip>
  mac,     // MAC address                                -> <mac>
  id,      // IMEI, IMSI, ICCID, Call-ID, tag, branch, instance ids -> <id>
  user,    // user name (path segment, display name, digest username) -> <user>
  card,    // payment card number (Luhn)                 -> <card>
  secret,  // password=, token=, Bearer, digest response, URL userinfo -> <secret>
  geo,     // coordinates "52.520008, 13.404954"         -> <geo>
};
inline constexpr std::size_t token_class_count = 10;

inline constexpr std::array<std::string_view, token_class_count> token_class_names = {
    "ip", "email", "phone", "sip", "mac", "id", "user", "card", "secret", "geo"};
inline constexpr std::array<std::string_view, token_class_count> token_placeholders = {
    "<ip>", "<email>", "<phone>", "<sip>",    "<mac>",
    "<id>", "<user>",  "<card>",  "<secret>", "<geo>"};

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
