#include <doctest/doctest.h>

#include <chrono>
#include <vector>

#include "agent/upload/backoff.hpp"
#include "agent/upload/uploader.hpp"

using namespace veil::detail;
using namespace std::chrono;
using namespace std::chrono_literals;

namespace {
struct fake_clock {
  steady_clock::time_point now{steady_clock::time_point{} + hours(1000)};
  steady_clock_fn fn() {
    return [this] { return now; };
  }
};
}  // namespace

TEST_SUITE("upload") {
  TEST_CASE("backoff: full jitter bounds") {
    backoff_options o;
    CHECK(o.validate().ok());
    CHECK(full_jitter_delay(o, 1, 0.0) == 1s);    // floor
    CHECK(full_jitter_delay(o, 1, 0.999) == 1s);  // ceiling 1 s on the first failure
    CHECK(full_jitter_delay(o, 4, 0.5) == 4s);    // ceiling 8 s
    CHECK(full_jitter_delay(o, 4, 0.0) == 1s);
    CHECK(full_jitter_delay(o, 10, 1.0) == 5min);  // 512 s capped at 5 min
    CHECK(full_jitter_delay(o, 1000, 1.0) == 5min);
    CHECK(full_jitter_delay(o, 1000, 0.5) == 150s);
  }

  TEST_CASE("backoff: Retry-After is a lower bound, capped at 1 h") {
    fake_clock clk;
    backoff p(
        {}, [] { return 0.0; }, clk.fn());
    CHECK(p.on_failure(30s) - clk.now == 30s);
    clk.now += 30s;
    CHECK(p.on_failure(std::nullopt) - clk.now == 1s);
    clk.now += 1s;
    CHECK(p.on_failure(10h) - clk.now == 1h);
    p.on_success();
    CHECK(p.consecutive_failures() == 0);
    CHECK(p.ready());
  }

  TEST_CASE("backoff: exponential growth with the max draw, reset on success") {
    fake_clock clk;
    backoff p(
        {}, [] { return 1.0; }, clk.fn());
    std::vector<seconds> got;
    for (int i = 0; i < 12; ++i) {
      auto next = p.on_failure();
      got.push_back(duration_cast<seconds>(next - clk.now));
      CHECK_FALSE(p.ready());
      clk.now = next;
      CHECK(p.ready());
    }
    // 1, 2, 4, then the per-minute limit (4 attempts in 7 s -> the 5th waits for the first + 60 s),
    // ...
    CHECK(got[0] == 1s);
    CHECK(got[1] == 2s);
    CHECK(got[2] == 4s);
    CHECK(got[3] >= 8s);
    CHECK(got[9] == 5min);
    CHECK(got[11] == 5min);
    p.on_success();
    CHECK(p.on_failure() - clk.now == 1s);
  }

  TEST_CASE("backoff: a blocked endpoint sees at most a few requests per minute") {
    for (double draw : {0.0, 0.3, 1.0}) {
      fake_clock clk;
      backoff p(
          {}, [draw] { return draw; }, clk.fn());
      std::vector<steady_clock::time_point> attempts;
      const auto end = clk.now + hours(2);
      while (clk.now < end) {
        attempts.push_back(clk.now);
        clk.now = p.on_failure(std::nullopt);  // the server answers 503 every time
      }
      std::size_t worst = 0;
      for (std::size_t i = 0; i < attempts.size(); ++i) {
        std::size_t n = 0;
        for (std::size_t j = i; j < attempts.size() && attempts[j] - attempts[i] < 60s; ++j) ++n;
        worst = std::max(worst, n);
      }
      CAPTURE(draw);
      CHECK(worst <= 4);
      // With the worst draw (always the floor) the window limit alone keeps it at 4/min.
      if (draw == 0.0) CHECK(attempts.size() <= 4 * 120 + 4);
    }
  }

  TEST_CASE("backoff: Retry-After parsing") {
    const auto now = sys_days{2026y / November / 29} + 10h;
    CHECK(parse_retry_after("120", now) == 120s);
    CHECK(parse_retry_after(" 0 ", now) == 0s);
    CHECK(parse_retry_after("Sun, 29 Nov 2026 10:02:00 GMT", now) == 120s);
    CHECK(parse_retry_after("Sun, 29 Nov 2026 09:00:00 GMT", now) == 0s);  // in the past
    CHECK_FALSE(parse_retry_after("", now));
    CHECK_FALSE(parse_retry_after("-5", now));
    CHECK_FALSE(parse_retry_after("soon", now));
    CHECK_FALSE(parse_retry_after("Sun, 29 Foo 2026 10:02:00 GMT", now));
    CHECK(parse_retry_after("99999999999999999999", now) >= 1h);
  }

  TEST_CASE("uploader: memory and null uploaders, batch ids") {
    const auto id = make_batch_id();
    CHECK(id.size() == 32);
    CHECK(id.find_first_not_of("0123456789abcdef") == std::string::npos);
    CHECK(make_batch_id() != id);
    memory_uploader m;
    upload_batch b;
    b.id = id;
    b.body = "body";
    b.policy_hash = "ph";
    b.records = 3;
    m.fail_next(2, {upload_result::retry_later, 5s, 503, "busy"});
    CHECK(m.send(b).result == upload_result::retry_later);
    CHECK(m.send(b).result == upload_result::retry_later);
    CHECK(m.send(b).result == upload_result::ok);
    CHECK(m.calls() == 3);
    REQUIRE(m.batches().size() == 1);
    CHECK(m.batches()[0].id == id);
    null_uploader n;
    CHECK(n.send(b).result == upload_result::ok);
    CHECK(std::string(to_string(upload_result::too_large)) == "too_large");
  }
}
