// Unicode for the default-deny classifier and the normalisation pre-pass (docs/scanner.md):
// UTF-8 decoding that never fails (invalid bytes decode to U+FFFD, one byte at a time), the
// simple case fold the word table was built with (mirror of fold_char() in
// tools/wordlist/gen_wordlist.py: ASCII, Latin-1, Latin Extended-A, Greek, Cyrillic), the
// letter test (categories L and M) and the ASCII rewrite of a code point (Nd digits of every
// script, NFKC compatibility forms, spaces, dashes; category Cf removed). The tables are
// generated at build time from Python's unicodedata. Pure functions; thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

namespace veil::detail::unicode_data {
extern const std::size_t map_count;
extern const std::uint32_t map_cp[];
extern const std::uint32_t map_rep[];
extern const char map_pool[];
extern const std::size_t letter_count;
extern const std::uint32_t letter_lo[];
extern const std::uint32_t letter_hi[];
}  // namespace veil::detail::unicode_data

namespace veil::detail::uni {

inline constexpr char32_t replacement = 0xFFFD;

/// Decodes one code point at p[0, n) (n >= 1); sets `len` to the bytes used (1 for invalid
/// or truncated sequences, overlong forms and surrogates, which decode to U+FFFD).
inline char32_t decode(const unsigned char* p, std::size_t n, std::size_t& len) noexcept {
  const unsigned char c = p[0];
  len = 1;
  if (c < 0x80) return c;
  std::size_t need;
  char32_t cp;
  if (c >= 0xC2 && c <= 0xDF) {
    need = 1;
    cp = c & 0x1F;
  } else if (c >= 0xE0 && c <= 0xEF) {
    need = 2;
    cp = c & 0x0F;
  } else if (c >= 0xF0 && c <= 0xF4) {
    need = 3;
    cp = c & 0x07;
  } else {
    return replacement;
  }
  if (n < need + 1) return replacement;
  for (std::size_t k = 1; k <= need; ++k) {
    if ((p[k] & 0xC0) != 0x80) return replacement;
    cp = (cp << 6) | (p[k] & 0x3F);
  }
  if ((need == 2 && cp < 0x800) || (need == 3 && (cp < 0x10000 || cp > 0x10FFFF)) ||
      (cp >= 0xD800 && cp <= 0xDFFF))
    return replacement;
  len = need + 1;
  return cp;
}

/// UTF-8 of `cp` into b[0, 4); returns the length.
inline std::size_t encode(char32_t cp, char* b) noexcept {
  if (cp < 0x80) {
    b[0] = static_cast<char>(cp);
    return 1;
  }
  if (cp < 0x800) {
    b[0] = static_cast<char>(0xC0 | (cp >> 6));
    b[1] = static_cast<char>(0x80 | (cp & 0x3F));
    return 2;
  }
  if (cp < 0x10000) {
    b[0] = static_cast<char>(0xE0 | (cp >> 12));
    b[1] = static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    b[2] = static_cast<char>(0x80 | (cp & 0x3F));
    return 3;
  }
  b[0] = static_cast<char>(0xF0 | (cp >> 18));
  b[1] = static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
  b[2] = static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
  b[3] = static_cast<char>(0x80 | (cp & 0x3F));
  return 4;
}

inline void encode(char32_t cp, std::string& out) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

/// Simple case fold (lower case) of the scripts the word lists cover.
constexpr char32_t fold(char32_t c) noexcept {
  if (c >= 'A' && c <= 'Z') return c + 32;
  if (c < 0xC0) return c;
  if (c <= 0xDE && c != 0xD7) return c + 32;
  if (c >= 0x100 && c <= 0x17F && c != 0x130 && c != 0x131 && c != 0x138 && c != 0x149 &&
      c != 0x17F) {
    if ((c >= 0x139 && c <= 0x148) || (c >= 0x179 && c <= 0x17E)) return (c % 2 == 1) ? c + 1 : c;
    return (c % 2 == 0) ? c + 1 : c;
  }
  if (c >= 0x391 && c <= 0x3A9 && c != 0x3A2) return c + 32;
  if (c >= 0x410 && c <= 0x42F) return c + 32;
  if (c >= 0x400 && c <= 0x40F) return c + 80;
  return c;
}

/// Whether the script of `c` has case (then an unknown capitalised word reads as a name and an
/// unknown lower-case one as an identifier); other letters are caseless (CJK, Arabic, ...).
constexpr bool cased(char32_t c) noexcept {
  return c < 0x250 || (c >= 0x370 && c < 0x530) || (c >= 0x1E00 && c < 0x2000);
}

/// Letters and marks (Unicode categories L and M).
inline bool is_letter(char32_t c) noexcept {
  if (c < 0x80) return (c | 0x20) >= 'a' && (c | 0x20) <= 'z';
  std::size_t lo = 0, hi = unicode_data::letter_count;
  while (lo < hi) {
    const std::size_t mid = (lo + hi) / 2;
    if (unicode_data::letter_hi[mid] < c) lo = mid + 1;
    else hi = mid;
  }
  return lo < unicode_data::letter_count && unicode_data::letter_lo[lo] <= c;
}

/// The ASCII rewrite of a code point >= 0x80, if it has one ("" for removed code points).
inline bool ascii_form(char32_t c, std::string_view& rep) noexcept {
  std::size_t lo = 0, hi = unicode_data::map_count;
  while (lo < hi) {
    const std::size_t mid = (lo + hi) / 2;
    if (unicode_data::map_cp[mid] < c) lo = mid + 1;
    else hi = mid;
  }
  if (lo == unicode_data::map_count || unicode_data::map_cp[lo] != c) return false;
  const std::uint32_t r = unicode_data::map_rep[lo];
  rep = std::string_view(unicode_data::map_pool + (r >> 8), r & 0xFF);
  return true;
}

constexpr int hex_value(unsigned char c) noexcept {
  if (c >= '0' && c <= '9') return c - '0';
  if ((c | 0x20) >= 'a' && (c | 0x20) <= 'f') return (c | 0x20) - 'a' + 10;
  return -1;
}

/// Whether normalize() could change `in`: any byte >= 0x80, '\\', '%' or '&'.
inline bool needs_normalize(std::string_view in) noexcept {
  for (unsigned char c : in)
    if (c >= 0x80 || c == '\\' || c == '%' || c == '&') return true;
  return false;
}

/// Whether `in` is quoted-printable (RFC 2045 6.7) or holds RFC 2047 Q-encoded words: it names
/// the encoding ("quoted-printable", "=?charset?Q?"), or holds two `=XX` escapes in a row
/// (`Bj=C3=B6rn`: XX upper-case hex) or three escapes of which two are spaces
/// (`=2B48=20601=20234`); `color=FF0000 bg=C3C3C3 x=20` is none.
inline bool looks_quoted_printable(std::string_view in) noexcept {
  const char* p = in.data();
  const std::size_t n = in.size();
  auto up_hex = [](unsigned char c) { return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'F'); };
  int escapes = 0, spaces = 0;
  for (const char* q = static_cast<const char*>(std::memchr(p, '=', n)); q;
       q = static_cast<const char*>(
           std::memchr(q + 1, '=', n - static_cast<std::size_t>(q + 1 - p)))) {
    const std::size_t k = static_cast<std::size_t>(q - p);
    if (k + 2 >= n) break;
    const unsigned char a = static_cast<unsigned char>(p[k + 1]);
    const unsigned char b = static_cast<unsigned char>(p[k + 2]);
    if (a == '?') {
      const std::string_view w = in.substr(k, 40);
      if (w.find("?Q?") != std::string_view::npos || w.find("?q?") != std::string_view::npos)
        return true;
      continue;
    }
    if (!up_hex(a) || !up_hex(b) || a < '2') continue;
    if (k + 5 < n && p[k + 3] == '=' && up_hex(static_cast<unsigned char>(p[k + 4])) &&
        up_hex(static_cast<unsigned char>(p[k + 5])))
      return true;
    ++escapes;
    spaces += a == '2' && b == '0';
    if (escapes >= 3 && spaces >= 2) return true;
  }
  // "Content-Transfer-Encoding: quoted-printable" (vCard 2.1: ENCODING=QUOTED-PRINTABLE)
  return in.find("d-printable") != std::string_view::npos ||
         in.find("d-Printable") != std::string_view::npos ||
         in.find("D-PRINTABLE") != std::string_view::npos;
}

