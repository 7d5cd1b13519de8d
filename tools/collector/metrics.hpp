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
  /// endpoint: "/v1/logs", "/v1/erasure", "/v1/subject", "/healthz", "/metrics" or "other".
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

  std::string render() const;
  std::uint64_t requests(const std::string& endpoint, unsigned status) const;
  std::uint64_t rejected_count(const std::string& reason) const;

 private:
  mutable std::mutex mu_;
  std::map<std::pair<std::string, unsigned>, std::uint64_t> requests_;
  std::map<std::string, std::uint64_t> rejected_, quarantine_reasons_;
  std::atomic<std::uint64_t> stored_{0}, quarantined_{0}, duplicates_{0}, erased_{0}, bytes_{0};
  std::atomic<std::uint64_t> erasures_{0}, proofs_refused_{0}, subjects_{0};
};

/// Maps a request target to its metrics label (bounded cardinality).
std::string endpoint_label(std::string_view target);

}  // namespace veil::collector
