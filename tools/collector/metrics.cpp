#include "tools/collector/metrics.hpp"

#include <sstream>

namespace veil::collector {

void collector_metrics::request(const std::string& endpoint, unsigned status) {
  std::lock_guard lk(mu_);
  ++requests_[{endpoint, status}];
}

void collector_metrics::rejected(const std::string& reason) {
  std::lock_guard lk(mu_);
  ++rejected_[reason];
}

std::uint64_t collector_metrics::requests(const std::string& endpoint, unsigned status) const {
  std::lock_guard lk(mu_);
  auto it = requests_.find({endpoint, status});
  return it == requests_.end() ? 0 : it->second;
}

std::uint64_t collector_metrics::rejected_count(const std::string& reason) const {
  std::lock_guard lk(mu_);
  auto it = rejected_.find(reason);
  return it == rejected_.end() ? 0 : it->second;
}

void collector_metrics::quarantined_reason(const std::string& reason) {
  std::lock_guard lk(mu_);
  ++quarantine_reasons_[reason];
}

std::uint64_t collector_metrics::quarantined_count(const std::string& reason) const {
  std::lock_guard lk(mu_);
  auto it = quarantine_reasons_.find(reason);
  return it == quarantine_reasons_.end() ? 0 : it->second;
}

void collector_metrics::metric_request_refused(const std::string& reason) {
  std::lock_guard lk(mu_);
  ++metric_refused_[reason];
}

void collector_metrics::metric_point_quarantined(const std::string& reason) {
  std::lock_guard lk(mu_);
  ++metric_quarantined_[reason];
  ++quarantine_reasons_[reason];
}

void collector_metrics::metric_points_refused(const std::string& reason, std::uint64_t n) {
  if (n == 0) return;
  std::lock_guard lk(mu_);
  metric_points_refused_[reason] += n;
}

namespace {
std::uint64_t count_of(const std::map<std::string, std::uint64_t>& m, const std::string& k) {
  auto it = m.find(k);
  return it == m.end() ? 0 : it->second;
}
}  // namespace

std::uint64_t collector_metrics::metric_quarantined_count(const std::string& reason) const {
  std::lock_guard lk(mu_);
  return count_of(metric_quarantined_, reason);
}
std::uint64_t collector_metrics::metric_refused_count(const std::string& reason) const {
  std::lock_guard lk(mu_);
  return count_of(metric_refused_, reason);
}
std::uint64_t collector_metrics::metric_points_refused_count(const std::string& reason) const {
  std::lock_guard lk(mu_);
  return count_of(metric_points_refused_, reason);
}

std::string collector_metrics::render() const {
  std::ostringstream o;
  o << "# HELP veil_collector_requests_total HTTP requests by endpoint and status.\n"
       "# TYPE veil_collector_requests_total counter\n";
  std::lock_guard lk(mu_);
  for (const auto& [k, v] : requests_)
    o << "veil_collector_requests_total{endpoint=\"" << k.first << "\",status=\"" << k.second
      << "\"} " << v << '\n';
  o << "# HELP veil_collector_records_stored_total Records stored in the sink.\n"
       "# TYPE veil_collector_records_stored_total counter\n"
       "veil_collector_records_stored_total "
    << stored_.load() << '\n'
    << "# HELP veil_collector_records_quarantined_total Records quarantined by the guard.\n"
       "# TYPE veil_collector_records_quarantined_total counter\n"
       "veil_collector_records_quarantined_total "
    << quarantined_.load() << '\n'
    << "# HELP veil_collector_duplicate_batches_total Batches whose idempotency key was already "
       "stored.\n"
       "# TYPE veil_collector_duplicate_batches_total counter\n"
       "veil_collector_duplicate_batches_total "
    << duplicates_.load() << '\n'
    << "# HELP veil_collector_records_erased_total Records deleted by erasure requests.\n"
       "# TYPE veil_collector_records_erased_total counter\n"
       "veil_collector_records_erased_total "
    << erased_.load() << '\n'
    << "# HELP veil_collector_erasure_requests_total Erasure requests carried out (200, with a "
       "receipt).\n"
       "# TYPE veil_collector_erasure_requests_total counter\n"
       "veil_collector_erasure_requests_total "
    << erasures_.load() << '\n'
    << "# HELP veil_collector_proofs_refused_total Erasure and subject requests whose device "
       "proof was refused.\n"
       "# TYPE veil_collector_proofs_refused_total counter\n"
       "veil_collector_proofs_refused_total "
    << proofs_refused_.load() << '\n'
    << "# HELP veil_collector_subject_requests_total Subject access requests answered (200).\n"
       "# TYPE veil_collector_subject_requests_total counter\n"
       "veil_collector_subject_requests_total "
    << subjects_.load() << '\n'
    << "# HELP veil_collector_received_bytes_total Request body bytes received (compressed).\n"
       "# TYPE veil_collector_received_bytes_total counter\n"
       "veil_collector_received_bytes_total "
    << bytes_.load() << '\n'
    << "# HELP veil_collector_rejected_total Requests rejected, by reason.\n"
       "# TYPE veil_collector_rejected_total counter\n";
  for (const auto& [k, v] : rejected_)
    o << "veil_collector_rejected_total{reason=\"" << k << "\"} " << v << '\n';
  // By reason, so an analytics team sees at once when devices leak (and which class).
  o << "# HELP veil_collector_quarantined_by_reason_total Records quarantined, by reason.\n"
       "# TYPE veil_collector_quarantined_by_reason_total counter\n";
  for (const auto& [k, v] : quarantine_reasons_)
    o << "veil_collector_quarantined_by_reason_total{reason=\"" << k << "\"} " << v << '\n';
  // The anonymous-statistics lane (POST /v1/metrics).
  o << "# HELP veil_collector_metric_requests_total Metrics requests accepted, by outcome.\n"
       "# TYPE veil_collector_metric_requests_total counter\n"
       "veil_collector_metric_requests_total{outcome=\"stored\"} "
    << metric_requests_.load() << '\n'
    << "veil_collector_metric_requests_total{outcome=\"duplicate\"} " << metric_dup_requests_.load()
    << '\n'
    << "# HELP veil_collector_metric_requests_refused_total Metrics requests refused, by "
       "reason.\n"
       "# TYPE veil_collector_metric_requests_refused_total counter\n";
  for (const auto& [k, v] : metric_refused_)
    o << "veil_collector_metric_requests_refused_total{reason=\"" << k << "\"} " << v << '\n';
  o << "# HELP veil_collector_metric_points_stored_total Metric data points stored.\n"
       "# TYPE veil_collector_metric_points_stored_total counter\n"
       "veil_collector_metric_points_stored_total "
    << metric_points_.load() << '\n'
    << "# HELP veil_collector_metric_points_quarantined_total Metric data points quarantined, by "
       "reason.\n"
       "# TYPE veil_collector_metric_points_quarantined_total counter\n";
  for (const auto& [k, v] : metric_quarantined_)
    o << "veil_collector_metric_points_quarantined_total{reason=\"" << k << "\"} " << v << '\n';
  o << "# HELP veil_collector_metric_points_refused_total Metric data points of accepted requests "
       "not stored, by reason.\n"
       "# TYPE veil_collector_metric_points_refused_total counter\n";
  for (const auto& [k, v] : metric_points_refused_)
    o << "veil_collector_metric_points_refused_total{reason=\"" << k << "\"} " << v << '\n';
  o << "# HELP veil_collector_metric_resource_attributes_dropped_total Resource attributes of "
       "metrics requests outside the allowlist, dropped.\n"
       "# TYPE veil_collector_metric_resource_attributes_dropped_total counter\n"
       "veil_collector_metric_resource_attributes_dropped_total "
    << metric_resource_dropped_.load() << '\n';
  return o.str();
}

std::string endpoint_label(std::string_view target) {
  auto q = target.find('?');
  auto path = target.substr(0, q);
  for (const char* e :
       {"/v1/logs", "/v1/metrics", "/v1/erasure", "/v1/subject", "/healthz", "/metrics"})
    if (path == e) return e;
  return "other";
}

}  // namespace veil::collector
