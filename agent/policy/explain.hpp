// The redaction diff behind `veil explain`: for one raw event, what the policy did to each field
// (action, before, after, or why it was dropped) and, for free text, which tokens were replaced
// and by which class. Offline and for people (a user, a privacy reviewer): it runs the real
// engine and scanner and reads their output back, so it never disagrees with what an upload
// holds, and the hot path carries no tracing. The report holds raw values (the "before" side):
// it is printed to the terminal of whoever supplied the event and never stored or sent.
// Pure functions; thread-safe; never throw on any input bytes.
#pragma once

#include <nlohmann/json.hpp>

#include <string>
#include <string_view>
#include <vector>

#include "agent/crypto/key_ring.hpp"
#include "agent/policy/engine.hpp"
#include "agent/policy/token_class.hpp"

namespace veil::detail {

/// One replaced token of a text value: its class, and the original text it stood for.
struct token_change {
  token_class cls = token_class::id;
  std::string original;  // empty when `aligned` is false
  bool aligned = true;   // false: the scanner normalised the text and the span is not known
};

/// Aligns `after` (the scrubbed form of `before`) back onto `before`: every placeholder in
/// `after` that replaced something yields one change, in order. Where a literal stretch could
/// sit at several places, the alignment whose spans the scanner itself classifies as their
/// placeholders wins (so "Bob +1 555 1234" -> "<user> <phone>" splits after "Bob").
/// Placeholders that were already in `before` (kept, not replaced) are not changes.
std::vector<token_change> redaction_diff(const text_scanner& scanner, std::string_view before,
                                         std::string_view after);

/// Explains one raw event (the JSON envelope `{"type","ts","attrs"}`). The report:
/// {"type", "category" | null, "dropped": bool, "reason" (when dropped),
///  "fields": [{"field": "attrs.x", "action", "as"?, "before", "after"?, "result":
///              "kept"|"changed"|"dropped", "reason"?, "tokens"?: [{"class", "original"}]}],
///  "cleaned": the cleaned event as uploaded, "redactions": {class: n}, "drops": {reason: n}}.
/// Malformed input gives {"error": "..."}; the message names what is wrong, never the value.
nlohmann::json explain_event(const policy_engine& engine, const key_ring& keys, sys_time now,
                             std::string_view raw_json);

/// Explains one free-text value as the `text` action scrubs it: {"before","after","tokens"}.
nlohmann::json explain_text(const text_scanner& scanner, std::string_view text);

}  // namespace veil::detail
