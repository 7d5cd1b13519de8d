// Local differential privacy for on-device aggregates (issue 15; docs/privacy-math.md): the
// device randomises each categorical value (a dimension, or the bucket of a histogram measure)
// before it leaves, so that no report says anything certain about its sender, and the analyst
// recovers unbiased counts over many reports. Two mechanisms, both ε-LDP per report:
//   - k-ary randomised response (kRR): the true value with probability p = e^ε / (e^ε + k - 1),
//     else one of the k - 1 others uniformly (each q = 1 / (e^ε + k - 1));
//   - optimised unary encoding (OUE, Wang et al., USENIX Security 2017): k bits, the true
//     value's bit is 1 with p = 1/2, every other bit is 1 with q = 1 / (e^ε + 1).
// For both, the count c_j of reports showing value j (kRR) or bit j (OUE) among n estimates
// n_j by (c_j - n q) / (p - q), with variance (n_j p (1-p) + (n - n_j) q (1-q)) / (p - q)^2.
// OUE has the lower variance once k > 3 e^ε + 2 (best_mechanism). Pure functions over a
// caller-supplied random_source (agent/crypto/random.hpp); thread-safe per source.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <span>
#include <vector>

#include "agent/core/result.hpp"
#include "agent/crypto/random.hpp"

namespace veil::detail::ldp {

enum class mechanism : std::uint8_t { krr, oue };
const char* to_string(mechanism m) noexcept;

struct params {
  mechanism mech = mechanism::krr;
  std::uint32_t k = 2;   // size of the value domain
  double epsilon = 1.0;  // per report
  double p = 0.5;        // probability that the true value (bit) shows
  double q = 0.5;        // probability that a given other value (bit) shows
};

inline constexpr double max_epsilon = 20.0;    // beyond this the randomisation is void
inline constexpr std::uint32_t max_k = 65536;  // a domain larger than this is no dimension

/// Checks k (2..max_k) and ε (finite, > 0, <= max_epsilon) and derives p and q.
result<params> make_params(mechanism m, std::uint32_t k, double epsilon);
/// The mechanism with the lower estimator variance for a domain of k values at ε.
mechanism best_mechanism(std::uint32_t k, double epsilon) noexcept;

/// kRR: the value to report for true value v (< k).
std::uint32_t krr_perturb(const params& pr, std::uint32_t v, random_source& rnd) noexcept;
/// OUE: fills `bits` (resized to k, each 0 or 1) for true value v (< k).
void oue_perturb(const params& pr, std::uint32_t v, random_source& rnd,
                 std::vector<std::uint8_t>& bits);

struct estimate {
  double count = 0;     // unbiased estimate of how many reporters hold the value (may be < 0)
  double stddev = 0;    // of the estimate, from the plug-in variance
  double ci95_low = 0;  // count -+ 1.96 stddev, clamped to [0, n]
  double ci95_high = 0;
};
/// Estimates, for each value j < k, how many of the n reporters hold it, from observed[j]: the
/// number of reports equal to j (kRR) or with bit j set (OUE). observed.size() must be k.
std::vector<estimate> estimate_counts(const params& pr, std::uint64_t n,
                                      std::span<const std::uint64_t> observed);

/// The parameters a randomised report names on the wire (aggregate mode's point attributes):
/// `tag` is "krr:<k>" (veil.ldp.<dimension> or veil.ldp.bucket), `epsilon` the decimal text of
/// veil.ldp.epsilon. nullopt when either is malformed or out of range (the report then shows
/// the cell as it came, marked as not debiased).
std::optional<params> params_from_tags(std::string_view tag, std::string_view epsilon);

}  // namespace veil::detail::ldp
