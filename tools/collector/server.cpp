#include <utility>  // before asio: Boost 1.74 + GCC 12 + C++20 (asio uses std::exchange without including it)

#include "tools/collector/server.hpp"

#include <boost/asio.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

#include <atomic>
#include <charconv>
#include <iostream>
#include <map>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

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

struct shared_state {
  server_options opts;
  request_handler& handler;
  asio::thread_pool workers;
  std::atomic<bool> stopping{false};
  std::atomic<std::size_t> active{0};
  std::mutex mu;
  std::map<std::uint64_t, std::weak_ptr<session_base>> sessions;
  std::uint64_t next_id = 0;

  shared_state(server_options o, request_handler& h)
      : opts(std::move(o)), handler(h), workers(opts.worker_threads) {}
};

template <class Stream>
class session final : public session_base, public std::enable_shared_from_this<session<Stream>> {
 public:
  template <class... Args>
  session(shared_state& st, tcp::socket&& sock, Args&&... args)
      : st_(st),
        stream_(std::move(sock), std::forward<Args>(args)...),
        timer_(stream_.get_executor()) {
    ++st_.active;
  }
  ~session() override {
    std::lock_guard lk(st_.mu);
    st_.sessions.erase(id_);
    --st_.active;
  }

  void start(std::uint64_t id) {
    id_ = id;
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
      beast::get_lowest_layer(stream_).expires_after(st_.opts.read_timeout);
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

  void arm_timer() {
    timed_out_ = false;
    timer_.expires_after(st_.opts.read_timeout);
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
    reading_ = true;
    arm_timer();
    http::async_read_header(stream_, buffer_, *parser_,
                            [self = this->shared_from_this()](beast::error_code ec, std::size_t) {
                              self->on_header(ec);
                            });
  }

  void on_header(beast::error_code ec) {
    if (ec) return on_read_error(ec);
    const auto& req = parser_->get();
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
    if (ec == http::error::body_limit) return respond_error(target, 413, "too_large");
    if (ec == http::error::header_limit) return respond_error(target, 431, "header_too_large");
    if (ec == http::error::partial_message) return close_now();  // peer closed mid-request
    return respond_error(target, 400, "malformed");
  }

  void on_read(beast::error_code ec) {
    if (ec) return on_read_error(ec);
    timer_.cancel();
    reading_ = false;
    auto msg = parser_->release();
    keep_alive_ = msg.keep_alive();
    version_ = msg.version();
    auto req = std::make_shared<http_request>();
    req->method = std::string(msg.method_string());
    req->target = std::string(msg.target());
    req->content_type = std::string(msg[http::field::content_type]);
    req->content_encoding = std::string(msg[http::field::content_encoding]);
    req->dict_id = std::string(msg["X-Veil-Zstd-Dict"]);
    req->idempotency_key = std::string(msg["Idempotency-Key"]);
    auto auth = std::string_view(msg[http::field::authorization]);
    if (auth.size() > 7 && beast::iequals(auth.substr(0, 7), "Bearer "))
      req->api_key = std::string(auth.substr(7));
    else req->api_key = std::string(msg["X-Api-Key"]);
    req->body = std::move(msg.body());
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

  void write(http_response r, bool close) {
    res_ = {};
    res_.version(version_ ? version_ : 11);
    res_.result(r.status);
    res_.set(http::field::server, "veil-collector");
    res_.set(http::field::content_type, r.content_type);
    res_.body() = std::move(r.body);
    res_.keep_alive(!close && keep_alive_ && !st_.stopping);
    res_.prepare_payload();
    beast::get_lowest_layer(stream_).expires_after(st_.opts.write_timeout);
    http::async_write(stream_, res_,
                      [self = this->shared_from_this()](beast::error_code ec, std::size_t) {
                        beast::get_lowest_layer(self->stream_).expires_never();
                        if (ec || !self->res_.keep_alive()) return self->close_graceful();
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
  Stream stream_;
  asio::steady_timer timer_;
  beast::flat_buffer buffer_;
  std::vector<char> drain_buf_;
  std::optional<http::request_parser<http::string_body>> parser_;
  http::response<http::string_body> res_;
  std::uint64_t id_ = 0;
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

veil::result<void> server_options::validate() const {
  if (max_body == 0 || max_header < 1024 || max_connections == 0 || io_threads == 0 ||
      worker_threads == 0 || read_timeout.count() <= 0 || write_timeout.count() <= 0)
    return veil::make_error(veil::errc::invalid_argument,
                            "server options: limits must be positive (header >= 1 KiB)");
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
  std::vector<std::thread> threads;
  std::uint16_t port = 0;
  bool started = false, stopped = false;

  impl(server_options o, request_handler& h) : st(std::move(o), h) {}

  void do_accept() {
    acceptor.async_accept(asio::make_strand(ioc), [this](beast::error_code ec, tcp::socket sock) {
      if (ec) {
        if (ec == asio::error::operation_aborted || !acceptor.is_open()) return;
        return do_accept();  // e.g. EMFILE: keep serving the connections we have
      }
      if (st.stopping) return;
      if (st.active.load() >= st.opts.max_connections) {
        reject_overloaded(std::move(sock));
      } else if (tls) {
        start_session(std::make_shared<session<tls_stream>>(st, std::move(sock), *tls));
      } else {
        start_session(std::make_shared<session<plain_stream>>(st, std::move(sock)));
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

  void reject_overloaded(tcp::socket sock) {
    auto res = st.handler.reject("", 503, "overloaded");
    if (tls) return;  // no TLS session to speak in: just close
    auto s = std::make_shared<tcp::socket>(std::move(sock));
    auto msg = std::make_shared<std::string>(
        "HTTP/1.1 503 Service Unavailable\r\nRetry-After: 1\r\nConnection: close\r\n"
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
