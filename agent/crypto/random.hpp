// random_bytes: unpredictable bytes from libsodium's randombytes_buf (the OS generator), for
// identifiers such as upload batch ids. Thread-safe. Fails only if libsodium cannot initialise.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>

#include "agent/core/result.hpp"

namespace veil::detail {

result<void> random_bytes(std::span<unsigned char> out) noexcept;
/// 128 random bits as 32 lowercase hex chars (install ids, request and receipt ids).
result<std::string> random_hex_id();

/// Uniform randomness for local differential privacy (agent/aggregate/ldp.hpp): the OS
/// generator, or a seeded ChaCha20 stream for simulations and tests. One object per thread.
class random_source {
 public:
  virtual ~random_source() = default;
  virtual void fill(std::span<unsigned char> out) noexcept = 0;
  std::uint64_t next_u64() noexcept;
  /// Uniform in [0, n) for n >= 1, without modulo bias.
  std::uint32_t uniform(std::uint32_t n) noexcept;
  /// Uniform in [0, 1), 53 random bits.
  double unit() noexcept;
};
/// libsodium's randombytes_buf (the OS generator); thread-safe.
random_source& os_random() noexcept;
/// libsodium's randombytes_buf_deterministic stream from `seed`: the same numbers for the same
/// seed on every platform. Never for real reports: only simulations and tests.
std::unique_ptr<random_source> seeded_random(std::uint64_t seed);

}  // namespace veil::detail
