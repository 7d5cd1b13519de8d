#include <utility>  // before any asio header (Boost 1.74's asio uses std::exchange without it under GCC 12)

#include "agent/pipeline/worker.hpp"

#include "agent/platform/heap_trim.hpp"

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>

#include <atomic>
#include <condition_variable>
#include <functional>
#include <future>
#include <mutex>
#include <thread>
#include <vector>

namespace veil::detail {

namespace asio = boost::asio;
using namespace std::chrono_literals;

struct worker::impl {
  impl(pipeline& p, event_queue& q, worker_options o)
      : p_(p), q_(q), o_(std::move(o)), backoff_(o_.backoff, o_.rng, o_.steady) {
    if (!o_.steady) o_.steady = [] { return std::chrono::steady_clock::now(); };
  }

  pipeline& p_;
  event_queue& q_;
  worker_options o_;
  asio::io_context ioc_{1};
  asio::executor_work_guard<asio::io_context::executor_type> guard_{ioc_.get_executor()};
  asio::io_context send_ioc_{1};
  asio::executor_work_guard<asio::io_context::executor_type> send_guard_{send_ioc_.get_executor()};
  asio::steady_timer batch_timer_{ioc_};
  asio::steady_timer retry_timer_{ioc_};
  asio::steady_timer key_timer_{ioc_};
  std::thread thread_, send_thread_;

  // Worker-thread state.
  backoff backoff_;
  bool in_flight_ = false;
  bool batch_timer_armed_ = false;
  bool retry_armed_ = false;
  std::size_t pending_records_ = 0;  // stored since the last batch was taken
  std::size_t pending_bytes_ = 0;
  sys_time next_rotation_{};
  std::vector<std::shared_ptr<std::promise<void>>> waiters_;
  std::vector<queued_event> buf_;

  // Read by other threads.
  std::atomic<bool> drain_posted_{false};
  std::atomic<unsigned> failures_{0};
  std::atomic<std::chrono::steady_clock::rep> next_attempt_{0};
  std::atomic<bool> stopped_{false};
  // The upload being sent by the sender thread (null: none), for settle_revoke().
  std::mutex send_mu_;
  std::condition_variable send_cv_;
  std::shared_ptr<const pending_upload> sending_;

  void start() {
    post_drain();
    asio::post(ioc_, [this] {
      rotate_and_arm();
      // Left over from the previous run: records, or an erasure request not yet acknowledged.
      if (p_.has_pending_upload() || p_.erasure_pending()) kick_upload();
    });
    thread_ = std::thread([this] {
      if (o_.on_thread_start) o_.on_thread_start();
      run(ioc_);
    });
    send_thread_ = std::thread([this] {
      if (o_.on_thread_start) o_.on_thread_start();
      run(send_ioc_);
    });
  }

  static void run(asio::io_context& ioc) {
    for (;;) {
      try {
        ioc.run();
        return;
      } catch (...) {
        // A handler threw (a bug): keep the worker alive rather than terminate the host.
      }
    }
  }

  void post_drain() {
    if (drain_posted_.exchange(true)) return;
    try {
      asio::post(ioc_, [this] { drain(); });
    } catch (...) {
      drain_posted_.store(false);
    }
  }

  void drain() {
    drain_posted_.store(false);
    if (p_.now() >= next_rotation_) rotate_and_arm();
    std::size_t done = 0;
    while (done < 1024) {  // then yield to timers and uploads
      buf_.clear();
      std::size_t n = q_.pop_some(buf_, std::max<std::size_t>(1, o_.group_records));
      if (n == 0) break;
      // One group: cleaned, consent-checked and stored with a single sync.
      const auto stored = p_.process_group(buf_);
      pending_records_ += stored.records;
      pending_bytes_ += stored.bytes;
      done += n;
    }
    buf_.clear();
    // A group may have opened a window that ends before the timer fires: re-arm it.
    if (done > 0 && p_.aggregates())
      if (auto seal = p_.aggregates()->next_seal(); seal && *seal < next_rotation_)
        rotate_and_arm();
    if (done >= 1024) post_drain();  // more waiting: yield to timers and uploads first
    if (pending_records_ >= o_.batch_records || pending_bytes_ >= o_.batch_bytes ||
        !waiters_.empty()) {
      kick_upload();
    } else if (pending_records_ > 0) {
      arm_batch_timer();
    }
    check_waiters();
  }

