// backoff: when to try a failed upload again. Exponential backoff with full jitter
// (delay = max(floor, U[0, min(cap, floor * 2^attempt)])), Retry-After honoured as a lower
// bound (capped at retry_after_cap), and a sliding-window limit so that a blocked endpoint gets
// at most max_attempts_per_minute requests in any 60 s, whatever the RNG draws. RNG and clock are
// injected: tests run without sleeping. Not thread-safe: owned by the upload worker.
// It only computes times; it never sleeps and never sends.
#pragma once

#include <chrono>
#include <cstddef>
#include <deque>
#include <functional>
#include <optional>
#include <string_view>

#include "agent/core/result.hpp"

namespace veil::detail {

struct backoff_options {
  std::chrono::milliseconds floor{1000};
  std::chrono::milliseconds cap{std::chrono::minutes(5)};
  std::chrono::seconds retry_after_cap{std::chrono::hours(1)};  // a server cannot park us longer
  std::size_t max_attempts_per_minute = 4;                      // any sliding 60 s window
  result<void> validate() const;
};

/// Uniform double in [0, 1).
using unit_rng_fn = std::function<double()>;
using steady_clock_fn = std::function<std::chrono::steady_clock::time_point()>;

/// Pure: the jittered delay after `failures` consecutive failures (1 = the first), for a draw u in
/// [0, 1).
std::chrono::milliseconds full_jitter_delay(const backoff_options& o, unsigned failures,
                                            double u) noexcept;

/// Retry-After header value: delta-seconds or an IMF-fixdate ("Sun, 06 Nov 1994 08:49:37 GMT"),
/// relative to `now`. A date in the past gives 0 s. Anything else: nullopt.
std::optional<std::chrono::seconds> parse_retry_after(
    std::string_view value, std::chrono::system_clock::time_point now) noexcept;

class backoff {
 public:
  using time_point = std::chrono::steady_clock::time_point;
  /// `rng` and `clock` default to a seeded std::mt19937_64 and steady_clock::now.
  explicit backoff(backoff_options o = {}, unit_rng_fn rng = {}, steady_clock_fn clock = {});

  /// Call right after a failed attempt (retry_later). Returns the earliest time of the next
  /// attempt.
  time_point on_failure(std::optional<std::chrono::seconds> retry_after = std::nullopt);
  /// Call after an acknowledged upload: the next failure starts from the floor again.
  void on_success() noexcept;
  /// True when an attempt may start now.
  bool ready() const;
  time_point next_attempt() const noexcept { return next_; }
  unsigned consecutive_failures() const noexcept { return failures_; }

 private:
  backoff_options o_;
  unit_rng_fn rng_;
  steady_clock_fn clock_;
  unsigned failures_ = 0;
  time_point next_{};
  std::deque<time_point> recent_;  // the last max_attempts_per_minute failed attempts
};

}  // namespace veil::detail
