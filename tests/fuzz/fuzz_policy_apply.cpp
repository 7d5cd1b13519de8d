// Fuzz target: one JSONL line -> parse -> policy_engine::clean with the shipped
// config/policy.json and a fixed key. Invariants on every cleaned event:
//  - the output is one JSON object per nlohmann, with exactly type, ts, category, attrs;
//  - type is the input's type, category is one of the policy's and the rule's;
//  - the top-level attrs keys are output names the event's rule can produce;
//  - a string (>= 8 bytes, no '<') of a field the policy drops, or does not list, never shows
//    up in an output string of a pass-through field (keep, text, path, url_strip), unless the
//    same bytes are also in an input string that reaches the output legitimately.
#include <nlohmann/json.hpp>

#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "agent/core/event_parser.hpp"
#include "agent/core/simdjson_util.hpp"
#include "agent/crypto/key_ring.hpp"
#include "agent/platform/file_util.hpp"
#include "agent/policy/engine.hpp"
#include "tests/fuzz/fuzz_check.hpp"

using namespace veil::detail;

namespace {

struct fixture {
  std::shared_ptr<const compiled_policy> pol;
  std::unique_ptr<policy_engine> engine;
  std::unique_ptr<static_key_ring> keys;
  event_parser parser;
  sys_time now = sys_time(std::chrono::seconds(1795947307));

  fixture() {
    auto text = read_file(std::string(VEIL_SOURCE_DIR) + "/config/policy.json");
    VEIL_FUZZ_CHECK(text.ok(), "read config/policy.json");
    policy_report rep;
    auto p = compile_policy(*text, rep);
    VEIL_FUZZ_CHECK(p.ok(), "compile config/policy.json");
    pol = *p;
    engine = std::make_unique<policy_engine>(pol);
    unsigned char b[32];
    for (int i = 0; i < 32; ++i) b[i] = static_cast<unsigned char>(i);
    auto k = secure_key::from_bytes(b);
    VEIL_FUZZ_CHECK(k.ok(), "fixed key");
    keys = std::make_unique<static_key_ring>(std::move(*k));
  }
};

// Every string and key under `e`.
void collect_strings(simdjson::dom::element e, std::vector<std::string_view>& out) {
  switch (e.type()) {
    case simdjson::dom::element_type::STRING: out.push_back(sj::str(e)); break;
    case simdjson::dom::element_type::ARRAY:
      for (auto x : sj::arr(e)) collect_strings(x, out);
      break;
    case simdjson::dom::element_type::OBJECT:
      for (auto kv : sj::obj(e)) {
        out.push_back(kv.key);
        collect_strings(kv.value, out);
      }
      break;
    default: break;
  }
}

void all_strings(const nlohmann::json& j, std::vector<std::string>& out) {
  if (j.is_string()) out.push_back(j.get<std::string>());
  else if (j.is_array() || j.is_object())
    for (auto& x : j) all_strings(x, out);
}

// Output strings of pass-through fields only (keep, text, path, url_strip). Derived values
// (pseudonym tokens, network prefixes, ...) are left out: the fuzzer sees them through its
// memmem hooks and copies them into a dropped field, which is no leak.
void passed_strings(const field_node& node, const nlohmann::json& obj,
                    std::vector<std::string>& out) {
  if (!obj.is_object()) return;
  for (auto& [k, v] : obj.items()) {
    const field_rule* rule = nullptr;
    for (auto& r : node.rules)
      if (r.act != action::drop && r.out_name == k) rule = &r;
    if (!rule) continue;  // a secondary output such as country_as
    auto one = [&](const nlohmann::json& x) {
      if (rule->act == action::keep && rule->children && x.is_object())
        passed_strings(*rule->children, x, out);
      else if (rule->act == action::keep || rule->act == action::text ||
               rule->act == action::path || rule->act == action::url_strip)
        all_strings(x, out);
    };
    if (v.is_array())
      for (auto& x : v) one(x);
    else one(v);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static fixture fx;
  std::string_view line(reinterpret_cast<const char*>(data), size);
  raw_event ev;
  parse_failure fail;
  if (!fx.parser.parse(line, ev, fail)) return 0;
  std::string out = "#";  // clean() appends: a prefix must stay untouched
  clean_stats st;
  const event_rule* rule = fx.engine->clean(ev, *fx.keys, fx.now, out, st);
  VEIL_FUZZ_CHECK(st.events_in == 1, "events_in");
  if (!rule) {
    VEIL_FUZZ_CHECK(out == "#", "out untouched on drop");
    VEIL_FUZZ_CHECK(fx.pol->find(ev.type) == nullptr, "dropped a known type");
    return 0;
  }
  VEIL_FUZZ_CHECK(out.size() > 1 && out[0] == '#', "prefix kept");
  auto j = nlohmann::json::parse(std::string_view(out).substr(1), nullptr, false);
  VEIL_FUZZ_CHECK(!j.is_discarded(), "output is JSON");
  VEIL_FUZZ_CHECK(j.is_object() && j.size() == 4, "four envelope keys");
  VEIL_FUZZ_CHECK(j.contains("type") && j["type"].is_string() && j["type"] == std::string(ev.type),
                  "type");
  VEIL_FUZZ_CHECK(j.contains("ts") && j["ts"].is_string(), "ts");
  VEIL_FUZZ_CHECK(j.contains("category") && j["category"].is_string(), "category");
  auto cat = j["category"].get<std::string>();
  VEIL_FUZZ_CHECK(cat == rule->category && fx.pol->category_id(cat) >= 0,
                  "category is the policy's");
  VEIL_FUZZ_CHECK(j.contains("attrs") && j["attrs"].is_object(), "attrs object");

  std::set<std::string> allowed;
  for (auto& r : rule->fields.rules) {
    if (r.act == action::drop) continue;
    allowed.insert(r.out_name);
    if (!r.country_out.empty()) allowed.insert(r.country_out);
  }
  for (auto& [k, v] : j["attrs"].items())
    VEIL_FUZZ_CHECK(allowed.count(k) == 1, "attrs key the rule cannot produce");
  VEIL_FUZZ_CHECK(j["attrs"].size() <= allowed.size(), "attrs size");

  if (!ev.has_attrs) return 0;
  std::vector<std::string_view> dropped, passed;
  passed.push_back(ev.type);
  for (auto kv : sj::obj(ev.attrs)) {
    const field_rule* r = rule->fields.find(kv.key);
    if (!r || r->act == action::drop) collect_strings(kv.value, dropped);
    else {
      passed.push_back(kv.key);
      collect_strings(kv.value, passed);
    }
  }
  if (dropped.empty()) return 0;
  std::vector<std::string> outs;
  passed_strings(rule->fields, j["attrs"], outs);
  for (auto d : dropped) {
    if (d.size() < 8 || d.find('<') != std::string_view::npos) continue;
    bool in_out = false;
    for (auto& o : outs)
      if (o.find(d) != std::string::npos) in_out = true;
    if (!in_out) continue;
    bool elsewhere = false;
    for (auto p : passed)
      if (p.find(d) != std::string_view::npos) elsewhere = true;
    VEIL_FUZZ_CHECK(elsewhere, "a dropped field's value reached the output");
  }
  return 0;
}
