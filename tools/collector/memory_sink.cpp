#include <algorithm>
#include <map>
#include <set>

#include "tools/collector/record_guard.hpp"
#include "tools/collector/sink.hpp"

namespace veil::collector {
namespace {

std::string key_of(const memory_sink::stored_event& e, const std::string& field) {
  if (field == "day") return e.day;
  if (field == "hour")  // "2026-11-29T10": the hour of the event's (hour-coarsened) ts
    return e.rec.ts.size() >= 13 ? e.rec.ts.substr(0, 13) : std::string();
  if (field == "type") return e.rec.type;
  if (field == "category") return e.rec.category;
  const auto attrs = e.rec.attrs.tree();
  auto it = attrs.find(field.substr(6));
  if (it == attrs.end() || it->is_null()) return {};
  if (it->is_string()) return it->get<std::string>();
  return it->dump();
}

}  // namespace

veil::result<write_outcome> memory_sink::write_batch(
    std::string_view key, const std::vector<cleaned_record>& records,
    const std::vector<quarantined_record>& quarantined, sys_time received_at,
    const batch_origin& origin) {
  std::lock_guard lk(mu_);
  install_binding* bound = nullptr;
  if (!origin.install.empty()) {
    if (auto it = bindings_.find(origin.install); it != bindings_.end()) {
      if (it->second.erased_at) return write_outcome::install_erased;
      if (!origin.erasure_key.empty() && it->second.public_key != origin.erasure_key)
        return write_outcome::key_mismatch;
      bound = &it->second;
    }
  }
  if (!key.empty()) {
    if (std::find(keys_.begin(), keys_.end(), key) != keys_.end()) return write_outcome::duplicate;
    keys_.emplace_back(key);
  }
  if (bound) {
    bound->last_seen = std::max(bound->last_seen, received_at);
  } else if (!origin.install.empty() && !origin.erasure_key.empty()) {
    bindings_.emplace(
        std::string(origin.install),
        install_binding{std::string(origin.erasure_key), received_at, received_at, std::nullopt});
  }
  for (const auto& r : records)
    events_.push_back({std::string(key), received_at, day_of(r.ts, received_at), r});
  for (const auto& q : quarantined)
    quarantine_.push_back({std::string(key), received_at, day_string(received_at), q});
  return write_outcome::stored;
}

veil::result<std::map<std::string, install_binding>> memory_sink::bindings(
    const std::vector<std::string>& installs) {
  std::lock_guard lk(mu_);
  std::map<std::string, install_binding> out;
  for (const auto& i : installs)
    if (auto it = bindings_.find(i); it != bindings_.end()) out.emplace(i, it->second);
  return out;
}

veil::result<std::map<std::string, std::uint64_t>> memory_sink::install_row_counts(
    const std::vector<std::string>& installs) {
  std::lock_guard lk(mu_);
  std::set<std::string_view> want(installs.begin(), installs.end());
  std::map<std::string, std::uint64_t> out;
  for (const auto& e : events_)
    if (!e.rec.install.empty() && want.contains(e.rec.install)) ++out[e.rec.install];
  return out;
}

veil::result<erasure_counts> memory_sink::erase_installs(const std::vector<std::string>& installs,
                                                         sys_time at) {
  std::lock_guard lk(mu_);
  std::set<std::string_view> want;
  for (const auto& i : installs)
    if (!i.empty()) want.insert(i);
  erasure_counts c;
  std::erase_if(events_, [&](const stored_event& e) {
    if (!want.contains(e.rec.install)) return false;
    ++c.by_category[e.rec.category];
    ++c.total;
    return true;
  });
  for (const auto& i : want)
    if (auto it = bindings_.find(i); it != bindings_.end() && !it->second.erased_at) {
      it->second.erased_at = at;
      it->second.last_seen = std::max(it->second.last_seen, at);
    }
  return c;
}

veil::result<std::vector<subject_row>> memory_sink::install_rows(std::string_view install,
                                                                 std::uint64_t offset,
                                                                 std::size_t limit) {
  std::lock_guard lk(mu_);
  std::vector<subject_row> out;
  std::uint64_t seen = 0;
  for (const auto& e : events_) {
    if (install.empty() || e.rec.install != install) continue;
    if (seen++ < offset) continue;
    if (out.size() >= limit) break;
    out.push_back({e.batch_key, e.rec.ts, e.day, e.rec.type, e.rec.category,
                   e.rec.attrs.is_object() ? e.rec.attrs.text() : std::string("{}")});
  }
  return out;
}

veil::result<std::uint64_t> memory_sink::expire(sys_time older_than) {
  std::lock_guard lk(mu_);
  auto cutoff = day_string(older_than);
  auto before = events_.size();
  std::erase_if(events_, [&](const stored_event& e) { return e.day < cutoff; });
  std::erase_if(quarantine_, [&](const stored_quarantine& q) { return q.day < cutoff; });
  std::erase_if(metrics_, [&](const stored_metric& m) { return m.day < cutoff; });
  std::erase_if(metric_keys_, [&](const auto& k) { return k.second < cutoff; });
  std::erase_if(bindings_, [&](const auto& b) { return day_string(b.second.last_seen) < cutoff; });
  return static_cast<std::uint64_t>(before - events_.size());
}

veil::result<std::vector<aggregate_row>> memory_sink::aggregate(const aggregate_query& q) {
  for (const auto& f : q.group_by)
    if (!valid_field(f))
      return veil::make_error(veil::errc::invalid_argument, "aggregate: bad field " + f);
  for (const auto& a : q.averages)
    if (!valid_field("attrs." + a))
      return veil::make_error(veil::errc::invalid_argument, "aggregate: bad field " + a);
  struct acc {
    std::uint64_t events = 0;
    std::set<std::string> installs;
    std::vector<double> sum;
    std::vector<std::uint64_t> n;
  };
  std::map<std::vector<std::string>, acc> groups;
  std::lock_guard lk(mu_);
  for (const auto& e : events_) {
    if (!q.type.empty() && e.rec.type != q.type) continue;
    std::vector<std::string> k;
    for (const auto& f : q.group_by) k.push_back(key_of(e, f));
    auto& a = groups[k];
    if (a.sum.empty()) {
      a.sum.assign(q.averages.size(), 0.0);
      a.n.assign(q.averages.size(), 0);
    }
    ++a.events;
    if (!e.rec.install.empty()) a.installs.insert(e.rec.install);
    const auto attrs = q.averages.empty() ? nlohmann::json() : e.rec.attrs.tree();
    for (std::size_t i = 0; i < q.averages.size(); ++i) {
      auto it = attrs.find(q.averages[i]);
      if (it != attrs.end() && it->is_number()) {
        a.sum[i] += it->get<double>();
        ++a.n[i];
      }
    }
  }
  std::vector<aggregate_row> out;
  for (auto& [k, a] : groups) {
    aggregate_row r{k, a.events, a.installs.size(), {}};
    for (std::size_t i = 0; i < q.averages.size(); ++i)
      r.averages.push_back(a.n[i] ? std::optional<double>(a.sum[i] / static_cast<double>(a.n[i]))
                                  : std::nullopt);
    out.push_back(std::move(r));
  }
  return out;
}

veil::result<std::uint64_t> memory_sink::count_events() {
  std::lock_guard lk(mu_);
  return static_cast<std::uint64_t>(events_.size());
}
veil::result<std::uint64_t> memory_sink::count_quarantined() {
  std::lock_guard lk(mu_);
  return static_cast<std::uint64_t>(quarantine_.size());
}
veil::result<write_outcome> memory_sink::write_metrics(
    std::string_view key, const std::vector<metric_point>& points,
    const std::vector<quarantined_record>& quarantined, sys_time received_at) {
  std::lock_guard lk(mu_);
  const std::string day = day_string(received_at);
  if (!key.empty()) {
    for (const auto& [k, d] : metric_keys_)
      if (k == key) return write_outcome::duplicate;
    metric_keys_.emplace_back(std::string(key), day);
  }
  for (const auto& p : points) metrics_.push_back({std::string(key), received_at, day, p});
  for (const auto& q : quarantined) quarantine_.push_back({std::string(key), received_at, day, q});
  return write_outcome::stored;
}

veil::result<std::vector<metric_cell>> memory_sink::aggregate_metrics(const metric_query& q) {
  for (const auto& f : q.group_by)
    if (!valid_metric_attribute(f))
      return veil::make_error(veil::errc::invalid_argument, "aggregate_metrics: bad name " + f);
  metric_grouper g(q);
  std::lock_guard lk(mu_);
  for (const auto& m : metrics_)
    if (m.point.name == q.name) g.add(m.point);
  return std::move(g).cells();
}

veil::result<std::vector<std::string>> memory_sink::metric_names() {
  std::lock_guard lk(mu_);
  std::set<std::string> names;
  for (const auto& m : metrics_) names.insert(m.point.name);
  return std::vector<std::string>(names.begin(), names.end());
}

veil::result<std::vector<std::string>> memory_sink::metric_attribute_keys(std::string_view name) {
  std::lock_guard lk(mu_);
  std::vector<std::string> keys;
  for (const auto& m : metrics_)
    if (m.point.name == name) add_metric_attribute_keys(m.point.attrs, keys);
  return keys;
}

veil::result<std::uint64_t> memory_sink::count_metric_points() {
  std::lock_guard lk(mu_);
  return static_cast<std::uint64_t>(metrics_.size());
}

std::vector<memory_sink::stored_metric> memory_sink::metrics() const {
  std::lock_guard lk(mu_);
  return metrics_;
}

std::vector<memory_sink::stored_event> memory_sink::events() const {
  std::lock_guard lk(mu_);
  return events_;
}
std::vector<memory_sink::stored_quarantine> memory_sink::quarantine() const {
  std::lock_guard lk(mu_);
  return quarantine_;
}

}  // namespace veil::collector
