// The collector's seams: the record it stores, the batch decoder and the record guard.
// cleaned_record is a plain value (the cleaned-data contract of EVENTS.md as it arrives over
// OTLP). batch_decoder and record_guard are pure functions supplied by the owner of the
// decoder (agent/upload) and of the policy contract; the stand-ins live in
// stand_in_decoder.cpp and record_guard.cpp. Both must be safe to call from several threads.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "agent/core/result.hpp"

namespace veil::collector {

/// One cleaned event as stored by the sinks.
struct cleaned_record {
  std::string type;      // dotted event type, e.g. "call.ended"
  std::string ts;        // RFC 3339 UTC, coarsened to the hour: "2026-11-29T10:00:00Z"
  std::string category;  // consent category, e.g. "call_quality"
  std::string install;   // pseudonymous install token (resource attribute veil.install), may be empty
  nlohmann::json attrs;  // cleaned attributes (an object)
};

/// Decodes one request body into records. Error codes the server maps to HTTP statuses:
///   errc::parse_error      -> 400 (malformed body)
///   errc::limit_exceeded   -> 413 (decompressed size or structure over its limit)
///   errc::invalid_argument -> 415 (unsupported content encoding or unknown dictionary)
/// The decoder enforces the decompressed-size cap it was built with.
using batch_decoder = std::function<veil::result<std::vector<cleaned_record>>(
    std::string_view body, std::string_view content_encoding, std::string_view dict_id)>;

/// Returns a quarantine reason ("pii:email", "type:unknown", ...) or nullopt to accept.
/// The reason never contains the offending value.
using record_guard = std::function<std::optional<std::string>(const cleaned_record&)>;

/// A record that failed the guard: only its type and the reason are kept, never a value.
struct quarantined_record {
  std::string type;
  std::string reason;
};

}  // namespace veil::collector
