#include "tools/collector/contract.hpp"

#include <algorithm>
#include <cmath>

#include "agent/core/simdjson_util.hpp"
#include "agent/policy/actions.hpp"

namespace veil::detail {
namespace {
bool is_hex32(std::string_view s) {
  if (s.size() != 32) return false;
  for (char c : s)
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  return true;
}
bool is_country(std::string_view s) {
  return s.size() == 2 && s[0] >= 'A' && s[0] <= 'Z' && s[1] >= 'A' && s[1] <= 'Z';
}
bool is_network(std::string_view s) {
  auto slash = s.find('/');
  if (slash == std::string_view::npos) return false;
  std::string canon;
  return ip_prefix(s.substr(0, slash), canon) && canon == s;
}
// Generic top-level domains a SIP provider's host may end in (every two-letter ccTLD is
// accepted too). A host must end in one: "victim.smith" or "4915123456707" is no provider.
constexpr std::string_view generic_tlds[] = {
    "com", "net", "org", "info", "biz", "app", "dev", "cloud", "tel", "voip", "pro", "online",
    "site", "xyz", "top", "tech", "io", "shop", "host", "name", "mobi", "asia", "global", "link",
    "live", "network", "solutions", "systems", "services", "telecom", "phone", "call", "support",
    "digital", "arpa", "int", "edu", "gov", "mil", "coop", "swiss", "berlin", "london", "paris",
    "tokyo", "nyc", "page", "space", "zone", "works", "world", "center", "company",
    // reserved (RFC 2606/6761) and private-use names of LAN PBXs
    "example", "test", "invalid", "localhost", "local", "lan", "internal", "home", "corp"};

// A DNS host name: labels of [a-z0-9-] (and '_' for SRV-style names), 1..63 long, not starting
// or ending with '-'; at least two labels; the last one a known TLD (letters only); not every
// label digits (a phone number with dots is not a host).
bool is_host(std::string_view s) {
  if (s.empty() || s.size() > 253 || s.back() == '.') return false;
  std::size_t labels = 0, digit_labels = 0, start = 0;
  std::string_view last;
  for (std::size_t i = 0; i <= s.size(); ++i) {
    if (i < s.size() && s[i] != '.') {
      const char c = s[i];
      if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_')) return false;
      continue;
    }
    const std::string_view l = s.substr(start, i - start);
    if (l.empty() || l.size() > 63 || l.front() == '-' || l.back() == '-') return false;
    ++labels;
    if (l.find_first_not_of("0123456789") == std::string_view::npos) ++digit_labels;
    last = l;
    start = i + 1;
  }
  if (labels < 2 || digit_labels == labels) return false;
  if (last.find_first_not_of("abcdefghijklmnopqrstuvwxyz") != std::string_view::npos) return false;
  if (last.size() == 2) return true;
  for (auto t : generic_tlds)
    if (t == last) return true;
  return false;
}

// What a number in a kept field can mean, by the field's name: a MOS of 4915123456708 is not
// a MOS. Returns the kind's label when `v` is outside the kind's range, else nullopt.
std::optional<std::string> out_of_range(std::string_view name, double v) {
  auto ends = [&](std::string_view suf) {
    return name.size() >= suf.size() && name.substr(name.size() - suf.size()) == suf;
  };
  struct kind {
    const char* label;
    double lo, hi;
  };
  kind k{"number", -1e9, 1e9};  // any other number: bounded, so no phone number fits
  if (name == "mos") k = {"mos", 1, 5};
  else if (name == "stars") k = {"stars", 0, 5};
  else if (ends("_pct") || name == "pct" || ends("percent")) k = {"percent", 0, 100};
  else if (ends("_ms")) k = {"duration", 0, 7 * 86'400'000.0};
  else if (ends("_s") || ends("_sec") || ends("_seconds")) k = {"duration", 0, 7 * 86'400.0};
  else if (name == "status_code" || ends("_status")) k = {"status", 100, 699};
  else if (ends("_count") || name == "count") k = {"count", 0, 10'000'000};
  else if (name == "line") k = {"line", 0, 10'000'000};
  else if (name == "lat") k = {"geo", -90, 90};
  else if (name == "lon") k = {"geo", -180, 180};
  if (!(v >= k.lo && v <= k.hi)) return std::string("range:") + k.label;
  return std::nullopt;
}

// The longest string a field may hold, by what produced it: free text (log lines, comments,
// crash messages) up to 8 KiB, paths and URLs 1 KiB, everything else (enums, versions, names
// of code) 256 bytes. A longer value is quarantined ("length"), so one small request cannot
// store megabytes.
std::size_t max_length(veil::detail::action a) {
  using veil::detail::action;
  switch (a) {
    case action::text: return 8192;
    case action::path:
    case action::url_strip: return 1024;
    default: return 256;
  }
}
bool has_decimals_at_most(double v, int decimals) {
  return std::fabs(round_to(v, decimals) - v) < 1e-9;
}
}  // namespace

std::optional<std::string> contract::scan(std::string_view s) const {
  // Enum values and names of code ("opus", "remote_hangup", "wifi"): short, letters and
  // '_', '-', '.' only; no shape the scanner knows is made of those alone.
  if (s.size() < 16 && std::all_of(s.begin(), s.end(), [](char ch) {
        return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || ch == '_' || ch == '-' ||
               ch == '.';
      }))
    return std::nullopt;
  thread_local std::string out;
  out.clear();
  redaction_counts c;
  scanner_.scrub(s, out, c, /*deny=*/false);  // shapes: agent text is default-denied already
  // The scanner also counts placeholders it rewrites to themselves ("Call-ID: <id>" in a
  // cleaned SIP trace); only a string it would change still holds a token.
  if (c.total() == 0 || out == s) return std::nullopt;
  for (std::size_t i = 0; i < token_class_count; ++i)
    if (c.by_class[i]) return "pii:" + std::string(token_class_names[i]);
  return "pii:unknown";
}

namespace {
// The two JSON representations the rules walk over, behind one small interface.
struct nlohmann_view {
  using node = const nlohmann::json&;
  static bool is_array(node v) { return v.is_array(); }
  static bool is_object(node v) { return v.is_object(); }
  static bool is_string(node v) { return v.is_string(); }
  static bool is_number(node v) { return v.is_number(); }
  static bool is_bool(node v) { return v.is_boolean(); }
  static std::string_view str(node v) { return v.get_ref<const std::string&>(); }
  static double num(node v) { return v.get<double>(); }
  template <class F>
  static std::optional<std::string> each_item(node v, F&& f) {
    for (const auto& x : v)
      if (auto e = f(x)) return e;
    return std::nullopt;
  }
  template <class F>
  static std::optional<std::string> each_field(node v, F&& f) {
    for (auto it = v.begin(); it != v.end(); ++it)
      if (auto e = f(std::string_view(it.key()), it.value())) return e;
    return std::nullopt;
  }
  // {"lat": number, "lon": number} and nothing else.
  static bool lat_lon(node v, double& lat, double& lon) {
    if (!v.is_object() || v.size() != 2 || !v.contains("lat") || !v.contains("lon") ||
        !v["lat"].is_number() || !v["lon"].is_number())
      return false;
    lat = v["lat"].get<double>();
    lon = v["lon"].get<double>();
    return true;
  }
};

struct simdjson_view {
  using node = simdjson::dom::element;
  using type = simdjson::dom::element_type;
  static bool is_array(node v) { return v.type() == type::ARRAY; }
  static bool is_object(node v) { return v.type() == type::OBJECT; }
  static bool is_string(node v) { return v.type() == type::STRING; }
  static bool is_number(node v) {
    return v.type() == type::INT64 || v.type() == type::UINT64 || v.type() == type::DOUBLE;
  }
  static bool is_bool(node v) { return v.type() == type::BOOL; }
  static std::string_view str(node v) { return sj::str(v); }
  static double num(node v) { return sj::dbl(v); }
  template <class F>
  static std::optional<std::string> each_item(node v, F&& f) {
    for (node x : sj::arr(v))
      if (auto e = f(x)) return e;
    return std::nullopt;
  }
  template <class F>
  static std::optional<std::string> each_field(node v, F&& f) {
    for (auto kv : sj::obj(v))
      if (auto e = f(kv.key, kv.value)) return e;
    return std::nullopt;
  }
  // Canonical text has no duplicate keys, so two fields named lat and lon are exactly these.
  static bool lat_lon(node v, double& lat, double& lon) {
    if (!is_object(v)) return false;
    auto o = sj::obj(v);
    if (o.size() != 2) return false;
    bool has_lat = false, has_lon = false;
    for (auto kv : o) {
      if (!is_number(kv.value)) return false;
      if (kv.key == "lat") lat = num(kv.value), has_lat = true;
      else if (kv.key == "lon") lon = num(kv.value), has_lon = true;
    }
    return has_lat && has_lon;
  }
};

}  // namespace

template <class View>
struct contract_walk {
  using node = typename View::node;
  const contract& c;

