#include "tools/collector/metrics_decoder.hpp"

#include <simdjson.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>
#include <memory>
#include <utility>

#include <nlohmann/json.hpp>

#include "agent/core/json_writer.hpp"
#include "agent/core/simdjson_util.hpp"
#include "tools/collector/device_proof.hpp"
#include "tools/collector/leak_guard.hpp"
#include "tools/collector/record_guard.hpp"

namespace veil::collector {
namespace {

namespace sj = veil::detail::sj;
using simdjson::dom::element;
using simdjson::dom::element_type;
using veil::errc;

// What parsing the text will cost, read in one pass before the parser allocates: the same idea
// as the logs decoder's pre-scan (agent/wire/otlp_decoder.cpp), plus the elements of every
// single array, so that one huge bucketCounts or dataPoints array is refused before anything
// is built for it. On invalid JSON the counts are still upper bounds of what a parse touches.
struct json_shape {
  std::size_t values = 0, structurals = 0, string_bytes = 0;
  std::size_t longest_string = 0, longest_key = 0, longest_number = 0, longest_array = 0;
  bool too_deep = false;
};

json_shape prescan(std::string_view s, std::size_t max_depth) {
  json_shape sh;
  // Per open bracket: is it an array, and its elements so far. At most max_depth + 1 entries.
  std::vector<std::pair<bool, std::size_t>> open;
  open.reserve(max_depth + 2);
  auto element_starts = [&] {
    if (!open.empty() && open.back().first) {
      const std::size_t n = ++open.back().second;
      sh.longest_array = std::max(sh.longest_array, n);
    }
  };
  const std::size_t n = s.size();
  for (std::size_t i = 0; i < n; ++i) {
    const char c = s[i];
    switch (c) {
      case ' ':
      case '\t':
      case '\n':
      case '\r': continue;
      case '{':
      case '[':
        element_starts();
        ++sh.values, ++sh.structurals;
        if (open.size() >= max_depth) {
          sh.too_deep = true;
          return sh;
        }
        open.emplace_back(c == '[', 0);
        continue;
      case '}':
      case ']':
        ++sh.structurals;
        if (!open.empty()) open.pop_back();
        continue;
      case ',':
      case ':': ++sh.structurals; continue;
      case '"': {
        std::size_t j = i + 1;
        for (; j < n; ++j) {
          if (s[j] == '\\') ++j;
          else if (s[j] == '"') break;
        }
        const std::size_t len = (j < n ? j : n) - i - 1;
        sh.string_bytes += len;
        ++sh.values, ++sh.structurals;
        std::size_t k = j + 1;
        while (k < n && (s[k] == ' ' || s[k] == '\t' || s[k] == '\n' || s[k] == '\r')) ++k;
        if (k < n && s[k] == ':' && !(open.empty() || open.back().first)) {
          sh.longest_key = std::max(sh.longest_key, len);
        } else {
          element_starts();
          sh.longest_string = std::max(sh.longest_string, len);
        }
        i = j;
        continue;
      }
      default: {
        std::size_t j = i;
        while (j < n) {
          const char d = s[j];
          if (d == ',' || d == ']' || d == '}' || d == ':' || d == ' ' || d == '\n' || d == '\r' ||
              d == '\t' || d == '"' || d == '{' || d == '[')
            break;
          ++j;
        }
        element_starts();
        ++sh.values, ++sh.structurals;
        if (c == '-' || (c >= '0' && c <= '9'))
          sh.longest_number = std::max(sh.longest_number, j - i);
        i = j - 1;
        continue;
      }
    }
  }
  return sh;
}

// Bytes the parse touches (simdjson's padded input, structural index, tape and strings), then
// the points (their attributes' text at most the input again; a fixed part, the metric's name
// and unit each; the resource is shared, not copied). Generous on
// purpose: it is what the budget admits.
std::size_t parse_cost(std::size_t size, const json_shape& sh, std::size_t max_points) {
  const std::size_t padded = size + 64;
  return padded + 4 * (sh.structurals + 1) + 16 * (sh.values + 2) + sh.string_bytes + 2 * padded +
         320 * std::min(sh.values, max_points) + 64 * 1024;
}

// Where a value sits, for error messages: built into a string only when an error is reported.
struct path_node {
  const path_node* parent = nullptr;
  std::string_view name;
  long index = -1;
  std::string str() const {
    std::string s = parent ? parent->str() : std::string();
    s += name;
    if (index >= 0) s += "[" + std::to_string(index) + "]";
    return s;
  }
};

veil::error bad(const path_node& p, const std::string& what) {
  return veil::make_error(errc::parse_error, p.str() + ": " + what);
}
veil::error over(const path_node& p, const std::string& what) {
  return veil::make_error(errc::limit_exceeded, p.str() + ": " + what);
}

// The last value of a field, as nlohmann's parser would keep it.
bool field(simdjson::dom::object o, std::string_view key, element& out) {
  bool found = false;
  for (auto kv : o)
    if (kv.key == key) {
      out = kv.value;
      found = true;
    }
  return found;
}

bool full_parse(std::string_view s, auto& out) {
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return !s.empty() && ec == std::errc{} && p == s.data() + s.size();
}

// A fixed64 (count, bucket count, time): a non-negative integer, as a decimal string or a
// JSON number, at most 2^63 - 1 (what every sink stores exactly; times reach it in 2262).
std::optional<std::uint64_t> as_u64(element v) {
  switch (v.type()) {
    case element_type::INT64: {
      const auto i = sj::i64(v);
      if (i < 0) return std::nullopt;
      return static_cast<std::uint64_t>(i);
    }
    case element_type::STRING: {
      std::int64_t out = 0;
      if (!full_parse(sj::str(v), out) || out < 0) return std::nullopt;
      return static_cast<std::uint64_t>(out);
    }
    default: return std::nullopt;  // UINT64 holds only values above 2^63 - 1
  }
}

std::optional<std::int64_t> as_i64(element v) {
  switch (v.type()) {
    case element_type::INT64: return sj::i64(v);
    case element_type::STRING: {
      std::int64_t out = 0;
      if (!full_parse(sj::str(v), out)) return std::nullopt;
      return out;
    }
    default: return std::nullopt;
  }
}

// A double: a JSON number or a numeric string (the proto3 JSON mapping allows both). Not
// finite (including "NaN", "Infinity" and numbers beyond a double) is nullopt.
std::optional<double> as_double(element v) {
  double d = 0;
  switch (v.type()) {
    case element_type::INT64:
    case element_type::UINT64:
    case element_type::DOUBLE: d = sj::dbl(v); break;
    case element_type::STRING: {
      const std::string_view s = sj::str(v);
      if (!full_parse(s, d)) return std::nullopt;
      break;
    }
    default: return std::nullopt;
  }
  if (!std::isfinite(d)) return std::nullopt;
  return d;
}

bool is_number_or_string(element v) {
  const auto t = v.type();
  return t == element_type::INT64 || t == element_type::UINT64 || t == element_type::DOUBLE ||
         t == element_type::STRING;
}

// OTel instrument names: a letter, then letters, digits, '_', '.', '-', '/'.
bool valid_metric_name(std::string_view n, std::size_t max) {
  if (n.empty() || n.size() > max) return false;
  if (!((n[0] >= 'a' && n[0] <= 'z') || (n[0] >= 'A' && n[0] <= 'Z'))) return false;
  for (char c : n)
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
          c == '.' || c == '-' || c == '/'))
      return false;
  return true;
}

