// phone_country through libphonenumber (Parse + GetRegionCodeForNumber, ICU regexes): the
// agent's implementation when VEIL_PHONE_TABLE is OFF, and the oracle the table is tested
// against (tests/phone_table_test.cpp). Only targets that link libphonenumber may call these:
// with VEIL_PHONE_TABLE=ON that is the test binary, not libveil. Pure; thread-safe; never throw.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace veil::detail {

/// phone_country's contract (actions.hpp), answered by libphonenumber: a fast path for plain
/// international numbers, Parse for the rest.
std::optional<std::string> phone_country_libphonenumber(std::string_view number,
                                                        std::string_view default_region);
/// The same, always through libphonenumber's Parse. The reference for tests.
std::optional<std::string> phone_country_reference(std::string_view number,
                                                   std::string_view default_region);
/// Only the path without Parse: the region if it decides the number, nullopt if Parse must.
/// For tests (that the path is taken, not only that it agrees).
std::optional<std::string> phone_country_fast(std::string_view number);

}  // namespace veil::detail
