// The anonymous-statistics lane's values (POST /v1/metrics, docs/collector.md): one stored
// OTLP data point as the decoder hands it to the sinks, the report's query over them and its
// answer. Plain values, no behaviour beyond merging grouped rows into cells
// (merge_metric_groups, shared by every sink so that they all merge the same way). A point
// carries no install token and no erasure key: the decoder refuses requests that do.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace veil::collector {

enum class metric_kind : std::uint8_t { sum, gauge, histogram };

/// "sum", "gauge", "histogram" (the stored `kind` column).
std::string_view metric_kind_name(metric_kind k) noexcept;

/// One data point of a sum, gauge or histogram metric.
struct metric_point {
  std::string name;  // OTel instrument name grammar: [A-Za-z][A-Za-z0-9_./-]{0,254}
  std::string unit;  // printable ASCII, at most 63 bytes ("" when absent)
  metric_kind kind = metric_kind::sum;
  std::uint8_t temporality = 0;  // 0 (gauge), 1 delta, 2 cumulative (OTLP enum values)
  bool monotonic = false;        // sum: isMonotonic
  // The window as unix seconds, coarsened to whole minutes (start floored, end ceiled).
  std::int64_t window_start_s = 0, window_end_s = 0;
  std::string attrs = "{}";  // point attributes, canonical JSON object (keys sorted)
  // Allowlisted resource attributes, canonical JSON object, shared by the points of one
  // resourceMetrics (never copied per point: a request's memory stays proportional to it).
  std::shared_ptr<const std::string> resource;  // null = "{}"
  std::uint64_t count = 0;                      // histogram: observations; sum and gauge: 0
  // Histogram: sum, min and max when sent. Sum and gauge: the point's value in all three.
  std::optional<double> sum, min, max;
  std::vector<double> bounds;                // histogram explicitBounds, strictly increasing
  std::vector<std::uint64_t> bucket_counts;  // bounds.size() + 1 entries, or none

  const std::string& resource_json() const noexcept {
    static const std::string empty = "{}";
    return resource ? *resource : empty;
  }
};

/// aggregate_metrics(): the points of one metric name, grouped by point attributes and
/// optionally by the window start (floored to the hour or the day).
struct metric_query {
  enum class granularity { all, hour, day };
  std::string name;
  std::vector<std::string> group_by;  // attribute names, [A-Za-z0-9_.-] only, at most 64 bytes
  granularity window = granularity::all;
};

/// One cell of the answer. `reports` is the number of stored points behind it: each is one
/// device's report of one window (points carry no install, so this is what k applies to).
/// Histogram buckets merge only between points with identical bounds: the cell keeps the
/// bounds most of its histogram points share (ties: the bounds that sort first) and the
/// points with other bounds add to reports, count, sum, min and max but not to the buckets;
/// they are counted in `unmerged_reports`.
struct metric_cell {
  std::vector<std::string> keys;  // one per group_by name; "" when a point lacks it
  std::string window;             // "" (all), "2026-12-07T10:00:00Z" (hour), "2026-12-07" (day)
  std::string kind, unit;
  std::uint64_t reports = 0;
  std::uint64_t count = 0;  // sum of histogram counts
  std::optional<double> sum, min, max;
  std::vector<double> bounds;
  std::vector<std::uint64_t> bucket_counts;
  std::uint64_t unmerged_reports = 0;
  std::int64_t window_s = 0;  // the longest window (end - start, seconds) behind the cell
};

/// A sink's grouped rows before merging: the same keys, window, kind and unit, one bounds.
struct metric_group {
  std::vector<std::string> keys;
  std::string window, kind, unit;
  std::vector<double> bounds;
  std::uint64_t reports = 0, count = 0;
  std::optional<double> sum, min, max;
  std::vector<std::uint64_t> bucket_counts;  // summed element-wise over the group's points
  std::int64_t window_s = 0;                 // the longest window behind the group
};

/// Merges groups of equal (keys, window, kind, unit) into cells as metric_cell describes,
/// sorted by keys, window, kind, unit.
std::vector<metric_cell> merge_metric_groups(std::vector<metric_group> groups);

/// Groups points for aggregate_metrics() in memory (the memory and SQLite sinks stream their
/// rows through it; ClickHouse groups in SQL): memory grows with the groups, not the points.
class metric_grouper {
 public:
  explicit metric_grouper(const metric_query& q) : q_(q) {}
  /// Adds a point of q.name (the caller filters by name).
  void add(const metric_point& p);
  std::vector<metric_cell> cells() &&;

 private:
  const metric_query& q_;
  std::map<std::string, metric_group> groups_;  // by a serialised (keys, window, kind, unit,
                                                // bounds)
};

/// Adds the keys of a canonical attrs JSON object that valid_metric_attribute() accepts.
void add_metric_attribute_keys(std::string_view attrs_json, std::vector<std::string>& keys);

/// True for a metric_query group_by name: 1..64 bytes of [A-Za-z0-9_.-].
bool valid_metric_attribute(std::string_view name) noexcept;

/// "2026-12-07T10:00:00Z" (hour) or "2026-12-07" (day) of a window start; "" for all.
std::string metric_window_label(std::int64_t window_start_s, metric_query::granularity g);

}  // namespace veil::collector
