// The summary of a sample of replications: the mean, min, max and Student-t 95 % interval against
// values computed by hand, one value, equal values, clipping, and the t quantiles themselves.
#include <catch2/catch.hpp>
#include <cstdint>
#include <vector>

#include "workload/statistics.h"

using kerbsim::SampleSummary;
using kerbsim::workload::summarize;
using kerbsim::workload::t_quantile_975;

TEST_CASE("four values: the mean and the t interval with 3 degrees of freedom, as computed by hand", "[statistics]") {
  // mean 0.25; s² = (0.0225 + 0.0025 + 0.0025 + 0.0225) / 3 = 0.05 / 3, s = 0.1290994;
  // s / √4 = 0.0645497; t(0.975, 3) = 3.182446; half width 0.2054260.
  const SampleSummary s = summarize({0.1, 0.2, 0.3, 0.4}, 0, 1);
  CHECK(s.n == 4);
  CHECK(s.mean == Approx(0.25));
  CHECK(s.min == 0.1);
  CHECK(s.max == 0.4);
  REQUIRE(s.low);
  REQUIRE(s.high);
  CHECK(*s.low == Approx(0.0445740).epsilon(1e-6));
  CHECK(*s.high == Approx(0.4554260).epsilon(1e-6));
}

TEST_CASE("two values: t with one degree of freedom makes a wide interval", "[statistics]") {
  // mean 2, s = √2, s / √2 = 1, t(0.975, 1) = 12.706205.
  const SampleSummary s = summarize({1, 3}, -1000, 1000);
  CHECK(s.mean == 2);
  CHECK(*s.low == Approx(2 - 12.706205));
  CHECK(*s.high == Approx(2 + 12.706205));
}

TEST_CASE("one value has its mean, min and max but no interval", "[statistics]") {
  const SampleSummary s = summarize({0.75}, 0, 1);
  CHECK(s.n == 1);
  CHECK(s.mean == 0.75);
  CHECK(s.min == 0.75);
  CHECK(s.max == 0.75);
  CHECK_FALSE(s.low);
  CHECK_FALSE(s.high);
}

TEST_CASE("equal values have exactly that mean and an interval of no width", "[statistics]") {
  // 0.1 + 0.1 + 0.1 is not 0.3 in binary; the summary still says 0.1 exactly.
  const SampleSummary s = summarize({0.1, 0.1, 0.1}, 0, 1);
  CHECK(s.mean == 0.1);
  CHECK(*s.low == 0.1);
  CHECK(*s.high == 0.1);
}

TEST_CASE("the interval is clipped to what the number can be", "[statistics]") {
  const SampleSummary low = summarize({0, 0, 0.03}, 0, 1);
  CHECK(*low.low == 0);
  CHECK(*low.high > 0.03);
  const SampleSummary high = summarize({1, 1, 0.97}, 0, 1);
  CHECK(*high.high == 1);
  CHECK(*high.low < 0.97);
}

TEST_CASE("no values: n is 0 and there is nothing to summarize", "[statistics]") {
  const SampleSummary s = summarize({}, 0, 1);
  CHECK(s.n == 0);
  CHECK(s.mean == 0);
  CHECK_FALSE(s.low);
}

TEST_CASE("t(0.975, df) from the table, between its rows and beyond it", "[statistics]") {
  CHECK(t_quantile_975(1) == 12.706205);
  CHECK(t_quantile_975(7) == 2.364624);
  CHECK(t_quantile_975(30) == 2.042272);
  // Off the table, against the quantile computed from the incomplete beta function.
  const std::pair<std::size_t, double> reference[] = {{35, 2.030108},    {45, 2.014103},  {70, 1.994437},
                                                      {150, 1.975905},   {300, 1.967903}, {5000, 1.960439},
                                                      {100000, 1.959988}};
  for (const auto& [df, t] : reference) {
    INFO("df " << df);
    CHECK(t_quantile_975(df) == Approx(t).margin(1e-4));
  }
  for (std::size_t df = 1; df < 2000; ++df) CHECK(t_quantile_975(df + 1) < t_quantile_975(df));
}
