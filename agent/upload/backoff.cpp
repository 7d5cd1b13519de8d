#include "agent/upload/backoff.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <random>

namespace veil::detail {

using namespace std::chrono;

result<void> backoff_options::validate() const {
  if (floor <= milliseconds::zero() || cap < floor)
    return make_error(errc::invalid_argument, "backoff_options: need 0 < floor <= cap");
  if (retry_after_cap < duration_cast<seconds>(cap))
    return make_error(errc::invalid_argument, "backoff_options: retry_after_cap must be >= cap");
  if (max_attempts_per_minute == 0)
    return make_error(errc::invalid_argument,
                      "backoff_options: max_attempts_per_minute must be > 0");
  return {};
}

milliseconds full_jitter_delay(const backoff_options& o, unsigned failures, double u) noexcept {
  u = std::clamp(u, 0.0, 1.0);
  const unsigned shift = std::min(failures == 0 ? 0u : failures - 1, 30u);
  const double ceiling =
      std::min(static_cast<double>(o.cap.count()),
               static_cast<double>(o.floor.count()) * static_cast<double>(1ull << shift));
  const auto d = milliseconds(static_cast<milliseconds::rep>(ceiling * u));
  return std::max(o.floor, d);
}

std::optional<seconds> parse_retry_after(std::string_view v,
                                         system_clock::time_point now) noexcept {
  while (!v.empty() && (v.front() == ' ' || v.front() == '\t')) v.remove_prefix(1);
  while (!v.empty() && (v.back() == ' ' || v.back() == '\t')) v.remove_suffix(1);
  if (v.empty()) return std::nullopt;
  if (std::all_of(v.begin(), v.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    if (v.size() > 9) return seconds(999'999'999);  // absurd, the caller caps it anyway
    std::int64_t s = 0;
    std::from_chars(v.data(), v.data() + v.size(), s);
    return seconds(s);
  }
  // IMF-fixdate: "Sun, 06 Nov 1994 08:49:37 GMT" (29 chars).
  if (v.size() != 29 || v[3] != ',' || v[4] != ' ' || v[7] != ' ' || v[11] != ' ' || v[16] != ' ' ||
      v[19] != ':' || v[22] != ':' || v.substr(25) != " GMT")
    return std::nullopt;
  static constexpr std::array<std::string_view, 12> months{
      "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  const auto mit = std::find(months.begin(), months.end(), v.substr(8, 3));
  if (mit == months.end()) return std::nullopt;
  auto num = [&](std::size_t pos, std::size_t len, int& out) {
    auto [p, ec] = std::from_chars(v.data() + pos, v.data() + pos + len, out);
    return ec == std::errc{} && p == v.data() + pos + len;
  };
  int d = 0, y = 0, hh = 0, mm = 0, ss = 0;
  if (!num(5, 2, d) || !num(12, 4, y) || !num(17, 2, hh) || !num(20, 2, mm) || !num(23, 2, ss))
    return std::nullopt;
  const year_month_day ymd{year{y}, month{static_cast<unsigned>(mit - months.begin() + 1)},
                           day{static_cast<unsigned>(d)}};
  if (!ymd.ok() || hh > 23 || mm > 59 || ss > 60) return std::nullopt;
  const auto when = sys_days{ymd} + hours(hh) + minutes(mm) + seconds(ss);
  const auto delta = duration_cast<seconds>(when - now);
  return delta.count() > 0 ? delta : seconds(0);
}

backoff::backoff(backoff_options o, unit_rng_fn rng, steady_clock_fn clock)
    : o_(o), rng_(std::move(rng)), clock_(std::move(clock)) {
  if (!rng_) {
    rng_ = [gen = std::mt19937_64(std::random_device{}()),
            dist = std::uniform_real_distribution<double>(0.0, 1.0)]() mutable {
      return dist(gen);
    };
  }
  if (!clock_) clock_ = [] { return steady_clock::now(); };
}

backoff::time_point backoff::on_failure(std::optional<seconds> retry_after) {
  const auto now = clock_();
  if (failures_ < 1000) ++failures_;
  milliseconds delay = full_jitter_delay(o_, failures_, rng_());
  if (retry_after)
    delay =
        std::max(delay, duration_cast<milliseconds>(std::min(*retry_after, o_.retry_after_cap)));
  next_ = now + delay;
  recent_.push_back(now);
  while (recent_.size() > o_.max_attempts_per_minute) recent_.pop_front();
  // With max attempts already inside the last minute, the next one waits until the oldest leaves
  // it.
  if (recent_.size() == o_.max_attempts_per_minute)
    next_ = std::max(next_, recent_.front() + minutes(1));
  return next_;
}

void backoff::on_success() noexcept {
  failures_ = 0;
  next_ = {};
  recent_.clear();
}

bool backoff::ready() const { return clock_() >= next_; }

}  // namespace veil::detail
