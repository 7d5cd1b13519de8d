// Storage sinks of the collector: one small interface, chosen by URL (open_sink).
//   sqlite:///abs/path.db        embedded, WAL, one transaction per batch (sqlite_sink.cpp)
//   clickhouse://host:port/db    HTTP interface, gzip JSONEachRow inserts (clickhouse_sink.cpp)
//   memory:                      in-process, for tests (memory_sink)
// Threading: every sink is safe to call from several threads (each serialises internally).
// Failure: calls return veil::result; an error leaves the sink usable and stores nothing of
// the failed batch. Values of quarantined records are never passed to or stored by a sink.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "tools/collector/cleaned_record.hpp"

namespace veil::collector {

using sys_time = std::chrono::system_clock::time_point;

enum class write_outcome {
  stored,     // the batch (records and quarantine entries) was stored
  duplicate,  // a batch with this idempotency key was stored before; nothing was written
};

/// A grouped aggregate for the report. Field names: "day", "type", "category" (columns) or
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
  virtual veil::result<write_outcome> write_batch(
      std::string_view key, const std::vector<cleaned_record>& records,
      const std::vector<quarantined_record>& quarantined, sys_time received_at) = 0;
  /// Deletes every event whose install token, or whose pseudonym attribute (pseudonym_fields()),
  /// equals one of `tokens`. Returns the number of events deleted.
  virtual veil::result<std::uint64_t> erase(const std::vector<std::string>& tokens) = 0;
  /// Deletes events and quarantine entries whose day is before the day of `older_than`
  /// (whole days: ClickHouse drops partitions). Returns the number of events deleted.
  virtual veil::result<std::uint64_t> expire(sys_time older_than) = 0;
  /// Grouped counts and averages for the report.
  virtual veil::result<std::vector<aggregate_row>> aggregate(const aggregate_query& q) = 0;
  /// Total stored events and quarantine entries (tests, metrics).
  virtual veil::result<std::uint64_t> count_events() = 0;
  virtual veil::result<std::uint64_t> count_quarantined() = 0;
};

/// Opens the sink a URL names, creating its schema if needed.
veil::result<std::unique_ptr<sink>> open_sink(std::string_view url);

/// Validates a field name of aggregate_query; true for "day", "type", "category", "attrs.<ident>".
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

  veil::result<write_outcome> write_batch(std::string_view key,
                                          const std::vector<cleaned_record>& records,
                                          const std::vector<quarantined_record>& quarantined,
                                          sys_time received_at) override;
  veil::result<std::uint64_t> erase(const std::vector<std::string>& tokens) override;
  veil::result<std::uint64_t> expire(sys_time older_than) override;
  veil::result<std::vector<aggregate_row>> aggregate(const aggregate_query& q) override;
  veil::result<std::uint64_t> count_events() override;
  veil::result<std::uint64_t> count_quarantined() override;

  std::vector<stored_event> events() const;
  std::vector<stored_quarantine> quarantine() const;

 private:
  mutable std::mutex mu_;
  std::vector<std::string> keys_;
  std::vector<stored_event> events_;
  std::vector<stored_quarantine> quarantine_;
};

// Factories of the URL schemes (defined in their own files).
veil::result<std::unique_ptr<sink>> open_sqlite_sink(const std::string& path);
veil::result<std::unique_ptr<sink>> open_clickhouse_sink(const std::string& host,
                                                         std::uint16_t port,
                                                         const std::string& database);

}  // namespace veil::collector
