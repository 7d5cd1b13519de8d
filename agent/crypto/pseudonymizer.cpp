#include "agent/crypto/pseudonymizer.hpp"

#include <sodium.h>

namespace veil::detail {

void pseudonymize(const secure_key& key, std::string_view domain, std::string_view value,
                  std::array<char, pseudonym_hex_len>& out) noexcept {
  unsigned char digest[pseudonym_hex_len / 2];
  crypto_generichash_state st;
  crypto_generichash_init(&st, key.data(), secure_key::size, sizeof digest);
  crypto_generichash_update(&st, reinterpret_cast<const unsigned char*>(domain.data()),
                            domain.size());
  const unsigned char sep = 0;
  crypto_generichash_update(&st, &sep, 1);
  crypto_generichash_update(&st, reinterpret_cast<const unsigned char*>(value.data()),
                            value.size());
  crypto_generichash_final(&st, digest, sizeof digest);
  static constexpr char hex[] = "0123456789abcdef";
  for (std::size_t i = 0; i < sizeof digest; ++i) {
    out[2 * i] = hex[digest[i] >> 4];
    out[2 * i + 1] = hex[digest[i] & 15];
  }
  sodium_memzero(&st, sizeof st);
}

}  // namespace veil::detail

namespace veil::detail {
std::string public_digest_hex(std::string_view data, std::size_t bytes) {
  if (bytes < crypto_generichash_BYTES_MIN) bytes = crypto_generichash_BYTES_MIN;
  if (bytes > crypto_generichash_BYTES_MAX) bytes = crypto_generichash_BYTES_MAX;
  unsigned char d[crypto_generichash_BYTES_MAX];
  crypto_generichash(d, bytes, reinterpret_cast<const unsigned char*>(data.data()), data.size(),
                     nullptr, 0);
  std::string out(bytes * 2, '0');
  static constexpr char hex[] = "0123456789abcdef";
  for (std::size_t i = 0; i < bytes; ++i) {
    out[2 * i] = hex[d[i] >> 4];
    out[2 * i + 1] = hex[d[i] & 15];
  }
  return out;
}
}  // namespace veil::detail
