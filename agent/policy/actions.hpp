// Value transformations of the policy vocabulary that do not need keys or the scanner:
// ip_prefix, url_strip, sip_domain, bucket labels, geo rounding, path user segments, and
// phone_country (the generated metadata table, or libphonenumber with VEIL_PHONE_TABLE=OFF;
// docs/phone-table.md). Pure functions; thread-safe; never throw on any input.
// Each returns false when the input cannot be transformed: the caller then drops the field.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace veil::detail {

/// IPv4 -> "a.b.c.0/24", IPv6 -> "xxxx:xxxx:xxxx::/48"; IPv4-mapped IPv6 is treated as IPv4.
/// Accepts a port ("1.2.3.4:5060", "[2001:db8::1]:5060") and a zone id ("fe80::1%eth0").
bool ip_prefix(std::string_view in, std::string& out);

/// "https://u:p@h:8443/p?q#f" -> "https://h:8443/p". Without a scheme, cuts query and fragment.
bool url_strip(std::string_view in, std::string& out);

struct sip_parts {
  std::string_view scheme;  // "sip", "sips" or "tel" (as written)
  std::string_view user;    // may be empty
  std::string_view host;    // may be empty for tel:
};
/// Parses "sip:alice@host;transport=tls", "<sips:+4930…@host:5061>", "\"Alice\" <sip:…>",
/// "tel:+1-212-555-0100". Returns false if no sip:/sips:/tel: URI is found.
bool parse_sip_uri(std::string_view in, sip_parts& out);
/// Lower-cased host of a SIP URI (without port or brackets).
bool sip_domain(std::string_view in, std::string& out);

/// Label of the range that holds v: "60-180", "3600+", "<0" below the first bound.
std::string bucket_label(double v, const std::vector<double>& bounds);

/// Rounds to `decimals` (0..6) decimal places, half away from zero.
double round_to(double v, int decimals) noexcept;

/// Replaces the user-name segment of home directories: /home/x, /Users/x, C:\Users\x,
/// C:\\Users\\x (escaped), /var/home/x, \\Documents and Settings\x, ~x. Appends to out; returns
/// the number of replacements.
std::size_t scrub_path_users(std::string_view in, std::string& out);

/// ISO 3166-1 alpha-2 region of a phone number ("+49 30 …" -> "DE"), given the default region
/// for national formats ("ZZ" for none). A "00" international prefix is understood. Answers as
/// libphonenumber's Parse + GetRegionCodeForNumber (falling back to the calling code's main
/// region); with the table, input with non-ASCII or control characters is not answered
/// (nullopt). The libphonenumber variants: agent/policy/phone/phone_libphonenumber.hpp.
std::optional<std::string> phone_country(std::string_view number, std::string_view default_region);

/// Parses a number from a JSON string ("187", " 4.5 "); false if not a finite number.
bool parse_number(std::string_view s, double& out) noexcept;

}  // namespace veil::detail
