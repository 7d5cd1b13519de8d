// otlp_decoder: OTLP/HTTP JSON ExportLogsServiceRequest -> cleaned events, the inverse of
// otlp_encoder. Reused by the collector, so the input is hostile: size, nesting depth, value
// count, string, key and number lengths are bounded by a pre-scan before the parser allocates
// (and its cost is admitted by the caller's memory budget), record and attribute counts while
// walking, nothing throws out of decode(), and
// errors name the JSON path that failed (never the value; the path is only built for an error).
// Accepts intValue/timeUnixNano as string or number, the event name from `eventName` or the
// `event.name` attribute. One simdjson DOM parse of the body, then each record's attributes are
// written straight to canonical JSON text (decode_records; the collector's path). decode()
// returns the same result as nlohmann trees for tests and tools. Stateless after construction;
// thread-safe (the simdjson parser and scratch buffers are per thread).
//
// Same acceptance as a strict nlohmann::json::parse of the body, on purpose (pinned by tests):
// a leading UTF-8 BOM is skipped, a NUL byte ends the document, an integer literal beyond 64
// bits is read as a double, duplicate object keys keep the last value.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "agent/core/memory_admit.hpp"
#include "agent/core/result.hpp"

namespace veil::detail {

struct otlp_decode_limits {
  std::size_t max_bytes = 16u << 20;  // whole request, decompressed
  std::size_t max_depth = 64;  // JSON brackets; the envelope takes 9, each nested attrs level 4
  std::size_t max_records = 10000;   // LogRecords in the request
  std::size_t max_attributes = 512;  // per record (top level + nested key/values)
  // What parsing costs, checked by a pre-scan before the parser allocates anything:
  std::size_t max_values = 1'000'000;  // JSON values in the request (scalars and containers)
  std::size_t max_string = 64u << 10;  // bytes of one string value, as written
  std::size_t max_key = 1024;          // bytes of one object key
  std::size_t max_number = 64;         // characters of one number literal
  result<void> validate() const;
};

/// One LogRecord. `attrs_json` is one JSON object in canonical form: exactly what
/// nlohmann::json::dump() writes for the same value (no whitespace, keys sorted bytewise without
/// duplicates, integers in decimal, doubles in nlohmann's shortest form such as 87.0 or 1e+20,
/// only `"`, `\` and control characters escaped). `event.name` and `veil.category` are not in it.
struct otlp_log_record {
  std::string type;
  std::int64_t time_ns = 0;  // > 0
  std::string category;      // the veil.category attribute when it was a string
  bool has_category = false;
  std::string attrs_json = "{}";
};

struct otlp_logs {
  std::vector<otlp_log_record> records;  // in request order
  std::string resource_json =
      "{}";  // resource attributes of every resourceLogs merged (later wins), canonical
  std::optional<std::string> install;  // the merged resource attribute veil.install, when a string
  bool mixed_install = false;          // two resourceLogs named different veil.install values
  bool mixed_erasure_key = false;      // ... or different veil.erasure_key values
};

struct decoded_logs {
  std::vector<nlohmann::json>
      events;  // cleaned-event objects {"type","ts","category"?,"attrs"}, in request order
  nlohmann::json resource = nlohmann::json::object();  // resource attributes, flattened
};

class otlp_decoder {
 public:
  explicit otlp_decoder(otlp_decode_limits limits = {}) : limits_(limits) {}
  /// Decodes a whole request; any malformed record fails the request (errc::parse_error or
  /// errc::limit_exceeded) with a message like "resourceLogs[0].scopeLogs[0].logRecords[3]: no
  /// event name".
  /// `admit`, when given, is asked for the bytes the parse will touch (from the pre-scan)
  /// before the parser allocates; an error from it fails the call with that code.
  result<otlp_logs> decode_records(std::string_view body,
                                   const memory_admit* admit = nullptr) const noexcept;
  /// decode_records() as cleaned-event objects (ts as RFC 3339 with the sender's precision).
  result<decoded_logs> decode(std::string_view body) const noexcept;

 private:
  otlp_decode_limits limits_;
};

}  // namespace veil::detail
