// The collector's in-flight memory budget: every request reserves what it is about to allocate
// (its body as it arrives, the decompressed bytes as they grow, the JSON parser's tape and
// string buffers from the pre-scanned element counts) before allocating it, and gives it back
// when the request is answered. A reservation that would pass the capacity waits a bounded time
// for others to finish (worker threads) or fails at once (I/O threads), and the request gets
// 503 with Retry-After; one that could never fit gets 413. So concurrent requests queue instead
// of adding up, and the process's peak is the capacity plus a fixed overhead (docs: README,
// "Collector memory"). Thread-safe.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <mutex>

namespace veil::collector {

class memory_budget {
 public:
  explicit memory_budget(std::size_t capacity) : capacity_(capacity) {}
  memory_budget(const memory_budget&) = delete;
  memory_budget& operator=(const memory_budget&) = delete;

  std::size_t capacity() const noexcept { return capacity_; }
  std::size_t in_use() const {
    std::lock_guard lk(mu_);
    return used_;
  }
  std::size_t peak() const {
    std::lock_guard lk(mu_);
    return peak_;
  }

  enum class outcome { ok, busy, too_large };

  /// One request's share. Movable, not copyable; the destructor returns what it holds.
  class lease {
   public:
    lease() = default;
    explicit lease(memory_budget& b) : b_(&b) {}
    lease(lease&& o) noexcept : b_(o.b_), held_(o.held_) { o.held_ = 0; }
    lease& operator=(lease&& o) noexcept {
      if (this != &o) {
        release();
        b_ = o.b_;
        held_ = o.held_;
        o.held_ = 0;
      }
      return *this;
    }
    lease(const lease&) = delete;
    lease& operator=(const lease&) = delete;
    ~lease() { release(); }

    /// Makes the lease hold at least `total` bytes. Waits up to `wait` for other leases to
    /// shrink; too_large when `total` alone exceeds the capacity. A lease without a budget
    /// always succeeds (tools and tests that do not bound memory).
    outcome grow_to(std::size_t total,
                    std::chrono::milliseconds wait = std::chrono::milliseconds(0)) {
      if (!b_ || total <= held_) return outcome::ok;
      auto r = b_->take(total - held_, wait);
      if (r == outcome::ok) held_ = total;
      return r;
    }
    /// Adds `more` bytes to what the lease holds.
    outcome grow_by(std::size_t more,
                    std::chrono::milliseconds wait = std::chrono::milliseconds(0)) {
      return grow_to(held_ + more, wait);
    }
    void release() noexcept {
      if (b_ && held_) b_->give(held_);
      held_ = 0;
    }
    std::size_t held() const noexcept { return held_; }
    bool bounded() const noexcept { return b_ != nullptr; }

   private:
    memory_budget* b_ = nullptr;
    std::size_t held_ = 0;
  };

 private:
  outcome take(std::size_t n, std::chrono::milliseconds wait) {
    if (n > capacity_) return outcome::too_large;
    std::unique_lock lk(mu_);
    auto fits = [&] { return used_ <= capacity_ - n; };  // used_ <= capacity_ always
    if (!fits()) {
      if (wait.count() <= 0 || !cv_.wait_for(lk, wait, fits)) return outcome::busy;
    }
    used_ += n;
    if (used_ > peak_) peak_ = used_;
    return outcome::ok;
  }
  void give(std::size_t n) noexcept {
    {
      std::lock_guard lk(mu_);
      used_ -= n < used_ ? n : used_;
    }
    cv_.notify_all();
  }

  const std::size_t capacity_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::size_t used_ = 0, peak_ = 0;
};

}  // namespace veil::collector
