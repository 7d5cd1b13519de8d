// Local differential privacy (agent/aggregate/ldp.hpp, docs/privacy-math.md): the mechanisms
// are ε-LDP by construction, and the estimator recovers known frequencies of a simulated
// population of 100k devices within its stated confidence interval. A test of the math with a
// fixed seed, not of speed.
#include <doctest/doctest.h>

#include <cmath>
#include <set>

#include "agent/aggregate/ldp.hpp"

using namespace veil::detail;
using namespace veil::detail::ldp;

namespace {

// A population of n devices whose values follow `freq` exactly (rounded), each reporting once.
std::vector<std::uint64_t> true_counts(std::uint64_t n, const std::vector<double>& freq) {
  std::vector<std::uint64_t> c(freq.size());
  std::uint64_t used = 0;
  for (std::size_t j = 0; j + 1 < freq.size(); ++j) {
    c[j] = static_cast<std::uint64_t>(std::llround(freq[j] * static_cast<double>(n)));
    used += c[j];
  }
  c.back() = n - used;
  return c;
}

struct run_result {
  std::vector<estimate> est;
  std::vector<std::uint64_t> truth;
};

run_result simulate(mechanism m, std::uint32_t k, double eps, std::uint64_t n,
                    const std::vector<double>& freq, std::uint64_t seed) {
  auto pr = make_params(m, k, eps);
  REQUIRE(pr);
  auto rnd = seeded_random(seed);
  run_result r;
  r.truth = true_counts(n, freq);
  std::vector<std::uint64_t> observed(k, 0);
  std::vector<std::uint8_t> bits;
  for (std::uint32_t v = 0; v < k; ++v)
    for (std::uint64_t i = 0; i < r.truth[v]; ++i) {
      if (m == mechanism::krr) {
        const auto out = krr_perturb(*pr, v, *rnd);
        REQUIRE(out < k);
        ++observed[out];
      } else {
        oue_perturb(*pr, v, *rnd, bits);
        for (std::uint32_t j = 0; j < k; ++j) observed[j] += bits[j];
      }
    }
  r.est = estimate_counts(*pr, n, observed);
  return r;
}

// Every cell within 4 standard deviations, and at least 85 % of the cells inside their 95 %
// interval (the expected share is 95 %; with 30-odd cells, 85 % leaves room for chance).
void check_recovery(const run_result& r, const char* what) {
  std::size_t inside = 0;
  for (std::size_t j = 0; j < r.est.size(); ++j) {
    const double t = static_cast<double>(r.truth[j]);
    INFO(what << " value " << j << ": true " << t << ", estimate " << r.est[j].count << " +- "
              << r.est[j].stddev);
    CHECK(std::abs(r.est[j].count - t) <= 4 * r.est[j].stddev);
    if (t >= r.est[j].ci95_low && t <= r.est[j].ci95_high) ++inside;
  }
  CHECK_MESSAGE(static_cast<double>(inside) >= 0.85 * static_cast<double>(r.est.size()), what);
}

}  // namespace

