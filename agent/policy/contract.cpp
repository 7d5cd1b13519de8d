#include "agent/policy/contract.hpp"

#include <cmath>

#include "agent/policy/actions.hpp"

namespace veil::detail {
namespace {
bool is_hex32(const std::string& s) {
  if (s.size() != 32) return false;
  for (char c : s)
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  return true;
}
bool is_country(const std::string& s) {
  return s.size() == 2 && s[0] >= 'A' && s[0] <= 'Z' && s[1] >= 'A' && s[1] <= 'Z';
}
bool is_network(const std::string& s) {
  auto slash = s.find('/');
  if (slash == std::string::npos) return false;
  std::string canon;
  return ip_prefix(s.substr(0, slash), canon) && canon == s;
}
bool is_host(const std::string& s) {
  if (s.empty() || s.size() > 253) return false;
  for (char c : s)
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '-' || c == '_')) return false;
  return true;
}
bool has_decimals_at_most(double v, int decimals) {
  return std::fabs(round_to(v, decimals) - v) < 1e-9;
}
}  // namespace

std::optional<std::string> contract::scan(const std::string& s) const {
  std::string out;
  redaction_counts c;
  scanner_.scrub(s, out, c);
  // The scanner also counts placeholders it rewrites to themselves ("Call-ID: <id>" in a
  // cleaned SIP trace); only a string it would change still holds a token.
  if (c.total() == 0 || out == s) return std::nullopt;
  for (std::size_t i = 0; i < token_class_count; ++i)
    if (c.by_class[i]) return "pii:" + std::string(token_class_names[i]);
  return "pii:unknown";
}

std::optional<std::string> contract::check(std::string_view type, std::string_view category,
                                           const nlohmann::json& attrs) const {
  const event_rule* rule = policy_->find(type);
  if (!rule) return "type:unknown";
  if (category != rule->category) return "category:mismatch";
  if (!attrs.is_object()) return "attrs:not_object";
  return check_node(rule->fields, attrs, 0);
}

std::optional<std::string> contract::check_node(const field_node& node, const nlohmann::json& obj, int depth) const {
  if (depth > 16) return "shape:too_deep";
  for (auto it = obj.begin(); it != obj.end(); ++it) {
    const field_rule* match = nullptr;
    bool country = false;
    for (const auto& r : node.rules) {
      if (r.act == action::drop) continue;
      if (r.out_name == it.key()) {
        match = &r;
        break;
      }
      if (!r.country_out.empty() && r.country_out == it.key()) {
        match = &r;
        country = true;
      }
    }
    if (!match) return "field:unexpected";
    if (auto v = check_value(*match, it.value(), country, depth)) return v;
  }
  return std::nullopt;
}

std::optional<std::string> contract::check_value(const field_rule& r, const nlohmann::json& v, bool country,
                                                 int depth) const {
  if (v.is_array()) {
    if (r.act == action::keep && !r.children && r.type != value_type::any) return "shape:array";
    for (const auto& x : v)
      if (auto e = check_value(r, x, country, depth + 1)) return e;
    return std::nullopt;
  }
  if (country || r.act == action::phone_country)
    return v.is_string() && is_country(v.get<std::string>()) ? std::nullopt : std::optional<std::string>("shape:country");
  switch (r.act) {
    case action::keep:
      if (r.children) {
        if (!v.is_object()) return "shape:object";
        return check_node(*r.children, v, depth + 1);
      }
      if (v.is_object()) return "shape:object";
      if (r.type == value_type::number && !v.is_number() && !v.is_string()) return "shape:number";
      if (r.type == value_type::boolean && !v.is_boolean()) return "shape:bool";
      if (v.is_string()) return scan(v.get<std::string>());
      return std::nullopt;
    case action::drop: return "field:unexpected";
    case action::pseudonym:
      return v.is_string() && is_hex32(v.get<std::string>()) ? std::nullopt : std::optional<std::string>("shape:pseudonym");
    case action::ip_prefix:
      return v.is_string() && is_network(v.get<std::string>()) ? std::nullopt : std::optional<std::string>("shape:network");
    case action::phone_country: return std::nullopt;  // handled above
    case action::sip_domain:
      if (v.is_string() && (is_host(v.get<std::string>()) || is_network(v.get<std::string>()))) return std::nullopt;
      return "shape:domain";
    case action::geo_coarsen:
      if (v.is_number()) return has_decimals_at_most(v.get<double>(), r.decimals) ? std::nullopt : std::optional<std::string>("shape:geo");
      if (v.is_object() && v.size() == 2 && v.contains("lat") && v.contains("lon") && v["lat"].is_number() &&
          v["lon"].is_number() && has_decimals_at_most(v["lat"].get<double>(), r.decimals) &&
          has_decimals_at_most(v["lon"].get<double>(), r.decimals))
        return std::nullopt;
      return "shape:geo";
    case action::bucket: {
      if (!v.is_string()) return "shape:bucket";
      const auto& s = v.get_ref<const std::string&>();
      for (const auto& l : r.labels)
        if (l == s) return std::nullopt;
      if (!r.bounds.empty() && s == bucket_label(r.bounds.front() - 1, r.bounds)) return std::nullopt;
      return "shape:bucket";
    }
    case action::url_strip: {
      if (!v.is_string()) return "shape:url";
      const auto& s = v.get_ref<const std::string&>();
      if (s.find_first_of("?#") != std::string::npos) return "shape:url";
      auto sep = s.find("://");
      if (sep != std::string::npos && s.substr(sep + 3, s.find('/', sep + 3) - sep - 3).find('@') != std::string::npos)
        return "shape:url";
      return scan(s);
    }
    case action::text:
    case action::path:
      if (!v.is_string()) return "shape:string";
      return scan(v.get<std::string>());
  }
  return "shape:unknown";
}

std::vector<std::string> contract::pseudonym_fields(std::string_view type) const {
  std::vector<std::string> out;
  if (const event_rule* r = policy_->find(type))
    for (const auto& f : r->fields.rules)
      if (f.act == action::pseudonym) out.push_back(f.out_name);
  return out;
}

}  // namespace veil::detail
