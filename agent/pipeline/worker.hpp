// worker: the agent's scheduling on Boost.Asio (the only Asio TU outside upload/; the header
// keeps Asio out of everything that includes it). One io_context thread runs the pipeline:
// draining the event queue, batching timers (count, bytes, age), key rotation, and retries
// paced by backoff; nothing polls. Draining is group commit: each pop takes whatever the
// queue holds (up to group_records) and stores it with one spool sync (pipeline::process_group).
// uploader::send() is blocking (http_uploader runs its own exchange), so it runs on a second
// "sender" thread that only calls send() and posts the answer back; all upload state (lease,
// backoff) stays on the io_context thread. notify()/flush()/stop() may be called from any thread
// except the worker's own.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <optional>

#include "agent/pipeline/event_queue.hpp"
#include "agent/pipeline/pipeline.hpp"
#include "agent/upload/backoff.hpp"

namespace veil::detail {

struct worker_options {
  /// Events taken off the queue per group commit (one spool fdatasync per group).
  std::size_t group_records = 256;
  std::size_t batch_records = 500;
  std::size_t batch_bytes = 512 * 1024;
  std::chrono::milliseconds batch_age{30'000};
  backoff_options backoff;
  unit_rng_fn rng;         // default: seeded mt19937_64
  steady_clock_fn steady;  // default: steady_clock::now (retry pacing)
  /// Runs first on each of the worker's threads (the agent gives them a crash signal stack).
  void (*on_thread_start)() noexcept = nullptr;
};

class worker {
 public:
  worker(pipeline& p, event_queue& q, worker_options o);
  ~worker();
  worker(const worker&) = delete;
  worker& operator=(const worker&) = delete;

  void start();
  /// Events were queued (called by the producer that found the queue empty). noexcept: a
  /// failed post is retried by the next notify or flush.
  void notify() noexcept;
  /// True once every event queued before the call is stored and (with an uploader) the spool
  /// is empty, within `timeout`.
  bool flush(std::chrono::milliseconds timeout) noexcept;
  /// Stops timers and threads. Waits for an in-flight send to return (its own timeouts bound it);
  /// its lease then expires and the records are sent again on the next start.
  void stop() noexcept;
  /// After a revoke: cancels a send in flight whose lease the revoke invalidated and waits (at
  /// most `limit`) until it has ended. Any thread but the worker's.
  void settle_revoke(std::chrono::milliseconds limit) noexcept;
  /// Runs `fn` on the worker thread and waits for it; false on timeout or after stop() (then
  /// fn may not run). Kicks the uploader afterwards. Any thread but the worker's.
  bool run_sync(const std::function<void()>& fn, std::chrono::milliseconds timeout) noexcept;

  /// For tests: consecutive failed uploads and the delay until the next attempt.
  unsigned consecutive_failures() const;
  std::optional<std::chrono::milliseconds> next_retry_in() const;

 private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

}  // namespace veil::detail
