// Collector counters, rendered as Prometheus text (GET /metrics). All methods are thread-safe
// (atomics plus one mutex for the labelled maps); counters only grow.
#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <utility>

namespace veil::collector {

class collector_metrics {
 public:
  /// endpoint: "/v1/logs", "/v1/metrics", "/v1/erasure", "/v1/subject", "/healthz", "/metrics" or
  /// "other".
  void request(const std::string& endpoint, unsigned status);
  /// reason: "malformed", "unauthorized", "too_large", "unsupported_media", "timeout",
  /// "overloaded", ...
  void rejected(const std::string& reason);
  void stored(std::uint64_t n) { stored_ += n; }
  void quarantined(std::uint64_t n) { quarantined_ += n; }
  /// One quarantined record by its reason ("leak:number", "pii:email", "time:out_of_range",
  /// ...): reasons are the guards' fixed vocabulary, never input, so cardinality is bounded.
  void quarantined_reason(const std::string& reason);
  std::uint64_t quarantined_count(const std::string& reason) const;
  void duplicate() { ++duplicates_; }
  void erased(std::uint64_t n) { erased_ += n; }
  /// An erasure request that was carried out (200 with a receipt).
  void erasure_done() { ++erasures_; }
  /// A request (erasure or subject access) whose device proof was refused (403 proof_refused).
  void proof_refused() { ++proofs_refused_; }
  /// A subject access request answered with rows (200).
  void subject_done() { ++subjects_; }
  void bytes(std::uint64_t n) { bytes_ += n; }
  // The anonymous-statistics lane (POST /v1/metrics). Reasons are fixed vocabulary, never input.
  /// A request refused as a whole ("malformed", "too_large", "not_anonymous", ...).
  void metric_request_refused(const std::string& reason);
  /// A request stored (or acknowledged as a duplicate).
  void metric_request_done(bool duplicate) {
    ++(duplicate ? metric_dup_requests_ : metric_requests_);
  }
  void metric_points_stored(std::uint64_t n) { metric_points_ += n; }
  /// One quarantined point by reason ("leak:email", "time:out_of_range"); also counted in
  /// quarantined_reason(), the family shared with records.
  void metric_point_quarantined(const std::string& reason);
  /// Points not stored from an accepted request ("no_recorded_value", "duplicate").
  void metric_points_refused(const std::string& reason, std::uint64_t n);
  void metric_resource_attributes_dropped(std::uint64_t n) { metric_resource_dropped_ += n; }
  std::uint64_t metric_points_stored_count() const { return metric_points_.load(); }
  std::uint64_t metric_quarantined_count(const std::string& reason) const;
  std::uint64_t metric_refused_count(const std::string& reason) const;
  std::uint64_t metric_points_refused_count(const std::string& reason) const;

  std::string render() const;
  std::uint64_t requests(const std::string& endpoint, unsigned status) const;
  std::uint64_t rejected_count(const std::string& reason) const;

 private:
  mutable std::mutex mu_;
  std::map<std::pair<std::string, unsigned>, std::uint64_t> requests_;
  std::map<std::string, std::uint64_t> rejected_, quarantine_reasons_;
  std::atomic<std::uint64_t> stored_{0}, quarantined_{0}, duplicates_{0}, erased_{0}, bytes_{0};
  std::atomic<std::uint64_t> erasures_{0}, proofs_refused_{0}, subjects_{0};
  std::map<std::string, std::uint64_t> metric_refused_, metric_quarantined_, metric_points_refused_;
  std::atomic<std::uint64_t> metric_requests_{0}, metric_dup_requests_{0}, metric_points_{0},
      metric_resource_dropped_{0};
};

/// Maps a request target to its metrics label (bounded cardinality).
std::string endpoint_label(std::string_view target);

}  // namespace veil::collector
