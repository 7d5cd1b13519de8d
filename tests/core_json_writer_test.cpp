#include <doctest/doctest.h>

#include <string>

#include "agent/core/json_writer.hpp"

using veil::detail::json_escape_to;

namespace {
// An obviously correct escaper to compare json_escape_to against (guards later speedups).
std::string reference_escape(std::string_view s) {
  static constexpr char hex[] = "0123456789abcdef";
  std::string out = "\"";
  for (unsigned char c : s) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      default:
        if (c < 0x20) {
          out += "\\u00";
          out.push_back(hex[c >> 4]);
          out.push_back(hex[c & 15]);
        } else {
          out.push_back(static_cast<char>(c));
        }
    }
  }
  return out + "\"";
}
std::string escape(std::string_view s) {
  std::string out;
  json_escape_to(out, s);
  return out;
}
}  // namespace

TEST_SUITE("core") {
  TEST_CASE("json_escape_to: every byte at every position of short and block-sized strings") {
    for (std::size_t len = 1; len <= 26; ++len)
      for (std::size_t pos = 0; pos < len; ++pos)
        for (int b = 0; b < 256; ++b) {
          std::string s(len, 'a');
          s[pos] = static_cast<char>(b);
          if (pos + 1 < len) s[len - 1] = static_cast<char>(255 - b);  // a second byte, high or low
          REQUIRE(escape(s) == reference_escape(s));
        }
  }
  TEST_CASE("json_escape_to: plain, UTF-8 and mixed strings") {
    CHECK(escape("") == "\"\"");
    CHECK(escape("hello world, a longer plain string") == "\"hello world, a longer plain string\"");
    CHECK(escape("Grüße aus Köln — 東京") == "\"Grüße aus Köln — 東京\"");
    CHECK(escape("a\"b\\c\nd\x01"
                 "efghijklmnop\x1f") == "\"a\\\"b\\\\c\\nd\\u0001efghijklmnop\\u001f\"");
    std::uint64_t x = 12345;
    for (int i = 0; i < 2000; ++i) {
      std::string s;
      for (int k = 0; k < i % 70; ++k) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        s.push_back(static_cast<char>(x % 7 == 0 ? x % 40 : 32 + x % 224));
      }
      REQUIRE(escape(s) == reference_escape(s));
    }
  }
}