/// Appends `in` with quoted-printable decoded: `=XX` becomes its byte, a soft line break
/// (`=` at a line's end) vanishes, and an RFC 2047 word `=?charset?Q?text?=` becomes its text
/// with `_` read as a space. Other bytes are copied.
inline void decode_quoted_printable(std::string_view in, std::string& out) {
  const std::size_t n = in.size();
  out.reserve(out.size() + n);
  bool in_word = false;  // inside =?charset?Q? ... ?=
  for (std::size_t i = 0; i < n; ++i) {
    const char c = in[i];
    if (!in_word && c == '=' && i + 1 < n && in[i + 1] == '?') {
      const std::size_t q = in.find('?', i + 2);
      if (q != std::string_view::npos && q + 2 < n && (in[q + 1] == 'Q' || in[q + 1] == 'q') &&
          in[q + 2] == '?' && q - i < 24) {
        in_word = true;
        i = q + 2;
        continue;
      }
    }
    if (in_word && c == '?' && i + 1 < n && in[i + 1] == '=') {
      in_word = false;
      ++i;
      continue;
    }
    if (in_word && c == '_') {
      out += ' ';
      continue;
    }
    if (c == '=' && i + 1 < n &&
        (in[i + 1] == '\n' || (in[i + 1] == '\r' && i + 2 < n && in[i + 2] == '\n'))) {
      i += in[i + 1] == '\r' ? 2 : 1;  // soft line break
      continue;
    }
    if (c == '=' && i + 2 < n) {
      const int h1 = hex_value(static_cast<unsigned char>(in[i + 1]));
      const int h2 = hex_value(static_cast<unsigned char>(in[i + 2]));
      if (h1 >= 0 && h2 >= 0) {
        out += static_cast<char>(h1 * 16 + h2);
        i += 2;
        continue;
      }
    }
    out += c;
  }
}

