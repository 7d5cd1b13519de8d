// Keyed pseudonyms: BLAKE2b (crypto_generichash) of "domain \0 value" under an epoch key.
// The same (key, domain, value) always gives the same token; without the key a token cannot
// be linked to its value. The output is 32 lowercase hex characters (128 bits). Pure, thread-safe.
#pragma once

#include <array>
#include <string>
#include <string_view>

#include "agent/crypto/secure_key.hpp"

namespace veil::detail {

inline constexpr std::size_t pseudonym_hex_len = 32;

/// Writes the token for `value` (in namespace `domain`, e.g. the output field name) into `out`.
void pseudonymize(const secure_key& key, std::string_view domain, std::string_view value,
                  std::array<char, pseudonym_hex_len>& out) noexcept;

}  // namespace veil::detail

namespace veil::detail {
/// Unkeyed BLAKE2b digest of public data (policy text, batch contents), `bytes` long, as hex.
/// Never use it on a personal value: that would be a leak (privacy rule 3).
std::string public_digest_hex(std::string_view data, std::size_t bytes = 16);
}  // namespace veil::detail
