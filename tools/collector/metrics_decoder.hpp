// The anonymous-statistics lane's decoder (POST /v1/metrics): OTLP/HTTP JSON
// ExportMetricsServiceRequest -> plain metric points (metric_point.hpp). The input is hostile:
// a pre-scan bounds nesting, JSON values, string, key and number lengths and the elements of
// every single array before the parser allocates (its cost is then admitted by the caller's
// memory budget); metrics, points, attributes and buckets are capped while walking; nothing
// throws; errors name the JSON path and what is wrong, never a value.
// Accepted: sum, gauge and histogram (exponentialHistogram and summary are refused with a 400
// naming the path); 64-bit integers as decimal strings or JSON numbers; doubles as numbers or
// numeric strings; attribute values that are strings, booleans or numbers. Checked: bucket
// and bound counts, bounds strictly increasing and finite, buckets adding up to count, counts
// non-negative, values finite, monotonic sums non-negative, delta windows of at least
// min_delta_window. Kept resource attributes: an allowlist (the rest dropped and counted).
// Anonymity: the attribute keys veil.install and veil.erasure_key anywhere, the keys of the
// contract's pseudonym fields on a point, and any kept value of the install token's or the
// erasure key's shape make the request refused (metrics_batch::not_anonymous).
// Stateless after construction; thread-safe (the simdjson parser is per thread).
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "agent/core/memory_admit.hpp"
#include "agent/core/result.hpp"
#include "tools/collector/batch_decoder.hpp"
#include "tools/collector/metric_point.hpp"

namespace veil::collector {

class leak_guard;

struct metrics_limits {
  std::size_t max_bytes = 32u << 20;  // decompressed request (the collector's --max-decompressed)
  // Pre-scan, before the parser allocates anything (413):
  std::size_t max_depth = 16;          // brackets; the deepest OTLP metrics path needs 13
  std::size_t max_values = 1'000'000;  // JSON values in the request
  std::size_t max_string = 4096;       // bytes of one string value (descriptions included)
  std::size_t max_key = 128;           // bytes of one object key
  std::size_t max_number = 64;         // characters of one number literal
  std::size_t max_array = 8192;        // elements of any one array (a 10^6 bucketCounts is refused
                                       // here); at least every cap below
  // While walking (413, with the path):
  std::size_t max_metrics = 1000;             // metrics in the request
  std::size_t max_points_per_metric = 8192;   // the agent sends up to max_cells (4096) + 1
  std::size_t max_points = 50'000;            // data points in the request
  std::size_t max_attributes = 32;            // per data point
  std::size_t max_resource_attributes = 128;  // per resource (before the allowlist)
  std::size_t max_buckets = 256;              // bucketCounts entries per point
  // Shapes (400, with the path):
  std::size_t max_name = 255;                 // metric name bytes (the OTel instrument name limit)
  std::size_t max_unit = 63;                  // unit bytes (printable ASCII)
  std::size_t max_attribute_key = 128;        // attribute key bytes
  std::size_t max_attribute_value = 256;      // string attribute value bytes
  std::chrono::seconds min_delta_window{60};  // delta sums and histograms: end - start
  veil::result<void> validate() const;
};

/// Resource attributes kept with each point: service.name, service.version, os.name,
/// os.version, os.type and telemetry.sdk.*; true when `key` is one of them.
bool metric_resource_allowed(std::string_view key) noexcept;

struct metrics_batch {
  std::vector<metric_point> points;               // in request order
  std::uint64_t resource_attributes_dropped = 0;  // not in the allowlist, summed over resources
  std::uint64_t points_without_value = 0;  // flags NO_RECORDED_VALUE: skipped (OTLP semantics)
  // Non-empty: the request carries an identifier ("resourceMetrics[0].resource.attributes[1]:
  // veil.install"), and must be refused (400 "metrics must be anonymous"); points is empty.
  std::string not_anonymous;
};

class metrics_decoder {
 public:
  explicit metrics_decoder(metrics_limits limits = {}) : limits_(limits) {}
  /// Decodes one request text. Errors: parse_error (400: malformed, invalid or unsupported,
  /// with the path), limit_exceeded (413), unavailable (503, the budget is busy).
  veil::result<metrics_batch> decode(
      std::string_view json, const veil::detail::memory_admit* admit = nullptr) const noexcept;
  const metrics_limits& limits() const noexcept { return limits_; }

 private:
  metrics_limits limits_;
};

/// Content-Encoding and decode in one call, as the request handler uses it; the admit hook is
/// asked for cumulative totals (the decompressed text, then the parse and the points).
using metrics_request_decoder = std::function<veil::result<metrics_batch>(
    std::string_view body, std::string_view content_encoding,
    const veil::detail::memory_admit* admit)>;

/// limits.max_bytes is also the decompressed-size cap.
veil::result<metrics_request_decoder> make_metrics_decoder(metrics_limits limits = {},
                                                           std::string_view zstd_dictionary = {});

/// The leak guard over a point's name and attributes only, and over one resource (the handler
/// checks each shared resource once, not once per point).
std::optional<std::string> check_metric_attributes(const leak_guard& g, const metric_point& p);
std::optional<std::string> check_metric_resource(const leak_guard& g,
                                                 std::string_view resource_json);

/// The independent leak guard over one point: its name, every attribute key and value and its
/// kept resource attributes (numbers by their decimal text, so a phone number sent as an
/// intValue is caught). "leak:<class>" or nullopt; never the value.
std::optional<std::string> check_metric_point(const leak_guard& g, const metric_point& p);

}  // namespace veil::collector
