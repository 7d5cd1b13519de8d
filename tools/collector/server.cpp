#include <utility>  // before asio: Boost 1.74 + GCC 12 + C++20 (asio uses std::exchange without including it)

#include "tools/collector/server.hpp"

#include <openssl/ssl.h>

#include <boost/asio.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

#include <atomic>
#include <charconv>
#include <cstring>
#include <iostream>
#include <map>
#include <mutex>
#include <optional>
#include <thread>
#include <unordered_map>
#include <vector>

#include "tools/collector/memory_budget.hpp"
#include "tools/collector/metrics.hpp"

namespace veil::collector {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;
using plain_stream = beast::tcp_stream;
using tls_stream = beast::ssl_stream<beast::tcp_stream>;

struct session_base {
  virtual ~session_base() = default;
  virtual void request_stop() = 0;
};

// Connections are counted per client: an IPv4 address, or an IPv6 /64 (one subscriber's
// prefix); an IPv4-mapped IPv6 address counts as its IPv4 address.
std::string client_key(const asio::ip::address& a) {
  if (a.is_v6() && a.to_v6().is_v4_mapped())
    return client_key(asio::ip::make_address_v4(asio::ip::v4_mapped, a.to_v6()));
  if (a.is_v4()) {
    auto b = a.to_v4().to_bytes();
    return std::string("4") + std::string(reinterpret_cast<const char*>(b.data()), b.size());
  }
  auto b = a.to_v6().to_bytes();
  return std::string("6") + std::string(reinterpret_cast<const char*>(b.data()), 8);
}

struct shared_state {
  server_options opts;
  request_handler& handler;
  memory_budget budget;
  asio::thread_pool workers;
  std::atomic<bool> stopping{false};
  std::atomic<std::size_t> active{0};
  std::mutex mu;
  std::map<std::uint64_t, std::weak_ptr<session_base>> sessions;
  std::unordered_map<std::string, std::size_t> per_client;  // under mu
  std::uint64_t next_id = 0;

  shared_state(server_options o, request_handler& h)
      : opts(std::move(o)), handler(h), budget(opts.memory_budget), workers(opts.worker_threads) {}

  // Counts a new connection of `client`; false when the client is at its cap.
  bool admit_client(const std::string& client) {
    std::lock_guard lk(mu);
    auto& n = per_client[client];
    if (n >= opts.max_connections_per_client) {
      if (n == 0) per_client.erase(client);
      return false;
    }
    ++n;
    return true;
  }
  void release_client(const std::string& client) {
    std::lock_guard lk(mu);
    auto it = per_client.find(client);
    if (it != per_client.end() && --it->second == 0) per_client.erase(it);
  }
};

// What the budget answer means for the request.
veil::errc budget_errc(memory_budget::outcome o) {
  switch (o) {
    case memory_budget::outcome::ok: return veil::errc::ok;
    case memory_budget::outcome::busy: return veil::errc::unavailable;
    case memory_budget::outcome::too_large: return veil::errc::limit_exceeded;
  }
  return veil::errc::internal;
}

template <class Stream>
class session final : public session_base, public std::enable_shared_from_this<session<Stream>> {
 public:
  template <class... Args>
  session(shared_state& st, std::string client, tcp::socket&& sock, Args&&... args)
      : st_(st),
        client_(std::move(client)),
        stream_(std::move(sock), std::forward<Args>(args)...),
        timer_(stream_.get_executor()),
        // Bounded: a chunk-size line, chunk extensions and trailers must fit in it (Beast
        // buffers them whole, without a limit of its own); headers are bounded by max_header.
        buffer_(st.opts.max_header + 4096),
        lease_(st.budget) {
    ++st_.active;
  }
  ~session() override {
    lease_.release();
    st_.release_client(client_);
    std::lock_guard lk(st_.mu);
    st_.sessions.erase(id_);
    --st_.active;
  }

