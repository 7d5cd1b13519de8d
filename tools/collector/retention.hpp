// Retention of the collector's stored data: one pass deletes events, quarantine entries,
// batches and install-key bindings/tombstones older than the retention (whole UTC days; the
// sinks' expire()). The clock is injected so tests expire with a stepped clock; main.cpp runs
// a pass at start and hourly on its own thread. Thread-safe as the sink is; never throws.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>

#include "tools/collector/sink.hpp"

namespace veil::collector {

/// 13 months: the default of --retention-days.
inline constexpr unsigned default_retention_days = 396;

class retention {
 public:
  using clock_fn = std::function<sys_time()>;
  /// `now` defaults to system_clock.
  retention(sink& s, std::chrono::hours keep, clock_fn now = {});
  /// The oldest time kept: now - keep (rows of days before its day are deleted).
  sys_time cutoff() const;
  /// One pass; returns the events deleted. Errors are the sink's (the next pass retries).
  veil::result<std::uint64_t> run_once() noexcept;

 private:
  sink& sink_;
  std::chrono::hours keep_;
  clock_fn now_;
};

}  // namespace veil::collector
