#include "agent/policy/text_scanner.hpp"

namespace veil::detail {

// Placeholder until the real scanner lands: redacts nothing is NOT acceptable, so until then
// the whole text is replaced (fail closed).
void text_scanner::scrub(std::string_view in, std::string& out, redaction_counts& counts) const {
  if (in.empty()) return;
  out += "<redacted>";
  counts.add(token_class::secret);
}

}  // namespace veil::detail
