#include "agent/aggregate/aggregator.hpp"

#include <algorithm>
#include <cmath>
#include <set>
#include <sstream>

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

std::uint64_t ldp_spec::events_per_day() const noexcept {
  const double e = epsilon_event();
  if (!(e > 0) || !(epsilon_per_day > 0)) return 0;
  return static_cast<std::uint64_t>(std::floor(epsilon_per_day / e + 1e-9));
}

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
  if (s.ldp.enabled() || !s.ldp.domains.empty() || !s.ldp.histograms.empty()) {
    const auto& l = s.ldp;
    if (!(l.epsilon > 0) || !(l.epsilon <= ldp::max_epsilon))
      return bad("ldp.epsilon must be in (0, 20]");
    if (l.domains.empty() && l.histograms.empty())
      return bad("ldp needs dimensions or histograms to randomise");
    if (l.events_per_day() < 1)
      return bad("ldp.epsilon_per_day must cover at least one event (epsilon x randomised values)");
    for (const auto& [d, dom] : l.domains) {
      if (std::find(s.dimensions.begin(), s.dimensions.end(), d) == s.dimensions.end())
        return bad("ldp domain for '" + d + "', which is not a dimension");
      std::set<std::string> seen(dom.begin(), dom.end());
      seen.insert("other");
      if (seen.size() < 2 || seen.size() > ldp::max_k)
        return bad("ldp domain of '" + d + "' must have 2..65536 values");
      if (seen.size() != dom.size() + (std::find(dom.begin(), dom.end(), "other") == dom.end()))
        return bad("ldp domain of '" + d + "' repeats a value");
    }
    for (const auto& h : l.histograms) {
      auto it = std::find_if(s.measures.begin(), s.measures.end(),
                             [&](const measure_spec& m) { return m.field == h; });
      if (it == s.measures.end() || it->k != measure_spec::kind::histogram)
        return bad("ldp histogram '" + h + "' is not a histogram measure");
    }
  }
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

window_state::window_state(const spec& s, sys_time start) : spec_(&s), start_(start) {
  for (const auto& d : s.dimensions) {
    auto it = s.ldp.domains.find(d);
    dim_domain_.push_back(s.ldp.enabled() && it != s.ldp.domains.end() ? &it->second : nullptr);
  }
  for (const auto& m : s.measures)
    hist_random_.push_back(s.ldp.enabled() && m.k == measure_spec::kind::histogram &&
                           std::find(s.ldp.histograms.begin(), s.ldp.histograms.end(), m.field) !=
                               s.ldp.histograms.end());
}

ldp::params window_state::dim_params_for(std::size_t k) const {
  auto p = ldp::make_params(ldp::mechanism::krr, static_cast<std::uint32_t>(k), spec_->ldp.epsilon);
  return p ? *p : ldp::params{};
}

namespace {
// A domain as reported: its values, then "other" unless listed.
std::size_t domain_size(const std::vector<std::string>& d) {
  return d.size() + (std::find(d.begin(), d.end(), "other") == d.end());
}
const std::string& domain_value(const std::vector<std::string>& d, std::size_t i) {
  static const std::string other = "other";
  return i < d.size() ? d[i] : other;
}
std::size_t domain_index(const std::vector<std::string>& d, std::string_view v) {
  auto it = std::find(d.begin(), d.end(), v);
  if (it != d.end()) return static_cast<std::size_t>(it - d.begin());
  auto o = std::find(d.begin(), d.end(), "other");
  return o != d.end() ? static_cast<std::size_t>(o - d.begin()) : d.size();
}
}  // namespace

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
    c.measures[i].randomized = hist_random_[i];
  for (std::size_t i = 0; i < spec_->measures.size(); ++i)
    if (spec_->measures[i].k == measure_spec::kind::histogram)
      c.measures[i].buckets.assign(spec_->measures[i].bounds.size() + 1, 0);
    else if (spec_->measures[i].k == measure_spec::kind::sum) c.measures[i].buckets.assign(1, 0);
  return cells_.emplace(std::move(key), std::move(c)).first->second;
}

void window_state::add(const json& ev, random_source* rnd) {
  random_source& r = rnd ? *rnd : os_random();
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
  // LDP: every randomised dimension reports a value of its domain by kRR, not the true one.
  for (std::size_t d = 0; d < key.size(); ++d)
    if (const auto* dom = dim_domain_[d]) {
      const std::size_t k = domain_size(*dom);
      const auto v = static_cast<std::uint32_t>(domain_index(*dom, key[d]));
      key[d] = domain_value(*dom, ldp::krr_perturb(dim_params_for(k), v, r));
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
    if (st.randomized) {  // the bucket by kRR over the buckets; no sum, min or max
      const auto k = static_cast<std::uint32_t>(m.bounds.size() + 1);
      const auto b = static_cast<std::uint32_t>(
          std::lower_bound(m.bounds.begin(), m.bounds.end(), v) - m.bounds.begin());
      ++st.count;
      ++st.buckets[ldp::krr_perturb(dim_params_for(k), b, r)];
      continue;
    }
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
        m.randomized = w.hist_random_[i];
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
  // What randomised a point, for the analyst's estimator: ε and each randomised value's domain
  // size (the same on every device of the policy, so it says nothing about this one).
  auto ldp_attrs = [&](json& a, bool bucket, std::size_t buckets) {
    if (!spec_->ldp.enabled()) return;
    bool any = bucket;
    for (std::size_t d = 0; d < dim_domain_.size(); ++d)
      if (dim_domain_[d]) {
        any = true;
        a.push_back(kv_string("veil.ldp." + spec_->dimensions[d],
                              "krr:" + std::to_string(domain_size(*dim_domain_[d]))));
      }
    if (bucket) a.push_back(kv_string("veil.ldp.bucket", "krr:" + std::to_string(buckets)));
    if (any) {
      std::ostringstream e;
      e << spec_->ldp.epsilon;
      a.push_back(kv_string("veil.ldp.epsilon", e.str()));
    }
  };
  json metrics = json::array();
  for (std::size_t i = 0; i < spec_->measures.size(); ++i) {
    const auto& m = spec_->measures[i];
    json points = json::array();
    for (const auto& [k, c] : cells_) {
      const auto& st = c.measures[i];
      if (st.count == 0) continue;
      json attrs = attributes(k);
      const bool overflow = k.size() == 1 && k[0] == overflow_key;
      if (!overflow) ldp_attrs(attrs, st.randomized, st.buckets.size());
      json p = {{"attributes", attrs}, {"startTimeUnixNano", t0}, {"timeUnixNano", t1}};
      if (m.k == measure_spec::kind::count) {
        p["asInt"] = std::to_string(st.count);
      } else {
        json counts = json::array();
        for (auto b : st.buckets) counts.push_back(std::to_string(b));
        p["count"] = std::to_string(st.count);
        p["bucketCounts"] = counts;
        p["explicitBounds"] = m.bounds;
        if (!st.randomized) {  // sum, min and max are optional in OTLP; randomised: omitted
          p["sum"] = st.sum;
          p["min"] = st.min;
          p["max"] = st.max;
        }
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