  void arm_batch_timer() {
    if (batch_timer_armed_ || !p_.has_uploader()) return;
    batch_timer_armed_ = true;
    batch_timer_.expires_after(o_.batch_age);
    batch_timer_.async_wait([this](boost::system::error_code ec) {
      batch_timer_armed_ = false;
      if (!ec) kick_upload();
    });
  }

  void rotate_and_arm() {
    next_rotation_ = p_.rotate_keys();
    // Aggregate windows seal on the same timer: it fires at the earlier of the next key epoch
    // and the next window end, and a sealed window is an upload.
    if (auto seal = p_.seal_windows(); seal && *seal < next_rotation_) next_rotation_ = *seal;
    if (p_.aggregates() && p_.aggregates()->has_outgoing()) kick_upload();
    auto wait = next_rotation_ - p_.now();
    if (wait < 1s) wait = 1s;
    if (wait > 1h) wait = 1h;  // re-check hourly: wall-clock jumps and suspends
    key_timer_.expires_after(std::chrono::duration_cast<std::chrono::steady_clock::duration>(wait));
    key_timer_.async_wait([this](boost::system::error_code ec) {
      if (!ec) rotate_and_arm();
    });
  }

  void arm_retry() {
    if (retry_armed_) return;
    retry_armed_ = true;
    auto wait = backoff_.next_attempt() - o_.steady();
    if (wait < std::chrono::steady_clock::duration::zero()) wait = {};
    retry_timer_.expires_after(wait);
    retry_timer_.async_wait([this](boost::system::error_code ec) {
      retry_armed_ = false;
      if (!ec) kick_upload();
    });
  }

  void kick_upload() {
    if (!p_.has_uploader() || in_flight_ || stopped_.load()) return;
    if (!backoff_.ready()) {
      arm_retry();
      return;
    }
    // The erasure lane goes first and alone: while a request waits, nothing else is sent.
    const bool erasure = p_.erasure_pending();
    auto up = erasure ? p_.prepare_erasure() : p_.prepare_upload();
    pending_records_ = 0;
    pending_bytes_ = 0;
    if (batch_timer_armed_) batch_timer_.cancel();
    if (!up) {
      check_waiters();
      return;
    }
    in_flight_ = true;
    auto job = std::make_shared<pending_upload>(std::move(*up));
    asio::post(send_ioc_, [this, job] {
      upload_response r;
      // Right before sending: a revoke may have purged part of the lease meanwhile.
      bool valid = true;
      if (!job->erasure) {
        std::lock_guard lk(send_mu_);
        valid = p_.still_valid(*job);
        if (valid) sending_ = job;
      }
      if (valid) r = p_.upload_target()->send(job->batch);
      if (!job->erasure) {
        std::lock_guard lk(send_mu_);
        sending_.reset();
      }
      send_cv_.notify_all();
      // A revoke that cancelled this send made the lease invalid: it is abandoned, not retried.
      if (valid && !job->erasure && !p_.still_valid(*job)) valid = false;
      asio::post(ioc_, [this, job, r = std::move(r), valid] { on_sent(*job, r, valid); });
    });
  }

  // After a revoke (on the revoking thread): a send in flight whose lease lost records to the
  // purge is cancelled, and this returns once it has ended, so nothing of the category reaches
  // the collector after set_consent() returns. Bounded by `limit` (the transport's timeouts).
  void settle_revoke(std::chrono::milliseconds limit) {
    const auto deadline = std::chrono::steady_clock::now() + limit;
    std::unique_lock lk(send_mu_);
    while (sending_ && !p_.still_valid(*sending_)) {
      if (auto* up = p_.upload_target()) up->cancel();
      if (send_cv_.wait_until(lk, std::min(deadline, std::chrono::steady_clock::now() + 20ms)) ==
              std::cv_status::timeout &&
          std::chrono::steady_clock::now() >= deadline)
        return;
    }
  }

