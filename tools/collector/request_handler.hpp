// Request handling of veil-collector, apart from sockets (Beast example idiom): the server
// parses HTTP and calls handle() with a plain request; handle() decodes, guards, dedups and
// stores, and returns a plain response. Thread-safe: handle() may run on several threads at
// once (the sink serialises its writes). Never throws; never logs or echoes a field value.
#pragma once

#include <array>
#include <cstddef>
#include <memory>
#include <optional>
#include <variant>
#include <functional>
#include <chrono>
#include <string>
#include <string_view>
#include <vector>

#include "agent/core/result.hpp"
#include "tools/collector/cleaned_record.hpp"
#include "tools/collector/metrics.hpp"
#include "tools/collector/metrics_decoder.hpp"
#include "tools/collector/quota.hpp"
#include "tools/collector/sink.hpp"

namespace veil::collector {

struct http_request {
  std::string method;            // "GET", "POST"
  std::string target;            // "/v1/logs", "/v1/subject?offset=1000"
  std::string query;             // the target's query string (after '?'), at most 1 KiB kept
  std::string content_type;      // Content-Type header
  std::string content_encoding;  // Content-Encoding header
  std::string dict_id;           // X-Veil-Zstd-Dict header (zstd dictionary id), may be empty
  std::string idempotency_key;   // Idempotency-Key header
  std::string api_key;           // from "Authorization: Bearer <key>" or "X-Api-Key"
  // GET /v1/subject: the device's proof (at most 256 bytes of each are kept; the handler checks
  // their exact shapes).
  std::string veil_install;    // X-Veil-Install: the install token (32 lowercase hex)
  std::string veil_time;       // X-Veil-Time: unix milliseconds, decimal, as signed
  std::string veil_signature;  // X-Veil-Signature: Ed25519, 128 lowercase hex
  std::string peer;            // the client's IP address as text ("127.0.0.1", "2001:db8::1")
  bool peer_loopback = false;  // the client connected over loopback
  std::string body;            // empty when authorize() is called (headers only)
  // Set by the server when authorize() passed for these headers (its quotas are taken once).
  bool authorized = false;
  // The request's share of the memory budget, asked before decoding allocates (may be null).
  const veil::detail::memory_admit* admit = nullptr;
};

struct http_response {
  unsigned status = 200;
  std::string content_type = "application/json";
  std::string body;
  unsigned retry_after_s = 0;  // > 0: the server sends "Retry-After: N" (429, 503)
};

/// What a key may do. Ingest keys ship inside apps: with ingest keys configured, uploads,
/// erasure and subject access need one (erasure and access also need the device's own proof,
/// which no key replaces: only the device can erase or read its data). /metrics needs an
/// operator key. `admin` is still accepted in key files but grants nothing since the admin
/// erasure was removed (users' rights, issue 14).
enum key_scope : unsigned { scope_ingest = 1, scope_admin = 2, scope_operator = 4 };

/// API keys (file: one "key", "name key" or "name key scopes" per line, scopes a comma list of
/// ingest (default), admin, operator; '#' comments). Keys are kept only as SHA-256 digests and
/// compared in constant time (CRYPTO_memcmp), over all keys.
class api_keys {
 public:
  static veil::result<api_keys> load(const std::string& path);
  /// Ingest keys (tests, tools).
  static api_keys from_keys(const std::vector<std::string>& keys);
  /// Keys with their scopes (a key_scope bit set each).
  static api_keys from_scoped(const std::vector<std::pair<std::string, unsigned>>& keys);
  bool empty() const noexcept { return keys_.empty(); }
  /// The index of the presented key, or nullopt (no key matches).
  std::optional<std::size_t> find(std::string_view presented) const noexcept;
  unsigned scopes(std::size_t index) const noexcept { return keys_[index].scopes; }
  /// Whether any configured key carries `scope`.
  bool any(unsigned scope) const noexcept;

 private:
  struct entry {
    std::array<unsigned char, 32> digest;
    unsigned scopes;
  };
  std::vector<entry> keys_;
};

struct handler_options {
  std::size_t max_idempotency_key = 128;
  std::size_t max_erasure_tokens = 1000;
  // Quotas (token buckets; rate 0 = off). A real agent uploads a batch every few minutes, so
  // the per-install defaults are far above what one device sends; the per-key defaults bound
  // one app's whole fleet on one collector.
  rate_limit install_requests{5, 60};               // requests/s, burst
  rate_limit install_bytes{1 << 20, 32 << 20};      // body bytes/s, burst
  rate_limit key_requests{20'000, 40'000};          // per API key (all its devices)
  rate_limit erasures{1.0 / 6, 10};                 // erasure requests per client address
  rate_limit subject_requests{1, 30};               // subject access pages per install token
  std::size_t max_erasure_body = 256 << 10;         // bytes of a POST /v1/erasure body
  std::size_t max_erasure_depth = 4;                // JSON nesting of that body
  std::size_t subject_page_rows = 1000;             // rows per GET /v1/subject page
  std::size_t subject_page_bytes = 8 << 20;         // a page stops early past this many bytes
  std::chrono::milliseconds proof_window{300'000};  // |X-Veil-Time - now| allowed
  // Records dated outside [now - retention, now + 1 day] are quarantined ("time:out_of_range").
  std::chrono::hours retention{24 * 396};
  std::function<std::chrono::system_clock::time_point()> now;  // default: system_clock
  quota_clock steady_now;                                      // default: steady_clock
  std::function<std::string()> receipt_id;  // default: 32 random hex (device_proof.hpp)
  // POST /v1/metrics (the anonymous-statistics lane): Content-Encoding and OTLP metrics decode
  // (default: make_metrics_decoder() with metrics_limits' defaults and no zstd dictionary; the
  // collector's main passes its --max-decompressed and dictionary), and the leak guard run over
  // every point (default: one shared leak_guard).
  metrics_request_decoder decode_metrics;
  std::shared_ptr<const leak_guard> metrics_leak_guard;
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

  /// The largest body the endpoint of `target` takes (the server also applies its max_body):
  /// max_erasure_body for /v1/erasure, 0 for /v1/subject, unlimited otherwise.
  std::size_t body_limit(std::string_view target) const noexcept;

  /// A response for an error the server detected before handle() (size, timeout, parse);
  /// counted in the metrics like any other response.
  http_response reject(std::string_view target, unsigned status, std::string_view reason) noexcept;

 private:
  http_response logs(const http_request& req);
  http_response metrics(const http_request& req);
  http_response erasure(const http_request& req);
  http_response subject(const http_request& req);
  http_response error(std::string_view endpoint, unsigned status, std::string_view reason,
                      std::string_view message);
  /// 429 "rate_limited" with Retry-After: wait_s.
  http_response limited(std::string_view endpoint, unsigned wait_s, std::string_view message);

  // The key's index when the request is authorized by one; nullopt without keys configured.
  struct grant {
    std::optional<std::size_t> key;
  };
  std::variant<grant, http_response> check_access(const http_request& req);

  sink& sink_;
  batch_decoder decode_;
  record_guard guard_;
  api_keys keys_;
  collector_metrics& metrics_;
  handler_options opts_;
  token_buckets install_requests_, install_bytes_, key_requests_, erasures_, subjects_;
};

}  // namespace veil::collector
