// Compiles policy JSON (docs/policy-schema.md) into compiled_policy, collecting every error
// with its JSON path, and warns where a field the event catalog (docs/events.md) marks personal is
// kept or weakened.
#include <nlohmann/json.hpp>

#include <algorithm>
#include <set>

#include "agent/crypto/pseudonymizer.hpp"
#include "agent/policy/actions.hpp"
#include "agent/policy/policy.hpp"

namespace veil::detail {
namespace {
using nlohmann::json;

// The event catalog (docs/events.md): personal fields and the action the contract asks for (drop is
// always allowed).
struct pii_field {
  std::string_view type, field;
  action required;
};
constexpr pii_field pii_catalog[] = {
    {"app.started", "install_id", action::pseudonym},
    {"app.started", "username", action::drop},
    {"app.started", "email", action::drop},
    {"app.started", "license_key", action::drop},
    {"app.started", "device_id", action::drop},
    {"account.registered", "sip_uri", action::sip_domain},
    {"account.registered", "username", action::drop},
    {"account.registered", "auth_username", action::drop},
    {"account.registered", "password", action::drop},
    {"account.registered", "display_name", action::drop},
    {"account.registered", "registrar_ip", action::ip_prefix},
    {"account.registered", "local_ip", action::drop},
    {"account.registered", "public_ip", action::ip_prefix},
    {"account.registered", "error_text", action::text},
    {"call.ended", "call_id", action::pseudonym},
    {"call.ended", "remote_number", action::phone_country},
    {"call.ended", "remote_uri", action::sip_domain},
    {"call.ended", "remote_display_name", action::drop},
    {"call.ended", "contact_name", action::drop},
    {"call.ended", "local_ip", action::drop},
    {"call.ended", "public_ip", action::ip_prefix},
    {"call.ended", "geo", action::geo_coarsen},
    {"network.changed", "ssid", action::drop},
    {"network.changed", "bssid", action::drop},
    {"network.changed", "gateway_mac", action::drop},
    {"network.changed", "imsi", action::drop},
    {"network.changed", "iccid", action::drop},
    {"network.changed", "imei", action::drop},
    {"network.changed", "msisdn", action::drop},
    {"network.changed", "local_ip", action::drop},
    {"network.changed", "public_ip", action::ip_prefix},
    {"contacts.synced", "contacts", action::drop},
    {"rating.submitted", "comment", action::text},
    {"rating.submitted", "email", action::drop},
    {"chat.message_sent", "body", action::drop},
    {"chat.message_sent", "recipient", action::drop},
    {"crash.report", "message", action::text},
    {"crash.report", "frames.file", action::path},
    {"crash.report", "breadcrumbs", action::text},
    {"crash.report", "environment", action::drop},
    {"crash.report", "memory_dump", action::drop},
    {"update.checked", "url", action::url_strip},
    {"update.checked", "server_ip", action::ip_prefix},
    {"location.updated", "lat", action::geo_coarsen},
    {"location.updated", "lon", action::geo_coarsen},
    {"log.line", "message", action::text},
};

// Field names that are personal whatever the event type (warn when kept).
constexpr std::string_view personal_names[] = {
    "email",    "e_mail",    "mail",         "phone",      "phone_number", "msisdn",
    "number",   "password",  "passwd",       "pwd",        "secret",       "token",
    "username", "user_name", "display_name", "full_name",  "first_name",   "last_name",
    "ip",       "local_ip",  "public_ip",    "ip_address", "mac",          "imei",
    "imsi",     "iccid",     "ssid",         "bssid",      "lat",          "lon",
    "latitude", "longitude", "address",      "contacts",   "body",         "recipient",
    "sip_uri",  "uri",       "device_id",    "android_id", "idfa",         "advertising_id"};

std::string quote_key(std::string_view k) { return "['" + std::string(k) + "']"; }

struct compiler {
  policy_report& rep;
  compiled_policy& pol;

