// Storage sinks of the collector: one small interface, chosen by URL (open_sink).
//   sqlite:///abs/path.db        embedded, WAL, one transaction per batch (sqlite_sink.cpp)
//   clickhouse://host:port/db    HTTP interface, gzip JSONEachRow inserts (clickhouse_sink.cpp)
//   memory:                      in-process, for tests (memory_sink)
// Besides events, a sink keeps each install token's binding to the Ed25519 public key its device
// sent (veil.erasure_key, first seen wins) and, after an erasure, the token's tombstone; both
// expire with retention like rows. Only a proof made with that key erases or reads a token's rows.
// The anonymous-statistics lane (POST /v1/metrics) stores metric points apart from events:
// no install, no binding, its own idempotency keys; quarantined points go to the same
// quarantine as records (type "metric", the reason only).
// Threading: every sink is safe to call from several threads (each serialises internally).
// Failure: calls return veil::result; an error leaves the sink usable and stores nothing of
// the failed batch. Values of quarantined records are never passed to or stored by a sink.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "tools/collector/cleaned_record.hpp"
#include "tools/collector/metric_point.hpp"

namespace veil::collector {

using sys_time = std::chrono::system_clock::time_point;

enum class write_outcome {
  stored,          // the batch (records and quarantine entries) was stored
  duplicate,       // a batch with this idempotency key was stored before; nothing was written
  key_mismatch,    // the install is bound to another erasure key; nothing was written
  install_erased,  // the install was erased (it has a tombstone); nothing was written
};

/// Who sent a batch: its install token (resource attribute veil.install, may be empty) and the
/// device's erasure key for it (veil.erasure_key, 64 lowercase hex, may be empty = no binding).
struct batch_origin {
  std::string_view install;
  std::string_view erasure_key;
};

/// An install token's binding to its device's Ed25519 public key.
struct install_binding {
  std::string public_key;             // 64 lowercase hex (crypto_sign public key)
  sys_time first_seen;                // the batch that bound it
  sys_time last_seen;                 // the latest batch of the token (day precision in ClickHouse)
  std::optional<sys_time> erased_at;  // set: erased, a tombstone (later batches get 410)
};

/// What an erasure deleted: event rows by consent category, and their sum.
struct erasure_counts {
  std::map<std::string, std::uint64_t> by_category;
  std::uint64_t total = 0;
};

/// One stored event as its device may read it back (right of access).
struct subject_row {
  std::string batch_key, ts, day, type, category;
  std::string attrs;  // JSON object text
};

/// A grouped aggregate for the report. Field names: "day", "hour" ("2026-11-29T10", from the
/// event's ts), "type", "category" (columns) or
/// "attrs.<name>" (a top-level attribute, [A-Za-z0-9_] only). A missing attribute groups as "".
struct aggregate_query {
  std::string type;                   // event type filter; empty = all types
  std::vector<std::string> group_by;  // fields
  std::vector<std::string> averages;  // numeric attribute names (without "attrs.")
};
struct aggregate_row {
  std::vector<std::string> keys;                // one per group_by field
  std::uint64_t events = 0;                     // rows in the group
  std::uint64_t installs = 0;                   // distinct non-empty install tokens
  std::vector<std::optional<double>> averages;  // one per requested average; nullopt if no values
};

class sink {
 public:
  virtual ~sink() = default;

