// host_uploader: the uploader whose HTTP exchange the host application does itself (URLSession,
// OkHttp, ...). send() hands the full request (method, absolute URL, headers, body) to the
// host's callback under a fresh request id and waits until the host reports the answer through
// host_transport::complete(), bounded by a timeout; cancel() and host_transport::shutdown() end
// the wait. The status -> upload_result mapping is classify_http_status(), the headers are
// make_http_request()'s: exactly what http_uploader sends and how it reads the answer.
// Threading: send() on any number of threads at once (the agent's sender and export); the
// callback runs on the sending thread and may call complete() before it returns, or later from
// any thread. complete() for an id that is unknown, already answered, timed out or cancelled
// does nothing and says so. Nothing throws out of send(), cancel(), complete() or shutdown().
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include "agent/core/result.hpp"
#include "agent/upload/http_request.hpp"
#include "agent/upload/uploader.hpp"

namespace veil::detail {

/// The registry of host exchanges in flight, shared by the uploaders of one agent.
class host_transport {
 public:
  /// Called on the sending thread with the request's id, the request and its body (all
  /// borrowed for the call). It may call complete() from inside. An exception it throws ends
  /// the exchange as retry_later.
  using send_fn = std::function<void(std::uint64_t id, const http_request&, std::string_view)>;
  enum class done_result {
    ok,          // delivered to the waiting send()
    unknown_id,  // no exchange with this id is waiting (never issued, answered, timed out, ...)
    bad_status,  // http_status outside 0..999: nothing delivered, the exchange still waits
  };

  /// `gated`: exchanges wait before calling the host until open_gate() (the agent opens it once
  /// the object the host's callback is given exists) or shutdown().
  explicit host_transport(send_fn fn, bool gated = false)
      : fn_(std::move(fn)), gate_open_(!gated) {}
  void open_gate() noexcept;

  /// One exchange: calls the host, waits for complete() until `timeout` (counted from the call),
  /// cancel(id) or shutdown(). `current`, when given, holds the id while the exchange waits.
  upload_response exchange(const http_request& req, std::string_view body,
                           std::chrono::milliseconds timeout, std::size_t max_body,
                           std::atomic<std::uint64_t>* current) noexcept;
  /// The host's answer. http_status 0: no HTTP answer (network, TLS, timeout on the host's
  /// side) -> retry_later. retry_after_s < 0: no Retry-After. `body` (borrowed) is kept when it
  /// fits the request's limit (rights requests read it), otherwise dropped like http_uploader
  /// drops an oversized body.
  done_result complete(std::uint64_t id, int http_status, int retry_after_s,
                       std::string_view body) noexcept;
  /// Ends the exchange `id` (its send() returns retry_later "cancelled"); unknown ids: no-op.
  void cancel(std::uint64_t id) noexcept;
  /// Ends every exchange waiting and refuses new ones (retry_later "transport: closed") without
  /// calling the host. For close(): afterwards the callback is never called again.
  void shutdown() noexcept;
  std::size_t in_flight() const;

 private:
  struct slot {
    bool done = false, cancelled = false;
    std::size_t max_body = 0;
    upload_response answer;
  };
  send_fn fn_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::map<std::uint64_t, std::shared_ptr<slot>> pending_;
  std::uint64_t next_id_ = 0;
  bool closed_ = false;
  bool gate_open_ = true;
};

/// The host's answer as an upload_response, through the same mapping as http_uploader's.
upload_response host_answer(int http_status, int retry_after_s);

struct host_options {
  std::string endpoint;  // the base URL of the requests: "https://collector.example:4318[/base]"
  std::string api_key;   // sent as a Bearer token; never logged
  std::chrono::milliseconds timeout{40'000};   // the whole exchange (connect + io by default)
  std::size_t max_response_bytes = 64 * 1024;  // body kept of an answer (batch may raise it)
  std::string user_agent = "veil/0.1";
  result<void> validate() const;
};

class host_uploader final : public uploader {
 public:
  static result<std::unique_ptr<host_uploader>> create(host_options opts,
                                                       std::shared_ptr<host_transport> transport);
  upload_response send(const upload_batch& batch) noexcept override;
  /// Thread-safe: ends this uploader's exchange in flight (send() returns "cancelled").
  void cancel() noexcept override;

 private:
  host_uploader(host_options o, http_endpoint ep, std::shared_ptr<host_transport> t)
      : opts_(std::move(o)), ep_(std::move(ep)), transport_(std::move(t)) {}
  host_options opts_;
  http_endpoint ep_;
  std::shared_ptr<host_transport> transport_;
  std::atomic<std::uint64_t> current_{0};
};

}  // namespace veil::detail
