// device_proof: how an install proves to the collector that a request comes from the device
// itself (erasure, subject access; docs/erasure.md). The install keeps one random erasure
// secret. For every key epoch it derives an Ed25519 key pair (libsodium crypto_sign):
//   seed = BLAKE2b-256(key = secret, message = "veil.erasure.v1" | u64 LE epoch start, unix s)
// The epoch's public key rides in every batch as the resource attribute `veil.erasure_key`
// (64 lowercase hex); the collector binds it to the epoch's install token, first seen wins.
// A request is the token plus an Ed25519 signature (128 lowercase hex) of
//   erasure: "veil-erasure-v1\n" + token
//   access:  "veil-subject-v1\n" + token + "\n" + decimal unix ms (the X-Veil-Time header)
// The secret never leaves the device and no request reveals it; public keys of different
// epochs are unlinkable without it, so they add no link across epochs to the tokens'.
// Threading: everything here is a pure function or a const member.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "agent/core/result.hpp"
#include "agent/crypto/secure_key.hpp"

namespace veil::detail {

inline constexpr std::size_t proof_public_key_hex_len = 64;
inline constexpr std::size_t proof_signature_hex_len = 128;

std::string erasure_proof_message(std::string_view token);
std::string subject_proof_message(std::string_view token, std::string_view time_ms);

/// The signing key of one epoch. The secret half is zeroed on destruction.
class epoch_signer {
 public:
  static result<epoch_signer> derive(const secure_key& erasure_secret, std::int64_t epoch_unix_s);
  epoch_signer(epoch_signer&& o) noexcept;
  epoch_signer& operator=(epoch_signer&&) = delete;
  epoch_signer(const epoch_signer&) = delete;
  ~epoch_signer();
  std::string public_key_hex() const;
  /// Detached Ed25519 signature of `message`, 128 lowercase hex.
  std::string sign_hex(std::string_view message) const;

 private:
  epoch_signer() = default;
  std::array<unsigned char, 32> pk_{};
  std::array<unsigned char, 64> sk_{};
};

/// True when `signature_hex` is a valid signature of `message` under `public_key_hex` (both
/// lowercase hex of the right length; anything else is false). Constant time in the key.
bool verify_device_proof(std::string_view public_key_hex, std::string_view message,
                         std::string_view signature_hex) noexcept;
/// True for exactly 64 lowercase hex chars.
bool is_proof_public_key(std::string_view s) noexcept;
/// BLAKE2b-256 of `data` as 64 lowercase hex (content digests of uploaded batches; the bodies
/// are cleaned data, so an unkeyed digest of them identifies a batch, not a person).
std::string content_digest_hex(std::string_view data);

}  // namespace veil::detail
