// event_queue on its own, with tiny capacities and no worker: each overflow policy drops what it
// promises, counts it under its own counter, and keeps the order of what it keeps. No sleeps:
// block_for waits are either bounded by a 1 ms budget or ended by another thread's pop/close.
#include <doctest/doctest.h>

#include <string>
#include <thread>
#include <vector>

#include "agent/pipeline/event_queue.hpp"

using namespace veil::detail;
using push_result = event_queue::push_result;

namespace {
queued_event ev(int i) {
  queued_event e;
  e.type = "feature.used";
  e.payload = std::to_string(i);
  e.ts_ms = i;
  return e;
}

push_result push(event_queue& q, int i) {
  bool was_empty = false;
  return q.push(ev(i), was_empty);
}

std::vector<std::string> drain(event_queue& q) {
  std::vector<queued_event> out;
  q.pop_some(out, 1000);
  std::vector<std::string> payloads;
  for (auto& e : out) payloads.push_back(e.payload);
  return payloads;
}

event_queue make(std::size_t capacity, veil::overflow on_full,
                 std::chrono::milliseconds block_for = std::chrono::milliseconds{1}) {
  veil::queue_options o;
  o.capacity = capacity;
  o.on_full = on_full;
  o.block_for = block_for;
  return event_queue(o);
}
}  // namespace

TEST_SUITE("pipeline.event_queue") {
  TEST_CASE("drop_newest: a full queue refuses the new event and counts it as discarded") {
    auto q = make(2, veil::overflow::drop_newest);
    CHECK(push(q, 0) == push_result::queued);
    CHECK(push(q, 1) == push_result::queued);
    CHECK(push(q, 2) == push_result::dropped);
    CHECK(push(q, 3) == push_result::dropped);
    auto c = q.counters();
    CHECK(c.pushed == 2);
    CHECK(c.discarded == 2);
    CHECK(c.overrun == 0);
    CHECK(c.block_timeouts == 0);
    CHECK(c.dropped() == 2);
    CHECK(c.depth == 2);
    CHECK(c.high_water == 2);
    CHECK(drain(q) == std::vector<std::string>{"0", "1"});
    // Room again after the consumer took them.
    CHECK(push(q, 4) == push_result::queued);
    CHECK(drain(q) == std::vector<std::string>{"4"});
  }

  TEST_CASE("drop_oldest: a full queue makes room by dropping its oldest event (overrun)") {
    auto q = make(2, veil::overflow::drop_oldest);
    for (int i = 0; i < 5; ++i) CHECK(push(q, i) == push_result::queued);
    auto c = q.counters();
    CHECK(c.pushed == 5);
    CHECK(c.overrun == 3);
    CHECK(c.discarded == 0);
    CHECK(c.dropped() == 3);
    CHECK(c.depth == 2);
    CHECK(drain(q) == std::vector<std::string>{"3", "4"});
  }

  TEST_CASE("block_for with no consumer: waits its budget, then drops the new event") {
    auto q = make(1, veil::overflow::block_for);
    CHECK(push(q, 0) == push_result::queued);
    CHECK(push(q, 1) == push_result::dropped);
    auto c = q.counters();
    CHECK(c.block_timeouts == 1);
    CHECK(c.discarded == 0);
    CHECK(c.overrun == 0);
    CHECK(c.pushed == 1);
    CHECK(drain(q) == std::vector<std::string>{"0"});
  }

  TEST_CASE("block_for: a consumer's pop lets the blocked producer in, nothing is dropped") {
    // A long budget: the producer either finds room or is woken by the pop; it never times out.
    auto q = make(1, veil::overflow::block_for, std::chrono::milliseconds{1000});
    REQUIRE(push(q, 0) == push_result::queued);
    push_result second = push_result::closed;
    std::thread producer([&] { second = push(q, 1); });
    std::vector<std::string> got;
    while (got.size() < 2) {
      for (auto& p : drain(q)) got.push_back(p);
      std::this_thread::yield();
    }
    producer.join();
    CHECK(second == push_result::queued);
    CHECK(got == std::vector<std::string>{"0", "1"});
    CHECK(q.counters().block_timeouts == 0);
    CHECK(q.counters().dropped() == 0);
  }

  TEST_CASE("close: a producer blocked on a full queue returns closed, later pushes too") {
    auto q = make(1, veil::overflow::block_for, std::chrono::milliseconds{1000});
    REQUIRE(push(q, 0) == push_result::queued);
    push_result blocked = push_result::queued;
    std::thread producer([&] { blocked = push(q, 1); });
    q.close();
    producer.join();
    CHECK(blocked == push_result::closed);
    CHECK(push(q, 2) == push_result::closed);
    // What was queued before close is still there for the consumer.
    CHECK(drain(q) == std::vector<std::string>{"0"});
    CHECK(q.counters().block_timeouts == 0);
  }

  TEST_CASE("was_empty tells the producer when to wake the consumer") {
    auto q = make(4, veil::overflow::drop_newest);
    bool was_empty = false;
    CHECK(q.push(ev(0), was_empty) == push_result::queued);
    CHECK(was_empty);
    CHECK(q.push(ev(1), was_empty) == push_result::queued);
    CHECK_FALSE(was_empty);
    drain(q);
    CHECK(q.push(ev(2), was_empty) == push_result::queued);
    CHECK(was_empty);
  }

  TEST_CASE("pop_some takes at most max, in order; discard_rest counts what is lost") {
    auto q = make(8, veil::overflow::drop_newest);
    for (int i = 0; i < 5; ++i) REQUIRE(push(q, i) == push_result::queued);
    std::vector<queued_event> out;
    CHECK(q.pop_some(out, 2) == 2);
    REQUIRE(out.size() == 2);
    CHECK(out[0].payload == "0");
    CHECK(out[1].payload == "1");
    CHECK(q.size() == 3);
    q.close();
    q.discard_rest();
    auto c = q.counters();
    CHECK(c.lost_at_close == 3);
    CHECK(c.depth == 0);
    CHECK(c.high_water == 5);
  }
}
