#include "tools/collector/retention.hpp"

namespace veil::collector {

retention::retention(sink& s, std::chrono::hours keep, clock_fn now)
    : sink_(s),
      keep_(keep),
      now_(now ? std::move(now) : [] { return std::chrono::system_clock::now(); }) {}

sys_time retention::cutoff() const { return now_() - keep_; }

veil::result<std::uint64_t> retention::run_once() noexcept {
  try {
    return sink_.expire(cutoff());
  } catch (...) {
    return veil::make_error(veil::errc::internal, "retention pass failed");
  }
}

}  // namespace veil::collector
