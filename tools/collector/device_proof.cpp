#include "tools/collector/device_proof.hpp"

#include <sodium.h>

#include <array>
#include <cstdlib>

namespace veil::collector {
namespace {

// sodium_init() once; its result is checked (a collector without a working libsodium verifies
// nothing, so every proof fails closed).
bool sodium_ready() noexcept {
  static const bool ok = sodium_init() >= 0;
  return ok;
}

int nibble(char c) noexcept {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

template <std::size_t N>
bool from_hex(std::string_view s, std::array<unsigned char, N>& out) noexcept {
  if (!is_lower_hex(s, 2 * N)) return false;
  for (std::size_t i = 0; i < N; ++i)
    out[i] = static_cast<unsigned char>(nibble(s[2 * i]) << 4 | nibble(s[2 * i + 1]));
  return true;
}

}  // namespace

bool is_lower_hex(std::string_view s, std::size_t n) noexcept {
  if (s.size() != n) return false;
  for (char c : s)
    if (nibble(c) < 0) return false;
  return true;
}

std::string erasure_message(std::string_view token) {
  return "veil-erasure-v1\n" + std::string(token);
}

std::string subject_message(std::string_view token, std::string_view time) {
  return "veil-subject-v1\n" + std::string(token) + "\n" + std::string(time);
}

bool verify_device_signature(std::string_view public_key_hex, std::string_view message,
                             std::string_view signature_hex) noexcept {
  if (!sodium_ready()) return false;
  std::array<unsigned char, crypto_sign_PUBLICKEYBYTES> pk{};
  std::array<unsigned char, crypto_sign_BYTES> sig{};
  if (!from_hex(public_key_hex, pk) || !from_hex(signature_hex, sig)) return false;
  return crypto_sign_verify_detached(sig.data(),
                                     reinterpret_cast<const unsigned char*>(message.data()),
                                     message.size(), pk.data()) == 0;
}

std::string random_hex_id() {
  if (!sodium_ready()) std::abort();  // no randomness: a receipt id must never repeat
  std::array<unsigned char, 16> b{};
  randombytes_buf(b.data(), b.size());
  static const char* hex = "0123456789abcdef";
  std::string out;
  for (auto c : b) {
    out += hex[c >> 4];
    out += hex[c & 15];
  }
  return out;
}

}  // namespace veil::collector
