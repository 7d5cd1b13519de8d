#include "agent/policy/context_terms.hpp"

#include <algorithm>
#include <array>

namespace veil::detail {
namespace {
constexpr std::size_t max_terms = 64;
constexpr std::array<std::string_view, 34> stop_words = {
    "from",   "home", "user",    "test",    "info",    "admin",   "mobile",   "office", "work",
    "call",   "the",  "and",     "voip",    "sip",     "sips",    "tel",      "phone",  "android",
    "iphone", "wifi", "wi-fi",   "default", "unknown", "null",    "true",     "false",  "none",
    "guest",  "root", "support", "service", "contact", "private", "anonymous"};

char lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }
bool word_byte(char c) {
  auto u = static_cast<unsigned char>(c);
  return u >= 0x80 || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
         c == '_';
}
bool iequal(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (lower(a[i]) != lower(b[i])) return false;
  return true;
}
}  // namespace

void context_terms::add_term(std::string_view t) {
  while (!t.empty() && (t.front() == ' ' || t.front() == '"' || t.front() == '\''))
    t.remove_prefix(1);
  while (!t.empty() && (t.back() == ' ' || t.back() == '"' || t.back() == '\'' || t.back() == ',' ||
                        t.back() == '.'))
    t.remove_suffix(1);
  if (t.size() < 3 || t.size() > 64 || terms_.size() >= max_terms) return;
  std::size_t digits = 0, letters = 0;
  for (char c : t) {
    if (c >= '0' && c <= '9') ++digits;
    else if (word_byte(c)) ++letters;
  }
  if (letters == 0 && digits < 7) return;  // short numbers are not identifiers
  for (auto s : stop_words)
    if (iequal(t, s)) return;
  for (auto x : terms_)
    if (iequal(x, t)) return;
  terms_.push_back(t);
}

void context_terms::add_value(std::string_view v) {
  if (v.size() > 256) return;
  // A value made only of common words ("Home Office") identifies nobody.
  bool all_common = true;
  std::size_t from = 0;
  for (std::size_t i = 0; i <= v.size() && all_common; ++i) {
    if (i < v.size() && v[i] != ' ') continue;
    std::string_view w = v.substr(from, i - from);
    from = i + 1;
    if (w.empty()) continue;
    bool common = false;
    for (auto s : stop_words) common = common || iequal(w, s);
    all_common = common;
  }
  if (all_common) return;
  add_term(v);
  std::size_t words = static_cast<std::size_t>(std::count(v.begin(), v.end(), ' ')) + 1;
  if (words < 2 || words > 4) return;
  std::size_t start = 0;
  for (std::size_t i = 0; i <= v.size(); ++i) {
    if (i == v.size() || v[i] == ' ') {
      add_term(v.substr(start, i - start));
      start = i + 1;
    }
  }
}

std::size_t context_terms::redact(std::string_view in, std::string& out) const {
  std::size_t n = 0, copied = 0, i = 0;
  while (i < in.size()) {
    if (i > 0 && word_byte(in[i - 1]) && word_byte(in[i])) {
      ++i;
      continue;
    }
    std::size_t best = 0;
    for (auto t : terms_) {
      if (t.size() <= best || i + t.size() > in.size()) continue;
      if (!iequal(in.substr(i, t.size()), t)) continue;
      std::size_t e = i + t.size();
      if (e < in.size() && word_byte(in[e]) && word_byte(t.back())) continue;
      best = t.size();
    }
    if (best) {
      out.append(in.data() + copied, i - copied);
      out += "<user>";
      i += best;
      copied = i;
      ++n;
    } else {
      ++i;
    }
  }
  out.append(in.data() + copied, in.size() - copied);
  return n;
}

}  // namespace veil::detail