  void start(std::uint64_t id) {
    id_ = id;
    beast::error_code ec;
    auto ep = beast::get_lowest_layer(stream_).socket().remote_endpoint(ec);
    if (!ec) {
      peer_ = ep.address().to_string();
      peer_loopback_ = ep.address().is_loopback();
    }
    asio::dispatch(stream_.get_executor(), [self = this->shared_from_this()] { self->on_start(); });
  }

  void request_stop() override {
    asio::post(stream_.get_executor(), [self = this->shared_from_this()] {
      // Idle (waiting for a next request that has not begun): close now. Busy: the response
      // goes out with Connection: close.
      if (self->reading_ && !self->got_bytes()) {
        beast::error_code ec;
        beast::get_lowest_layer(self->stream_).socket().cancel(ec);
      }
    });
  }

 private:
  bool got_bytes() const { return buffer_.size() > 0 || (parser_ && parser_->got_some()); }

  void on_start() {
    if constexpr (std::is_same_v<Stream, tls_stream>) {
      // A client that connects and sends nothing gets the (shorter) idle timeout.
      beast::get_lowest_layer(stream_).expires_after(
          std::min(st_.opts.idle_timeout, st_.opts.read_timeout));
      stream_.async_handshake(ssl::stream_base::server,
                              [self = this->shared_from_this()](beast::error_code ec) {
                                beast::get_lowest_layer(self->stream_).expires_never();
                                if (ec) return self->close_now();
                                self->do_read();
                              });
    } else {
      do_read();
    }
  }

  void arm_timer(std::chrono::milliseconds t) {
    timed_out_ = false;
    timer_.expires_after(t);
    timer_.async_wait([self = this->shared_from_this()](beast::error_code ec) {
      if (ec) return;  // cancelled: the read finished in time
      self->timed_out_ = true;
      beast::error_code ignored;
      beast::get_lowest_layer(self->stream_).socket().cancel(ignored);
    });
  }

  void do_read() {
    if (st_.stopping && !got_bytes()) return close_now();
    parser_.emplace();
    parser_->header_limit(static_cast<std::uint32_t>(st_.opts.max_header));
    parser_->body_limit(st_.opts.max_body);
    chunk_fail_ = chunk_failure::none;
    parser_->on_chunk_header(chunk_cb_);
    reading_ = true;
    if (buffer_.size() == 0) {
      // Nothing of the next request yet: wait for its first bytes with the idle timeout, so a
      // connection that sends nothing is closed sooner than one that is sending slowly.
      arm_timer(std::min(st_.opts.idle_timeout, st_.opts.read_timeout));
      stream_.async_read_some(
          buffer_.prepare(std::min<std::size_t>(4096, buffer_.max_size())),
          [self = this->shared_from_this()](beast::error_code ec, std::size_t n) {
            self->buffer_.commit(n);
            if (ec || n == 0) {
              self->timer_.cancel();
              self->reading_ = false;
              return self->close_now();  // idle, closed by the peer, or stopped
            }
            self->timer_.cancel();
            self->read_header();
          });
      return;
    }
    read_header();
  }

  void read_header() {
    arm_timer(st_.opts.read_timeout);
    http::async_read_header(stream_, buffer_, *parser_,
                            [self = this->shared_from_this()](beast::error_code ec, std::size_t) {
                              self->on_header(ec);
                            });
  }

  // The request's headers as the handler sees them (no body).
  std::shared_ptr<http_request> request_head() {
    const auto& msg = parser_->get();
    auto req = std::make_shared<http_request>();
    req->method = std::string(msg.method_string());
    req->target = std::string(msg.target());
    req->content_type = std::string(msg[http::field::content_type]);
    req->content_encoding = std::string(msg[http::field::content_encoding]);
    req->dict_id = std::string(msg["X-Veil-Zstd-Dict"]);
    req->idempotency_key = std::string(msg["Idempotency-Key"]);
    // Bounded copies (the header as a whole is bounded by max_header): one byte over a field's
    // limit is kept so the handler sees it is too long.
    auto bounded = [](beast::string_view v, std::size_t limit) {
      return std::string(v.substr(0, limit + 1));
    };
    req->veil_install = bounded(msg["X-Veil-Install"], 256);
    req->veil_time = bounded(msg["X-Veil-Time"], 256);
    req->veil_signature = bounded(msg["X-Veil-Signature"], 256);
    if (auto q = req->target.find('?'); q != std::string::npos)
      req->query = bounded(beast::string_view(req->target).substr(q + 1), 1024);
    auto auth = std::string_view(msg[http::field::authorization]);
    if (auth.size() > 7 && beast::iequals(auth.substr(0, 7), "Bearer "))
      req->api_key = std::string(auth.substr(7));
    else req->api_key = std::string(msg["X-Api-Key"]);
    req->peer = peer_;
    req->peer_loopback = peer_loopback_;
    req->authorized = authorized_;
    return req;
  }

