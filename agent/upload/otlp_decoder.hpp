// otlp_decoder: OTLP/HTTP JSON ExportLogsServiceRequest -> cleaned-event JSON objects
// ({"type","ts","category","attrs"}), the inverse of otlp_encoder. Reused by the collector, so
// the input is hostile: size, nesting depth, record and attribute counts are bounded before or
// while parsing, nothing throws out of decode(), and errors name the JSON path that failed
// (never the value). Accepts intValue/timeUnixNano as string or number, the event name from
// `eventName` or the `event.name` attribute. Stateless after construction; thread-safe.
#pragma once

#include <cstddef>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "agent/core/result.hpp"

namespace veil::detail {

struct otlp_decode_limits {
  std::size_t max_bytes = 16u << 20;        // whole request, decompressed
  std::size_t max_depth = 64;               // JSON brackets; the envelope takes 9, each nested attrs level 4
  std::size_t max_records = 10000;          // LogRecords in the request
  std::size_t max_attributes = 256;         // per record (top level + nested key/values)
  result<void> validate() const;
};

struct decoded_logs {
  std::vector<nlohmann::json> events;       // cleaned-event objects, in request order
  nlohmann::json resource = nlohmann::json::object();  // resource attributes, flattened
};

class otlp_decoder {
 public:
  explicit otlp_decoder(otlp_decode_limits limits = {}) : limits_(limits) {}
  /// Decodes a whole request; any malformed record fails the request (errc::parse_error or
  /// errc::limit_exceeded) with a message like "resourceLogs[0].scopeLogs[0].logRecords[3]: no event name".
  result<decoded_logs> decode(std::string_view body) const noexcept;

 private:
  otlp_decode_limits limits_;
};

}  // namespace veil::detail
