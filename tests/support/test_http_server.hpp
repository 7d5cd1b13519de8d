// test_http_server: a scriptable local HTTP(S) server for the upload tests (header-only, Beast).
// Listens on 127.0.0.1 port 0 and runs its io_context on its own thread until stop() or the
// destructor. Each connection serves one request, records it (method, target, lower-cased headers,
// raw body and the body decoded per Content-Encoding) and answers with the next scripted reply:
// a status with headers, a stall (never answers; holds the socket until the client gives up), or
// a reset (RST via SO_LINGER 0). With the script empty it answers 200 {}. requests() and script
// calls are thread-safe. make_test_pki() creates a CA and a localhost/127.0.0.1 leaf with
// `openssl req` in a temp dir. Include <utility> first (Boost 1.74 + GCC 12).
#pragma once

#include <utility>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <cstdlib>
#include <deque>
#include <filesystem>
#include <map>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <unistd.h>

#include "agent/wire/batch_codec.hpp"

namespace veil::test {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;

struct recorded_request {
  std::string method;
  std::string target;
  std::map<std::string, std::string> headers;  // lower-case names
  std::string body;                            // as received
  std::string decoded;                         // body after Content-Encoding
  std::string decode_error;                    // non-empty when decoding failed
  std::string header(const std::string& lower_name) const {
    auto it = headers.find(lower_name);
    return it == headers.end() ? std::string() : it->second;
  }
};

enum class reply_kind { respond, stall, reset };

struct scripted_reply {
  reply_kind kind = reply_kind::respond;
  int status = 200;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body = "{}";
  static scripted_reply status_only(int s) { return {reply_kind::respond, s, {}, "{}"}; }
  static scripted_reply stall() { return {reply_kind::stall, 0, {}, {}}; }
  static scripted_reply reset() { return {reply_kind::reset, 0, {}, {}}; }
};

/// A throw-away PKI: ca.pem/ca.key sign leaf.pem/leaf.key (SAN localhost, 127.0.0.1).
struct test_pki {
  std::filesystem::path dir;
  std::string ca_cert, leaf_cert, leaf_key;
  test_pki() = default;
  test_pki(const test_pki&) = delete;
  test_pki& operator=(const test_pki&) = delete;
  ~test_pki() {
    std::error_code ec;
    if (!dir.empty()) std::filesystem::remove_all(dir, ec);
  }
};

inline std::unique_ptr<test_pki> make_test_pki(const std::string& tag) {
  auto pki = std::make_unique<test_pki>();
  pki->dir = std::filesystem::temp_directory_path() /
             ("veil_pki_" + tag + "_" + std::to_string(::getpid()));
  std::filesystem::create_directories(pki->dir);
  const std::string d = pki->dir.string();
  const std::string ec = " -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2";
  const std::string ca =
      "openssl req -x509" + ec + " -keyout " + d + "/ca.key -out " + d +
      "/ca.pem -subj '/CN=Veil Test CA " + tag +
      "' -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign";
  const std::string leaf = "openssl req -x509 -CA " + d + "/ca.pem -CAkey " + d + "/ca.key" + ec +
                           " -keyout " + d + "/leaf.key -out " + d +
                           "/leaf.pem -subj /CN=localhost" +
                           " -addext subjectAltName=DNS:localhost,IP:127.0.0.1 -addext "
                           "basicConstraints=critical,CA:FALSE" +
                           " -addext extendedKeyUsage=serverAuth";
  for (const auto& cmd : {ca, leaf})
    if (std::system((cmd + " >/dev/null 2>&1").c_str()) != 0)
      throw std::runtime_error("openssl failed: " + cmd);
  pki->ca_cert = d + "/ca.pem";
  pki->leaf_cert = d + "/leaf.pem";
  pki->leaf_key = d + "/leaf.key";
  return pki;
}

class test_http_server {
 public:
  /// `pki` non-null: HTTPS with its leaf. `dictionary`: zstd dictionary used to decode bodies.
  explicit test_http_server(const test_pki* pki = nullptr, std::string_view dictionary = {})
      : codec_(detail::batch_codec::create({}, dictionary).value()) {
    if (pki) {
      tls_ = std::make_unique<ssl::context>(ssl::context::tls_server);
      tls_->use_certificate_chain_file(pki->leaf_cert);
      tls_->use_private_key_file(pki->leaf_key, ssl::context::pem);
    }
    acceptor_.open(tcp::v4());
    acceptor_.set_option(asio::socket_base::reuse_address(true));
    acceptor_.bind({asio::ip::make_address("127.0.0.1"), 0});
    acceptor_.listen();
    port_ = acceptor_.local_endpoint().port();
    asio::co_spawn(ioc_, listen(), asio::detached);
    thread_ = std::thread([this] { ioc_.run(); });
  }
  ~test_http_server() { stop(); }
  test_http_server(const test_http_server&) = delete;
  test_http_server& operator=(const test_http_server&) = delete;

