// The free-text PII scanner behind the `text` action (docs/events.md, "Personal tokens that free
// text must catch"; docs/scanner.md for the normalisation and the default-deny pass). It finds
// personal tokens in one left-to-right pass without std::regex, validates candidates (IPv4 octets,
// IPv6 via inet_pton, Luhn, ICCID prefix) and replaces each with its typed placeholder, keeping
// benign look-alikes (versions, times, hex addresses, SIP status lines, ports after a removed
// address). Immutable after construction: scrub() is const and safe to call from any number of
// threads. Never throws on any input bytes.
#pragma once

#include <string>
#include <string_view>

#include "agent/policy/scanner/text_memory.hpp"
#include "agent/policy/token_class.hpp"

namespace veil::detail {

class text_scanner {
 public:
  text_scanner() = default;

  /// Appends the scrubbed form of `in` to `out` and adds one count per replaced token to
  /// `counts`. `in` may be any bytes: it is normalised first (invalid UTF-8 becomes U+FFFD,
  /// digits of every script and full-width forms become ASCII, escapes are decoded), then
  /// scanned by shape, then (with `deny`) classified by the default-deny rule (docs/scanner.md).
  /// `deny` false runs the detectors by shape only, without the default-deny classifier
  /// (docs/scanner.md): the guard over values a policy keeps on purpose (module and function
  /// names of crash frames, enum-like strings), where every unknown word is not a name.
  void scrub(std::string_view in, std::string& out, redaction_counts& counts,
             bool deny = true) const;

  /// The same, for one piece of a stream: `memory` carries what earlier pieces taught (values
  /// replaced for their position) into this one and takes what this one teaches.
  void scrub(std::string_view in, std::string& out, redaction_counts& counts,
             text_memory& memory) const;

  /// Convenience for tests and tools.
  std::string scrub(std::string_view in) const {
    std::string out;
    redaction_counts c;
    scrub(in, out, c);
    return out;
  }
};

}  // namespace veil::detail
