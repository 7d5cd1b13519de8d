#include "agent/crash/crash_scrub.hpp"

#include "agent/policy/actions.hpp"
#include "agent/policy/text_scanner.hpp"

namespace veil::detail::crash {

std::string scrub_text(std::string_view in, redaction_counts& counts) {
  static const text_scanner scanner;
  std::string paths;
  const auto users = scrub_path_users(in, paths);
  if (users) counts.add(token_class::user, users);
  std::string out;
  scanner.scrub(paths, out, counts);
  return out;
}

std::string scrub_text_noexcept(std::string_view in) noexcept {
  try {
    redaction_counts c;
    return scrub_text(in, c);
  } catch (...) {
    return std::string();
  }
}

}  // namespace veil::detail::crash
