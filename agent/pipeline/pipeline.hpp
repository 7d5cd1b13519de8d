// pipeline: the agent's stages without any scheduling: clean a group of queued events and store
// them with one durable spool commit (parse -> policy -> consent gate -> spool.append_batch:
// group commit, one fdatasync per group), and the two halves of an upload round
// (prepare: lease -> consent re-check -> OTLP -> zstd; finish: ack / release / drop / shrink).
// Threading: process_group(), prepare_upload() and finish_upload() run on the worker thread only;
// consent changes and counters() may come from any thread (the consent store and the spool are
// thread-safe, counters are atomics). Raw event bytes never leave process(): only the cleaned
// line is stored; the group's cleaned lines live in reused buffers until its commit. Nothing throws
// out of the noexcept members; failures are counted.
#pragma once

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "agent/aggregate/aggregate_store.hpp"
#include "agent/core/counters.hpp"
#include "agent/core/event_parser.hpp"
#include "agent/crypto/key_ring.hpp"
#include "agent/consent/consent_store.hpp"
#include "agent/pipeline/event_queue.hpp"
#include "agent/policy/engine.hpp"
#include "agent/rights/rights_store.hpp"
#include "agent/spool/spool.hpp"
#include "agent/wire/batch_codec.hpp"
#include "agent/wire/otlp_encoder.hpp"
#include "agent/upload/uploader.hpp"

namespace veil::detail {

/// Monotonic counters of the runtime, readable from any thread.
struct runtime_counters {
  std::array<std::atomic<std::uint64_t>, drop_reason_count> drops{};
  std::atomic<std::uint64_t> events_processed{0};   // taken off the queue
  std::atomic<std::uint64_t> events_stored{0};      // appended to the spool
  std::atomic<std::uint64_t> events_aggregated{0};  // folded into an aggregate window instead
  std::atomic<std::uint64_t> redactions{0};         // tokens replaced inside kept text
  std::atomic<std::uint64_t> batches_sent{0};       // acknowledged by the server
  std::atomic<std::uint64_t> records_sent{0};
  std::atomic<std::uint64_t> bytes_sent{0};  // compressed bodies
  std::atomic<std::uint64_t> upload_attempts{0};
  std::atomic<std::uint64_t> upload_retries{0};  // retry_later answers
  std::atomic<std::uint64_t> batches_rejected{0};
  std::atomic<std::uint64_t> batches_split{0};       // too_large answers
  std::atomic<std::uint64_t> leases_invalidated{0};  // purged while leased: not sent / not resent
  std::atomic<std::uint64_t> rotations{0};
  std::atomic<std::int64_t> last_http_status{0};
  void drop(drop_reason r, std::uint64_t n = 1) noexcept {
    drops[static_cast<std::size_t>(r)].fetch_add(n, std::memory_order_relaxed);
  }
};

struct pipeline_parts {
  std::shared_ptr<const compiled_policy> policy;
  std::unique_ptr<file_key_ring> keys;   // owned key ring (rotates)
  std::unique_ptr<key_ring> fixed_keys;  // or a fixed one (tests)
  std::unique_ptr<consent_store> consent;
  std::unique_ptr<spool> store;
  std::shared_ptr<uploader> up;  // null: store only
  std::optional<batch_codec> codec;
  resource_info resource;
  std::string install_id;  // raw; only its keyed pseudonym leaves
  std::size_t batch_records = 500;
  std::size_t batch_bytes = 512 * 1024;
  std::chrono::milliseconds lease_duration{60'000};
  /// process_group() commits early once the cleaned lines it holds reach this many bytes.
  std::size_t group_bytes = 256 * 1024;
  clock_fn clock;  // system time (key epochs, event ts)
  /// Where the batch in flight is remembered (first/last seq, count, Idempotency-Key), so that
  /// after a crash the same records go out again as the same batch and the collector drops the
  /// duplicate. Empty: not remembered (tests, memory spools).
  std::filesystem::path inflight_file;
  /// Tokens issued, ledger of uploaded batches, erasure lane (null: none of it, tests).
  std::unique_ptr<rights_store> rights;
  /// <state>/install_id: an erasure replaces it with a new random id.
  std::filesystem::path install_id_file;
  /// The aggregate lane (types in "mode": "aggregate"): null makes the pipeline open a memory
  /// store when the policy has such types (tests, in-memory spools).
  std::unique_ptr<aggregate::store> aggregates;
};

/// The resource attributes of a metrics upload: service.name, service.version, os.name (those
/// set). Never an install token: aggregates are anonymous.
std::map<std::string, std::string> metrics_resource(const resource_info& r);
/// The aggregate lanes of a policy, in policy order (for aggregate::store::open).
std::vector<aggregate::lane> aggregate_lanes(const compiled_policy& p);

/// One upload in preparation or in flight.
struct pending_upload {
  std::uint64_t lease_id = 0;
  std::size_t records = 0;
  std::uint64_t first_seq = 0, last_seq = 0;
  std::map<std::string, std::size_t> categories;  // records per consent category (ledger)
  bool erasure = false;                           // an erasure request (rights lane), not a lease
  bool metrics = false;  // a sealed aggregate window (POST /v1/metrics), not a lease
  upload_batch batch;
};

class pipeline {
 public:
  explicit pipeline(pipeline_parts parts);

