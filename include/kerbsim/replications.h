// What `kerbsim simulate --replications N` reports: one workload run under N seeds, each replication an
// independent simulation, and each fraction summarized over them by its mean, the 95 % confidence
// interval of that mean (Student t, N - 1 degrees of freedom), its min and its max
// (scenarios/README.md, "kerbsim simulate --replications N --format json").
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "kerbsim/simulation.h"
#include "kerbsim/value.h"

namespace kerbsim {

struct ReplicateRequest {
  // The workload of every replication (duration, users, the budget); its seed is the base seed
  // (default: the workload's). progress is called with the fraction of replications done.
  SimulateRequest simulate;
  std::size_t replications = 1;  // N, 1 or more
  std::size_t jobs = 1;          // threads, 1 or more; more than N runs N at a time
};

// The seed of replication k (1 to N): the base seed + (k - 1), modulo 2^64, so replication 1 is the
// plain run of the base seed and each replication is `kerbsim simulate --seed S` alone.
std::uint64_t replication_seed(std::uint64_t base_seed, std::size_t replication);

// One number over the replications that measured it: n values, their mean, min and max, and the 95 %
// confidence interval of the mean, mean ± t(0.975, n - 1) · s / √n, clipped to what the number can be
// (0 to 1 for a fraction, 0 or more for a count). No interval from one value.
struct SampleSummary {
  std::size_t n = 0;
  double mean = 0;
  double min = 0;
  double max = 0;
  std::optional<double> low;  // the interval; none when n < 2
  std::optional<double> high;
};

// One replication's numbers, as its own `kerbsim simulate --seed S` reports them.
struct ReplicationRun {
  std::size_t replication = 0;  // 1 to N
  std::uint64_t seed = 0;
  Tally requests;
  std::vector<Tally> nodes;  // one per ReplicationReport::nodes, in that order
  UserSpread user_spread;
};

// A node's fractions over the replications in which it served a request (n says how many).
struct NodeSummary {
  std::string node;
  SampleSummary failure_fraction;
  SampleSummary degraded_fraction;
};

struct ReplicationReport {
  std::string scenario;
  std::string title;
  std::uint64_t base_seed = 0;
  Microseconds duration = 0;
  std::uint64_t users = 0;
  std::vector<std::string> nodes;    // the farm's nodes, in the order of ReplicationRun::nodes
  std::vector<ReplicationRun> runs;  // replication 1 to N, in that order whatever the threads did
  double t_quantile = 0;             // t(0.975, N - 1) of the intervals; 0 for N = 1
  SampleSummary requests;
  SampleSummary failure_fraction;
  SampleSummary degraded_fraction;
  std::vector<NodeSummary> node_summaries;  // the nodes that served a request in some replication
  SampleSummary users_never_failing;
  SampleSummary users_sometimes_failing;
  SampleSummary users_always_failing;
};

Value to_value(const ReplicationReport& report);

}  // namespace kerbsim
