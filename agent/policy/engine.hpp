// The policy engine: one raw event in, one cleaned event (a JSON line) out, per the compiled
// policy. A pure function of (event, policy, key ring, now): no I/O, no clock, no globals
// (a pure function: testable with fixed inputs, safe on any thread). Raw values live only in the
// input view and in transient buffers; nothing raw is written to `out` unless the policy keeps it.
// const and thread-safe; never throws on input.
#pragma once

#include <memory>
#include <string>

#include "agent/core/counters.hpp"
#include "agent/core/event_parser.hpp"
#include "agent/crypto/key_ring.hpp"
#include "agent/policy/policy.hpp"
#include "agent/policy/text_scanner.hpp"

namespace veil::detail {

struct clean_stats {
  std::uint64_t events_in = 0;
  std::uint64_t events_out = 0;
  drop_counters drops;           // event-level and field-level reasons
  redaction_counts redactions;   // tokens replaced in text, path, url and guarded keep fields
  std::uint64_t guard_hits = 0;  // kept strings in which the guard still found a personal token
  clean_stats& operator+=(const clean_stats& o) noexcept {
    events_in += o.events_in;
    events_out += o.events_out;
    drops += o.drops;
    redactions += o.redactions;
    guard_hits += o.guard_hits;
    return *this;
  }
};

class policy_engine {
 public:
  explicit policy_engine(std::shared_ptr<const compiled_policy> p) : policy_(std::move(p)) {}

  /// Cleans `ev`. On success appends the cleaned JSON object (no newline) to `out` and returns
  /// the event's rule (category, type); returns nullptr when the whole event is dropped
  /// (unknown type), counting why in `stats`. `out` is untouched on a drop.
  const event_rule* clean(const raw_event& ev, const key_ring& keys, sys_time now, std::string& out,
                          clean_stats& stats) const;

  const compiled_policy& policy() const noexcept { return *policy_; }
  std::shared_ptr<const compiled_policy> policy_ptr() const noexcept { return policy_; }
  const text_scanner& scanner() const noexcept { return scanner_; }

 private:
  std::shared_ptr<const compiled_policy> policy_;
  text_scanner scanner_;
};

}  // namespace veil::detail
