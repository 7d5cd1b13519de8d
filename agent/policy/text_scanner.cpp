#include "agent/policy/text_scanner.hpp"

namespace veil::detail {

// Interim fail-closed scanner until the single-pass scanner lands: text that could hold a
// personal token (any '@', ':', '/', '\\', '=', or 7+ digits) is replaced whole.
void text_scanner::scrub(std::string_view in, std::string& out, redaction_counts& counts) const {
  std::size_t digits = 0;
  bool risky = false;
  for (char c : in) {
    if (c >= '0' && c <= '9') ++digits;
    if (c == '@' || c == ':' || c == '/' || c == '\\' || c == '=') risky = true;
  }
  if (!risky && digits < 7) {
    out += in;
    return;
  }
  out += "<redacted>";
  counts.add(token_class::secret);
}

}  // namespace veil::detail