  /// Stores a batch atomically. `key` is the Idempotency-Key; an empty key disables dedup.
  /// With an origin install: a tombstoned install gets install_erased; an erasure key binds the
  /// install when it has no binding yet (first seen wins) and gets key_mismatch when it is bound
  /// to another key; a stored batch moves the binding's last_seen. Nothing is written unless the
  /// outcome is `stored`.
  virtual veil::result<write_outcome> write_batch(
      std::string_view key, const std::vector<cleaned_record>& records,
      const std::vector<quarantined_record>& quarantined, sys_time received_at,
      const batch_origin& origin) = 0;
  /// The same with the origin taken from the records (their install, no erasure key).
  veil::result<write_outcome> write_batch(std::string_view key,
                                          const std::vector<cleaned_record>& records,
                                          const std::vector<quarantined_record>& quarantined,
                                          sys_time received_at) {
    return write_batch(key, records, quarantined, received_at,
                       {records.empty() ? std::string_view() : records.front().install, {}});
  }
  /// The bindings (live or tombstoned) of those of `installs` that have one.
  virtual veil::result<std::map<std::string, install_binding>> bindings(
      const std::vector<std::string>& installs) = 0;
  /// Stored events per install column value, for those of `installs` that have any.
  virtual veil::result<std::map<std::string, std::uint64_t>> install_row_counts(
      const std::vector<std::string>& installs) = 0;
  /// Deletes every event whose install column equals one of `installs` (never rows of other
  /// installs that mention the token in an attribute) and tombstones their bindings (erased_at
  /// = `at`, kept when already set). After it returns, write_batch refuses those installs.
  virtual veil::result<erasure_counts> erase_installs(const std::vector<std::string>& installs,
                                                      sys_time at) = 0;
  /// The events of one install column value in a stable order, `limit` from `offset`.
  virtual veil::result<std::vector<subject_row>> install_rows(std::string_view install,
                                                              std::uint64_t offset,
                                                              std::size_t limit) = 0;
  /// Deletes events, metric points and quarantine entries whose day is before the day of
  /// `older_than` (whole days: ClickHouse drops partitions), and bindings and tombstones last seen
  /// (or erased) before that day. Returns the number of events deleted.
  virtual veil::result<std::uint64_t> expire(sys_time older_than) = 0;
  /// Grouped counts and averages for the report.
  virtual veil::result<std::vector<aggregate_row>> aggregate(const aggregate_query& q) = 0;
  /// Stores one /v1/metrics request atomically: its points and the quarantine entries of its
  /// flagged points (type "metric"). `key` is the request's Idempotency-Key, kept apart from
  /// /v1/logs batch keys; empty disables dedup. Returns stored or duplicate (nothing written).
  /// Points are stored under the day they were received (retention removes them by it).
  virtual veil::result<write_outcome> write_metrics(
      std::string_view key, const std::vector<metric_point>& points,
      const std::vector<quarantined_record>& quarantined, sys_time received_at) = 0;
  /// The cells of one metric (metric_point.hpp: metric_query, metric_cell), sorted by keys,
  /// window, kind and unit. Errors: invalid_argument for a bad group_by name.
  virtual veil::result<std::vector<metric_cell>> aggregate_metrics(const metric_query& q) = 0;
  /// The distinct stored metric names, sorted (the report's sections).
  virtual veil::result<std::vector<std::string>> metric_names() = 0;
  /// The distinct point attribute keys of one metric that valid_metric_attribute() accepts,
  /// sorted (the report groups by them). ClickHouse reads the keys of at most 10 000 distinct
  /// attribute sets (18.16 cannot list JSON keys in SQL).
  virtual veil::result<std::vector<std::string>> metric_attribute_keys(std::string_view name) = 0;
  /// Stored metric points (tests, metrics).
  virtual veil::result<std::uint64_t> count_metric_points() = 0;
  /// Total stored events and quarantine entries (tests, metrics).
  virtual veil::result<std::uint64_t> count_events() = 0;
  virtual veil::result<std::uint64_t> count_quarantined() = 0;
};

/// Opens the sink a URL names, creating its schema if needed.
veil::result<std::unique_ptr<sink>> open_sink(std::string_view url);

/// Validates a field name of aggregate_query; true for "day", "hour", "type", "category",
/// "attrs.<ident>".
bool valid_field(std::string_view f) noexcept;
/// The day a row is stored under: "2026-11-29" from its RFC 3339 ts, never later than the day
/// it was received (`received`, also used when ts is malformed). Retention removes rows by this
/// day, so a row claiming a future time still expires one retention after it arrived.
std::string day_of(std::string_view ts, sys_time received);
/// "2026-11-29" of a time point (UTC).
std::string day_string(sys_time t);

/// In-memory sink (tests, --dry-run). Keeps everything in vectors under one mutex.
class memory_sink final : public sink {
 public:
  struct stored_event {
    std::string batch_key;
    sys_time received_at;
    std::string day;
    cleaned_record rec;
  };
  struct stored_quarantine {
    std::string batch_key;
    sys_time received_at;
    std::string day;
    quarantined_record q;
  };

  using sink::write_batch;
  veil::result<write_outcome> write_batch(std::string_view key,
                                          const std::vector<cleaned_record>& records,
                                          const std::vector<quarantined_record>& quarantined,
                                          sys_time received_at,
                                          const batch_origin& origin) override;
  veil::result<std::map<std::string, install_binding>> bindings(
      const std::vector<std::string>& installs) override;
  veil::result<std::map<std::string, std::uint64_t>> install_row_counts(
      const std::vector<std::string>& installs) override;
  veil::result<erasure_counts> erase_installs(const std::vector<std::string>& installs,
                                              sys_time at) override;
  veil::result<std::vector<subject_row>> install_rows(std::string_view install,
                                                      std::uint64_t offset,
                                                      std::size_t limit) override;
  veil::result<std::uint64_t> expire(sys_time older_than) override;
  veil::result<std::vector<aggregate_row>> aggregate(const aggregate_query& q) override;
  veil::result<std::uint64_t> count_events() override;
  veil::result<std::uint64_t> count_quarantined() override;

  struct stored_metric {
    std::string batch_key;
    sys_time received_at;
    std::string day;
    metric_point point;
  };
  veil::result<write_outcome> write_metrics(std::string_view key,
                                            const std::vector<metric_point>& points,
                                            const std::vector<quarantined_record>& quarantined,
                                            sys_time received_at) override;
  veil::result<std::vector<metric_cell>> aggregate_metrics(const metric_query& q) override;
  veil::result<std::vector<std::string>> metric_names() override;
  veil::result<std::vector<std::string>> metric_attribute_keys(std::string_view name) override;
  veil::result<std::uint64_t> count_metric_points() override;

  std::vector<stored_event> events() const;
  std::vector<stored_quarantine> quarantine() const;
  std::vector<stored_metric> metrics() const;

 private:
  mutable std::mutex mu_;
  std::vector<std::string> keys_;
  std::vector<stored_event> events_;
  std::vector<stored_quarantine> quarantine_;
  std::map<std::string, install_binding, std::less<>> bindings_;
  std::vector<std::pair<std::string, std::string>> metric_keys_;  // key, received day
  std::vector<stored_metric> metrics_;
};

// Factories of the URL schemes (defined in their own files).
veil::result<std::unique_ptr<sink>> open_sqlite_sink(const std::string& path);
veil::result<std::unique_ptr<sink>> open_clickhouse_sink(const std::string& host,
                                                         std::uint16_t port,
                                                         const std::string& database);

}  // namespace veil::collector
