#include <doctest/doctest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <iterator>
#include <thread>

#include "collector_http_util.hpp"
#include "collector_test_util.hpp"
#include "tools/collector/record_guard.hpp"
#include "tools/collector/request_handler.hpp"
#include "tools/collector/server.hpp"
#include "tools/collector/batch_decoder.hpp"

using namespace veil::collector;
using namespace veil::collector::test;

namespace {

const std::string good_body = otlp({log_record("app.started", {attr("app_version", "5.6.12")}),
                                    log_record("feature.used", {attr("feature", "chat")})});

}  // namespace

TEST_SUITE("collector") {
  TEST_CASE("server stores a batch once per idempotency key") {
    fixture f;
    auto r = roundtrip(f.port, post("/v1/logs", good_body, "Idempotency-Key: b-1\r\n"));
    CHECK(status_of(r) == 200);
    CHECK(nlohmann::json::parse(body_of(r)) == nlohmann::json{{"accepted", 2}, {"quarantined", 0}});
    CHECK(f.events() == 2);
    auto again = roundtrip(f.port, post("/v1/logs", good_body, "Idempotency-Key: b-1\r\n"));
    CHECK(status_of(again) == 200);
    CHECK(nlohmann::json::parse(body_of(again))["duplicate"] == true);
    CHECK(f.events() == 2);
    CHECK(f.metrics.requests("/v1/logs", 200) == 2);
  }

  TEST_CASE("server quarantines personal values and never stores them") {
    fixture f;
    auto body =
        otlp({log_record("log.line", {attr("message", "call from alice.smith@example.com")}),
              log_record("log.line", {attr("message", "registered")}), log_record("no.such", {})});
    auto r = roundtrip(f.port, post("/v1/logs", body, "Idempotency-Key: q-1\r\n"));
    CHECK(status_of(r) == 200);
    CHECK(nlohmann::json::parse(body_of(r)) == nlohmann::json{{"accepted", 1}, {"quarantined", 2}});
    CHECK(*f.store->count_quarantined() == 2);
    f.srv->stop();
    f.store.reset();  // checkpoint + close, then look at every byte on disk
    for (const auto& e : std::filesystem::directory_iterator(f.dir.path)) {
      std::ifstream in(e.path(), std::ios::binary);
      std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
      CHECK_MESSAGE(bytes.find("alice.smith") == std::string::npos, e.path());
      if (e.path().extension() == ".db") CHECK(bytes.find("pii:email") != std::string::npos);
    }
    f.store = std::make_unique<memory_sink>();  // the fixture's destructor needs a live sink
  }

  TEST_CASE("server rejects bad requests with the right status") {
    server_options so;
    so.max_connections = 8;
    fixture f(so);
    SUBCASE("malformed JSON") {
      CHECK(status_of(roundtrip(f.port, post("/v1/logs", "{\"resourceLogs\":["))) == 400);
    }
    SUBCASE("wrong content type") {
      CHECK(status_of(roundtrip(f.port,
                                post("/v1/logs", good_body, "", "application/x-protobuf"))) == 415);
    }
    SUBCASE("unsupported encoding") {
      CHECK(status_of(roundtrip(f.port, post("/v1/logs", good_body, "Content-Encoding: br\r\n"))) ==
            415);
    }
    SUBCASE("oversized body is refused from its Content-Length") {
      raw_client c(f.port);
      c.send(
          "POST /v1/logs HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: "
          "10000000\r\n\r\n{");
      CHECK(status_of(c.read_all()) == 413);
      CHECK(f.metrics.rejected_count("too_large") == 1);
    }
    SUBCASE("oversized chunked body") {
      raw_client c(f.port);
      c.send(
          "POST /v1/logs HTTP/1.1\r\nHost: x\r\nContent-Type: "
          "application/json\r\nTransfer-Encoding: chunked\r\n\r\n");
      std::string chunk(32 << 10, ' ');
      for (int i = 0; i < 3; ++i) c.send("8000\r\n" + chunk + "\r\n");
      CHECK(status_of(c.read_all()) == 413);
    }
    SUBCASE("header too large") {
      CHECK(status_of(roundtrip(f.port, post("/v1/logs", good_body,
                                             "X-Pad: " + std::string(20000, 'a') + "\r\n"))) ==
            431);
    }
    SUBCASE("garbage bytes") {
      CHECK(status_of(roundtrip(f.port, std::string("\x16\x03\x01\x02\x00garbage\r\n\r\n", 17))) ==
            400);
    }
    SUBCASE("unknown endpoint and method") {
      CHECK(status_of(roundtrip(
                f.port, "GET /nope HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")) == 404);
      CHECK(status_of(roundtrip(
                f.port, "GET /v1/logs HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")) == 405);
    }
    CHECK(f.events() == 0);
  }

  TEST_CASE("server accepts a chunked body without Content-Length") {
    fixture f;
    raw_client c(f.port);
    std::string half1 = good_body.substr(0, 50), half2 = good_body.substr(50);
    auto hex = [](std::size_t n) {
      char b[16];
      std::snprintf(b, sizeof b, "%zx", n);
      return std::string(b);
    };
    c.send(
        "POST /v1/logs HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: "
        "application/json\r\n"
        "Transfer-Encoding: chunked\r\n\r\n" +
        hex(half1.size()) + "\r\n" + half1 + "\r\n" + hex(half2.size()) + "\r\n" + half2 +
        "\r\n0\r\n\r\n");
    auto r = c.read_all();
    CHECK(status_of(r) == 200);
    CHECK(f.events() == 2);
  }

  TEST_CASE("a slow client times out while another client is served") {
    server_options so;
    so.read_timeout = std::chrono::milliseconds(1000);
    fixture f(so);
    auto t0 = std::chrono::steady_clock::now();
    raw_client slow(f.port);
    slow.send(
        "POST /v1/logs HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: "
        "100\r\n\r\n{\"resou");
    auto fast = roundtrip(f.port, post("/v1/logs", good_body));
    auto fast_done = std::chrono::steady_clock::now();
    CHECK(status_of(fast) == 200);
    CHECK(fast_done - t0 < std::chrono::milliseconds(900));  // not queued behind the slow one
    CHECK(status_of(slow.read_all()) == 408);
    CHECK(std::chrono::steady_clock::now() - t0 >= std::chrono::milliseconds(990));
    CHECK(f.metrics.rejected_count("timeout") == 1);
    // A truncated body (client gives up) stores nothing.
    {
      raw_client t(f.port);
      t.send(
          "POST /v1/logs HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: "
          "100\r\n\r\n{");
    }
    CHECK(f.events() == 2);
  }

  TEST_CASE("server over its connection cap answers 503") {
    server_options so;
    so.max_connections = 2;
    fixture f(so);
    raw_client a(f.port), b(f.port);
    a.send("GET /healthz HTTP/1.1\r\nHost: x\r\n");  // incomplete: keeps the connection busy
    b.send("GET /healthz HTTP/1.1\r\nHost: x\r\n");
    auto r = roundtrip(f.port, "GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    CHECK(status_of(r) == 503);
    CHECK(f.metrics.rejected_count("overloaded") == 1);
  }

  TEST_CASE("healthz, metrics, api keys and erasure") {
    const std::string key = "app1-0123456789abcdef", admin = "admin-0123456789abcdef",
                      oper = "oper-0123456789abcdefg";
    fixture f({}, api_keys::from_scoped(
                      {{key, scope_ingest}, {admin, scope_admin}, {oper, scope_operator}}));
    auto h = roundtrip(f.port, "GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    CHECK(status_of(h) == 200);
    CHECK(body_of(h) == "ok\n");
    CHECK(status_of(roundtrip(f.port, post("/v1/logs", good_body))) == 401);
    CHECK(status_of(roundtrip(f.port, post("/v1/logs", good_body,
                                           "Authorization: Bearer wrong-key-0123456789\r\n"))) ==
          401);
    // The admin and operator keys cannot ingest; the ingest key can.
    CHECK(status_of(roundtrip(f.port, post("/v1/logs", good_body,
                                           "Authorization: Bearer " + admin + "\r\n"))) == 403);
    auto ok =
        roundtrip(f.port, post("/v1/logs", good_body, "Authorization: Bearer " + key + "\r\n"));
    CHECK(status_of(ok) == 200);
    auto other =
        otlp({log_record("app.started", {attr("install_id", "0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f")})},
             inst_b);
    CHECK(status_of(roundtrip(f.port, post("/v1/logs", other, "X-Api-Key: " + key + "\r\n"))) ==
          200);
    CHECK(f.events() == 3);

    // Erasure needs an ingest key here like uploads, and then the device's proof: no key, not
    // even an admin key, erases. These installs bound no erasure key, so nothing can be erased.
    const std::string zeros(128, '0');
    const std::string proof = R"({"version":1,"requests":[{"install":")" + inst_a +
                              R"(","signature":")" + zeros + R"("}]})";
    CHECK(status_of(roundtrip(f.port, post("/v1/erasure", proof))) == 401);
    CHECK(status_of(roundtrip(f.port,
                              post("/v1/erasure", proof, "X-Api-Key: " + admin + "\r\n"))) == 403);
    auto old_form = roundtrip(f.port, post("/v1/erasure", R"({"tokens":[")" + inst_a + R"("]})",
                                           "X-Api-Key: " + key + "\r\n"));
    CHECK(status_of(old_form) == 400);
    auto refused = roundtrip(f.port, post("/v1/erasure", proof, "X-Api-Key: " + key + "\r\n"));
    CHECK(status_of(refused) == 403);
    CHECK(body_of(refused).find("proof_refused") != std::string::npos);
    CHECK(f.events() == 3);

    // /metrics: the operator key only.
    const std::string get_metrics = "GET /metrics HTTP/1.1\r\nHost: x\r\nConnection: close\r\n";
    CHECK(status_of(roundtrip(f.port, get_metrics + "\r\n")) == 401);
    CHECK(status_of(roundtrip(f.port, get_metrics + "X-Api-Key: " + key + "\r\n\r\n")) == 403);
    auto m = roundtrip(f.port, get_metrics + "X-Api-Key: " + oper + "\r\n\r\n");
    CHECK(status_of(m) == 200);
    auto mb = body_of(m);
    CHECK(mb.find("veil_collector_requests_total{endpoint=\"/v1/logs\",status=\"401\"} 2") !=
          std::string::npos);
    CHECK(mb.find("veil_collector_requests_total{endpoint=\"/v1/logs\",status=\"200\"} 2") !=
          std::string::npos);
    CHECK(mb.find("veil_collector_records_stored_total 3") != std::string::npos);
    CHECK(mb.find("veil_collector_records_erased_total 0") != std::string::npos);
    CHECK(mb.find("veil_collector_proofs_refused_total 1") != std::string::npos);
    CHECK(mb.find("veil_collector_rejected_total{reason=\"unauthorized\"} 4") != std::string::npos);
    CHECK(mb.find("veil_collector_received_bytes_total") != std::string::npos);
    CHECK(mb.find(inst_a) == std::string::npos);
  }

  TEST_CASE("without keys: ingest is open, erasure needs the device's proof, metrics on loopback") {
    fixture f;
    CHECK(status_of(roundtrip(f.port, post("/v1/logs", good_body))) == 200);
    auto old_form = roundtrip(f.port, post("/v1/erasure", R"({"tokens":[")" + inst_a + R"("]})"));
    CHECK(status_of(old_form) == 400);
    auto er = roundtrip(
        f.port, post("/v1/erasure", R"({"version":1,"requests":[{"install":")" + inst_a +
                                        R"(","signature":")" + std::string(128, 'f') + R"("}]})"));
    CHECK(status_of(er) == 403);  // rows, but no bound key: no proof possible
    CHECK(body_of(er).find("proof_refused") != std::string::npos);
    CHECK(f.events() == 2);
    CHECK(status_of(roundtrip(
              f.port, "GET /metrics HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")) == 200);
    // A non-loopback peer is refused (the handler sees the peer the server reports).
    http_request r;
    r.method = "GET";
    r.target = "/metrics";
    r.peer = "203.0.113.7";
    r.peer_loopback = false;
    CHECK(f.handler->handle(r).status == 403);
  }

  TEST_CASE("keep-alive connection serves two requests, then stop() closes it") {
    server_options so;
    so.read_timeout =
        std::chrono::milliseconds(5000);  // a loaded CI machine must not time out the 2nd request
    fixture f(so);
    raw_client c(f.port);
    auto one =
        "POST /v1/logs HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: " +
        std::to_string(good_body.size()) + "\r\n\r\n" + good_body;
    c.send(one + one);
    // Read until both answers are complete, then stop: stopping once the sink held both
    // batches raced with the second answer's write (seen under ASan).
    auto complete = [](const std::string& s, std::size_t from) {
      const auto head_end = s.find("\r\n\r\n", from);
      if (head_end == std::string::npos) return std::string::npos;
      const auto cl = s.find("Content-Length: ", from);
      if (cl == std::string::npos || cl > head_end) return std::string::npos;
      const std::size_t len = std::stoul(s.substr(cl + 16));
      return s.size() >= head_end + 4 + len ? head_end + 4 + len : std::string::npos;
    };
    std::string all;
    char buf[4096];
    for (;;) {  // the socket's 5 s receive timeout bounds each read
      const auto first = complete(all, 0);
      if (first != std::string::npos && complete(all, first) != std::string::npos) break;
      const auto n = ::recv(c.fd(), buf, sizeof buf, 0);
      if (n <= 0) break;
      all.append(buf, static_cast<std::size_t>(n));
    }
    f.srv->stop();
    all += c.read_all();  // ends when stop() closes the idle connection
    CHECK(f.events() == 4);
    CHECK(all.find("HTTP/1.1 200") != std::string::npos);
    CHECK(all.rfind("HTTP/1.1 200") != all.find("HTTP/1.1 200"));
  }
}
