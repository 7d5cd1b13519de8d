#include "tools/collector/metric_point.hpp"

#include <algorithm>
#include <ctime>
#include <map>
#include <tuple>

#include <nlohmann/json.hpp>

namespace veil::collector {

std::string_view metric_kind_name(metric_kind k) noexcept {
  switch (k) {
    case metric_kind::sum: return "sum";
    case metric_kind::gauge: return "gauge";
    case metric_kind::histogram: return "histogram";
  }
  return "sum";
}

bool valid_metric_attribute(std::string_view name) noexcept {
  if (name.empty() || name.size() > 64) return false;
  for (char c : name)
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
          c == '.' || c == '-'))
      return false;
  return true;
}

std::string metric_window_label(std::int64_t window_start_s, metric_query::granularity g) {
  if (g == metric_query::granularity::all) return {};
  std::time_t t = static_cast<std::time_t>(window_start_s);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf,
                g == metric_query::granularity::hour ? "%Y-%m-%dT%H:00:00Z" : "%Y-%m-%d", &tm);
  return buf;
}

namespace {

void combine(std::optional<double>& into, const std::optional<double>& v, bool add, bool lower) {
  if (!v) return;
  if (!into) into = v;
  else if (add) *into += *v;
  else *into = lower ? std::min(*into, *v) : std::max(*into, *v);
}

// The attribute's value as a grouping key: strings as they are, other values as their JSON
// text ("true", "42"), "" when absent or null.
std::string attr_key(const nlohmann::json& attrs, const std::string& name) {
  if (!attrs.is_object()) return {};
  auto it = attrs.find(name);
  if (it == attrs.end() || it->is_null()) return {};
  if (it->is_string()) return it->get<std::string>();
  return it->dump();
}

}  // namespace

void metric_grouper::add(const metric_point& p) {
  const auto attrs =
      q_.group_by.empty() ? nlohmann::json() : nlohmann::json::parse(p.attrs, nullptr, false);
  metric_group g;
  for (const auto& n : q_.group_by) g.keys.push_back(attr_key(attrs, n));
  g.window = metric_window_label(p.window_start_s, q_.window);
  g.kind = std::string(metric_kind_name(p.kind));
  g.unit = p.unit;
  g.bounds = p.bounds;
  const std::string id = nlohmann::json{g.keys, g.window, g.kind, g.unit, g.bounds}.dump();
  auto [it, fresh] = groups_.try_emplace(id, std::move(g));
  auto& into = it->second;
  ++into.reports;
  into.count += p.count;
  into.window_s = std::max(into.window_s, p.window_end_s - p.window_start_s);
  combine(into.sum, p.sum, true, false);
  combine(into.min, p.min, false, true);
  combine(into.max, p.max, false, false);
  if (into.bucket_counts.size() < p.bucket_counts.size())
    into.bucket_counts.resize(p.bucket_counts.size(), 0);
  for (std::size_t i = 0; i < p.bucket_counts.size(); ++i)
    into.bucket_counts[i] += p.bucket_counts[i];
}

std::vector<metric_cell> metric_grouper::cells() && {
  std::vector<metric_group> v;
  v.reserve(groups_.size());
  for (auto& [k, g] : groups_) v.push_back(std::move(g));
  return merge_metric_groups(std::move(v));
}

void add_metric_attribute_keys(std::string_view attrs_json, std::vector<std::string>& keys) {
  const auto j = nlohmann::json::parse(attrs_json, nullptr, false);
  if (!j.is_object()) return;
  for (const auto& [k, v] : j.items())
    if (valid_metric_attribute(k) && std::find(keys.begin(), keys.end(), k) == keys.end())
      keys.push_back(k);
  std::sort(keys.begin(), keys.end());
}

std::vector<metric_cell> merge_metric_groups(std::vector<metric_group> groups) {
  auto cell_key = [](const metric_group& g) { return std::tie(g.keys, g.window, g.kind, g.unit); };
  std::sort(groups.begin(), groups.end(), [&](const metric_group& a, const metric_group& b) {
    return std::tuple_cat(cell_key(a), std::tie(a.bounds)) <
           std::tuple_cat(cell_key(b), std::tie(b.bounds));
  });
  std::vector<metric_cell> out;
  for (std::size_t i = 0; i < groups.size();) {
    std::size_t j = i;
    while (j < groups.size() && cell_key(groups[j]) == cell_key(groups[i])) ++j;
    // The bounds most points share; on a tie the first in sort order (the groups are sorted).
    std::size_t best = i;
    for (std::size_t x = i; x < j; ++x)
      if (groups[x].reports > groups[best].reports) best = x;
    metric_cell c;
    c.keys = groups[i].keys;
    c.window = groups[i].window;
    c.kind = groups[i].kind;
    c.unit = groups[i].unit;
    c.bounds = groups[best].bounds;
    c.bucket_counts = groups[best].bucket_counts;
    for (std::size_t x = i; x < j; ++x) {
      const auto& g = groups[x];
      c.reports += g.reports;
      c.count += g.count;
      combine(c.sum, g.sum, true, false);
      combine(c.min, g.min, false, true);
      combine(c.max, g.max, false, false);
      if (x != best) c.unmerged_reports += g.reports;
      c.window_s = std::max(c.window_s, g.window_s);
    }
    out.push_back(std::move(c));
    i = j;
  }
  return out;
}

}  // namespace veil::collector
