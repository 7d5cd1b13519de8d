// Free-text PII scanner: one left-to-right pass. At each position the byte's class (a 256-entry
// table) decides which detectors may start there; plain bytes and the inside of words are skipped
// without further work. Input is copied lazily (`emitted_` marks what has been written), so a
// detector may reach back to the start of a token it only recognises at a later byte (e-mail at
// '@', display name before '<sip:…>') as long as that start was not written yet.
#include "agent/policy/text_scanner.hpp"

#include <arpa/inet.h>

#include <array>
#include <cassert>
#include <cstddef>
#include <cstdint>
#include <cstring>

#include "agent/policy/scanner/deny.hpp"
#include "agent/policy/scanner/unicode.hpp"

namespace veil::detail {
#if VEIL_SCANNER_REFERENCE
namespace deny = deny_reference;  // the classifier with its fast paths off (deny.hpp)
#endif
namespace {
// Reference mode (VEIL_SCANNER_REFERENCE=1, tests/fuzz/reference_scanner.cpp): every fast path
// off -- plain_word() (words decided without the word detectors), the key prefilter
// maybe_key(), the skip of normalisation for text that needs none, and the classifier's list
// and memory filters. The differential fuzz target checks that both builds agree.
constexpr bool reference = deny::reference;

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
    if (digit || alpha || c == '.' || c == '%' || c == '+' || c == '\'' || c == '-' || c == '_' ||
        c >= 0x80)
      v |= f_local;  // internationalised local parts (RFC 6531) as well
    if (c == ' ' || c == '\t') v |= f_space;
    switch (c) {
      case '@':
      case '+':
      case '(':
      case ':':
      case '/':
      case '\\':
      case '~':
      case '-':
      case '%': v |= f_trigger; break;
      default: break;
    }
    t[static_cast<std::size_t>(c)] = v;
  }
  return t;
}
constexpr std::array<std::uint8_t, 256> table = make_table();

constexpr bool has(unsigned char c, std::uint8_t f) noexcept { return (table[c] & f) != 0; }

// A second table for the tests the dispatch makes at every word or number.
enum : std::uint8_t {
  g_num_sep = 1,     // . - : / , between the digit groups of one number
  g_addr6 = 2,       // [0-9A-Fa-f:.]: bytes of an IPv6 address
  g_key_term = 4,    // : = " - after a word: key, scheme, hex group
  g_dot = 8,         // .
  g_space = 16,      // ' ' (alone)
  g_one = 32,        // o N S E W: one-letter words with a detector
  g_phone_sep = 64,  // ' ' - . / ( ): bytes between the digit groups of a phone number
};
constexpr std::array<std::uint8_t, 256> make_table2() {
  std::array<std::uint8_t, 256> t{};
  for (int c = 0; c < 256; ++c) {
    std::uint8_t v = 0;
    if (c == '.' || c == '-' || c == ':' || c == '/' || c == ',') v |= g_num_sep;
    if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F') || c == ':' ||
        c == '.')
      v |= g_addr6;
    if (c == ':' || c == '=' || c == '"' || c == '-') v |= g_key_term;
    if (c == '.') v |= g_dot;
    if (c == ' ') v |= g_space;
    if (c == 'o' || c == 'N' || c == 'S' || c == 'E' || c == 'W') v |= g_one;
    if (c == ' ' || c == '-' || c == '.' || c == '/' || c == '(' || c == ')') v |= g_phone_sep;
    t[static_cast<std::size_t>(c)] = v;
  }
  return t;
}
constexpr std::array<std::uint8_t, 256> table2 = make_table2();
constexpr bool has2(unsigned char c, std::uint8_t f) noexcept { return (table2[c] & f) != 0; }

// End of the run of word bytes (Word) or digits starting at k in p[0, n).
template <bool Word>
[[gnu::always_inline]] inline std::size_t skip_run(const char* p, std::size_t n,
                                                   std::size_t k) noexcept {
  constexpr std::uint8_t f = Word ? f_word : f_digit;
  const auto* q = reinterpret_cast<const unsigned char*>(p);
  while (k + 4 <= n) {
    if (!has(q[k], f)) return k;
    if (!has(q[k + 1], f)) return k + 1;
    if (!has(q[k + 2], f)) return k + 2;
    if (!has(q[k + 3], f)) return k + 3;
    k += 4;
  }
  while (k < n && has(q[k], f)) ++k;
  return k;
}
constexpr char lower(char c) noexcept {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

// Terminates an unquoted parameter value / URI outside angle brackets.
constexpr bool value_end_switch(unsigned char c) noexcept {
  switch (c) {
    case 0:
    case ' ':
    case '\t':
    case '\r':
    case '\n':
    case ';':
    case ',':
    case '&':
    case '"':
    case '\'':
    case '<':
    case '>':
    case ')':
    case ']':
    case '}':
    case '|': return true;
    default: return false;
  }
}
// The same as a table (the scans of values and URIs test it at every byte), with the end of a
// URI inside angle brackets and the end of a Call-ID value.
enum : std::uint8_t {
  e_value = 1,   // value_end_switch
  e_angle = 2,   // > ' ' '\t' '\n' '\r' " <
  e_callid = 4,  // ' ' '\t' '\r' '\n' ; , )
};
constexpr std::array<std::uint8_t, 256> end_table = [] {
  std::array<std::uint8_t, 256> t{};
  for (int c = 0; c < 256; ++c) {
    std::uint8_t v = 0;
    if (value_end_switch(static_cast<unsigned char>(c))) v |= e_value;
    if (c == '>' || c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '"' || c == '<')
      v |= e_angle;
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == ';' || c == ',' || c == ')')
      v |= e_callid;
    t[static_cast<std::size_t>(c)] = v;
  }
  return t;
}();
constexpr bool value_end(unsigned char c) noexcept { return (end_table[c] & e_value) != 0; }

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

constexpr std::string_view sip_headers[] = {"from",
                                            "to",
                                            "contact",
                                            "f",
                                            "t",
                                            "m",
                                            "p-asserted-identity",
                                            "p-preferred-identity",
                                            "remote-party-id",
                                            "referred-by",
                                            "refer-to",
                                            "diversion",
                                            "reply-to",
                                            "history-info",
                                            "route",
                                            "record-route"};

constexpr std::string_view phone_keywords[] = {
    "tel",      "phone",  "call from", "caller",   "calling",   "call to",
    "number",   "mobile", "cell",      "fax",      "voicemail", "incoming",
    "outgoing", "dial",   "sms",       "whatsapp", "contact",   "missed"};

// Every key classify() compares whole (any term, any context). With the suffixes below they
// feed a prefilter that rejects most keys (Via, CSeq, branch's neighbours...) before the
// compares. A key missing here would be missed silently: classify_keys() asserts in debug
// builds that the prefilter never rejects a key the full classification accepts.
constexpr std::string_view exact_keys[] = {
    "sip",          "sips",      "tel",         "urn",        "call-id",    "i",
    "replaces",     "join",      "in-reply-to", "cookie",     "set-cookie", "key",
    "user",         "username",  "name",        "id",         "bearer",     "basic",
    "tag",          "branch",    "nonce",       "cnonce",     "rinstance",  "epid",
    "callid",       "call_id",   "imei",        "imsi",       "iccid",      "gr",
    "sip.instance", "imeisv",    "meid",        "msisdn",     "android_id", "idfa",
    "idfv",         "gaid",      "adid",        "serial",     "serialno",   "ro.serialno",
    "opaque",       "sig",       "hmac",        "response",   "user_name",  "login",
    "authname",     "auth_user", "lat",         "lon",        "lng",        "latitude",
    "longitude",    "pin",       "sessionid",   "jsessionid", "phpsessid",  "sid",
    "session_id",   "pass",      "otp",         "cid"};
// Keys whose value is a person's or a device owner's name: the whole value is one <user>,
// whatever its words ("localizedCallerName":"Bill Miller", "deviceName": "Élise’s iPhone").
// Compared whole like exact_keys, and fed to the same prefilter (make_key_bloom).
constexpr std::string_view name_keys[] = {
    "displayname", "display_name", "localizedcallername", "callername", "caller_name", "devicename",
    "device_name", "cnam", "fullname", "full_name", "nickname", "contactname", "contact_name",
    "firstname", "first_name", "lastname", "last_name", "givenname", "given_name", "familyname",
    "family_name", "surname",
    // Asterisk AstDB and AMI, Android's CallerInfo
    "cidname", "calleridname", "callerid_name", "caller_id_name", "connectedlinename", "cnapname",
    "cnap_name", "cnap", "namealternative", "name_alternative",
    // Jami
    "registeredname", "registered_name"};
// Keys whose value is a postal address or a part of one (E911 and civic-address JSON, Twilio's
// webhook parameters): the whole value is one <geo>. Compared whole like exact_keys, and fed to
// the same prefilter.
constexpr std::string_view address_keys[] = {
    "housenumber",    "house_number", "streetname",    "street_name",   "street",
    "addressline1",   "addressline2", "address_line1", "address_line2", "streetaddress",
    "street_address", "zip",          "zipcode",       "zip_code",      "postalcode",
    "postal_code",    "postcode",     "callerzip",     "fromzip",       "tozip",
    "calledzip",      "callercity",   "fromcity",      "tocity",        "calledcity"};
// Words before "name" that make it a name field ("Computer Name: Sofias-MacBook-Pro").
constexpr std::string_view name_key_owners[] = {"computer", "device", "display",   "caller",
                                                "contact",  "full",   "first",     "last",
                                                "given",    "family", "registered"};
// Values of a name field that name nobody.
constexpr std::string_view no_name_values[] = {
    "null", "none",  "nil",     "undefined",  "unknown",     "anonymous", "true", "false",
    "n/a",  "empty", "private", "restricted", "unavailable", "withheld",  "-"};
// Last three bytes of every suffix classify() tests with ends().
constexpr std::string_view key_suffixes[] = {"ret", "ken", "ase", "ure", "ord",
                                             "swd", "pwd", "als", "ial", "key"};

