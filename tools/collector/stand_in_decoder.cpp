// Stand-in OTLP/JSON logs decoder. Layout understood (enough for the collector's tests):
//   resourceLogs[].resource.attributes[{key:"veil.install", value:{stringValue}}]
//   resourceLogs[].scopeLogs[].logRecords[] { eventName, timeUnixNano (number or string),
//                                             attributes[] incl. veil.category }
// AnyValue forms: stringValue, intValue (number or string), doubleValue, boolValue,
// kvlistValue.values[], arrayValue.values[]. Replace this file with the real decoder.
#include "tools/collector/stand_in_decoder.hpp"

#include <charconv>
#include <cstdint>
#include <ctime>

namespace veil::collector {
namespace {

using nlohmann::json;
constexpr int max_depth = 32;

veil::error bad(std::string what) { return veil::make_error(veil::errc::parse_error, std::move(what)); }

bool any_value(const json& v, int depth, json& out) {
  if (depth > max_depth || !v.is_object()) return false;
  if (auto it = v.find("stringValue"); it != v.end()) {
    if (!it->is_string()) return false;
    out = *it;
    return true;
  }
  if (auto it = v.find("boolValue"); it != v.end()) {
    if (!it->is_boolean()) return false;
    out = *it;
    return true;
  }
  if (auto it = v.find("intValue"); it != v.end()) {
    if (it->is_number_integer()) {
      out = *it;
      return true;
    }
    if (!it->is_string()) return false;
    const auto& s = it->get_ref<const std::string&>();
    std::int64_t n = 0;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), n);
    if (ec != std::errc() || p != s.data() + s.size()) return false;
    out = n;
    return true;
  }
  if (auto it = v.find("doubleValue"); it != v.end()) {
    if (!it->is_number()) return false;
    out = *it;
    return true;
  }
  if (auto it = v.find("arrayValue"); it != v.end()) {
    out = json::array();
    if (!it->is_object()) return false;
    auto vals = it->find("values");
    if (vals == it->end()) return true;
    if (!vals->is_array()) return false;
    for (const auto& e : *vals) {
      json x;
      if (!any_value(e, depth + 1, x)) return false;
      out.push_back(std::move(x));
    }
    return true;
  }
  if (auto it = v.find("kvlistValue"); it != v.end()) {
    out = json::object();
    if (!it->is_object()) return false;
    auto vals = it->find("values");
    if (vals == it->end()) return true;
    if (!vals->is_array()) return false;
    for (const auto& kv : *vals) {
      if (!kv.is_object() || !kv.contains("key") || !kv["key"].is_string() || !kv.contains("value")) return false;
      json x;
      if (!any_value(kv["value"], depth + 1, x)) return false;
      out[kv["key"].get<std::string>()] = std::move(x);
    }
    return true;
  }
  out = nullptr;  // empty AnyValue
  return v.empty();
}

// attributes[] -> object; false on a malformed entry.
bool attributes(const json& arr, json& out) {
  out = json::object();
  if (arr.is_null()) return true;
  if (!arr.is_array()) return false;
  for (const auto& kv : arr) {
    if (!kv.is_object() || !kv.contains("key") || !kv["key"].is_string() || !kv.contains("value")) return false;
    json x;
    if (!any_value(kv["value"], 1, x)) return false;
    out[kv["key"].get<std::string>()] = std::move(x);
  }
  return true;
}

bool hour_ts(const json& t, std::string& out) {
  std::uint64_t ns = 0;
  if (t.is_number_unsigned() || t.is_number_integer()) {
    if (t.is_number_integer() && t.get<std::int64_t>() < 0) return false;
    ns = t.get<std::uint64_t>();
  } else if (t.is_string()) {
    const auto& s = t.get_ref<const std::string&>();
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), ns);
    if (ec != std::errc() || p != s.data() + s.size()) return false;
  } else {
    return false;
  }
  std::time_t secs = static_cast<std::time_t>(ns / 1'000'000'000ULL);
  secs -= secs % 3600;
  std::tm tm{};
  if (!gmtime_r(&secs, &tm)) return false;
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:00:00Z", &tm);
  out = buf;
  return true;
}

veil::result<std::vector<cleaned_record>> decode(std::string_view body, std::size_t max) {
  if (body.size() > max) return veil::make_error(veil::errc::limit_exceeded, "body over decompressed limit");
  json doc = json::parse(body, nullptr, false);
  if (doc.is_discarded() || !doc.is_object()) return bad("body is not a JSON object");
  auto rl = doc.find("resourceLogs");
  if (rl == doc.end() || !rl->is_array()) return bad("resourceLogs missing");
  std::vector<cleaned_record> out;
  for (const auto& r : *rl) {
    if (!r.is_object()) return bad("resourceLogs entry");
    std::string install;
    if (auto res = r.find("resource"); res != r.end()) {
      json ra;
      if (!res->is_object() || !attributes(res->value("attributes", json()), ra)) return bad("resource attributes");
      if (auto i = ra.find("veil.install"); i != ra.end() && i->is_string()) install = i->get<std::string>();
    }
    auto sl = r.find("scopeLogs");
    if (sl == r.end()) continue;
    if (!sl->is_array()) return bad("scopeLogs");
    for (const auto& s : *sl) {
      if (!s.is_object()) return bad("scopeLogs entry");
      auto lr = s.find("logRecords");
      if (lr == s.end()) continue;
      if (!lr->is_array()) return bad("logRecords");
      for (const auto& l : *lr) {
        if (!l.is_object()) return bad("logRecord");
        cleaned_record rec;
        rec.install = install;
        if (!attributes(l.value("attributes", json()), rec.attrs)) return bad("logRecord attributes");
        if (auto e = l.find("eventName"); e != l.end() && e->is_string()) rec.type = e->get<std::string>();
        else if (auto a = rec.attrs.find("event.name"); a != rec.attrs.end() && a->is_string()) rec.type = a->get<std::string>();
        if (rec.type.empty()) return bad("logRecord without eventName");
        if (auto c = rec.attrs.find("veil.category"); c != rec.attrs.end() && c->is_string()) rec.category = c->get<std::string>();
        rec.attrs.erase("veil.category");
        rec.attrs.erase("event.name");
        auto t = l.find("timeUnixNano");
        if (t == l.end()) t = l.find("observedTimeUnixNano");
        if (t == l.end() || !hour_ts(*t, rec.ts)) return bad("logRecord timeUnixNano");
        out.push_back(std::move(rec));
      }
    }
  }
  return out;
}

}  // namespace

batch_decoder make_stand_in_decoder(std::size_t max_decompressed) {
  return [max_decompressed](std::string_view body, std::string_view enc,
                            std::string_view dict) -> veil::result<std::vector<cleaned_record>> {
    if (!(enc.empty() || enc == "identity"))
      return veil::make_error(veil::errc::invalid_argument, "unsupported content encoding");
    if (!dict.empty()) return veil::make_error(veil::errc::invalid_argument, "unknown dictionary");
    return decode(body, max_decompressed);
  };
}

}  // namespace veil::collector
