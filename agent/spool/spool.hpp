// The spool: durable, encrypted, leased storage of CLEANED records (opaque bytes plus a consent
// category and a created time; the spool never parses them). Uploads lease records
// (reserve -> ack | release), revoking consent purges a category, erasure purges everything.
// Threading: every member is thread-safe (one mutex per spool); append()/append_batch() are
// called from the worker thread, reserve/ack/release from the uploader. Nothing throws; failures
// are results.
// Durability (group commit): append() makes its record durable before returning; append_batch()
// writes a group of records and makes them durable with ONE sync (one fdatasync for file_spool)
// before any of them is visible to reserve()/is_live() or counted as appended. A crash before
// that sync may lose the group's records (any suffix of them, or all), never an earlier group's:
// what a power loss can lose is at most the group being committed.
// Every record that leaves other than by ack is counted by reason in spool_counters.
//
// On-disk layout of file_spool (directory mode 0700, every file mode 0600):
//   <dir>/lock                   flock()ed while open; a second opener gets errc::unavailable.
//   <dir>/spool.key              "VEILSPK1" | 32-byte XChaCha20-Poly1305 key (record_cipher).
//   <dir>/<016x seg id>.seg      append-only segment; seg id = seq of its first record.
//   <dir>/journal                acks, drops and retry counts of records still in segments.
// All integers are little-endian.
// Segment: header (16 B) = "VSEG" | u8 version (1) | 3 zero bytes | u64 seg id,
//   then frames, each written with one write(). With sync_each_append (default) the segment is
//   fdatasync()ed once per append() and once per append_batch() group, before the records count
//   as stored; without it, never (the page cache decides).
//     u32 frame magic 0x56524543 | u32 body_len | u32 crc32(body) | u32 crc32(previous 12 bytes)
//     body = u64 seq | nonce(24) | AEAD ciphertext+tag(16) of
//            plain = i64 created (unix ms) | u16 category_len | category | payload
//     AEAD associated data = "VEILREC1" | u64 seg id | u64 seq.
//   Opening scans every segment: an incomplete last frame (a crash during append) is cut off and
//   counted in torn_tail; a frame with a bad crc, bad AEAD tag or out-of-order seq is dropped and
//   counted in corrupt (resync on the next frame magic with a valid header crc); a segment with a
//   bad magic is deleted (corrupt +1). A segment with damage is rewritten (tmp + fsync + rename)
//   holding only its live frames. A segment whose records are all gone is unlinked.
// Journal: header (16 B) = "VJRN" | u8 version (1) | 3 zero bytes | u64 base seq (next seq to
//   assign when it was written), then 16-byte entries:
//     u64 seq | u8 kind (1 = gone: acked or dropped, 2 = retry count) | u8 retries | 2 zero bytes
//     | u32 crc32(previous 12 bytes)
//   A bad or incomplete entry ends the journal. It is rewritten (compacted) at open and when it
//   grows past 256 KiB. Acks are durable on return (journal fdatasync or segment unlink).
// Seqs never repeat: the next seq is max(journal base seq, highest seq seen) + 1.
// purge_category/purge_all write the journal first, then rewrite or wipe the segments, so the
// purged ciphertext leaves the disk, not just the index.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "agent/core/result.hpp"

namespace veil::detail {

using sys_time = std::chrono::system_clock::time_point;
using clock_fn = std::function<sys_time()>;

/// Limits and knobs shared by every spool. validate() before use (the factories do).
struct spool_options {
  std::uint64_t max_bytes = 20ull << 20;  ///< disk cap; the oldest records go first (spool_full)
  std::chrono::seconds max_age{7 * 24 * 3600};  ///< older records are dropped (too_old)
  std::uint32_t max_retries = 10;              ///< a record is dropped after this many failed sends
  std::size_t max_record_bytes = 1u << 20;     ///< larger appends fail with limit_exceeded
  std::uint64_t max_segment_bytes = 1u << 20;  ///< file_spool rolls to a new segment past this
  bool sync_each_append = true;                ///< fdatasync each append / group (power-loss safe)
  clock_fn clock;                              ///< defaults to system_clock::now

