#include "agent/crypto/secure_key.hpp"

#include <sodium.h>

#include <cstring>

namespace veil::detail {

result<void> crypto_init() noexcept {
  static const int rc = sodium_init();  // thread-safe once; sodium_init is idempotent
  if (rc < 0) return make_error(errc::crypto_error, "sodium_init failed");
  return {};
}

static_assert(secure_key::size == crypto_generichash_KEYBYTES);

result<secure_key> secure_key::random() {
  if (auto r = crypto_init(); !r) return std::move(r).err();
  secure_key k;
  k.p_ = static_cast<unsigned char*>(sodium_malloc(size));
  if (!k.p_) return make_error(errc::crypto_error, "sodium_malloc failed for a key");
  randombytes_buf(k.p_, size);
  return k;
}

result<secure_key> secure_key::from_bytes(std::span<const unsigned char> bytes) {
  if (bytes.size() != size) return make_error(errc::invalid_argument, "key must be 32 bytes");
  if (auto r = crypto_init(); !r) return std::move(r).err();
  secure_key k;
  k.p_ = static_cast<unsigned char*>(sodium_malloc(size));
  if (!k.p_) return make_error(errc::crypto_error, "sodium_malloc failed for a key");
  std::memcpy(k.p_, bytes.data(), size);
  return k;
}

secure_key::secure_key(secure_key&& o) noexcept : p_(o.p_) { o.p_ = nullptr; }

secure_key& secure_key::operator=(secure_key&& o) noexcept {
  if (this != &o) {
    if (p_) sodium_free(p_);  // sodium_free zeroes before freeing
    p_ = o.p_;
    o.p_ = nullptr;
  }
  return *this;
}

secure_key::~secure_key() {
  if (p_) {
    sodium_memzero(p_, size);
    sodium_free(p_);
  }
}

bool secure_key::equals(const secure_key& o) const noexcept {
  if (!p_ || !o.p_) return p_ == o.p_;
  return sodium_memcmp(p_, o.p_, size) == 0;
}

}  // namespace veil::detail