  void on_header(beast::error_code ec) {
    if (ec) return on_read_error(ec);
    const auto& req = parser_->get();
    version_ = req.version();
    // Credentials and endpoint before the body: a client without a valid key gets its answer
    // now, and is never invited ("100 Continue") to send the body.
    authorized_ = false;
    if (auto denied = st_.handler.authorize(*request_head())) {
      timer_.cancel();
      reading_ = false;
      return write(std::move(*denied), true);
    }
    authorized_ = true;
    // An endpoint may take less than max_body (erasure: 256 KiB; subject access: none).
    const std::size_t limit =
        std::min<std::size_t>(st_.opts.max_body, st_.handler.body_limit(req.target()));
    if (auto len = parser_->content_length(); len && *len > limit) {
      timer_.cancel();
      reading_ = false;
      return respond_error(std::string(req.target()), 413, "too_large");
    }
    parser_->body_limit(limit);
    // The body's memory is reserved before it is read: all of it when its length is declared,
    // chunk by chunk otherwise (chunk_cb_).
    if (auto len = parser_->content_length()) {
      if (auto o = lease_.grow_to(static_cast<std::size_t>(*len) + st_.opts.max_header);
          o != memory_budget::outcome::ok) {
        timer_.cancel();
        reading_ = false;
        return respond_budget(std::string(req.target()), o);
      }
    }
    auto expect = req[http::field::expect];
    if (beast::iequals(expect, "100-continue")) {
      // Tell curl-like clients to send the body (the size check already passed).
      auto cont = std::make_shared<http::response<http::empty_body>>(http::status::continue_,
                                                                     req.version());
      http::async_write(
          stream_, *cont,
          [self = this->shared_from_this(), cont](beast::error_code wec, std::size_t) {
            if (wec) return self->close_now();
            self->read_body();
          });
      return;
    }
    read_body();
  }

  void read_body() {
    http::async_read(stream_, buffer_, *parser_,
                     [self = this->shared_from_this()](beast::error_code ec, std::size_t) {
                       self->on_read(ec);
                     });
  }

  void on_read_error(beast::error_code ec) {
    timer_.cancel();
    reading_ = false;
    std::string target =
        parser_ && parser_->is_header_done() ? std::string(parser_->get().target()) : "";
    if (timed_out_) {
      if (!got_bytes()) return close_now();  // idle keep-alive connection
      return respond_error(target, 408, "timeout");
    }
    if (ec == http::error::end_of_stream || ec == asio::error::operation_aborted ||
        ec == asio::error::eof || ec == asio::error::connection_reset)
      return close_now();
    switch (chunk_fail_) {
      case chunk_failure::none: break;
      case chunk_failure::extension: return respond_error(target, 400, "chunk_framing");
      case chunk_failure::busy: return respond_budget(target, memory_budget::outcome::busy);
      case chunk_failure::too_large:
        return respond_budget(target, memory_budget::outcome::too_large);
    }
    if (ec == http::error::body_limit) return respond_error(target, 413, "too_large");
    if (ec == http::error::header_limit) return respond_error(target, 431, "header_too_large");
    if (ec == http::error::buffer_overflow) {
      // The bounded read buffer filled: a chunk-size line, extension or trailer without end.
      if (parser_ && parser_->is_header_done()) return respond_error(target, 400, "chunk_framing");
      return respond_error(target, 431, "header_too_large");
    }
    if (ec == http::error::partial_message) return close_now();  // peer closed mid-request
    return respond_error(target, 400, "malformed");
  }

