// The device's proofs for users' rights (issue 14): a device binds an Ed25519 public key to each
// install token it uploads with (resource attribute veil.erasure_key) and later signs requests
// about that token with the secret key only it holds. This file checks shapes and verifies
// detached signatures (libsodium crypto_sign_verify_detached, confined to device_proof.cpp).
// The messages signed are fixed here and on the agent side: erasure_message, subject_message.
// Pure functions of their inputs; thread-safe; nothing is logged.
#pragma once

#include <string>
#include <string_view>

namespace veil::collector {

/// True if `s` is exactly `n` characters of [0-9a-f].
bool is_lower_hex(std::string_view s, std::size_t n) noexcept;
/// The shape of veil.erasure_key: 64 lowercase hex (a 32-byte Ed25519 public key).
inline bool looks_like_erasure_key(std::string_view s) noexcept { return is_lower_hex(s, 64); }
/// The shape of a signature: 128 lowercase hex (64 bytes).
inline bool looks_like_signature(std::string_view s) noexcept { return is_lower_hex(s, 128); }

/// "veil-erasure-v1\n" + token: what POST /v1/erasure items sign.
std::string erasure_message(std::string_view token);
/// "veil-subject-v1\n" + token + "\n" + time (the X-Veil-Time header as sent): GET /v1/subject.
std::string subject_message(std::string_view token, std::string_view time);

/// Verifies an Ed25519 detached signature (hex) over `message` with a public key (hex). False
/// for any malformed input or a key libsodium refuses (small order, non-canonical).
bool verify_device_signature(std::string_view public_key_hex, std::string_view message,
                             std::string_view signature_hex) noexcept;

/// 32 random lowercase hex characters (receipt ids).
std::string random_hex_id();

}  // namespace veil::collector
