// The compiled policy: what each event type and field becomes (docs/events.md, "Actions").
// Built once from policy JSON (schema: docs/policy-schema.md) by compile_policy(), which
// reports every mistake with its JSON path; afterwards immutable and shared by any number of
// threads. Field lookup uses per-node hash maps built at compile time (no policy re-parsing and
// no linear string compares per event).
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "agent/aggregate/aggregator.hpp"
#include "agent/core/result.hpp"
#include "agent/core/time_util.hpp"

namespace veil::detail {

enum class action : std::uint8_t {
  keep,
  drop,
  pseudonym,
  ip_prefix,
  phone_country,
  sip_domain,
  geo_coarsen,
  bucket,
  url_strip,
  text,
  path,
};
inline constexpr std::string_view action_names[] = {
    "keep",        "drop",   "pseudonym", "ip_prefix", "phone_country", "sip_domain",
    "geo_coarsen", "bucket", "url_strip", "text",      "path"};

enum class value_type : std::uint8_t { any, string, number, boolean };

struct field_node;

/// One field's rule. Children apply to an object value, or to each object of an array value.
struct field_rule {
  action act = action::drop;
  std::string name;            // input key
  std::string out_name;        // output key ("as"), defaults to name
  std::uint16_t out_slot = 0;  // index of out_name in the parent node (duplicate suppression)
  value_type type = value_type::any;  // keep: values of another type are dropped
  std::vector<double> bounds;         // bucket
  std::vector<std::string> labels;    // bucket, precomputed
  int decimals = 1;                   // geo_coarsen
  std::string pseudonym_domain;       // pseudonym: domain separation, default out_name
  std::string phone_region = "ZZ";    // phone_country: default region for national numbers
  std::string country_out;            // sip_domain: also emit the country of a numeric user part
  std::uint16_t country_slot = 0;
  bool pii = false;      // the event catalog marks the field personal (policy check warns on keep)
  bool context = false;  // its values are also removed from this event's free text
  std::unique_ptr<field_node> children;  // keep on objects / arrays of objects
};

struct field_node {
  std::vector<field_rule> rules;
  std::unordered_map<std::string_view, std::uint16_t> index;  // input key -> rule index
  std::uint16_t out_slots = 0;
  const field_rule* find(std::string_view key) const noexcept {
    auto it = index.find(key);
    return it == index.end() ? nullptr : &rules[it->second];
  }
};

struct event_rule {
  std::string type;
  std::string category;
  std::uint8_t category_id = 0;
  bool has_context = false;  // some top-level field is marked "context"
  field_node fields;
  // "mode": "aggregate": the window spec over the cleaned output. The agent folds this type's
  // cleaned events into windows (agent/aggregate/aggregate_store.hpp) instead of spooling them.
  std::unique_ptr<aggregate::spec> aggregate;
};

struct compiled_policy {
  std::string name;
  std::string version;
  std::string hash;  // hex BLAKE2b-less stable hash of the canonical source (for batch stamping)
  ts_granularity granularity = ts_granularity::hour;
  bool keep_guard = true;  // scan kept strings with the text scanner as a safety net
  std::chrono::seconds key_epoch{std::chrono::hours(24)};
  std::vector<std::string> categories;  // consent categories, index = category_id
  std::vector<std::unique_ptr<event_rule>> events;
  std::unordered_map<std::string_view, const event_rule*> by_type;

  const event_rule* find(std::string_view type) const noexcept {
    auto it = by_type.find(type);
    return it == by_type.end() ? nullptr : it->second;
  }
  int category_id(std::string_view c) const noexcept {
    for (std::size_t i = 0; i < categories.size(); ++i)
      if (categories[i] == c) return static_cast<int>(i);
    return -1;
  }
};

/// A problem found while compiling: `path` is a JSON path into the policy
/// ("$.events['call.ended'].fields.geo").
struct policy_issue {
  std::string path;
  std::string message;
};

struct policy_report {
  std::vector<policy_issue> errors;
  std::vector<policy_issue> warnings;
};

/// Compiles policy JSON text. On failure returns errc::policy_invalid and fills report.errors
/// (every error, not just the first). Warnings (e.g. a field the event catalog marks PII that the
/// policy keeps) go to report.warnings either way.
result<std::shared_ptr<const compiled_policy>> compile_policy(std::string_view json_text,
                                                              policy_report& report);

}  // namespace veil::detail