  void on_read(beast::error_code ec) {
    if (ec) return on_read_error(ec);
    timer_.cancel();
    reading_ = false;
    auto req = request_head();
    auto msg = parser_->release();
    keep_alive_ = msg.keep_alive();
    version_ = msg.version();
    req->body = std::move(msg.body());
    // /healthz and /metrics are answered here on the connection's strand: they are cheap, and
    // ingest load queued on the worker pool (a slow sink, a busy budget) cannot delay them.
    const auto ep = endpoint_label(req->target);
    if (ep == "/healthz" || ep == "/metrics") return write(st_.handler.handle(*req), false);
    // Decoding asks the budget for more than the body, on the worker thread, waiting a little
    // for other requests to give memory back before answering 503.
    const std::size_t base = lease_.held();
    admit_ = [this, base](std::size_t n) {
      return budget_errc(lease_.grow_to(base + n, std::chrono::milliseconds(250)));
    };
    req->admit = &admit_;
    // The handler may block on the sink: run it on the worker pool, answer on our strand.
    asio::post(st_.workers, [self = this->shared_from_this(), req] {
      auto res = self->st_.handler.handle(*req);
      asio::post(self->stream_.get_executor(),
                 [self, res = std::move(res)]() mutable { self->write(std::move(res), false); });
    });
  }

  void respond_error(const std::string& target, unsigned status, std::string_view reason) {
    write(st_.handler.reject(target, status, reason), true);
  }

  void respond_budget(const std::string& target, memory_budget::outcome o) {
    if (o == memory_budget::outcome::too_large) return respond_error(target, 413, "too_large");
    auto r = st_.handler.reject(target, 503, "busy");
    r.retry_after_s = 1;
    write(std::move(r), true);
  }

  // Chunked bodies: each chunk's size is reserved before its bytes are read (twice: the body
  // string grows by doubling), and extensions are bounded.
  enum class chunk_failure { none, extension, busy, too_large };
  void on_chunk_header(std::uint64_t size, beast::string_view ext, beast::error_code& ec) {
    if (ext.size() > max_chunk_extension) {
      chunk_fail_ = chunk_failure::extension;
      ec = http::error::bad_chunk_extension;
      return;
    }
    if (size == 0) return;
    chunked_ += static_cast<std::size_t>(size);
    auto o = lease_.grow_to(2 * chunked_ + st_.opts.max_header);
    if (o != memory_budget::outcome::ok) {
      chunk_fail_ =
          o == memory_budget::outcome::busy ? chunk_failure::busy : chunk_failure::too_large;
      ec = http::error::body_limit;
    }
  }
  static constexpr std::size_t max_chunk_extension = 256;

  void write(http_response r, bool close) {
    res_ = {};
    res_.version(version_ ? version_ : 11);
    res_.result(r.status);
    res_.set(http::field::server, "veil-collector");
    res_.set(http::field::content_type, r.content_type);
    if (r.retry_after_s > 0) res_.set(http::field::retry_after, std::to_string(r.retry_after_s));
    res_.body() = std::move(r.body);
    res_.keep_alive(!close && keep_alive_ && !st_.stopping);
    res_.prepare_payload();
    beast::get_lowest_layer(stream_).expires_after(st_.opts.write_timeout);
    http::async_write(stream_, res_,
                      [self = this->shared_from_this()](beast::error_code ec, std::size_t) {
                        beast::get_lowest_layer(self->stream_).expires_never();
                        // The request is answered: its memory goes back to the budget.
                        self->lease_.release();
                        self->chunked_ = 0;
                        const bool keep = self->res_.keep_alive();
                        self->res_ = {};
                        if (ec || !keep) return self->close_graceful();
                        self->do_read();
                      });
  }

