#include "agent/crypto/random.hpp"

#include <sodium.h>

#include "agent/crypto/secure_key.hpp"

namespace veil::detail {

result<void> random_bytes(std::span<unsigned char> out) noexcept {
  if (auto r = crypto_init(); !r) return r;
  randombytes_buf(out.data(), out.size());
  return {};
}

}  // namespace veil::detail
