#include "agent/crypto/device_proof.hpp"

#include <sodium.h>

#include <cstring>

namespace veil::detail {
namespace {

constexpr char hexdig[] = "0123456789abcdef";

std::string to_hex(const unsigned char* p, std::size_t n) {
  std::string s(2 * n, '0');
  for (std::size_t i = 0; i < n; ++i) {
    s[2 * i] = hexdig[p[i] >> 4];
    s[2 * i + 1] = hexdig[p[i] & 15];
  }
  return s;
}

int nib(char c) noexcept {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

// Lowercase hex only: one spelling per value, so a key or signature compares as text too.
bool from_hex(std::string_view s, unsigned char* out, std::size_t n) noexcept {
  if (s.size() != 2 * n) return false;
  for (std::size_t i = 0; i < n; ++i) {
    const int hi = nib(s[2 * i]), lo = nib(s[2 * i + 1]);
    if (hi < 0 || lo < 0) return false;
    out[i] = static_cast<unsigned char>(hi << 4 | lo);
  }
  return true;
}

}  // namespace

std::string erasure_proof_message(std::string_view token) {
  return "veil-erasure-v1\n" + std::string(token);
}

std::string subject_proof_message(std::string_view token, std::string_view time_ms) {
  return "veil-subject-v1\n" + std::string(token) + "\n" + std::string(time_ms);
}

result<epoch_signer> epoch_signer::derive(const secure_key& erasure_secret,
                                          std::int64_t epoch_unix_s) {
  if (erasure_secret.empty())
    return make_error(errc::invalid_argument, "device proof: no erasure secret");
  if (sodium_init() < 0) return make_error(errc::crypto_error, "libsodium failed to initialise");
  unsigned char msg[15 + 8];
  std::memcpy(msg, "veil.erasure.v1", 15);
  auto e = static_cast<std::uint64_t>(epoch_unix_s);
  for (int i = 0; i < 8; ++i) msg[15 + i] = static_cast<unsigned char>(e >> (8 * i));
  unsigned char seed[crypto_sign_SEEDBYTES];
  static_assert(crypto_sign_SEEDBYTES == 32 && crypto_sign_PUBLICKEYBYTES == 32 &&
                crypto_sign_SECRETKEYBYTES == 64 && crypto_sign_BYTES == 64);
  if (crypto_generichash(seed, sizeof seed, msg, sizeof msg, erasure_secret.data(),
                         secure_key::size) != 0)
    return make_error(errc::crypto_error, "device proof: key derivation failed");
  epoch_signer s;
  const int rc = crypto_sign_seed_keypair(s.pk_.data(), s.sk_.data(), seed);
  sodium_memzero(seed, sizeof seed);
  if (rc != 0) return make_error(errc::crypto_error, "device proof: key pair failed");
  return s;
}

epoch_signer::epoch_signer(epoch_signer&& o) noexcept : pk_(o.pk_), sk_(o.sk_) {
  sodium_memzero(o.sk_.data(), o.sk_.size());
}

epoch_signer::~epoch_signer() { sodium_memzero(sk_.data(), sk_.size()); }

std::string epoch_signer::public_key_hex() const { return to_hex(pk_.data(), pk_.size()); }

std::string epoch_signer::sign_hex(std::string_view message) const {
  unsigned char sig[crypto_sign_BYTES];
  crypto_sign_detached(sig, nullptr, reinterpret_cast<const unsigned char*>(message.data()),
                       message.size(), sk_.data());
  return to_hex(sig, sizeof sig);
}

bool verify_device_proof(std::string_view public_key_hex, std::string_view message,
                         std::string_view signature_hex) noexcept {
  unsigned char pk[crypto_sign_PUBLICKEYBYTES], sig[crypto_sign_BYTES];
  if (!from_hex(public_key_hex, pk, sizeof pk) || !from_hex(signature_hex, sig, sizeof sig))
    return false;
  if (sodium_init() < 0) return false;
  return crypto_sign_verify_detached(sig, reinterpret_cast<const unsigned char*>(message.data()),
                                     message.size(), pk) == 0;
}

bool is_proof_public_key(std::string_view s) noexcept {
  unsigned char pk[crypto_sign_PUBLICKEYBYTES];
  return from_hex(s, pk, sizeof pk);
}

std::string content_digest_hex(std::string_view data) {
  unsigned char h[32];
  crypto_generichash(h, sizeof h, reinterpret_cast<const unsigned char*>(data.data()), data.size(),
                     nullptr, 0);
  return to_hex(h, sizeof h);
}

}  // namespace veil::detail
