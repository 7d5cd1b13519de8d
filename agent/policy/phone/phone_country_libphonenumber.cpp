// phone_country with VEIL_PHONE_TABLE=OFF: libphonenumber at run time (the behaviour before the
// table; docs/phone-table.md).
#include "agent/policy/actions.hpp"
#include "agent/policy/phone/phone_libphonenumber.hpp"

namespace veil::detail {

std::optional<std::string> phone_country(std::string_view number, std::string_view default_region) {
  return phone_country_libphonenumber(number, default_region);
}

}  // namespace veil::detail
