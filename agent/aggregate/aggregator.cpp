#include "agent/aggregate/aggregator.hpp"

#include <algorithm>
#include <cmath>

namespace veil::detail::aggregate {
namespace {

using nlohmann::json;

constexpr std::size_t max_dimension_bytes = 64;
// The overflow cell's key: no real dimension value can be this (values over 64 bytes are
// refused, and this one starts with a NUL).
const std::string overflow_key(std::string("\0overflow", 9));

std::int64_t seconds_of(sys_time t) {
  return std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
}

std::string nanos(sys_time t) {
  return std::to_string(static_cast<std::uint64_t>(seconds_of(t)) * 1'000'000'000ull);
}

json kv_string(const std::string& k, const std::string& v) {
  return {{"key", k}, {"value", {{"stringValue", v}}}};
}

}  // namespace

result<void> validate(const spec& s) {
  auto bad = [&](const std::string& what) {
    return make_error(errc::invalid_argument, "aggregate '" + s.type + "': " + what);
  };
  if (s.type.empty()) return make_error(errc::invalid_argument, "aggregate: no event type");
  if (s.measures.empty()) return bad("no measures");
  for (const auto& d : s.dimensions)
    if (d.empty()) return bad("a dimension without a name");
  if (s.window < std::chrono::seconds(60) || std::chrono::hours(24) % s.window != s.window.zero())
    return bad("window must be at least 60 s and divide a day");
  if (s.max_cells == 0) return bad("max_cells must be at least 1");
  for (std::size_t i = 0; i < s.measures.size(); ++i) {
    const auto& m = s.measures[i];
    const std::string where = "measure " + std::to_string(i) + " (" + m.field + ")";
    if (m.k != measure_spec::kind::count && m.field.empty()) return bad(where + ": no field");
    if (m.k == measure_spec::kind::histogram) {
      if (m.bounds.empty()) return bad(where + ": a histogram needs bounds");
      for (std::size_t j = 0; j < m.bounds.size(); ++j) {
        if (!std::isfinite(m.bounds[j])) return bad(where + ": bounds must be finite");
        if (j > 0 && m.bounds[j] <= m.bounds[j - 1])
          return bad(where + ": bounds must be strictly increasing");
      }
    }
  }
  return {};
}

sys_time window_start(sys_time t, std::chrono::seconds window) noexcept {
  const auto w = window.count() > 0 ? window.count() : 3600;
  auto s = seconds_of(t);
  s -= ((s % w) + w) % w;  // floor, also before 1970
  return sys_time(std::chrono::seconds(s));
}

window_state::window_state(const spec& s, sys_time start) : spec_(&s), start_(start) {}

std::uint64_t window_state::events() const noexcept {
  std::uint64_t n = 0;
  for (const auto& [k, c] : cells_) n += c.events;
  return n;
}

cell& window_state::cell_for(std::vector<std::string> key) {
  auto it = cells_.find(key);
  if (it != cells_.end()) return it->second;
  if (cells_.size() >= spec_->max_cells) {
    ++skipped_.overflow_cells;
    key.assign(1, overflow_key);
    it = cells_.find(key);
    if (it != cells_.end()) return it->second;
  }
  cell c;
  c.measures.resize(spec_->measures.size());
  for (std::size_t i = 0; i < spec_->measures.size(); ++i)
    if (spec_->measures[i].k == measure_spec::kind::histogram)
      c.measures[i].buckets.assign(spec_->measures[i].bounds.size() + 1, 0);
    else if (spec_->measures[i].k == measure_spec::kind::sum) c.measures[i].buckets.assign(1, 0);
  return cells_.emplace(std::move(key), std::move(c)).first->second;
}

void window_state::add(const json& ev) {
  if (!ev.is_object() || ev.value("type", std::string()) != spec_->type) {
    ++skipped_.wrong_type;
    return;
  }
  static const json empty = json::object();
  const json& attrs = ev.contains("attrs") && ev["attrs"].is_object() ? ev["attrs"] : empty;
  std::vector<std::string> key;
  key.reserve(spec_->dimensions.size());
  for (const auto& d : spec_->dimensions) {
    auto it = attrs.find(d);
    if (it == attrs.end() || it->is_null()) {
      key.emplace_back();  // missing: its own cell value, ""
    } else if (it->is_string()) {
      const auto& v = it->get_ref<const std::string&>();
      if (v.size() > max_dimension_bytes) {
        ++skipped_.bad_dimension;
        return;
      }
      key.push_back(v);
    } else if (it->is_number() || it->is_boolean()) {
      key.push_back(it->dump());
    } else {
      ++skipped_.bad_dimension;
      return;
    }
  }
  cell& c = cell_for(std::move(key));
  ++c.events;
  for (std::size_t i = 0; i < spec_->measures.size(); ++i) {
    const auto& m = spec_->measures[i];
    auto& st = c.measures[i];
    if (m.k == measure_spec::kind::count) {
      ++st.count;
      continue;
    }
    auto it = attrs.find(m.field);
    if (it == attrs.end() || it->is_null()) continue;  // not measured in this event
    if (!it->is_number() || !std::isfinite(it->get<double>())) {
      ++skipped_.bad_measure;
      continue;
    }
    const double v = it->get<double>();
    st.min = st.count ? std::min(st.min, v) : v;
    st.max = st.count ? std::max(st.max, v) : v;
    ++st.count;
    st.sum += v;
    if (m.k == measure_spec::kind::histogram) {
      const auto b = std::lower_bound(m.bounds.begin(), m.bounds.end(), v) - m.bounds.begin();
      ++st.buckets[static_cast<std::size_t>(b)];
    } else {
      ++st.buckets[0];
    }
  }
}

bool window_state::merge(const window_state& o) {
  if (o.spec_ != spec_ &&
      (o.spec_->type != spec_->type || o.spec_->measures.size() != spec_->measures.size()))
    return false;
  if (o.start_ != start_) return false;
  for (const auto& [k, oc] : o.cells_) {
    cell& c = cell_for(k);
    if (c.measures.size() != oc.measures.size()) return false;
    c.events += oc.events;
    for (std::size_t i = 0; i < c.measures.size(); ++i) {
      auto& a = c.measures[i];
      const auto& b = oc.measures[i];
      if (a.buckets.size() != b.buckets.size()) return false;
      if (b.count) {
        a.min = a.count ? std::min(a.min, b.min) : b.min;
        a.max = a.count ? std::max(a.max, b.max) : b.max;
      }
      a.count += b.count;
      a.sum += b.sum;
      for (std::size_t j = 0; j < a.buckets.size(); ++j) a.buckets[j] += b.buckets[j];
    }
  }
  skipped_.wrong_type += o.skipped_.wrong_type;
  skipped_.bad_dimension += o.skipped_.bad_dimension;
  skipped_.bad_measure += o.skipped_.bad_measure;
  skipped_.overflow_cells += o.skipped_.overflow_cells;
  return true;
}

std::string window_state::serialize() const {
  json cells = json::array();
  for (const auto& [k, c] : cells_) {
    json ms = json::array();
    for (const auto& m : c.measures)
      ms.push_back({{"c", m.count}, {"s", m.sum}, {"lo", m.min}, {"hi", m.max}, {"b", m.buckets}});
    json key = json::array();
    for (const auto& v : k) key.push_back(v == overflow_key ? json(nullptr) : json(v));
    cells.push_back({{"key", key}, {"events", c.events}, {"m", ms}});
  }
  return json{{"v", 1},
              {"type", spec_->type},
              {"start_s", seconds_of(start_)},
              {"window_s", spec_->window.count()},
              {"cells", cells},
              {"skipped",
               {skipped_.wrong_type, skipped_.bad_dimension, skipped_.bad_measure,
                skipped_.overflow_cells}}}
      .dump();
}

result<window_state> window_state::parse(const spec& s, std::string_view text) {
  auto bad = [&](const std::string& what) {
    return make_error(errc::corrupt, "aggregate state of '" + s.type + "': " + what);
  };
  const json j = json::parse(text, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return bad("not a JSON object");
  try {
    if (j.at("v") != 1) return bad("unknown version");
    if (j.at("type") != s.type) return bad("another event type");
    if (j.at("window_s") != s.window.count()) return bad("another window length");
    window_state w(s, sys_time(std::chrono::seconds(j.at("start_s").get<std::int64_t>())));
    if (window_start(w.start_, s.window) != w.start_) return bad("start not aligned");
    for (const auto& c : j.at("cells")) {
      std::vector<std::string> key;
      for (const auto& v : c.at("key"))
        key.push_back(v.is_null() ? overflow_key : v.get<std::string>());
      const bool overflow = key.size() == 1 && key[0] == overflow_key;
      if (!overflow && key.size() != s.dimensions.size())
        return bad("a cell with another key size");
      const auto& ms = c.at("m");
      if (ms.size() != s.measures.size()) return bad("a cell with another number of measures");
      cell out;
      out.events = c.at("events").get<std::uint64_t>();
      for (std::size_t i = 0; i < ms.size(); ++i) {
        measure_state m;
        m.count = ms[i].at("c").get<std::uint64_t>();
        m.sum = ms[i].at("s").get<double>();
        m.min = ms[i].at("lo").get<double>();
        m.max = ms[i].at("hi").get<double>();
        m.buckets = ms[i].at("b").get<std::vector<std::uint64_t>>();
        const std::size_t want = s.measures[i].k == measure_spec::kind::histogram
                                     ? s.measures[i].bounds.size() + 1
                                 : s.measures[i].k == measure_spec::kind::sum ? 1
                                                                              : 0;
        if (m.buckets.size() != want) return bad("a measure with another number of buckets");
        out.measures.push_back(std::move(m));
      }
      w.cells_.emplace(std::move(key), std::move(out));
    }
    if (w.cells_.size() > s.max_cells + 1) return bad("more cells than max_cells");
    if (j.contains("skipped")) {
      const auto& k = j["skipped"];
      w.skipped_ = {k.at(0).get<std::uint64_t>(), k.at(1).get<std::uint64_t>(),
                    k.at(2).get<std::uint64_t>(), k.at(3).get<std::uint64_t>()};
    }
    return w;
  } catch (const std::exception&) {
    return bad("a field is missing or of the wrong type");
  }
}

std::string window_state::otlp_json(const std::map<std::string, std::string>& resource,
                                    std::string_view scope_version) const {
  const std::string t0 = nanos(start_), t1 = nanos(end());
  auto attributes = [&](const std::vector<std::string>& key) {
    json a = json::array();
    if (key.size() == 1 && key[0] == overflow_key) {
      a.push_back({{"key", "veil.overflow"}, {"value", {{"boolValue", true}}}});
      return a;
    }
    for (std::size_t d = 0; d < spec_->dimensions.size(); ++d)
      a.push_back(kv_string(spec_->dimensions[d], key[d]));
    return a;
  };
  json metrics = json::array();
  for (std::size_t i = 0; i < spec_->measures.size(); ++i) {
    const auto& m = spec_->measures[i];
    json points = json::array();
    for (const auto& [k, c] : cells_) {
      const auto& st = c.measures[i];
      if (st.count == 0) continue;
      json p = {{"attributes", attributes(k)}, {"startTimeUnixNano", t0}, {"timeUnixNano", t1}};
      if (m.k == measure_spec::kind::count) {
        p["asInt"] = std::to_string(st.count);
      } else {
        json counts = json::array();
        for (auto b : st.buckets) counts.push_back(std::to_string(b));
        p["count"] = std::to_string(st.count);
        p["sum"] = st.sum;
        p["bucketCounts"] = counts;
        p["explicitBounds"] = m.bounds;
        p["min"] = st.min;
        p["max"] = st.max;
      }
      points.push_back(std::move(p));
    }
    if (points.empty()) continue;
    json metric = {
        {"name", spec_->type + "." + (m.k == measure_spec::kind::count ? "count" : m.field)},
        {"unit", m.unit}};
    // AGGREGATION_TEMPORALITY_DELTA = 1: each window counts only its own events.
    if (m.k == measure_spec::kind::count)
      metric["sum"] = {
          {"aggregationTemporality", 1}, {"isMonotonic", true}, {"dataPoints", points}};
    else metric["histogram"] = {{"aggregationTemporality", 1}, {"dataPoints", points}};
    metrics.push_back(std::move(metric));
  }
  json res = json::array();
  for (const auto& [k, v] : resource) res.push_back(kv_string(k, v));
  json doc = {
      {"resourceMetrics",
       json::array(
           {{{"resource", {{"attributes", res}}},
             {"scopeMetrics",
              json::array({{{"scope", {{"name", "veil"}, {"version", std::string(scope_version)}}},
                            {"metrics", metrics}}})}}})}};
  return doc.dump();
}

}  // namespace veil::detail::aggregate