  void close_graceful() {
    if constexpr (std::is_same_v<Stream, tls_stream>) {
      beast::get_lowest_layer(stream_).expires_after(std::chrono::seconds(2));
      stream_.async_shutdown(
          [self = this->shared_from_this()](beast::error_code) { self->close_now(); });
    } else {
      beast::error_code ec;
      stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
      if (ec) return close_now();
      // Lingering close: read and discard what the client is still sending (e.g. the rest of
      // a body we refused with 413) so close() does not send a RST that destroys our answer.
      stream_.expires_after(std::chrono::seconds(1));
      drain();
    }
  }

  void drain() {
    drain_buf_.resize(4096);
    stream_.async_read_some(asio::buffer(drain_buf_),
                            [self = this->shared_from_this()](beast::error_code ec, std::size_t) {
                              if (ec) return self->close_now();
                              self->drain();
                            });
  }

  void close_now() {
    beast::error_code ec;
    timer_.cancel();
    beast::get_lowest_layer(stream_).socket().close(ec);
  }

  shared_state& st_;
  std::string client_;
  Stream stream_;
  asio::steady_timer timer_;
  beast::flat_buffer buffer_;
  memory_budget::lease lease_;
  std::size_t chunked_ = 0;
  chunk_failure chunk_fail_ = chunk_failure::none;
  std::function<void(std::uint64_t, beast::string_view, beast::error_code&)> chunk_cb_ =
      [this](std::uint64_t size, beast::string_view ext, beast::error_code& ec) {
        on_chunk_header(size, ext, ec);
      };
  veil::detail::memory_admit admit_;
  std::vector<char> drain_buf_;
  std::optional<http::request_parser<http::string_body>> parser_;
  http::response<http::string_body> res_;
  std::uint64_t id_ = 0;
  std::string peer_;
  bool peer_loopback_ = false;
  bool authorized_ = false;  // authorize() passed for the request being read
  unsigned version_ = 11;
  bool keep_alive_ = false;
  bool timed_out_ = false;
  bool reading_ = false;
};

veil::result<tcp::endpoint> parse_listen(const std::string& s) {
  auto colon = s.rfind(':');
  if (colon == std::string::npos)
    return veil::make_error(veil::errc::invalid_argument, "--listen wants host:port");
  std::string host = s.substr(0, colon);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']')
    host = host.substr(1, host.size() - 2);
  unsigned short port = 0;
  auto p = std::string_view(s).substr(colon + 1);
  auto [ptr, ec] = std::from_chars(p.data(), p.data() + p.size(), port);
  if (ec != std::errc() || ptr != p.data() + p.size())
    return veil::make_error(veil::errc::invalid_argument, "--listen: bad port");
  beast::error_code aec;
  auto addr = asio::ip::make_address(host, aec);
  if (aec)
    return veil::make_error(veil::errc::invalid_argument, "--listen: host must be an IP address");
  return tcp::endpoint(addr, port);
}

}  // namespace

const char* const tls12_ciphers =
    "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:"
    "ECDHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305";

std::chrono::milliseconds accept_backoff(int err, std::chrono::milliseconds previous) noexcept {
  switch (err) {
    case EMFILE:
    case ENFILE:
    case ENOBUFS:
    case ENOMEM: {
      if (previous.count() <= 0) return std::chrono::milliseconds(10);
      return std::min(previous * 2, std::chrono::milliseconds(1000));
    }
    default: return std::chrono::milliseconds(0);  // e.g. ECONNABORTED: the next one is fine
  }
}

