// The default-deny classifier's word table (docs/scanner.md, "Where the words come from"):
// 32-bit fingerprints of the folded words of eight languages' Debian word lists and of
// keywords.txt, generated at build time by tools/wordlist/gen_wordlist.py. A lookup is one
// FNV-1a hash and a binary search in a bucket of ~40 16-bit entries (contains); a false "known"
// answer has a probability of about 2.5M / 2^32 (0.06 %) per unknown token. Immutable; thread-safe.
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
extern const std::size_t proper_size;
extern const unsigned char proper_bytes[];
extern const std::size_t keywords_size;
extern const unsigned char keywords_bytes[];
}  // namespace veil::detail::word_table_data

namespace veil::detail::words {

constexpr std::uint64_t fnv_basis = 0xCBF29CE484222325ull;
constexpr std::uint64_t fnv_step(std::uint64_t h, unsigned char b) noexcept {
  return (h ^ b) * 0x100000001B3ull;
}
constexpr std::uint32_t fingerprint(std::uint64_t h) noexcept {
  return static_cast<std::uint32_t>(h ^ (h >> 32));
}

/// Whether `fp` is in the table laid out as a little-endian uint32 `bits` (12 or 16), then
/// 2^bits + 1 uint32 bucket offsets (bucket: the high `bits` bits of `fp`), then the sorted
/// low 16 bits of each bucket's fingerprints (tools/wordlist/gen_wordlist.py, table_blob).
inline bool contains(const unsigned char* table, std::uint32_t fp) noexcept {
  std::uint32_t bits;
  std::memcpy(&bits, table, 4);
  table += 4;
  const std::uint32_t b = fp >> (32 - bits);
  std::uint32_t lo, hi;
  std::memcpy(&lo, table + 4 * b, 4);
  std::memcpy(&hi, table + 4 * (b + 1), 4);
  const unsigned char* v = table + 4 * ((1u << bits) + 1);
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
/// Proper nouns of the word lists (Marie, Claire, Aachen): entries found only capitalised.
inline bool proper_noun(std::uint32_t fp) noexcept {
  return contains(word_table_data::proper_bytes, fp);
}
/// Words of keywords.txt (Android, Bluetooth, Asterisk, Vodafone): products and protocol words,
/// never part of a person's name.
inline bool keyword(std::uint32_t fp) noexcept {
  return contains(word_table_data::keywords_bytes, fp);
}

}  // namespace veil::detail::words
