// Byte-level codec of spool segments and the spool journal (layout in spool.hpp). Pure
// functions: no I/O, no crypto (the sealed bytes are opaque here), no clock. Thread-safe.
// scan() never fails: it reports what is valid, what is damaged and what is a torn tail.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace veil::detail::segment_format {

inline constexpr char segment_magic[4] = {'V', 'S', 'E', 'G'};
inline constexpr char journal_magic[4] = {'V', 'J', 'R', 'N'};
inline constexpr std::uint8_t version = 1;
inline constexpr std::size_t header_size = 16;
inline constexpr std::uint32_t frame_magic = 0x56524543;
inline constexpr std::size_t frame_header_size = 16;
inline constexpr std::size_t max_body = 64u << 20;
inline constexpr std::size_t journal_entry_size = 16;

enum class journal_kind : std::uint8_t { gone = 1, retry = 2 };

std::uint32_t crc32(std::string_view bytes) noexcept;

/// "VSEG" | version | 0 0 0 | u64 seg id  (also "VJRN" | ... | u64 base seq for the journal).
std::string encode_header(const char (&magic)[4], std::uint64_t id);
/// One frame: header (magic, len, crcs) + body (u64 seq | sealed).
std::string encode_frame(std::uint64_t seq, std::string_view sealed);
/// Associated data binding a record to its place: "VEILREC1" | seg id | seq.
std::string record_ad(std::uint64_t seg_id, std::uint64_t seq);
/// plain = i64 created ms | u16 category len | category | payload.
std::string encode_plain(std::chrono::system_clock::time_point created, std::string_view category,
                         std::string_view payload);
struct plain_view {
  std::chrono::system_clock::time_point created;
  std::string_view category;
  std::string_view payload;
};
std::optional<plain_view> decode_plain(std::string_view plain) noexcept;

struct frame {
  std::uint64_t seq = 0;
  std::size_t offset = 0;  ///< of the frame header in the image
  std::size_t size = 0;    ///< header + body
  std::string_view sealed;
};

struct scan_result {
  enum class header { ok, short_file, bad_magic, unknown_version } head = header::ok;
  std::uint64_t id = 0;
  std::vector<frame> frames;        ///< valid frames, in file order, strictly increasing seq
  std::size_t corrupt = 0;          ///< damaged frames or regions skipped
  std::size_t torn_tail_bytes = 0;  ///< incomplete bytes at the end
};
/// Scans a whole segment image.
scan_result scan_segment(std::string_view image);

struct journal_entry {
  std::uint64_t seq = 0;
  journal_kind kind = journal_kind::gone;
  std::uint8_t retries = 0;
};
std::string encode_journal_entry(const journal_entry& e);
struct journal_scan {
  bool header_ok = false;
  std::uint64_t base_seq = 0;
  std::vector<journal_entry> entries;  ///< up to the first bad or incomplete entry
  bool damaged = false;                ///< a bad entry was found before the end
};
journal_scan scan_journal(std::string_view image);

}  // namespace veil::detail::segment_format
