// Parses one raw event envelope {"type","ts","attrs"} from untrusted bytes (one JSONL line or a
// record() call) with limits on size, depth, string and array length. Never throws: a bad event
// yields a drop_reason and a message that says why (no value from the input is echoed).
// One parser per thread (it owns simdjson's reusable buffers); the parsed view is valid until
// the next parse() on the same parser.
#pragma once

#include <simdjson.h>

#include <cstdint>
#include <string>
#include <string_view>

#include "agent/core/counters.hpp"

namespace veil::detail {

struct event_limits {
  std::size_t max_event_bytes = 256 * 1024;
  std::size_t max_depth = 32;  // nesting inside attrs
  std::size_t max_string_bytes = 64 * 1024;
  std::size_t max_array_items = 4096;
  std::size_t max_type_bytes = 128;
};

struct raw_event {
  std::string_view type;
  std::int64_t ts_ms = 0;
  simdjson::dom::element attrs;  // an object (possibly empty)
  bool has_attrs = false;
};

struct parse_failure {
  drop_reason reason = drop_reason::parse_error;
  std::string message;  // e.g. "malformed JSON: TAPE_ERROR" or "ts: not RFC 3339 or epoch ms"
};

class event_parser {
 public:
  explicit event_parser(event_limits lim = {});
  /// Parses `json` (any bytes). On success fills `ev` and returns true; else fills `fail`.
  bool parse(std::string_view json, raw_event& ev, parse_failure& fail);
  /// Parses an envelope given as separate parts (the API's record(type, attrs_json)).
  bool parse_parts(std::string_view type, std::int64_t ts_ms, std::string_view attrs_json,
                   raw_event& ev, parse_failure& fail);
  const event_limits& limits() const noexcept { return lim_; }

 private:
  bool check_limits(simdjson::dom::element e, std::size_t depth, parse_failure& fail) const;
  bool finish(simdjson::error_code err, parse_failure& fail);
  event_limits lim_;
  simdjson::dom::parser parser_;
  std::string type_copy_;
};

}  // namespace veil::detail
