// Request handling of veil-collector, apart from sockets (Beast example idiom): the server
// parses HTTP and calls handle() with a plain request; handle() decodes, guards, dedups and
// stores, and returns a plain response. Thread-safe: handle() may run on several threads at
// once (the sink serialises its writes). Never throws; never logs or echoes a field value.
#pragma once

#include <array>
#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "agent/core/result.hpp"
#include "tools/collector/cleaned_record.hpp"
#include "tools/collector/metrics.hpp"
#include "tools/collector/sink.hpp"

namespace veil::collector {

struct http_request {
  std::string method;            // "GET", "POST"
  std::string target;            // "/v1/logs" (a query string is ignored)
  std::string content_type;      // Content-Type header
  std::string content_encoding;  // Content-Encoding header
  std::string dict_id;           // X-Veil-Zstd-Dict header (zstd dictionary id), may be empty
  std::string idempotency_key;   // Idempotency-Key header
  std::string api_key;           // from "Authorization: Bearer <key>" or "X-Api-Key"
  std::string peer;              // the client's IP address as text ("127.0.0.1", "2001:db8::1")
  bool peer_loopback = false;    // the client connected over loopback
  std::string body;              // empty when authorize() is called (headers only)
  // The request's share of the memory budget, asked before decoding allocates (may be null).
  const veil::detail::memory_admit* admit = nullptr;
};

struct http_response {
  unsigned status = 200;
  std::string content_type = "application/json";
  std::string body;
  unsigned retry_after_s = 0;  // > 0: the server sends "Retry-After: N" (429, 503)
};

/// Per-app API keys (file: one "app_id key" or "key" per line, '#' comments). Keys are kept
/// only as SHA-256 digests and compared in constant time (CRYPTO_memcmp), over all keys.
class api_keys {
 public:
  static veil::result<api_keys> load(const std::string& path);
  static api_keys from_keys(const std::vector<std::string>& keys);
  bool empty() const noexcept { return digests_.empty(); }
  bool check(std::string_view presented) const noexcept;

 private:
  std::vector<std::array<unsigned char, 32>> digests_;
};

struct handler_options {
  std::size_t max_idempotency_key = 128;
  std::size_t max_erasure_tokens = 1000;
};

class request_handler {
 public:
  request_handler(sink& s, batch_decoder decode, record_guard guard, api_keys keys,
                  collector_metrics& m, handler_options o = {});

  http_response handle(const http_request& req) noexcept;

  /// Called by the server once the headers are read, before the body is (and before
  /// "100 Continue" is sent): endpoint, method and credentials. nullopt = go on and read the
  /// body; a response = send it and close without reading the body. handle() checks again.
  std::optional<http_response> authorize(const http_request& headers) noexcept;

  /// A response for an error the server detected before handle() (size, timeout, parse);
  /// counted in the metrics like any other response.
  http_response reject(std::string_view target, unsigned status, std::string_view reason) noexcept;

 private:
  http_response logs(const http_request& req);
  http_response erasure(const http_request& req);
  http_response error(std::string_view endpoint, unsigned status, std::string_view reason,
                      std::string_view message);

  sink& sink_;
  batch_decoder decode_;
  record_guard guard_;
  api_keys keys_;
  collector_metrics& metrics_;
  handler_options opts_;
};

}  // namespace veil::collector
