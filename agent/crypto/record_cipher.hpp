// Authenticated encryption of single spool records: XChaCha20-Poly1305 (IETF AEAD) under the
// device spool key, a fresh random 192-bit nonce per record, and caller-given associated data
// (the spool binds segment id + sequence number so records cannot be swapped or replayed).
// The key lives in a secure_key and in `<state>/spool.key` (mode 0600, never uploaded).
// seal/open are const and thread-safe. open() fails with errc::corrupt on any tampering.
#pragma once

#include <cstddef>
#include <filesystem>
#include <string>
#include <string_view>

#include "agent/core/result.hpp"
#include "agent/crypto/secure_key.hpp"

namespace veil::detail {

class record_cipher {
 public:
  static constexpr std::size_t nonce_size = 24;  // crypto_aead_xchacha20poly1305_ietf_NPUBBYTES
  static constexpr std::size_t tag_size = 16;    // crypto_aead_xchacha20poly1305_ietf_ABYTES
  /// Bytes seal() adds to a plaintext: nonce + tag.
  static constexpr std::size_t overhead = nonce_size + tag_size;

  explicit record_cipher(secure_key key) noexcept : key_(std::move(key)) {}
  /// A cipher with a fresh random key (memory spools, tests).
  static result<record_cipher> random();
  /// Loads the key file or creates it (random key, mode 0600, tmp + fsync + rename).
  /// File layout: "VEILSPK1" | 32 key bytes. A wrong size or magic is errc::corrupt.
  static result<record_cipher> load_or_create(const std::filesystem::path& key_file);

  /// nonce(24) | ciphertext | tag(16). `ad` is authenticated but not stored.
  result<std::string> seal(std::string_view plain, std::string_view ad) const;
  /// Inverse of seal(); errc::corrupt if the bytes or `ad` do not match.
  result<std::string> open(std::string_view sealed, std::string_view ad) const;

 private:
  secure_key key_;
};

}  // namespace veil::detail
