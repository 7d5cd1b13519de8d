#include "agent/crypto/random.hpp"

#include <sodium.h>

#include "agent/crypto/secure_key.hpp"

namespace veil::detail {

result<void> random_bytes(std::span<unsigned char> out) noexcept {
  if (auto r = crypto_init(); !r) return r;
  randombytes_buf(out.data(), out.size());
  return {};
}

result<std::string> random_hex_id() {
  unsigned char b[16];
  if (auto r = random_bytes(b); !r) return std::move(r).err();
  static constexpr char hex[] = "0123456789abcdef";
  std::string s;
  s.reserve(32);
  for (auto c : b) {
    s += hex[c >> 4];
    s += hex[c & 15];
  }
  return s;
}

}  // namespace veil::detail