  void err(const std::string& path, std::string msg) {
    rep.errors.push_back({path, std::move(msg)});
  }
  // "mode": "event" (default) or "aggregate" with an "aggregate" block naming output fields
  // of this type (docs/policy-schema.md, "Aggregate mode").
  void compile_aggregate(const nlohmann::json& spec, event_rule& ev, const std::string& path) {
    const std::string mode =
        spec.contains("mode") && spec["mode"].is_string() ? spec["mode"].get<std::string>() : "";
    if (spec.contains("mode") && mode != "event" && mode != "aggregate") {
      err(path + ".mode", "must be \"event\" or \"aggregate\"");
      return;
    }
    if (mode != "aggregate") {
      if (spec.contains("aggregate")) err(path + ".aggregate", "only with \"mode\": \"aggregate\"");
      return;
    }
    const std::string ap = path + ".aggregate";
    if (!spec.contains("aggregate") || !spec["aggregate"].is_object()) {
      err(ap, "\"mode\": \"aggregate\" needs an aggregate object");
      return;
    }
    const auto& a = spec["aggregate"];
    auto s = std::make_unique<aggregate::spec>();
    s->type = ev.type;
    std::set<std::string> outputs;
    // A dimension keys a cell: a value that identifies (a pseudonym) or that is free text would
    // make a cell of one person, so those outputs may be measured but never be dimensions.
    std::set<std::string> identifying;
    for (const auto& r : ev.fields.rules) {
      if (r.act == action::drop) continue;
      outputs.insert(r.out_name);
      if (!r.country_out.empty()) outputs.insert(r.country_out);
      if (r.act == action::pseudonym || r.act == action::text || r.act == action::path ||
          r.act == action::url_strip || r.children)
        identifying.insert(r.out_name);
    }
    for (auto& [k, v] : a.items())
      if (k != "window_minutes" && k != "dimensions" && k != "measures" && k != "max_cells" &&
          k != "ldp")
        err(ap + "." + k, "unknown key");
    if (a.contains("window_minutes")) {
      if (!a["window_minutes"].is_number_integer())
        err(ap + ".window_minutes", "must be an integer");
      else s->window = std::chrono::minutes(a["window_minutes"].get<long>());
    }
    if (a.contains("max_cells")) {
      if (!a["max_cells"].is_number_unsigned() || a["max_cells"].get<std::uint64_t>() > 65536)
        err(ap + ".max_cells", "must be 1..65536");
      else s->max_cells = a["max_cells"].get<std::size_t>();
    }
    if (a.contains("dimensions")) {
      if (!a["dimensions"].is_array()) err(ap + ".dimensions", "must be an array of field names");
      else
        for (std::size_t i = 0; i < a["dimensions"].size(); ++i) {
          const auto& d = a["dimensions"][i];
          const std::string dp = ap + ".dimensions[" + std::to_string(i) + "]";
          if (!d.is_string()) err(dp, "must be a string");
          else if (!outputs.count(d.get<std::string>()))
            err(dp, "'" + d.get<std::string>() + "' is not an output field of this type");
          else if (identifying.count(d.get<std::string>()))
            err(dp, "'" + d.get<std::string>() +
                        "' cannot be a dimension: a pseudonym, free text, path, URL or object "
                        "value would give one person a cell of their own");
          else s->dimensions.push_back(d.get<std::string>());
        }
    }
    if (!a.contains("measures") || !a["measures"].is_object() || a["measures"].empty()) {
      err(ap + ".measures", "must be a non-empty object");
    } else {
      for (auto& [name, m] : a["measures"].items()) {
        const std::string mp = ap + ".measures" + quote_key(name);
        aggregate::measure_spec ms;
        if (m.is_string() && m.get<std::string>() == "count") {
          ms.k = aggregate::measure_spec::kind::count;
        } else if (m.is_object()) {
          if (!outputs.count(name)) {
            err(mp, "'" + name + "' is not an output field of this type");
            continue;
          }
          ms.field = name;
          for (auto& [k, v] : m.items())
            if (k != "histogram" && k != "sum" && k != "unit") err(mp + "." + k, "unknown key");
          if (m.contains("unit")) {
            if (!m["unit"].is_string()) err(mp + ".unit", "must be a string");
            else ms.unit = m["unit"].get<std::string>();
          }
          if (m.contains("histogram")) {
            ms.k = aggregate::measure_spec::kind::histogram;
            if (!m["histogram"].is_array()) err(mp + ".histogram", "must be an array of bounds");
            else
              for (const auto& b : m["histogram"]) {
                if (!b.is_number()) err(mp + ".histogram", "bounds must be numbers");
                else ms.bounds.push_back(b.get<double>());
              }
          } else if (m.contains("sum") && m["sum"] == true) {
            ms.k = aggregate::measure_spec::kind::sum;
          } else {
            err(mp, "needs \"histogram\": [bounds] or \"sum\": true");
            continue;
          }
        } else {
          err(mp, "must be \"count\" or an object");
          continue;
        }
        s->measures.push_back(std::move(ms));
      }
    }
    if (a.contains("ldp")) compile_ldp(a["ldp"], *s, ap + ".ldp");
    if (auto v = aggregate::validate(*s); !v) {
      err(ap, v.err().message);
      return;
    }
    ev.aggregate = std::move(s);
  }
  // "ldp": {"epsilon": e, "epsilon_per_day": b, "dimensions": {"dim": [domain...]},
  //         "histograms": ["measure", ...]} (docs/privacy-math.md).
  void compile_ldp(const nlohmann::json& l, aggregate::spec& s, const std::string& lp) {
    if (!l.is_object()) {
      err(lp, "must be an object");
      return;
    }
    for (auto& [k, v] : l.items())
      if (k != "epsilon" && k != "epsilon_per_day" && k != "dimensions" && k != "histograms")
        err(lp + "." + k, "unknown key");
    auto number = [&](const char* key, double& out) {
      if (!l.contains(key) || !l[key].is_number()) {
        err(lp + "." + key, "must be a number");
        return;
      }
      out = l[key].get<double>();
    };
    number("epsilon", s.ldp.epsilon);
    number("epsilon_per_day", s.ldp.epsilon_per_day);
    if (l.contains("dimensions")) {
      if (!l["dimensions"].is_object()) {
        err(lp + ".dimensions", "must map dimensions to their domains (arrays of strings)");
      } else {
        for (auto& [d, dom] : l["dimensions"].items()) {
          const std::string dp = lp + ".dimensions" + quote_key(d);
          if (!dom.is_array()) {
            err(dp, "must be an array of the values the dimension may take");
            continue;
          }
          std::vector<std::string> values;
          for (const auto& v : dom) {
            if (!v.is_string()) err(dp, "values must be strings");
            else values.push_back(v.get<std::string>());
          }
          s.ldp.domains[d] = std::move(values);
        }
      }
    }
    if (l.contains("histograms")) {
      if (!l["histograms"].is_array()) err(lp + ".histograms", "must be an array of measure names");
      else
        for (const auto& h : l["histograms"]) {
          if (!h.is_string()) err(lp + ".histograms", "must be an array of measure names");
          else s.ldp.histograms.push_back(h.get<std::string>());
        }
    }
  }
  void warn(const std::string& path, std::string msg) {
    rep.warnings.push_back({path, std::move(msg)});
  }

