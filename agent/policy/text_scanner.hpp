// The free-text PII scanner behind the `text` action (docs/events.md, "Personal tokens that free
// text must catch"). It finds personal tokens in one left-to-right pass without std::regex,
// validates candidates (IPv4 octets, IPv6 via inet_pton, Luhn, ICCID prefix) and replaces each
// with its typed placeholder, keeping benign look-alikes (versions, times, hex addresses, SIP
// status lines, ports after a removed address). Immutable after construction: scrub() is
// const and safe to call from any number of threads. Never throws on any input bytes.
#pragma once

#include <string>
#include <string_view>

#include "agent/policy/token_class.hpp"

namespace veil::detail {

class text_scanner {
 public:
  text_scanner() = default;

  /// Appends the scrubbed form of `in` to `out` and adds one count per replaced token to
  /// `counts`. `in` may be any bytes (invalid UTF-8 is passed through byte-wise).
  void scrub(std::string_view in, std::string& out, redaction_counts& counts) const;

  /// Convenience for tests and tools.
  std::string scrub(std::string_view in) const {
    std::string out;
    redaction_counts c;
    scrub(in, out, c);
    return out;
  }
};

}  // namespace veil::detail