veil::result<void> server_options::validate() const {
  auto bad = [](std::string what) {
    return veil::make_error(veil::errc::invalid_argument, "server options: " + what);
  };
  using ms = std::chrono::milliseconds;
  if (max_body == 0 || max_body > (std::size_t{1} << 30))
    return bad("max_body must be 1 B .. 1 GiB");
  if (max_header < 1024 || max_header > (std::size_t{1} << 20))
    return bad("max_header must be 1 KiB .. 1 MiB");
  if (max_connections == 0 || max_connections > 1'000'000)
    return bad("max_connections must be 1 .. 1000000");
  if (max_connections_per_client == 0 || max_connections_per_client > 1'000'000)
    return bad("max_connections_per_client must be 1 .. 1000000");
  if (io_threads == 0 || io_threads > 256 || worker_threads == 0 || worker_threads > 256)
    return bad("threads must be 1 .. 256");
  for (auto [name, v] : {std::pair{"read_timeout", read_timeout},
                         {"write_timeout", write_timeout},
                         {"idle_timeout", idle_timeout}})
    if (v.count() <= 0 || v > ms(3'600'000)) return bad(std::string(name) + " must be 1 ms .. 1 h");
  if (memory_budget < 2 * (max_body + max_header))
    return bad("memory_budget must hold at least two bodies of max_body");
  if (tls_cert.empty() != tls_key.empty())
    return veil::make_error(veil::errc::invalid_argument, "--tls-cert and --tls-key go together");
  if (auto ep = parse_listen(listen); !ep) return std::move(ep).err();
  return {};
}

struct server::impl {
  shared_state st;
  asio::io_context ioc;
  std::optional<ssl::context> tls;
  tcp::acceptor acceptor{ioc};
  asio::steady_timer accept_timer{ioc};
  std::chrono::milliseconds backoff{0};
  bool backoff_logged = false;
  std::vector<std::thread> threads;
  std::uint16_t port = 0;
  bool started = false, stopped = false;

  impl(server_options o, request_handler& h) : st(std::move(o), h) {}

  void do_accept() {
    acceptor.async_accept(asio::make_strand(ioc), [this](beast::error_code ec, tcp::socket sock) {
      if (ec) {
        if (ec == asio::error::operation_aborted || !acceptor.is_open()) return;
        // Out of descriptors or memory: the pending connection stays in the backlog and
        // accept would fail again at once. Wait (growing to 1 s) instead of spinning, and
        // keep serving the connections we have.
        backoff = accept_backoff(ec.value(), backoff);
        if (backoff.count() == 0) return do_accept();
        if (!backoff_logged) {
          // strerror, not ec.message(): Boost 1.74's error_category trips UBSan's vptr check
          // across the header-only and the shared Boost.System (a false positive that halts).
          std::clog << "veil-collector: accept failed (" << std::strerror(ec.value())
                    << "); backing off\n";
          backoff_logged = true;
        }
        st.handler.reject("", 503, "accept_backoff");
        accept_timer.expires_after(backoff);
        accept_timer.async_wait([this](beast::error_code wec) {
          if (!wec && acceptor.is_open()) do_accept();
        });
        return;
      }
      backoff = std::chrono::milliseconds(0);
      backoff_logged = false;
      if (st.stopping) return;
      beast::error_code rec;
      const auto remote = sock.remote_endpoint(rec);
      if (rec) {
        do_accept();  // the peer is gone already
        return;
      }
      std::string client = client_key(remote.address());
      if (st.active.load() >= st.opts.max_connections) {
        reject_with(std::move(sock), 503, "overloaded");
      } else if (!st.admit_client(client)) {
        reject_with(std::move(sock), 429, "client_connections");
      } else if (tls) {
        start_session(
            std::make_shared<session<tls_stream>>(st, std::move(client), std::move(sock), *tls));
      } else {
        start_session(
            std::make_shared<session<plain_stream>>(st, std::move(client), std::move(sock)));
      }
      do_accept();
    });
  }

  template <class S>
  void start_session(std::shared_ptr<S> s) {
    std::uint64_t id;
    {
      std::lock_guard lk(st.mu);
      id = ++st.next_id;
      st.sessions[id] = s;
    }
    s->start(id);
  }