  static std::optional<action> parse_action(std::string_view s) {
    for (std::size_t i = 0; i < std::size(action_names); ++i)
      if (action_names[i] == s) return static_cast<action>(i);
    return std::nullopt;
  }

  // Finds or creates the rule for `key` in `node`.
  field_rule& rule_in(field_node& node, std::string_view key) {
    for (auto& r : node.rules)
      if (r.name == key) return r;
    field_rule r;
    r.name = std::string(key);
    r.out_name = r.name;
    r.act = action::keep;
    node.rules.push_back(std::move(r));
    return node.rules.back();
  }

  void compile_rule(const json& spec, field_rule& r, const std::string& path, int depth) {
    if (depth > 16) {
      err(path, "field nesting deeper than 16");
      return;
    }
    if (spec.is_string()) {
      auto a = parse_action(spec.get<std::string>());
      if (!a) err(path, "unknown action '" + spec.get<std::string>() + "'");
      else r.act = *a;
    } else if (spec.is_object()) {
      static const std::set<std::string> known = {"action", "as",       "bounds",  "type",
                                                  "fields", "decimals", "region",  "country_as",
                                                  "domain", "pii",      "context", "note"};
      for (auto& [k, v] : spec.items())
        if (!known.count(k)) err(path + "." + k, "unknown key");
      if (!spec.contains("action")) {
        if (spec.contains("fields")) r.act = action::keep;
        else err(path, "missing 'action'");
      } else if (!spec["action"].is_string()) {
        err(path + ".action", "must be a string");
      } else if (auto a = parse_action(spec["action"].get<std::string>())) {
        r.act = *a;
      } else {
        err(path + ".action", "unknown action '" + spec["action"].get<std::string>() + "'");
      }
      if (spec.contains("as")) {
        if (!spec["as"].is_string() || spec["as"].get<std::string>().empty())
          err(path + ".as", "must be a non-empty string");
        else r.out_name = spec["as"].get<std::string>();
      }
      if (spec.contains("type")) {
        const auto& t = spec["type"];
        if (t == "string") r.type = value_type::string;
        else if (t == "number") r.type = value_type::number;
        else if (t == "bool" || t == "boolean") r.type = value_type::boolean;
        else if (t == "any") r.type = value_type::any;
        else err(path + ".type", "must be one of string, number, bool, any");
      }
      if (spec.contains("bounds")) {
        const auto& b = spec["bounds"];
        if (!b.is_array() || b.empty()) {
          err(path + ".bounds", "must be a non-empty array of increasing numbers");
        } else {
          for (std::size_t i = 0; i < b.size(); ++i) {
            if (!b[i].is_number()) {
              err(path + ".bounds[" + std::to_string(i) + "]", "must be a number");
              continue;
            }
            double v = b[i].get<double>();
            if (!r.bounds.empty() && v <= r.bounds.back())
              err(path + ".bounds[" + std::to_string(i) + "]", "bounds must increase");
            r.bounds.push_back(v);
          }
        }
      }
      if (spec.contains("decimals")) {
        if (!spec["decimals"].is_number_integer() || spec["decimals"].get<int>() < 0 ||
            spec["decimals"].get<int>() > 4)
          err(path + ".decimals", "must be an integer 0..4");
        else r.decimals = spec["decimals"].get<int>();
      }
      if (spec.contains("region")) {
        const auto& g = spec["region"];
        std::string s = g.is_string() ? g.get<std::string>() : "";
        if (s.size() != 2 || !std::isupper(static_cast<unsigned char>(s[0])) ||
            !std::isupper(static_cast<unsigned char>(s[1])))
          err(path + ".region", "must be an ISO 3166-1 alpha-2 code such as \"DE\" (or \"ZZ\")");
        else r.phone_region = s;
      }
      if (spec.contains("country_as")) {
        if (!spec["country_as"].is_string() || spec["country_as"].get<std::string>().empty())
          err(path + ".country_as", "must be a non-empty string");
        else r.country_out = spec["country_as"].get<std::string>();
      }
      if (spec.contains("domain")) {
        if (!spec["domain"].is_string()) err(path + ".domain", "must be a string");
        else r.pseudonym_domain = spec["domain"].get<std::string>();
      }
      if (spec.contains("pii")) {
        if (!spec["pii"].is_boolean()) err(path + ".pii", "must be true or false");
        else r.pii = spec["pii"].get<bool>();
      }
      if (spec.contains("context")) {
        if (!spec["context"].is_boolean()) err(path + ".context", "must be true or false");
        else r.context = spec["context"].get<bool>();
      }
      if (spec.contains("fields")) {
        if (!spec["fields"].is_object()) {
          err(path + ".fields", "must be an object");
        } else {
          if (!r.children) r.children = std::make_unique<field_node>();
          compile_fields(spec["fields"], *r.children, path + ".fields", depth + 1);
        }
      }
    } else {
      err(path, "must be an action name or an object with \"action\"");
      return;
    }
    if (r.act == action::bucket && r.bounds.empty()) err(path, "bucket needs \"bounds\"");
    if (r.act != action::bucket && !r.bounds.empty())
      err(path + ".bounds", "only bucket takes bounds");
    if (r.children && r.act != action::keep) err(path + ".fields", "only keep takes sub-fields");
    if (!r.country_out.empty() && r.act != action::sip_domain)
      err(path + ".country_as", "only sip_domain takes country_as");
    if (r.type != value_type::any && r.act != action::keep)
      err(path + ".type", "only keep takes a type");
    if (r.act == action::pseudonym && r.pseudonym_domain.empty()) r.pseudonym_domain = r.out_name;
    for (double b : r.bounds) r.labels.push_back(bucket_label(b, r.bounds));
  }

