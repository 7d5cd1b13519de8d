// otlp_encoder: turns a batch of cleaned events (one JSON object per line:
// {"type","ts","category","attrs"}) into an OTLP/HTTP JSON ExportLogsServiceRequest.
// Pure and stateless after construction: safe to call from any thread. Never throws.
// A line that does not parse, or lacks "type"/"ts", is skipped and counted in `skipped`
// (untrusted input never throws); the batch still encodes. Resource attributes come only from
// resource_info, never from event content. Ints are emitted as OTLP `intValue` decimal strings,
// timeUnixNano as a decimal string (OTLP JSON mapping).
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "agent/core/result.hpp"

namespace veil::detail {

/// The only resource attributes we send: nothing that identifies a user or a device.
struct resource_info {
  std::string service_name = "veil";  // service.name
  std::string app_version;            // service.version (omitted when empty)
  std::string os_name;                // os.name (omitted when empty)
};

struct otlp_payload {
  std::string body;         // ExportLogsServiceRequest JSON
  std::size_t records = 0;  // LogRecords written
  std::size_t skipped = 0;  // input lines dropped (parse error, missing type/ts, bad ts)
};

class otlp_encoder {
 public:
  /// `install_token`: the `veil.install` resource attribute, a keyed per-epoch pseudonym of the
  /// install id (never the raw id); omitted when empty.
  /// `erasure_key`: the `veil.erasure_key` resource attribute, the epoch's device-proof public
  /// key (agent/crypto/device_proof.hpp); omitted when empty.
  explicit otlp_encoder(resource_info resource, std::string install_token = {},
                        std::string erasure_key = {})
      : resource_(std::move(resource)),
        install_token_(std::move(install_token)),
        erasure_key_(std::move(erasure_key)) {}

  /// Encodes `lines` (cleaned events). Fails only if no line could be encoded while some were
  /// given.
  result<otlp_payload> encode(std::span<const std::string> lines) const noexcept;

 private:
  resource_info resource_;
  std::string install_token_;
  std::string erasure_key_;
};

/// "2026-11-29T10:00:00Z" (optional fraction, 'Z' or ±hh:mm offset) -> ns since the Unix epoch.
std::optional<std::int64_t> parse_rfc3339_ns(std::string_view ts) noexcept;
/// ns since the epoch -> "2026-11-29T10:00:00Z" (fraction only when non-zero, trailing zeros
/// trimmed).
std::string format_rfc3339_ns(std::int64_t ns);

}  // namespace veil::detail
