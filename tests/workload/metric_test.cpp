// The metrics a simulation expectation names: one spelling per metric, and which of them count
// users or DC and Netlogon load.
#include <catch2/catch.hpp>
#include <set>
#include <string>

#include "workload/metric.h"

using namespace kerbsim::workload;

TEST_CASE("every metric has one name, and the name leads back to it", "[workload]") {
  std::set<std::string> seen;
  for (std::size_t i = 0; i < kMetricNames.size(); ++i) {
    const auto m = static_cast<Metric>(i);
    INFO(metric_name(m));
    CHECK(seen.insert(std::string(metric_name(m))).second);
    CHECK(metric_by_name(metric_name(m)) == m);
  }
  CHECK(metric_names().size() == kMetricNames.size());
}

TEST_CASE("a metric's name is exact: other spellings name no metric", "[workload]") {
  CHECK(metric_by_name("failure_fraction") == Metric::FailureFraction);
  CHECK(metric_by_name("peak_kdc_requests_per_s") == Metric::PeakKdcRequestsPerS);
  CHECK_FALSE(metric_by_name("Failure_Fraction"));
  CHECK_FALSE(metric_by_name("failure_fractoin"));
  CHECK_FALSE(metric_by_name(""));
}

TEST_CASE("the users_ metrics count users and the KDC and Netlogon metrics count load", "[workload]") {
  std::set<std::string> users, load;
  for (std::size_t i = 0; i < kMetricNames.size(); ++i) {
    const auto m = static_cast<Metric>(i);
    if (counts_users(m)) users.insert(std::string(metric_name(m)));
    if (counts_load(m)) load.insert(std::string(metric_name(m)));
  }
  CHECK(users == std::set<std::string>{"users_always_failing_fraction", "users_sometimes_failing_fraction",
                                       "users_never_failing_fraction"});
  CHECK(load == std::set<std::string>{"netlogon_calls", "netlogon_timeouts", "peak_netlogon_queue", "kdc_requests",
                                      "peak_kdc_queue", "peak_kdc_requests_per_s"});
}