/// The code point of the HTML character reference at `p` (which is '&'), with its length, or
/// 0: decimal and hexadecimal references, and the named ones that stand for spaces, '@', '+',
/// '.', '&' and the accented letters of the eight languages. '"', '<' and '>' stay escaped (as
/// in percent-decoding: they would end a value or fake a tag), and so do controls.
inline char32_t html_reference(const unsigned char* p, std::size_t n, std::size_t& len) noexcept {
  if (n < 4 || p[0] != '&') return 0;
  if (p[1] == '#') {
    const bool hex = p[2] == 'x' || p[2] == 'X';
    std::size_t k = hex ? 3 : 2;
    char32_t v = 0;
    const std::size_t start = k;
    while (k < n && k - start < 7) {
      const int d = hex ? hex_value(p[k]) : (p[k] >= '0' && p[k] <= '9' ? p[k] - '0' : -1);
      if (d < 0) break;
      v = v * (hex ? 16 : 10) + static_cast<char32_t>(d);
      ++k;
    }
    if (k == start || k >= n || p[k] != ';' || v > 0x10FFFF || v < 0x20 || v == '"' || v == '<' ||
        v == '>' || (v >= 0xD800 && v <= 0xDFFF) || (v >= 0x7F && v < 0xA0))
      return 0;
    len = k + 1;
    return v;
  }
  static constexpr struct {
    std::string_view name;
    char32_t cp;
  } named[] = {{"nbsp", 0xA0},   {"ensp", 0x2002}, {"emsp", 0x2003}, {"thinsp", 0x2009},
               {"amp", '&'},     {"apos", '\''},   {"commat", '@'},  {"plus", '+'},
               {"period", '.'},  {"lowbar", '_'},  {"hyphen", '-'},  {"colon", ':'},
               {"auml", 0xE4},   {"ouml", 0xF6},   {"uuml", 0xFC},   {"Auml", 0xC4},
               {"Ouml", 0xD6},   {"Uuml", 0xDC},   {"szlig", 0xDF},  {"eacute", 0xE9},
               {"Eacute", 0xC9}, {"egrave", 0xE8}, {"ecirc", 0xEA},  {"agrave", 0xE0},
               {"aacute", 0xE1}, {"iacute", 0xED}, {"oacute", 0xF3}, {"uacute", 0xFA},
               {"ccedil", 0xE7}, {"ntilde", 0xF1}, {"Ntilde", 0xD1}, {"atilde", 0xE3},
               {"otilde", 0xF5}, {"ocirc", 0xF4},  {"acirc", 0xE2},  {"icirc", 0xEE}};
  std::size_t k = 1;
  while (k < n && k <= 7 && ((p[k] | 0x20) >= 'a' && (p[k] | 0x20) <= 'z')) ++k;
  if (k >= n || p[k] != ';' || k == 1) return 0;
  const std::string_view name(reinterpret_cast<const char*>(p + 1), k - 1);
  for (const auto& r : named)
    if (r.name == name) {
      len = k + 1;
      return r.cp;
    }
  return 0;
}

