// host_uploader: the host's own HTTP client does the exchange (C ABI veil_options_set_transport).
// No sockets here: the "host" is a lambda that records the request and answers through
// host_transport::complete(), synchronously, later from another thread, or never.
#include <doctest/doctest.h>

#include <atomic>
#include <condition_variable>
#include <functional>
#include <future>
#include <map>
#include <mutex>
#include <thread>
#include <vector>

#include "agent/upload/host_uploader.hpp"
#include "agent/upload/http_status.hpp"
#include "agent/wire/batch_codec.hpp"
#include "test_util.hpp"
#include "veil/agent.hpp"

using namespace veil::detail;
using namespace std::chrono_literals;

namespace {

struct seen_request {
  std::uint64_t id = 0;
  std::string method, url, body;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string header(std::string_view name) const {
    for (const auto& [k, v] : headers)
      if (k == name) return v;
    return {};
  }
};

// Records every request; `answer` (if set) runs inside the callback.
struct fake_host {
  std::mutex mu;
  std::vector<seen_request> seen;
  std::function<void(std::uint64_t)> answer;
  std::promise<std::uint64_t> first_call;
  bool first_set = false;
  host_transport::send_fn fn() {
    return [this](std::uint64_t id, const http_request& r, std::string_view body) {
      {
        std::lock_guard lk(mu);
        seen.push_back({id, r.method(), r.url, std::string(body), r.headers});
        if (!first_set) {
          first_set = true;
          first_call.set_value(id);
        }
      }
      if (answer) answer(id);
    };
  }
};

std::unique_ptr<host_uploader> make(std::shared_ptr<host_transport> t, host_options o = {}) {
  if (o.endpoint.empty()) o.endpoint = "https://collector.example:4318/base/";
  auto u = host_uploader::create(o, std::move(t));
  REQUIRE_MESSAGE(u.ok(), (u.ok() ? std::string() : u.err().message));
  return std::move(*u);
}

upload_batch batch() {
  upload_batch b;
  b.id = make_batch_id();
  b.body = "compressed bytes";
  b.policy_hash = "sha256:0123abcd";
  b.records = 2;
  return b;
}

}  // namespace

