// spool_engine: the spool semantics shared by file_spool and memory_spool (caps, TTL, leases,
// retries, purges, counters), over a spool_storage that only stores bytes. One mutex guards the
// engine and its storage, so storages need no locking of their own. Storage failures are
// returned to the caller unchanged; the in-memory index is only updated after the storage
// call succeeded, except for drops, which are never resurrected in this process.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <string_view>
#include <optional>
#include <unordered_map>
#include <vector>

#include "agent/spool/seq_index.hpp"
#include "agent/spool/spool.hpp"

namespace veil::detail {

/// A record found by a storage when it opens (no payload: it is read on reserve()).
struct stored_record {
  std::uint64_t seq = 0;
  std::string category;
  sys_time created{};
  std::uint32_t retries = 0;
};

/// Where the bytes live. Called with the engine's mutex held.
class spool_storage {
 public:
  virtual ~spool_storage() = default;
  /// Stores one record; not yet durable (see sync()). The engine keeps it invisible until sync().
  virtual result<void> write(std::uint64_t seq, sys_time created, std::string_view category,
                             std::string_view payload) = 0;
  /// Makes every write() since the last sync durable (file: one fdatasync per touched segment).
  virtual result<void> sync() = 0;
  /// The payload of a live record; errc::corrupt if it no longer authenticates.
  virtual result<std::string> read(std::uint64_t seq) = 0;
  /// Durably forgets records (ack or drop). With `shred` their bytes also leave the disk now.
  virtual result<void> remove(std::span<const std::uint64_t> seqs, bool shred) = 0;
  virtual result<void> remove_all() = 0;
  /// Records a record's new retry count (best effort durability).
  virtual result<void> set_retries(std::span<const std::pair<std::uint64_t, std::uint32_t>> r) = 0;
  /// Bytes this storage uses (the quantity max_bytes caps).
  virtual std::uint64_t used_bytes() const = 0;
  /// Bytes append(category, payload) would add (used to make room first).
  virtual std::uint64_t cost(std::string_view category, std::string_view payload) const = 0;
  /// The live seqs that must all be removed to free the oldest unit of storage (a segment for
  /// files, one record in memory). Empty if nothing is stored.
  virtual std::vector<std::uint64_t> oldest_unit() const = 0;
};

class spool_engine : public spool {
 public:
  spool_engine(spool_options opt, std::unique_ptr<spool_storage> storage,
               std::vector<stored_record> existing, std::uint64_t next_seq, spool_counters opened);

  result<std::uint64_t> append(std::string_view category, std::string_view payload) override;
  void append_batch(std::span<const spool_item> items,
                    std::vector<result<std::uint64_t>>& out) override;
  result<spool_lease> reserve(std::size_t max_records, std::size_t max_bytes,
                              std::chrono::milliseconds lease_duration) override;
  result<std::size_t> ack(std::uint64_t lease_id) override;
  result<std::size_t> release(std::uint64_t lease_id, bool bump_retry) override;
  bool lease_valid(std::uint64_t lease_id) const override;
  bool is_live(std::uint64_t seq) const override;
  result<std::vector<spool_record>> peek(std::size_t max_records, std::size_t max_bytes) override;
  result<std::size_t> purge_category(std::string_view category) override;
  result<std::size_t> purge_all() override;
  spool_counters counters() const override;

 private:
  // One per stored record, so kept small (16 bytes; 24 with its seq in live_): the index of a
  // backlog of ~55k records (a full 20 MiB spool) is part of the agent's RSS under load.
  struct entry {
    sys_time created{};
    std::uint32_t lease = 0;     // 0 = not leased; lease ids stay below 2^32 (see next_lease_id)
    std::uint16_t category = 0;  // index into categories_ (at most max_categories)
    std::uint8_t retries = 0;    // max_retries <= 255
  };
  static_assert(sizeof(entry) == 16, "spool_engine::entry grew: it is held once per stored record");
  static constexpr std::size_t max_categories = 0xffff;
  struct lease_info {
    sys_time expires{};
    std::vector<std::uint64_t> seqs;
    bool invalidated = false;
  };
  enum class why { spool_full, too_old, retry_exhausted, not_consented, corrupt, erased };

  sys_time now() const { return opt_.clock(); }
  // Drops from the index and counts; the caller passes the same seqs to storage_->remove().
  void forget(std::uint64_t seq, why reason);
  result<void> drop(std::vector<std::uint64_t> seqs, why reason, bool shred);
  result<void> expire_old(sys_time now);
  // Group commit, with mu_ held: stage() writes one record into storage_ and pending_ (not yet
  // visible); commit() syncs and moves pending_ into live_, or forgets pending_ on failure.
  result<std::uint64_t> stage(std::string_view category, std::string_view payload, sys_time t);
  result<void> commit();
  // Categories come from the policy (a handful), so a linear search is enough.
  // nullopt once max_categories distinct names are in use.
  std::optional<std::uint16_t> intern(std::string_view category);
  // The next lease id: 32-bit, never 0, never one still in leases_ (after a wrap).
  std::uint32_t next_lease_id();
  std::vector<std::string> categories_;
  void expire_leases(sys_time now);

  spool_options opt_;
  std::unique_ptr<spool_storage> storage_;
  mutable std::mutex mu_;
  seq_index<entry> live_;  // by seq == append order; 32 bytes per record
  struct pending_entry {
    std::uint64_t seq = 0;
    entry e;
    bool gone = false;  // evicted by a later record of the same group (counted by forget)
  };
  std::vector<pending_entry> pending_;  // written, not yet synced; reused between groups
  std::unordered_map<std::uint64_t, lease_info> leases_;
  std::uint64_t next_seq_;
  std::uint32_t next_lease_ = 1;
  spool_counters c_;
};

}  // namespace veil::detail
