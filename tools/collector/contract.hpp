// The cleaned-data contract, checked on the receiving side (defense in depth, docs/architecture.md:
// "contract + PII guard"): an event must have a type the policy names, that type's category,
// only fields the policy can output, each value of the shape its action produces (a pseudonym
// is 32 hex, a network is a canonical prefix, a country two letters, a bucket one of its
// labels, ...), and no personal token left in any free string (the same text_scanner as the
// agent). Immutable after construction; check() is const and thread-safe. Reasons never carry
// a value or a field name taken from the input.
#pragma once

#include <nlohmann/json.hpp>

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "agent/policy/policy.hpp"
#include "agent/policy/text_scanner.hpp"

namespace veil::detail {

class contract {
 public:
  explicit contract(std::shared_ptr<const compiled_policy> p) : policy_(std::move(p)) {}

  /// nullopt when the event conforms; else a reason such as "type:unknown", "category:mismatch",
  /// "field:unexpected", "shape:pseudonym", "pii:email".
  std::optional<std::string> check(std::string_view type, std::string_view category,
                                   const nlohmann::json& attrs) const;
  /// The same check on attrs given as JSON text (the collector's records); text that is not one
  /// JSON object gives "attrs:not_object". Parsed with simdjson, one parser per thread.
  std::optional<std::string> check_json(std::string_view type, std::string_view category,
                                        std::string_view attrs_json) const;
  /// The output names that carry keyed pseudonyms for `type` (erasure matches them).
  std::vector<std::string> pseudonym_fields(std::string_view type) const;
  const compiled_policy& policy() const noexcept { return *policy_; }

 private:
  template <class View>
  friend struct contract_walk;  // the rules, over a nlohmann tree or a simdjson DOM (contract.cpp)
  std::optional<std::string> scan(std::string_view s) const;
  std::shared_ptr<const compiled_policy> policy_;
  text_scanner scanner_;
};

}  // namespace veil::detail