  void compile_fields(const json& fields, field_node& node, const std::string& path, int depth) {
    for (auto& [key, spec] : fields.items()) {
      std::string p = path + quote_key(key);
      // "carrier.mcc" and "frames[].file" are shorthands for nested "fields".
      std::string_view k = key;
      field_node* cur = &node;
      bool bad = k.empty();
      while (!bad) {
        auto dot = k.find('.');
        std::string_view head = k.substr(0, dot);
        if (head.size() > 2 && head.substr(head.size() - 2) == "[]") head.remove_suffix(2);
        if (head.empty()) {
          bad = true;
          break;
        }
        field_rule& r = rule_in(*cur, head);
        if (dot == std::string_view::npos) {
          compile_rule(spec, r, p, depth);
          break;
        }
        if (r.act != action::keep) {
          err(p, "parent '" + std::string(head) + "' of a nested path must be kept");
          break;
        }
        if (!r.children) r.children = std::make_unique<field_node>();
        cur = r.children.get();
        k = k.substr(dot + 1);
      }
      if (bad) err(p, "empty field name");
    }
  }

  void finish_node(field_node& node, const std::string& path) {
    std::vector<std::string> outs;
    auto slot_of = [&](const std::string& name) {
      auto it = std::find(outs.begin(), outs.end(), name);
      if (it != outs.end()) return static_cast<std::uint16_t>(it - outs.begin());
      outs.push_back(name);
      return static_cast<std::uint16_t>(outs.size() - 1);
    };
    std::set<std::string> primary;
    for (std::size_t i = 0; i < node.rules.size(); ++i) {
      auto& r = node.rules[i];
      node.index.emplace(r.name, static_cast<std::uint16_t>(i));
      if (r.act == action::drop) continue;
      if (!primary.insert(r.out_name).second)
        err(path + quote_key(r.name), "output name '" + r.out_name + "' is produced by two fields");
      r.out_slot = slot_of(r.out_name);
      if (r.children) finish_node(*r.children, path + quote_key(r.name) + ".fields");
    }
    // A sip_domain's secondary country output may coincide with a phone_country output of
    // another field (remote_uri -> remote_country and remote_number -> remote_country): the
    // first one written wins at run time.
    for (auto& r : node.rules)
      if (!r.country_out.empty()) r.country_slot = slot_of(r.country_out);
    node.out_slots = static_cast<std::uint16_t>(outs.size());
  }