TEST_SUITE("upload") {
  TEST_CASE("host: the host gets the URL, headers and body http_uploader would send") {
    fake_host h;
    auto t = std::make_shared<host_transport>(h.fn());
    h.answer = [&](std::uint64_t id) {
      CHECK(t->complete(id, 200, -1, {}) == host_transport::done_result::ok);
    };
    host_options o;
    o.api_key = "k-123";
    auto up = make(t, o);
    auto codec = batch_codec::create({}, {});
    REQUIRE(codec.ok());
    auto b = batch();
    b.body = *codec->compress(R"({"resourceLogs":[]})");
    auto r = up->send(b);
    CHECK_MESSAGE(r.result == upload_result::ok, r.reason);
    CHECK(r.http_status == 200);
    REQUIRE(h.seen.size() == 1);
    const auto& q = h.seen[0];
    CHECK(q.method == "POST");
    CHECK(q.url == "https://collector.example:4318/base/v1/logs");
    CHECK(q.body == b.body);
    CHECK(q.header("Content-Type") == "application/json");
    CHECK(q.header("Content-Encoding") == "zstd");
    CHECK(q.header("Idempotency-Key") == b.id);
    CHECK(q.header("X-Veil-Policy") == "sha256:0123abcd");
    CHECK(q.header("Authorization") == "Bearer k-123");
    CHECK(q.header("User-Agent") == "veil/0.1");
    CHECK(q.header("X-Veil-Zstd-Dict").empty());  // no dictionary in this frame
    CHECK(q.header("Host").empty());              // the host's client derives it from the URL

    // A rights request: GET, its own path and headers, no body, no Content-Type.
    upload_batch g;
    g.get = true;
    g.path = "/v1/subject?offset=5";
    g.content_encoding = "identity";
    g.headers = {{"X-Veil-Install", "tok"}};
    g.body = "ignored";
    REQUIRE(up->send(g).result == upload_result::ok);
    REQUIRE(h.seen.size() == 2);
    CHECK(h.seen[1].method == "GET");
    CHECK(h.seen[1].url == "https://collector.example:4318/base/v1/subject?offset=5");
    CHECK(h.seen[1].body.empty());
    CHECK(h.seen[1].header("Content-Type").empty());
    CHECK(h.seen[1].header("Content-Encoding").empty());
    CHECK(h.seen[1].header("X-Veil-Install") == "tok");
    CHECK(h.seen[1].id != h.seen[0].id);

    // A batch that cannot be sent as it is never reaches the host.
    auto bad = batch();
    bad.headers = {{"X-Evil", "a\r\nb"}};
    CHECK(up->send(bad).result == upload_result::rejected);
    CHECK(h.seen.size() == 2);
  }

  TEST_CASE("host: answers map to upload results exactly as HTTP answers do") {
    const auto now = std::chrono::system_clock::now();
    for (int status : {200, 204, 302, 400, 401, 404, 408, 409, 410, 413, 429, 500, 503, 599, 100}) {
      for (int after : {-1, 0, 7}) {
        CAPTURE(status);
        CAPTURE(after);
        const auto got = host_answer(status, after);
        const auto want = classify_http_status(
            status, {}, after >= 0 ? std::to_string(after) : std::string(), now);
        CHECK(got.result == want.result);
        CHECK(got.http_status == status);
        CHECK(got.retry_after == want.retry_after);
      }
    }
    const auto none = host_answer(0, 5);
    CHECK(none.result == upload_result::retry_later);
    CHECK(none.http_status == 0);
    CHECK_FALSE(none.retry_after);
  }

  TEST_CASE("host: done from another thread, with Retry-After and a body") {
    fake_host h;
    auto t = std::make_shared<host_transport>(h.fn());
    auto up = make(t);
    auto fut = h.first_call.get_future();
    std::thread host([&] {
      const auto id = fut.get();
      CHECK(t->complete(id, 1000, -1, {}) == host_transport::done_result::bad_status);
      CHECK(t->complete(id + 100, 200, -1, {}) == host_transport::done_result::unknown_id);
      CHECK(t->complete(id, 503, 7, R"({"retry":true})") == host_transport::done_result::ok);
      // The second answer for the same id finds nobody waiting.
      CHECK(t->complete(id, 200, -1, {}) == host_transport::done_result::unknown_id);
    });
    auto r = up->send(batch());
    host.join();
    CHECK(r.result == upload_result::retry_later);
    CHECK(r.http_status == 503);
    REQUIRE(r.retry_after);
    CHECK(*r.retry_after == 7s);
    CHECK(r.body == R"({"retry":true})");
    CHECK(t->in_flight() == 0);
  }

  TEST_CASE("host: an answer body over the limit is dropped, the status kept") {
    fake_host h;
    auto t = std::make_shared<host_transport>(h.fn());
    h.answer = [&](std::uint64_t id) { (void)t->complete(id, 200, -1, std::string(100, 'x')); };
    host_options o;
    o.max_response_bytes = 99;
    auto up = make(t, o);
    auto r = up->send(batch());
    CHECK(r.result == upload_result::ok);
    CHECK(r.body.empty());
    auto b = batch();
    b.max_response_bytes = 100;  // a rights request raises the limit
    CHECK(up->send(b).body == std::string(100, 'x'));
  }

  TEST_CASE("host: no answer within the timeout is retry_later, and a late done is refused") {
    fake_host h;  // never answers
    auto t = std::make_shared<host_transport>(h.fn());
    host_options o;
    o.timeout = 20ms;
    auto up = make(t, o);
    auto r = up->send(batch());
    CHECK(r.result == upload_result::retry_later);
    CHECK(r.http_status == 0);
    CHECK(r.reason == "transport: timeout");
    REQUIRE(h.seen.size() == 1);
    CHECK(t->complete(h.seen[0].id, 200, -1, {}) == host_transport::done_result::unknown_id);
    CHECK(t->in_flight() == 0);
  }

  TEST_CASE("host: cancel() ends the wait at once") {
    fake_host h;
    auto t = std::make_shared<host_transport>(h.fn());
    host_options o;
    o.timeout = 60s;  // the test would hang without cancel
    auto up = make(t, o);
    auto fut = h.first_call.get_future();
    std::thread canceller([&] {
      const auto id = fut.get();
      up->cancel();
      CHECK(t->complete(id, 200, -1, {}) == host_transport::done_result::unknown_id);
    });
    const auto t0 = std::chrono::steady_clock::now();
    auto r = up->send(batch());
    canceller.join();
    CHECK(r.result == upload_result::retry_later);
    CHECK(r.reason == "cancelled");
    CHECK(std::chrono::steady_clock::now() - t0 < 30s);
    up->cancel();  // none in flight: a no-op
  }

  TEST_CASE("host: shutdown ends the waits and refuses new exchanges without calling the host") {
    fake_host h;
    auto t = std::make_shared<host_transport>(h.fn());
    host_options o;
    o.timeout = 60s;
    auto up = make(t, o);
    auto fut = h.first_call.get_future();
    std::thread closer([&] {
      (void)fut.get();
      t->shutdown();
    });
    auto r = up->send(batch());
    closer.join();
    CHECK(r.reason == "transport: closed");
    CHECK(up->send(batch()).reason == "transport: closed");
    CHECK(h.seen.size() == 1);
  }

  TEST_CASE("host: concurrent exchanges each get their own answer, in any order") {
    // Two uploaders (the sender and export) on one transport, answered out of order by a pool
    // of host threads; two of them race to answer each id and exactly one wins.
    std::mutex mu;
    std::vector<std::uint64_t> queue;
    std::map<std::uint64_t, std::string> key_of;
    auto t = std::make_shared<host_transport>(
        [&](std::uint64_t id, const http_request& r, std::string_view) {
          std::lock_guard lk(mu);
          queue.push_back(id);
          for (const auto& [k, v] : r.headers)
            if (k == "Idempotency-Key") key_of[id] = v;
        });
    host_options o;
    o.timeout = 30s;
    auto a = make(t, o), b = make(t, o);
    constexpr int per_thread = 25;
    std::atomic<int> wins{0}, losses{0};
    std::atomic<bool> stop{false};
    std::vector<std::thread> hosts;
    for (int k = 0; k < 4; ++k)
      hosts.emplace_back([&, k] {
        while (!stop.load()) {
          std::uint64_t id = 0;
          int status = 0;
          {
            std::lock_guard lk(mu);
            if (queue.empty()) {
              std::this_thread::yield();
              continue;
            }
            // Pick from the back or the front: answers arrive out of order.
            id = k % 2 ? queue.back() : queue.front();
            // Even batch-id digits get 200, odd ones 503: the sender checks its own.
            status = (key_of[id].back() - '0') % 2 == 0 ? 200 : 503;
            if (k >= 2) {  // the racing pair answers without taking the id off the queue
              std::erase(queue, id);
            }
          }
          if (t->complete(id, status, -1, {}) == host_transport::done_result::ok) ++wins;
          else ++losses;
          std::lock_guard lk(mu);
          std::erase(queue, id);
        }
      });
    std::atomic<int> mismatches{0};
    auto run = [&](host_uploader& up) {
      for (int i = 0; i < per_thread; ++i) {
        auto bt = batch();
        bt.id.back() = static_cast<char>('0' + i % 10);
        auto r = up.send(bt);
        const int want = (bt.id.back() - '0') % 2 == 0 ? 200 : 503;
        if (r.http_status != want) ++mismatches;
      }
    };
    std::thread s1([&] { run(*a); }), s2([&] { run(*b); });
    s1.join();
    s2.join();
    stop = true;
    for (auto& th : hosts) th.join();
    CHECK(mismatches.load() == 0);
    CHECK(wins.load() == 2 * per_thread);
    CHECK(t->in_flight() == 0);
  }

  TEST_CASE("host: options are validated") {
    auto t = std::make_shared<host_transport>(
        [](std::uint64_t, const http_request&, std::string_view) {});
    host_options o;
    CHECK_FALSE(host_uploader::create(o, t).ok());  // no endpoint
    o.endpoint = "ftp://x";
    CHECK_FALSE(host_uploader::create(o, t).ok());
    o.endpoint = "http://127.0.0.1:1";
    CHECK(host_uploader::create(o, t).ok());
    CHECK_FALSE(host_uploader::create(o, nullptr).ok());
    o.timeout = 0ms;
    CHECK_FALSE(host_uploader::create(o, t).ok());
  }

  TEST_CASE("host: through the agent: answered later, revoked in flight, closed while waiting") {
    struct request {
      std::uint64_t id;
      std::string url, key;
    };
    std::mutex mu;
    std::condition_variable cv;
    std::vector<request> got;
    veil_test::temp_dir dir;
    veil::agent_options o;
    o.policy_file = VEIL_SOURCE_DIR "/config/policy.json";
    o.state_dir = (dir.path / "s").string();
    o.storage.in_memory = true;
    o.upload.endpoint = "https://collector.example/base";
    o.upload.transport = [&](veil::agent&, const veil::transport_request& r) {
      request q{r.id, std::string(r.url), {}};
      for (const auto& [k, v] : r.headers)
        if (k == "Idempotency-Key") q.key = v;
      std::lock_guard lk(mu);
      got.push_back(std::move(q));
      cv.notify_all();
    };
    o.batch.max_age = 60s;
    o.upload.io_timeout = 30s;
    auto next = [&](std::size_t n) {
      std::unique_lock lk(mu);
      REQUIRE(cv.wait_for(lk, 20s, [&] { return got.size() >= n; }));
      return got[n - 1];
    };
    veil::failure why;
    auto a = veil::agent::open(o, &why);
    REQUIRE_MESSAGE(a, why.message);
    REQUIRE(a->set_consent("usage", true) == veil::status::ok);
    REQUIRE(a->record("feature.used", R"({"feature":"chat"})") == veil::status::ok);
    std::thread flusher([&] { CHECK(a->flush(20s) == veil::status::ok); });
    const auto first = next(1);
    CHECK(first.url == "https://collector.example/base/v1/logs");
    CHECK(first.key.size() == 32);
    CHECK(a->transport_done(first.id + 1, 200, -1) == veil::status::not_found);
    CHECK(a->transport_done(first.id, 1000, -1) == veil::status::invalid_argument);
    CHECK(a->transport_done(first.id, 200, -1) == veil::status::ok);
    flusher.join();
    CHECK(a->transport_done(first.id, 200, -1) == veil::status::not_found);  // answered already
    CHECK(a->stats_json().find("\"records_sent\":1") != std::string::npos);

    // A revoke ends the exchange of a batch it purged; the late answer finds nobody waiting.
    REQUIRE(a->record("feature.used", R"({"feature":"dialer"})") == veil::status::ok);
    std::thread kick([&] { (void)a->flush(50ms); });
    const auto second = next(2);
    kick.join();
    CHECK(a->set_consent("usage", false) == veil::status::ok);
    CHECK(a->transport_done(second.id, 200, -1) == veil::status::not_found);
    CHECK(a->stats_json().find("\"records_sent\":1") != std::string::npos);

    // close() does not wait out the transport's timeout for an exchange still waiting.
    REQUIRE(a->set_consent("usage", true) == veil::status::ok);
    REQUIRE(a->record("feature.used", R"({"feature":"video"})") == veil::status::ok);
    std::thread kick2([&] { (void)a->flush(50ms); });
    (void)next(3);
    kick2.join();
    const auto t0 = std::chrono::steady_clock::now();
    CHECK(a->close(100ms) == veil::status::timeout);
    CHECK(std::chrono::steady_clock::now() - t0 < 10s);
  }

  TEST_CASE("host: an erasure request's receipt comes back through transport_done_body") {
    struct request {
      std::uint64_t id;
      std::string method, url, body;
    };
    std::mutex mu;
    std::condition_variable cv;
    std::vector<request> got;
    veil_test::temp_dir dir;
    veil::agent_options o;
    o.policy_file = VEIL_SOURCE_DIR "/config/policy.json";
    o.state_dir = (dir.path / "s").string();
    o.upload.endpoint = "https://collector.example";
    veil::agent* self = nullptr;
    o.upload.transport = [&](veil::agent& a, const veil::transport_request& r) {
      request q{r.id, std::string(r.method), std::string(r.url), std::string(r.body)};
      // Batches are answered at once, from inside the callback; the erasure waits for the test.
      if (q.url.ends_with("/v1/logs")) {
        CHECK(&a == self);
        CHECK(a.transport_done(r.id, 200, -1) == veil::status::ok);
      }
      std::lock_guard lk(mu);
      got.push_back(std::move(q));
      cv.notify_all();
    };
    veil::failure why;
    auto a = veil::agent::open(o, &why);
    REQUIRE_MESSAGE(a, why.message);
    self = a.get();
    REQUIRE(a->set_consent("usage", true) == veil::status::ok);
    REQUIRE(a->record("feature.used", R"({"feature":"chat"})") == veil::status::ok);
    REQUIRE(a->flush(20s) == veil::status::ok);
    REQUIRE(a->erase() == veil::status::ok);
    request erasure;
    {
      std::unique_lock lk(mu);
      REQUIRE(cv.wait_for(lk, 20s,
                          [&] { return !got.empty() && got.back().url.ends_with("/v1/erasure"); }));
      erasure = got.back();
    }
    CHECK(erasure.method == "POST");
    CHECK_FALSE(erasure.body.empty());
    CHECK(a->erasure_status_json().find("\"pending\":true") != std::string::npos);
    const std::string receipt = R"({"receipt":{"erased_rows":1,"collector":"test"}})";
    CHECK(a->transport_done(erasure.id, 200, -1, receipt) == veil::status::ok);
    REQUIRE(a->flush(20s) == veil::status::ok);
    const auto st = a->erasure_status_json();
    CHECK(st.find("\"pending\":false") != std::string::npos);
    CHECK(st.find("\"erased_rows\":1") != std::string::npos);  // the body was delivered
  }
}
