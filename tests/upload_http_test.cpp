// HTTP(S) transport against the local scripted server. One of the two Beast TUs of the tests.
#include <utility>  // before asio (Boost 1.74 + GCC 12)

#include <doctest/doctest.h>

#include <chrono>
#include <fstream>
#include <iterator>

#include <nlohmann/json.hpp>

#include "agent/wire/batch_codec.hpp"
#include "agent/upload/http_uploader.hpp"
#include "agent/wire/otlp_decoder.hpp"
#include "agent/wire/otlp_encoder.hpp"
#include "support/test_http_server.hpp"

using namespace veil::detail;
using veil::test::scripted_reply;
using veil::test::test_http_server;
using namespace std::chrono_literals;

namespace {

std::string committed_dict() {
  std::ifstream in(VEIL_SOURCE_DIR "/config/zstd.dict", std::ios::binary);
  return {std::istreambuf_iterator<char>(in), {}};
}

upload_batch make_batch(const batch_codec& codec) {
  const std::vector<std::string> lines = {
      R"({"type":"call.ended","ts":"2026-11-29T10:00:00Z","category":"call_quality","attrs":{"codec":"opus","rtt_ms":55}})",
      R"({"type":"app.started","ts":"2026-11-29T10:00:00Z","category":"usage","attrs":{"app_version":"5.6.12"}})"};
  auto p = otlp_encoder({"softphone", "5.6.12", "linux"}).encode(lines);
  REQUIRE(p.ok());
  auto z = codec.compress(p->body);
  REQUIRE(z.ok());
  upload_batch b;
  b.id = make_batch_id();
  b.body = std::move(*z);
  b.policy_hash = "sha256:0123abcd";
  b.records = p->records;
  return b;
}

std::unique_ptr<http_uploader> make_uploader(const std::string& url, http_options o = {}) {
  o.endpoint = url;
  if (o.connect_timeout == 10'000ms) o.connect_timeout = 2s;
  if (o.io_timeout == 30'000ms) o.io_timeout = 2s;
  auto u = http_uploader::create(o);
  REQUIRE_MESSAGE(u.ok(), u.err().message);
  return std::move(*u);
}

}  // namespace

TEST_SUITE("upload") {
  TEST_CASE("http: a batch is POSTed with the agreed headers and decodes on the server") {
    const std::string dict = committed_dict();
    auto codec = batch_codec::create({}, dict);
    REQUIRE(codec.ok());
    test_http_server srv(nullptr, dict);
    http_options o;
    o.api_key = "k-123";
    auto up = make_uploader(srv.url() + "/base/", o);
    const auto b = make_batch(*codec);
    auto r = up->send(b);
    CHECK_MESSAGE(r.result == upload_result::ok, r.reason);
    CHECK(r.http_status == 200);
    auto reqs = srv.requests();
    REQUIRE(reqs.size() == 1);
    const auto& q = reqs[0];
    CHECK(q.method == "POST");
    CHECK(q.target == "/base/v1/logs");
    CHECK(q.header("content-type") == "application/json");
    CHECK(q.header("content-encoding") == "zstd");
    CHECK(q.header("idempotency-key") == b.id);
    CHECK(q.header("x-veil-policy") == "sha256:0123abcd");
    CHECK(q.header("x-veil-zstd-dict") == std::to_string(codec->dict_id()));
    CHECK(q.header("x-veil-zstd-dict") == std::to_string(zstd_frame_dict_id(q.body)));
    CHECK(q.header("authorization") == "Bearer k-123");
    CHECK(q.header("host") == "127.0.0.1:" + std::to_string(srv.port()));
    REQUIRE_MESSAGE(q.decode_error.empty(), q.decode_error);
    auto d = otlp_decoder{}.decode(q.decoded);
    REQUIRE(d.ok());
    REQUIRE(d->events.size() == 2);
    CHECK(d->events[0]["type"] == "call.ended");
    CHECK(d->events[0]["attrs"]["rtt_ms"] == 55);
  }

  TEST_CASE("http: status codes map to upload results") {
    auto codec = batch_codec::create();
    REQUIRE(codec.ok());
    test_http_server srv;
    auto up = make_uploader(srv.url());
    const auto b = make_batch(*codec);
    const std::pair<int, upload_result> cases[] = {
        {200, upload_result::ok},          {204, upload_result::ok},
        {400, upload_result::rejected},    {401, upload_result::rejected},
        {404, upload_result::rejected},    {408, upload_result::retry_later},
        {413, upload_result::too_large},   {429, upload_result::retry_later},
        {500, upload_result::retry_later}, {502, upload_result::retry_later},
        {503, upload_result::retry_later}, {504, upload_result::retry_later},
        {302, upload_result::retry_later},
    };
    for (const auto& [status, want] : cases) {
      srv.push(scripted_reply::status_only(status));
      auto r = up->send(b);
      CAPTURE(status);
      CHECK_MESSAGE(r.result == want, r.reason);
      CHECK(r.http_status == status);
    }
  }

  TEST_CASE("http: Retry-After in seconds and as an HTTP date") {
    auto codec = batch_codec::create();
    test_http_server srv;
    auto up = make_uploader(srv.url());
    const auto b = make_batch(*codec);
    srv.push({veil::test::reply_kind::respond, 429, {{"Retry-After", "42"}}, "{}"});
    auto r = up->send(b);
    CHECK(r.result == upload_result::retry_later);
    CHECK(r.retry_after == 42s);
    // An HTTP date two minutes ahead.
    const auto when = std::chrono::system_clock::now() + 120s;
    const std::time_t t = std::chrono::system_clock::to_time_t(when);
    char date[64];
    std::strftime(date, sizeof date, "%a, %d %b %Y %H:%M:%S GMT", std::gmtime(&t));
    srv.push({veil::test::reply_kind::respond, 503, {{"Retry-After", date}}, "{}"});
    r = up->send(b);
    CHECK(r.result == upload_result::retry_later);
    REQUIRE(r.retry_after);
    CHECK(*r.retry_after >= 115s);
    CHECK(*r.retry_after <= 120s);
  }

  TEST_CASE("http: a stalled server is cut off by the read timeout") {
    auto codec = batch_codec::create();
    test_http_server srv;
    http_options o;
    o.io_timeout = 300ms;
    auto up = make_uploader(srv.url(), o);
    srv.push(scripted_reply::stall());
    const auto t0 = std::chrono::steady_clock::now();
    auto r = up->send(make_batch(*codec));
    const auto took = std::chrono::steady_clock::now() - t0;
    CHECK(r.result == upload_result::retry_later);
    CHECK(r.http_status == 0);
    CHECK_MESSAGE(r.reason.find("timeout") != std::string::npos, r.reason);
    CHECK(took >= 250ms);
    CHECK(took < 1500ms);
  }

  TEST_CASE("http: reset and refused connections are retry_later") {
    auto codec = batch_codec::create();
    const auto b = make_batch(*codec);
    {
      test_http_server srv;
      auto up = make_uploader(srv.url());
      srv.push(scripted_reply::reset());
      auto r = up->send(b);
      CHECK(r.result == upload_result::retry_later);
      CHECK_MESSAGE(r.reason.find("read") == 0, r.reason);
    }
    std::string url;
    {
      test_http_server gone;
      url = gone.url();
    }  // closed: the port now refuses
    auto up = make_uploader(url);
    auto r = up->send(b);
    CHECK(r.result == upload_result::retry_later);
    CHECK_MESSAGE(r.reason.find("connect") == 0, r.reason);
  }

  TEST_CASE("http: the idempotency key is stable across retries of one batch") {
    auto codec = batch_codec::create();
    test_http_server srv;
    auto up = make_uploader(srv.url());
    const auto b = make_batch(*codec);
    srv.push(scripted_reply::status_only(503));
    srv.push(scripted_reply::reset());
    CHECK(up->send(b).result == upload_result::retry_later);
    CHECK(up->send(b).result == upload_result::retry_later);
    CHECK(up->send(b).result == upload_result::ok);
    const auto other = make_batch(*codec);
    CHECK(up->send(other).result == upload_result::ok);
    auto reqs = srv.requests();
    REQUIRE(reqs.size() == 4);
    for (int i = 0; i < 3; ++i)
      CHECK(reqs[static_cast<std::size_t>(i)].header("idempotency-key") == b.id);
    CHECK(reqs[3].header("idempotency-key") == other.id);
    CHECK(other.id != b.id);
    CHECK(reqs[0].header("x-veil-zstd-dict").empty());  // no dictionary in the frame, no header
    CHECK(reqs[0].decode_error.empty());
  }

  TEST_CASE("http: gzip batches carry Content-Encoding: gzip") {
    test_http_server srv;
    auto up = make_uploader(srv.url());
    upload_batch b;
    b.id = make_batch_id();
    b.content_encoding = "gzip";
    b.body = *gzip_compress(R"({"resourceLogs":[]})");
    CHECK(up->send(b).result == upload_result::ok);
    auto reqs = srv.requests();
    REQUIRE(reqs.size() == 1);
    CHECK(reqs[0].header("content-encoding") == "gzip");
    CHECK(reqs[0].header("x-veil-zstd-dict").empty());
    CHECK(reqs[0].decoded == R"({"resourceLogs":[]})");
  }

  TEST_CASE("https: verification with the test CA, wrong CA, key pins") {
    auto pki = veil::test::make_test_pki("good");
    auto wrong = veil::test::make_test_pki("wrong");
    auto codec = batch_codec::create();
    const auto b = make_batch(*codec);
    test_http_server srv(pki.get());

    SUBCASE("trusted CA, by IP and by name") {
      http_options o;
      o.ca_file = pki->ca_cert;
      auto r = make_uploader(srv.url(), o)->send(b);
      CHECK_MESSAGE(r.result == upload_result::ok, r.reason);
      r = make_uploader(srv.url("localhost"), o)->send(b);
      CHECK_MESSAGE(r.result == upload_result::ok, r.reason);
      REQUIRE(srv.requests().size() == 2);
      CHECK(srv.requests()[0].decode_error.empty());
    }
    SUBCASE("untrusted CA fails verification") {
      http_options o;
      o.ca_file = wrong->ca_cert;
      auto r = make_uploader(srv.url(), o)->send(b);
      CHECK(r.result == upload_result::retry_later);
      CHECK_MESSAGE(r.reason.find("certificate verify failed") != std::string::npos, r.reason);
      CHECK(srv.requests().empty());
    }
    SUBCASE("system roots do not trust the test CA") {
      auto r = make_uploader(srv.url())->send(b);
      CHECK(r.result == upload_result::retry_later);
      CHECK(srv.requests().empty());
    }
    SUBCASE("public key pin matches") {
      http_options o;
      o.ca_file = pki->ca_cert;
      auto pin = spki_pin_of_pem_file(pki->leaf_cert);
      REQUIRE(pin.ok());
      o.pin = *pin;
      auto r = make_uploader(srv.url(), o)->send(b);
      CHECK_MESSAGE(r.result == upload_result::ok, r.reason);
    }
    SUBCASE("public key pin mismatch: nothing is sent") {
      http_options o;
      o.ca_file = pki->ca_cert;
      auto pin = spki_pin_of_pem_file(wrong->leaf_cert);
      REQUIRE(pin.ok());
      o.pin = *pin;
      auto r = make_uploader(srv.url(), o)->send(b);
      CHECK(r.result == upload_result::retry_later);
      CHECK_MESSAGE(r.reason.find("pin") != std::string::npos, r.reason);
      CHECK(srv.requests().empty());
    }
  }

  TEST_CASE("http: options are validated") {
    http_options o;
    o.endpoint = "http://127.0.0.1:1";
    o.pin = spki_pin{};
    CHECK_FALSE(http_uploader::create(o).ok());  // pin without TLS
    o = {};
    o.endpoint = "https://127.0.0.1:1";
    o.ca_file = "/nonexistent/ca.pem";
    CHECK_FALSE(http_uploader::create(o).ok());
    o.ca_file.clear();
    o.api_key = "a\r\nX-Evil: 1";
    CHECK_FALSE(http_uploader::create(o).ok());
    CHECK_FALSE(parse_spki_pin("zz").ok());
    CHECK(parse_spki_pin(std::string(64, 'a')).ok());
  }
}
