// event_queue: the bounded multi-producer queue between record() (any host thread) and the
// agent's worker (one consumer). push() never waits on I/O: the mutex guards only a deque's
// push/pop; with overflow::block_for it waits at most block_for on a condition variable.
// Overflow is an explicit policy with one counter each, so a drop is never silent. After close()
// push() fails and the consumer can still take what is left. Nothing throws except pop_all's
// allocation.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <mutex>
#include <string>
#include <vector>

#include "veil/options.hpp"

namespace veil::detail {

/// One raw event as the host gave it: either type + attrs JSON, or a whole envelope line.
struct queued_event {
  std::string type;     // empty for an envelope
  std::string payload;  // attrs JSON, or the envelope JSON
  std::int64_t ts_ms = 0;
  bool envelope = false;
};

struct queue_counters {
  std::uint64_t pushed = 0;
  std::uint64_t discarded = 0;       // drop_newest: the new event was dropped
  std::uint64_t overrun = 0;         // drop_oldest: an old event made room
  std::uint64_t block_timeouts = 0;  // block_for: no room in time, the new event was dropped
  std::uint64_t lost_at_close = 0;   // still queued when the worker stopped
  std::size_t depth = 0;
  std::size_t high_water = 0;
  std::uint64_t dropped() const noexcept { return discarded + overrun + block_timeouts; }
};

class event_queue {
 public:
  enum class push_result { queued, dropped, closed };

  explicit event_queue(queue_options o) : o_(o) {}
  /// Moves `e` in (unless dropped). `was_empty` tells the producer to wake the consumer.
  push_result push(queued_event&& e, bool& was_empty) noexcept;
  /// Moves up to `max` events into `out` (appended). Returns how many.
  std::size_t pop_some(std::vector<queued_event>& out, std::size_t max);
  std::size_t size() const;
  /// No more pushes; blocked producers return closed.
  void close() noexcept;
  /// Counts what is left as lost_at_close and empties the queue.
  void discard_rest() noexcept;
  queue_counters counters() const;

 private:
  const queue_options o_;
  mutable std::mutex mu_;
  std::condition_variable room_;
  std::deque<queued_event> q_;
  queue_counters c_;
  bool closed_ = false;
};

}  // namespace veil::detail
