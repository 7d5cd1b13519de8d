// Event-local identifiers: values of fields the policy marks `"context": true` (display names,
// user names, contact names) are also removed from the same event's free text, where no
// pattern could recognise them ("— Kwame Mensah" at the end of a comment). Terms are views into
// the event being cleaned, valid for that clean() call only. Not thread-safe (one per call).
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace veil::detail {

class context_terms {
 public:
  void clear() noexcept { terms_.clear(); }
  bool empty() const noexcept { return terms_.empty(); }
  std::size_t size() const noexcept { return terms_.size(); }
  /// Adds a value: the whole value (up to 64 bytes) and, for up to 4 words, each word of >= 3
  /// bytes that is not a common word or a short number.
  void add_value(std::string_view v);
  /// Appends `in` to `out` with whole-word, ASCII-case-insensitive occurrences of any term
  /// replaced by "<user>"; returns the number of replacements.
  std::size_t redact(std::string_view in, std::string& out) const;

 private:
  void add_term(std::string_view t);
  std::vector<std::string_view> terms_;
};

}  // namespace veil::detail