  std::optional<std::string> check_node(const field_node& fields, node obj, int depth) const {
    if (depth > 16) return "shape:too_deep";
    return View::each_field(obj,
                            [&](std::string_view key, node value) -> std::optional<std::string> {
                              const field_rule* match = nullptr;
                              bool country = false;
                              for (const auto& r : fields.rules) {
                                if (r.act == action::drop) continue;
                                if (r.out_name == key) {
                                  match = &r;
                                  break;
                                }
                                if (!r.country_out.empty() && r.country_out == key) {
                                  match = &r;
                                  country = true;
                                }
                              }
                              if (!match) return "field:unexpected";
                              return check_value(*match, value, country, depth);
                            });
  }

  std::optional<std::string> check_value(const field_rule& r, node v, bool country,
                                         int depth) const {
    if (View::is_string(v) && View::str(v).size() > max_length(r.act)) return "length";
    if (View::is_array(v)) {
      if (r.act == action::keep && !r.children && r.type != value_type::any) return "shape:array";
      return View::each_item(v, [&](node x) { return check_value(r, x, country, depth + 1); });
    }
    if (country || r.act == action::phone_country)
      return View::is_string(v) && is_country(View::str(v))
                 ? std::nullopt
                 : std::optional<std::string>("shape:country");
    switch (r.act) {
      case action::keep:
        if (r.children) {
          if (!View::is_object(v)) return "shape:object";
          return check_node(*r.children, v, depth + 1);
        }
        if (View::is_object(v)) return "shape:object";
        if (r.type == value_type::number && !View::is_number(v) && !View::is_string(v))
          return "shape:number";
        if (r.type == value_type::boolean && !View::is_bool(v)) return "shape:bool";
        if (View::is_string(v)) return c.scan(View::str(v));
        if (View::is_number(v)) return out_of_range(r.out_name, View::num(v));
        return std::nullopt;
      case action::drop: return "field:unexpected";
      case action::pseudonym:
        return View::is_string(v) && is_hex32(View::str(v))
                   ? std::nullopt
                   : std::optional<std::string>("shape:pseudonym");
      case action::ip_prefix:
        return View::is_string(v) && is_network(View::str(v))
                   ? std::nullopt
                   : std::optional<std::string>("shape:network");
      case action::phone_country: return std::nullopt;  // handled above
      case action::sip_domain:
        // By its grammar, then scanned like any string (a host can still carry a number).
        if (View::is_string(v) && is_network(View::str(v))) return std::nullopt;
        if (View::is_string(v) && is_host(View::str(v))) return c.scan(View::str(v));
        return "shape:domain";
      case action::geo_coarsen: {
        if (View::is_number(v))
          return has_decimals_at_most(View::num(v), r.decimals)
                     ? std::nullopt
                     : std::optional<std::string>("shape:geo");
        double lat = 0, lon = 0;
        if (View::lat_lon(v, lat, lon) && has_decimals_at_most(lat, r.decimals) &&
            has_decimals_at_most(lon, r.decimals))
          return std::nullopt;
        return "shape:geo";
      }
      case action::bucket: {
        if (!View::is_string(v)) return "shape:bucket";
        const std::string_view s = View::str(v);
        for (const auto& l : r.labels)
          if (l == s) return std::nullopt;
        if (!r.bounds.empty() && s == bucket_label(r.bounds.front() - 1, r.bounds))
          return std::nullopt;
        return "shape:bucket";
      }
      case action::url_strip: {
        if (!View::is_string(v)) return "shape:url";
        const std::string_view s = View::str(v);
        if (s.find_first_of("?#") != std::string_view::npos) return "shape:url";
        auto sep = s.find("://");
        if (sep != std::string_view::npos &&
            s.substr(sep + 3, s.find('/', sep + 3) - sep - 3).find('@') != std::string_view::npos)
          return "shape:url";
        return c.scan(s);
      }
      case action::text:
      case action::path:
        if (!View::is_string(v)) return "shape:string";
        return c.scan(View::str(v));
    }
    return "shape:unknown";
  }
};

std::optional<std::string> contract::check(std::string_view type, std::string_view category,
                                           const nlohmann::json& attrs) const {
  const event_rule* rule = policy_->find(type);
  if (!rule) return "type:unknown";
  if (category != rule->category) return "category:mismatch";
  if (!attrs.is_object()) return "attrs:not_object";
  return contract_walk<nlohmann_view>{*this}.check_node(rule->fields, attrs, 0);
}

std::optional<std::string> contract::check_json(std::string_view type, std::string_view category,
                                                std::string_view attrs_json) const {
  const event_rule* rule = policy_->find(type);
  if (!rule) return "type:unknown";
  if (category != rule->category) return "category:mismatch";
  thread_local simdjson::dom::parser parser;
  simdjson::dom::element attrs;
  if (parser.parse(attrs_json.data(), attrs_json.size()).get(attrs) != simdjson::SUCCESS ||
      attrs.type() != simdjson::dom::element_type::OBJECT)
    return "attrs:not_object";
  return contract_walk<simdjson_view>{*this}.check_node(rule->fields, attrs, 0);
}

std::vector<std::string> contract::pseudonym_fields(std::string_view type) const {
  std::vector<std::string> out;
  if (const event_rule* r = policy_->find(type))
    for (const auto& f : r->fields.rules)
      if (f.act == action::pseudonym) out.push_back(f.out_name);
  return out;
}

}  // namespace veil::detail
