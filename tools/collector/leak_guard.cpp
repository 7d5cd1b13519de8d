#include "tools/collector/leak_guard.hpp"

#include <arpa/inet.h>
#include <re2/re2.h>
#include <re2/set.h>
#include <simdjson.h>

#include <array>
#include <cmath>
#include <cstring>
#include <vector>

#include "agent/core/simdjson_util.hpp"
#include "agent/policy/scanner/unicode.hpp"

namespace veil::collector {
namespace {

// One class: the pattern the set pre-filters with, and the confirming pattern whose first
// capture is the candidate (the set says "somewhere"; the confirmation looks at each match).
// `(?:^|[^...])` in front stands for a left boundary (RE2 has no look-behind).
struct leak_class {
  const char* name;
  const char* pattern;
};

constexpr const char* B = "(?:^|[^0-9A-Za-z_])";  // left boundary: not inside a word

// In priority order: the first class that confirms names the leak.
const leak_class classes[] = {
    {"email", R"(([^\s@<>()\[\],;:"']+@[^\s@<>()\[\],;:"']*[A-Za-z0-9]))"},
    {"uri_user", R"((?i)\b((?:sips?|tel|mailto|xmpp|im|pres|h323):[^\s<>"',;]+))"},
    {"ip", R"(([0-9]{1,3}(?:\.[0-9]{1,3}){3}(?:/[0-9]{1,2})?))"},
    {"ip6", R"((?i)((?:[0-9a-f]{0,4}:){2,7}[0-9a-f]{0,4}(?:%[0-9a-z]+)?(?:/[0-9]{1,3})?))"},
    {"mac", R"((?i)([0-9a-f]{2}(?:[:-][0-9a-f]{2}){5}))"},
    {"uuid", R"((?i)([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}))"},
    {"path_user", R"((?i)((?:/home/|/users/|\\users\\|\\documents and settings\\)[^/\\\s<>:]+))"},
    {"secret",
     R"((?i)\b((?:pass(?:word)?|passwd|pwd|secret|token|api[_-]?key|auth(?:orization)?|bearer|nonce|response|cnonce)\s*[=:]\s*"?[^\s",;<>=:]{3,}))"},
    {"geo", R"((-?[0-9]{1,3}\.[0-9]{4,}\s*[,;/ ]\s*-?[0-9]{1,3}\.[0-9]{4,}))"},
    {"number", R"((\+?\(?[0-9][0-9 ()./\-]{5,}[0-9]))"},
    {"token", R"(([A-Za-z0-9+_\-]{16,}))"},
    {"base64", R"(([A-Za-z0-9+/]{32,}={0,2}))"},
};
constexpr std::size_t class_count = sizeof classes / sizeof classes[0];

bool is_digit(char c) { return c >= '0' && c <= '9'; }

std::size_t count_digits(std::string_view s) {
  std::size_t n = 0;
  for (char c : s) n += is_digit(c);
  return n;
}

bool all_hex_lower(std::string_view s) {
  for (char c : s)
    if (!(is_digit(c) || (c >= 'a' && c <= 'f'))) return false;
  return true;
}

// YYYYMMDD, YYYY-MM-DD, YYYY/MM/DD, DD.MM.YYYY with an optional time: a date, not a number.
bool looks_like_date_time(std::string_view s) {
  std::string d;
  for (char c : s)
    if (is_digit(c)) d += c;
  auto year_ok = [](std::string_view y) { return y >= "1970" && y <= "2100"; };
  auto md_ok = [](std::string_view m, std::string_view dd) {
    return m >= "01" && m <= "12" && dd >= "01" && dd <= "31";
  };
  if (d.size() < 8) return false;
  const bool ymd = year_ok(d.substr(0, 4)) && md_ok(d.substr(4, 2), d.substr(6, 2));
  const bool dmy = md_ok(d.substr(2, 2), d.substr(0, 2)) && year_ok(d.substr(4, 4));
  if (!ymd && !dmy) return false;
  // The rest, if any, is a time: HHMMSS and fractions.
  if (d.size() == 8) return true;
  if (d.size() < 12) return false;
  const std::string_view t = std::string_view(d).substr(8);
  return t.substr(0, 2) <= "23" && t.substr(2, 2) <= "59" &&
         (t.size() < 6 || t.substr(4, 2) <= "60");
}

// Shannon entropy in bits per character.
double entropy(std::string_view s) {
  std::array<int, 256> f{};
  for (unsigned char c : s) ++f[c];
  double h = 0;
  for (int n : f)
    if (n) {
      const double p = static_cast<double>(n) / static_cast<double>(s.size());
      h -= p * std::log2(p);
    }
  return h;
}

// A canonical network prefix: the address with every host bit zero, the prefix length at most
// /24 for IPv4 and /64 for IPv6 (what the agent's `network` action writes).
bool canonical_prefix(std::string_view addr, int len, bool v6) {
  std::string a(addr);
  unsigned char buf[16];
  if (inet_pton(v6 ? AF_INET6 : AF_INET, a.c_str(), buf) != 1) return false;
  const int bits = v6 ? 128 : 32;
  if (len < 0 || len > (v6 ? 64 : 24)) return false;
  for (int b = len; b < bits; ++b)
    if (buf[b / 8] & (0x80 >> (b % 8))) return false;
  return true;
}

// A dotted all-digit group list: an IPv4 address (its own class) and versions (5.6.12,
// 10.0.19045) are not numbers of someone's; five or more groups (06.12.34.56.78) or a first
// group of three or more digits (0151.2345.6789) are.
bool dotted_version(std::string_view t) {
  if (t.find_first_not_of("0123456789.") != t.npos || t.find('.') == t.npos) return false;
  std::size_t groups = 1;
  for (char c : t) groups += c == '.';
  if (groups >= 5) return false;
  if (groups >= 3 && t.find('.') >= 3) return false;
  return true;
}

// An IPv4 address or prefix: the ip class judges it (a canonical prefix is allowed there).
bool ipv4_part(std::string_view t) {
  std::string a(t.substr(0, t.find('/')));
  unsigned char buf[4];
  return inet_pton(AF_INET, a.c_str(), buf) == 1;
}

// A bucket label (1000-2500, 60-180): two short numbers, the first below the second.
bool bucket_range(std::string_view t) {
  const auto dash = t.find('-');
  if (dash == t.npos || dash == 0 || dash + 1 >= t.size() || dash > 6 || t.size() - dash - 1 > 6)
    return false;
  const auto a = t.substr(0, dash), b = t.substr(dash + 1);
  if (a.find_first_not_of("0123456789") != a.npos || b.find_first_not_of("0123456789") != b.npos)
    return false;
  return std::stoul(std::string(a)) < std::stoul(std::string(b));
}

// A decimal fraction (3.14159265, 139.76543) is a measurement, not a number of someone's.
bool decimal_fraction(std::string_view t) {
  if (t.find_first_not_of("0123456789.") != t.npos) return false;
  const auto dot = t.find('.');
  return dot != t.npos && dot < 4 && t.find('.', dot + 1) == t.npos;
}

// A candidate run of digits with separators: the space-separated parts that are dates, times,
// versions or fractions are taken out, and what is left must still hold seven digits in
// consecutive parts (+49 151 2345 6789, 55 8365 6223, 4915123456707).
bool personal_number(std::string_view m) {
  std::size_t run = 0, best = 0;
  std::size_t i = 0;
  while (i < m.size()) {
    const std::size_t gap = i;
    while (i < m.size() && m[i] == ' ') ++i;
    if (i - gap >= 2) run = 0;  // columns ("8800  2887": logcat's pid and tid) are not groups
    std::size_t j = i;
    while (j < m.size() && m[j] != ' ') ++j;
    const std::string_view part = m.substr(i, j - i);
    if (part.empty()) break;
    const bool benign = looks_like_date_time(part) || dotted_version(part) || ipv4_part(part) ||
                        decimal_fraction(part) ||
                        (part.find(':') != part.npos);  // clock times never reach here
    if (benign) run = 0;
    else run += count_digits(part);
    best = std::max(best, run);
    i = j;
  }
  return best >= 7;
}

// `next`: the character after the match ('\0' at the end).
bool confirm(std::size_t cls, std::string_view m, char next) {
  const std::string_view name = classes[cls].name;
  const bool word_after =
      is_digit(next) || (next >= 'a' && next <= 'z') || (next >= 'A' && next <= 'Z') || next == '_';
  // Inside a word (9046756c01..., ::bad_alloc) a match is not a token of its own.
  if (word_after && name != "email" && name != "uri_user" && name != "path_user") return false;
  if (name == "email") {
    const auto at = m.find('@');
    // "x@" with something on both sides that is not only punctuation.
    return at > 0 && at + 1 < m.size();
  }
  if (name == "uri_user") {
    const auto colon = m.find(':');
    const std::string_view rest = m.substr(colon + 1);
    if (rest.empty() || rest.front() == '/') return false;  // "tel://", a URL's scheme
    if (rest.front() == ':') return false;  // "sip::dialog": a C++ namespace, not a URI
    if (m[0] == 't' || m[0] == 'T') return count_digits(rest) >= 3;  // tel:+49...
    // sip:bob@host has a user; sip:pbx.example.com (a host, as in Digest uri=) has none, but
    // sip:bob or sip:1001 without a host is a user name.
    const std::string_view head = rest.substr(0, rest.find_first_of(";?>"));
    if (head.empty() || head.front() == '[') return false;  // sip:[<ip>]: an address, replaced
    bool alnum = false;
    for (char c : head) alnum = alnum || is_digit(c) || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z');
    return alnum && (head.find('@') != head.npos || head.find('.') == head.npos);
  }
  if (name == "number") return !bucket_range(m) && personal_number(m);
  if (name == "ip" || name == "ip6") {
    const bool v6 = name == "ip6";
    std::string_view addr = m;
    int len = -1;
    if (auto slash = m.find('/'); slash != m.npos) {
      addr = m.substr(0, slash);
      len = std::atoi(std::string(m.substr(slash + 1)).c_str());
    }
    if (auto pct = addr.find('%'); pct != addr.npos) addr = addr.substr(0, pct);
    if (v6) {
      // A clock time or a C++ scope is not an address: need a valid address with at least
      // three groups or a "::" and at least one hex digit.
      if (addr.find("::") == addr.npos) {
        std::size_t colons = 0;
        for (char c : addr) colons += c == ':';
        if (colons < 3) return false;
      }
      if (addr.find_first_of("0123456789abcdefABCDEF") == addr.npos) return false;
      // hh:mm:ss.fff and 00:1a:2b... (MAC: its own class) are not IPv6
      bool short_decimal = true;
      std::size_t start = 0;
      for (std::size_t i = 0; i <= addr.size(); ++i)
        if (i == addr.size() || addr[i] == ':') {
          auto g = addr.substr(start, i - start);
          if (g.size() > 2 || g.find_first_not_of("0123456789") != g.npos) short_decimal = false;
          start = i + 1;
        }
      if (short_decimal) return false;
    } else {
      std::size_t start = 0;
      for (std::size_t i = 0; i <= addr.size(); ++i)
        if (i == addr.size() || addr[i] == '.') {
          if (std::atoi(std::string(addr.substr(start, i - start)).c_str()) > 255) return false;
          start = i + 1;
        }
    }
    unsigned char buf[16];
    if (inet_pton(v6 ? AF_INET6 : AF_INET, std::string(addr).c_str(), buf) != 1) return false;
    if (len >= 0 && canonical_prefix(addr, len, v6)) return false;  // the agent's network form
    // A four-part version (5.6.12.1) looks like an address; a whole value of one is a
    // version field only when it does not parse as a plausible host address either, so an
    // address stays flagged. Unspecified and loopback addresses are no one's.
    if (!v6 && (addr == "0.0.0.0" || addr.substr(0, 4) == "127.")) return false;
    if (v6 && (addr == "::" || addr == "::1")) return false;
    return true;
  }
  if (name == "mac" || name == "uuid") return true;
  if (name == "base64") {
    std::size_t digits = 0, upper = 0, lower = 0;
    for (char c : m) {
      digits += is_digit(c);
      upper += c >= 'A' && c <= 'Z';
      lower += c >= 'a' && c <= 'z';
    }
    return digits >= 2 && upper >= 2 && lower >= 2 && entropy(m) >= 4.0;
  }
  if (name == "token") {
    // Judged part by part between '_' and '-': identifiers made of words and short numbers
    // (TLS_AES_256_GCM_SHA384, pjsip_dlg_inc_lock2) are code; a part of 12 or more characters
    // that mixes letters and digits with high entropy (AKIAIOSFODNN7EXAMPLE, the random tail
    // of sk_live_4eC39HqLyjWDarjtT1zdp7dc, a hex digest) is a token.
    std::size_t start = 0;
    for (std::size_t i = 0; i <= m.size(); ++i) {
      if (i < m.size() && m[i] != '_' && m[i] != '-') continue;
      const std::string_view part = m.substr(start, i - start);
      start = i + 1;
      if (part.size() < 12) continue;
      std::size_t digits = 0, letters = 0;
      for (char c : part) {
        if (is_digit(c)) ++digits;
        else if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) ++letters;
      }
      if (digits >= 2 && letters >= 2 && entropy(part) >= 3.3) return true;
    }
    return false;
  }
  if (name == "path_user") {
    // The segment after /home/ etc.: an empty or placeholder segment never reaches here.
    const auto last = m.find_last_of("/\\");
    const std::string_view user = m.substr(last + 1);
    return !user.empty() && user != "Shared" && user != "Public" && user != "Default";
  }
  if (name == "secret") {
    if (next == '=' || next == ':') return false;  // "auth: password=...": a key, not a value
    auto eq = m.find_first_of("=:");
    std::string_view v = m.substr(eq + 1);
    while (!v.empty() && (v.front() == ' ' || v.front() == '"')) v.remove_prefix(1);
    // "response: 200" or "token: none" are not secrets; a value with a digit or of 8+
    // characters is.
    if (v == "none" || v == "null" || v == "true" || v == "false" || v == "yes" || v == "no")
      return false;
    return count_digits(v) > 0 ? !(v.size() <= 3 && count_digits(v) == v.size()) : v.size() >= 8;
  }
  if (name == "geo") return true;
  return false;
}

// SDP lines whose numbers are protocol values: the origin's session id and version
// ("o=- 3900000000 3900000000 IN IP4 ...", often NTP time) and an ICE candidate's foundation,
// component and priority ("a=candidate:1 1 UDP 2130706431 ..."). Their space-delimited
// all-digit fields are blanked; anything else on the line (an address) is still scanned.
void blank_sdp_numbers(std::string& t) {
  std::size_t line = 0;
  while (line < t.size()) {
    std::size_t end = t.find_first_of("\r\n", line);
    if (end == std::string::npos) end = t.size();
    const std::string_view l(t.data() + line, end - line);
    if (l.rfind("o=", 0) == 0 || l.rfind("a=candidate:", 0) == 0) {
      std::size_t i = line + 2;
      while (i < end) {
        std::size_t j = i;
        while (j < end && t[j] != ' ' && t[j] != ':') ++j;
        bool digits = j > i;
        for (std::size_t k = i; k < j; ++k) digits = digits && is_digit(t[k]);
        if (digits)
          for (std::size_t k = i; k < j; ++k) t[k] = ' ';
        i = j + 1;
      }
    }
    line = end + 1;
  }
}

// Android logcat's threadtime header ("01-08 00:15:40.433 18941 18976 D Tag: ..."): the
// process and thread ids are blanked on each line that starts with one.
void blank_logcat_ids(std::string& t, const RE2& header) {
  std::size_t line = 0;
  while (line < t.size()) {
    std::size_t end = t.find('\n', line);
    if (end == std::string::npos) end = t.size();
    re2::StringPiece l(t.data() + line, end - line), pid, tid;
    // "MM-DD hh:" first, by hand: the regex runs only on lines that can be a header.
    const bool maybe = end - line > 20 && is_digit(t[line]) && is_digit(t[line + 1]) &&
                       t[line + 2] == '-' && t[line + 5] == ' ' && t[line + 8] == ':';
    if (maybe && RE2::PartialMatch(l, header, &pid, &tid)) {
      for (auto piece : {pid, tid})
        std::memset(t.data() + (piece.data() - t.data()), ' ', piece.size());
    }
    line = end + 1;
  }
}

}  // namespace