  void reject_with(tcp::socket sock, unsigned status, std::string_view reason) {
    auto res = st.handler.reject("", status, reason);
    if (tls) return;  // no TLS session to speak in: just close
    auto s = std::make_shared<tcp::socket>(std::move(sock));
    auto msg = std::make_shared<std::string>(
        std::string(status == 429 ? "HTTP/1.1 429 Too Many Requests"
                                  : "HTTP/1.1 503 Service Unavailable") +
        "\r\nRetry-After: 1\r\nConnection: close\r\n"
        "Content-Type: application/json\r\nContent-Length: " +
        std::to_string(res.body.size()) + "\r\n\r\n" + res.body);
    asio::async_write(*s, asio::buffer(*msg), [s, msg](beast::error_code, std::size_t) {
      beast::error_code ec;
      s->shutdown(tcp::socket::shutdown_send, ec);
      s->close(ec);
    });
  }
};

server::server(server_options o, request_handler& h)
    : impl_(std::make_unique<impl>(std::move(o), h)) {}
server::~server() { stop(); }

veil::result<void> server::start() {
  auto& d = *impl_;
  if (d.started) return veil::make_error(veil::errc::invalid_argument, "server already started");
  if (auto v = d.st.opts.validate(); !v) return v;
  auto ep = parse_listen(d.st.opts.listen);
  try {
    if (!d.st.opts.tls_cert.empty()) {
      d.tls.emplace(ssl::context::tls_server);
      d.tls->set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 |
                         ssl::context::no_sslv3 | ssl::context::no_tlsv1 |
                         ssl::context::no_tlsv1_1 | ssl::context::single_dh_use);
      // TLS 1.2 with forward-secret AEAD suites only (no static RSA, no CBC, no SHA-1 MACs),
      // TLS 1.3 with OpenSSL's defaults (all AEAD); the server's order; no renegotiation.
      SSL_CTX* ctx = d.tls->native_handle();
      SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
      SSL_CTX_set_options(
          ctx, SSL_OP_NO_RENEGOTIATION | SSL_OP_CIPHER_SERVER_PREFERENCE | SSL_OP_NO_COMPRESSION);
      if (SSL_CTX_set_cipher_list(ctx, tls12_ciphers) != 1)
        return veil::make_error(veil::errc::internal, "tls: cipher list refused by OpenSSL");
      d.tls->use_certificate_chain_file(d.st.opts.tls_cert);
      d.tls->use_private_key_file(d.st.opts.tls_key, ssl::context::pem);
    }
    d.acceptor.open(ep->protocol());
    d.acceptor.set_option(asio::socket_base::reuse_address(true));
    d.acceptor.bind(*ep);
    d.acceptor.listen(asio::socket_base::max_listen_connections);
    d.port = d.acceptor.local_endpoint().port();
  } catch (const std::exception& e) {
    return veil::make_error(veil::errc::unavailable, std::string("listen/tls setup: ") + e.what());
  }
  d.started = true;
  d.do_accept();
  for (unsigned i = 0; i < d.st.opts.io_threads; ++i) d.threads.emplace_back([&d] { d.ioc.run(); });
  return {};
}

std::uint16_t server::port() const noexcept { return impl_->port; }

void server::stop() {
  auto& d = *impl_;
  if (!d.started || d.stopped) return;
  d.stopped = true;
  d.st.stopping = true;
  asio::post(d.ioc, [&d] {
    beast::error_code ec;
    d.acceptor.close(ec);
  });
  {
    // The sessions are released after the lock: dropping the last reference here runs
    // ~session, which takes st.mu itself (a self-deadlock when a session ended meanwhile).
    std::vector<std::shared_ptr<session_base>> live;
    {
      std::lock_guard lk(d.st.mu);
      for (auto& [id, w] : d.st.sessions)
        if (auto s = w.lock()) live.push_back(std::move(s));
    }
    for (auto& s : live) s->request_stop();
  }
  const auto deadline = std::chrono::steady_clock::now() + d.st.opts.shutdown_grace;
  while (d.st.active.load() > 0 && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  if (d.st.active.load() > 0)
    std::clog << "veil-collector: " << d.st.active.load() << " connections cut at shutdown\n";
  d.ioc.stop();
  for (auto& t : d.threads) t.join();
  d.threads.clear();
  d.st.workers.join();
}

}  // namespace veil::collector
