// Summary statistics of a sample of replications (internal to sim/workload): the mean, min, max and
// the 95 % confidence interval of the mean from Student's t distribution with n - 1 degrees of freedom.
#pragma once

#include <cstddef>
#include <vector>

#include "kerbsim/replications.h"

namespace kerbsim::workload {

// t(0.975, df): the two-sided 95 % quantile of Student's t with df degrees of freedom (df ≥ 1). Exact
// to six decimals from a table for df 1-30, 40, 50, 60, 80, 100, 120, 200, 500 and 1000; between and
// beyond those, linear in 1/df towards the normal quantile 1.959964, within 0.0001.
double t_quantile_975(std::size_t df);

// The values' mean, min, max and, for two or more, the interval mean ± t(0.975, n - 1) · s / √n (s the
// sample standard deviation), clipped to [floor, ceiling]. Summed in the order given, so the same
// values in the same order give the same bits. An empty sample gives n = 0 and zeros.
SampleSummary summarize(const std::vector<double>& values, double floor, double ceiling);

}  // namespace kerbsim::workload
