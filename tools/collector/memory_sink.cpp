#include <algorithm>
#include <map>

#include "tools/collector/record_guard.hpp"
#include "tools/collector/sink.hpp"

namespace veil::collector {
namespace {

std::string key_of(const memory_sink::stored_event& e, const std::string& field) {
  if (field == "day") return e.day;
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
    const std::vector<quarantined_record>& quarantined, sys_time received_at) {
  std::lock_guard lk(mu_);
  if (!key.empty()) {
    if (std::find(keys_.begin(), keys_.end(), key) != keys_.end()) return write_outcome::duplicate;
    keys_.emplace_back(key);
  }
  for (const auto& r : records)
    events_.push_back({std::string(key), received_at, day_of(r.ts, received_at), r});
  for (const auto& q : quarantined)
    quarantine_.push_back({std::string(key), received_at, day_string(received_at), q});
  return write_outcome::stored;
}

veil::result<std::uint64_t> memory_sink::erase(const std::vector<std::string>& tokens) {
  std::lock_guard lk(mu_);
  auto match = [&](const stored_event& e) {
    const auto attrs = e.rec.attrs.tree();
    for (const auto& t : tokens) {
      if (!e.rec.install.empty() && e.rec.install == t) return true;
      for (const auto& f : pseudonym_fields()) {
        auto it = attrs.find(f);
        if (it != attrs.end() && it->is_string() && *it == t) return true;
      }
    }
    return false;
  };
  auto before = events_.size();
  std::erase_if(events_, match);
  return static_cast<std::uint64_t>(before - events_.size());
}

veil::result<std::uint64_t> memory_sink::expire(sys_time older_than) {
  std::lock_guard lk(mu_);
  auto cutoff = day_string(older_than);
  auto before = events_.size();
  std::erase_if(events_, [&](const stored_event& e) { return e.day < cutoff; });
  std::erase_if(quarantine_, [&](const stored_quarantine& q) { return q.day < cutoff; });
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
std::vector<memory_sink::stored_event> memory_sink::events() const {
  std::lock_guard lk(mu_);
  return events_;
}
std::vector<memory_sink::stored_quarantine> memory_sink::quarantine() const {
  std::lock_guard lk(mu_);
  return quarantine_;
}

}  // namespace veil::collector