  // Runs fn on the worker thread and waits for it (erasure replaces the key the engine reads).
  bool run_sync(const std::function<void()>& fn, std::chrono::milliseconds timeout) {
    if (stopped_.load()) return false;
    auto pr = std::make_shared<std::promise<void>>();
    auto f = pr->get_future();
    asio::post(ioc_, [this, pr, fn] {
      try {
        fn();
      } catch (...) {}
      pr->set_value();
      kick_upload();
    });
    return f.wait_for(timeout) == std::future_status::ready;
  }

  void on_sent(const pending_upload& job, const upload_response& r, bool valid) {
    in_flight_ = false;
    heap_trim();  // the round's temporaries (lease, OTLP JSON, HTTP buffers) are freed by now
    if (job.erasure) {
      const auto next = p_.finish_erasure(job, r);
      after_send(r, next);
      return;
    }
    if (!valid) {
      p_.abandon_upload(job);
      kick_upload();
      return;
    }
    const auto next = p_.finish_upload(job, r);
    after_send(r, next);
  }

  void after_send(const upload_response& r, pipeline::next next) {
    if (r.result == upload_result::retry_later) {
      backoff_.on_failure(r.retry_after);
    } else {
      backoff_.on_success();
    }
    failures_.store(backoff_.consecutive_failures());
    next_attempt_.store(backoff_.next_attempt().time_since_epoch().count());
    switch (next) {
      case pipeline::next::continue_now: kick_upload(); break;
      case pipeline::next::back_off: arm_retry(); break;
      case pipeline::next::idle: break;
    }
    check_waiters();
  }

  bool idle() const {
    if (in_flight_ || q_.size() != 0) return false;
    return !p_.has_uploader() || (!p_.has_pending_upload() && !p_.erasure_pending());
  }

  void check_waiters() {
    if (waiters_.empty() || !idle()) return;
    for (auto& w : waiters_) w->set_value();
    waiters_.clear();
  }

  bool flush(std::chrono::milliseconds timeout) {
    if (stopped_.load()) return false;
    auto pr = std::make_shared<std::promise<void>>();
    auto f = pr->get_future();
    asio::post(ioc_, [this, pr] {
      waiters_.push_back(pr);
      drain();  // takes what is queued, then kicks an upload because a waiter exists
      if (!in_flight_) kick_upload();
      check_waiters();
    });
    return f.wait_for(timeout) == std::future_status::ready;
  }

  void stop() {
    if (stopped_.exchange(true)) return;
    try {
      asio::post(ioc_, [this] {
        batch_timer_.cancel();
        retry_timer_.cancel();
        key_timer_.cancel();
      });
    } catch (...) {}
    guard_.reset();
    send_guard_.reset();
    ioc_.stop();
    if (thread_.joinable()) thread_.join();
    if (send_thread_.joinable()) send_thread_.join();  // bounded by the transport's timeouts
  }
};

worker::worker(pipeline& p, event_queue& q, worker_options o)
    : impl_(std::make_unique<impl>(p, q, std::move(o))) {}
worker::~worker() { stop(); }
void worker::start() { impl_->start(); }
void worker::notify() noexcept { impl_->post_drain(); }

bool worker::flush(std::chrono::milliseconds timeout) noexcept {
  try {
    return impl_->flush(timeout);
  } catch (...) {
    return false;
  }
}

void worker::stop() noexcept { impl_->stop(); }

void worker::settle_revoke(std::chrono::milliseconds limit) noexcept {
  try {
    impl_->settle_revoke(limit);
  } catch (...) {}
}

bool worker::run_sync(const std::function<void()>& fn, std::chrono::milliseconds timeout) noexcept {
  try {
    return impl_->run_sync(fn, timeout);
  } catch (...) {
    return false;
  }
}
unsigned worker::consecutive_failures() const { return impl_->failures_.load(); }

std::optional<std::chrono::milliseconds> worker::next_retry_in() const {
  if (impl_->failures_.load() == 0) return std::nullopt;
  auto next = std::chrono::steady_clock::time_point(
      std::chrono::steady_clock::duration(impl_->next_attempt_.load()));
  return std::chrono::duration_cast<std::chrono::milliseconds>(next - impl_->o_.steady());
}

}  // namespace veil::detail
