// Per-subject rate limits for the collector (token buckets): requests and bytes per install,
// per API key, and erasures per key. A bucket holds up to `burst` tokens and refills at `rate`
// per second; a request takes one token (or its byte count) and is refused with the seconds
// until it would fit (429 + Retry-After). The clock is injected (tests step it). The table is
// bounded: when it holds `max_subjects` buckets, full buckets (idle subjects) are dropped
// first, then the table is cleared, so an attacker inventing installs cannot grow memory.
// Thread-safe.
#pragma once

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

namespace veil::collector {

using quota_clock = std::function<std::chrono::steady_clock::time_point()>;

struct rate_limit {
  double rate = 0;   // tokens per second; 0 = unlimited
  double burst = 0;  // bucket size (>= the largest single take)
};

class token_buckets {
 public:
  explicit token_buckets(rate_limit l, std::size_t max_subjects = 100'000, quota_clock now = {})
      : l_(l),
        max_(max_subjects),
        now_(now ? std::move(now) : [] { return std::chrono::steady_clock::now(); }) {}

  /// Takes `n` tokens for `subject`: 0 when granted, else the whole seconds (>= 1) to wait.
  unsigned take(std::string_view subject, double n = 1) {
    if (l_.rate <= 0) return 0;
    const auto t = now_();
    std::lock_guard lk(mu_);
    auto it = b_.find(std::string(subject));
    if (it == b_.end()) {
      if (b_.size() >= max_) evict(t);
      it = b_.emplace(std::string(subject), bucket{l_.burst, t}).first;
    }
    auto& b = it->second;
    refill(b, t);
    if (n > l_.burst) n = l_.burst;  // one request larger than the burst waits for a full bucket
    if (b.tokens >= n) {
      b.tokens -= n;
      return 0;
    }
    const double wait = (n - b.tokens) / l_.rate;
    return static_cast<unsigned>(std::max(1.0, std::ceil(wait)));
  }
  std::size_t subjects() const {
    std::lock_guard lk(mu_);
    return b_.size();
  }

 private:
  struct bucket {
    double tokens;
    std::chrono::steady_clock::time_point at;
  };
  void refill(bucket& b, std::chrono::steady_clock::time_point t) const {
    const double dt = std::chrono::duration<double>(t - b.at).count();
    if (dt > 0) b.tokens = std::min(l_.burst, b.tokens + dt * l_.rate);
    b.at = t;
  }
  void evict(std::chrono::steady_clock::time_point t) {
    for (auto it = b_.begin(); it != b_.end();) {
      refill(it->second, t);
      it = it->second.tokens >= l_.burst ? b_.erase(it) : std::next(it);
    }
    if (b_.size() >= max_) b_.clear();
  }

  rate_limit l_;
  std::size_t max_;
  quota_clock now_;
  mutable std::mutex mu_;
  std::unordered_map<std::string, bucket> b_;
};

}  // namespace veil::collector
