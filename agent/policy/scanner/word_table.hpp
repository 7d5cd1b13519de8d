// The default-deny classifier's word table (docs/scanner.md, "Where the words come from"):
// 32-bit fingerprints of the folded words of eight languages' Debian word lists and of
// keywords.txt, generated at build time by tools/wordlist/gen_wordlist.py. A lookup is one
// FNV-1a hash and a binary search in a bucket of ~40 16-bit entries; a false "known" answer has
// a probability of about 2.5M / 2^32 (0.06 %) per unknown token. Immutable; thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>

namespace veil::detail::word_table_data {
extern const std::size_t size;
extern const std::size_t entries;
extern const unsigned char bytes[];
extern const std::size_t names_size;
extern const unsigned char names_bytes[];
}  // namespace veil::detail::word_table_data

namespace veil::detail::words {

constexpr std::uint64_t fnv_basis = 0xCBF29CE484222325ull;
constexpr std::uint64_t fnv_step(std::uint64_t h, unsigned char b) noexcept {
  return (h ^ b) * 0x100000001B3ull;
}
constexpr std::uint32_t fingerprint(std::uint64_t h) noexcept {
  return static_cast<std::uint32_t>(h ^ (h >> 32));
}

/// Whether `fp` is in the table laid out as 65,537 little-endian uint32 bucket offsets
/// followed by the sorted low 16 bits of each bucket's fingerprints.
inline bool contains(const unsigned char* table, std::uint32_t fp) noexcept {
  const std::uint32_t b = fp >> 16;
  std::uint32_t lo, hi;
  std::memcpy(&lo, table + 4 * b, 4);
  std::memcpy(&hi, table + 4 * (b + 1), 4);
  const unsigned char* v = table + 4 * 65537;
  const std::uint16_t key = static_cast<std::uint16_t>(fp & 0xFFFF);
  while (lo < hi) {
    const std::uint32_t mid = (lo + hi) / 2;
    std::uint16_t x;
    std::memcpy(&x, v + 2 * mid, 2);
    if (x < key) lo = mid + 1;
    else hi = mid;
  }
  std::uint32_t end;
  std::memcpy(&end, table + 4 * (b + 1), 4);
  if (lo >= end) return false;  // past the bucket: not in it
  std::uint16_t x;
  std::memcpy(&x, v + 2 * lo, 2);
  return x == key;
}

inline bool known_word(std::uint32_t fp) noexcept { return contains(word_table_data::bytes, fp); }
/// English words that are also names (Bob, Mark, Rose).
inline bool also_a_name(std::uint32_t fp) noexcept {
  return contains(word_table_data::names_bytes, fp);
}

}  // namespace veil::detail::words
