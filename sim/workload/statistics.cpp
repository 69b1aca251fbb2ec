#include "workload/statistics.h"

#include <algorithm>
#include <array>
#include <cassert>
#include <cmath>
#include <utility>

namespace kerbsim::workload {

namespace {

// (df, t(0.975, df)), computed from the regularized incomplete beta function to six decimals.
constexpr std::array<std::pair<std::size_t, double>, 39> kTable{{
    {1, 12.706205},  {2, 4.302653},   {3, 3.182446},    {4, 2.776445},  {5, 2.570582},   {6, 2.446912},
    {7, 2.364624},   {8, 2.306004},   {9, 2.262157},    {10, 2.228139}, {11, 2.200985},  {12, 2.178813},
    {13, 2.160369},  {14, 2.144787},  {15, 2.131450},   {16, 2.119905}, {17, 2.109816},  {18, 2.100922},
    {19, 2.093024},  {20, 2.085963},  {21, 2.079614},   {22, 2.073873}, {23, 2.068658},  {24, 2.063899},
    {25, 2.059539},  {26, 2.055529},  {27, 2.051831},   {28, 2.048407}, {29, 2.045230},  {30, 2.042272},
    {40, 2.021075},  {50, 2.008559},  {60, 2.000298},   {80, 1.990063}, {100, 1.983972}, {120, 1.979930},
    {200, 1.971896}, {500, 1.964720}, {1000, 1.962339},
}};
constexpr double kNormal975 = 1.959964;  // the limit as df grows

}  // namespace

double t_quantile_975(std::size_t df) {
  assert(df >= 1);
  for (std::size_t i = 0; i < kTable.size(); ++i) {
    if (kTable[i].first == df) return kTable[i].second;
    if (kTable[i].first > df) {  // between two rows: linear in 1/df
      const auto [d0, t0] = kTable[i - 1];
      const auto [d1, t1] = kTable[i];
      const double x = 1.0 / static_cast<double>(df), x0 = 1.0 / static_cast<double>(d0),
                   x1 = 1.0 / static_cast<double>(d1);
      return t1 + (t0 - t1) * (x - x1) / (x0 - x1);
    }
  }
  const auto [d0, t0] = kTable.back();  // beyond the table: towards the normal quantile at 1/df = 0
  return kNormal975 + (t0 - kNormal975) * static_cast<double>(d0) / static_cast<double>(df);
}

SampleSummary summarize(const std::vector<double>& values, double floor, double ceiling) {
  SampleSummary s;
  s.n = values.size();
  if (values.empty()) return s;
  double sum = 0;
  s.min = s.max = values.front();
  for (const double v : values) {
    sum += v;
    s.min = std::min(s.min, v);
    s.max = std::max(s.max, v);
  }
  const double n = static_cast<double>(s.n);
  // Equal values have that mean and no spread exactly, whatever rounding the sum took.
  s.mean = s.min == s.max ? s.min : std::clamp(sum / n, s.min, s.max);
  if (s.n < 2) return s;
  double squares = 0;
  for (const double v : values) squares += (v - s.mean) * (v - s.mean);
  const double half = t_quantile_975(s.n - 1) * std::sqrt(squares / (n - 1)) / std::sqrt(n);
  s.low = std::clamp(s.mean - half, floor, ceiling);
  s.high = std::clamp(s.mean + half, floor, ceiling);
  return s;
}

}  // namespace kerbsim::workload
