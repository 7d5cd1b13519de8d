// The agent's aggregate lane (issue 15): cleaned events of the types a policy puts in
// `"mode": "aggregate"` are folded into their window (window_state) instead of the spool, and a
// window whose end has passed is sealed: rendered once as an OTLP metrics body (no install
// token, no time finer than the window) and queued for POST /v1/metrics under a batch id that
// stays the same across retries and restarts, so the collector drops a duplicate.
//
// Durability: the open windows and the sealed queue live in one file, encrypted like the spool
// (XChaCha20-Poly1305 under `<state>/aggregates.key`) and replaced atomically (tmp + fsync +
// rename) by commit(). The pipeline commits once per group, before it counts the group's events
// as kept, so a kill -9 loses at most the group in progress (as the spool does) and a restart
// never adds a window twice: the file replaces the memory, it is never merged into it.
//
// Bounds: events older than max_age (by their cleaned ts) are refused as too_old; at most
// max_open windows per type are open (an older one is sealed early to make room) and at most
// max_sealed wait to be sent (the oldest is dropped, counted). Thread-safe: one mutex (the
// worker folds and sends; a consent revoke on another thread purges).
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "agent/aggregate/aggregator.hpp"
#include "agent/core/result.hpp"
#include "agent/crypto/record_cipher.hpp"

namespace veil::detail::aggregate {

/// One aggregated event type: its spec (owned by the compiled policy, which outlives the
/// store) and its consent category.
struct lane {
  const spec* s = nullptr;
  std::string category;
};

struct store_options {
  std::filesystem::path file;      // empty: memory only (in-memory spools, tests)
  std::filesystem::path key_file;  // the state's encryption key (created when missing)
  std::chrono::seconds max_age{std::chrono::hours(24 * 7)};
  std::size_t max_open = 48;     // open windows per lane
  std::size_t max_sealed = 720;  // sealed windows waiting for the collector, all lanes
  /// Resource attributes of every metrics body (service.name, service.version, os.name).
  std::map<std::string, std::string> resource;
  std::string scope_version;
};

/// What add() did with an event.
enum class fold_result {
  added,
  too_old,        // its ts is older than max_age
  invalid_value,  // a dimension value the window refuses (object, array, over 64 bytes)
  not_json,       // the cleaned line does not parse (a bug upstream)
  over_budget,    // LDP: the lane's events of that UTC day have spent the day's ε
};

/// A sealed window, ready to send.
struct outgoing {
  std::string id;        // the batch id (Idempotency-Key), fixed when sealed
  std::string category;  // consent category of its lane
  std::string type;
  std::uint64_t events = 0;
  std::int64_t start_s = 0;
  std::string body;  // OTLP ExportMetricsServiceRequest JSON (uncompressed)
};

struct store_counters {
  std::uint64_t events_folded = 0;
  std::uint64_t windows_sealed = 0;
  std::uint64_t windows_sent = 0;
  std::uint64_t sealed_dropped = 0;  // dropped unsent: max_sealed, or never fits (events below)
  std::uint64_t sealed_dropped_events = 0;
  std::uint64_t bad_measures = 0;  // measure values that were not finite numbers (not counted)
  std::uint64_t overflow_events = 0;
};

class store {
 public:
  /// Opens (or creates) the state. An unreadable state file (tampered, another key, another
  /// format) is discarded and reported in `discarded`; windows whose type left the policy or
  /// whose spec changed are discarded the same way (their events count in discarded_events).
  static result<std::unique_ptr<store>> open(std::vector<lane> lanes, store_options o);

  std::size_t lanes() const noexcept { return lanes_.size(); }
  /// The lane of an event type's spec, or nullopt.
  std::optional<std::size_t> lane_of(const spec* s) const noexcept;

  /// Folds one cleaned line ({"type","ts","category","attrs"}) of lane `l` into the window of
  /// its ts (a ts after `now` counts in now's window). Not durable until commit(). `rnd`
  /// randomises LDP values (null: the OS generator).
  fold_result add(std::size_t l, std::string_view cleaned_line, sys_time now,
                  random_source* rnd = nullptr);
  /// Writes the state if anything changed since the last commit (one fsync).
  result<void> commit();

  /// Seals every window whose end is at or before `now` and commits. Returns how many.
  result<std::size_t> seal_due(sys_time now);
  /// The earliest end of an open window (when seal_due has work), or nullopt.
  std::optional<sys_time> next_seal() const;

  /// The oldest sealed window, or nullopt.
  std::optional<outgoing> next_outgoing() const;
  bool has_outgoing() const;
  bool contains(std::string_view id) const;
  /// Removes a sealed window (acknowledged, or refused for good) and commits.
  result<void> remove(std::string_view id, bool sent);
  /// Removes every window (open and sealed) of a category; commits. Returns the events removed.
  result<std::uint64_t> purge_category(std::string_view category);
  /// Removes everything and the state file.
  result<void> purge_all();

  /// What would leave: every sealed window as it will be sent, then every open window rendered
  /// as it would be sealed now (id empty). For the user's preview and export.
  std::vector<outgoing> preview() const;
  std::uint64_t open_events() const;
  std::size_t sealed_count() const;
  store_counters counters() const;
  /// Set by open(): why the previous state was discarded, and how many events it held.
  const std::string& discarded() const noexcept { return discarded_; }
  std::uint64_t discarded_events() const noexcept { return discarded_events_; }

 private:
  struct open_window {
    std::size_t lane;
    window_state state;
  };
  store(std::vector<lane> lanes, store_options o, std::optional<record_cipher> c);
  result<void> load();
  result<void> write_locked();
  bool seal_locked(std::size_t index);  // false: no id (randomness failed), left open
  void trim_sealed_locked();
  std::vector<lane> lanes_;
  store_options o_;
  std::optional<record_cipher> cipher_;
  mutable std::mutex mu_;
  std::vector<open_window> open_;
  std::vector<outgoing> sealed_;  // oldest first
  // LDP budget: events folded per (lane, UTC day number), kept in the state like the windows
  // so that a restart does not refill it.
  std::map<std::pair<std::size_t, std::int64_t>, std::uint64_t> spent_;
  bool dirty_ = false;
  store_counters c_;
  std::string discarded_;
  std::uint64_t discarded_events_ = 0;
};

}  // namespace veil::detail::aggregate
