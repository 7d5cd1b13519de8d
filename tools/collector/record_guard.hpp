// The collector's default record guard (stand-in until the policy contract check is plugged
// in): an allowed-type list, a shape check on pseudonym fields, and the PII text scanner run
// over every string in attrs. Returns a reason, never a value. Thread-safe (immutable state).
#pragma once

#include <functional>
#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "agent/policy/policy.hpp"
#include "tools/collector/cleaned_record.hpp"

namespace veil::collector {

/// Returns the token class name ("email", "ip", ...) of the first personal token in `s`, or
/// an empty string when there is none.
using pii_scan_fn = std::function<std::string(std::string_view s)>;

/// The scanner of agent/policy (text_scanner), wrapped as a pii_scan_fn.
pii_scan_fn text_scanner_scan();

/// Event types of the event catalog (docs/events.md) (stand-in for the policy contract).
const std::set<std::string, std::less<>>& catalog_types();

/// Top-level attrs that carry keyed pseudonyms (erasure matches them; the guard checks their
/// shape).
const std::vector<std::string>& pseudonym_fields();

/// True if `s` has the agent's pseudonym shape: exactly 32 lowercase hex digits.
bool looks_like_pseudonym(std::string_view s) noexcept;

struct guard_options {
  std::set<std::string, std::less<>> allowed_types = catalog_types();
  pii_scan_fn scan = text_scanner_scan();
};

/// Reasons: "type:unknown", "category:missing", "pseudonym:format", "pii:<class>",
/// "attrs:not_object".
record_guard make_default_guard(guard_options opts = {});

/// The production guard: the policy's cleaned-data contract (tools/collector/contract.hpp: known
/// type and category, only fields the policy outputs, each of the shape its action produces, no
/// personal token in any free string) plus the install token's shape, then the independent
/// leak guard (leak_guard.hpp) over every string and key: reasons "leak:<class>".
record_guard make_policy_guard(std::shared_ptr<const veil::detail::compiled_policy> policy);

}  // namespace veil::collector
