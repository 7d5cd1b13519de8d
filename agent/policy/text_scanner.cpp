// Free-text PII scanner: one left-to-right pass. At each position the byte's class (a 256-entry
// table) decides which detectors may start there; plain bytes and the inside of words are skipped
// without further work. Input is copied lazily (`emitted_` marks what has been written), so a
// detector may reach back to the start of a token it only recognises at a later byte (e-mail at
// '@', display name before '<sip:…>') as long as that start was not written yet.
#include "agent/policy/text_scanner.hpp"

#include <arpa/inet.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>

namespace veil::detail {
namespace {

enum : std::uint8_t {
  f_word = 1,      // [A-Za-z0-9_] and bytes >= 0x80: never split
  f_digit = 2,     // [0-9]
  f_hex = 4,       // [0-9A-Fa-f]
  f_alpha = 8,     // [A-Za-z]
  f_key = 16,      // [A-Za-z0-9_-]: keyword / parameter names
  f_trigger = 32,  // may start a detector
  f_local = 64,    // e-mail local part [A-Za-z0-9._%+'-]
  f_space = 128,   // ' ', '\t'
};

constexpr std::array<std::uint8_t, 256> make_table() {
  std::array<std::uint8_t, 256> t{};
  for (int c = 0; c < 256; ++c) {
    std::uint8_t v = 0;
    const bool digit = c >= '0' && c <= '9';
    const bool alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    if (digit || alpha || c == '_' || c >= 0x80) v |= f_word | f_trigger;
    if (digit) v |= f_digit;
    if (alpha) v |= f_alpha;
    if (digit || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')) v |= f_hex;
    if (digit || alpha || c == '_' || c == '-') v |= f_key;
    if (digit || alpha || c == '.' || c == '%' || c == '+' || c == '\'' || c == '-' || c == '_')
      v |= f_local;
    if (c == ' ' || c == '\t') v |= f_space;
    switch (c) {
      case '@': case '+': case '(': case ':': case '/': case '\\': case '~': case '-':
        v |= f_trigger;
        break;
      default:
        break;
    }
    t[static_cast<std::size_t>(c)] = v;
  }
  return t;
}
constexpr std::array<std::uint8_t, 256> table = make_table();

constexpr bool has(unsigned char c, std::uint8_t f) noexcept { return (table[c] & f) != 0; }
constexpr char lower(char c) noexcept {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

// Terminates an unquoted parameter value / URI outside angle brackets.
constexpr bool value_end(unsigned char c) noexcept {
  switch (c) {
    case 0: case ' ': case '\t': case '\r': case '\n': case ';': case ',': case '&': case '"':
    case '\'': case '<': case '>': case ')': case ']': case '}': case '|':
      return true;
    default:
      return false;
  }
}

bool luhn(const char* d, std::size_t n) noexcept {
  unsigned sum = 0;
  bool dbl = false;
  for (std::size_t k = n; k-- > 0;) {
    unsigned v = static_cast<unsigned>(d[k] - '0');
    if (dbl) {
      v *= 2;
      if (v > 9) v -= 9;
    }
    sum += v;
    dbl = !dbl;
  }
  return sum % 10 == 0;
}

bool ieq(std::string_view a, std::string_view b) noexcept {
  if (a.size() != b.size()) return false;
  for (std::size_t k = 0; k < a.size(); ++k)
    if (lower(a[k]) != b[k]) return false;
  return true;
}
bool iends(std::string_view a, std::string_view suffix) noexcept {
  return a.size() >= suffix.size() && ieq(a.substr(a.size() - suffix.size()), suffix);
}

constexpr std::string_view sip_headers[] = {
    "from", "to", "contact", "f", "t", "m", "p-asserted-identity", "p-preferred-identity",
    "remote-party-id", "referred-by", "refer-to", "diversion", "reply-to", "history-info", "route",
    "record-route"};

constexpr std::string_view phone_keywords[] = {
    "tel", "phone", "call from", "caller", "calling", "call to", "number", "mobile", "cell",
    "fax", "voicemail", "incoming", "outgoing", "dial", "sms", "whatsapp", "contact", "missed"};

// Values of these `key=` / `key:` parameters are replaced.
enum class key_action : std::uint8_t { none, sip_uri, call_id, id, user, secret, geo, url, auth_scheme, urn };

class pass {
 public:
  pass(std::string_view in, std::string& out, redaction_counts& counts) noexcept
      : p_(in.data()), n_(in.size()), out_(out), counts_(counts) {}

  void run() {
    std::size_t i = 0;
    while (i < n_) {
      const auto c = static_cast<unsigned char>(p_[i]);
      if (!has(c, f_trigger)) {
        ++i;
        continue;
      }
      const std::size_t next = step(i);
      i = next > i ? next : i + 1;
    }
    out_.append(p_ + emitted_, n_ - emitted_);
  }

 private:
  const char* p_;
  std::size_t n_;
  std::string& out_;
  redaction_counts& counts_;
  std::size_t emitted_ = 0;

  unsigned char at(std::size_t k) const noexcept {
    return k < n_ ? static_cast<unsigned char>(p_[k]) : 0;
  }
  bool is(std::size_t k, std::uint8_t f) const noexcept { return k < n_ && has(at(k), f); }
  std::size_t skip(std::size_t k, std::uint8_t f) const noexcept {
    // unrolled: word runs are where most bytes go
    while (k + 4 <= n_) {
      const auto* q = reinterpret_cast<const unsigned char*>(p_ + k);
      if (!has(q[0], f)) return k;
      if (!has(q[1], f)) return k + 1;
      if (!has(q[2], f)) return k + 2;
      if (!has(q[3], f)) return k + 3;
      k += 4;
    }
    while (k < n_ && has(static_cast<unsigned char>(p_[k]), f)) ++k;
    return k;
  }
  std::size_t skip_spaces(std::size_t k) const noexcept { return skip(k, f_space); }
  std::string_view sv(std::size_t b, std::size_t e) const noexcept { return {p_ + b, e - b}; }

  void replace(std::size_t b, std::size_t e, token_class c) {
    out_.append(p_ + emitted_, b - emitted_);
    out_.append(placeholder(c));
    emitted_ = e;
    counts_.add(c);
  }

  // ------------------------------------------------------------------ dispatch ---------
  std::size_t step(std::size_t i) {
    const auto c = at(i);
    if (has(c, f_word)) {
      const bool boundary = i == 0 || !has(at(i - 1), f_word);
      if (!boundary) return skip(i, f_word);
      if (has(c, f_digit)) return on_digit(i);
      if (has(c, f_alpha)) return on_word(i);
      return skip(i, f_word);
    }
    switch (c) {
      case '@': return on_at(i);
      case '+': return on_plus(i);
      case '(': return on_paren(i);
      case ':': return on_colon(i);
      case '/': case '\\': return on_slash(i);
      case '~': return on_tilde(i);
      case '-': return on_minus(i);
      default: return i + 1;
    }
  }

  // ------------------------------------------------------------------ addresses --------
  // IPv4 a.b.c.d; returns end or 0. The caller has checked the left boundary.
  std::size_t ipv4_end(std::size_t s) const noexcept {
    std::size_t k = s;
    for (int part = 0; part < 4; ++part) {
      if (part > 0) {
        if (at(k) != '.') return 0;
        ++k;
      }
      std::size_t d = k;
      unsigned v = 0;
      while (d < n_ && d - k < 4 && has(at(d), f_digit)) v = v * 10 + (at(d++) - '0');
      if (d == k || d - k > 3 || v > 255) return 0;
      k = d;
    }
    if (is(k, f_word)) return 0;
    if ((at(k) == '.' || at(k) == '-') && is(k + 1, f_digit)) return 0;  // 1.2.3.4.5
    return k;
  }

  // IPv6 in any textual form (with optional %zone); returns end or 0.
  std::size_t ipv6_end(std::size_t s) const noexcept {
    std::size_t k = s;
    int colons = 0;
    bool dbl = false;
    while (k < n_ && (has(at(k), f_hex) || at(k) == ':' || at(k) == '.')) {
      if (at(k) == ':') {
        ++colons;
        dbl |= at(k + 1) == ':';
      }
      ++k;
    }
    // cheap reject before inet_pton: times (10:15:07.123) have neither "::" nor 7 colons
    if (colons < 2 || (!dbl && colons < 6)) return 0;
    std::size_t addr_end = k;
    // trailing sentence punctuation is not part of the address
    while (addr_end > s && (at(addr_end - 1) == '.' ||
                            (at(addr_end - 1) == ':' && at(addr_end - 2) != ':')))
      --addr_end;
    std::size_t end = addr_end;
    if (addr_end == k && at(k) == '%' && is(k + 1, f_key)) {
      end = k + 1;
      while (end < n_ && (has(at(end), f_key) || at(end) == '.')) ++end;
    } else if (addr_end == k && is(k, f_word)) {
      return 0;
    }
    const std::size_t len = addr_end - s;
    if (len < 2 || len > 45) return 0;
    char buf[48];
    std::memcpy(buf, p_ + s, len);
    buf[len] = 0;
    unsigned char bin[16];
    if (inet_pton(AF_INET6, buf, bin) != 1) return 0;
    return end;
  }

  // MAC aa:bb:cc:dd:ee:ff / aa-bb-… / Cisco aabb.ccdd.eeff; returns end or 0.
  std::size_t mac_end(std::size_t s) const noexcept {
    const auto sep = at(s + 2);
    if (sep == ':' || sep == '-') {
      for (int g = 0; g < 6; ++g) {
        const std::size_t b = s + static_cast<std::size_t>(g) * 3;
        if (!is(b, f_hex) || !is(b + 1, f_hex)) return 0;
        if (g < 5 && at(b + 2) != sep) return 0;
      }
      const std::size_t e = s + 17;
      if (is(e, f_word) || (at(e) == sep && is(e + 1, f_hex))) return 0;
      return e;
    }
    if (at(s + 4) == '.') {
      bool letter = false;
      for (int g = 0; g < 3; ++g) {
        const std::size_t b = s + static_cast<std::size_t>(g) * 5;
        for (std::size_t k = b; k < b + 4; ++k) {
          if (!is(k, f_hex)) return 0;
          letter |= has(at(k), f_alpha);
        }
        if (g < 2 && at(b + 4) != '.') return 0;
      }
      const std::size_t e = s + 14;
      if (!letter || is(e, f_word) || (at(e) == '.' && is(e + 1, f_hex))) return 0;
      return e;
    }
    return 0;
  }

  // Tries MAC then IPv6 at a hex-led token; returns end (after replacing) or 0.
  std::size_t try_hexy(std::size_t s) {
    const std::size_t h = skip(s, f_hex) - s;
    const auto c = at(s + h);
    if (h <= 4 && c == ':') {
      if (h == 2)
        if (std::size_t e = mac_end(s)) return replace(s, e, token_class::mac), e;
      if (std::size_t e = ipv6_end(s)) return replace(s, e, token_class::ip), e;
    } else if ((h == 2 && c == '-') || (h == 4 && c == '.')) {
      if (std::size_t e = mac_end(s)) return replace(s, e, token_class::mac), e;
    }
    return 0;
  }

  // "52.520008, 13.404954" (optionally negative); returns end or 0.
  std::size_t decimal_end(std::size_t s, unsigned max_int, std::size_t min_frac) const noexcept {
    std::size_t k = s;
    if (at(k) == '-') ++k;
    std::size_t d = k;
    unsigned v = 0;
    while (d < n_ && d - k < 4 && has(at(d), f_digit)) v = v * 10 + (at(d++) - '0');
    if (d == k || d - k > 3 || v > max_int || at(d) != '.') return 0;
    const std::size_t f = d + 1;
    const std::size_t fe = skip(f, f_digit);
    if (fe - f < min_frac || is(fe, f_word) || (at(fe) == '.' && is(fe + 1, f_digit))) return 0;
    return fe;
  }
  std::size_t geo_pair_end(std::size_t s) const noexcept {
    const std::size_t a = decimal_end(s, 90, 3);
    if (!a) return 0;
    std::size_t k = a;
    if (at(k) == ',' || at(k) == ';') ++k;
    else if (at(k) != ' ') return 0;
    k = skip_spaces(k);
    if (k - a > 3) return 0;
    return decimal_end(k, 180, 3);
  }

  // ------------------------------------------------------------------ numbers ----------
  struct shape {
    std::size_t end = 0;
    int digits = 0;
    int groups = 0;
    bool paren = false;
    bool short_group = false;  // a non-first, non-paren group with one digit
    unsigned seps = 0;         // bit 0 ' ', 1 '-', 2 '.', 3 '/'
    int lens[4] = {0, 0, 0, 0};
  };

  // Digit groups with phone separators, starting at s ('+', '(' or digit).
  shape phone_shape(std::size_t s) const noexcept {
    shape sh;
    std::size_t k = s;
    if (at(k) == '+') ++k;
    bool after_paren = false;
    for (;;) {
      int len = 0;
      bool paren_group = false;
      if (at(k) == '(') {
        std::size_t d = skip(k + 1, f_digit);
        if (d == k + 1 || d - k - 1 > 5 || at(d) != ')') break;
        len = static_cast<int>(d - k - 1);
        k = d + 1;
        paren_group = true;
        sh.paren = true;
      } else if (has(at(k), f_digit)) {
        std::size_t d = skip(k, f_digit);
        len = static_cast<int>(d - k);
        k = d;
      } else {
        break;
      }
      if (sh.groups > 0 && !paren_group && len == 1 && !after_paren) sh.short_group = true;
      if (sh.groups < 4) sh.lens[sh.groups] = len;
      ++sh.groups;
      sh.digits += len;
      sh.end = k;
      if (sh.digits > 17) return sh;
      after_paren = paren_group;
      // separator
      std::size_t r = k;
      const auto c = at(r);
      unsigned bit = 0;
      if (c == ' ') bit = 1;
      else if (c == '-') bit = 2;
      else if (c == '.') bit = 4;
      else if (c == '/') bit = 8;
      if (bit) ++r;
      if (bit == 2 && at(r) == ' ') ++r;
      if (bit == 1 && at(r) == '-' && at(r + 1) == ' ') r += 2;
      if (has(at(r), f_digit) || (at(r) == '(' && is(r + 1, f_digit))) {
        if (!bit && !paren_group && at(r) != '(') break;
        sh.seps |= bit;
        k = r;
        continue;
      }
      break;
    }
    return sh;
  }

  bool right_ok(std::size_t e) const noexcept {
    const auto c = at(e);
    if (has(c, f_word) || c == '@') return false;
    if ((c == '.' || c == ':' || c == '-' || c == '/') && is(e + 1, f_digit)) return false;
    return true;
  }

  bool keyword_before(std::size_t s) const noexcept {
    // The 32 bytes before s, or fewer if the line starts closer. Walking back only that far
    // (not to the line start) keeps a long line with many number groups linear, not quadratic.
    std::size_t b = s;
    while (b > 0 && s - b < 32 && p_[b - 1] != '\n') --b;
    char buf[33];
    std::size_t m = 0;
    for (std::size_t k = b; k < s; ++k) buf[m++] = lower(p_[k]);
    const std::string_view w(buf, m);
    for (auto kw : phone_keywords)
      if (w.find(kw) != std::string_view::npos) return true;
    return false;
  }

  // Card / IMEI / IMSI / ICCID: 13-20 digits, optionally grouped by ' ' or '-'.
  std::size_t long_number(std::size_t s, token_class& cls) const noexcept {
    char d[24];
    std::size_t nd = 0;
    std::size_t ends[12];
    std::size_t counts[12];
    std::size_t ng = 0;
    std::size_t k = s;
    unsigned char sep = 0;
    for (;;) {
      std::size_t e = skip(k, f_digit);
      if (nd + (e - k) > 20) break;
      for (std::size_t q = k; q < e; ++q) d[nd++] = p_[q];
      ends[ng] = e;
      counts[ng] = nd;
      ++ng;
      const auto c = at(e);
      if (ng < 12 && (c == ' ' || c == '-') && (sep == 0 || sep == c) && is(e + 1, f_digit)) {
        sep = c;
        k = e + 1;
        continue;
      }
      break;
    }
    for (std::size_t g = ng; g-- > 0;) {
      const std::size_t len = counts[g];
      if (len < 13) break;
      if (!right_ok(ends[g]) && g + 1 == ng) continue;
      if (g + 1 < ng && !right_ok(ends[g]) && at(ends[g]) != sep) continue;
      const char f = d[0];
      if ((len == 19 || len == 20) && f == '8' && d[1] == '9') {
        cls = token_class::id;
        return ends[g];
      }
      const bool valid = luhn(d, len);
      if (len == 15) {
        if (valid && f == '3' && (d[1] == '4' || d[1] == '7')) {
          cls = token_class::card;
          return ends[g];
        }
        const int rbi = (d[0] - '0') * 10 + (d[1] - '0');
        const bool rbi_ok = rbi == 1 || rbi == 10 || rbi == 30 || rbi == 33 || rbi == 35 ||
                            rbi == 44 || rbi == 45 || rbi == 49 || (rbi >= 50 && rbi <= 54) ||
                            rbi == 86 || rbi == 91 || rbi == 98 || rbi == 99;
        if ((valid && rbi_ok) || (f >= '2' && f <= '7')) {
          cls = token_class::id;
          return ends[g];
        }
        continue;
      }
      if (valid && len <= 19 && f >= '2' && f <= '6') {
        cls = token_class::card;
        return ends[g];
      }
    }
    return 0;
  }

  // Phone number starting at a digit or '(' (no '+'): needs a strong signal.
  std::size_t national_phone(std::size_t s) const noexcept {
    const shape sh = phone_shape(s);
    if (sh.groups == 0 || sh.digits > 17 || !right_ok(sh.end)) return 0;
    const int dg = sh.digits;
    if (at(s) == '0' && at(s + 1) == '0' && at(s + 2) >= '1' && at(s + 2) <= '9' && dg >= 10)
      return sh.end;
    if (dg > 15 || dg < 6 || sh.short_group) return 0;
    if (sh.paren && dg >= 7 && sh.groups >= 2) return sh.end;
    const bool one_sep = sh.seps != 0 && (sh.seps & (sh.seps - 1)) == 0;
    if (sh.groups >= 2 && dg >= 7 && one_sep) {
      if (at(s) == '0' && sh.lens[0] <= 5) return sh.end;
      if (sh.groups == 3 && sh.lens[0] == 3 && sh.lens[1] == 3 && sh.lens[2] == 4) return sh.end;
      const bool date = sh.lens[0] == 4 && (at(s) == '1' || at(s) == '2');
      if (sh.seps == 2 && sh.groups >= 3 && dg >= 8 && !date) return sh.end;
    }
    // "8 495 123-45-67", "06 12 34 56 78": several short groups of spaces/dashes
    if (sh.groups >= 4 && dg >= 9 && (sh.seps & ~3u) == 0 && sh.lens[0] <= 4 && sh.lens[1] <= 4 &&
        sh.lens[2] <= 4 && sh.lens[3] <= 4 && !(sh.lens[0] == 4 && sh.lens[1] == 2))
      return sh.end;
    if (keyword_before(s)) return sh.end;
    return 0;
  }

  std::size_t on_digit(std::size_t i) {
    if (i >= 2) {
      const auto pc = at(i - 1);
      if ((pc == '.' || pc == '-' || pc == ':' || pc == '/' || pc == ',') && has(at(i - 2), f_digit))
        return skip(i, f_word);
    }
    const std::size_t we = skip(i, f_word);
    const auto wt = at(we);
    if (we - i <= 4 && (wt == ':' || wt == '.' || wt == '-'))
      if (std::size_t e = try_hexy(i)) return e;
    const std::size_t d = skip(i, f_digit);
    if (is(d, f_word)) return skip(d, f_word);
    const auto c = at(d);
    if (d - i < 6 && c != '.' && c != '(' &&
        !((c == ' ' || c == '-' || c == '/') && (is(d + 1, f_digit) || at(d + 1) == '(')))
      return d;  // too short for any number class and no continuation: the common case
    if (d - i <= 3 && at(d) == '.') {
      if (std::size_t e = ipv4_end(i)) return replace(i, e, token_class::ip), e;
      if (std::size_t e = geo_pair_end(i)) return replace(i, e, token_class::geo), e;
    }
    token_class cls{};
    if (std::size_t e = long_number(i, cls)) return replace(i, e, cls), e;
    if (std::size_t e = national_phone(i)) return replace(i, e, token_class::phone), e;
    return d;
  }

  std::size_t on_plus(std::size_t i) {
    if (i > 0 && has(at(i - 1), f_word)) return i + 1;
    static constexpr std::string_view inst = "+sip.instance=";
    if (n_ - i > inst.size() && ieq(sv(i, i + inst.size()), inst)) {
      return param_value(i + inst.size(), token_class::id);
    }
    if (!is(i + 1, f_digit)) return i + 1;
    const shape sh = phone_shape(i);
    if (sh.groups > 0 && sh.digits >= 7 && sh.digits <= 15 && right_ok(sh.end))
      return replace(i, sh.end, token_class::phone), sh.end;
    return i + 1;
  }

  std::size_t on_paren(std::size_t i) {
    if ((i > 0 && has(at(i - 1), f_word)) || !is(i + 1, f_digit)) return i + 1;
    if (std::size_t e = national_phone(i)) return replace(i, e, token_class::phone), e;
    return i + 1;
  }

  std::size_t on_colon(std::size_t i) {
    if (at(i + 1) != ':' || (i > 0 && (has(at(i - 1), f_word) || at(i - 1) == ':'))) return i + 1;
    if (std::size_t e = ipv6_end(i)) return replace(i, e, token_class::ip), e;
    return i + 2;
  }

  std::size_t on_minus(std::size_t i) {
    if ((i > 0 && has(at(i - 1), f_word)) || !is(i + 1, f_digit)) return i + 1;
    if (std::size_t e = geo_pair_end(i)) return replace(i, e, token_class::geo), e;
    return i + 1;
  }

  // ------------------------------------------------------------------ e-mail -----------
  std::size_t on_at(std::size_t a) {
    std::size_t b = a;
    if (a > 0 && at(a - 1) == '"') {  // "quoted local"@domain
      std::size_t q = a - 1;
      while (q > emitted_ && at(q - 1) != '"' && at(q - 1) != '\n') --q;
      if (q == emitted_ || at(q - 1) != '"') return a + 1;
      b = q - 1;
    } else {
      while (b > emitted_ && has(at(b - 1), f_local)) --b;
      while (b < a && (at(b) == '.' || at(b) == '-' || at(b) == '+' || at(b) == '\'')) ++b;
    }
    if (b == a) return a + 1;
    std::size_t e = a + 1;
    std::size_t last_dot = 0;
    while (e < n_ && (has(at(e), f_alpha) || has(at(e), f_digit) || at(e) == '-' || at(e) == '.')) {
      if (at(e) == '.') last_dot = e;
      ++e;
    }
    while (e > a + 1 && (at(e - 1) == '.' || at(e - 1) == '-')) --e;
    if (last_dot >= e) {
      last_dot = 0;
      for (std::size_t k = a + 1; k < e; ++k)
        if (at(k) == '.') last_dot = k;
    }
    if (last_dot == 0 || last_dot <= a + 1 || e - last_dot < 3) return a + 1;
    for (std::size_t k = last_dot + 1; k < e; ++k)
      if (!has(at(k), f_alpha)) return a + 1;
    if (b > 0 && at(b - 1) == '<' && at(e) == '>') display_name(b - 1);
    replace(b, e, token_class::email);
    return e;
  }

  // Display name before '<' at `lt`: quoted anywhere, unquoted only after a SIP header name.
  void display_name(std::size_t lt) {
    std::size_t j = lt;
    while (j > emitted_ && has(at(j - 1), f_space)) --j;
    if (j == emitted_) return;
    if (at(j - 1) == '"') {
      std::size_t q = j - 1;
      while (q > emitted_ && at(q - 1) != '"' && at(q - 1) != '\n' && j - q < 200) --q;
      if (q == emitted_ || at(q - 1) != '"' || q == j - 1) return;
      replace(q, j - 1, token_class::user);
      return;
    }
    std::size_t b = j;
    while (b > emitted_ && (has(at(b - 1), f_word) || has(at(b - 1), f_space) || at(b - 1) == '.' ||
                            at(b - 1) == '-' || at(b - 1) == '\'') && j - b < 120)
      --b;
    if (b == emitted_ || (at(b - 1) != ':' && at(b - 1) != ',')) return;
    // header name before the colon, at line start
    std::size_t h = b - 1;
    if (at(b - 1) == ',') return;  // lists: keep it simple, only the first entry
    std::size_t hs = h;
    while (hs > 0 && has(at(hs - 1), f_key)) --hs;
    if (hs > 0 && at(hs - 1) != '\n' && !has(at(hs - 1), f_space) && at(hs - 1) != '|') return;
    bool hdr = false;
    for (auto name : sip_headers) hdr |= ieq(sv(hs, h), name);
    if (!hdr) return;
    while (b < j && has(at(b), f_space)) ++b;
    if (b < j) replace(b, j, token_class::user);
  }

  // ------------------------------------------------------------------ paths ------------
  std::size_t on_slash(std::size_t i) {
    std::size_t k = i;
    const char sep = p_[i];
    while (k < n_ && (at(k) == '/' || at(k) == '\\')) ++k;
    std::size_t name = 0;
    if (sep == '/' && n_ - k > 5 && sv(k, k + 5) == "home/") name = k + 5;
    else if (n_ - k > 6 && (sep == '\\' || at(i - 1) == ':' ? ieq(sv(k, k + 5), "users")
                                                            : sv(k, k + 5) == "Users") &&
             (at(k + 5) == '/' || at(k + 5) == '\\'))
      name = k + 6;  // macOS /Users/x, Windows C:\Users\x or C:/Users/x
    if (!name) return k;
    while (name < n_ && (at(name) == '/' || at(name) == '\\')) ++name;
    auto path_end = [&](std::size_t q) {
      while (q < n_) {
        const auto c = at(q);
        if (c == '/' || c == '\\' || c == ':' || c == '*' || c == '?' || c == '=' || value_end(c)) break;
        ++q;
      }
      return q;
    };
    std::size_t e = path_end(name);
    // Windows profile names may hold spaces: extend only if a separator follows.
    if (at(e) == ' ') {
      std::size_t q = e;
      while (q < n_ && (at(q) == ' ' || has(at(q), f_word) || at(q) == '.' || at(q) == '-')) ++q;
      if (at(q) == '\\' || at(q) == '/') e = q;
    }
    if (e == name) return name;
    const std::string_view u = sv(name, e);
    if (ieq(u, "shared") || ieq(u, "public") || ieq(u, "default") || ieq(u, "all users") ||
        ieq(u, "default user") || u == "<user>")
      return e;
    replace(name, e, token_class::user);
    return e;
  }

  std::size_t on_tilde(std::size_t i) {
    if (i > 0 && has(at(i - 1), f_word)) return i + 1;
    std::size_t e = i + 1;
    if (!is(e, f_alpha)) return i + 1;
    while (e < n_ && (has(at(e), f_key) || at(e) == '.')) ++e;
    const auto c = at(e);
    if (c != '/' && c != '\\' && !value_end(c) && c != ':') return e;
    replace(i + 1, e, token_class::user);
    return e;
  }

  // ------------------------------------------------------------------ words ------------
  std::size_t param_value(std::size_t k, token_class cls) {
    if (at(k) == '"') {
      std::size_t e = k + 1;
      while (e < n_ && at(e) != '"' && at(e) != '\n') ++e;
      if (at(e) != '"' || e == k + 1) return e;
      replace(k + 1, e, cls);
      return e + 1;
    }
    std::size_t e = k;
    while (e < n_ && !value_end(at(e))) ++e;
    if (e == k) return k;
    replace(k, e, cls);
    return e;
  }

  key_action classify(std::string_view key, unsigned char term, std::size_t s) const noexcept {
    const std::size_t len = key.size();
    if (len > 40) return key_action::none;
    if (term == ':') {
      if (at(s + len + 1) == '/' && at(s + len + 2) == '/') return key_action::url;
      if (ieq(key, "sip") || ieq(key, "sips") || ieq(key, "tel")) return key_action::sip_uri;
      if (ieq(key, "urn")) return key_action::urn;
      if (ieq(key, "call-id") || (ieq(key, "i") && (s == 0 || p_[s - 1] == '\n'))) return key_action::call_id;
    }
    if (term == ' ') {
      if (ieq(key, "bearer") || ieq(key, "basic")) return key_action::auth_scheme;
      return key_action::none;
    }
    if (term == '=') {
      if (ieq(key, "tag") || ieq(key, "branch") || ieq(key, "nonce") || ieq(key, "cnonce") ||
          ieq(key, "rinstance") || ieq(key, "epid") || ieq(key, "call-id") || ieq(key, "callid") ||
          ieq(key, "call_id") || ieq(key, "imei") || ieq(key, "imsi") || ieq(key, "iccid") ||
          ieq(key, "gr") || ieq(key, "sip.instance"))
        return key_action::id;
      if (ieq(key, "response")) return key_action::secret;
      if (ieq(key, "username") || ieq(key, "user_name") || ieq(key, "login") ||
          ieq(key, "authname") || ieq(key, "auth_user"))
        return key_action::user;
    }
    if (ieq(key, "lat") || ieq(key, "lon") || ieq(key, "lng") || ieq(key, "latitude") ||
        ieq(key, "longitude"))
      return key_action::geo;
    if (iends(key, "password") || iends(key, "passwd") || iends(key, "pwd") || ieq(key, "pass") ||
        iends(key, "token") || iends(key, "secret") || iends(key, "api_key") ||
        iends(key, "apikey") || iends(key, "api-key") || iends(key, "passphrase") ||
        ieq(key, "pin") || iends(key, "private_key") || ieq(key, "sessionid") ||
        ieq(key, "session_id") || ieq(key, "cookie") || ieq(key, "set-cookie"))
      return key_action::secret;
    return key_action::none;
  }

  std::size_t on_word(std::size_t i) {
    const std::size_t we = skip(i, f_word);
    // JWT eyJ….….…
    if (we - i >= 3 && at(i) == 'e' && at(i + 1) == 'y' && at(i + 2) == 'J') {
      std::size_t e = i;
      while (e < n_ && (has(at(e), f_key) || at(e) == '.')) ++e;
      while (at(e - 1) == '.') --e;
      if (e - i >= 16) return replace(i, e, token_class::secret), e;
    }
    const auto wt = at(we);
    if (we - i <= 4 && (wt == ':' || wt == '.' || wt == '-') && has(at(i), f_hex))
      if (std::size_t e = try_hexy(i)) return e;
    std::size_t ke = we;
    if (wt == '-') {
      ke = skip(we, f_key);
      while (ke > we && at(ke - 1) == '-') --ke;
    }
    if (at(ke) == '.' && ke - i == 3 && is(ke + 1, f_alpha)) {  // sip.instance= (without '+')
      const std::size_t k2 = skip(ke + 1, f_key);
      if (at(k2) == '=' && ieq(sv(i, k2), "sip.instance")) return param_value(k2 + 1, token_class::id);
    }
    const auto term = at(ke);
    if (term != ':' && term != '=' && term != '"') {
      // only "Bearer <tok>" / "Basic <tok>" act on a following space
      if (term != ' ' || (ke - i != 5 && ke - i != 6) || (at(i) | 0x20) != 'b') return we;
    }
    const std::string_view key = sv(i, ke);
    const key_action act = classify(key, term, i);
    if (act == key_action::none) return we;
    std::size_t v = ke;
    switch (act) {
      case key_action::url: return on_url(ke + 3);
      case key_action::sip_uri: return on_sip(i, ke + 1);
      case key_action::urn: {
        if (n_ - ke < 6 || !ieq(sv(ke + 1, ke + 6), "uuid:")) return we;
        std::size_t e = ke + 6;
        while (e < n_ && (has(at(e), f_hex) || at(e) == '-')) ++e;
        if (e - ke < 14) return we;
        replace(i, e, token_class::id);
        return e;
      }
      case key_action::call_id: {
        v = skip_spaces(ke + 1);
        std::size_t e = v;
        while (e < n_ && !has(at(e), f_space) && at(e) != '\r' && at(e) != '\n' && at(e) != ';' &&
               at(e) != ',' && at(e) != ')')
          ++e;
        if (e == v) return ke + 1;
        replace(v, e, token_class::id);
        return e;
      }
      case key_action::auth_scheme: {
        v = ke + 1;
        std::size_t e = v;
        bool digit = false, upper = false, special = false;
        while (e < n_ && (has(at(e), f_key) || at(e) == '.' || at(e) == '~' || at(e) == '+' ||
                          at(e) == '/' || at(e) == '=')) {
          digit |= has(at(e), f_digit);
          upper |= e > v && at(e) >= 'A' && at(e) <= 'Z';
          special |= at(e) == '=' || at(e) == '+' || at(e) == '/' || at(e) == '.' || at(e) == '_';
          ++e;
        }
        const bool bearer = ieq(key, "bearer");
        if (e - v < 8 || (!bearer && !(digit || upper || special))) return we;
        replace(v, e, token_class::secret);
        return e;
      }
      default:
        break;
    }
    // key[": ] value   (JSON-style "key": "value" as well)
    if (term == '"') {
      v = ke + 1;
      v = skip_spaces(v);
      if (at(v) != ':' && at(v) != '=') return we;
    } else if (term == ' ') {
      return we;
    }
    v = skip_spaces(v + 1);
    if (act == key_action::geo) {
      if (std::size_t e = decimal_end(v, 180, 1)) return replace(v, e, token_class::geo), e;
      return we;
    }
    const token_class cls = act == key_action::id     ? token_class::id
                            : act == key_action::user ? token_class::user
                                                      : token_class::secret;
    if (term == ':' && at(v) != '"' && act == key_action::secret && !is(v, f_word) && at(v) != '%' &&
        at(v) != '$' && at(v) != '!')
      return we;
    const std::size_t e = param_value(v, cls);
    return e > we ? e : we;
  }

  // scheme://[userinfo@]host
  std::size_t on_url(std::size_t a) {
    std::size_t e = a;
    std::size_t at_sign = 0;
    bool colon = false;
    while (e < n_ && at(e) != '/' && at(e) != '?' && at(e) != '#' && !value_end(at(e))) {
      if (at(e) == '@') at_sign = e;
      ++e;
    }
    if (!at_sign || at_sign == a) return a;
    for (std::size_t k = a; k < at_sign; ++k) colon |= at(k) == ':';
    replace(a, at_sign, colon ? token_class::secret : token_class::user);
    return at_sign + 1;
  }

  // sip:/sips:/tel: URI starting at s, body at b.
  std::size_t on_sip(std::size_t s, std::size_t b) {
    const bool angle = s > 0 && at(s - 1) == '<';
    std::size_t e = b;
    std::size_t at_sign = 0;
    int digits = 0;
    if (angle) {
      while (e < n_ && at(e) != '>' && !has(at(e), f_space) && at(e) != '\n' && at(e) != '\r' &&
             at(e) != '"' && at(e) != '<')
        ++e;
    } else {
      bool bracket = false;
      while (e < n_ && (!value_end(at(e)) || (bracket && at(e) == ']'))) {
        bracket |= at(e) == '[';
        ++e;
      }
      while (e > b && (at(e - 1) == '.' || at(e - 1) == ':')) --e;
    }
    for (std::size_t k = b; k < e; ++k) {
      if (at(k) == '@' && !at_sign) at_sign = k;
      digits += has(at(k), f_digit);
      if (at(k) == ';' && !at_sign) break;
    }
    const bool tel = ieq(sv(s, b - 1), "tel");
    if (tel ? digits < 3 : (at_sign == 0 || at_sign == b)) return b;
    if (angle) display_name(s - 1);
    replace(s, e, token_class::sip);
    return e;
  }
};

}  // namespace

void text_scanner::scrub(std::string_view in, std::string& out, redaction_counts& counts) const {
  if (in.empty()) return;
  const std::size_t mark = out.size();
  try {
    out.reserve(out.size() + in.size() + in.size() / 8);
    pass(in, out, counts).run();
  } catch (...) {
    // Only allocation can throw; fail closed rather than leak a partial copy.
    out.resize(mark);
    out += placeholder(token_class::secret);
    counts.add(token_class::secret);
  }
}

}  // namespace veil::detail
