#include "tools/collector/record_guard.hpp"

#include "tools/collector/contract.hpp"
#include "tools/collector/leak_guard.hpp"

#include "agent/policy/text_scanner.hpp"

namespace veil::collector {
namespace {

// Depth-first over every string (values and object keys); stops at the first hit.
std::string scan_json(const nlohmann::json& j, const pii_scan_fn& scan) {
  if (j.is_string()) return scan(j.get_ref<const std::string&>());
  if (j.is_object()) {
    for (const auto& [k, v] : j.items()) {
      if (auto c = scan(k); !c.empty()) return c;
      if (auto c = scan_json(v, scan); !c.empty()) return c;
    }
  } else if (j.is_array()) {
    for (const auto& v : j)
      if (auto c = scan_json(v, scan); !c.empty()) return c;
  }
  return {};
}

}  // namespace

pii_scan_fn text_scanner_scan() {
  return [](std::string_view s) -> std::string {
    static const veil::detail::text_scanner scanner;
    std::string scrubbed;
    veil::detail::redaction_counts counts;
    scanner.scrub(s, scrubbed, counts,
                  /*deny=*/false);  // shapes only: kept fields are enums, names of code
    if (counts.total() == 0) return {};
    for (std::size_t i = 0; i < veil::detail::token_class_count; ++i)
      if (counts.by_class[i] > 0) return std::string(veil::detail::token_class_names[i]);
    return "unknown";
  };
}

const std::set<std::string, std::less<>>& catalog_types() {
  static const std::set<std::string, std::less<>> types = {
      "app.started",       "screen.viewed",   "feature.used",    "account.registered",
      "call.ended",        "network.changed", "contacts.synced", "rating.submitted",
      "chat.message_sent", "crash.report",    "update.checked",  "location.updated",
      "log.line"};
  return types;
}

const std::vector<std::string>& pseudonym_fields() {
  static const std::vector<std::string> f = {"install_id", "call_id"};
  return f;
}

bool looks_like_pseudonym(std::string_view s) noexcept {
  // Exactly what the agent writes (agent/crypto/pseudonymizer.hpp): 32 lowercase hex digits
  // of a keyed BLAKE2b. A number, a user name or a longer token is not one.
  if (s.size() != 32) return false;
  for (char c : s)
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  return true;
}

record_guard make_default_guard(guard_options opts) {
  return [o = std::move(opts)](const cleaned_record& r) -> std::optional<std::string> {
    if (!o.allowed_types.contains(r.type)) return "type:unknown";
    if (r.category.empty()) return "category:missing";
    if (!r.install.empty() && !looks_like_pseudonym(r.install)) return "pseudonym:format";
    if (!r.attrs.is_object()) return "attrs:not_object";
    nlohmann::json rest = r.attrs.tree();
    // Pseudonyms are checked for their shape rather than scanned: a keyed hash is an
    // identifier by design, but it must not be a raw value in disguise.
    for (const auto& f : pseudonym_fields()) {
      auto it = rest.find(f);
      if (it == rest.end()) continue;
      if (!it->is_string() || !looks_like_pseudonym(it->get_ref<const std::string&>()))
        return "pseudonym:format";
      rest.erase(it);
    }
    if (auto c = scan_json(rest, o.scan); !c.empty()) return "pii:" + c;
    return std::nullopt;
  };
}

record_guard make_policy_guard(std::shared_ptr<const veil::detail::compiled_policy> policy) {
  auto c = std::make_shared<const veil::detail::contract>(std::move(policy));
  auto leaks = std::make_shared<const leak_guard>();
  return [c, leaks](const cleaned_record& r) -> std::optional<std::string> {
    if (!r.install.empty() && !looks_like_pseudonym(r.install)) return "pseudonym:format";
    if (auto why = c->check_json(r.type, r.category, r.attrs.text())) return why;
    // A second, independent opinion (it shares no detection code with the agent's scanner
    // that the contract reuses): see leak_guard.hpp.
    return leaks->check(r);
  };
}

}  // namespace veil::collector