TEST_SUITE("ldp") {
  TEST_CASE("parameters are ε-LDP: the likelihood ratio of any output is at most e^ε") {
    for (double eps : {0.1, 0.5, 1.0, 2.0, 4.0}) {
      for (std::uint32_t k : {2u, 4u, 16u, 300u}) {
        auto krr = make_params(mechanism::krr, k, eps);
        REQUIRE(krr);
        CHECK(krr->p / krr->q == doctest::Approx(std::exp(eps)));
        CHECK(krr->p + (k - 1) * krr->q == doctest::Approx(1.0));  // a distribution
        auto oue = make_params(mechanism::oue, k, eps);
        REQUIRE(oue);
        // Two inputs differ in two bits; the worst ratio is p(1-q) / (q(1-p)).
        CHECK(oue->p * (1 - oue->q) / (oue->q * (1 - oue->p)) == doctest::Approx(std::exp(eps)));
      }
    }
    CHECK(best_mechanism(4, 1.0) == mechanism::krr);
    CHECK(best_mechanism(64, 1.0) == mechanism::oue);
  }

  TEST_CASE("bad parameters are refused with a message") {
    CHECK_FALSE(make_params(mechanism::krr, 1, 1.0));
    CHECK_FALSE(make_params(mechanism::krr, max_k + 1, 1.0));
    CHECK_FALSE(make_params(mechanism::oue, 4, 0.0));
    CHECK_FALSE(make_params(mechanism::oue, 4, -1.0));
    CHECK_FALSE(make_params(mechanism::oue, 4, std::nan("")));
    auto r = make_params(mechanism::krr, 4, 25.0);
    REQUIRE_FALSE(r);
    CHECK(r.err().message.find("epsilon") != std::string::npos);
  }

  TEST_CASE("randomness: the seeded stream repeats, uniform() has no modulo bias") {
    auto a = seeded_random(7), b = seeded_random(7), c = seeded_random(8);
    bool differs = false;
    for (int i = 0; i < 1000; ++i) {
      const auto x = a->next_u64();
      CHECK(x == b->next_u64());
      differs = differs || x != c->next_u64();
    }
    CHECK(differs);
    // 3 buckets over 300k draws: each within 1 % of a third.
    std::array<int, 3> hist{};
    for (int i = 0; i < 300000; ++i) ++hist[a->uniform(3)];
    for (int h : hist) CHECK(std::abs(h - 100000) < 1000);
    for (int i = 0; i < 1000; ++i) {
      const double u = a->unit();
      CHECK((u >= 0 && u < 1));
    }
    // The OS source answers too (and is not constant).
    std::set<std::uint64_t> seen;
    for (int i = 0; i < 8; ++i) seen.insert(os_random().next_u64());
    CHECK(seen.size() > 1);
  }

  TEST_CASE("kRR: a perturbed value never says for sure what the sender holds") {
    auto pr = make_params(mechanism::krr, 4, 1.0);
    REQUIRE(pr);
    auto rnd = seeded_random(1);
    std::array<int, 4> out{};
    for (int i = 0; i < 40000; ++i) ++out[krr_perturb(*pr, 2, *rnd)];
    for (int j = 0; j < 4; ++j) {
      const double expect = 40000 * (j == 2 ? pr->p : pr->q);
      CHECK(std::abs(out[j] - expect) < 5 * std::sqrt(expect));  // every value shows up
    }
  }

  TEST_CASE("kRR recovers a codec mix of 100k devices within its confidence interval") {
    // codec shares as a fleet might have them: opus, g711a, g711u, g722
    const std::vector<double> freq = {0.55, 0.25, 0.15, 0.05};
    for (double eps : {0.5, 1.0, 2.0}) {
      auto r = simulate(mechanism::krr, 4, eps, 100000, freq, 42);
      check_recovery(r, "krr");
    }
  }

  TEST_CASE("OUE recovers a 32-country distribution of 100k devices") {
    std::vector<double> freq(32);
    double total = 0;
    for (std::size_t j = 0; j < freq.size(); ++j) total += freq[j] = 1.0 / (j + 1);  // Zipf
    for (auto& f : freq) f /= total;
    auto r = simulate(mechanism::oue, 32, 1.0, 100000, freq, 43);
    check_recovery(r, "oue");
    // The stated error (docs/privacy-math.md): sigma ~ 1.92 sqrt(n) for a rare value at eps 1,
    // about 0.6 % of n per cell at n = 100k.
    for (const auto& e : r.est) CHECK(e.stddev / 100000 < 0.0075);
    // And the variance OUE promises is below kRR's for this domain at this ε.
    auto krr = simulate(mechanism::krr, 32, 1.0, 100000, freq, 44);
    check_recovery(krr, "krr32");
    CHECK(krr.est[31].stddev > 1.5 * r.est[31].stddev);
  }

  TEST_CASE("params_from_tags reads what aggregate mode writes, and refuses the rest") {
    auto p = ldp::params_from_tags("krr:4", "1");
    REQUIRE(p);
    auto want = ldp::make_params(ldp::mechanism::krr, 4, 1.0);
    REQUIRE(want);
    CHECK(p->k == 4);
    CHECK(p->p == doctest::Approx(want->p));
    CHECK(p->q == doctest::Approx(want->q));
    CHECK(ldp::params_from_tags("krr:250", "0.5"));
    for (auto [t, e] : std::vector<std::pair<const char*, const char*>>{{"oue:4", "1"},
                                                                        {"krr:", "1"},
                                                                        {"krr:1", "1"},
                                                                        {"krr:4x", "1"},
                                                                        {"krr:4", ""},
                                                                        {"krr:4", "abc"},
                                                                        {"krr:4", "0"},
                                                                        {"krr:4", "25"},
                                                                        {"krr:99999999", "1"},
                                                                        {"krr:4", "1e400"}})
      CHECK_MESSAGE(!ldp::params_from_tags(t, e), t << " " << e);
  }
}