struct leak_guard::impl {
  RE2::Options opts;
  std::unique_ptr<RE2::Set> set;
  std::vector<std::unique_ptr<RE2>> one;
  std::unique_ptr<RE2> logcat;

  impl() {
    logcat = std::make_unique<RE2>(
        R"(^[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{3}\s+([0-9]+)\s+([0-9]+)\s+[VDIWEFA]\s)");
    opts.set_log_errors(false);
    opts.set_max_mem(64 << 20);
    set = std::make_unique<RE2::Set>(opts, RE2::UNANCHORED);
    for (const auto& c : classes) {
      std::string err;
      if (set->Add(c.pattern, &err) < 0) throw std::runtime_error("leak_guard: " + err);
      one.push_back(std::make_unique<RE2>(std::string(B) + c.pattern, opts));
      if (!one.back()->ok()) throw std::runtime_error("leak_guard: " + one.back()->error());
    }
    if (!set->Compile()) throw std::runtime_error("leak_guard: RE2::Set compile failed");
  }
};

leak_guard::leak_guard() : impl_(std::make_unique<impl>()) {}
leak_guard::~leak_guard() = default;
leak_guard::leak_guard(leak_guard&&) noexcept = default;
leak_guard& leak_guard::operator=(leak_guard&&) noexcept = default;

