// veil-collector's HTTP(S) server: Boost.Beast, one session object per connection on its own
// strand, request handling delegated to request_handler on a worker pool (so a slow sink never
// stalls socket I/O; /healthz and /metrics are answered on the strand, so ingest load cannot
// delay them). Limits: header and body size (413/431 before the body is read), a bounded read
// buffer (chunk-size lines, extensions and trailers), a whole-request read deadline (408) and a
// shorter idle deadline for connections that send nothing, connection caps globally (503) and
// per client address or IPv6 /64 (429), credentials checked before the body is read or "100
// Continue" sent, and an in-flight memory budget (memory_budget.hpp) every request reserves
// from before it allocates (503 + Retry-After when busy). Beast/Asio stay inside server.cpp
// (pimpl). Threading: start()/stop() from one controlling thread; stop() is graceful (stops
// accepting, lets in-flight requests finish, closes idle connections) and idempotent; the
// destructor calls it.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "agent/core/result.hpp"
#include "tools/collector/request_handler.hpp"

namespace veil::collector {

struct server_options {
  std::string listen = "127.0.0.1:0";              // host:port or [v6]:port; port 0 = any free port
  std::size_t max_body = std::size_t{8} << 20;     // compressed body bytes (413 above)
  std::size_t max_header = std::size_t{16} << 10;  // header bytes (431 above)
  std::chrono::milliseconds read_timeout{10'000};  // whole request, from its first byte (408)
  std::chrono::milliseconds idle_timeout{5'000};   // no byte of a (next) request yet: close
                                                   // (at most read_timeout)
  std::chrono::milliseconds write_timeout{10'000};     // one response
  std::chrono::milliseconds shutdown_grace{15'000};    // stop(): wait this long for in-flight work
  std::size_t max_connections = 256;                   // concurrent connections (503 above)
  std::size_t max_connections_per_client = 16;         // per IPv4 address or IPv6 /64 (429 above)
  std::size_t memory_budget = std::size_t{256} << 20;  // in-flight request memory (503 above)
  unsigned io_threads = 1;
  unsigned worker_threads = 2;    // run request_handler::handle
  std::string tls_cert, tls_key;  // PEM files; both set = HTTPS

  veil::result<void> validate() const;
};

/// How long to wait before accepting again after accept() failed with errno `err`: 0 for a
/// transient error of one connection, 10 ms doubling to 1 s while descriptors or memory are
/// exhausted (so the loop does not spin). Exposed for tests.
std::chrono::milliseconds accept_backoff(int err, std::chrono::milliseconds previous) noexcept;

class server {
 public:
  server(server_options o, request_handler& h);
  ~server();
  server(const server&) = delete;
  server& operator=(const server&) = delete;

  /// Binds, listens and starts the threads. The bound port is then port().
  veil::result<void> start();
  std::uint16_t port() const noexcept;
  /// Graceful stop; returns when all connections are closed and threads joined.
  void stop();

 private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

}  // namespace veil::collector
