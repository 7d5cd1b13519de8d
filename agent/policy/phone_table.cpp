// phone_country on the generated table: libphonenumber 8.12's ParseHelper and
// GetRegionCodeForNumber (phonenumberutil.cc) restated over the table, one function per step
// and in its order, so that a difference from the oracle (tests/phone_table_test.cpp) can be
// traced to one step. Comments name the libphonenumber function each part follows.
#include "agent/policy/phone_table.hpp"

#include <algorithm>
#include <array>
#include <vector>

#include "agent/policy/phone_table_data.hpp"

namespace veil::detail {

namespace {

namespace pd = phone_data;

constexpr std::size_t min_nsn = 2;   // kMinLengthForNsn
constexpr std::size_t max_nsn = 17;  // kMaxLengthForNsn

// ---- The pattern programs: a backtracking matcher with a visited set (each program position
// is tried at most once per input position), so a match costs at most size * (input + 1) steps
// whatever the input. Priority is leftmost-first, as in ICU, so captures agree with it.

struct captures {
  std::array<int, 8> slot{};  // groups 0..3: [2g] start, [2g + 1] end (-1 unset)
  std::string_view group(std::string_view in, int g) const {
    const int a = slot[static_cast<std::size_t>(2 * g)],
              b = slot[static_cast<std::size_t>(2 * g + 1)];
    if (a < 0 || b < a) return {};
    return in.substr(static_cast<std::size_t>(a), static_cast<std::size_t>(b - a));
  }
};

// Runs `re` on the digit string `in` from its start. full: the match must end at the end of
// the input (ICU matches()), otherwise any end will do (lookingAt()). Returns the end of the
// first match, -1 if none. An empty pattern matches the empty prefix.
int run(const pd::regex& re, std::string_view in, bool full, captures* caps = nullptr) {
  if (re.size == 0) return full && !in.empty() ? -1 : 0;
  const std::uint32_t* prog = pd::program + re.offset;
  const std::size_t n = in.size(), width = n + 1;
  const std::size_t bits = static_cast<std::size_t>(re.size) * width;
  std::array<std::uint64_t, 64> small{};
  std::vector<std::uint64_t> large;
  std::uint64_t* visited = small.data();
  if (bits > small.size() * 64) {
    large.assign((bits + 63) / 64, 0);
    visited = large.data();
  }
  if (caps) caps->slot.fill(-1);
  struct job {
    std::uint32_t pc;  // restore: the capture slot
    std::int32_t pos;  // restore: the value to put back
    bool restore;
  };
  std::vector<job> stack;
  stack.push_back({0, 0, false});
  while (!stack.empty()) {
    job j = stack.back();
    stack.pop_back();
    if (j.restore) {
      caps->slot[j.pc] = j.pos;
      continue;
    }
    std::uint32_t pc = j.pc;
    std::size_t pos = static_cast<std::size_t>(j.pos);
    for (;;) {
      const std::size_t bit = pc * width + pos;
      if (visited[bit / 64] >> (bit % 64) & 1) break;
      visited[bit / 64] |= std::uint64_t{1} << (bit % 64);
      const std::uint32_t ins = prog[pc];
      const std::uint32_t op = ins & 3, a = (ins >> 2) & 0x7fff, b = ins >> 17;
      if (op == 0) {  // a digit class
        if (pos >= n || in[pos] < '0' || in[pos] > '9' || !((ins >> (2 + (in[pos] - '0'))) & 1))
          break;
        ++pc;
        ++pos;
      } else if (op == 1) {  // split: a first, then b
        stack.push_back({b, static_cast<std::int32_t>(pos), false});
        pc = a;
      } else if (op == 2) {
        pc = a;
      } else {
        const std::uint32_t arg = ins >> 2;
        if (arg == 0) {  // match
          if (!full || pos == n) return static_cast<int>(pos);
          break;
        }
        if (arg == 1) {  // '$'
          if (pos != n) break;
          ++pc;
          continue;
        }
        const std::uint32_t slot = arg - 2;
        if (caps && slot < caps->slot.size()) {
          stack.push_back({slot, caps->slot[slot], true});
          caps->slot[slot] = static_cast<int>(pos);
        }
        ++pc;
      }
    }
  }
  return -1;
}

bool full_match(const pd::regex& re, std::string_view in) { return run(re, in, true) >= 0; }

// ---- Metadata lookups.

const pd::region* region_by_id(std::string_view id) {
  if (id.size() != 2) return nullptr;
  const std::uint16_t* first = pd::regions_by_id;
  const std::uint16_t* last = pd::regions_by_id + pd::region_count;
  const std::uint16_t* it =
      std::lower_bound(first, last, id, [](std::uint16_t k, std::string_view v) {
        return std::string_view(pd::regions[k].id, 2) < v;
      });
  if (it == last || std::string_view(pd::regions[*it].id, 2) != id) return nullptr;
  return &pd::regions[*it];
}

const pd::calling_code* calling_code(int code) {
  const pd::calling_code* first = pd::calling_codes;
  const pd::calling_code* last = pd::calling_codes + pd::calling_code_count;
  const pd::calling_code* it = std::lower_bound(
      first, last, code, [](const pd::calling_code& c, int v) { return c.code < v; });
  return it != last && it->code == code ? it : nullptr;
}

bool has_length(std::uint32_t bits, std::size_t len) { return len < 31 && (bits >> len & 1); }

// IsMatch(matcher, number, desc): the desc's pattern matches the whole number; an empty pattern
// matches nothing.
bool is_match(const pd::desc& d, std::string_view nsn) {
  return d.pattern.size != 0 && full_match(d.pattern, nsn);
}

// IsNumberMatchingDesc: the listed lengths first, then the pattern.
bool matching_desc(const pd::desc& d, std::string_view nsn) {
  if ((d.lengths & pd::lengths_listed) && !has_length(d.lengths, nsn.size())) return false;
  return is_match(d, nsn);
}

enum class length_result { possible, local_only, too_short, too_long, invalid };

// TestNumberLength(number, metadata) for the general description.
length_result test_length(std::string_view nsn, const pd::region& r) {
  const std::uint32_t ls = r.general.lengths & ~pd::lengths_listed;
  if (ls == 0) return length_result::invalid;  // only -1: no numbers at all
  const std::size_t len = nsn.size();
  if (has_length(r.local_lengths, len)) return length_result::local_only;
  const std::size_t lo = static_cast<std::size_t>(__builtin_ctz(ls));
  const std::size_t hi = 31 - static_cast<std::size_t>(__builtin_clz(ls));
  if (len == lo) return length_result::possible;
  if (len < lo) return length_result::too_short;
  if (len > hi) return length_result::too_long;
  return has_length(ls, len) ? length_result::possible : length_result::invalid;
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_letter(char c) { return (c | 0x20) >= 'a' && (c | 0x20) <= 'z'; }

// Normalize: with three or more letters, letters become their keypad digits ("1-800-FLOWERS");
// then only the digits are kept.
std::string normalize(std::string_view s) {
  static constexpr char keypad[] = "22233344455566677778889999";
  std::size_t letters = 0;
  for (char c : s) letters += is_letter(c);
  std::string d;
  for (char c : s) {
    if (is_digit(c)) d.push_back(c);
    else if (letters >= 3 && is_letter(c)) d.push_back(keypad[(c | 0x20) - 'a']);
  }
  return d;
}

// MaybeStripNationalPrefixAndCarrierCode (the carrier code is not needed).
bool strip_national_prefix(const pd::region& r, std::string& number) {
  const pd::regex& npp = r.national_prefix_for_parsing;
  if (number.empty() || npp.size == 0) return false;
  const bool viable = is_match(r.general, number);
  captures caps;
  const int end = run(npp, number, false, &caps);
  if (end < 0) return false;
  // Consume(&carrier, &captured) needs two groups, Consume(&captured) one: the captured part is
  // group 2 when there are two or more, else group 1.
  if (r.transform_rule != nullptr && npp.groups >= 1) {
    const std::string_view captured = caps.group(number, npp.groups >= 2 ? 2 : 1);
    if (!captured.empty()) {
      std::string out;
      for (const char* p = r.transform_rule; *p; ++p) {
        if (*p == '$' && p[1] >= '1' && p[1] <= '9') {
          const int g = *++p - '0';
          if (g <= npp.groups && g <= 3) out += caps.group(number, g);
        } else {
          out.push_back(*p);
        }
      }
      out.append(number, static_cast<std::size_t>(end));
      if (viable && !is_match(r.general, out)) return false;
      number = std::move(out);
      return true;
    }
  }
  std::string out = number.substr(static_cast<std::size_t>(end));
  if (viable && !is_match(r.general, out)) return false;
  number = std::move(out);
  return true;
}

enum class parse_error { none, invalid_country_code, too_short_after_idd };

// MaybeExtractCountryCode with MaybeStripInternationalPrefixAndNormalize, ParsePrefixAsIdd and
// ExtractCountryCode. `number` comes in as written (digits and separators, maybe '+') and
// leaves normalized (digits) and without the code; code is 0 when the number had none.
parse_error extract_country_code(const pd::region* def, std::string& number, int& code) {
  code = 0;
  bool international = false;
  if (!number.empty()) {
    if (number.front() == '+') {
      const std::size_t body = number.find_first_not_of('+');
      number = normalize(body == std::string::npos ? std::string_view()
                                                   : std::string_view(number).substr(body));
      international = true;
    } else {
      number = normalize(number);
      if (def != nullptr) {
        const int end = run(def->international_prefix, number, false);
        // Only an IDD when the next digit is not 0 (calling codes never start with 0).
        if (end >= 0 && !(static_cast<std::size_t>(end) < number.size() &&
                          number[static_cast<std::size_t>(end)] == '0')) {
          number.erase(0, static_cast<std::size_t>(end));
          international = true;
        }
      }
    }
  }
  if (international) {
    if (number.size() <= min_nsn) return parse_error::too_short_after_idd;
    if (number.front() == '0') return parse_error::invalid_country_code;
    int c = 0;
    for (std::size_t i = 0; i < 3 && i < number.size(); ++i) {
      c = c * 10 + (number[i] - '0');
      if (calling_code(c) != nullptr) {
        number.erase(0, i + 1);
        code = c;
        return parse_error::none;
      }
    }
    return parse_error::invalid_country_code;
  }
  if (def != nullptr) {
    // The default region's own code written without '+' ("1 650 253 0000" in the US): taken
    // as the code when the rest is a better national number.
    const std::string own = std::to_string(def->country_code);
    if (number.compare(0, own.size(), own) == 0) {
      std::string rest = number.substr(own.size());
      strip_national_prefix(*def, rest);
      if ((!is_match(def->general, number) && is_match(def->general, rest)) ||
          test_length(number, *def) == length_result::too_long) {
        number = std::move(rest);
        code = def->country_code;
      }
    }
  }
  return parse_error::none;
}

// GetRegionCodeForNumber (+ GetRegionCodeForNumberFromRegionList); "" when no region claims it.
std::string_view region_for_number(const pd::calling_code& cc, std::string_view nsn) {
  if (cc.region_count == 1) return {pd::regions[cc.first_region].id, 2};
  for (std::size_t k = 0; k < cc.region_count; ++k) {
    const pd::region& r = pd::regions[cc.first_region + k];
    if (r.has_leading_digits) {
      if (run(r.leading_digits, nsn, false) >= 0) return {r.id, 2};
    } else if (matching_desc(r.general, nsn)) {
      for (std::size_t t = 0; t < r.type_count; ++t)
        if (matching_desc(pd::types[r.first_type + t], nsn)) return {r.id, 2};
    }
  }
  return {};
}

// ---- The syntax around the digits (ASCII only): ExtractPossibleNumber, IsViablePhoneNumber
// and MaybeStripExtension, whose ICU patterns are restated as code below.

bool in(char c, std::string_view set) { return set.find(c) != std::string_view::npos; }

std::size_t skip(std::string_view t, std::size_t i, std::string_view set) {
  while (i < t.size() && in(t[i], set)) ++i;
  return i;
}

bool starts_with_ci(std::string_view t, std::size_t i, std::string_view word) {
  if (t.size() - i < word.size()) return false;
  for (std::size_t k = 0; k < word.size(); ++k)
    if ((t[i + k] | 0x20) != word[k]) return false;
  return true;
}

// ([digits]{1,max}) then "#?" (or "#") and the end of the input.
bool digits_to_end(std::string_view t, std::size_t i, std::size_t max, bool hash_required) {
  const std::size_t d = skip(t, i, "0123456789") - i;
  if (d == 0 || d > max) return false;
  i += d;
  if (i < t.size() && t[i] == '#') ++i;
  else if (hash_required) return false;
  return i == t.size();
}

// After an extension label: "[:.]?[ \t,-]*" then digits_to_end.
bool after_label(std::string_view t, std::size_t i, std::size_t max) {
  if (i < t.size() && (t[i] == ':' || t[i] == '.')) ++i;
  return digits_to_end(t, skip(t, i, " \t,-"), max, false);
}

// Whether all of t is an extension (CreateExtnPattern(for_parsing) with its ASCII characters;
// ";ext=" cannot occur, phone_country_prepare cuts at ';'). Case-insensitive, as the pattern.
bool is_extension(std::string_view t) {
  const std::size_t i = skip(t, 0, " \t,");
  // Explicit labels: e?xt(?:ensio)?n? and anexo, then up to 20 digits.
  for (std::string_view label :
       {"ext", "extn", "extensio", "extension", "xt", "xtn", "xtensio", "xtension", "anexo"})
    if (starts_with_ci(t, i, label) && after_label(t, i + label.size(), 20)) return true;
  // Ambiguous labels: x # ~ int, then up to 9 digits.
  if (i < t.size() && in(t[i], "xX#~") && after_label(t, i + 1, 9)) return true;
  if (starts_with_ci(t, i, "int") && after_label(t, i + 3, 9)) return true;
  // American style: "[- ]+" up to 6 digits and '#'.
  if (!t.empty() && in(t[0], "- ") && digits_to_end(t, skip(t, 0, "- "), 6, true)) return true;
  // Auto-dialling: ",," then up to 15 digits; or commas then up to 9.
  const std::size_t j = skip(t, 0, " \t");
  if (starts_with_ci(t, j, ",,") && after_label(t, j + 2, 15)) return true;
  if (j < t.size() && t[j] == ',' && after_label(t, skip(t, j, ","), 9)) return true;
  return false;
}

// kValidPunctuation's ASCII characters and the star.
bool is_punctuation(char c) { return in(c, "-xX ().[]/~*"); }

// The characters an extension can start with (is_extension is false elsewhere): skipping the
// other positions keeps viable() and strip_extension() near linear.
bool may_start_extension(char c) { return in(c, " \t,-#~xXeEaAiI"); }

// IsViablePhoneNumber: two digits alone; or '+'s, three or more digits among punctuation (then
// letters too), and maybe an extension.
bool viable(std::string_view t) {
  if (t.size() < min_nsn) return false;
  if (t.size() == 2 && is_digit(t[0]) && is_digit(t[1])) return true;
  // The main part runs from the '+'s to `end`, the first character it cannot take; it has its
  // third digit before `third`. What follows a main part must be an extension.
  const std::size_t body = skip(t, 0, "+");
  std::size_t digits = 0, third = std::string_view::npos, end = body;
  for (; end < t.size(); ++end) {
    const char c = t[end];
    if (is_digit(c)) {
      if (++digits == 3) third = end + 1;
    } else if (!is_punctuation(c) && !(digits >= 3 && is_letter(c))) {
      break;
    }
  }
  if (third == std::string_view::npos) return false;
  if (end == t.size()) return true;
  for (std::size_t q = third; q <= end; ++q)
    if (may_start_extension(t[q]) && is_extension(t.substr(q))) return true;
  return false;
}

// MaybeStripExtension: the leftmost start of an extension that runs to the end, removed when
// what precedes it is still viable.
void strip_extension(std::string_view& e) {
  for (std::size_t p = 0; p < e.size(); ++p) {
    if (!may_start_extension(e[p]) || !is_extension(e.substr(p))) continue;
    if (viable(e.substr(0, p))) e = e.substr(0, p);
    return;
  }
}

// ParseHelper, then phone_country's fallback to the calling code's main region.
std::optional<std::string> parse_region(std::string_view s, std::string_view default_region) {
  for (char c : s) {
    const auto u = static_cast<unsigned char>(c);
    if (u >= 0x80 || (u < 0x20 && c != '\t')) return std::nullopt;  // not answered
  }
  // ExtractPossibleNumber: from the first '+' or digit; trailing characters other than
  // letters, digits and '#' go; a second number ("/x", "\\ x") is cut off.
  const std::size_t start = s.find_first_of("+0123456789");
  if (start == std::string_view::npos) return std::nullopt;
  std::string_view e = s.substr(start);
  while (!e.empty() && !is_digit(e.back()) && !is_letter(e.back()) && e.back() != '#')
    e.remove_suffix(1);
  for (std::size_t i = e.size(); i-- > 0;) {
    if ((e[i] == '/' || e[i] == '\\') && skip(e, i + 1, " ") < e.size() &&
        e[skip(e, i + 1, " ")] == 'x') {
      e = e.substr(0, i);
      break;
    }
  }
  if (!viable(e)) return std::nullopt;
  // CheckRegionForParsing
  const pd::region* def = region_by_id(default_region);
  if (def == nullptr && e.front() != '+') return std::nullopt;
  strip_extension(e);
  const std::size_t plus = skip(e, 0, "+");
  // MaybeExtractCountryCode, and once more without the '+' if its code was not recognised.
  std::string nsn(e);
  int code = 0;
  const parse_error err = extract_country_code(def, nsn, code);
  if (err != parse_error::none) {
    if (err != parse_error::invalid_country_code || plus == 0) return std::nullopt;
    nsn = std::string(e.substr(plus));
    extract_country_code(def, nsn, code);
    if (code == 0) return std::nullopt;
  }
  const pd::region* meta = def;
  if (code != 0) {
    const pd::calling_code* cc = calling_code(code);
    if (cc->region_count == 0) return std::nullopt;  // "001": no region, whatever the number
    const pd::region& main = pd::regions[cc->first_region];
    if (std::string_view(main.id, 2) != default_region) meta = &main;
  } else {
    code = def->country_code;
  }
  if (nsn.size() < min_nsn) return std::nullopt;
  const pd::calling_code* cc = calling_code(code);
  if (cc == nullptr || cc->region_count == 0) return std::nullopt;
  // A code with one region answers it whenever Parse succeeds. Stripping the national prefix
  // keeps a form only if it is at least the region's shortest possible length, so with that
  // length >= 2 and at most 17 digits now, Parse succeeds whatever the stripping does.
  const std::uint32_t ls = meta->general.lengths & ~pd::lengths_listed;
  if (cc->region_count == 1 && nsn.size() <= max_nsn && ls != 0 && __builtin_ctz(ls) >= 2)
    return std::string(pd::regions[cc->first_region].id, 2);
  {
    std::string stripped = nsn;
    strip_national_prefix(*meta, stripped);
    const length_result lr = test_length(stripped, *meta);
    if (lr != length_result::too_short && lr != length_result::local_only &&
        lr != length_result::invalid)
      nsn = std::move(stripped);
  }
  if (nsn.size() < min_nsn || nsn.size() > max_nsn) return std::nullopt;
  std::string_view region = region_for_number(*cc, nsn);
  // Not a valid number of any region of its code: the code's main region (phone_country).
  if (region.empty()) region = {pd::regions[cc->first_region].id, 2};
  return std::string(region);
}

}  // namespace

bool phone_country_prepare(std::string_view number, std::string_view default_region,
                           std::string& s) {
  s.reserve(number.size());
  std::string_view n = number;
  while (!n.empty() && n.front() == ' ') n.remove_prefix(1);
  if (n.size() >= 4 && (n.substr(0, 4) == "tel:" || n.substr(0, 4) == "TEL:")) n.remove_prefix(4);
  if (n.size() > 64) return false;
  // Keep digits, '+', and separators libphonenumber understands; stop at URI parameters.
  for (char c : n) {
    if (c == ';' || c == '@') break;
    s.push_back(c);
  }
  std::size_t first = s.find_first_not_of(" \t");
  if (first != std::string::npos && s.compare(first, 2, "00") == 0 && default_region == "ZZ") {
    s.erase(first, 1);  // "00" international prefix without a region to interpret it
    s[first] = '+';
  }
  return true;
}

std::optional<std::string> phone_country_table(std::string_view number,
                                               std::string_view default_region) {
  std::string s;
  if (!phone_country_prepare(number, default_region, s)) return std::nullopt;
  return parse_region(s, default_region.empty() ? std::string_view("ZZ") : default_region);
}

phone_table_facts phone_table_info() noexcept {
  return {pd::libphonenumber_version, pd::metadata_digest,    pd::table_bytes,
          pd::region_count,           pd::calling_code_count, pd::program_size};
}

}  // namespace veil::detail
