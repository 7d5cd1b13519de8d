// uploader: the seam between the upload worker and the network (an interface with in-memory
// doubles; results say retry, drop or split). send() is called from the single upload worker
// thread, is noexcept, and returns within the implementation's timeouts; it never retries by itself
// (backoff decides when to call again). The caller owns the batch; implementations copy what they
// keep. There is no shutdown of its own: the worker stops calling send() (a send in flight ends
// within its timeouts). Implementations: http_uploader (http_uploader.hpp), memory_uploader (tests,
// --dry-run), null_uploader (drops everything and reports ok).
#pragma once

#include <chrono>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace veil::detail {

/// What the caller must do with the batch after a send.
enum class upload_result {
  ok,           // acknowledged by the server: ack the spool lease
  retry_later,  // network error, timeout, 408/429/5xx, TLS failure: keep it, back off, send again
  rejected,     // the server refused this batch for good (4xx): drop it and count the reason
  too_large,    // 413: split the batch in two and send the halves
};

const char* to_string(upload_result r) noexcept;

/// One compressed batch, ready to POST. The id stays the same across retries of the batch, so the
/// collector can deduplicate (Idempotency-Key); a split batch gets new ids for its halves.
struct upload_batch {
  std::string id;    // 32 lowercase hex chars (128 random bits), make_batch_id()
  std::string body;  // OTLP JSON, compressed with content_encoding
  // "zstd", "gzip" or "identity"; for zstd the dictionary ID is read from the frame header
  // (X-Veil-Zstd-Dict).
  std::string content_encoding = "zstd";
  std::string policy_hash;  // X-Veil-Policy
  std::size_t records = 0;  // for counters only
  // Rights requests (erasure, subject access) use the same transport: another path under the
  // endpoint's base, GET instead of POST, their own headers, a larger answer to keep.
  std::string path;  // empty: "/v1/logs"
  bool get = false;
  std::vector<std::pair<std::string, std::string>> headers;
  std::size_t max_response_bytes = 0;  // 0: the transport's default
};

struct upload_response {
  upload_response() = default;
  upload_response(upload_result res, std::optional<std::chrono::seconds> after, int status,
                  std::string why, std::string answer = {})
      : result(res),
        retry_after(after),
        http_status(status),
        reason(std::move(why)),
        body(std::move(answer)) {}
  upload_result result = upload_result::retry_later;
  std::optional<std::chrono::seconds> retry_after;  // from the Retry-After header, when present
  int http_status = 0;                              // 0: no HTTP response (network, TLS, timeout)
  std::string reason;                               // short, for counters and logs; never payload
  std::string body;  // the answer's body (bounded); read only for rights requests' receipts
};

/// 128 random bits as 32 lowercase hex chars (libsodium randombytes_buf).
std::string make_batch_id();

class uploader {
 public:
  virtual ~uploader() = default;
  virtual upload_response send(const upload_batch& batch) noexcept = 0;
  /// Ends a send() in flight on another thread as soon as possible (it returns retry_later,
  /// reason "cancelled"); a no-op when none is. Used when consent is revoked mid-upload.
  virtual void cancel() noexcept {}
};

class null_uploader final : public uploader {
 public:
  upload_response send(const upload_batch&) noexcept override {
    return {upload_result::ok, std::nullopt, 0, "null"};
  }
};

/// Keeps every batch it accepts; can be told to answer something else for the next n calls.
/// Thread-safe (tests read it from another thread).
class memory_uploader final : public uploader {
 public:
  upload_response send(const upload_batch& batch) noexcept override;
  void fail_next(std::size_t n, upload_response r);
  std::vector<upload_batch> batches() const;
  std::size_t calls() const;

 private:
  mutable std::mutex mu_;
  std::vector<upload_batch> batches_;
  std::size_t calls_ = 0;
  std::size_t fail_left_ = 0;
  upload_response fail_with_;
};

}  // namespace veil::detail
