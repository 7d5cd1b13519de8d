// The library's only Boost.Beast/Asio translation unit (it takes ~30 s to compile: keep it alone).
#include <utility>  // before any asio header: Boost 1.74 + GCC 12 + C++20 (asio uses std::exchange without including it)

#include "agent/upload/http_uploader.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>

#include <mutex>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

#include <openssl/crypto.h>
#include <openssl/pem.h>
#include <openssl/sha.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <cstdio>
#include <vector>

#include "agent/upload/http_request.hpp"
#include "agent/upload/http_status.hpp"

namespace veil::detail {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;
using boost::system::error_code;

namespace {

std::optional<spki_pin> spki_sha256(X509* cert) {
  X509_PUBKEY* pk = X509_get_X509_PUBKEY(cert);
  if (!pk) return std::nullopt;
  const int len = i2d_X509_PUBKEY(pk, nullptr);
  if (len <= 0) return std::nullopt;
  std::vector<unsigned char> der(static_cast<std::size_t>(len));
  unsigned char* p = der.data();
  if (i2d_X509_PUBKEY(pk, &p) != len) return std::nullopt;
  spki_pin out{};
  SHA256(der.data(), der.size(), out.data());
  return out;
}

upload_response net_failure(std::string_view what, const error_code& ec) {
  upload_response r;
  r.result = upload_result::retry_later;
  r.reason = std::string(what) + ": " + ec.message();
  return r;
}

// Objects whose handlers may still be queued when the coroutine ends live here, in send()'s
// frame, which outlives io_context::run().
struct call_state {
  asio::io_context ioc{1};
  tcp::resolver resolver{ioc};
  asio::steady_timer resolve_timer{ioc};
  bool resolve_timed_out = false;
};

}  // namespace

struct http_uploader::impl {
  http_options opts;
  http_endpoint ep;
  std::unique_ptr<ssl::context> tls;
  // cancel(): stops the io_context of the send in flight (its run() returns at once and the
  // coroutine's objects are destroyed with send()'s frame).
  std::mutex cancel_mu;
  asio::io_context* current = nullptr;
};

result<spki_pin> spki_pin_of_pem_file(const std::string& path) {
  std::unique_ptr<FILE, int (*)(FILE*)> f(std::fopen(path.c_str(), "rb"), &std::fclose);
  if (!f) return make_error(errc::io_error, "pin: cannot open " + path);
  std::unique_ptr<X509, void (*)(X509*)> cert(PEM_read_X509(f.get(), nullptr, nullptr, nullptr),
                                              &X509_free);
  if (!cert) return make_error(errc::parse_error, "pin: no PEM certificate in " + path);
  auto pin = spki_sha256(cert.get());
  if (!pin) return make_error(errc::crypto_error, "pin: cannot encode the public key of " + path);
  return *pin;
}

http_uploader::http_uploader(std::unique_ptr<impl> p) : impl_(std::move(p)) {}

void http_uploader::cancel() noexcept {
  std::lock_guard lk(impl_->cancel_mu);
  if (impl_->current) impl_->current->stop();
}
http_uploader::~http_uploader() = default;

result<std::unique_ptr<http_uploader>> http_uploader::create(http_options opts) try {
  if (auto v = opts.validate(); !v) return std::move(v).err();
  auto p = std::make_unique<impl>();
  p->ep = *parse_endpoint(opts.endpoint);
  if (p->ep.tls) {
    p->tls = std::make_unique<ssl::context>(ssl::context::tls_client);
    SSL_CTX_set_min_proto_version(p->tls->native_handle(), TLS1_2_VERSION);
    p->tls->set_verify_mode(ssl::verify_peer);
    error_code ec;
    if (opts.ca_file.empty()) p->tls->set_default_verify_paths(ec);
    else p->tls->load_verify_file(opts.ca_file, ec);
    if (ec)
      return make_error(errc::invalid_argument,
                        "tls trust store " +
                            (opts.ca_file.empty() ? std::string("(system)") : opts.ca_file) + ": " +
                            ec.message());
  }
  p->opts = std::move(opts);
  return std::unique_ptr<http_uploader>(new http_uploader(std::move(p)));
} catch (const std::exception& e) {
  return make_error(errc::internal, std::string("http_uploader: ") + e.what());
}

namespace {

using request = http::request<http::string_body>;

template <class Stream>
asio::awaitable<upload_response> exchange(Stream& stream, request& req, const http_options& o,
                                          std::size_t max_body) {
  error_code ec;
  beast::get_lowest_layer(stream).expires_after(o.io_timeout);
  co_await http::async_write(stream, req, asio::redirect_error(asio::use_awaitable, ec));
  if (ec) co_return net_failure("write", ec);
  beast::flat_buffer buf;
  http::response_parser<http::string_body> parser;
  parser.header_limit(16 * 1024);
  parser.body_limit(max_body);
  beast::get_lowest_layer(stream).expires_after(o.io_timeout);
  co_await http::async_read(stream, buf, parser, asio::redirect_error(asio::use_awaitable, ec));
  // An oversized body does not matter: the status line and headers are what we act on.
  if (ec && !(ec == http::error::body_limit && parser.is_header_done()))
    co_return net_failure("read", ec);
  auto& res = parser.get();
  auto r = classify_http_status(static_cast<int>(res.result_int()), res.reason(),
                                res[http::field::retry_after], std::chrono::system_clock::now());
  if (!ec) r.body = std::move(res.body());
  co_return r;
}

asio::awaitable<upload_response> run(const http_options& o, const http_endpoint& ep,
                                     ssl::context* tls, call_state& st, request& req,
                                     std::size_t max_body) {
  error_code ec;
  // expires_after does not cover DNS: a timer cancels the resolver instead.
  st.resolve_timer.expires_after(o.connect_timeout);
  st.resolve_timer.async_wait([&st](const error_code& e) {
    if (!e) {
      st.resolve_timed_out = true;
      st.resolver.cancel();
    }
  });
  auto endpoints = co_await st.resolver.async_resolve(
      ep.host, std::to_string(ep.port), asio::redirect_error(asio::use_awaitable, ec));
  st.resolve_timer.cancel();
  if (ec) co_return net_failure(st.resolve_timed_out ? "resolve timed out" : "resolve", ec);

  if (!tls) {
    beast::tcp_stream stream(st.ioc);
    stream.expires_after(o.connect_timeout);
    co_await stream.async_connect(endpoints, asio::redirect_error(asio::use_awaitable, ec));
    if (ec) co_return net_failure("connect", ec);
    auto r = co_await exchange(stream, req, o, max_body);
    stream.socket().shutdown(tcp::socket::shutdown_both, ec);
    co_return r;
  }

  beast::ssl_stream<beast::tcp_stream> stream(st.ioc, *tls);
  error_code addr_ec;
  asio::ip::make_address(ep.host, addr_ec);
  // SNI only for names (RFC 6066 forbids IP literals); verification covers DNS names and IPs.
  if (addr_ec && !SSL_set_tlsext_host_name(stream.native_handle(), ep.host.c_str()))
    co_return net_failure("tls sni", error_code(static_cast<int>(::ERR_get_error()),
                                                asio::error::get_ssl_category()));
  stream.set_verify_callback(ssl::host_name_verification(ep.host));
  beast::get_lowest_layer(stream).expires_after(o.connect_timeout);
  co_await beast::get_lowest_layer(stream).async_connect(
      endpoints, asio::redirect_error(asio::use_awaitable, ec));
  if (ec) co_return net_failure("connect", ec);
  beast::get_lowest_layer(stream).expires_after(o.io_timeout);
  co_await stream.async_handshake(ssl::stream_base::client,
                                  asio::redirect_error(asio::use_awaitable, ec));
  if (ec) co_return net_failure("tls handshake", ec);
  if (o.pin) {
    X509* leaf = SSL_get0_peer_certificate(stream.native_handle());
    auto got = leaf ? spki_sha256(leaf) : std::nullopt;
    if (!got || CRYPTO_memcmp(got->data(), o.pin->data(), got->size()) != 0) {
      upload_response r;
      r.reason = "tls: server public key does not match the pin";
      co_return r;  // retry_later: an interception or a key rotation, never a reason to drop data
    }
  }
  auto r = co_await exchange(stream, req, o, max_body);
  // The response is complete (Content-Length or chunked), so no close_notify round trip is needed.
  beast::get_lowest_layer(stream).close();
  co_return r;
}

}  // namespace

upload_response http_uploader::send(const upload_batch& batch) noexcept try {
  const auto& o = impl_->opts;
  // The headers are shared with the host transport (http_request.hpp); Host and Content-Length
  // are this transport's own.
  auto spec = make_http_request(impl_->ep, batch, o.api_key, o.user_agent);
  if (!spec) return refused_request(spec.err());
  request req{spec->get ? http::verb::get : http::verb::post, spec->target, 11};
  req.set(http::field::host, impl_->ep.host_header);
  for (const auto& [k, v] : spec->headers) req.set(k, v);
  req.keep_alive(false);
  if (!batch.get) {
    req.body() = batch.body;
    req.prepare_payload();
  }

  call_state st;
  std::optional<upload_response> out;
  {
    std::lock_guard lk(impl_->cancel_mu);
    impl_->current = &st.ioc;
  }
  struct clear_current {
    impl* p;
    ~clear_current() {
      std::lock_guard lk(p->cancel_mu);
      p->current = nullptr;
    }
  } clear{impl_.get()};
  const std::size_t max_body =
      batch.max_response_bytes ? batch.max_response_bytes : o.max_response_bytes;
  asio::co_spawn(st.ioc, run(o, impl_->ep, impl_->tls.get(), st, req, max_body),
                 [&out](std::exception_ptr e, upload_response r) {
                   if (e)
                     out = upload_response{upload_result::retry_later, std::nullopt, 0,
                                           "http: internal error"};
                   else out = std::move(r);
                 });
  st.ioc.run();
  if (!out) return {upload_result::retry_later, std::nullopt, 0, "cancelled"};
  return std::move(*out);
} catch (const std::exception& e) {
  return {upload_result::retry_later, std::nullopt, 0, std::string("http: ") + e.what()};
}

}  // namespace veil::detail
