// http_uploader: the uploader that POSTs one compressed OTLP batch to
// <endpoint>/v1/logs over HTTP or HTTPS (Boost.Beast; the only Beast TU of the library).
// Synchronous: send() runs its own io_context on the calling thread (the upload worker) and
// returns when the exchange ends; resolve+connect are bounded by connect_timeout, the TLS
// handshake, write and read each by io_timeout. One connection per send, no redirects followed.
// TLS: peer verification always on (system roots or ca_file), SNI, host name / IP verification,
// optional SHA-256 pin of the leaf's SubjectPublicKeyInfo. Every failure becomes an
// upload_response (retry_later for network, timeout and TLS errors); nothing throws.
// Headers sent: Content-Type: application/json, Content-Encoding, Idempotency-Key (batch id),
// X-Veil-Policy, X-Veil-Zstd-Dict (decimal dictionary ID read from the zstd frame header, when
// the frame has one),
// Authorization: Bearer <api_key> (when set). Thread-compatible: one sender at a time.
#pragma once

#include <array>
#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include "agent/core/result.hpp"
#include "agent/upload/uploader.hpp"

namespace veil::detail {

using spki_pin = std::array<unsigned char, 32>;  // SHA-256 of the DER SubjectPublicKeyInfo

struct http_options {
  std::string endpoint;                               // "https://collector.example:4318[/base]"
  std::string ca_file;                                // PEM bundle; empty: system roots
  std::optional<spki_pin> pin;                        // leaf public key pin (HTTPS only)
  std::string api_key;                                // sent as a Bearer token; never logged
  std::chrono::milliseconds connect_timeout{10'000};  // DNS + TCP connect
  std::chrono::milliseconds io_timeout{30'000};       // each of: TLS handshake, write, read
  std::size_t max_response_bytes = 64 * 1024;         // response body kept (and then ignored)
  std::string user_agent = "veil/0.1";
  result<void> validate() const;
};

/// "ab12…" (64 hex chars) -> pin.
result<spki_pin> parse_spki_pin(std::string_view hex);
/// SHA-256 of the SubjectPublicKeyInfo of the first certificate in a PEM file.
result<spki_pin> spki_pin_of_pem_file(const std::string& path);

class http_uploader final : public uploader {
 public:
  /// Validates the options, parses the endpoint and loads the trust store.
  static result<std::unique_ptr<http_uploader>> create(http_options opts);
  upload_response send(const upload_batch& batch) noexcept override;
  /// Thread-safe: stops the exchange in flight (send() returns retry_later "cancelled").
  void cancel() noexcept override;
  ~http_uploader() override;

 private:
  struct impl;
  explicit http_uploader(std::unique_ptr<impl> p);
  std::unique_ptr<impl> impl_;
};

}  // namespace veil::detail
