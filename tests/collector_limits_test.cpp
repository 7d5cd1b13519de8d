// The collector's bounds against hostile clients (issue 12, parts 1 and 2): the memory budget
// and what reserves from it (body, decompression, parse), the decoder's pre-scan limits, the
// bounded read buffer for chunked framing, per-client connection caps, the idle timeout,
// credentials before "100 Continue", /healthz while the workers are busy, accept back-off.
// Each case is a request that broke the collector before (see the issue for the figures).
#include <doctest/doctest.h>

#include <atomic>
#include <cerrno>
#include <future>
#include <thread>

#include "agent/wire/batch_codec.hpp"
#include "agent/wire/otlp_decoder.hpp"
#include "collector_http_util.hpp"
#include "tools/collector/memory_budget.hpp"

using namespace veil::collector;
using namespace veil::collector::test;
using veil::detail::memory_admit;
using namespace std::chrono_literals;

namespace {

const std::string good = otlp({log_record("app.started", {attr("app_version", "5.6.12")})});

// An OTLP request with one valid record and `junk` as an extra top-level field.
std::string with_junk(const std::string& junk) {
  return R"({"junk":)" + junk + R"(,"resourceLogs":[{"scopeLogs":[{"logRecords":[)" +
         log_record("app.started", {}) + "]}]}]}";
}

std::string zeros_array(std::size_t n) {
  std::string s = "[";
  s.reserve(2 * n + 2);
  for (std::size_t i = 0; i < n; ++i) s += i ? ",0" : "0";
  return s + "]";
}

}  // namespace

