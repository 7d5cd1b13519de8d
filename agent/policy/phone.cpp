// phone_country on Debian's libphonenumber (the field's standard metadata): shared calling
// codes (+1 US/CA/Caribbean, +7 RU/KZ) are resolved by number ranges, not by a prefix table.
#include <phonenumbers/phonenumberutil.h>

#include <array>
#include <list>
#include <set>
#include <string>

#include "agent/policy/actions.hpp"

namespace veil::detail {

namespace {
// The input as libphonenumber gets it: no "tel:", no URI parameters, "00" read as "+" when
// there is no default region. False when the input is too long to be a number.
bool phone_country_prepare(std::string_view number, std::string_view default_region, std::string& s) {
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
}  // namespace

namespace {

// libphonenumber's Parse + GetRegionCodeForNumber cost ~20 us per number (ICU regexes); that was
// about 40% of `veil scrub` on the public corpus. For a calling code that belongs to a single
// region, GetRegionCodeForNumber returns that region without looking at the number, so for
// plain international numbers ('+', digits, spaces, hyphens; 8-15 digits: Parse cannot fail)
// the answer is known from the code alone. Everything else takes the libphonenumber path.
// The table is built from libphonenumber's own metadata, so both paths agree by construction;
// tests/policy_actions_test.cpp checks them against each other.
struct sole_regions {
  std::array<std::string, 1000> by_code;  // "" = shared, non-geographic or unassigned code
  sole_regions() {
    const auto& util = *i18n::phonenumbers::PhoneNumberUtil::GetInstance();
    std::set<int> codes;
    util.GetSupportedCallingCodes(&codes);
    for (int c : codes) {
      if (c <= 0 || c >= 1000) continue;
      std::list<std::string> regions;
      util.GetRegionCodesForCountryCallingCode(c, &regions);
      if (regions.size() == 1 && regions.front() != "001" && regions.front() != "ZZ")
        by_code[static_cast<std::size_t>(c)] = regions.front();
    }
  }
};

// Used only for codes libphonenumber knows: a code is valid iff it has regions.
bool known_code(int c) {
  static const std::set<int> codes = [] {
    std::set<int> s;
    i18n::phonenumbers::PhoneNumberUtil::GetInstance()->GetSupportedCallingCodes(&s);
    return s;
  }();
  return codes.count(c) != 0;
}

std::optional<std::string> fast_country(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size() && (s[i] == ' ' || s[i] == '\t')) ++i;
  if (i + 1 >= s.size() || s[i] != '+' || s[i + 1] < '0' || s[i + 1] > '9') return std::nullopt;
  char digits[16];
  std::size_t n = 0;
  for (++i; i < s.size(); ++i) {
    char c = s[i];
    if (c >= '0' && c <= '9') {
      if (n == sizeof digits) return std::nullopt;
      digits[n++] = c;
    } else if (c != ' ' && c != '-') {
      return std::nullopt;
    }
  }
  if (n < 8 || n > 15) return std::nullopt;
  // Calling codes are prefix-free: the first 1-3 digit prefix that is a code is the code (as
  // libphonenumber's ExtractCountryCode does).
  int code = 0;
  for (std::size_t k = 0; k < 3; ++k) {
    code = code * 10 + (digits[k] - '0');
    if (code == 0) return std::nullopt;
    if (known_code(code)) {
      static const sole_regions table;
      const std::string& r = table.by_code[static_cast<std::size_t>(code)];
      if (r.empty()) return std::nullopt;
      return r;
    }
  }
  return std::nullopt;
}

}  // namespace

std::optional<std::string> phone_country_reference(std::string_view number, std::string_view default_region) {
  using i18n::phonenumbers::PhoneNumber;
  using i18n::phonenumbers::PhoneNumberUtil;
  std::string s;
  if (!phone_country_prepare(number, default_region, s)) return std::nullopt;
  const PhoneNumberUtil& util = *PhoneNumberUtil::GetInstance();
  PhoneNumber pn;
  std::string region(default_region.empty() ? "ZZ" : default_region);
  if (util.Parse(s, region, &pn) != PhoneNumberUtil::NO_PARSING_ERROR) return std::nullopt;
  std::string code;
  util.GetRegionCodeForNumber(pn, &code);
  if (code.empty() || code == "ZZ" || code == "001") {
    // Not a valid number of any region (unassigned or fictional range): fall back to the main
    // region of its calling code (libphonenumber lists it first: +44 -> GB, +1 -> US).
    std::list<std::string> regions;
    util.GetRegionCodesForCountryCallingCode(pn.country_code(), &regions);
    if (regions.empty() || regions.front() == "001") return std::nullopt;
    code = regions.front();
  }
  return code;
}

std::optional<std::string> phone_country(std::string_view number, std::string_view default_region) {
  std::string s;
  if (!phone_country_prepare(number, default_region, s)) return std::nullopt;
  if (auto r = fast_country(s)) return r;
  return phone_country_reference(number, default_region);
}

}  // namespace veil::detail