/// The scanner's view of `in` (docs/scanner.md, "Normalisation"): invalid UTF-8 becomes
/// U+FFFD; code points with an ASCII form take it (digits of every script, full-width forms,
/// spaces, dashes; format characters vanish); JSON escapes `\/`, `\uXXXX` (with surrogate
/// pairs), `\n`, `\r`, `\t`, percent-escapes of printable ASCII but space, '"', '<' and '>', and
/// HTML character references (html_reference) are decoded, so detection sees `sip%3Abob%40host` and
/// `bob\u0040host` as what they say.
inline void normalize(std::string_view in, std::string& out) {
  const auto* p = reinterpret_cast<const unsigned char*>(in.data());
  const std::size_t n = in.size();
  out.reserve(out.size() + n);
  std::size_t i = 0;
  auto put_cp = [&](char32_t cp) {
    std::string_view rep;
    if (cp >= 0x80 && ascii_form(cp, rep)) out += rep;
    else encode(cp, out);
  };
  // Inside a Windows path (`C:\Users\nina`, `\\server\new`) a backslash is a separator, not
  // an escape: `\n` there is a directory's first letter, and decoding it would split the line.
  // A path starts at a drive (`X:\`) or a UNC prefix and ends at white space or a quote.
  bool in_path = false;
  while (i < n) {
    const unsigned char c = p[i];
    if (c == ' ' || c == '\t' || c == '"' || c == '\'' || c == '\n' || c == '\r' || c == '<' ||
        c == '>' || c == '|' || c == ',' || c == ';')
      in_path = false;
    if (c == '\\' && i + 1 < n) {
      const unsigned char e = p[i + 1];
      if (e == '\\') {
        // `\\`: an escaped backslash (JSON) or a UNC prefix; both bytes stay, and the second
        // never starts an escape (`C:\\Users\\nina`).
        if (i == 0 || p[i - 1] == ' ' || p[i - 1] == '"' || p[i - 1] == ':' || in_path)
          in_path = true;
        out += "\\\\";
        i += 2;
        continue;
      }
      if (i >= 2 && p[i - 1] == ':' && ((p[i - 2] | 0x20) >= 'a' && (p[i - 2] | 0x20) <= 'z'))
        in_path = true;  // C:\…
      if (e == '/') {
        out += '/';
        i += 2;
        continue;
      }
      if (!in_path && (e == 'n' || e == 'r' || e == 't')) {
        out += e == 'n' ? '\n' : e == 'r' ? '\r' : '\t';
        i += 2;
        continue;
      }
      if (e == 'u' && i + 5 < n) {
        char32_t v = 0;
        bool ok = true;
        for (std::size_t k = 2; k < 6; ++k) {
          const int h = hex_value(p[i + k]);
          if (h < 0) ok = false;
          v = (v << 4) | static_cast<char32_t>(h < 0 ? 0 : h);
        }
        if (ok) {
          std::size_t used = 6;
          if (v >= 0xD800 && v <= 0xDBFF && i + 11 < n && p[i + 6] == '\\' && p[i + 7] == 'u') {
            char32_t w = 0;
            bool ok2 = true;
            for (std::size_t k = 8; k < 12; ++k) {
              const int h = hex_value(p[i + k]);
              if (h < 0) ok2 = false;
              w = (w << 4) | static_cast<char32_t>(h < 0 ? 0 : h);
            }
            if (ok2 && w >= 0xDC00 && w <= 0xDFFF) {
              v = 0x10000 + ((v - 0xD800) << 10) + (w - 0xDC00);
              used = 12;
            }
          }
          if (v >= 0xD800 && v <= 0xDFFF) v = replacement;
          if (v == 0) v = replacement;
          put_cp(v);
          i += used;
          continue;
        }
      }
      out += '\\';
      ++i;
      continue;
    }
    if (c == '&') {
      std::size_t len = 0;
      if (const char32_t cp = html_reference(p + i, n - i, len)) {
        put_cp(cp);
        i += len;
        continue;
      }
      out += '&';
      ++i;
      continue;
    }
    if (c == '%' && i + 2 < n) {
      const int h1 = hex_value(p[i + 1]), h2 = hex_value(p[i + 2]);
      if (h1 >= 0 && h2 >= 0) {
        const int v = h1 * 16 + h2;
        // Not the bytes that delimit a token or an address: `sip:J%C3%BCrgen%20Wr%C3%B3bel@h`
        // is one URI (RFC 3261 19.1.2 escapes them inside a user part), not a name and a URI.
        if (v > 0x20 && v < 0x7F && v != '"' && v != '<' && v != '>') {
          out += static_cast<char>(v);
          i += 3;
          continue;
        }
      }
      out += '%';
      ++i;
      continue;
    }
    if (c < 0x80) {
      out += static_cast<char>(c);
      ++i;
      continue;
    }
    std::size_t len;
    const char32_t cp = decode(p + i, n - i, len);
    put_cp(cp);
    i += len;
  }
}

}  // namespace veil::detail::uni