bool printable_ascii(std::string_view s) {
  for (unsigned char c : s)
    if (c < 0x20 || c > 0x7e) return false;
  return true;
}

// Keys that name a device or a person's pseudonym: never in the anonymous lane.
bool identifier_key(std::string_view k, bool on_point) {
  if (k == "veil.install" || k == "veil.erasure_key") return true;
  if (!on_point) return false;
  for (const auto& f : pseudonym_fields())
    if (k == f) return true;
  return false;
}

bool token_shaped(std::string_view v) {
  return looks_like_pseudonym(v) || looks_like_erasure_key(v);
}

std::int64_t floor_minute(std::uint64_t ns) {
  const auto s = static_cast<std::int64_t>(ns / 1'000'000'000ull);
  return s - s % 60;
}
std::int64_t ceil_minute(std::uint64_t ns) {
  const auto s = static_cast<std::int64_t>((ns + 999'999'999ull) / 1'000'000'000ull);
  return s % 60 == 0 ? s : s - s % 60 + 60;
}

struct attr {
  std::string_view key;
  std::size_t index;
  std::string value;  // canonical JSON text
  bool is_string = false;
  std::string_view str;
};

class walker {
 public:
  walker(const metrics_limits& lim, metrics_batch& out) : lim_(lim), out_(out) {}

  // Reads a KeyValue list into canonical JSON object text. `resource`: the allowlist applies
  // (dropped keys are counted) and identifier checks are the resource's.
  veil::result<void> attributes(element list, const path_node& path, bool resource,
                                std::string& json) {
    if (list.type() != element_type::ARRAY) return bad(path, "not an array");
    const auto arr = sj::arr(list);
    const std::size_t cap = resource ? lim_.max_resource_attributes : lim_.max_attributes;
    if (arr.size() > cap)
      return over(path,
                  std::to_string(arr.size()) + " attributes, more than " + std::to_string(cap));
    attrs_.clear();
    long i = 0;
    for (element e : arr) {
      const path_node p{&path, {}, i++};
      if (e.type() != element_type::OBJECT) return bad(p, "not an object");
      element k, v;
      const auto o = sj::obj(e);
      if (!field(o, "key", k) || k.type() != element_type::STRING)
        return bad(p, "missing string key");
      const std::string_view key = sj::str(k);
      if (key.empty() || key.size() > lim_.max_attribute_key)
        return bad(p, "key of " + std::to_string(key.size()) + " bytes (want 1.." +
                          std::to_string(lim_.max_attribute_key) + ")");
      if (identifier_key(key, !resource)) {
        not_anonymous(p, std::string(key) + " identifies an install");
        return {};
      }
      attr a{key, static_cast<std::size_t>(i), {}, false, {}};
      if (field(o, "value", v)) {
        if (auto r = any(v, path_node{&p, ".value"}, a); !r) return r;
      } else {
        a.value = "null";
      }
      if (resource && !metric_resource_allowed(key)) {
        ++out_.resource_attributes_dropped;
        continue;
      }
      if (a.is_string && token_shaped(a.str)) {
        not_anonymous(p, "a value of an install token's or erasure key's shape");
        return {};
      }
      attrs_.push_back(std::move(a));
    }
    // Canonical: keys sorted bytewise, the last of equal keys wins.
    std::stable_sort(attrs_.begin(), attrs_.end(),
                     [](const attr& x, const attr& y) { return x.key < y.key; });
    json = "{";
    for (std::size_t j = 0; j < attrs_.size(); ++j) {
      if (j + 1 < attrs_.size() && attrs_[j + 1].key == attrs_[j].key) continue;
      if (json.size() > 1) json += ',';
      veil::detail::json_escape_to(json, attrs_[j].key);
      json += ':';
      json += attrs_[j].value;
    }
    json += '}';
    return {};
  }

  bool refused() const { return !out_.not_anonymous.empty(); }

 private:
  void not_anonymous(const path_node& p, const std::string& why) {
    out_.not_anonymous = p.str() + ": " + why;
  }

  veil::result<void> any(element v, const path_node& path, attr& a) {
    if (v.type() == element_type::NULL_VALUE) {
      a.value = "null";
      return {};
    }
    if (v.type() != element_type::OBJECT) return bad(path, "AnyValue is not an object");
    std::string_view key;
    element val;
    std::size_t n = 0;
    for (auto kv : sj::obj(v)) {
      if (n++ == 0) key = kv.key;
      else if (kv.key != key) return bad(path, "AnyValue must have exactly one field");
      val = kv.value;
    }
    if (n == 0) {
      a.value = "null";
      return {};
    }
    if (key == "stringValue") {
      if (val.type() != element_type::STRING) return bad(path, "stringValue is not a string");
      const std::string_view s = sj::str(val);
      if (s.size() > lim_.max_attribute_value)
        return bad(path, "stringValue of " + std::to_string(s.size()) + " bytes, more than " +
                             std::to_string(lim_.max_attribute_value));
      veil::detail::json_escape_to(a.value, s);
      a.is_string = true;
      a.str = s;
      return {};
    }
    if (key == "boolValue") {
      if (val.type() != element_type::BOOL) return bad(path, "boolValue is not a boolean");
      a.value = sj::boolean(val) ? "true" : "false";
      return {};
    }
    if (key == "intValue") {
      auto i = as_i64(val);
      if (!i) return bad(path, "intValue is not a 64-bit integer");
      veil::detail::json_number_to(a.value, *i);
      return {};
    }
    if (key == "doubleValue") {
      auto d = as_double(val);
      if (!d) return bad(path, "doubleValue is not a finite number");
      veil::detail::json_number_to(a.value, *d);
      return {};
    }
    return bad(path, std::string(key) +
                         " is not supported in metrics (attribute values are strings, booleans "
                         "or numbers)");
  }

  const metrics_limits& lim_;
  metrics_batch& out_;
  std::vector<attr> attrs_;
};

struct metric_ctx {
  std::string_view name, unit;
  metric_kind kind;
  std::uint8_t temporality = 0;
  bool monotonic = false;
  std::shared_ptr<const std::string> resource;
};

class point_reader {
 public:
  point_reader(const metrics_limits& lim, metrics_batch& out, walker& w)
      : lim_(lim), out_(out), w_(w) {}

  veil::result<void> points(element data, const path_node& path, const metric_ctx& m) {
    element dps;
    if (data.type() != element_type::OBJECT) return bad(path, "not an object");
    const auto o = sj::obj(data);
    if (!field(o, "dataPoints", dps)) return {};
    const path_node dpath{&path, ".dataPoints"};
    if (dps.type() != element_type::ARRAY) return bad(dpath, "not an array");
    const auto arr = sj::arr(dps);
    if (arr.size() > lim_.max_points_per_metric)
      return over(dpath, std::to_string(arr.size()) + " points, more than " +
                             std::to_string(lim_.max_points_per_metric));
    long i = 0;
    for (element e : arr) {
      const path_node p{&path, ".dataPoints", i++};
      if (out_.points.size() >= lim_.max_points)
        return over(p, "more than " + std::to_string(lim_.max_points) + " points in the request");
      if (auto r = point(e, p, m); !r) return r;
      if (w_.refused()) return {};
    }
    return {};
  }

 private:
  veil::result<void> point(element e, const path_node& p, const metric_ctx& m) {
    if (e.type() != element_type::OBJECT) return bad(p, "not an object");
    const auto o = sj::obj(e);
    metric_point pt;
    pt.name = m.name;
    pt.unit = m.unit;
    pt.kind = m.kind;
    pt.temporality = m.temporality;
    pt.monotonic = m.monotonic;
    pt.resource = m.resource;
    element v;
    if (field(o, "flags", v)) {
      auto f = as_u64(v);
      if (!f || *f > std::numeric_limits<std::uint32_t>::max())
        return bad(path_node{&p, ".flags"}, "not a 32-bit unsigned integer");
      if (*f & 1) {  // DATA_POINT_FLAGS_NO_RECORDED_VALUE: the point holds no value
        ++out_.points_without_value;
        return {};
      }
    }
    if (field(o, "attributes", v)) {
      if (auto r = w_.attributes(v, path_node{&p, ".attributes"}, false, pt.attrs); !r) return r;
      if (w_.refused()) return {};
    }
    // The window: timeUnixNano required, startTimeUnixNano optional (then an instant).
    std::uint64_t end_ns = 0, start_ns = 0;
    if (!field(o, "timeUnixNano", v)) return bad(p, "missing timeUnixNano");
    if (auto t = as_u64(v); !t || *t == 0)
      return bad(path_node{&p, ".timeUnixNano"}, "not a positive 64-bit integer");
    else end_ns = *t;
    start_ns = end_ns;
    if (field(o, "startTimeUnixNano", v)) {
      auto t = as_u64(v);
      if (!t) return bad(path_node{&p, ".startTimeUnixNano"}, "not a 64-bit unsigned integer");
      if (*t != 0) start_ns = *t;
    }
    if (start_ns > end_ns) return bad(p, "startTimeUnixNano is after timeUnixNano");
    if (m.temporality == 1 && m.kind != metric_kind::gauge &&
        end_ns - start_ns <
            static_cast<std::uint64_t>(lim_.min_delta_window.count()) * 1'000'000'000ull)
      return bad(p, "a delta window of " + std::to_string((end_ns - start_ns) / 1'000'000'000ull) +
                        " s, shorter than " + std::to_string(lim_.min_delta_window.count()) + " s");
    pt.window_start_s = floor_minute(start_ns);
    pt.window_end_s = std::max(ceil_minute(end_ns), pt.window_start_s + 60);
    if (m.kind == metric_kind::histogram) {
      if (auto r = histogram(o, p, pt); !r) return r;
    } else {
      element iv, dv;
      const bool has_int = field(o, "asInt", iv), has_double = field(o, "asDouble", dv);
      if (has_int == has_double) return bad(p, "want exactly one of asInt and asDouble");
      double value = 0;
      if (has_int) {
        auto i = as_i64(iv);
        if (!i) return bad(path_node{&p, ".asInt"}, "not a 64-bit integer");
        value = static_cast<double>(*i);
      } else {
        auto d = as_double(dv);
        if (!d) return bad(path_node{&p, ".asDouble"}, "not a finite number");
        value = *d;
      }
      if (m.monotonic && value < 0) return bad(p, "a monotonic sum with a negative value");
      pt.sum = pt.min = pt.max = value;
    }
    out_.points.push_back(std::move(pt));
    return {};
  }

  veil::result<void> histogram(simdjson::dom::object o, const path_node& p, metric_point& pt) {
    element v;
    if (!field(o, "count", v)) return bad(p, "missing count");
    auto count = as_u64(v);
    if (!count) return bad(path_node{&p, ".count"}, "not a non-negative 64-bit integer");
    pt.count = *count;
    if (field(o, "bucketCounts", v)) {
      const path_node bp{&p, ".bucketCounts"};
      if (v.type() != element_type::ARRAY) return bad(bp, "not an array");
      const auto arr = sj::arr(v);
      if (arr.size() > lim_.max_buckets)
        return over(bp, std::to_string(arr.size()) + " entries, more than " +
                            std::to_string(lim_.max_buckets));
      pt.bucket_counts.reserve(arr.size());
      long i = 0;
      for (element b : arr) {
        auto n = as_u64(b);
        if (!n) return bad(path_node{&p, ".bucketCounts", i}, "not a non-negative 64-bit integer");
        pt.bucket_counts.push_back(*n);
        ++i;
      }
    }
    if (field(o, "explicitBounds", v)) {
      const path_node bp{&p, ".explicitBounds"};
      if (v.type() != element_type::ARRAY) return bad(bp, "not an array");
      const auto arr = sj::arr(v);
      if (arr.size() > lim_.max_buckets)
        return over(bp, std::to_string(arr.size()) + " entries, more than " +
                            std::to_string(lim_.max_buckets));
      pt.bounds.reserve(arr.size());
      long i = 0;
      for (element b : arr) {
        const path_node ep{&p, ".explicitBounds", i++};
        if (!is_number_or_string(b)) return bad(ep, "not a number");
        auto d = as_double(b);
        if (!d) return bad(ep, "not a finite number");
        if (!pt.bounds.empty() && !(*d > pt.bounds.back()))
          return bad(ep, "not greater than the bound before it (bounds must increase strictly)");
        pt.bounds.push_back(*d);
      }
    }
    const std::size_t nb = pt.bucket_counts.size(), nx = pt.bounds.size();
    if (nb == 0 ? nx != 0 : nb != nx + 1)
      return bad(path_node{&p, ".bucketCounts"},
                 std::to_string(nb) + " entries, explicitBounds has " + std::to_string(nx) +
                     " (want " + std::to_string(nx + 1) + ")");
    if (nb > 0) {
      std::uint64_t total = 0;
      for (auto b : pt.bucket_counts)
        if (__builtin_add_overflow(total, b, &total))
          return bad(path_node{&p, ".bucketCounts"}, "the counts overflow 64 bits");
      if (total > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))
        return bad(path_node{&p, ".bucketCounts"}, "the counts add up to more than 2^63 - 1");
      if (total != pt.count)
        return bad(path_node{&p, ".bucketCounts"}, "entries add up to " + std::to_string(total) +
                                                       ", count is " + std::to_string(pt.count));
    }
    struct optional_double {
      std::string_view key, path;
      std::optional<double> metric_point::*member;
    };
    for (const optional_double& f : {optional_double{"sum", ".sum", &metric_point::sum},
                                     optional_double{"min", ".min", &metric_point::min},
                                     optional_double{"max", ".max", &metric_point::max}}) {
      if (!field(o, f.key, v)) continue;
      const path_node fp{&p, f.path};
      if (!is_number_or_string(v)) return bad(fp, "not a number");
      auto d = as_double(v);
      if (!d) return bad(fp, "not a finite number");
      pt.*f.member = *d;
    }
    if (pt.min && pt.max && *pt.min > *pt.max) return bad(p, "min is greater than max");
    if (pt.count == 0 && (pt.min || pt.max)) {
      pt.min.reset();  // no observation: min and max mean nothing
      pt.max.reset();
    }
    return {};
  }

  const metrics_limits& lim_;
  metrics_batch& out_;
  walker& w_;
};

struct scratch {
  simdjson::dom::parser parser;
};

}  // namespace

bool metric_resource_allowed(std::string_view key) noexcept {
  return key == "service.name" || key == "service.version" || key == "os.name" ||
         key == "os.version" || key == "os.type" || key.starts_with("telemetry.sdk.");
}

veil::result<void> metrics_limits::validate() const {
  const std::size_t caps = std::max({max_metrics, max_points_per_metric, max_attributes,
                                     max_resource_attributes, max_buckets + 1});
  if (max_bytes == 0 || max_depth < 13 || max_values == 0 || max_string == 0 || max_key < 32 ||
      max_number < 24 || max_metrics == 0 || max_points_per_metric == 0 || max_points == 0 ||
      max_attributes == 0 || max_buckets == 0 || max_name == 0 || max_attribute_key == 0 ||
      max_attribute_value == 0 || max_array < caps)
    return veil::make_error(errc::invalid_argument,
                            "metrics_limits: every cap > 0, max_depth >= 13, max_key >= 32, "
                            "max_number >= 24, max_array >= every count cap");
  return {};
}

veil::result<metrics_batch> metrics_decoder::decode(
    std::string_view body, const veil::detail::memory_admit* admit_fn) const noexcept try {
  const path_node root_path{nullptr, "request"};
  if (body.size() > limits_.max_bytes)
    return over(root_path, std::to_string(body.size()) + " bytes, more than " +
                               std::to_string(limits_.max_bytes));
  std::string_view text = body;
  if (text.size() >= 3 && text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  const json_shape sh = prescan(text, limits_.max_depth);
  auto limit = [&](const char* what, std::size_t got, std::size_t lim) {
    return over(root_path,
                std::string(what) + " " + std::to_string(got) + " > limit " + std::to_string(lim));
  };
  if (sh.too_deep)
    return over(root_path, "nesting deeper than " + std::to_string(limits_.max_depth));
  if (sh.longest_array > limits_.max_array)
    return over(root_path, "an array of " + std::to_string(sh.longest_array) +
                               " elements > limit " + std::to_string(limits_.max_array));
  if (sh.values > limits_.max_values) return limit("JSON values", sh.values, limits_.max_values);
  if (sh.longest_string > limits_.max_string)
    return limit("string bytes", sh.longest_string, limits_.max_string);
  if (sh.longest_key > limits_.max_key) return limit("key bytes", sh.longest_key, limits_.max_key);
  if (sh.longest_number > limits_.max_number)
    return limit("number characters", sh.longest_number, limits_.max_number);
  if (auto e = veil::detail::admit(admit_fn, parse_cost(text.size(), sh, limits_.max_points));
      e != errc::ok)
    return veil::make_error(e, e == errc::unavailable
                                   ? "request: memory budget busy, retry later"
                                   : "request: parsing it would not fit the memory budget");

  thread_local scratch tls;
  std::unique_ptr<scratch> big;  // a large request's parser is freed when it is done
  scratch& s = text.size() > (1u << 20) ? *(big = std::make_unique<scratch>()) : tls;
  if (s.parser.max_depth() != limits_.max_depth + 1 || s.parser.capacity() < text.size()) {
    if (s.parser.allocate(std::max(text.size(), s.parser.capacity()), limits_.max_depth + 1) !=
        simdjson::SUCCESS)
      return veil::make_error(errc::internal, "request: cannot allocate the parser");
  }
  element root;
  if (s.parser.parse(text.data(), text.size()).get(root) != simdjson::SUCCESS)
    return bad(root_path, "not valid JSON");
  if (root.type() != element_type::OBJECT) return bad(root_path, "not a JSON object");

  metrics_batch out;
  walker w(limits_, out);
  point_reader pr(limits_, out, w);
  element rms;
  if (!field(sj::obj(root), "resourceMetrics", rms)) return out;  // an empty request is valid
  const path_node rms_path{nullptr, "resourceMetrics"};
  if (rms.type() != element_type::ARRAY) return bad(rms_path, "not an array");
  std::size_t metrics = 0;
  long ri = 0;
  for (element rm : sj::arr(rms)) {
    const path_node rpath{nullptr, "resourceMetrics", ri++};
    if (rm.type() != element_type::OBJECT) return bad(rpath, "not an object");
    const auto rmo = sj::obj(rm);
    std::string resource = "{}";
    element res, a;
    if (field(rmo, "resource", res)) {
      const path_node rp{&rpath, ".resource"};
      if (res.type() != element_type::OBJECT) return bad(rp, "not an object");
      if (field(sj::obj(res), "attributes", a)) {
        if (auto r = w.attributes(a, path_node{&rp, ".attributes"}, true, resource); !r)
          return std::move(r).err();
        if (w.refused()) break;
      }
    }
    const auto shared_resource = std::make_shared<const std::string>(std::move(resource));
    element sms;
    if (!field(rmo, "scopeMetrics", sms)) continue;
    const path_node smspath{&rpath, ".scopeMetrics"};
    if (sms.type() != element_type::ARRAY) return bad(smspath, "not an array");
    long si = 0;
    for (element sm : sj::arr(sms)) {
      const path_node spath{&rpath, ".scopeMetrics", si++};
      if (sm.type() != element_type::OBJECT) return bad(spath, "not an object");
      element ms;
      if (!field(sj::obj(sm), "metrics", ms)) continue;
      if (ms.type() != element_type::ARRAY)
        return bad(path_node{&spath, ".metrics"}, "not an array");
      long mi = 0;
      for (element me : sj::arr(ms)) {
        const path_node mpath{&spath, ".metrics", mi++};
        if (++metrics > limits_.max_metrics)
          return over(mpath, "more than " + std::to_string(limits_.max_metrics) +
                                 " metrics in the request");
        if (me.type() != element_type::OBJECT) return bad(mpath, "not an object");
        const auto mo = sj::obj(me);
        metric_ctx m;
        m.resource = shared_resource;
        element v;
        if (!field(mo, "name", v) || v.type() != element_type::STRING)
          return bad(mpath, "missing string name");
        m.name = sj::str(v);
        if (!valid_metric_name(m.name, limits_.max_name))
          return bad(path_node{&mpath, ".name"}, "not an instrument name (a letter, then up to " +
                                                     std::to_string(limits_.max_name - 1) +
                                                     " of [A-Za-z0-9_./-])");
        if (field(mo, "unit", v)) {
          if (v.type() != element_type::STRING)
            return bad(path_node{&mpath, ".unit"}, "not a string");
          m.unit = sj::str(v);
          if (m.unit.size() > limits_.max_unit || !printable_ascii(m.unit))
            return bad(path_node{&mpath, ".unit"}, "not printable ASCII of at most " +
                                                       std::to_string(limits_.max_unit) + " bytes");
        }
        element data;
        std::string_view which;
        std::size_t kinds = 0;
        for (std::string_view k : {"sum", "gauge", "histogram", "exponentialHistogram", "summary"})
          if (field(mo, k, v)) which = k, data = v, ++kinds;
        if (kinds != 1) return bad(mpath, "want exactly one of sum, gauge, histogram");
        const path_node kpath{&mpath, which == "sum"         ? ".sum"
                                      : which == "gauge"     ? ".gauge"
                                      : which == "histogram" ? ".histogram"
                                      : which == "summary"   ? ".summary"
                                                             : ".exponentialHistogram"};
        if (which == "exponentialHistogram" || which == "summary")
          return bad(kpath, std::string(which) +
                                " is not supported (send sum, gauge or explicit-bucket "
                                "histogram metrics)");
        if (data.type() != element_type::OBJECT) return bad(kpath, "not an object");
        m.kind = which == "sum"     ? metric_kind::sum
                 : which == "gauge" ? metric_kind::gauge
                                    : metric_kind::histogram;
        if (m.kind != metric_kind::gauge) {
          element t;
          const path_node tpath{&kpath, ".aggregationTemporality"};
          if (!field(sj::obj(data), "aggregationTemporality", t)) return bad(tpath, "missing");
          if (t.type() == element_type::STRING) {
            const auto n = sj::str(t);
            m.temporality = n == "AGGREGATION_TEMPORALITY_DELTA"        ? 1
                            : n == "AGGREGATION_TEMPORALITY_CUMULATIVE" ? 2
                                                                        : 0;
          } else if (auto i = as_i64(t); i && (*i == 1 || *i == 2)) {
            m.temporality = static_cast<std::uint8_t>(*i);
          }
          if (m.temporality == 0) return bad(tpath, "want 1 (delta) or 2 (cumulative)");
        }
        if (m.kind == metric_kind::sum && field(sj::obj(data), "isMonotonic", v)) {
          if (v.type() != element_type::BOOL)
            return bad(path_node{&kpath, ".isMonotonic"}, "not a boolean");
          m.monotonic = sj::boolean(v);
        }
        if (auto r = pr.points(data, kpath, m); !r) return std::move(r).err();
        if (w.refused()) break;
      }
      if (w.refused()) break;
    }
    if (w.refused()) break;
  }
  if (w.refused()) out.points.clear();
  return out;
} catch (const std::exception& e) {
  return veil::make_error(errc::internal, std::string("metrics decode: ") + e.what());
}

veil::result<metrics_request_decoder> make_metrics_decoder(metrics_limits limits,
                                                           std::string_view zstd_dictionary) {
  if (auto v = limits.validate(); !v) return std::move(v).err();
  auto bodies = make_body_decoder(limits.max_bytes, zstd_dictionary);
  if (!bodies) return std::move(bodies).err();
  auto dec = std::make_shared<const metrics_decoder>(limits);
  return metrics_request_decoder(
      [dec, unpack = std::move(*bodies)](
          std::string_view body, std::string_view enc,
          const veil::detail::memory_admit* admit_fn) -> veil::result<metrics_batch> {
        std::size_t held = 0;
        veil::detail::memory_admit stage;
        if (admit_fn && *admit_fn) stage = [&](std::size_t n) { return (*admit_fn)(held + n); };
        const veil::detail::memory_admit* hook = stage ? &stage : nullptr;
        std::string owned;
        auto text = unpack(body, enc, hook, owned);
        if (!text) return std::move(text).err();
        held = owned.capacity();
        return dec->decode(*text, hook);
      });
}

namespace {

std::optional<std::string> scan_object(const leak_guard& g, const std::string& text) {
  const auto j = nlohmann::json::parse(text, nullptr, false);
  if (!j.is_object()) return std::string("attrs:not_object");
  for (const auto& [k, v] : j.items()) {
    if (auto c = g.scan(k, false)) return "leak:" + *c;
    std::optional<std::string> c;
    if (v.is_string()) c = g.scan(v.get_ref<const std::string&>(), true);
    else if (v.is_number()) c = g.scan(v.dump(), true);
    if (c) return "leak:" + *c;
  }
  return std::nullopt;
}

}  // namespace

std::optional<std::string> check_metric_attributes(const leak_guard& g, const metric_point& p) {
  if (auto c = g.scan(p.name, true)) return "leak:" + *c;
  return scan_object(g, p.attrs);
}

std::optional<std::string> check_metric_resource(const leak_guard& g,
                                                 std::string_view resource_json) {
  return scan_object(g, std::string(resource_json));
}

std::optional<std::string> check_metric_point(const leak_guard& g, const metric_point& p) {
  if (auto why = check_metric_attributes(g, p)) return why;
  return check_metric_resource(g, p.resource_json());
}

}  // namespace veil::collector