std::optional<std::string> leak_guard::scan(std::string_view s, bool whole_value) const {
  // Fast path: every class needs a digit, '@', ':', '/', '\\', '=' or 16 characters; short
  // ASCII strings without any (enum values such as "opus", "wifi", "remote_hangup") cannot match.
  // Digits alone are not enough either: a number needs seven, an IPv4 address four and three
  // dots, a coordinate pair eight (versions, counts and short codes such as "5.6.12" skip).
  if (s.size() < 16) {
    bool maybe = false;
    std::size_t digits = 0, dots = 0;
    for (char c : s) {
      if (c == '@' || c == ':' || c == '/' || c == '\\' || c == '=' ||
          static_cast<unsigned char>(c) >= 0x80) {
        maybe = true;
        break;
      }
      digits += is_digit(c);
      dots += c == '.';
    }
    if (!maybe && digits < 7 && (dots < 3 || digits < 4)) return std::nullopt;
  }
  // The guard's own view of the text: code points with an ASCII form take it (digits of every
  // script, full-width forms, spaces), invalid UTF-8 becomes '?', and the agent's
  // placeholders become a space (they are what a cleaned string may contain).
  thread_local std::string t;
  t.clear();
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  for (std::size_t i = 0; i < s.size();) {
    if (p[i] < 0x80) {
      if (p[i] == '<') {
        std::size_t j = i + 1;
        while (j < s.size() && j - i <= 12 && ((p[j] >= 'a' && p[j] <= 'z') || p[j] == '_')) ++j;
        if (j < s.size() && p[j] == '>' && j > i + 1) {
          t += ' ';
          i = j + 1;
          continue;
        }
      }
      t += static_cast<char>(p[i++]);
      continue;
    }
    std::size_t len = 0;
    const char32_t cp = veil::detail::uni::decode(p + i, s.size() - i, len);
    std::string_view rep;
    if (cp == veil::detail::uni::replacement) t += '?';
    else if (veil::detail::uni::ascii_form(cp, rep)) t += rep;
    else t.append(s.data() + i, len);
    i += len;
  }
  blank_sdp_numbers(t);
  blank_logcat_ids(t, *impl_->logcat);
  // A whole value of the pseudonym's shape is what the contract allows in pseudonym fields.
  if (whole_value && t.size() == 32 && all_hex_lower(t)) return std::nullopt;
  thread_local std::vector<int> hits;
  hits.clear();
  if (!impl_->set->Match(t, &hits)) return std::nullopt;
  std::sort(hits.begin(), hits.end());
  for (int h : hits) {
    const auto cls = static_cast<std::size_t>(h);
    re2::StringPiece in(t), cap;
    while (RE2::FindAndConsume(&in, *impl_->one[cls], &cap)) {
      const std::string_view m(cap.data(), cap.size());
      // The left boundary: the confirming pattern consumed one character before the match.
      const std::size_t end = static_cast<std::size_t>(cap.data() - t.data()) + cap.size();
      const char next = end < t.size() ? t[end] : '\0';
      if (confirm(cls, m, next)) {
        const std::string_view name = classes[cls].name;
        return std::string(name == "ip6" ? "ip" : name == "base64" ? "token" : name);
      }
      if (cap.empty()) break;
    }
  }
  return std::nullopt;
}

