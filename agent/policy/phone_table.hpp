// phone_country from the generated metadata table alone (agent/policy/phone_table_data.hpp,
// docs/phone-table.md): no libphonenumber, ICU or protobuf at run time. It follows
// libphonenumber's Parse + GetRegionCodeForNumber step by step (international prefixes,
// national prefixes and their transform rules, possible lengths, the number patterns of the
// regions that share a calling code, and the syntax around the digits: separators, extensions,
// letters of vanity numbers), so it answers as libphonenumber does for ASCII text. Input with a
// non-ASCII or control character (other than a tab) is not answered: nullopt, the field is
// dropped.
// Pure functions over read-only data; thread-safe; never throw on any input.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace veil::detail {

/// The region of a number as the table answers it (see above); the same contract as
/// phone_country (actions.hpp).
std::optional<std::string> phone_country_table(std::string_view number,
                                               std::string_view default_region);

/// The input as libphonenumber is given it by phone_country: leading spaces and "tel:" removed,
/// cut at ';' or '@', a leading "00" read as "+" when default_region is "ZZ". False when the
/// input is too long (over 64 characters) to be a number.
bool phone_country_prepare(std::string_view number, std::string_view default_region,
                           std::string& s);

/// What the table was made from, and its size.
struct phone_table_facts {
  std::string_view libphonenumber_version;  // the Debian package's, "8.12.57+ds-3"
  std::uint64_t metadata_digest;            // FNV-1a 64 of the serialized metadata
  std::size_t bytes;                        // data: patterns, descriptions, regions, indices
  std::size_t regions, calling_codes, instructions;
};
phone_table_facts phone_table_info() noexcept;

}  // namespace veil::detail
