// The layout of the phone metadata table that tools/phonetable generates at build time from
// libphonenumber's compiled-in metadata (docs/phone-table.md). The generated source defines the
// arrays declared here; agent/policy/phone_table.cpp reads them. Read-only data, no
// initialisation at run time, so any thread may read it at any time.
//
// Regular expressions are stored as small backtracking programs over the ten digits (the only
// alphabet libphonenumber applies its metadata patterns to), one 32-bit instruction each:
//   bits 0-1 = 0: a digit class, bits 2-11 the set of digits it accepts (bit 2 + d: digit d)
//              1: split, try bits 2-16 first, then bits 17-31 (targets relative to the pattern)
//              2: jump to bits 2-16
//              3: bits 2-31 == 0: match; 1: assert the end of the input ('$'); k > 1: save the
//                 input position in capture slot k - 2 (slots 2g and 2g + 1: group g's bounds)
#pragma once

#include <cstddef>
#include <cstdint>

namespace veil::detail::phone_data {

/// One compiled pattern: `size` instructions of `program` from `offset`; size 0: no pattern
/// (libphonenumber's empty string, which never matches a number).
struct regex {
  std::uint32_t offset;
  std::uint16_t size;
  std::uint8_t groups;  // capturing groups, as ICU counts them
};

/// A number description: its pattern and its possible lengths (bit n: length n; bit 31: the
/// metadata lists lengths; a list of only -1, "no numbers of this type", is bit 31 alone).
struct desc {
  regex pattern;
  std::uint32_t lengths;
};

inline constexpr std::uint32_t lengths_listed = 1u << 31;

/// One region (ISO 3166-1 alpha-2; non-geographical entities "001" have no entry).
struct region {
  char id[3];
  std::uint16_t country_code;
  bool has_leading_digits;
  bool main_for_code;
  regex international_prefix;
  regex national_prefix_for_parsing;
  const char* transform_rule;  // national_prefix_transform_rule ("$1..."), nullptr when none
  regex leading_digits;
  desc general;
  std::uint32_t local_lengths;  // general desc's possible_length_local_only (bit n: length n)
  // The descriptions whose match makes a number this region's in GetRegionCodeForNumber, in
  // libphonenumber's order (premium rate ... voicemail, fixed line, then mobile unless it has
  // the fixed line's pattern). Only for regions of a shared calling code without leading digits.
  std::uint16_t first_type;
  std::uint8_t type_count;
};

/// A country calling code: its regions in libphonenumber's order (the main region first).
struct calling_code {
  std::uint16_t code;
  std::uint16_t first_region;  // index into regions; the regions of one code are consecutive
  std::uint8_t region_count;   // 0: a non-geographical code ("001": +800, +808, +870, ...)
};

extern const std::uint32_t program[];
extern const std::size_t program_size;
extern const desc types[];
extern const std::size_t type_count;
extern const region regions[];
extern const std::size_t region_count;
extern const std::uint16_t regions_by_id[];  // indices into regions, sorted by id
extern const calling_code calling_codes[];   // sorted by code
extern const std::size_t calling_code_count;

/// The Debian package the table was made from ("8.12.57+ds-3"), and FNV-1a 64 of the serialized
/// metadata it read (libphonenumber's metadata_get()), to tell a stale table from a fresh one.
extern const char libphonenumber_version[];
extern const std::uint64_t metadata_digest;
/// Bytes of the table's data (program, descriptions, regions, indices, strings), for the docs.
extern const std::size_t table_bytes;

}  // namespace veil::detail::phone_data
