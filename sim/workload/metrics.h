// What the simulation counts (internal to sim/workload): a latency histogram, a per-second rate
// that keeps its busiest second, and a probe, the counters behind one simulation expectation's
// number. Simulator::record counts each request; Simulator::results turns the counters into the report.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

#include "engine/time.h"
#include "kerbsim/simulation.h"
#include "workload/workload.h"

namespace kerbsim::workload {

constexpr int kNoMatch = -2;  // a probe filter that matches nothing

// Log-scaled buckets: 64 per doubling from 1 µs, about 1 % wide.
class Histogram {
 public:
  void add(engine::SimTime us) {
    const double v = static_cast<double>(std::max<engine::SimTime>(us, 1));
    const auto b = static_cast<std::size_t>(std::log2(v) * kPerDoubling);
    if (b >= counts_.size()) counts_.resize(b + 1, 0);
    ++counts_[b];
    ++total_;
    max_ = std::max(max_, us);
  }
  double percentile_ms(double p) const {
    if (!total_) return 0;
    const auto want = static_cast<std::uint64_t>(std::ceil(p * static_cast<double>(total_)));
    std::uint64_t seen = 0;
    for (std::size_t b = 0; b < counts_.size(); ++b) {
      seen += counts_[b];
      if (seen >= want)
        return std::min(std::exp2((static_cast<double>(b) + 0.5) / kPerDoubling), static_cast<double>(max_)) / 1000.0;
    }
    return static_cast<double>(max_) / 1000.0;
  }
  double max_ms() const { return static_cast<double>(max_) / 1000.0; }

 private:
  static constexpr double kPerDoubling = 64;
  std::vector<std::uint64_t> counts_;
  std::uint64_t total_ = 0;
  engine::SimTime max_ = 0;
};

// A per-second counter that remembers its busiest second.
struct PerSecond {
  engine::SimTime second = -1;
  std::uint64_t count = 0;
  std::uint64_t peak = 0;
  void add(engine::SimTime now, std::uint64_t n = 1) {
    const engine::SimTime s = now / engine::kSecond;
    if (s != second) {
      second = s;
      count = 0;
    }
    count += n;
    peak = std::max(peak, count);
  }
};

// A probe: what one simulation expectation measures.
struct ProbeRun {
  Probe probe;
  int node = -1;  // host index; -1 = all
  int dc = -1;    // for the KDC metrics
  int flow = -1;
  engine::SimTime until = 0;
  Tally tally;
  std::uint64_t kerberos = 0, ntlm = 0, connections = 0, failed_connections = 0;
  std::uint64_t netlogon_calls = 0, netlogon_timeouts = 0, peak_netlogon_queue = 0;
  std::uint64_t kdc_requests = 0, peak_kdc_queue = 0;
  PerSecond kdc_rate;
  Histogram latency;
  std::vector<std::uint8_t> users;  // seen bits per user, for the users_* metrics
  bool wants_users = false;
  bool in(engine::SimTime t) const { return t >= probe.from && t < until; }
};

// The number the probe's metric names, from its counters.
double measure(const ProbeRun& p);

}  // namespace kerbsim::workload
