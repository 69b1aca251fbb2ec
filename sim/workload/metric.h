// The numbers a simulation expectation can ask for (scenarios/README.md, "expect"), named once: the
// enum the simulator measures and the spelling a scenario file uses. Header-only, so that the input
// layer can check a metric's name without linking the simulator.
#pragma once

#include <array>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kerbsim::workload {

enum class Metric {
  Requests,
  Failures,
  FailureFraction,
  DegradedFraction,
  OkFraction,
  KerberosFraction,
  NtlmFraction,
  Connections,
  ConnectionFailureFraction,
  UsersAlwaysFailingFraction,
  UsersSometimesFailingFraction,
  UsersNeverFailingFraction,
  NetlogonCalls,
  NetlogonTimeouts,
  PeakNetlogonQueue,
  KdcRequests,
  PeakKdcQueue,
  PeakKdcRequestsPerS,
  LatencyP50Ms,
  LatencyP95Ms,
  LatencyP99Ms,
};

// Each metric's name in a scenario file, in the enum's order.
inline constexpr std::array<std::string_view, 21> kMetricNames = {"requests",
                                                                  "failures",
                                                                  "failure_fraction",
                                                                  "degraded_fraction",
                                                                  "ok_fraction",
                                                                  "kerberos_fraction",
                                                                  "ntlm_fraction",
                                                                  "connections",
                                                                  "connection_failure_fraction",
                                                                  "users_always_failing_fraction",
                                                                  "users_sometimes_failing_fraction",
                                                                  "users_never_failing_fraction",
                                                                  "netlogon_calls",
                                                                  "netlogon_timeouts",
                                                                  "peak_netlogon_queue",
                                                                  "kdc_requests",
                                                                  "peak_kdc_queue",
                                                                  "peak_kdc_requests_per_s",
                                                                  "latency_p50_ms",
                                                                  "latency_p95_ms",
                                                                  "latency_p99_ms"};
static_assert(kMetricNames.size() == static_cast<std::size_t>(Metric::LatencyP99Ms) + 1);

inline std::string_view metric_name(Metric m) { return kMetricNames[static_cast<std::size_t>(m)]; }

inline std::optional<Metric> metric_by_name(std::string_view name) {
  for (std::size_t i = 0; i < kMetricNames.size(); ++i)
    if (kMetricNames[i] == name) return static_cast<Metric>(i);
  return std::nullopt;
}

// The names as the scenario reader lists its choices.
inline const std::vector<std::string>& metric_names() {
  static const std::vector<std::string> names(kMetricNames.begin(), kMetricNames.end());
  return names;
}

// Does the metric count users (each user's requests over the window), not requests?
inline bool counts_users(Metric m) {
  return m == Metric::UsersAlwaysFailingFraction || m == Metric::UsersSometimesFailingFraction ||
         m == Metric::UsersNeverFailingFraction;
}

// Is it load on the DCs or on a server's Netlogon channel, counted per DC and per server for every
// flow, so that a flow filter does not apply?
inline bool counts_load(Metric m) {
  return m == Metric::NetlogonCalls || m == Metric::NetlogonTimeouts || m == Metric::PeakNetlogonQueue ||
         m == Metric::KdcRequests || m == Metric::PeakKdcQueue || m == Metric::PeakKdcRequestsPerS;
}

}  // namespace kerbsim::workload
