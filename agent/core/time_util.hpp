// RFC 3339 parsing and formatting for event timestamps, and coarsening. Pure functions.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace veil::detail {

/// Parses "2026-11-29T10:15:07.123Z" / "+02:00" offsets / lower-case t,z; returns Unix ms.
std::optional<std::int64_t> parse_rfc3339_ms(std::string_view s) noexcept;
/// Formats Unix ms as "2026-11-29T10:00:00Z" (seconds precision, UTC).
std::string format_rfc3339(std::int64_t unix_ms);
void format_rfc3339(std::int64_t unix_ms, std::string& out);

enum class ts_granularity : std::uint8_t { none, second, minute, hour, day };
/// Floors unix ms to the granularity (none keeps ms; formatting then drops sub-seconds).
std::int64_t coarsen_ms(std::int64_t unix_ms, ts_granularity g) noexcept;

}  // namespace veil::detail
