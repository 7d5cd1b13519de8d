#include "agent/crypto/random.hpp"

#include <sodium.h>

#include <array>
#include <cstring>

#include "agent/crypto/secure_key.hpp"

namespace veil::detail {

result<void> random_bytes(std::span<unsigned char> out) noexcept {
  if (auto r = crypto_init(); !r) return r;
  randombytes_buf(out.data(), out.size());
  return {};
}

result<std::string> random_hex_id() {
  unsigned char b[16];
  if (auto r = random_bytes(b); !r) return std::move(r).err();
  static constexpr char hex[] = "0123456789abcdef";
  std::string s;
  s.reserve(32);
  for (auto c : b) {
    s += hex[c >> 4];
    s += hex[c & 15];
  }
  return s;
}

std::uint64_t random_source::next_u64() noexcept {
  unsigned char b[8];
  fill(b);
  std::uint64_t v = 0;
  for (auto c : b) v = (v << 8) | c;
  return v;
}

std::uint32_t random_source::uniform(std::uint32_t n) noexcept {
  if (n <= 1) return 0;
  // Rejection sampling over 32 bits: the accepted range is a multiple of n.
  const std::uint32_t limit = static_cast<std::uint32_t>(-n) % n;  // 2^32 mod n
  for (;;) {
    const auto r = static_cast<std::uint32_t>(next_u64() >> 32);
    if (r >= limit) return r % n;
  }
}

double random_source::unit() noexcept {
  return static_cast<double>(next_u64() >> 11) * (1.0 / 9007199254740992.0);  // / 2^53
}

namespace {

class os_source final : public random_source {
 public:
  void fill(std::span<unsigned char> out) noexcept override {
    (void)crypto_init();  // idempotent; randombytes_buf works without it on every platform
    randombytes_buf(out.data(), out.size());
  }
};

class seeded_source final : public random_source {
 public:
  explicit seeded_source(std::uint64_t seed) {
    for (int i = 0; i < 8; ++i) seed_[i] = static_cast<unsigned char>(seed >> (8 * i));
  }
  void fill(std::span<unsigned char> out) noexcept override {
    for (auto& c : out) {
      if (pos_ == buf_.size()) refill();
      c = buf_[pos_++];
    }
  }

 private:
  void refill() noexcept {
    // Each block is the stream of (seed, block counter): reproducible, no state but the count.
    std::memcpy(seed_.data() + 8, &block_, sizeof block_);
    ++block_;
    randombytes_buf_deterministic(buf_.data(), buf_.size(), seed_.data());
    pos_ = 0;
  }
  std::array<unsigned char, randombytes_SEEDBYTES> seed_{};
  std::array<unsigned char, 4096> buf_{};
  std::size_t pos_ = 4096;
  std::uint64_t block_ = 0;
};

}  // namespace

random_source& os_random() noexcept {
  static os_source s;
  return s;
}

std::unique_ptr<random_source> seeded_random(std::uint64_t seed) {
  return std::make_unique<seeded_source>(seed);
}

}  // namespace veil::detail
