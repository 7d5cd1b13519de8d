// Minimal append-only JSON writer for the hot path: escapes strings per RFC 8259 (control
// characters as \u00XX, '<' '>' '&' kept), prints doubles in shortest round-trip form.
// Writes into a caller-owned std::string; no allocation beyond its growth. Not thread-safe.
#pragma once

#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

namespace veil::detail {

// True if one of the 8 bytes in v needs escaping: < 0x20, '"' or '\\'. Exact (the classic
// "has a zero byte" / "has a byte less than n" word tests, n <= 128), no per-byte branch.
constexpr bool json_needs_escape8(std::uint64_t v) noexcept {
  constexpr std::uint64_t ones = 0x0101010101010101ull, highs = 0x8080808080808080ull;
  const std::uint64_t q = v ^ (ones * '"'), b = v ^ (ones * '\\');
  return (((q - ones) & ~q) | ((b - ones) & ~b) | ((v - ones * 0x20) & ~v)) & highs;
}

inline void json_escape_to(std::string& out, std::string_view s) {
  static constexpr char hex[] = "0123456789abcdef";
  out.push_back('"');
  const char* const p = s.data();
  const std::size_t n = s.size();
  std::size_t run = 0;  // start of the bytes not yet written
  std::size_t i = 0;
  while (i < n) {
    // Most strings need no escape: pass over them 8 bytes at a time, then byte by byte only
    // through a block that holds a byte to escape.
    if (i + 8 <= n) {
      std::uint64_t v;
      std::memcpy(&v, p + i, 8);
      if (!json_needs_escape8(v)) {
        i += 8;
        continue;
      }
    } else if (n >= 8) {  // the tail: the last 8 bytes, overlapping bytes already passed
      std::uint64_t v;
      std::memcpy(&v, p + n - 8, 8);
      if (!json_needs_escape8(v)) break;
    }
    for (const std::size_t end = i + 8 < n ? i + 8 : n; i < end; ++i) {
      const auto c = static_cast<unsigned char>(p[i]);
      if (c >= 0x20 && c != '"' && c != '\\') continue;
      out.append(p + run, i - run);
      run = i + 1;
      switch (c) {
        case '"': out += "\\\""; break;
        case '\\': out += "\\\\"; break;
        case '\n': out += "\\n"; break;
        case '\r': out += "\\r"; break;
        case '\t': out += "\\t"; break;
        case '\b': out += "\\b"; break;
        case '\f': out += "\\f"; break;
        default:
          out += "\\u00";
          out.push_back(hex[c >> 4]);
          out.push_back(hex[c & 15]);
      }
    }
  }
  out.append(p + run, n - run);
  out.push_back('"');
}

inline void json_number_to(std::string& out, std::int64_t v) {
  char buf[24];
  auto r = std::to_chars(buf, buf + sizeof buf, v);
  out.append(buf, r.ptr);
}
inline void json_number_to(std::string& out, std::uint64_t v) {
  char buf[24];
  auto r = std::to_chars(buf, buf + sizeof buf, v);
  out.append(buf, r.ptr);
}
inline void json_number_to(std::string& out, double v) {
  if (!std::isfinite(v)) {
    out += "null";
    return;
  }
  char buf[32];
  auto r = std::to_chars(buf, buf + sizeof buf, v);
  out.append(buf, r.ptr);
}

/// Writes `{"k":v,...}` with automatic commas.
class json_writer {
 public:
  explicit json_writer(std::string& out) : out_(out) {}
  void begin_object() {
    sep();
    out_.push_back('{');
    first_ = true;
  }
  void end_object() {
    out_.push_back('}');
    first_ = false;
  }
  void begin_array() {
    sep();
    out_.push_back('[');
    first_ = true;
  }
  void end_array() {
    out_.push_back(']');
    first_ = false;
  }
  void key(std::string_view k) {
    sep();
    json_escape_to(out_, k);
    out_.push_back(':');
    first_ = true;
  }
  void string(std::string_view s) {
    sep();
    json_escape_to(out_, s);
  }
  void raw(std::string_view s) {
    sep();
    out_ += s;
  }
  template <class N>
  void number(N v) {
    sep();
    json_number_to(out_, v);
  }
  void boolean(bool b) {
    sep();
    out_ += b ? "true" : "false";
  }
  void null() {
    sep();
    out_ += "null";
  }
  std::string& out() { return out_; }
  /// Marks that the next value is the first in its container (after a manual rollback).
  void set_first(bool f) { first_ = f; }
  bool first() const { return first_; }

 private:
  void sep() {
    if (!first_) out_.push_back(',');
    first_ = false;
  }
  std::string& out_;
  bool first_ = true;
};

}  // namespace veil::detail
