#include "tools/collector/device_proof.hpp"

#include "agent/crypto/device_proof.hpp"
#include "agent/crypto/secure_key.hpp"

#include <cstdlib>

// One implementation of the protocol for agent and collector: agent/crypto/device_proof.hpp
// (the only libsodium user). This file keeps the collector's names.
namespace veil::collector {

bool is_lower_hex(std::string_view s, std::size_t n) noexcept {
  if (s.size() != n) return false;
  for (char c : s)
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  return true;
}

std::string erasure_message(std::string_view token) {
  return veil::detail::erasure_proof_message(token);
}

std::string subject_message(std::string_view token, std::string_view time) {
  return veil::detail::subject_proof_message(token, time);
}

bool verify_device_signature(std::string_view public_key_hex, std::string_view message,
                             std::string_view signature_hex) noexcept {
  return veil::detail::verify_device_proof(public_key_hex, message, signature_hex);
}

std::string random_hex_id() {
  auto k = veil::detail::secure_key::random();
  if (!k) std::abort();  // no randomness: a receipt id must never repeat
  static const char* hex = "0123456789abcdef";
  std::string out;
  for (std::size_t i = 0; i < 16; ++i) {
    out += hex[k->data()[i] >> 4];
    out += hex[k->data()[i] & 15];
  }
  return out;
}

}  // namespace veil::collector