  result<void> validate() const;
};

/// One record given to append_batch(). Both views are borrowed for the call.
struct spool_item {
  std::string_view category;
  std::string_view payload;
};

/// What reserve() hands out. `payload` is the exact byte string given to append().
struct spool_record {
  std::uint64_t seq = 0;
  std::string category;
  sys_time created{};
  std::uint32_t retries = 0;
  std::string payload;
};

/// A lease: the records are invisible to other reserve() calls until ack, release or `expires`.
/// id 0 means "nothing to send" (records is empty).
struct spool_lease {
  std::uint64_t id = 0;
  sys_time expires{};
  std::vector<spool_record> records;
};

/// Monotonic counters for this process's spool (every drop counted by reason), plus two gauges.
struct spool_counters {
  std::uint64_t appended = 0;
  std::uint64_t acked = 0;
  // Drops, by reason.
  std::uint64_t spool_full = 0;       ///< evicted (oldest first) to stay under max_bytes
  std::uint64_t too_old = 0;          ///< older than max_age
  std::uint64_t retry_exhausted = 0;  ///< released with bump_retry max_retries times
  std::uint64_t not_consented = 0;    ///< removed by purge_category (consent revoked)
  std::uint64_t corrupt = 0;          ///< failed crc/AEAD checks at open or read
  std::uint64_t erased = 0;           ///< removed by purge_all (erasure request)
  // Not a drop: an incomplete last frame from a crash inside append() or append_batch(), which
  // never returned (so none of that group had been counted as stored).
  std::uint64_t torn_tail = 0;
  // Gauges.
  std::uint64_t live_records = 0;
  std::uint64_t disk_bytes = 0;
};

class spool {
 public:
  virtual ~spool() = default;

  /// Stores a record stamped with the spool clock. Returns its seq. May first evict the oldest
  /// records (spool_full) and expired ones (too_old). errc::limit_exceeded if the record alone is
  /// larger than max_record_bytes or max_bytes; errc::invalid_argument for an empty category or
  /// one over 255 bytes; errc::io_error if the disk write fails (nothing is stored then).
  virtual result<std::uint64_t> append(std::string_view category, std::string_view payload) = 0;

  /// Group commit: stores every item as append() would (same checks, evictions and errors, in
  /// order), then makes the group durable with one sync. Only after that sync do the records
  /// count as appended and become visible to reserve(), is_live() and the live_records gauge.
  /// `out` is resized to items.size(); out[i] is item i's seq or its error. If the final sync
  /// fails, every record written in the group is forgotten again and gets errc::io_error.
  /// The spool's lock is held for the whole group (bound its size: one write per item).
  virtual void append_batch(std::span<const spool_item> items,
                            std::vector<result<std::uint64_t>>& out) = 0;

  /// Leases the oldest unleased records: at most `max_records`, and at most `max_bytes` of
  /// payload (but always at least one record if any is available). Expired leases return first.
  virtual result<spool_lease> reserve(std::size_t max_records, std::size_t max_bytes,
                                      std::chrono::milliseconds lease_duration) = 0;

  /// The records of the lease were delivered: remove them durably. Records of the lease that
  /// were purged or evicted meanwhile are ignored (not counted as acked). Returns how many were
  /// acked. errc::not_found if the lease is unknown or has expired (its records may be resent).
  virtual result<std::size_t> ack(std::uint64_t lease_id) = 0;

  /// Delivery failed: the lease's records become available again. With bump_retry each one's
  /// retry count grows and at max_retries it is dropped (retry_exhausted). Returns how many
  /// records came back. errc::not_found for an unknown or expired lease.
  virtual result<std::size_t> release(std::uint64_t lease_id, bool bump_retry) = 0;

  /// False once the lease is unknown, expired, acked/released, or lost any record to a purge or
  /// eviction. The uploader checks it right before sending (consent is checked when storing and
  /// again before sending).
  virtual bool lease_valid(std::uint64_t lease_id) const = 0;

  /// True while the record is stored (leased or not).
  virtual bool is_live(std::uint64_t seq) const = 0;

  /// Copies of the oldest stored records, leased or not, without leasing them (what the next
  /// uploads would send: preview, export). At most `max_records` and, past the first record,
  /// `max_bytes` of payload. Records that no longer authenticate are skipped (dropped as
  /// corrupt by the next reserve()).
  virtual result<std::vector<spool_record>> peek(std::size_t max_records,
                                                 std::size_t max_bytes) = 0;

  /// Removes every record of `category` now, leased ones included (counted not_consented), and
  /// their ciphertext from disk. Returns how many records were removed.
  virtual result<std::size_t> purge_category(std::string_view category) = 0;

  /// Removes every record (counted erased) and wipes the segment files. Returns how many.
  virtual result<std::size_t> purge_all() = 0;

  virtual spool_counters counters() const = 0;
};

}  // namespace veil::detail
