// phone_country on Debian's libphonenumber (the field's standard metadata): shared calling
// codes (+1 US/CA/Caribbean, +7 RU/KZ) are resolved by number ranges, not by a prefix table.
#include <phonenumbers/phonenumberutil.h>

#include <list>
#include <string>

#include "agent/policy/actions.hpp"

namespace veil::detail {

std::optional<std::string> phone_country(std::string_view number, std::string_view default_region) {
  using i18n::phonenumbers::PhoneNumber;
  using i18n::phonenumbers::PhoneNumberUtil;
  std::string s;
  s.reserve(number.size());
  std::string_view n = number;
  while (!n.empty() && n.front() == ' ') n.remove_prefix(1);
  if (n.size() >= 4 && (n.substr(0, 4) == "tel:" || n.substr(0, 4) == "TEL:")) n.remove_prefix(4);
  if (n.size() > 64) return std::nullopt;
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

}  // namespace veil::detail