TEST_SUITE("collector limits") {
  TEST_CASE("memory budget: leases add up, busy waits or fails, too large never fits") {
    memory_budget b(1000);
    memory_budget::lease a(b), c(b);
    CHECK(a.grow_to(600) == memory_budget::outcome::ok);
    CHECK(b.in_use() == 600);
    CHECK(a.grow_to(500) == memory_budget::outcome::ok);  // never shrinks below what it holds
    CHECK(a.held() == 600);
    CHECK(c.grow_to(500) == memory_budget::outcome::busy);
    CHECK(c.grow_to(1001) == memory_budget::outcome::too_large);
    CHECK(c.grow_by(400) == memory_budget::outcome::ok);
    CHECK(b.in_use() == 1000);
    // A waiting lease gets its share as soon as another gives memory back.
    auto waiter = std::async(std::launch::async, [&] {
      memory_budget::lease w(b);
      return w.grow_to(300, 10s);
    });
    std::this_thread::sleep_for(20ms);  // the waiter is blocked (no clock to inject in a condvar)
    a.release();
    CHECK(waiter.get() == memory_budget::outcome::ok);
    CHECK(b.in_use() == 400);  // the waiter's lease ended with its scope
    CHECK(b.peak() == 1000);
    {
      memory_budget::lease moved = std::move(c);
      CHECK(moved.held() == 400);
      CHECK(c.held() == 0);
    }
    CHECK(b.in_use() == 0);
    memory_budget::lease unbounded;  // no budget: always ok
    CHECK(unbounded.grow_to(std::size_t{1} << 40) == memory_budget::outcome::ok);
  }

  TEST_CASE("decoder pre-scan: values, strings, keys and numbers bounded before the parse") {
    veil::detail::otlp_decode_limits lim;
    lim.max_values = 10'000;
    lim.max_string = 100;
    lim.max_key = 20;
    lim.max_number = 30;
    veil::detail::otlp_decoder dec(lim);
    std::size_t asked = 0;
    memory_admit spy = [&](std::size_t n) {
      asked = n;
      return veil::errc::ok;
    };
    // Within the limits: decoded, and the parse cost was asked for before (>= the body).
    auto ok = dec.decode_records(with_junk(zeros_array(1000)), &spy);
    REQUIRE(ok.ok());
    CHECK(ok->records.size() == 1);
    CHECK(asked >= with_junk(zeros_array(1000)).size());
    struct bad_case {
      const char* what;
      std::string body;
      const char* message;
    };
    const bad_case cases[] = {
        {"values", with_junk(zeros_array(20'000)), "request: JSON values"},
        {"string", with_junk('"' + std::string(101, 'a') + '"'),
         "request: string bytes 101 > limit 100"},
        {"key", with_junk(R"({")" + std::string(21, 'k') + R"(":1})"),
         "request: key bytes 21 > limit 20"},
        {"number", with_junk(std::string(31, '7')), "request: number characters 31 > limit 30"},
    };
    for (const auto& c : cases) {
      CAPTURE(c.what);
      asked = 0;
      auto r = dec.decode_records(c.body, &spy);
      REQUIRE_FALSE(r.ok());
      CHECK(r.err().code == veil::errc::limit_exceeded);
      CHECK(r.err().message.find(c.message) == 0);
      CHECK(asked == 0);  // refused before anything was admitted or allocated
    }
    // The budget's answer is the decoder's error.
    memory_admit busy = [](std::size_t) { return veil::errc::unavailable; };
    auto b = dec.decode_records(good, &busy);
    REQUIRE_FALSE(b.ok());
    CHECK(b.err().code == veil::errc::unavailable);
    // A big integer is still read as a double (nlohmann's behaviour), within the cost.
    auto big = dec.decode_records(
        otlp({log_record("app.started",
                         {R"({"key":"n","value":{"doubleValue":123456789012345678901234}})"})}),
        &spy);
    REQUIRE(big.ok());
    const std::string as_nlohmann = nlohmann::json::parse("123456789012345678901234").dump();
    CHECK_MESSAGE(big->records[0].attrs_json.find("\"n\":" + as_nlohmann) != std::string::npos,
                  big->records[0].attrs_json);
  }

  TEST_CASE("batch decoder: a zstd bomb is stopped by the budget while it inflates") {
    auto codec = veil::detail::batch_codec::create();
    REQUIRE(codec.ok());
    // 16 MiB of one JSON string's bytes: compresses to a few KB.
    auto bomb = codec->compress(with_junk('"' + std::string(16u << 20, 'a') + '"'));
    REQUIRE(bomb.ok());
    CHECK(bomb->size() < 8192);
    auto dec = make_batch_decoder(32u << 20);
    REQUIRE(dec.ok());
    std::size_t most = 0;
    memory_admit cap_4mib = [&](std::size_t n) {
      most = std::max(most, n);
      return n > (4u << 20) ? veil::errc::limit_exceeded : veil::errc::ok;
    };
    // The frame declares its size: refused before any output is allocated.
    auto r = (*dec)(*bomb, "zstd", "", &cap_4mib);
    REQUIRE_FALSE(r.ok());
    CHECK(r.err().code == veil::errc::limit_exceeded);  // -> 413
    CHECK(most == with_junk('"' + std::string(16u << 20, 'a') + '"').size());
    // gzip declares nothing: the output buffer is admitted as it grows, and refused at the
    // first growth past the cap.
    auto gz = veil::detail::gzip_compress(with_junk('"' + std::string(16u << 20, 'a') + '"'));
    REQUIRE(gz.ok());
    most = 0;
    auto g = (*dec)(*gz, "gzip", "", &cap_4mib);
    REQUIRE_FALSE(g.ok());
    CHECK(g.err().code == veil::errc::limit_exceeded);
    CHECK(most > (4u << 20));
    CHECK(most <= (12u << 20));
    // Without the budget the pre-scan refuses the string (64 KiB) before parsing it.
    auto r2 = (*dec)(*bomb, "zstd", "");
    REQUIRE_FALSE(r2.ok());
    CHECK(r2.err().message.find("string bytes") != std::string::npos);
  }

  TEST_CASE("server: a body that does not fit the budget now gets 503 with Retry-After") {
    server_options so;
    so.max_body = 64 << 10;
    so.max_header = 16 << 10;
    so.memory_budget = 2 * (so.max_body + so.max_header);  // room for two bodies
    so.read_timeout = 3s;
    fixture f(so);
    const std::string head =
        "POST /v1/logs HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: "
        "60000\r\n\r\n{";
    raw_client a(f.port), b(f.port);
    a.send(head);
    b.send(head);
    // Both reservations are held while the bodies trickle in; a third does not fit.
    std::string third;
    for (int i = 0; i < 100 && status_of(third) != 503; ++i) {
      third = roundtrip(f.port, post("/v1/logs", std::string(60000, ' ')));
      if (status_of(third) != 503) std::this_thread::sleep_for(10ms);  // a, b not read yet
    }
    CHECK(status_of(third) == 503);
    CHECK(third.find("Retry-After: 1") != std::string::npos);
    CHECK(f.metrics.rejected_count("busy") >= 1);
    // Once a is answered its share is back and the next request is served.
    // a's body arrives; parsing it would need more than this tiny budget holds at all: 413.
    a.send(std::string(59999, ' '));
    CHECK(status_of(a.read_all()) == 413);
    CHECK(status_of(roundtrip(f.port, post("/v1/logs", good))) == 200);
  }

  TEST_CASE("server: chunked framing without end is refused from a bounded buffer") {
    server_options so;
    so.read_timeout = 5s;
    fixture f(so);
    const std::string head =
        "POST /v1/logs HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        "Transfer-Encoding: chunked\r\n\r\n";
    SUBCASE("endless chunk extension") {
      raw_client c(f.port);
      c.send(head + "10;ext=");
      const std::string more(64 << 10, 'x');
      for (int i = 0; i < 8; ++i) c.send(more);  // 512 KiB: the old server buffered it all
      auto r = c.read_all();
      CHECK(status_of(r) == 400);
      CHECK(f.metrics.rejected_count("chunk_framing") == 1);
    }
    SUBCASE("long but complete chunk extension") {
      raw_client c(f.port);
      c.send(head + "10;e=" + std::string(300, 'x') + "\r\n");
      CHECK(status_of(c.read_all()) == 400);
      CHECK(f.metrics.rejected_count("chunk_framing") == 1);
    }
    SUBCASE("endless chunk-size line") {
      raw_client c(f.port);
      c.send(head + std::string(200 << 10, '0'));
      CHECK(status_of(c.read_all()) == 400);
    }
    SUBCASE("endless trailer") {
      raw_client c(f.port);
      c.send(head + "2\r\n{}\r\n0\r\nX-T: ");
      for (int i = 0; i < 8; ++i) c.send(std::string(64 << 10, 't'));
      CHECK(status_of(c.read_all()) == 400);
    }
    CHECK(f.events() == 0);
  }

  TEST_CASE("server: connections are capped per client address, not only globally") {
    server_options so;
    so.max_connections = 64;
    so.max_connections_per_client = 3;
    so.read_timeout = 3s;
    fixture f(so);
    std::vector<std::unique_ptr<raw_client>> held;
    for (int i = 0; i < 3; ++i) {
      held.push_back(std::make_unique<raw_client>(f.port, "127.0.0.2"));
      held.back()->send("GET /healthz HTTP/1.1\r\nHost: x\r\n");  // busy, incomplete
    }
    // The attacker's next connection is refused...
    raw_client extra(f.port, "127.0.0.2");
    extra.send("GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    auto r = extra.read_all();
    CHECK(status_of(r) == 429);
    CHECK(r.find("Retry-After: 1") != std::string::npos);
    CHECK(f.metrics.rejected_count("client_connections") == 1);
    // ...every other device is served.
    CHECK(status_of(roundtrip(f.port, post("/v1/logs", good))) == 200);
    // A closed connection gives its slot back.
    held.pop_back();
    std::string again;
    for (int i = 0; i < 100 && status_of(again) != 200; ++i) {
      raw_client c(f.port, "127.0.0.2");
      c.send("GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
      again = c.read_all();
      if (status_of(again) != 200) std::this_thread::sleep_for(10ms);  // close seen later
    }
    CHECK(status_of(again) == 200);
  }

  TEST_CASE("server: a connection that sends nothing is closed at the idle timeout") {
    server_options so;
    so.idle_timeout = 200ms;
    so.read_timeout = 3s;
    fixture f(so);
    const auto t0 = std::chrono::steady_clock::now();
    raw_client silent(f.port);
    raw_client slow(f.port);
    slow.send("GET /healthz HTTP/1.1\r\n");  // started: gets the read timeout
    CHECK(silent.read_all().empty());        // closed, no answer
    const auto closed = std::chrono::steady_clock::now() - t0;
    CHECK(closed >= 190ms);
    CHECK(closed < 2500ms);  // well before the read timeout
    auto r = slow.read_all();
    CHECK(status_of(r) == 408);
    CHECK(std::chrono::steady_clock::now() - t0 >= 2900ms);
  }

  TEST_CASE("server: a bad key is refused before the body, and never invited by 100 Continue") {
    const std::string key = "app1-0123456789abcdef";
    fixture f({}, api_keys::from_keys({key}));
    raw_client c(f.port);
    c.send(
        "POST /v1/logs HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: "
        "50000\r\nExpect: 100-continue\r\nAuthorization: Bearer wrong-key-0123456789\r\n\r\n");
    auto r = c.read_all();  // the body is never sent
    CHECK(status_of(r) == 401);
    CHECK(r.find("100 Continue") == std::string::npos);
    // With the right key the client is invited, then stored.
    raw_client ok(f.port);
    ok.send(
        "POST /v1/logs HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: "
        "application/json\r\nContent-Length: " +
        std::to_string(good.size()) + "\r\nExpect: 100-continue\r\nX-Api-Key: " + key + "\r\n\r\n");
    char buf[256];
    auto n = ::recv(ok.fd(), buf, sizeof buf, 0);
    REQUIRE(n > 0);
    CHECK(std::string(buf, static_cast<std::size_t>(n)).starts_with("HTTP/1.1 100 Continue"));
    ok.send(good);
    CHECK(status_of(ok.read_all()) == 200);
    CHECK(f.events() == 1);
  }

  TEST_CASE("server: /healthz and /metrics answer while every worker is blocked on ingest") {
    server_options so;
    so.worker_threads = 1;
    so.read_timeout = 5s;
    std::promise<void> release;
    std::shared_future<void> gate = release.get_future().share();
    std::atomic<int> entered{0};
    fixture f(so, {}, [gate, &entered](std::string_view) {
      ++entered;
      gate.wait();  // the guard blocks: the only worker is stuck in an ingest request
      return std::string();
    });
    auto ingest =
        std::async(std::launch::async, [&] { return roundtrip(f.port, post("/v1/logs", good)); });
    for (int i = 0; i < 500 && entered == 0; ++i) std::this_thread::sleep_for(2ms);
    REQUIRE(entered > 0);
    auto h = roundtrip(f.port, "GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    CHECK(status_of(h) == 200);
    auto m = roundtrip(f.port, "GET /metrics HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    CHECK(status_of(m) != 0);  // answered (200, or 401/403 by the scope rules), not queued
    CHECK(ingest.wait_for(0ms) != std::future_status::ready);  // ingest was still blocked
    release.set_value();
    CHECK(status_of(ingest.get()) == 200);
  }

  TEST_CASE("accept back-off: waits and grows while descriptors run out, retries at once else") {
    using ms = std::chrono::milliseconds;
    CHECK(accept_backoff(EMFILE, ms(0)) == ms(10));
    CHECK(accept_backoff(EMFILE, ms(10)) == ms(20));
    CHECK(accept_backoff(ENFILE, ms(640)) == ms(1000));
    CHECK(accept_backoff(ENOBUFS, ms(1000)) == ms(1000));
    CHECK(accept_backoff(ENOMEM, ms(0)) == ms(10));
    CHECK(accept_backoff(ECONNABORTED, ms(500)) == ms(0));
    CHECK(accept_backoff(EPERM, ms(0)) == ms(0));
  }

  TEST_CASE("server options: values out of their range are refused, naming the option") {
    auto refused = [](auto edit, const char* what) {
      server_options so;
      edit(so);
      auto v = so.validate();
      CHECK_FALSE(v.ok());
      if (!v.ok()) CHECK(v.err().message.find(what) != std::string::npos);
    };
    refused([](server_options& o) { o.max_header = std::size_t{5} << 30; }, "max_header");
    refused([](server_options& o) { o.read_timeout = std::chrono::hours(2); }, "read_timeout");
    refused([](server_options& o) { o.idle_timeout = 0ms; }, "idle_timeout");
    refused([](server_options& o) { o.max_connections_per_client = 0; }, "per_client");
    refused([](server_options& o) { o.memory_budget = 1 << 20; }, "memory_budget");
    CHECK(server_options{}.validate().ok());
  }
}
