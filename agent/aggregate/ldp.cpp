#include "agent/aggregate/ldp.hpp"

#include <charconv>

#include <algorithm>
#include <cmath>
#include <string>

namespace veil::detail::ldp {

const char* to_string(mechanism m) noexcept { return m == mechanism::oue ? "oue" : "krr"; }

result<params> make_params(mechanism m, std::uint32_t k, double epsilon) {
  if (k < 2 || k > max_k)
    return make_error(errc::invalid_argument, "ldp: the domain must have 2 to " +
                                                  std::to_string(max_k) + " values, not " +
                                                  std::to_string(k));
  if (!std::isfinite(epsilon) || epsilon <= 0 || epsilon > max_epsilon)
    return make_error(errc::invalid_argument, "ldp: epsilon must be in (0, 20]");
  params pr;
  pr.mech = m;
  pr.k = k;
  pr.epsilon = epsilon;
  const double e = std::exp(epsilon);
  if (m == mechanism::krr) {
    pr.p = e / (e + static_cast<double>(k) - 1);
    pr.q = 1 / (e + static_cast<double>(k) - 1);
  } else {
    pr.p = 0.5;
    pr.q = 1 / (e + 1);
  }
  return pr;
}

mechanism best_mechanism(std::uint32_t k, double epsilon) noexcept {
  return static_cast<double>(k) > 3 * std::exp(epsilon) + 2 ? mechanism::oue : mechanism::krr;
}

std::uint32_t krr_perturb(const params& pr, std::uint32_t v, random_source& rnd) noexcept {
  if (rnd.unit() < pr.p) return v;
  // One of the k - 1 other values, uniformly.
  const std::uint32_t o = rnd.uniform(pr.k - 1);
  return o >= v ? o + 1 : o;
}

void oue_perturb(const params& pr, std::uint32_t v, random_source& rnd,
                 std::vector<std::uint8_t>& bits) {
  bits.assign(pr.k, 0);
  for (std::uint32_t j = 0; j < pr.k; ++j) bits[j] = rnd.unit() < (j == v ? pr.p : pr.q) ? 1 : 0;
}

std::vector<estimate> estimate_counts(const params& pr, std::uint64_t n,
                                      std::span<const std::uint64_t> observed) {
  std::vector<estimate> out(observed.size());
  const double nn = static_cast<double>(n);
  const double d = pr.p - pr.q;
  for (std::size_t j = 0; j < observed.size(); ++j) {
    estimate& e = out[j];
    e.count = (static_cast<double>(observed[j]) - nn * pr.q) / d;
    // Plug-in variance: the true count replaced by the estimate, clamped to what is possible.
    const double nj = std::clamp(e.count, 0.0, nn);
    const double var = (nj * pr.p * (1 - pr.p) + (nn - nj) * pr.q * (1 - pr.q)) / (d * d);
    e.stddev = std::sqrt(std::max(var, 0.0));
    e.ci95_low = std::clamp(e.count - 1.96 * e.stddev, 0.0, nn);
    e.ci95_high = std::clamp(e.count + 1.96 * e.stddev, 0.0, nn);
  }
  return out;
}

std::optional<params> params_from_tags(std::string_view tag, std::string_view epsilon) {
  if (tag.substr(0, 4) != "krr:" || tag.size() > 12 || epsilon.empty() || epsilon.size() > 24)
    return std::nullopt;
  std::uint32_t k = 0;
  const auto kt = tag.substr(4);
  auto [kp, kec] = std::from_chars(kt.data(), kt.data() + kt.size(), k);
  if (kec != std::errc() || kp != kt.data() + kt.size()) return std::nullopt;
  // std::from_chars for double is in GCC 12's libstdc++; the text is ours ("1", "0.5").
  double e = 0;
  auto [ep, eec] = std::from_chars(epsilon.data(), epsilon.data() + epsilon.size(), e);
  if (eec != std::errc() || ep != epsilon.data() + epsilon.size()) return std::nullopt;
  auto p = make_params(mechanism::krr, k, e);
  if (!p) return std::nullopt;
  return *p;
}

}  // namespace veil::detail::ldp