// Two 10-bit hashes of a lower-cased key from its length and three of its bytes: O(1), no loop.
constexpr std::uint32_t lower_byte(std::string_view k, std::size_t q) noexcept {
  return static_cast<std::uint32_t>(static_cast<unsigned char>(lower(k[q])));
}
// Of the key as lower-cased, whatever the case of `k`.
constexpr std::uint32_t key_mix(std::string_view k) noexcept {
  const auto b = [&](std::size_t q) { return lower_byte(k, q); };
  const std::size_t n = k.size();
  return (b(0) | b(n / 2) << 8 | b(n - 1) << 16 | static_cast<std::uint32_t>(n) << 24) *
         0x9E3779B1u;
}
constexpr std::array<std::uint64_t, 16> make_key_bloom() {
  std::array<std::uint64_t, 16> t{};
  const auto add = [&t](std::string_view k) {
    const std::uint32_t h = key_mix(k);
    t[(h >> 22) >> 6] |= std::uint64_t{1} << ((h >> 22) & 63);
    t[((h >> 12) & 1023) >> 6] |= std::uint64_t{1} << ((h >> 12) & 63);
  };
  for (auto k : exact_keys) add(k);
  for (auto k : name_keys) add(k);
  for (auto k : address_keys) add(k);
  return t;
}
constexpr std::array<std::uint64_t, 16> key_bloom = make_key_bloom();
constexpr std::uint32_t last3(std::string_view k) noexcept {
  const std::size_t n = k.size();
  return lower_byte(k, n - 3) | lower_byte(k, n - 2) << 8 | lower_byte(k, n - 1) << 16;
}
constexpr std::array<std::uint32_t, std::size(key_suffixes)> key_suffix_codes = [] {
  std::array<std::uint32_t, std::size(key_suffixes)> t{};
  for (std::size_t q = 0; q < t.size(); ++q) t[q] = last3(key_suffixes[q]);
  return t;
}();
constexpr unsigned suffix_slot(std::uint32_t code) noexcept { return (code * 0x9E3779B1u) >> 26; }
constexpr std::uint64_t suffix_bloom = [] {
  std::uint64_t b = 0;
  for (auto c : key_suffix_codes) b |= std::uint64_t{1} << suffix_slot(c);
  return b;
}();

// False only if `key` (1..40 bytes, any case) lower-cased is none of exact_keys and ends in no
// suffix of key_suffixes.
bool maybe_key(std::string_view key) noexcept {
  const std::uint32_t h = key_mix(key);
  if ((key_bloom[(h >> 22) >> 6] >> ((h >> 22) & 63) & 1) &&
      (key_bloom[((h >> 12) & 1023) >> 6] >> ((h >> 12) & 63) & 1))
    return true;
  if (key.size() < 3) return false;
  const std::uint32_t tail = last3(key);
  if (!(suffix_bloom >> suffix_slot(tail) & 1)) return false;
  for (auto t : key_suffix_codes)
    if (tail == t) return true;
  return false;
}

// Bit of a lower-case letter (0-25) or of ' ' (26); 0 for other bytes.
constexpr std::uint32_t letter_bit(char c) noexcept {
  return c >= 'a' && c <= 'z' ? std::uint32_t{1} << (c - 'a')
         : c == ' '           ? std::uint32_t{1} << 26
                              : 0;
}
// letter_bit of the lower-cased byte, for any byte.
constexpr std::array<std::uint32_t, 256> letter_bits = [] {
  std::array<std::uint32_t, 256> t{};
  for (int c = 0; c < 256; ++c)
    t[static_cast<std::size_t>(c)] = letter_bit(lower(static_cast<char>(c)));
  return t;
}();
constexpr std::array<std::uint32_t, std::size(phone_keywords)> phone_keyword_letters = [] {
  std::array<std::uint32_t, std::size(phone_keywords)> t{};
  for (std::size_t q = 0; q < t.size(); ++q)
    for (char c : phone_keywords[q]) t[q] |= letter_bit(c);
  return t;
}();

// Values of these `key=` / `key:` parameters are replaced.
enum class key_action : std::uint8_t {
  none,
  sip_uri,
  call_id,
  id,
  user,
  secret,
  geo,
  url,
  auth_scheme,
  urn,
  cookie,
  name,
  address
};

class pass {
 public:
  pass(std::string_view in, std::string& out, redaction_counts& counts) noexcept
      : p_(in.data()), n_(in.size()), out_(out), counts_(counts) {}

