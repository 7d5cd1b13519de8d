// phone_country on Debian's libphonenumber (the field's standard metadata): shared calling
// codes (+1 US/CA/Caribbean, +7 RU/KZ) are resolved by number ranges, not by a prefix table.
// The agent's phone_country with VEIL_PHONE_TABLE=OFF, and the oracle of the table's answers
// (tests/phone_table_test.cpp) either way; with the option ON it is not part of libveil.
#include <phonenumbers/phonemetadata.pb.h>
#include <phonenumbers/phonenumberutil.h>

#include <array>
#include <list>
#include <optional>
#include <set>
#include <string>

#include "agent/policy/phone/phone_libphonenumber.hpp"
#include "agent/policy/phone_table.hpp"

// The compiled metadata libphonenumber carries: a serialized PhoneMetadataCollection, exported
// by the library and declared in its metadata.h, a header Debian does not install.
namespace i18n::phonenumbers {
int metadata_size();
const void* metadata_get();
}  // namespace i18n::phonenumbers

namespace veil::detail {

namespace {

// libphonenumber's Parse + GetRegionCodeForNumber cost ~20 us per number (ICU regexes); that was
// about 40% of `veil scrub` on the public corpus. For a calling code that belongs to a single
// region, GetRegionCodeForNumber returns that region without looking at the number, so for
// plain international numbers ('+', digits, spaces, hyphens; 8-15 digits: Parse cannot fail)
// the answer is known from the code alone (shared codes: see shared_code_country). Everything
// else, and every case where fast_country returns nullopt, takes the libphonenumber path.
// The table is built from libphonenumber's own metadata, so both paths agree by construction;
// tests/policy_actions_test.cpp checks them against each other.
//
// For a shared calling code (+1 US/CA/Caribbean, +7 RU/KZ, +44 GB/GG/IM/JE, +39 IT/VA, ...) the
// region depends on the number. For "+<code> <nsn>" Parse only splits off the code, strips the
// main region's national prefix for parsing ("1" for US, "8" for RU, "0" for GB, none for IT)
// and marks a leading 0 (italian_leading_zero) before GetRegionCodeForNumber. When that prefix
// is a plain digit string (or empty) and the NSN starts with neither it nor 0, the PhoneNumber
// Parse would build is just {code, nsn}: built directly, Parse (about half the cost) is skipped.
// Codes whose prefix is a pattern (AU "0|(183[12])") are left to Parse; so is every shared code
// if the compiled metadata cannot be read.
struct calling_codes {
  struct entry {               // 14 bytes: the table stays small in the agent
    bool known = false;        // a code libphonenumber has regions for
    bool decidable = false;    // shared code whose main region's prefix is the literal below
    char sole_region[3] = {};  // its only region, or ""
    char prefix[9] = {};       // that national prefix for parsing (digits; "" for none)
  };
  std::array<entry, 1000> by_code;
  calling_codes() {
    const auto& util = *i18n::phonenumbers::PhoneNumberUtil::GetInstance();
    i18n::phonenumbers::PhoneMetadataCollection all;
    const bool metadata =
        all.ParseFromArray(i18n::phonenumbers::metadata_get(), i18n::phonenumbers::metadata_size());
    std::set<int> codes;
    util.GetSupportedCallingCodes(&codes);
    for (int c : codes) {
      if (c <= 0 || c >= 1000) continue;
      entry& e = by_code[static_cast<std::size_t>(c)];
      e.known = true;
      std::list<std::string> regions;
      util.GetRegionCodesForCountryCallingCode(c, &regions);
      if (regions.empty() || regions.front() == "001" || regions.front() == "ZZ") continue;
      if (regions.size() == 1) {
        regions.front().copy(e.sole_region, 2);
        continue;
      }
      for (int k = 0; metadata && k < all.metadata_size(); ++k) {
        const auto& m = all.metadata(k);
        if (m.id() != regions.front()) continue;
        const std::string& p = m.national_prefix_for_parsing();
        if (p.size() < sizeof e.prefix && p.find_first_not_of("0123456789") == std::string::npos &&
            !m.has_national_prefix_transform_rule()) {
          p.copy(e.prefix, p.size());
          e.decidable = true;
        }
        break;
      }
    }
  }
};
const calling_codes& calling_code_table() {
  static const calling_codes table;
  return table;
}

std::optional<std::string> shared_code_country(int code, std::string_view nsn) {
  using i18n::phonenumbers::PhoneNumberUtil;
  const calling_codes::entry& e = calling_code_table().by_code[static_cast<std::size_t>(code)];
  const std::string_view ndd(e.prefix);
  if (!e.decidable || nsn.empty() || nsn.front() == '0' ||
      (!ndd.empty() && nsn.substr(0, ndd.size()) == ndd))
    return std::nullopt;  // undecided: libphonenumber's Parse decides
  const PhoneNumberUtil& util = *PhoneNumberUtil::GetInstance();
  std::uint64_t v = 0;
  for (char c : nsn) v = v * 10 + static_cast<std::uint64_t>(c - '0');
  i18n::phonenumbers::PhoneNumber pn;
  pn.set_country_code(code);
  pn.set_national_number(v);
  std::string region;
  util.GetRegionCodeForNumber(pn, &region);
  if (region.empty() || region == "ZZ" || region == "001") {
    std::list<std::string> regions;
    util.GetRegionCodesForCountryCallingCode(code, &regions);
    if (regions.empty() || regions.front() == "001") return std::nullopt;  // (Parse says the same)
    region = regions.front();
  }
  return region;
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
    const calling_codes::entry& e = calling_code_table().by_code[static_cast<std::size_t>(code)];
    if (e.known) {
      if (e.sole_region[0] != 0) return std::string(e.sole_region);
      return shared_code_country(code, std::string_view(digits + k + 1, n - k - 1));
    }
  }
  return std::nullopt;
}

}  // namespace

std::optional<std::string> phone_country_reference(std::string_view number,
                                                   std::string_view default_region) {
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

std::optional<std::string> phone_country_libphonenumber(std::string_view number,
                                                        std::string_view default_region) {
  std::string s;
  if (!phone_country_prepare(number, default_region, s)) return std::nullopt;
  if (auto r = fast_country(s)) return r;
  return phone_country_reference(number, default_region);
}

std::optional<std::string> phone_country_fast(std::string_view number) {
  std::string s;
  if (!phone_country_prepare(number, "ZZ", s)) return std::nullopt;
  return fast_country(s);
}

}  // namespace veil::detail