  /// What process_group() stored (durably) and the cleaned bytes of it.
  struct stored_summary {
    std::size_t records = 0;
    std::size_t bytes = 0;
  };
  /// Group commit: cleans each event (every drop counted by reason), then, holding the consent
  /// gate, checks consent per record and stores the kept lines with one spool append_batch(),
  /// i.e. one fdatasync for the group (an early commit each time the held lines pass
  /// group_bytes). Events count as stored only once that sync has returned.
  stored_summary process_group(std::span<queued_event> events) noexcept;
  sys_time now() const { return parts_.clock(); }
  /// Rotates the pseudonym key when its epoch is over. Returns the time of the next check.
  sys_time rotate_keys() noexcept;

  /// Seals the aggregate windows that have ended (they become uploads). Returns when the next
  /// open window ends (nullopt: none open).
  std::optional<sys_time> seal_windows() noexcept;
  /// Whether something waits to be sent: spooled records or sealed aggregate windows.
  bool has_pending_upload() const noexcept;
  /// Whether an upload prepared earlier may still be sent: its lease (or sealed window) was not
  /// purged meanwhile by a revoke.
  bool still_valid(const pending_upload& p) const noexcept;
  aggregate::store* aggregates() noexcept { return parts_.aggregates.get(); }
  const aggregate::store* aggregates() const noexcept { return parts_.aggregates.get(); }

  /// Sealed aggregate windows go first (one per call), then leases the next batch, re-checks
  /// consent (purging categories that lost it), encodes and compresses. nullopt when there is
  /// nothing to send (or no uploader).
  std::optional<pending_upload> prepare_upload() noexcept;
  /// What the worker must do next after a send.
  enum class next { continue_now, back_off, idle };
  next finish_upload(const pending_upload& p, const upload_response& r) noexcept;
  /// The lease was purged before sending: give the rest back.
  void abandon_upload(const pending_upload& p) noexcept;

  status set_consent(std::string_view category, bool granted,
                     std::string_view via = "cpp") noexcept;
  /// Objection: revoke + no build default grants it again (consent_store::object).
  status object(std::string_view category, std::string_view via = "cpp") noexcept;
  status get_consent(std::string_view category, bool& granted) const noexcept;
  /// Setting the flag erases as erase_all() does (the flag itself is never sent). Worker
  /// thread only (it replaces the key).
  status set_under_16(bool under_16, std::string_view via = "cpp") noexcept;
  consent_store& consent() noexcept { return *parts_.consent; }

  /// Erasure (docs/erasure.md). Worker thread only: signs an erasure request for every install
  /// token of the retention window and the current one and stores it durably, then wipes the
  /// spool, the ledger, the consent history (every category revoked and objected), the
  /// pseudonym key, the erasure secret and the install id (new random ones replace them).
  /// Until the collector acknowledges, nothing is collected (drop reason erasure_pending).
  status erase_all() noexcept;
  bool erasure_pending() const noexcept { return erasing_.load(std::memory_order_acquire); }
  /// The next chunk of the pending erasure request as a batch for the uploader (POST
  /// /v1/erasure), or nullopt. Worker thread only.
  std::optional<pending_upload> prepare_erasure() noexcept;
  next finish_erasure(const pending_upload& p, const upload_response& r) noexcept;
  rights_store* rights() noexcept { return parts_.rights.get(); }
  /// The current epoch's install token and the epoch's start (unix s), for preview/export.
  std::pair<std::string, std::int64_t> current_install() const;

  bool has_uploader() const noexcept { return parts_.up != nullptr; }
  std::uint64_t live_records() const noexcept;
  spool& store() noexcept { return *parts_.store; }
  const spool& store() const noexcept { return *parts_.store; }
  uploader* upload_target() const noexcept { return parts_.up.get(); }
  const runtime_counters& counters() const noexcept { return c_; }
  /// Counts an event dropped before it reached the queue (e.g. larger than the parser takes).
  void count_drop(drop_reason r) noexcept { c_.drop(r); }
  const compiled_policy& policy() const noexcept { return *parts_.policy; }
  std::size_t batch_limit() const noexcept { return batch_limit_; }

 private:
  const key_ring& keys() const noexcept;
  std::string install_pseudonym(sys_time now) const;
  std::int64_t epoch_of(sys_time now) const noexcept;
  pipeline_parts parts_;
  std::atomic<bool> erasing_{false};
  policy_engine engine_;
  event_parser parser_;
  // The group being built: cleaned lines (buffers reused between groups) and their rules.
  stored_summary commit_group() noexcept;
  void fold_one(const event_rule& rule, const std::string& line, sys_time now,
                std::uint64_t& folded);
  const event_rule* clean_one(queued_event& e, std::string& out);
  std::optional<pending_upload> prepare_metrics();
  void note_delivered(const pending_upload& p) noexcept;
  next finish_metrics(const pending_upload& p, const upload_response& r) noexcept;
  std::vector<std::string> lines_;
  std::vector<const event_rule*> rules_;
  std::size_t staged_ = 0, staged_bytes_ = 0;
  std::vector<spool_item> items_;
  std::vector<result<std::uint64_t>> results_;
  runtime_counters c_;
  mutable std::mutex gate_mu_;  // consent check + append vs. revoke + purge
  // A batch retried after retry_later keeps its id (Idempotency-Key) when the same records
  // come back in the next lease, so the collector can deduplicate.
  void load_inflight() noexcept;
  void save_inflight(const pending_upload& p) noexcept;
  std::string retry_id_;
  std::uint64_t retry_first_ = 0, retry_last_ = 0;
  std::size_t retry_count_ = 0;
  std::size_t batch_limit_;  // shrinks on too_large, back to batch_records after a success
};

}  // namespace veil::detail
