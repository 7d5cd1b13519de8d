#include "agent/wire/otlp_encoder.hpp"

#include <charconv>
#include <chrono>
#include <cstdio>
#include <limits>

#include <nlohmann/json.hpp>

namespace veil::detail {
namespace {

using json = nlohmann::json;

// Cleaned events are produced by our own policy stage, but a corrupt spool line must not
// recurse without bound here either.
constexpr std::size_t max_value_depth = 32;

bool to_any(const json& v, json& out, std::size_t depth) {
  if (depth > max_value_depth) return false;
  switch (v.type()) {
    case json::value_t::string:
      out = {{"stringValue", v.get_ref<const std::string&>()}};
      return true;
    case json::value_t::boolean: out = {{"boolValue", v.get<bool>()}}; return true;
    case json::value_t::number_integer:
      out = {{"intValue", std::to_string(v.get<std::int64_t>())}};
      return true;
    case json::value_t::number_unsigned: {
      auto u = v.get<std::uint64_t>();
      // intValue is an int64; larger values can only be carried as a double.
      if (u <= static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))
        out = {{"intValue", std::to_string(u)}};
      else out = {{"doubleValue", static_cast<double>(u)}};
      return true;
    }
    case json::value_t::number_float: out = {{"doubleValue", v.get<double>()}}; return true;
    case json::value_t::null: out = json::object(); return true;
    case json::value_t::array: {
      json values = json::array();
      for (const auto& e : v) {
        json a;
        if (!to_any(e, a, depth + 1)) return false;
        values.push_back(std::move(a));
      }
      out = {{"arrayValue", {{"values", std::move(values)}}}};
      return true;
    }
    case json::value_t::object: {
      json values = json::array();
      for (const auto& [k, e] : v.items()) {
        json a;
        if (!to_any(e, a, depth + 1)) return false;
        values.push_back({{"key", k}, {"value", std::move(a)}});
      }
      out = {{"kvlistValue", {{"values", std::move(values)}}}};
      return true;
    }
    default: return false;  // binary / discarded
  }
}

json kv(std::string key, json any) { return {{"key", std::move(key)}, {"value", std::move(any)}}; }
json str_any(std::string s) { return {{"stringValue", std::move(s)}}; }

template <class Int>
bool parse_digits(std::string_view s, Int& out) {
  if (s.empty()) return false;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc{} && p == s.data() + s.size();
}

}  // namespace

std::optional<std::int64_t> parse_rfc3339_ns(std::string_view ts) noexcept {
  // YYYY-MM-DDTHH:MM:SS[.f{1,9}](Z|+hh:mm|-hh:mm)
  if (ts.size() < 20 || ts[4] != '-' || ts[7] != '-' || (ts[10] != 'T' && ts[10] != 't') ||
      ts[13] != ':' || ts[16] != ':')
    return std::nullopt;
  int y = 0;
  unsigned mo = 0, d = 0, h = 0, mi = 0, s = 0;
  if (!parse_digits(ts.substr(0, 4), y) || !parse_digits(ts.substr(5, 2), mo) ||
      !parse_digits(ts.substr(8, 2), d) || !parse_digits(ts.substr(11, 2), h) ||
      !parse_digits(ts.substr(14, 2), mi) || !parse_digits(ts.substr(17, 2), s))
    return std::nullopt;
  using namespace std::chrono;
  const year_month_day ymd{year{y}, month{mo}, day{d}};
  if (!ymd.ok() || h > 23 || mi > 59 || s > 60 || y < 1970 || y > 2261) return std::nullopt;
  std::size_t i = 19;
  std::int64_t frac = 0;
  if (i < ts.size() && ts[i] == '.') {
    ++i;
    int digits = 0;
    while (i < ts.size() && ts[i] >= '0' && ts[i] <= '9') {
      if (digits < 9) frac = frac * 10 + (ts[i] - '0'), ++digits;
      ++i;
    }
    if (digits == 0) return std::nullopt;
    for (; digits < 9; ++digits) frac *= 10;
  }
  std::int64_t offset_s = 0;
  if (i < ts.size() && (ts[i] == 'Z' || ts[i] == 'z')) {
    ++i;
  } else if (i + 6 == ts.size() && (ts[i] == '+' || ts[i] == '-') && ts[i + 3] == ':') {
    unsigned oh = 0, om = 0;
    if (!parse_digits(ts.substr(i + 1, 2), oh) || !parse_digits(ts.substr(i + 4, 2), om) ||
        oh > 23 || om > 59)
      return std::nullopt;
    offset_s = (ts[i] == '+' ? 1 : -1) * static_cast<std::int64_t>(oh * 3600 + om * 60);
    i += 6;
  } else {
    return std::nullopt;
  }
  if (i != ts.size()) return std::nullopt;
  const auto secs =
      sys_days{ymd}.time_since_epoch().count() * 86400LL + h * 3600LL + mi * 60LL + s - offset_s;
  if (secs < 0) return std::nullopt;
  return secs * 1'000'000'000LL + frac;
}

