// Move-only secret key bytes in sodium_malloc'd memory, wiped (sodium_memzero) and freed on
// destruction. The only type that holds key material in the library. Never logged or
// serialized except by the key store that owns its file. Thread-compatible.
#pragma once

#include <cstddef>
#include <span>

#include "agent/core/result.hpp"

namespace veil::detail {

/// Calls sodium_init() once; returns an error if libsodium cannot initialise.
result<void> crypto_init() noexcept;

class secure_key {
 public:
  static constexpr std::size_t size = 32;  // crypto_generichash_KEYBYTES == secretstream KEYBYTES

  secure_key() noexcept = default;
  /// A fresh random key (randombytes_buf).
  static result<secure_key> random();
  /// A key copied from `bytes` (must be `size` long).
  static result<secure_key> from_bytes(std::span<const unsigned char> bytes);
  secure_key(secure_key&& o) noexcept;
  secure_key& operator=(secure_key&& o) noexcept;
  secure_key(const secure_key&) = delete;
  secure_key& operator=(const secure_key&) = delete;
  ~secure_key();

  bool empty() const noexcept { return p_ == nullptr; }
  const unsigned char* data() const noexcept { return p_; }
  std::span<const unsigned char> bytes() const noexcept { return {p_, p_ ? size : 0}; }
  /// Constant-time comparison (sodium_memcmp).
  bool equals(const secure_key& o) const noexcept;

 private:
  unsigned char* p_ = nullptr;
};

}  // namespace veil::detail
