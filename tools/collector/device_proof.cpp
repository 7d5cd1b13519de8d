#include "tools/collector/device_proof.hpp"

#include "agent/crypto/device_proof.hpp"
#include "agent/crypto/random.hpp"

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
  auto id = veil::detail::random_hex_id();
  if (!id) std::abort();  // no randomness: a receipt id must never repeat
  return std::move(*id);
}

}  // namespace veil::collector
