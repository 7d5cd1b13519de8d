// phone_country with VEIL_PHONE_TABLE=ON (the default): the generated table alone, so libveil
// needs neither libphonenumber nor ICU nor protobuf at run time (docs/phone-table.md).
#include "agent/policy/actions.hpp"
#include "agent/policy/phone_table.hpp"

namespace veil::detail {

std::optional<std::string> phone_country(std::string_view number, std::string_view default_region) {
  return phone_country_table(number, default_region);
}

}  // namespace veil::detail
