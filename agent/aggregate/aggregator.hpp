// On-device aggregation (issue 15, part 1): cleaned events of a type in aggregate mode are
// folded into one window's counts and histograms per combination of dimension values, and the
// window leaves the device as OTLP/HTTP JSON metrics (Sum and Histogram points, delta
// temporality) with no install identifier and no time finer than the window. The state is
// plain data: it serialises to JSON so the spool can keep it across restarts, and two states
// of the same window merge (a restart that re-reads the spool counts nothing twice because
// the stored state replaces, never adds to, the one in memory). Not thread-safe: one owner
// (the worker). Never throws on input: events whose fields do not fit are counted and skipped.
#pragma once

#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "agent/aggregate/ldp.hpp"
#include "agent/core/result.hpp"
#include "agent/core/time_util.hpp"
#include "agent/crypto/random.hpp"

namespace veil::detail::aggregate {

using sys_time = std::chrono::system_clock::time_point;

/// One measure of an aggregated event type. `count` needs no field; `histogram` counts the
/// field's numeric values into buckets (OTLP explicit bounds: bucket i holds values in
/// (bounds[i-1], bounds[i]]) and keeps their sum, min and max; `sum` keeps sum, min and max.
struct measure_spec {
  enum class kind : std::uint8_t { count, histogram, sum };
  kind k = kind::count;
  std::string field;           // output name of a cleaned attribute (empty for count)
  std::vector<double> bounds;  // histogram: strictly increasing
  std::string unit = "1";      // OTLP unit ("ms", "s", "1")
};

/// Local differential privacy of a spec (docs/privacy-math.md): each listed dimension's value
/// and each listed histogram's bucket is replaced, per event, by k-ary randomised response at
/// `epsilon` before it is folded; a randomised histogram keeps no sum, min or max (they would
/// tell the true values). An event costs epsilon_event() of the day's budget; the store folds
/// at most events_per_day() of a type per UTC day (more are dropped, privacy_budget).
struct ldp_spec {
  double epsilon = 0;          // per randomised value of one event; 0: LDP off
  double epsilon_per_day = 0;  // the budget of one device and type per day
  /// Dimension -> its domain (values outside it report as "other", which is always in it).
  std::map<std::string, std::vector<std::string>> domains;
  std::vector<std::string> histograms;  // measure fields whose bucket is randomised
  bool enabled() const noexcept { return epsilon > 0; }
  double epsilon_event() const noexcept {
    return epsilon * static_cast<double>(domains.size() + histograms.size());
  }
  std::uint64_t events_per_day() const noexcept;
};

struct spec {
  std::string type;  // the event type, e.g. call.ended
  std::vector<std::string>
      dimensions;  // cleaned attributes that key a cell (strings, numbers, bools)
  std::vector<measure_spec> measures;
  std::chrono::seconds window{std::chrono::hours(1)};
  std::size_t max_cells = 4096;  // further combinations go to one overflow cell (dimensions "")
  ldp_spec ldp;
};

/// Checks a spec: dimensions and measures named, bounds increasing and finite, window >= 60 s
/// and dividing a day, max_cells >= 1; with LDP: ε in (0, 20], a budget of at least one event,
/// domains of 2..65536 values over named dimensions, randomised measures are histograms. The
/// message names the offending part.
result<void> validate(const spec& s);

/// The start of the window holding `t`: windows are aligned to the Unix epoch (so hourly
/// windows start on the hour, daily ones at 00:00 UTC).
sys_time window_start(sys_time t, std::chrono::seconds window) noexcept;

struct measure_state {
  bool randomized = false;  // LDP: buckets hold randomised reports; sum, min, max not kept
  std::uint64_t count = 0;
  double sum = 0, min = 0, max = 0;
  std::vector<std::uint64_t> buckets;  // histogram: bounds.size() + 1
};

struct cell {
  std::uint64_t events = 0;
  std::vector<measure_state> measures;  // parallel to spec.measures
};

struct skip_counts {
  std::uint64_t wrong_type = 0;      // the event is not of this spec's type
  std::uint64_t bad_dimension = 0;   // a dimension value that is an object, array or over 64 bytes
  std::uint64_t bad_measure = 0;     // a measure field present but not a finite number
  std::uint64_t overflow_cells = 0;  // events folded into the overflow cell
};

/// A window of one spec; `s` must outlive the state (it is the policy's, which does).
class window_state {
 public:
  window_state(const spec& s, sys_time start);

  /// Folds one cleaned event ({"type","ts","category","attrs"}) into the window. Events outside
  /// the window are the caller's business (it rolls windows); this only checks the type. With
  /// LDP in the spec, `rnd` randomises (the OS generator when null).
  void add(const nlohmann::json& cleaned_event, random_source* rnd = nullptr);
  /// Adds another state of the same spec and window (counts, sums and buckets add, min/max
  /// combine). False when the windows or shapes differ.
  bool merge(const window_state& other);

  sys_time start() const noexcept { return start_; }
  sys_time end() const noexcept { return start_ + spec_->window; }
  std::uint64_t events() const noexcept;
  const std::map<std::vector<std::string>, cell>& cells() const noexcept { return cells_; }
  const skip_counts& skipped() const noexcept { return skipped_; }
  bool empty() const noexcept { return cells_.empty(); }

  /// Compact JSON of the state, for the spool: {"v":1,"type","start_s","window_s","cells":[...]}.
  std::string serialize() const;
  /// Reads a serialised state back for this spec; errors name what does not fit.
  static result<window_state> parse(const spec& s, std::string_view json);

  /// The window as one OTLP ResourceMetrics-carrying request body (ExportMetricsServiceRequest,
  /// JSON mapping: 64-bit integers as strings, enums as numbers). `resource` holds the resource
  /// attributes to send (service.name, service.version, os.name; never an install token).
  std::string otlp_json(const std::map<std::string, std::string>& resource,
                        std::string_view scope_version) const;

 private:
  const spec* spec_;
  sys_time start_;
  std::map<std::vector<std::string>, cell> cells_;
  skip_counts skipped_;
  cell& cell_for(std::vector<std::string> key);
  // LDP, resolved once from the spec: per dimension (parallel to spec.dimensions) and measure.
  std::vector<const std::vector<std::string>*> dim_domain_;
  std::vector<bool> hist_random_;
  ldp::params dim_params_for(std::size_t k) const;
};

}  // namespace veil::detail::aggregate
