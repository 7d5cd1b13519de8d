// The scrubber of every free text a crash report carries (breadcrumbs, exception messages,
// abort messages, thread names): user names in home paths first, then the free-text scanner
// with default deny (docs/scanner.md). Thread-safe (the scanner is immutable).
#pragma once

#include <string>
#include <string_view>

#include "agent/policy/token_class.hpp"

namespace veil::detail::crash {

/// Scrubs `in`; redactions are added to `counts`.
std::string scrub_text(std::string_view in, redaction_counts& counts);
/// Same, for the crash module's scrub_fn: never throws (an empty string if scrubbing failed).
std::string scrub_text_noexcept(std::string_view in) noexcept;

}  // namespace veil::detail::crash