  const field_rule* lookup(const field_node& node, std::string_view dotted) {
    const field_node* cur = &node;
    while (cur) {
      auto dot = dotted.find('.');
      const field_rule* r = nullptr;
      for (auto& x : cur->rules)
        if (x.name == dotted.substr(0, dot)) r = &x;
      if (!r || dot == std::string_view::npos) return r;
      cur = r->children.get();
      dotted = dotted.substr(dot + 1);
    }
    return nullptr;
  }

  void check_pii(const event_rule& ev, const std::string& path) {
    for (const auto& p : pii_catalog) {
      if (p.type != ev.type) continue;
      const field_rule* r = lookup(ev.fields, p.field);
      if (!r) continue;  // unnamed: dropped by default deny
      if (r->act == action::drop || r->act == p.required) continue;
      std::string fp = path + ".fields" + quote_key(p.field);
      if (r->act == action::keep)
        warn(fp, "keeps a field the event catalog marks personal (contract: " +
                     std::string(action_names[size_t(p.required)]) + ")");
      else
        warn(fp, "uses " + std::string(action_names[size_t(r->act)]) +
                     " where the event catalog asks for " +
                     std::string(action_names[size_t(p.required)]) + " or drop");
    }
    walk_names(ev.fields, path + ".fields");
  }

