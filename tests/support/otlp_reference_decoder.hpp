// The nlohmann-based OTLP decoder as it was before the simdjson decoder replaced it (commit
// 0003244), kept only as a reference model: tests decode the same inputs with both and require
// the same events or the same error. Test code; never linked into the library.
#pragma once

#include <charconv>
#include <cmath>
#include <limits>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "agent/wire/otlp_decoder.hpp"
#include "agent/wire/otlp_encoder.hpp"

namespace veil::detail {
namespace reference {

using json = nlohmann::json;

// Depth check before handing the text to a parser: cheap, and it bounds every later
// recursion over the parsed tree by the same number.
inline bool depth_within(std::string_view s, std::size_t max_depth) {
  std::size_t depth = 0;
  bool in_str = false, esc = false;
  for (char c : s) {
    if (in_str) {
      if (esc) esc = false;
      else if (c == '\\') esc = true;
      else if (c == '"') in_str = false;
      continue;
    }
    if (c == '"') in_str = true;
    else if (c == '{' || c == '[') {
      if (++depth > max_depth) return false;
    } else if ((c == '}' || c == ']') && depth > 0) --depth;
  }
  return true;
}

struct ctx {
  const otlp_decode_limits& lim;
  std::size_t attrs = 0;  // per record
};

inline error bad(const std::string& path, const std::string& what) {
  return make_error(errc::parse_error, path + ": " + what);
}

inline std::optional<std::int64_t> as_int64(const json& v) {
  if (v.is_number_integer()) {
    if (v.is_number_unsigned() &&
        v.get<std::uint64_t>() >
            static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))
      return std::nullopt;
    return v.get<std::int64_t>();
  }
  if (v.is_string()) {
    const auto& s = v.get_ref<const std::string&>();
    std::int64_t out = 0;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
    if (s.empty() || ec != std::errc{} || p != s.data() + s.size()) return std::nullopt;
    return out;
  }
  return std::nullopt;
}

// Where a value sits, for error messages: a chain of stack nodes, turned into a string only when
// an error is reported (building "a.b[3].value" eagerly for every attribute cost ~10% of decode).
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

inline result<json> from_any(const json& v, const path_node& path, ctx& c);

inline result<json> from_kvlist(const json& values, const path_node& path, ctx& c) {
  if (!values.is_array()) return bad(path.str(), "values is not an array");
  json out = json::object();
  long i = 0;
  for (const auto& e : values) {
    const path_node p{&path, {}, i++};
    if (++c.attrs > c.lim.max_attributes)
      return make_error(
          errc::limit_exceeded,
          p.str() + ": more than " + std::to_string(c.lim.max_attributes) + " attributes");
    if (!e.is_object()) return bad(p.str(), "not an object");
    auto k = e.find("key");
    if (k == e.end() || !k->is_string()) return bad(p.str(), "missing string key");
    auto v = e.find("value");
    json val;  // an absent value is an empty AnyValue: null
    if (v != e.end()) {
      auto r = from_any(*v, path_node{&p, ".value"}, c);
      if (!r) return std::move(r).err();
      val = std::move(*r);
    }
    out[k->get<std::string>()] = std::move(val);
  }
  return out;
}

inline result<json> from_any(const json& v, const path_node& path, ctx& c) {
  if (v.is_null()) return json();
  if (!v.is_object()) return bad(path.str(), "AnyValue is not an object");
  if (v.empty()) return json();
  if (v.size() != 1) return bad(path.str(), "AnyValue must have exactly one field");
  const auto first = v.begin();
  const std::string& key = first.key();
  const json& val = first.value();
  if (key == "stringValue" || key == "bytesValue") {
    if (!val.is_string()) return bad(path.str(), key + " is not a string");
    return val;
  }
  if (key == "boolValue") {
    if (!val.is_boolean()) return bad(path.str(), "boolValue is not a boolean");
    return val;
  }
  if (key == "intValue") {
    auto i = as_int64(val);
    if (!i) return bad(path.str(), "intValue is not a 64-bit integer");
    return json(*i);
  }
  if (key == "doubleValue") {
    if (!val.is_number()) return bad(path.str(), "doubleValue is not a number");
    return json(val.get<double>());
  }
  if (key == "arrayValue" || key == "kvlistValue") {
    if (!val.is_object()) return bad(path.str(), key + " is not an object");
    auto values = val.find("values");
    if (key == "kvlistValue") {
      if (values == val.end()) return json::object();
      return from_kvlist(*values, path_node{&path, ".kvlistValue.values"}, c);
    }
    json out = json::array();
    if (values == val.end()) return out;
    if (!values->is_array()) return bad(path.str(), "arrayValue.values is not an array");
    long i = 0;
    for (const auto& e : *values) {
      if (++c.attrs > c.lim.max_attributes)
        return make_error(
            errc::limit_exceeded,
            path.str() + ": more than " + std::to_string(c.lim.max_attributes) + " values");
      auto r = from_any(e, path_node{&path, ".arrayValue.values", i++}, c);
      if (!r) return std::move(r).err();
      out.push_back(std::move(*r));
    }
    return out;
  }
  return bad(path.str(), "unknown AnyValue field");
}

// decode() of commit 0003244, with `limits_` as a parameter.
inline result<decoded_logs> reference_decode(std::string_view body,
                                             const otlp_decode_limits& limits_ = {}) noexcept try {
  if (body.size() > limits_.max_bytes)
    return make_error(errc::limit_exceeded, "request: " + std::to_string(body.size()) +
                                                " bytes > limit " +
                                                std::to_string(limits_.max_bytes));
  if (!depth_within(body, limits_.max_depth))
    return make_error(errc::limit_exceeded,
                      "request: nesting deeper than " + std::to_string(limits_.max_depth));
  json root = json::parse(body, nullptr, false);
  if (root.is_discarded()) return make_error(errc::parse_error, "request: not valid JSON");
  if (!root.is_object()) return bad("request", "not a JSON object");

  decoded_logs out;
  auto rls = root.find("resourceLogs");
  if (rls == root.end()) return out;  // an empty request is valid OTLP
  if (!rls->is_array()) return bad("resourceLogs", "not an array");
  std::size_t ri = 0;
  for (const auto& rl : *rls) {
    const std::string rpath = "resourceLogs[" + std::to_string(ri++) + "]";
    if (!rl.is_object()) return bad(rpath, "not an object");
    if (auto res = rl.find("resource"); res != rl.end() && res->is_object()) {
      if (auto a = res->find("attributes"); a != res->end()) {
        ctx c{limits_};
        const path_node base{nullptr, rpath}, at{&base, ".resource.attributes"};
        auto r = from_kvlist(*a, at, c);
        if (!r) return std::move(r).err();
        for (auto& [k, v] : r->items()) out.resource[k] = std::move(v);
      }
    }
    auto sls = rl.find("scopeLogs");
    if (sls == rl.end()) continue;
    if (!sls->is_array()) return bad(rpath + ".scopeLogs", "not an array");
    std::size_t si = 0;
    for (const auto& sl : *sls) {
      const std::string spath = rpath + ".scopeLogs[" + std::to_string(si++) + "]";
      if (!sl.is_object()) return bad(spath, "not an object");
      auto lrs = sl.find("logRecords");
      if (lrs == sl.end()) continue;
      if (!lrs->is_array()) return bad(spath + ".logRecords", "not an array");
      std::size_t li = 0;
      for (const auto& lr : *lrs) {
        const std::string path = spath + ".logRecords[" + std::to_string(li++) + "]";
        if (out.events.size() >= limits_.max_records)
          return make_error(
              errc::limit_exceeded,
              path + ": more than " + std::to_string(limits_.max_records) + " records");
        if (!lr.is_object()) return bad(path, "not an object");
        ctx c{limits_};
        json attrs = json::object();
        if (auto a = lr.find("attributes"); a != lr.end()) {
          const path_node base{nullptr, path}, at{&base, ".attributes"};
          auto r = from_kvlist(*a, at, c);
          if (!r) return std::move(r).err();
          attrs = std::move(*r);
        }
        std::string type;
        if (auto en = lr.find("eventName");
            en != lr.end() && en->is_string() && !en->get_ref<const std::string&>().empty())
          type = en->get<std::string>();
        if (auto it = attrs.find("event.name"); it != attrs.end()) {
          if (type.empty() && it->is_string()) type = it->get<std::string>();
          attrs.erase(it);
        }
        if (type.empty()) return bad(path, "no event name (eventName or event.name attribute)");
        std::optional<std::int64_t> ns;
        if (auto t = lr.find("timeUnixNano"); t != lr.end()) ns = as_int64(*t);
        if (!ns || *ns == 0)
          if (auto t = lr.find("observedTimeUnixNano"); t != lr.end()) ns = as_int64(*t);
        if (!ns || *ns <= 0) return bad(path, "missing or invalid timeUnixNano");
        json ev = {{"type", std::move(type)}, {"ts", format_rfc3339_ns(*ns)}};
        if (auto it = attrs.find("veil.category"); it != attrs.end()) {
          if (it->is_string()) ev["category"] = *it;
          attrs.erase(it);
        }
        ev["attrs"] = std::move(attrs);
        out.events.push_back(std::move(ev));
      }
    }
  }
  return out;
} catch (const std::exception& e) {
  return make_error(errc::internal, std::string("otlp decode: ") + e.what());
}

}  // namespace reference
}  // namespace veil::detail
