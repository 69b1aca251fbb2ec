// The workload a request runs: the scenario's, with the request's overrides, checked against the
// request's budget before anything runs (bounded resources). Internal to sim/api.
#pragma once

#include <cstddef>

#include "farm/environment.h"
#include "kerbsim/simulation.h"
#include "scenario/spec.h"
#include "workload/workload.h"

namespace kerbsim {

// How many copies of the workload run: in all (each makes its requests) and at once (each holds its
// memory at the same time). One and one for a plain simulation.
struct Copies {
  std::size_t in_all = 1;
  std::size_t at_once = 1;
};

// Throws ScenarioError, located at the scenario's "workload", when the workload cannot run (no users,
// no time) or its copies would exceed request.max_requests in all or request.max_memory_bytes at once.
// probes: how many simulation expectations will be measured (each keeps a byte per user).
workload::Workload effective_workload(const spec::Scenario& spec, const farm::Environment& env,
                                      const SimulateRequest& request, std::size_t probes, Copies copies = {});

}  // namespace kerbsim