std::string format_rfc3339_ns(std::int64_t ns) {
  using namespace std::chrono;
  if (ns < 0) ns = 0;
  const std::int64_t secs = ns / 1'000'000'000LL;
  std::int64_t frac = ns % 1'000'000'000LL;
  const sys_days days{std::chrono::days{secs / 86400}};
  const year_month_day ymd{days};
  const std::int64_t rem = secs % 86400;
  char buf[48];
  int n = std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02d",
                        static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                        static_cast<unsigned>(ymd.day()), static_cast<int>(rem / 3600),
                        static_cast<int>(rem / 60 % 60), static_cast<int>(rem % 60));
  std::string out(buf, static_cast<std::size_t>(n));
  if (frac != 0) {
    char f[16];
    std::snprintf(f, sizeof f, ".%09lld", static_cast<long long>(frac));
    std::string fs = f;
    while (fs.back() == '0') fs.pop_back();
    out += fs;
  }
  out += 'Z';
  return out;
}

result<otlp_payload> otlp_encoder::encode(std::span<const std::string> lines) const noexcept try {
  // The request is written one LogRecord at a time: only one record's tree exists at once (a
  // whole-batch tree of 500 records took ~3 MiB of small allocations, and glibc kept the pages).
  // The envelope is dumped once with an empty logRecords array and the records are spliced in,
  // so the bytes equal a dump of the whole tree (nlohmann sorts keys; arrays have no spaces).
  json res_attrs = json::array({kv("service.name", str_any(resource_.service_name))});
  if (!resource_.app_version.empty())
    res_attrs.push_back(kv("service.version", str_any(resource_.app_version)));
  if (!resource_.os_name.empty()) res_attrs.push_back(kv("os.name", str_any(resource_.os_name)));
  if (!install_token_.empty()) res_attrs.push_back(kv("veil.install", str_any(install_token_)));
  if (!install_token_.empty() && !erasure_key_.empty())
    res_attrs.push_back(kv("veil.erasure_key", str_any(erasure_key_)));
  json req = {{"resourceLogs",
               json::array({{{"resource", {{"attributes", std::move(res_attrs)}}},
                             {"scopeLogs", json::array({{{"scope", {{"name", "veil"}}},
                                                         {"logRecords", json::array()}}})}}})}};
  const std::string envelope = req.dump(-1, ' ', false, json::error_handler_t::replace);
  static constexpr std::string_view slot = "\"logRecords\":[";
  const std::size_t at = envelope.rfind(slot);  // the last one: resource strings come before it
  if (at == std::string::npos)
    return make_error(errc::internal, "otlp encode: envelope without logRecords");
  const std::size_t split = at + slot.size();

  otlp_payload p;
  std::size_t in_bytes = 0;
  for (const auto& line : lines) in_bytes += line.size();
  // OTLP JSON is several times the cleaned line; one reservation avoids doubling past the need.
  p.body.reserve(envelope.size() + in_bytes * 4);
  p.body.append(envelope, 0, split);
  for (const auto& line : lines) {
    json ev = json::parse(line, nullptr, false);
    if (ev.is_discarded() || !ev.is_object()) {
      ++p.skipped;
      continue;
    }
    auto type = ev.find("type");
    auto ts = ev.find("ts");
    if (type == ev.end() || !type->is_string() || ts == ev.end() || !ts->is_string()) {
      ++p.skipped;
      continue;
    }
    auto ns = parse_rfc3339_ns(ts->get_ref<const std::string&>());
    if (!ns) {
      ++p.skipped;
      continue;
    }
    json attrs = json::array();
    attrs.push_back(kv("event.name", str_any(type->get<std::string>())));
    if (auto c = ev.find("category"); c != ev.end() && c->is_string())
      attrs.push_back(kv("veil.category", str_any(c->get<std::string>())));
    bool ok = true;
    if (auto a = ev.find("attrs"); a != ev.end() && a->is_object()) {
      for (const auto& [k, v] : a->items()) {
        json any;
        if (!to_any(v, any, 1)) {
          ok = false;
          break;
        }
        attrs.push_back(kv(k, std::move(any)));
      }
    }
    if (!ok) {
      ++p.skipped;
      continue;
    }
    const json rec = {{"timeUnixNano", std::to_string(*ns)},
                      {"eventName", type->get<std::string>()},
                      {"attributes", std::move(attrs)}};
    if (p.records != 0) p.body += ',';
    p.body += rec.dump(-1, ' ', false, json::error_handler_t::replace);
    ++p.records;
  }
  if (p.records == 0 && !lines.empty())
    return make_error(errc::parse_error, "otlp encode: none of " + std::to_string(lines.size()) +
                                             " lines is a valid cleaned event");
  p.body.append(envelope, split);
  return p;
} catch (const std::exception& e) {
  return make_error(errc::internal, std::string("otlp encode: ") + e.what());
}

}  // namespace veil::detail
