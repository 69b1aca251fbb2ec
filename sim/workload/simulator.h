// The population simulation: users cloned from the flows' clients make requests over simulated
// time on the discrete-event engine. Each keeps its own ticket cache and negative SPN cache; the
// load balancer picks a node per connection; DCs serve the KDC at a stated rate and each server's
// Netlogon channel has MaxConcurrentApi slots; timeline changes reach each DC after replication.
// Every authentication is decided by the tracer, remembered by everything that can change its
// result, so a population costs a handful of traces.
#pragma once

#include <cstdint>
#include <functional>
#include <vector>

#include "farm/environment.h"
#include "kerbsim/simulation.h"
#include "workload/workload.h"

namespace kerbsim::workload {

// What a workload will need, known before it runs (for the budget check).
struct Estimate {
  std::uint64_t requests = 0;
  std::uint64_t bytes = 0;
};
// probes: how many simulation expectations will be measured (each keeps a byte per user).
Estimate estimate(const farm::Environment& env, const Workload& workload, std::size_t probes = 0);

struct RunResult {
  SimulationReport report;
  std::vector<double> probes;  // one value per probe asked for, in order
};

RunResult simulate(const farm::Environment& env, const Workload& workload, const std::vector<Probe>& probes,
                   const std::function<void(double)>& progress = {});

}  // namespace kerbsim::workload