std::optional<std::string> leak_guard::check(const cleaned_record& r) const {
  thread_local simdjson::dom::parser parser;
  simdjson::dom::element root;
  const std::string& text = r.attrs.text();
  if (parser.parse(text.data(), text.size()).get(root) != simdjson::SUCCESS)
    return std::string("attrs:not_object");
  std::optional<std::string> found;
  // Depth-first over values and keys; the decoder bounded the nesting.
  auto walk = [&](auto&& self, simdjson::dom::element e, int depth) -> void {
    if (found || depth > 64) return;
    switch (e.type()) {
      case simdjson::dom::element_type::STRING:
        if (auto c = scan(veil::detail::sj::str(e), true)) found = "leak:" + *c;
        break;
      case simdjson::dom::element_type::ARRAY:
        for (auto x : veil::detail::sj::arr(e)) self(self, x, depth + 1);
        break;
      case simdjson::dom::element_type::OBJECT:
        for (auto kv : veil::detail::sj::obj(e)) {
          if (found) return;
          // A crash frame's build id (GNU: 20 bytes, Mach-O UUID: 16, some linkers 32) names a
          // binary every user of that build shares, not a person: its exact hex shape is kept.
          if (kv.key == "build_id" && kv.value.is_string()) {
            const std::string_view v = veil::detail::sj::str(kv.value);
            if ((v.size() == 32 || v.size() == 40 || v.size() == 64) && all_hex_lower(v)) continue;
          }
          if (auto c = scan(kv.key, false)) found = "leak:" + *c;
          else self(self, kv.value, depth + 1);
        }
        break;
      default: break;  // numbers: the contract range-checks them by meaning
    }
  };
  walk(walk, root, 0);
  return found;
}

}  // namespace veil::collector