  std::uint16_t port() const { return port_; }
  std::string url(const std::string& host = "127.0.0.1") const {
    return std::string(tls_ ? "https://" : "http://") + host + ":" + std::to_string(port_);
  }
  /// Every answer waits this long before it is written (a slow collector).
  void set_delay(std::chrono::milliseconds d) { delay_ms_.store(d.count()); }
  void push(scripted_reply r) {
    std::lock_guard lk(mu_);
    script_.push_back(std::move(r));
  }
  std::vector<recorded_request> requests() const {
    std::lock_guard lk(mu_);
    return requests_;
  }
  std::size_t tls_failures() const { return tls_failures_.load(); }
  void stop() {
    if (!thread_.joinable()) return;
    ioc_.stop();
    thread_.join();
  }

 private:
  asio::awaitable<void> listen() {
    for (;;) {
      boost::system::error_code ec;
      tcp::socket sock =
          co_await acceptor_.async_accept(asio::redirect_error(asio::use_awaitable, ec));
      if (ec) co_return;
      if (tls_) asio::co_spawn(ioc_, serve_tls(std::move(sock)), asio::detached);
      else asio::co_spawn(ioc_, serve_plain(std::move(sock)), asio::detached);
    }
  }

  asio::awaitable<void> serve_plain(tcp::socket sock) {
    beast::tcp_stream stream(std::move(sock));
    co_await serve(stream);
  }

  asio::awaitable<void> serve_tls(tcp::socket sock) {
    beast::ssl_stream<beast::tcp_stream> stream(beast::tcp_stream(std::move(sock)), *tls_);
    boost::system::error_code ec;
    beast::get_lowest_layer(stream).expires_after(std::chrono::seconds(10));
    co_await stream.async_handshake(ssl::stream_base::server,
                                    asio::redirect_error(asio::use_awaitable, ec));
    if (ec) {
      ++tls_failures_;
      co_return;
    }
    co_await serve(stream);
  }

  template <class Stream>
  asio::awaitable<void> serve(Stream& stream) {
    boost::system::error_code ec;
    beast::flat_buffer buf;
    http::request_parser<http::string_body> parser;
    parser.body_limit(64u << 20);
    beast::get_lowest_layer(stream).expires_after(std::chrono::seconds(10));
    co_await http::async_read(stream, buf, parser, asio::redirect_error(asio::use_awaitable, ec));
    if (ec) co_return;
    const auto& req = parser.get();
    recorded_request rec;
    rec.method = std::string(req.method_string());
    rec.target = std::string(req.target());
    for (const auto& f : req) {
      std::string name(f.name_string());
      std::transform(name.begin(), name.end(), name.begin(),
                     [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
      rec.headers[name] = std::string(f.value());
    }
    rec.body = req.body();
    const std::string enc = rec.header("content-encoding");
    if (enc.empty() || enc == "identity") {
      rec.decoded = rec.body;
    } else {
      auto d = enc == "zstd"   ? codec_.decompress(rec.body)
               : enc == "gzip" ? detail::gzip_decompress(rec.body, 64u << 20)
                               : veil::result<std::string>(veil::make_error(
                                     veil::errc::invalid_argument, "unknown encoding " + enc));
      if (d) rec.decoded = std::move(*d);
      else rec.decode_error = d.err().message;
    }
    scripted_reply reply;
    {
      std::lock_guard lk(mu_);
      requests_.push_back(std::move(rec));
      if (!script_.empty()) {
        reply = std::move(script_.front());
        script_.pop_front();
      }
    }
    if (reply.kind == reply_kind::reset) {
      auto& sock = beast::get_lowest_layer(stream).socket();
      sock.set_option(asio::socket_base::linger(true, 0), ec);
      sock.close(ec);
      co_return;
    }
    if (reply.kind == reply_kind::stall) {
      // Hold the connection without answering until the client closes it (or the server stops).
      beast::get_lowest_layer(stream).expires_never();
      char byte;
      co_await beast::get_lowest_layer(stream).async_read_some(
          asio::buffer(&byte, 1), asio::redirect_error(asio::use_awaitable, ec));
      co_return;
    }
    if (auto d = delay_ms_.load(); d > 0) {
      asio::steady_timer t(co_await asio::this_coro::executor, std::chrono::milliseconds(d));
      co_await t.async_wait(asio::redirect_error(asio::use_awaitable, ec));
    }
    http::response<http::string_body> res{static_cast<http::status>(reply.status), req.version()};
    res.set(http::field::content_type, "application/json");
    for (const auto& [k, v] : reply.headers) res.set(k, v);
    // These statuses carry no body; Beast refuses to prepare one.
    if (reply.status != 204 && reply.status != 304 && reply.status >= 200) res.body() = reply.body;
    res.keep_alive(false);
    res.prepare_payload();
    beast::get_lowest_layer(stream).expires_after(std::chrono::seconds(10));
    co_await http::async_write(stream, res, asio::redirect_error(asio::use_awaitable, ec));
    beast::get_lowest_layer(stream).socket().shutdown(tcp::socket::shutdown_send, ec);
  }

  asio::io_context ioc_{1};  // first: destroyed last, after everything bound to it
  tcp::acceptor acceptor_{ioc_};
  std::unique_ptr<ssl::context> tls_;
  detail::batch_codec codec_;
  std::uint16_t port_ = 0;
  mutable std::mutex mu_;
  std::deque<scripted_reply> script_;
  std::atomic<long long> delay_ms_{0};
  std::vector<recorded_request> requests_;
  std::atomic<std::size_t> tls_failures_{0};
  std::thread thread_;
};

}  // namespace veil::test