  void walk_names(const field_node& node, const std::string& path) {
    for (const auto& r : node.rules) {
      if (r.act == action::keep && !r.children) {
        std::string lower;
        for (char c : r.name)
          lower.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
        for (auto n : personal_names)
          if (lower == n) {
            warn(path + quote_key(r.name),
                 "keeps a field whose name suggests personal data ('" + r.name + "')");
            break;
          }
      }
      if (r.children) walk_names(*r.children, path + quote_key(r.name) + ".fields");
    }
  }
};
}  // namespace

result<std::shared_ptr<const compiled_policy>> compile_policy(std::string_view text,
                                                              policy_report& rep) {
  json doc = json::parse(text, nullptr, false);
  if (doc.is_discarded()) {
    rep.errors.push_back({"$", "not valid JSON"});
    return make_error(errc::policy_invalid, "policy is not valid JSON");
  }
  auto pol = std::make_shared<compiled_policy>();
  compiler c{rep, *pol};
  if (!doc.is_object()) {
    c.err("$", "policy must be a JSON object");
    return make_error(errc::policy_invalid, "policy must be a JSON object");
  }
  static const std::set<std::string> top = {"schema",     "name",      "version",
                                            "timestamp",  "pseudonym", "keep_guard",
                                            "categories", "events",    "note"};
  for (auto& [k, v] : doc.items())
    if (!top.count(k)) c.err("$." + k, "unknown key");
  if (doc.contains("schema") && doc["schema"] != "veil-policy/1")
    c.err("$.schema", "must be \"veil-policy/1\"");
  if (doc.contains("name")) {
    if (doc["name"].is_string()) pol->name = doc["name"].get<std::string>();
    else c.err("$.name", "must be a string");
  }
  if (doc.contains("version")) {
    if (doc["version"].is_string()) pol->version = doc["version"].get<std::string>();
    else c.err("$.version", "must be a string");
  }
  if (doc.contains("timestamp")) {
    const auto& t = doc["timestamp"];
    const json* g = t.is_object() && t.contains("granularity") ? &t["granularity"] : &t;
    std::string s = g->is_string() ? g->get<std::string>() : "";
    if (s == "hour") pol->granularity = ts_granularity::hour;
    else if (s == "day") pol->granularity = ts_granularity::day;
    else if (s == "minute") pol->granularity = ts_granularity::minute;
    else if (s == "second") pol->granularity = ts_granularity::second;
    else if (s == "none") pol->granularity = ts_granularity::none;
    else c.err("$.timestamp.granularity", "must be one of day, hour, minute, second, none");
    if (pol->granularity != ts_granularity::hour && pol->granularity != ts_granularity::day)
      c.warn("$.timestamp.granularity", "timestamps finer than an hour help re-identification");
  }
  if (doc.contains("pseudonym")) {
    const auto& p = doc["pseudonym"];
    if (!p.is_object() || (p.contains("epoch_hours") && (!p["epoch_hours"].is_number_integer() ||
                                                         p["epoch_hours"].get<long>() < 1 ||
                                                         p["epoch_hours"].get<long>() > 24 * 90)))
      c.err("$.pseudonym.epoch_hours", "must be an integer 1..2160");
    else if (p.contains("epoch_hours"))
      pol->key_epoch = std::chrono::hours(p["epoch_hours"].get<long>());
    if (pol->key_epoch > std::chrono::hours(24 * 7))
      c.warn("$.pseudonym.epoch_hours", "pseudonyms linkable for more than a week");
  }
  if (doc.contains("keep_guard")) {
    if (!doc["keep_guard"].is_boolean()) c.err("$.keep_guard", "must be true or false");
    else pol->keep_guard = doc["keep_guard"].get<bool>();
    if (!pol->keep_guard)
      c.warn("$.keep_guard", "kept strings are not scanned for personal tokens");
  }
  if (!doc.contains("categories") || !doc["categories"].is_array() || doc["categories"].empty()) {
    c.err("$.categories", "must be a non-empty array of consent category names");
  } else {
    for (std::size_t i = 0; i < doc["categories"].size(); ++i) {
      const auto& x = doc["categories"][i];
      if (!x.is_string() || x.get<std::string>().empty())
        c.err("$.categories[" + std::to_string(i) + "]", "must be a non-empty string");
      else if (pol->category_id(x.get<std::string>()) >= 0)
        c.err("$.categories[" + std::to_string(i) + "]", "duplicate category");
      else pol->categories.push_back(x.get<std::string>());
    }
    if (pol->categories.size() > 64) c.err("$.categories", "at most 64 categories");
  }
  if (!doc.contains("events") || !doc["events"].is_object()) {
    c.err("$.events", "must be an object of event types");
  } else {
    for (auto& [type, spec] : doc["events"].items()) {
      std::string path = "$.events" + quote_key(type);
      if (!spec.is_object()) {
        c.err(path, "must be an object with \"category\" and \"fields\"");
        continue;
      }
      for (auto& [k, v] : spec.items())
        if (k != "category" && k != "fields" && k != "note" && k != "mode" && k != "aggregate")
          c.err(path + "." + k, "unknown key");
      auto ev = std::make_unique<event_rule>();
      ev->type = type;
      if (!spec.contains("category") || !spec["category"].is_string()) {
        c.err(path + ".category", "missing or not a string");
      } else {
        ev->category = spec["category"].get<std::string>();
        int id = pol->category_id(ev->category);
        if (id < 0) c.err(path + ".category", "'" + ev->category + "' is not in $.categories");
        else ev->category_id = static_cast<std::uint8_t>(id);
      }
      if (spec.contains("fields")) {
        if (!spec["fields"].is_object()) c.err(path + ".fields", "must be an object");
        else c.compile_fields(spec["fields"], ev->fields, path + ".fields", 0);
      }
      c.finish_node(ev->fields, path + ".fields");
      for (const auto& r : ev->fields.rules) ev->has_context = ev->has_context || r.context;
      c.check_pii(*ev, path);
      c.compile_aggregate(spec, *ev, path);
      pol->events.push_back(std::move(ev));
    }
  }
  for (const auto& e : pol->events) pol->by_type.emplace(e->type, e.get());
  pol->hash = public_digest_hex(doc.dump(), 8);
  if (!rep.errors.empty())
    return make_error(errc::policy_invalid, "policy has " + std::to_string(rep.errors.size()) +
                                                " error(s), first at " + rep.errors.front().path +
                                                ": " + rep.errors.front().message);
  return std::shared_ptr<const compiled_policy>(std::move(pol));
}

}  // namespace veil::detail