  void run() {
    const auto* const p = reinterpret_cast<const unsigned char*>(p_);
    const std::size_t n = n_;
    std::size_t i = 0;
    while (i < n) {
      std::uint8_t t = table[p[i]];
      if (!(t & f_trigger)) {
        // A run of bytes no detector starts at (spaces, most punctuation). None of them is a
        // word byte, so a word right after the run starts there.
        do {
          if (++i == n) break;
          t = table[p[i]];
        } while (!(t & f_trigger));
        if (i == n) break;
      } else if ((t & f_word) && i > 0 && has(p[i - 1], f_word)) {
        i = skip_word(i + 1);  // inside a word
        continue;
      }
      std::size_t next;
      if (!(t & f_word)) next = on_punct(i);
      else if (t & f_alpha) next = on_word(i);
      else if (t & f_digit) next = on_digit(i);
      else next = skip_word(i + 1);  // '_', bytes >= 0x80
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
  // word and digit runs are where most bytes go
  std::size_t skip_word(std::size_t k) const noexcept { return skip_run<true>(p_, n_, k); }
  std::size_t skip_digits(std::size_t k) const noexcept { return skip_run<false>(p_, n_, k); }
  std::string_view sv(std::size_t b, std::size_t e) const noexcept { return {p_ + b, e - b}; }

  void replace(std::size_t b, std::size_t e, token_class c) {
    out_.append(p_ + emitted_, b - emitted_);
    out_.append(placeholder(c));
    emitted_ = e;
    // Text that already is the placeholder (scrubbed output scanned again, e.g. "tag=<id>") is
    // not a redaction: counting it would make the collector's guard see tokens that are not there.
    if (std::string_view(p_ + b, e - b) != placeholder(c)) counts_.add(c);
  }

  // Start of the line holding k, looking back at most `limit` bytes: bounded so that a long
  // line with many candidates stays linear, not quadratic (found by fuzzing).
  std::size_t line_start(std::size_t k, std::size_t limit) const noexcept {
    std::size_t b = k;
    while (b > 0 && k - b < limit && p_[b - 1] != '\n') --b;
    return b;
  }
  bool at_line_start(std::size_t k) const noexcept { return k == 0 || p_[k - 1] == '\n'; }

  // ------------------------------------------------------------------ dispatch ---------
  // Trigger bytes outside words (the word-led detectors are on_word and on_digit).
  std::size_t on_punct(std::size_t i) {
    switch (at(i)) {
      case '@': return on_at(i);
      case '+': return on_plus(i);
      case '(': return on_paren(i);
      case ':': return on_colon(i);
      case '/':
      case '\\': return on_slash(i);
      case '~': return on_tilde(i);
      case '-': return on_minus(i);
      case '%': return on_percent(i);
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
    while (k < n_ && has2(at(k), g_addr6)) {
      const bool colon = at(k) == ':';
      colons += colon;
      dbl |= colon & (at(k + 1) == ':');
      ++k;
    }
    // cheap reject before inet_pton: times (10:15:07.123) have neither "::" nor 7 colons
    if (colons < 2 || (!dbl && colons < 6)) return 0;
    std::size_t addr_end = k;
    // trailing sentence punctuation is not part of the address
    while (addr_end > s &&
           (at(addr_end - 1) == '.' || (at(addr_end - 1) == ':' && at(addr_end - 2) != ':')))
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
    if (inet_pton(AF_INET6, buf, bin) != 1 && !malformed_ipv6(s, addr_end)) return 0;
    return end;
  }

  // What real logs print where an IPv6 address stands but inet_pton refuses: an address
  // with ":::" (`2001:db8:::10`, a broken formatter) or with more than eight groups. Still an
  // address: three or more groups of 1-4 hex digits, separated by runs of at most three
  // colons, one of them a digit.
  bool malformed_ipv6(std::size_t s, std::size_t e) const noexcept {
    int groups = 0;
    bool digit = false;
    std::size_t k = s;
    while (k < e) {
      std::size_t g = k;
      while (g < e && has(at(g), f_hex)) digit |= is(g++, f_digit);
      if (g - k > 4) return false;
      if (g > k) ++groups;
      std::size_t c = g;
      while (c < e && at(c) == ':') ++c;
      if (c - g > 3 || (c == g && c < e)) return false;  // a '.': no dotted tail here
      k = c;
    }
    return groups >= 3 && digit;
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
    // Cisco aabb.ccdd.eeff, Huawei aabb-ccdd-eeff: three groups of four with a hex letter.
    if (const auto sep4 = at(s + 4); sep4 == '.' || sep4 == '-') {
      bool letter = false;
      for (int g = 0; g < 3; ++g) {
        const std::size_t b = s + static_cast<std::size_t>(g) * 5;
        for (std::size_t k = b; k < b + 4; ++k) {
          if (!is(k, f_hex)) return 0;
          letter |= has(at(k), f_alpha);
        }
        if (g < 2 && at(b + 4) != sep4) return 0;
      }
      const std::size_t e = s + 14;
      if (!letter || is(e, f_word) || (at(e) == sep4 && is(e + 1, f_hex))) return 0;
      return e;
    }
    return 0;
  }

  // UUID 8-4-4-4-12 (either case); returns end or 0.
  std::size_t uuid_end(std::size_t s) const noexcept {
    if (n_ - s < 36) return 0;
    for (std::size_t k = 0; k < 36; ++k) {
      const bool dash = k == 8 || k == 13 || k == 18 || k == 23;
      if (dash ? at(s + k) != '-' : !has(at(s + k), f_hex)) return 0;
    }
    if (is(s + 36, f_word) || (at(s + 36) == '-' && is(s + 37, f_word))) return 0;
    return s + 36;
  }

  // Tries MAC then IPv6 at a hex-led token; returns end (after replacing) or 0.
  std::size_t try_hexy(std::size_t s) {
    const std::size_t h = skip(s, f_hex) - s;
    const auto c = at(s + h);
    if (h <= 4 && c == ':') {
      if (h == 2)
        if (std::size_t e = mac_end(s)) return replace(s, e, token_class::mac), e;
      if (std::size_t e = ipv6_end(s)) return replace(s, e, token_class::ip), e;
    } else if ((h == 2 && c == '-') || (h == 4 && (c == '.' || c == '-'))) {
      if (std::size_t e = mac_end(s)) return replace(s, e, token_class::mac), e;
    }
    return 0;
  }

  // "52.520008, 13.404954" (optionally negative); returns end or 0.
  // `point` is the decimal separator: '.', or ',' where a key says the value is a coordinate
  // (German, French, Spanish locales print "lat=47,3001").
  std::size_t decimal_end(std::size_t s, unsigned max_int, std::size_t min_frac,
                          unsigned char point = '.') const noexcept {
    std::size_t k = s;
    if (at(k) == '-') ++k;
    std::size_t d = k;
    unsigned v = 0;
    while (d < n_ && d - k < 4 && has(at(d), f_digit)) v = v * 10 + (at(d++) - '0');
    if (d == k || d - k > 3 || v > max_int || at(d) != point) return 0;
    const std::size_t f = d + 1;
    const std::size_t fe = skip_digits(f);
    if (fe - f < min_frac || is(fe, f_word) || (at(fe) == point && is(fe + 1, f_digit))) return 0;
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

  static constexpr bool hemisphere(unsigned char c) noexcept {
    return c == 'N' || c == 'S' || c == 'E' || c == 'W';
  }
  // digits[.digits] followed by `mark` (one of "'", "′", "\"", "″", "''"); returns end or 0.
  std::size_t dms_part(std::size_t k, bool seconds) const noexcept {
    const std::size_t d = skip_digits(k);
    if (d == k || d - k > 2) return 0;
    std::size_t e = d;
    if (at(e) == '.' && is(e + 1, f_digit)) e = skip_digits(e + 1);
    if (!seconds) {
      if (at(e) == '\'' && at(e + 1) != '\'') return e + 1;
      if (at(e) == 0xE2 && at(e + 1) == 0x80 && at(e + 2) == 0xB2) return e + 3;  // ′
      return 0;
    }
    if (at(e) == '"') return e + 1;
    if (at(e) == '\'' && at(e + 1) == '\'') return e + 2;
    if (at(e) == 0xE2 && at(e + 1) == 0x80 && at(e + 2) == 0xB3) return e + 3;  // ″
    return 0;
  }
  // One coordinate with a degree sign: [H ]deg[.frac]°[ mm[.f]'[ ss[.f]"]][ H]; returns end or 0.
  std::size_t deg_end(std::size_t s, bool& hemi) const noexcept {
    std::size_t k = s;
    hemi = false;
    if (hemisphere(at(k)) && !is(k + 1, f_word)) {
      hemi = true;
      ++k;
      if (at(k) == ' ') ++k;
    }
    std::size_t d = skip_digits(k);
    if (d == k || d - k > 3) return 0;
    if (at(d) == '.' && is(d + 1, f_digit)) d = skip_digits(d + 1);
    if (at(d) != 0xC2 || (at(d + 1) != 0xB0 && at(d + 1) != 0xBA)) return 0;  // ° º
    k = d + 2;
    std::size_t q = at(k) == ' ' ? k + 1 : k;
    if (const std::size_t m = dms_part(q, false)) {
      k = m;
      q = at(k) == ' ' ? k + 1 : k;
      if (const std::size_t sec = dms_part(q, true)) k = sec;
    }
    q = at(k) == ' ' ? k + 1 : k;
    if (hemisphere(at(q)) && !is(q + 1, f_word)) {
      hemi = true;
      k = q + 1;
    }
    return k;
  }
  // "52.5200° N, 13.4050° E", "52°31'12.3\"N 13°24'18\"E", "N 52°31.2' E 13°24.3'"; a single
  // coordinate counts only with a hemisphere letter (so "21.5°C" stays).
  [[gnu::noinline]] std::size_t geo_deg(std::size_t s) const noexcept {
    bool h1 = false, h2 = false;
    const std::size_t a = deg_end(s, h1);
    if (!a) return 0;
    std::size_t k = a;
    if (at(k) == ',' || at(k) == ';' || at(k) == '/') ++k;
    k = skip_spaces(k);
    if (k - a <= 3)
      if (const std::size_t b = deg_end(k, h2)) return b;
    return h1 ? a : 0;
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
        std::size_t d = skip_digits(k + 1);
        if (d == k + 1 || d - k - 1 > 5 || at(d) != ')') break;
        len = static_cast<int>(d - k - 1);
        k = d + 1;
        paren_group = true;
        sh.paren = true;
      } else if (has(at(k), f_digit)) {
        std::size_t d = skip_digits(k);
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

  // Phone extension after a number: " x123", " ext. 45", " ext 45", ";ext=45" (RFC 3966 style
  // params are covered by tel: URIs). Returns the new end.
  std::size_t with_ext(std::size_t e) const noexcept {
    std::size_t k = e;
    if (at(k) == ' ' || at(k) == ',') ++k;
    if (at(k) == ' ') ++k;
    std::size_t w = k;
    while (w < n_ && has(at(w), f_alpha) && w - k < 9) ++w;
    const std::string_view kw = sv(k, w);
    if (!(ieq(kw, "x") || ieq(kw, "ext") || ieq(kw, "extn") || ieq(kw, "extension") ||
          ieq(kw, "dw") || ieq(kw, "doppel") || ieq(kw, "poste")))
      return e;
    if (at(w) == '.') ++w;
    if (at(w) == ' ') ++w;
    const std::size_t d = skip_digits(w);
    if (d == w || d - w > 6 || is(d, f_word)) return e;
    return d;
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
    std::uint32_t present = 0;  // letters and space in the window: a keyword needs all of its own
    for (std::size_t k = b; k < s; ++k) present |= letter_bits[static_cast<unsigned char>(p_[k])];
    bool fits = false;
    for (auto need : phone_keyword_letters) fits |= (need & ~present) == 0;
    if (!fits) return false;  // most windows (thread ids, log prefixes): no keyword can be there
    char buf[33];
    std::size_t m = 0;
    for (std::size_t k = b; k < s; ++k) buf[m++] = lower(p_[k]);
    const std::string_view w(buf, m);
    for (std::size_t q = 0; q < std::size(phone_keywords); ++q)
      if ((phone_keyword_letters[q] & ~present) == 0 &&
          w.find(phone_keywords[q]) != std::string_view::npos)
        return true;
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
      std::size_t e = skip_digits(k);
      if (nd + (e - k) > 20) break;
      for (std::size_t q = k; q < e; ++q) d[nd++] = p_[q];
      ends[ng] = e;
      counts[ng] = nd;
      ++ng;
      if (ng > 1 && (e - k > 6 || counts[0] > 6)) {  // groups of cards / IMEIs are short
        --ng;
        nd = counts[ng - 1];
        break;
      }
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
      if (at(s) == '0' && (sh.lens[0] <= 5 || (sh.lens[0] == 6 && dg >= 10))) return sh.end;
      if (sh.groups == 3 && sh.lens[0] == 3 && sh.lens[1] == 3 && sh.lens[2] == 4) return sh.end;
      // Chinese mobile "138 0013 8000"
      if (sh.groups == 3 && sh.lens[0] == 3 && sh.lens[1] == 4 && sh.lens[2] == 4 && at(s) == '1' &&
          at(s + 1) >= '3' && at(s + 1) <= '9' && sh.seps != 4)
        return sh.end;
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

  // Lower-cased text of up to `window` bytes before s on the same line contains one of `kws`.
  template <std::size_t N>
  bool near_before(std::size_t s, const std::string_view (&kws)[N],
                   std::size_t window) const noexcept {
    const std::size_t b = line_start(s, window);
    char buf[64];
    std::size_t m = 0;
    for (std::size_t k = b; k < s && m < sizeof buf; ++k) buf[m++] = lower(p_[k]);
    const std::string_view w(buf, m);
    for (auto kw : kws)
      if (w.find(kw) != std::string_view::npos) return true;
    return false;
  }

  static constexpr std::string_view mac_keywords[] = {"mac",     "bssid",  "hwaddr", "ether",
                                                      "hw addr", "lladdr", "station"};
  static constexpr std::string_view device_keywords[] = {"imei", "imsi",       "iccid",
                                                         "meid", "sim serial", "msisdn"};

  // Tokens recognised by the shape of one whole word [i, we) (digit- or letter-led); returns
  // the end after replacing, or 0.
  [[gnu::noinline]] std::size_t word_token(std::size_t i, std::size_t we) {
    const std::size_t len = we - i;
    const auto c0 = at(i);
    // A UUID anywhere (crash incident ids, CallKit call UUIDs, mDNS ICE hosts "<uuid>.local"):
    // one <id>, not three placeholders around two kept groups.
    if (len == 8 && at(we) == '-') {
      if (const std::size_t e = uuid_end(i)) return replace(i, e, token_class::id), e;
      return 0;
    }
    if (at(we) == '.' || at(we) == ':' || at(we) == '-') return 0;
    // bare 12-hex MAC only after a MAC keyword ("bssid 001a2b3c4d5e"); other hex stays
    if (len == 12) {
      for (std::size_t k = i; k < we; ++k)
        if (!has(at(k), f_hex)) return 0;
      // a keyword just before, or a list that already holds a MAC ("mac a:b:…, 001a2b3c4d5e")
      const bool list =
          i - emitted_ < 16 && out_.size() >= 5 &&
          std::string_view(out_).substr(out_.size() >= 24 ? out_.size() - 24 : 0).find("<mac>") !=
              std::string_view::npos;
      if (list || near_before(i, mac_keywords, 12)) return replace(i, we, token_class::mac), we;
      return 0;
    }
    // ICCID with hex 'F' padding: 89…F
    if ((len == 19 || len == 20 || len == 21) && c0 == '8' && at(i + 1) == '9' &&
        (at(we - 1) | 0x20) == 'f') {
      for (std::size_t k = i; k + 1 < we; ++k)
        if (!has(at(k), f_digit)) return 0;
      return replace(i, we, token_class::id), we;
    }
    // long opaque base64 run (key material, PEM body lines, dumps): may carry anything
    if (len >= 16 && (i == 0 || (at(i - 1) != '/' && at(i - 1) != '.' && at(i - 1) != '\\'))) {
      std::size_t e = i;
      bool up = false, lo = false, dg = false;
      while (e < n_ &&
             (has(at(e), f_alpha) || has(at(e), f_digit) || at(e) == '+' || at(e) == '/')) {
        up |= at(e) >= 'A' && at(e) <= 'Z';
        lo |= at(e) >= 'a' && at(e) <= 'z';
        dg |= has(at(e), f_digit);
        ++e;
      }
      while (at(e) == '=' && e - i < 200000) ++e;
      if (e - i >= 40 && up && lo && dg && !is(e, f_word) && at(e) != '.')
        return replace(i, e, token_class::secret), e;
    }
    // cloud credentials with a fixed prefix
    if (len == 20 && (sv(i, i + 4) == "AKIA" || sv(i, i + 4) == "ASIA")) {
      for (std::size_t k = i; k < we; ++k)
        if (!((at(k) >= 'A' && at(k) <= 'Z') || has(at(k), f_digit))) return 0;
      return replace(i, we, token_class::secret), we;
    }
    if (len >= 20 &&
        (sv(i, i + 4) == "AIza" || sv(i, i + 4) == "ghp_" || sv(i, i + 4) == "gho_" ||
         sv(i, i + 4) == "ghs_" || sv(i, i + 4) == "ghu_" || sv(i, i + 8) == "sk_live_" ||
         sv(i, i + 8) == "rk_live_" || sv(i, i + 11) == "github_pat_"))
      return replace(i, we, token_class::secret), we;
    return 0;
  }

  std::size_t on_digit(std::size_t i) {
    // a later group of a number (1.2.3, 10:15, 1/2), or an identifier suffix: Asterisk
    // channels "SIP/trunk-00000001", "C-00000012"
    // A comma starts no later group when an IPv4 address follows it: CSV dumps put one after a
    // number column (FreeSWITCH `show registrations`: `1001,10.60.18.33,…`).
    if (i >= 2 && has2(at(i - 1), g_num_sep) && has(at(i - 2), f_digit | f_alpha) &&
        (has(at(i - 2), f_digit) || at(i - 1) == '-') && !(at(i - 1) == ',' && ipv4_end(i)))
      return skip_word(i);
    const std::size_t d = skip_digits(i);
    // `"Maja Berg" <5580>`: a caller-ID (CDR clid, CLI output) with an extension in brackets;
    // the quoted name goes, the number is judged below and by the classifier.
    if (i > 0 && at(i - 1) == '<' && at(d) == '>' && d - i >= 2) {
      std::size_t j = i - 1;
      while (j > emitted_ && at(j - 1) == ' ') --j;
      if (j < i - 1 && j > emitted_ && at(j - 1) == '"') display_name(i - 1);
    }
    const std::size_t we = is(d, f_word) ? skip_word(d) : d;
    const auto wt = at(we);
    if (we - i == 8 && wt == '-')  // a UUID led by 8 digits
      if (const std::size_t e = uuid_end(i)) return replace(i, e, token_class::id), e;
    // All digits: the run is its own hex run, and try_hexy acts only on "12:", "12-", "1234."
    // (so not on "192." of every IPv4 address).
    if (we - i <= 4 && (wt == ':' || wt == '.' || wt == '-') &&
        (d < we || wt == ':' || we - i == (wt == '-' ? 2u : 4u) ||
         (wt == '-' && we - i == 4 && is(we + 1, f_hex)))) {
      // "hh:mm:ss[.fff]" at the start of most log lines: neither MAC nor IPv6 (clock_time), and
      // with try_hexy giving 0 the code below returns d for a 2-digit run before ':'.
      if (we - i == 2 && wt == ':' && clock_time(i)) return clock_end(i);
      if (std::size_t e = try_hexy(i)) return e;
    }
    if (d < we && at(d) != 0xC2) {  // (0xC2: "52°31'…")
      if (we - i >= 8)
        if (std::size_t e = word_token(i, we)) return e;
      return we;
    }
    const auto c = at(d);
    if (d - i < 6 && c != '.' && c != '(' && c != 0xC2 &&
        !((c == ' ' || c == '-' || c == '/') && (is(d + 1, f_digit) || at(d + 1) == '(')))
      return d;  // too short for any number class and no continuation: the common case
    if (d - i == 4 && c == '-' && date_time(i)) return i + 10;  // see date_time()
    return number_detectors(i, d);
  }

  // True if the digits "hh" at s start "hh:dd:dd" followed by a byte that cannot continue an
  // IPv6 address, or by '.' and digits and then such a byte. try_hexy(s) is then 0:
  // - mac_end needs ':' at s + 8 (the third separator) and finds '.' or another byte there;
  // - ipv6_end scans the bytes of [0-9A-Fa-f:.] from s: exactly this run, holding 2 colons and
  //   no "::" (each colon is followed by a digit), and returns 0 for fewer than 6 colons without
  //   "::". (As text, such a run is no IPv6 address for inet_pton either: RFC 4291 needs 8
  //   groups, or 6 before an embedded IPv4, unless "::" stands in; unit tests check that.)
  bool clock_time(std::size_t s) const noexcept {
    if (!(at(s + 2) == ':' && is(s + 3, f_digit) && is(s + 4, f_digit) && at(s + 5) == ':' &&
          is(s + 6, f_digit) && is(s + 7, f_digit)))
      return false;
    std::size_t k = s + 8;
    if (at(k) == '.') k = skip_digits(k + 1);
    return !has2(at(k), g_addr6);
  }

  // The end of the clock time "hh:mm:ss[.fff]" at s (clock_time(s) is true) as far as the scan
  // would pass over it without acting: after "hh" it would stop at each ':' (on_colon: no "::")
  // and skip "mm", "ss" and "fff" as later groups of one number (on_digit: a digit group after
  // . - : / and a digit), each up to the end of its word.
  std::size_t clock_end(std::size_t s) const noexcept {
    return at(s + 8) == '.' && is(s + 9, f_digit) ? skip_word(s + 9) : skip_word(s + 6);
  }

  // True if the 4 digits at s start "dddd-dd-dd dd:d" (a date and time). number_detectors(s,
  // s + 4) then returns s + 4: long_number collects the groups 4-2-2 (the ' ' is another
  // separator than '-'), 8 digits < 13; phone_shape reads the groups 4-2-2-2 up to the ':',
  // and national_phone rejects that end with right_ok (':' before a digit); the other
  // detectors need 1-3 or 8, 12 or 14-17 digits in the first run. The scan then passes over
  // "-mm-dd" without acting (on_minus: a word byte before '-'; on_digit: "mm", "dd" are later
  // groups of one number) and resumes at the ' ', s + 10.
  bool date_time(std::size_t s) const noexcept {
    return at(s + 4) == '-' && is(s + 5, f_digit) && is(s + 6, f_digit) && at(s + 7) == '-' &&
           is(s + 8, f_digit) && is(s + 9, f_digit) && at(s + 10) == ' ' && is(s + 11, f_digit) &&
           is(s + 12, f_digit) && at(s + 13) == ':' && is(s + 14, f_digit);
  }

  // Whether at least 6 digits follow from s, in groups joined by at most 5 bytes of " -./()".
  // Every detector after the first ones in number_detectors needs that many (long_number 13,
  // national_phone 6, the device numbers 14 in the first run), and phone_shape and long_number
  // join their groups by at most 5 such bytes (")" " - " "("). Most numbers of a log (versions
  // "2.13", "SIP/2.0", "burst=3 (delay") end here instead of in those detectors.
  bool six_digits_ahead(std::size_t s) const noexcept {
    int digits = 0, gap = 0;
    for (std::size_t k = s; k < n_; ++k) {
      const auto c = static_cast<unsigned char>(p_[k]);
      if (has(c, f_digit)) {
        if (++digits == 6) return true;
        gap = 0;
      } else if (!has2(c, g_phone_sep) || ++gap > 5) {
        return false;
      }
    }
    return false;
  }

  // Digit run [i, d) that may be an address, coordinate or number token.
  [[gnu::noinline]] std::size_t number_detectors(std::size_t i, std::size_t d) {
    const auto c = at(d);
    if (d - i <= 3 && (c == '.' || c == 0xC2)) {
      if (c == '.') {
        if (std::size_t e = ipv4_end(i)) return replace(i, e, token_class::ip), e;
        if (std::size_t e = geo_pair_end(i)) return replace(i, e, token_class::geo), e;
      }
      if (std::size_t e = geo_deg(i)) return replace(i, e, token_class::geo), e;
    }
    if (d - i == 12 || (d - i == 8 && c == '-'))
      if (std::size_t e = word_token(i, d)) return e;
    if (!six_digits_ahead(i)) return d;
    token_class cls{};
    if (std::size_t e = long_number(i, cls)) return replace(i, e, cls), e;
    if (std::size_t e = national_phone(i)) {
      e = with_ext(e);
      return replace(i, e, token_class::phone), e;
    }
    // IMEISV (16 digits, no Luhn) and other device numbers named by a keyword
    if (d - i >= 14 && d - i <= 17 && right_ok(d) && near_before(i, device_keywords, 16))
      return replace(i, d, token_class::id), d;
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
    if (sh.groups > 0 && sh.digits >= 7 && sh.digits <= 15 && right_ok(sh.end)) {
      const std::size_t e = with_ext(sh.end);
      // `"BAKER,ROSE" <+12125556769>`: the display name before a number in angle brackets
      if (i > 0 && at(i - 1) == '<' && at(e) == '>') display_name(i - 1);
      return replace(i, e, token_class::phone), e;
    }
    return i + 1;
  }

  std::size_t on_paren(std::size_t i) {
    if (i > 0 && has(at(i - 1), f_word)) return caller_id_function(i);
    if (!is(i + 1, f_digit)) return i + 1;
    if (std::size_t e = national_phone(i)) {
      e = with_ext(e);
      return replace(i, e, token_class::phone), e;
    }
    return i + 1;
  }

  std::size_t on_colon(std::size_t i) {
    if (at(i + 1) != ':' || (i > 0 && (has(at(i - 1), f_word) || at(i - 1) == ':'))) return i + 1;
    if (std::size_t e = ipv6_end(i)) return replace(i, e, token_class::ip), e;
    return i + 2;
  }

  std::size_t on_minus(std::size_t i) {
    // -----BEGIN … PRIVATE KEY----- … -----END … PRIVATE KEY-----
    if (at(i + 1) == '-' && n_ - i > 16 && sv(i, i + 11) == "-----BEGIN ") {
      std::size_t le = i + 11;
      while (le < n_ && at(le) != '\n' && le - i < 80) ++le;
      const std::string_view head = sv(i, le);
      if (head.find("PRIVATE KEY") == std::string_view::npos) return i + 11;
      const std::size_t endm = std::string_view(p_, n_).find("-----END ", le);
      std::size_t e = n_;
      if (endm != std::string_view::npos) {
        e = endm + 9;
        while (e < n_ && at(e) != '\n' && !(at(e) == '-' && at(e + 1) == '-' && at(e + 4) == '-'))
          ++e;
        if (at(e) == '-') e += 5;
        if (e > n_) e = n_;
      }
      return replace(i, e, token_class::secret), e;
    }
    if ((i > 0 && has(at(i - 1), f_word)) || !is(i + 1, f_digit)) return i + 1;
    if (std::size_t e = geo_pair_end(i)) return replace(i, e, token_class::geo), e;
    return i + 1;
  }

  // ------------------------------------------------------------------ e-mail -----------
  // '@' at a (alen 1) or URL-encoded "%40" (alen 3).
  std::size_t on_at(std::size_t a, std::size_t alen = 1) {
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
    const std::size_t ds = a + alen;
    // Not an e-mail domain: a dialled number as the user part of a dial string / channel /
    // context ("Executing [4930123456@from-trunk:1]", "SIP/4915112345678@trunk") -> "<phone>@…"
    auto not_email = [&]() -> std::size_t {
      std::size_t q = b;
      if (at(q) == '+') ++q;
      const std::size_t qe = skip_digits(q);
      if (qe == a && a - q >= 7 && a - q <= 15) {
        replace(b, a, token_class::phone);
        return a + alen;
      }
      return a + 1;
    };
    // user@IPv4, user@[IPv6], user@IPv6: the user part goes, the address is left to the
    // address detectors (so a port after it survives): "<user>@<ip>".
    if (is(ds, f_hex) || at(ds) == '[' || (at(ds) == ':' && at(ds + 1) == ':')) {
      bool addr = false;
      if (is(ds, f_digit) && ipv4_end(ds)) addr = true;
      else if (at(ds) == '[') addr = ipv6_end(ds + 1) != 0;
      else addr = ipv6_end(ds) != 0;
      if (addr) {
        replace(b, a, token_class::user);
        return ds;
      }
    }
    std::size_t e = ds;
    std::size_t last_dot = 0;
    while (e < n_ && (has(at(e), f_alpha) || has(at(e), f_digit) || at(e) == '-' || at(e) == '.' ||
                      at(e) >= 0x80)) {  // IDN domains in UTF-8
      if (at(e) == '.') last_dot = e;
      ++e;
    }
    while (e > ds && (at(e - 1) == '.' || at(e - 1) == '-')) --e;
    if (last_dot >= e) {
      last_dot = 0;
      for (std::size_t k = ds; k < e; ++k)
        if (at(k) == '.') last_dot = k;
    }
    if (last_dot == 0 || last_dot <= ds || e - last_dot < 3) return not_email();
    // TLD: ASCII letters, UTF-8 (.рф, .广告) or punycode (.xn--p1ai)
    const std::size_t t = last_dot + 1;
    bool ascii = true, utf8 = true;
    for (std::size_t k = t; k < e; ++k) {
      ascii &= has(at(k), f_alpha);
      utf8 &= at(k) >= 0x80;
    }
    const bool puny = e - t > 4 && ieq(sv(t, t + 4), "xn--");
    if (!ascii && !(utf8 && e - t >= 4) && !puny) return not_email();
    if (b > 0 && at(b - 1) == '<' && at(e) == '>') display_name(b - 1);
    else if (b >= 8 && at(b - 1) == ':' && ieq(sv(b - 7, b - 1), "mailto") && at(b - 8) == '<')
      display_name(b - 8);
    replace(b, e, token_class::email);
    return e;
  }

  // "%40" (URL-encoded '@') and "%2B" before digits (URL-encoded '+' of a phone number).
  std::size_t on_percent(std::size_t i) {
    const auto c1 = at(i + 1), c2 = at(i + 2);
    if (c1 == '4' && c2 == '0') return on_at(i, 3);
    if (c1 == '2' && (c2 | 0x20) == 'b' && is(i + 3, f_digit)) {
      const shape sh = phone_shape(i + 3);
      if (sh.groups > 0 && sh.digits >= 7 && sh.digits <= 15 && right_ok(sh.end))
        return replace(i, sh.end, token_class::phone), sh.end;
    }
    return i + 1;
  }

  // Is the ':' at h the end of a SIP header name (at line start or after a log prefix)?
  bool header_colon(std::size_t h) const noexcept {
    std::size_t hs = h;
    while (hs > 0 && has(at(hs - 1), f_key)) --hs;
    if (hs == h) return false;
    if (hs > 0 && at(hs - 1) != '\n' && !has(at(hs - 1), f_space) && at(hs - 1) != '|')
      return false;
    for (auto name : sip_headers)
      if (ieq(sv(hs, h), name)) return true;
    return false;
  }

  // A word that looks like part of a person's name: capitalised (Latin, Latin-1, Greek,
  // Cyrillic) or a short CJK word. Common log words are not names.
  bool name_word(std::size_t b, std::size_t e) const noexcept {
    const auto c = at(b);
    if (c >= 'A' && c <= 'Z') {
      bool lower_seen = e - b == 2 && at(b + 1) == '.';  // initial "J."
      for (std::size_t k = b + 1; k < e; ++k)
        lower_seen |= (at(k) >= 'a' && at(k) <= 'z') || at(k) >= 0x80;
      if (!lower_seen) return false;  // INVITE, SIP, ACK
      static constexpr std::string_view stop[] = {
          "call",      "calling",    "caller",      "callee",      "from",         "to",
          "contact",   "incoming",   "outgoing",    "dialing",     "dialling",     "dial",
          "invite",    "register",   "message",     "transfer",    "transferring", "forwarding",
          "forward",   "refer",      "notify",      "subscribe",   "sending",      "send",
          "received",  "new",        "ringing",     "user",        "peer",         "remote",
          "local",     "target",     "destination", "via",         "route",        "with",
          "and",       "or",         "for",         "missed",      "voicemail",    "reply",
          "uri",       "address",    "redirect",    "redirecting", "answered",     "accepted",
          "connected", "connecting", "trying",      "request",     "response",     "identity",
          "mail",      "email",      "e-mail",      "sms",         "chat",         "presence",
          "buddy",     "account",    "registered",  "registering", "unregistered", "dest",
          "src",       "source",     "the",         "a",           "an",           "by",
          "at",        "on",         "in",          "of",          "is",           "was",
          "re",        "fwd",        "fw",          "subject",     "sip",          "tel",
          "mailto",    "error",      "warning",     "info",        "debug",        "failed",
          "ok"};
      for (auto w : stop)
        if (ieq(sv(b, e), w)) return false;
      return true;
    }
    if (c == 0xD0 && at(b + 1) >= 0x80 && at(b + 1) <= 0xAF) return true;  // Cyrillic А-Я, Ё…
    if (c == 0xC3 && at(b + 1) >= 0x80 && at(b + 1) <= 0x9E && at(b + 1) != 0x97)
      return true;  // À-Þ
    if (c == 0xC5 && at(b + 1) >= 0x81 && at(b + 1) <= 0xBD && (at(b + 1) & 1))
      return true;                                                         // Ł Ś Š Ž…
    if (c == 0xCE && at(b + 1) >= 0x86 && at(b + 1) <= 0xA9) return true;  // Greek capitals
    if (c >= 0xE3 && c <= 0xE9 && e - b <= 12) return true;                // CJK, up to 4 chars
    if (c >= 0xEA && c <= 0xED && e - b <= 12) return true;                // Hangul
    return false;
  }

  // Display name before '<' at `lt`: quoted anywhere; unquoted after a SIP header name (also in
  // comma-separated lists), or capitalised words right before the '<' anywhere else.
  [[gnu::noinline]] void display_name(std::size_t lt) {
    std::size_t j = lt;
    while (j > emitted_ && has(at(j - 1), f_space)) --j;
    if (j == emitted_) return;
    // CSV doubles the quotes of a quoted display name (Asterisk CDR clid `"""Maja Berg"" <5580>"`)
    if (at(j - 1) == '"' && j >= 2 && at(j - 2) == '"') {
      std::size_t q = j - 2;
      while (q > emitted_ + 1 && !(at(q - 1) == '"' && at(q - 2) == '"') && at(q - 1) != '\n' &&
             j - q < 200)
        --q;
      if (q > emitted_ + 1 && at(q - 1) == '"' && q < j - 2) replace(q, j - 2, token_class::user);
      return;
    }
    if (at(j - 1) == '"') {
      std::size_t q = j - 1;
      while (q > emitted_ && at(q - 1) != '"' && at(q - 1) != '\n' && j - q < 200) --q;
      if (q == emitted_ || at(q - 1) != '"' || q == j - 1) return;
      replace(q, j - 1, token_class::user);
      return;
    }
    std::size_t b = j;
    while (b > emitted_ &&
           (has(at(b - 1), f_word) || has(at(b - 1), f_space) || at(b - 1) == '.' ||
            at(b - 1) == '-' || at(b - 1) == '\'') &&
           j - b < 120)
      --b;
    if (b > emitted_ && (at(b - 1) == ':' || at(b - 1) == ',')) {
      bool hdr = false;
      if (at(b - 1) == ':') {
        hdr = header_colon(b - 1);
      } else {  // list entry: a header colon earlier on the same line
        const std::size_t ls = line_start(b - 1, 2000);
        for (std::size_t h = b - 1; h > ls && b - h < 2000; --h)
          if (at(h - 1) == ':' && header_colon(h - 1)) {
            hdr = true;
            break;
          }
      }
      if (hdr) {
        while (b < j && has(at(b), f_space)) ++b;
        if (b < j) replace(b, j, token_class::user);
        return;
      }
    }
    // free text: up to four capitalised words ("call from Мария Иванова <sip:…>")
    std::size_t start = j;
    std::size_t k = j;
    for (int words = 0; words < 4; ++words) {
      std::size_t ws = k;
      while (ws > emitted_ &&
             (has(at(ws - 1), f_word) || at(ws - 1) == '.' || at(ws - 1) == '-' ||
              at(ws - 1) == '\'') &&
             k - ws < 64)
        --ws;
      if (ws == k || !name_word(ws, k)) break;
      if (ws > 0 && !has(at(ws - 1), f_space) && at(ws - 1) != '\n' && at(ws - 1) != '(' &&
          at(ws - 1) != '>' && at(ws - 1) != '[' && at(ws - 1) != ',')
        break;  // glued to something else ("id=Foo <sip:…>")
      start = ws;
      if (ws <= emitted_ + 1 || at(ws - 1) != ' ') break;
      k = ws - 1;
    }
    if (start < j) replace(start, j, token_class::user);
  }

  // ------------------------------------------------------------------ paths ------------
  // The user a home directory named (on_slash), and where its path ends: a later segment of
  // the same path that starts with it is the same person (`C:\Users\timo\…\timo_sip.log`).
  std::string_view path_user_;
  std::size_t path_user_end_ = 0;

  std::size_t on_slash(std::size_t i) {
    if (i < path_user_end_ && n_ - i > path_user_.size() + 1) {
      const std::size_t s = i + 1, e = s + path_user_.size();
      if (ieq(sv(s, e), path_user_) && !has(at(e), f_alpha | f_digit) && at(e) != 0 &&
          s >= emitted_)
        return replace(s, e, token_class::user), e;
    }
    std::size_t k = i;
    const char sep = p_[i];
    while (k < n_ && (at(k) == '/' || at(k) == '\\')) ++k;
    std::size_t name = 0;
    // a UUID directory is an install / app-container / simulator-device identifier
    // (/var/mobile/Containers/Data/Application/<UUID>/…)
    if (k > i && is(k, f_hex))
      if (const std::size_t ue = uuid_end(k);
          ue && (at(ue) == '/' || at(ue) == '\\' || value_end(at(ue))))
        return replace(k, ue, token_class::id), ue;
    // A share of home directories: \\server\home$\jdoe, \\server\users\jdoe, Samba's
    // [homes] (\\fs01\homes\b.miller), roaming profiles (\\dc\profiles$\jdoe.V6).
    auto home_share = [&]() -> std::size_t {
      for (std::string_view share :
           {"home$", "homes", "users", "home", "profiles$", "profiles", "profile$", "userdata"})
        if (n_ - k > share.size() + 1 && ieq(sv(k, k + share.size()), share) &&
            (at(k + share.size()) == '\\' || at(k + share.size()) == '/'))
          return k + share.size() + 1;
      return 0;
    };
    if (sep == '/' && n_ - k > 5 && sv(k, k + 5) == "home/") name = k + 5;
    else if (sep == '\\') name = home_share();
    if (!name && n_ - k > 23 && ieq(sv(k, k + 22), "documents and settings") &&
        (at(k + 22) == '\\' || at(k + 22) == '/'))
      name = k + 23;  // Windows XP profiles
    if (!name && n_ - k > 6 &&
        (sep == '\\' || at(i - 1) == ':' ? ieq(sv(k, k + 5), "users") : sv(k, k + 5) == "Users") &&
        (at(k + 5) == '/' || at(k + 5) == '\\')) {
      name = k + 6;  // macOS /Users/x, Windows C:\Users\x or C:/Users/x
    }
    if (!name) return k;
    while (name < n_ && (at(name) == '/' || at(name) == '\\')) ++name;
    auto path_end = [&](std::size_t q) {
      while (q < n_) {
        const auto c = at(q);
        if (c == '/' || c == '\\' || c == ':' || c == '*' || c == '?' || c == '=' || value_end(c))
          break;
        ++q;
      }
      return q;
    };
    std::size_t e = path_end(name);
    // Windows profile names may hold spaces: extend only if the same separator follows
    // directly after a word ("C:\Users\John Smith\AppData", not "/home/x /etc/y").
    if (at(e) == ' ') {
      std::size_t q = e;
      while (q < n_ && (at(q) == ' ' || has(at(q), f_word) || at(q) == '.' || at(q) == '-')) ++q;
      if (at(q) == at(name - 1) && at(q - 1) != ' ') e = q;
    }
    if (e == name) return name;
    const std::string_view u = sv(name, e);
    if (ieq(u, "shared") || ieq(u, "public") || ieq(u, "default") || ieq(u, "all users") ||
        ieq(u, "localservice") || ieq(u, "networkservice") || ieq(u, "local service") ||
        ieq(u, "network service") || ieq(u, "default.migrated") || ieq(u, "default user") ||
        u == "<user>")
      return e;
    replace(name, e, token_class::user);
    if (e - name >= 3 && e - name <= 40) {
      path_user_ = sv(name, e);
      path_user_end_ = e;
      while (path_user_end_ < n_ && !value_end(at(path_user_end_)) && at(path_user_end_) != '"')
        ++path_user_end_;
    }
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
  // Asterisk's dialplan functions `CALLERID(name)=KOCH ANKE`, `CONNECTEDLINE(num)=2689`,
  // `REDIRECTING(from-name)=…` (`Set(...)` in verbose logs, AMI `Setvar`): the value is the
  // caller's name or number. `i` is the '('.
  std::size_t caller_id_function(std::size_t i) {
    std::size_t w = i;
    while (w > emitted_ && i - w < 14 && has(at(w - 1), f_alpha)) --w;
    const std::string_view fn = sv(w, i);
    if (!(ieq(fn, "callerid") || ieq(fn, "connectedline") || ieq(fn, "redirecting"))) return i + 1;
    std::size_t c = i + 1;
    while (c < n_ && c - i < 20 && (has(at(c), f_alpha) || at(c) == '-')) ++c;
    if (at(c) != ')' || (at(c + 1) != '=' && at(c + 1) != ':')) return i + 1;
    const std::string_view arg = sv(i + 1, c);
    const std::size_t v = skip_spaces(c + 2);
    if (arg.size() >= 4 && ieq(arg.substr(arg.size() - 4), "name")) {
      const std::size_t e = name_value(v);
      return e > c + 2 ? e : c + 2;
    }
    if (ieq(arg, "num") || ieq(arg, "all") || ieq(arg, "number") || ieq(arg, "from-num") ||
        ieq(arg, "ani") || ieq(arg, "dnid") || ieq(arg, "rdnis")) {
      const std::size_t e = param_value(v, token_class::user);
      return e > c + 2 ? e : c + 2;
    }
    return c + 2;
  }

  // The value of a name field at k: a quoted string whole, or up to the end of the line or
  // a delimiter of key=value lists; one <user> unless it names nobody ("null", "Anonymous").
  // A quoted value at k (`"…"`, one line, at most 256 bytes): its bounds [b, e) and the
  // position after the closing quote. False if the quote is not closed.
  bool quoted_value(std::size_t k, std::size_t& b, std::size_t& e, std::size_t& next) const {
    b = e = k + 1;
    while (e < n_ && e - b < 256 && at(e) != '"' && at(e) != '\n') ++e;
    if (at(e) != '"') return false;
    next = e + 1;
    return true;
  }

  std::size_t name_value(std::size_t k) {
    std::size_t b = k, e = k, next = k;
    if (at(k) == '"') {
      if (!quoted_value(k, b, e, next)) return k;
    } else {
      // Names are capitalised: a space before a lower-case word or a digit ends the value
      // (`displayName=Telekom.de mcc 262`), so the key=value list after it is judged alone.
      while (e < n_ && e - b < 256 && !is_name_value_end(at(e)) &&
             !(at(e) == ' ' && ((at(e + 1) >= 'a' && at(e + 1) <= 'z') || is(e + 1, f_digit))))
        ++e;
      while (e > b && at(e - 1) == ' ') --e;
      next = e;
    }
    if (e == b || at(b) == '<') return next;
    if (is(b, f_digit) || at(b) == '+') return k;  // `Caller ID: +1212…`: the number detectors
    // A host name is a provider, not a person: Android's SIM `displayName=Telekom.de`.
    if (const std::size_t dot = sv(b, e).rfind('.'); dot != std::string_view::npos && dot > 0) {
      bool host = e - (b + dot) >= 3 && e - (b + dot) <= 7;
      for (std::size_t q = b; q < e && host; ++q)
        host = is(q, f_alpha) || is(q, f_digit) || at(q) == '-' || at(q) == '.';
      for (std::size_t q = b + dot + 1; q < e && host; ++q) host = at(q) >= 'a' && at(q) <= 'z';
      if (host) return k;  // the usual detectors judge it
    }
    for (std::string_view w : no_name_values)
      if (ieq(sv(b, e), w)) return next;
    replace(b, e, token_class::user);
    return next;
  }
  // The value of an address key at k: a quoted value whole, else up to a list delimiter or
  // the line's end; replaced as <geo> unless it is empty or a placeholder. Returns the end.
  std::size_t address_value(std::size_t k) {
    std::size_t b = k, e = k, next = k;
    if (at(k) == '"') {
      if (!quoted_value(k, b, e, next)) return k;
    } else {
      while (e < n_ && e - b < 256 && !is_name_value_end(at(e))) ++e;
      while (e > b && at(e - 1) == ' ') --e;
      next = e;
    }
    if (e == b || at(b) == '<') return next;
    for (std::string_view w : no_name_values)
      if (ieq(sv(b, e), w)) return next;
    replace(b, e, token_class::geo);
    return next;
  }

  static constexpr bool is_name_value_end(unsigned char c) noexcept {
    return c == '\n' || c == '\r' || c == '\t' || c == ',' || c == ';' || c == '&' || c == '|' ||
           c == '"' || c == '<' || c == '>' || c == '(' || c == ')' || c == '[' || c == ']' ||
           c == '{' || c == '}';
  }

  // ------------------------------------------------------------------ vCard ------------
  // A vCard property line (RFC 6350; 2.1 and 3.0 alike) at line start whose value is a name,
  // an address or a birthday: `FN:…`, `N:Family;Given;…`, `ADR;TYPE=HOME:;;street;city;;zip;`,
  // `NICKNAME:`, `LABEL:`, `BDAY:`, with an optional group (`item1.ADR`) and parameters, and
  // folded continuation lines (a line starting with a space or tab). Each non-empty component
  // becomes one placeholder; the ';' structure and the line breaks stay. Returns the end of the
  // value, or 0 when the line is no such property.
  std::size_t vcard_line(std::size_t i) {
    std::size_t k = i;
    if (at(k) == 'i' || at(k) == 'I') {  // group "item1."
      if (n_ - k < 6 || !ieq(sv(k, k + 4), "item")) return 0;
      const std::size_t d = skip_digits(k + 4);
      if (d == k + 4 || at(d) != '.') return 0;
      k = d + 1;
    }
    std::size_t ne = k;
    while (ne < n_ && ne - k < 12 && at(ne) >= 'A' && at(ne) <= 'Z') ++ne;
    const std::string_view prop = sv(k, ne);
    token_class cls = token_class::user;
    bool components = false;
    if (prop == "FN" || prop == "NICKNAME") cls = token_class::user;
    else if (prop == "N") cls = token_class::user, components = true;
    else if (prop == "ADR") cls = token_class::geo, components = true;
    else if (prop == "LABEL") cls = token_class::geo;
    else if (prop == "BDAY" || prop == "ANNIVERSARY") cls = token_class::id;
    else return 0;
    std::size_t v = ne;
    if (at(v) == ';') {  // parameters, quoted values allowed, up to ':' on the same line
      bool quoted = false;
      while (v < n_ && v - ne < 256 && at(v) != '\n' && (quoted || at(v) != ':')) {
        if (at(v) == '"') quoted = !quoted;
        ++v;
      }
    }
    if (at(v) != ':') return 0;
    ++v;
    // The value, component by component, across folded lines.
    std::size_t b = v;
    auto flush = [&](std::size_t e) {
      if (e > b) replace(b, e, cls);
    };
    std::size_t q = v;
    while (q < n_) {
      const unsigned char c = at(q);
      if (c == '\\' && q + 1 < n_ && at(q + 1) != '\n') {  // escaped ';' ',' '\\' 'n'
        q += 2;
        continue;
      }
      if (c == '\r' || c == '\n') {
        flush(q);
        std::size_t nl = c == '\r' && at(q + 1) == '\n' ? q + 2 : q + 1;
        if (at(nl) != ' ' && at(nl) != '\t') return q;  // no continuation: the value ends
        q = b = nl + 1;
        continue;
      }
      if (components && c == ';') {
        flush(q);
        b = ++q;
        continue;
      }
      ++q;
    }
    flush(q);
    return q;
  }

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

  key_action classify(std::string_view raw, unsigned char term, std::size_t s) const noexcept {
    const std::size_t len = raw.size();
    if (len > 40 || len == 0) return key_action::none;
    // lower-case once; every test below is then a plain compare
    char buf[40];
    const auto lowered = [&] {
      for (std::size_t k = 0; k < len; ++k) buf[k] = lower(raw[k]);
      return std::string_view(buf, len);
    };
    // Only "scheme://" acts on a key that is no known name or suffix (most keys: Via, CSeq...).
    if (!reference && !maybe_key(raw) &&
        !(term == ':' && at(s + len + 1) == '/' && at(s + len + 2) == '/')) {
      assert(classify_keys(lowered(), term, s) == key_action::none);
      return key_action::none;
    }
    return classify_keys(lowered(), term, s);
  }

  // `key` is lower-case, 1..40 bytes, and starts at s.
  key_action classify_keys(std::string_view key, unsigned char term, std::size_t s) const noexcept {
    const std::size_t len = key.size();
    const char* const buf = key.data();
    auto ends = [&](std::string_view w) {
      return len >= w.size() && std::memcmp(buf + len - w.size(), w.data(), w.size()) == 0;
    };
    if (term == ':') {
      if (at(s + len + 1) == '/' && at(s + len + 2) == '/') return key_action::url;
      if (key == "sip" || key == "sips" || key == "tel") return key_action::sip_uri;
      if (key == "urn") return key_action::urn;
      if (key == "call-id" || (key == "i" && at_line_start(s)) || key == "replaces" ||
          key == "join" || key == "in-reply-to")
        return key_action::call_id;
      if (key == "cookie" || key == "set-cookie") return key_action::cookie;
      if (key == "key" && s >= 14 && ieq(sv(s - 14, s), "crashreporter ")) return key_action::id;
      // "User: CORP\jdoe", Windows event log "Account Name: jdoe" / "User Name: jdoe"
      if (key == "user" || key == "username" ||
          (key == "name" && s >= 8 &&
           (ieq(sv(s - 8, s), "account ") || ieq(sv(s - 5, s), "user "))))
        return key_action::user;
    }
    if (term != ' ') {
      for (std::string_view k : name_keys)
        if (key == k) return key_action::name;
      for (std::string_view k : address_keys)
        if (key == k) return key_action::address;
      // `CID: SMITH JOHN 2125556769` (caller-ID units, CNAM logs): "cid" only before ": ", so
      // that `cid=` parameters and `cid:` URIs (RFC 2392) are no name fields.
      if (key == "cid" && term == ':' && at(s + 4) == ' ') return key_action::name;
      if (key == "name" && s >= 2 && at(s - 1) == ' ')
        for (std::string_view w : name_key_owners)
          if (s >= w.size() + 1 && ieq(sv(s - 1 - w.size(), s - 1), w) &&
              (s == w.size() + 1 || !is(s - 2 - w.size(), f_word)))
            return key_action::name;
    }
    // device identifiers named by two words: "Device ID:", "Android ID=", "Install ID:"
    if (key == "id" && s >= 7 && term != ' ' &&
        (ieq(sv(s - 7, s), "device ") ||
         (s >= 8 && (ieq(sv(s - 8, s), "android ") || ieq(sv(s - 8, s), "install ")))))
      return key_action::id;
    if (term == ' ') {
      if (key == "bearer" || key == "basic") return key_action::auth_scheme;
      // "lat 58.115866 lng 26.978265": coordinates named by a word (the value must be a
      // decimal, below)
      if (key == "lat" || key == "lon" || key == "lng" || key == "latitude" || key == "longitude")
        return key_action::geo;
      return key_action::none;
    }
    if (term == '=') {
      if (key == "tag" || key == "branch" || key == "nonce" || key == "cnonce" ||
          key == "rinstance" || key == "epid" || key == "call-id" || key == "callid" ||
          key == "call_id" || key == "imei" || key == "imsi" || key == "iccid" || key == "gr" ||
          key == "sip.instance" || key == "imeisv" || key == "meid" || key == "msisdn" ||
          key == "android_id" || key == "idfa" || key == "idfv" || key == "gaid" || key == "adid" ||
          key == "serial" || key == "serialno" || key == "ro.serialno" || key == "opaque")
        return key_action::id;
      if (key == "sig" || key == "hmac" || key == "response") return key_action::secret;
      if (key == "username" || key == "user_name" || key == "login" || key == "authname" ||
          key == "auth_user")
        return key_action::user;
    }
    switch (buf[len - 1]) {  // dispatch on the last letter before the suffix lists
      case 't':
        if (key == "lat") return key_action::geo;
        if (ends("secret")) return key_action::secret;
        break;
      case 'n':
        if (key == "lon") return key_action::geo;
        if (ends("token") || key == "pin") return key_action::secret;
        break;
      case 'g':
        if (key == "lng") return key_action::geo;
        break;
      case 'e':
        if (key == "latitude" || key == "longitude") return key_action::geo;
        if (ends("passphrase") || ends("signature") || key == "cookie" || key == "set-cookie")
          return key_action::secret;
        break;
      case 'd':
        if (ends("password") || ends("passwd") || ends("pwd") || key == "sessionid" ||
            key == "jsessionid" || key == "phpsessid" || key == "sid" || key == "session_id")
          return key_action::secret;
        break;
      case 's':
        if (key == "pass" || ends("credentials")) return key_action::secret;
        break;
      case 'l':
        if (ends("credential")) return key_action::secret;
        break;
      case 'y':
        if (ends("api_key") || ends("apikey") || ends("api-key") || ends("private_key") ||
            ends("access_key") || ends("secret_key") || ends("signing_key") || ends("client_key") ||
            ends("session_key") || ends("license_key") || ends("auth_key") || ends("authkey"))
          return key_action::secret;
        break;
      case 'p':
        if (key == "otp") return key_action::secret;
        break;
      default: break;
    }
    return key_action::none;
  }

  // One-letter words: hemisphere of a coordinate, Windows SID, SDP origin line. Returns the end
  // after replacing (or after the inspected value), 0 if nothing applies.
  [[gnu::noinline]] std::size_t one_letter(std::size_t i, std::size_t we) {
    const auto c = at(i);
    // "N 52°31.2' E 13°24.3'"
    if ((c == 'N' || c == 'S' || c == 'E' || c == 'W') && at(we) == ' ' && is(we + 1, f_digit))
      if (std::size_t e = geo_deg(i)) return replace(i, e, token_class::geo), e;
    // Windows SID of a domain / local account (S-1-5-21-…-RID); well-known SIDs stay
    if (c == 'S' && n_ - we > 8 && sv(we, we + 8) == "-1-5-21-") {
      std::size_t e = we + 8;
      while (e < n_ && (has(at(e), f_digit) || (at(e) == '-' && is(e + 1, f_digit)))) ++e;
      if (!is(e, f_word)) return replace(i, e, token_class::id), e;
    }
    // SDP origin user name: "o=alice 2890844526 …" (tool names and "-" stay)
    if (c == 'o' && at(we) == '=' && at_line_start(i)) {
      const std::size_t v = we + 1;
      std::size_t e = v;
      while (e < n_ && !has(at(e), f_space) && at(e) != '\r' && at(e) != '\n') ++e;
      if (at(e) != ' ' || e == v) return e;
      const std::string_view u = sv(v, e);
      static constexpr std::string_view tools[] = {
          "-",       "root",     "freeswitch",   "asterisk", "z",     "sonus_uac",
          "pjmedia", "linphone", "yate",         "webrtc",   "sipgw", "cisco-sipgw",
          "tinysdp", "doubango", "audiocodesgw", "gw"};
      for (auto t : tools)
        if (ieq(u, t)) return e;
      if (u.size() >= 7 && ieq(u.substr(0, 7), "mozilla")) return e;
      return replace(v, e, token_class::user), e;
    }
    return 0;
  }

  std::size_t on_word(std::size_t i) {
    if (at_line_start(i) && ((at(i) >= 'A' && at(i) <= 'Z') || at(i) == 'i'))
      if (const std::size_t e = vcard_line(i)) return e;
    const std::size_t we = skip_word(i + 1);
    if (!reference && plain_word(i, we)) return we;
    return word_detectors(i, we);
  }

  // Most words are followed by a space or punctuation no detector continues with, and are too
  // short for a word-shaped token: decided here without entering the detectors. Each test
  // mirrors an early return of word_detectors(), which stays the reference for the rest.
  // Written with non-short-circuit operators: one branch instead of one per test.
  bool plain_word(std::size_t i, std::size_t we) const noexcept {
    const std::size_t len = we - i;
    const auto c0 = at(i);
    const auto wt = at(we);
    const auto t = table2[wt];
    if (t & g_key_term) return false;
    // The common case, decided with fewer tests: a word shorter than 12 bytes and not followed
    // by '.' can only be a one_letter word, "Bearer"/"Basic" or "lat"/"lon"/"lng" before a space (a
    // JWT there needs 16 bytes: word_detectors' JWT run ends at a byte other than '.' and '-' with
    // the word).
    if (len < 12 && !(t & g_dot))
      return !((len == 1 && has2(c0, g_one)) || (len == 8 && wt == '-') ||
               (len == 4 && wt == '-' && has(c0, f_hex)) ||  // Huawei MAC aabb-ccdd-eeff
               ((t & g_space) && (((len == 5 || len == 6) && (c0 | 0x20) == 'b') ||
                                  (len == 3 && (c0 | 0x20) == 'l'))));
    const auto c1 = at(i + 1);
    const auto u = [](bool v) { return static_cast<unsigned>(v); };  // no short circuit
    const unsigned special =
        // word_token: bare hex MAC (12 hex digits), cloud keys (20+), base64 runs (40+ bytes,
        // so a shorter word only if the run goes on with '+' or '/'; '=' is a key term below)
        (u(len == 12) & u(has(c0, f_hex)) & u(has(c1, f_hex))) | u(len >= 20) |
        (u(len >= 16) & (u(wt == '+') | u(wt == '/'))) |
        (u(len == 1) & u(has2(c0, g_one))) |                   // one_letter
        (u(c0 == 'e') & u(c1 == 'y') & u(at(i + 2) == 'J')) |  // JWT
        u((t & g_key_term) != 0) |                             // key, scheme, hex group
        // "ab12.cd34.ef56" (Cisco MAC), "sip.instance="
        (u((t & g_dot) != 0) &
         ((u(len <= 4) & u(has(c0, f_hex))) | (u(len == 3) & u((at(we + 1) | 0x20) == 'i')))) |
        // "Bearer <tok>", "Basic <tok>"
        (u((t & g_space) != 0) & (u(len == 5) | u(len == 6)) & u((c0 | 0x20) == 'b')) |
        // "lat 58.1", "lon 26.9" (latitude/longitude have 8/9 bytes: the slow path below)
        (u((t & g_space) != 0) & u(len == 3) & u((c0 | 0x20) == 'l'));
    return special == 0;
  }

  [[gnu::noinline]] std::size_t word_detectors(std::size_t i, std::size_t we) {
    // JWT eyJ….….…
    if (we - i >= 3 && at(i) == 'e' && at(i + 1) == 'y' && at(i + 2) == 'J') {
      std::size_t e = i;
      while (e < n_ && (has(at(e), f_key) || at(e) == '.')) ++e;
      while (at(e - 1) == '.') --e;
      if (e - i >= 16) return replace(i, e, token_class::secret), e;
    }
    if (we - i >= 8)
      if (std::size_t e = word_token(i, we)) return e;
    if (we - i == 1 &&
        (at(i) == 'o' || at(i) == 'N' || at(i) == 'S' || at(i) == 'E' || at(i) == 'W'))
      if (std::size_t e = one_letter(i, we)) return e;
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
      if (at(k2) == '=' && ieq(sv(i, k2), "sip.instance"))
        return param_value(k2 + 1, token_class::id);
    }
    const auto term = at(ke);
    if (term != ':' && term != '=' && term != '"') {
      // only "Bearer <tok>" / "Basic <tok>" and "lat|lon|lng <decimal>" act on a following space
      if (term != ' ' || !(((ke - i == 5 || ke - i == 6) && (at(i) | 0x20) == 'b') ||
                           (ke - i == 3 && (at(i) | 0x20) == 'l')))
        return we;
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
        while (e < n_ && !(end_table[at(e)] & e_callid)) ++e;
        if (e == v) return ke + 1;
        replace(v, e, token_class::id);
        return e;
      }
      case key_action::cookie:
        if (term == ':') return cookie_values(skip_spaces(ke + 1), ieq(key, "set-cookie"));
        break;
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
      default: break;
    }
    // key[": ] value   (JSON-style "key": "value" as well)
    if (term == '"') {
      v = ke + 1;
      v = skip_spaces(v);
      if (at(v) != ':' && at(v) != '=') return we;
    } else if (term == ' ' && act != key_action::geo) {
      return we;
    }
    v = skip_spaces(v + 1);
    if (act == key_action::geo) {
      if (std::size_t e = decimal_end(v, 180, 1)) return replace(v, e, token_class::geo), e;
      if (std::size_t e = decimal_end(v, 180, 1, ',')) return replace(v, e, token_class::geo), e;
      return we;
    }
    if (act == key_action::name) {
      const std::size_t e = name_value(v);
      return e > we ? e : we;
    }
    if (act == key_action::address) {
      const std::size_t e = address_value(v);
      return e > we ? e : we;
    }
    const token_class cls = act == key_action::id     ? token_class::id
                            : act == key_action::user ? token_class::user
                                                      : token_class::secret;
    if (act == key_action::user && term == ':' && at(v) != '"' && !is(v, f_alpha) && at(v) < 0x80)
      return we;
    if (term == ':' && at(v) != '"' && act == key_action::secret && !is(v, f_word) &&
        at(v) != '%' && at(v) != '$' && at(v) != '!')
      return we;
    const std::size_t e = param_value(v, cls);
    return e > we ? e : we;
  }

  // Cookie / Set-Cookie header values: name=value pairs up to the end of the line. Values of
  // session-ish names and random-looking values become <secret>; names, attributes and short
  // plain words (theme=dark, lang=en) stay.
  [[gnu::noinline]] std::size_t cookie_values(std::size_t k, bool set) {
    while (k < n_ && at(k) != '\r' && at(k) != '\n') {
      k = skip_spaces(k);
      const std::size_t ns = k;
      while (k < n_ && at(k) != '=' && at(k) != ';' && at(k) != '\r' && at(k) != '\n' &&
             k - ns < 64)
        ++k;
      if (at(k) != '=') {
        while (k < n_ && at(k) != ';' && at(k) != '\r' && at(k) != '\n') ++k;
        if (at(k) == ';') ++k;
        continue;
      }
      const std::string_view name = sv(ns, k);
      const std::size_t vs = k + 1;
      std::size_t ve = vs;
      while (ve < n_ && at(ve) != ';' && at(ve) != '\r' && at(ve) != '\n') ++ve;
      while (ve > vs && has(at(ve - 1), f_space)) --ve;
      bool attr = false;
      if (set)
        for (std::string_view a :
             {"path", "domain", "expires", "max-age", "samesite", "priority", "version", "comment"})
          attr |= ieq(name, a);
      bool plain = ve - vs <= 12;
      for (std::size_t q = vs; q < ve && plain; ++q) plain = has(at(q), f_alpha) || at(q) == '-';
      char low[64];
      std::size_t m = 0;
      for (std::size_t q = ns; q < k && m < sizeof low; ++q) low[m++] = lower(p_[q]);
      const std::string_view ln(low, m);
      bool sessionish = false;
      for (std::string_view w :
           {"sess", "sid", "token", "auth", "jwt", "csrf", "xsrf", "key", "login", "user", "id",
            "remember", "secret", "pass", "sig", "ticket", "account", "uid", "mail"})
        sessionish |= ln.find(w) != std::string_view::npos;
      if (!attr && ve > vs && (sessionish || !plain)) replace(vs, ve, token_class::secret);
      k = ve;
      while (k < n_ && at(k) != ';' && at(k) != '\r' && at(k) != '\n') ++k;
      if (at(k) == ';') ++k;
    }
    return k;
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
      while (e < n_ && !(end_table[at(e)] & e_angle)) ++e;
    } else {
      bool bracket = false;
      while (e < n_ && (!value_end(at(e)) || (bracket && at(e) == ']'))) {
        bracket |= at(e) == '[';
        ++e;
      }
      while (e > b && (at(e - 1) == '.' || at(e - 1) == ':')) --e;
    }
    // the first '@' before any ';'; the digits up to that ';' (or all, after an '@') count
    // only for tel:
    const bool tel = ieq(sv(s, b - 1), "tel");
    if (tel) {
      for (std::size_t k = b; k < e; ++k) {
        if (at(k) == '@' && !at_sign) at_sign = k;
        digits += has(at(k), f_digit);
        if (at(k) == ';' && !at_sign) break;
      }
    } else {
      for (std::size_t k = b; k < e; ++k) {
        const auto c = at(k);
        if (c == '@') {
          at_sign = k;
          break;
        }
        if (c == ';') break;
      }
    }
    if (tel ? digits < 3 : (at_sign == 0 || at_sign == b)) return b;
    if (angle) display_name(s - 1);
    replace(s, e, token_class::sip);
    return e;
  }
};

// The whole scan: normalise (only text that can need it), detect by shape, then default-deny
// what is left (docs/scanner.md). The intermediate strings are per thread: scrub() stays const
// and allocation-free once warm.
void scrub_text(std::string_view in, std::string& out, redaction_counts& counts, bool deny,
                text_memory* memory) {
  if (in.empty()) {
    // A stream's empty piece is a blank line: it ends a SIP message's headers and a table.
    if (memory) memory->blank_line();
    return;
  }
  const std::size_t mark = out.size();
  try {
    thread_local std::string norm, mid, qp;
    // Quoted-printable mail and SIP MESSAGE bodies, RFC 2047 headers: decoded first, so that
    // `Bj=C3=B6rn` and `=2B46=2070…` are seen as the name and the number they are.
    if (uni::looks_quoted_printable(in)) {
      qp.clear();
      uni::decode_quoted_printable(in, qp);
      in = qp;
    }
    std::string_view src = in;
    if (reference || uni::needs_normalize(in)) {
      norm.clear();
      uni::normalize(in, norm);
      src = norm;
    }
    if (!deny) {
      out.reserve(out.size() + src.size() + src.size() / 8);
      pass(src, out, counts).run();
      return;
    }
    mid.clear();
    mid.reserve(src.size() + src.size() / 8);
    pass(src, mid, counts).run();
    out.reserve(out.size() + mid.size());
    deny::classify(mid, out, counts, memory);
    if (mid.capacity() > (1u << 20)) std::string().swap(mid);
    if (norm.capacity() > (1u << 20)) std::string().swap(norm);
    if (qp.capacity() > (1u << 20)) std::string().swap(qp);
  } catch (...) {
    // Only allocation can throw; fail closed rather than leak a partial copy.
    out.resize(mark);
    out += placeholder(token_class::secret);
    counts.add(token_class::secret);
  }
}

}  // namespace

#if VEIL_SCANNER_REFERENCE
namespace reference {
/// text_scanner::scrub() of the reference build (tests/fuzz/reference_scanner.cpp).
void scrub(std::string_view in, std::string& out, redaction_counts& counts, bool deny,
           text_memory* memory) {
  scrub_text(in, out, counts, deny, memory);
}
}  // namespace reference
#else
void text_memory::clear() noexcept {
  volatile char* w = reinterpret_cast<volatile char*>(ring);
  for (std::size_t q = 0; q < sizeof ring; ++q) w[q] = 0;
  count = 0;
  sipp_fields = false;
  sip_headers = false;
  table_sep = 0;
  table_cells = 0;
  for (auto& c : table_cols) c = 0;
  started = false;
}

void text_scanner::scrub(std::string_view in, std::string& out, redaction_counts& counts,
                         bool deny) const {
  scrub_text(in, out, counts, deny, nullptr);
}

void text_scanner::scrub(std::string_view in, std::string& out, redaction_counts& counts,
                         text_memory& memory) const {
  scrub_text(in, out, counts, true, &memory);
}
#endif

}  // namespace veil::detail
