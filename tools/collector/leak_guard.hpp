// The collector's independent leak detector (issue 11, item 5): a second opinion on every
// stored string that shares no detection code with the agent's text scanner, so one blind spot
// in the scanner does not become a stored leak. Broad by design: RE2 multi-pattern matching
// (one RE2::Set pass per string, then a per-class confirmation) over every string value and
// every key of a record, after Unicode folding (digits of every script, full-width forms,
// spaces). Flags any e-mail-like `x@y`, any URI with a user part (sip:, sips:, tel:, mailto:,
// xmpp:), any run of seven or more digits with separators (phone numbers, IMEI, ICCID, card
// numbers), any IPv4 or IPv6 address that is not a canonical network prefix, MAC addresses,
// UUIDs, high-entropy tokens (keys, hashes, base64), home-directory paths with a user name,
// `secret=value` pairs, and coordinate pairs with four or more decimals. What it allows is
// explicit: the agent's placeholders (`<phone>`, `<id>`, ...), a whole value of the
// pseudonym's shape (32 lowercase hex), canonical network prefixes (`198.51.100.0/24`), dates,
// times and compact timestamps, versions of up to three parts, `0x` hex addresses.
//
// A flagged record is quarantined with reason "leak:<class>" (never the value). Immutable after
// construction; check() is thread-safe.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "tools/collector/cleaned_record.hpp"

namespace veil::collector {

class leak_guard {
 public:
  leak_guard();
  ~leak_guard();
  leak_guard(leak_guard&&) noexcept;
  leak_guard& operator=(leak_guard&&) noexcept;

  /// The class of the first personal token in `s` ("email", "uri_user", "number", "ip",
  /// "mac", "uuid", "token", "path_user", "secret", "geo"), or nullopt. `whole_value`: `s` is a
  /// whole field value (then a value of the pseudonym's shape or a network prefix is allowed).
  std::optional<std::string> scan(std::string_view s, bool whole_value = true) const;

  /// "leak:<class>" for the first string or key of `r` that scan() flags, or nullopt.
  std::optional<std::string> check(const cleaned_record& r) const;

 private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

}  // namespace veil::collector
