#include "agent/pipeline/event_queue.hpp"

namespace veil::detail {

event_queue::push_result event_queue::push(queued_event&& e, bool& was_empty) noexcept {
  was_empty = false;
  try {
    std::unique_lock lk(mu_);
    if (closed_) return push_result::closed;
    if (q_.size() >= o_.capacity) {
      switch (o_.on_full) {
        case overflow::drop_newest: ++c_.discarded; return push_result::dropped;
        case overflow::drop_oldest:
          q_.pop_front();
          ++c_.overrun;
          break;
        case overflow::block_for:
          if (!room_.wait_for(lk, o_.block_for,
                              [&] { return closed_ || q_.size() < o_.capacity; })) {
            ++c_.block_timeouts;
            return push_result::dropped;
          }
          if (closed_) return push_result::closed;
          break;
      }
    }
    was_empty = q_.empty();
    q_.push_back(std::move(e));
    ++c_.pushed;
    if (q_.size() > c_.high_water) c_.high_water = q_.size();
    return push_result::queued;
  } catch (...) {  // bad_alloc in the deque, or a system_error from the mutex
    std::lock_guard lk(mu_);
    ++c_.discarded;
    return push_result::dropped;
  }
}

std::size_t event_queue::pop_some(std::vector<queued_event>& out, std::size_t max) {
  std::size_t n = 0;
  {
    std::lock_guard lk(mu_);
    while (n < max && !q_.empty()) {
      out.push_back(std::move(q_.front()));
      q_.pop_front();
      ++n;
    }
  }
  if (n && o_.on_full == overflow::block_for) room_.notify_all();
  return n;
}

std::size_t event_queue::size() const {
  std::lock_guard lk(mu_);
  return q_.size();
}

void event_queue::close() noexcept {
  {
    std::lock_guard lk(mu_);
    closed_ = true;
  }
  room_.notify_all();
}

void event_queue::discard_rest() noexcept {
  std::lock_guard lk(mu_);
  c_.lost_at_close += q_.size();
  q_.clear();
}

queue_counters event_queue::counters() const {
  std::lock_guard lk(mu_);
  queue_counters c = c_;
  c.depth = q_.size();
  return c;
}

}  // namespace veil::detail
