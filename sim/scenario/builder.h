// Turns validated spec structs into the model: the directory with every account (computer accounts
// from domain-joined hosts included), DNS (scenario/addresses.h), hosts with their roles, load balancers and flows.
#pragma once

#include "farm/environment.h"
#include "scenario/spec.h"
#include "workload/workload.h"

namespace kerbsim::scenario {

// The spec must have passed the loader's validation; the builder asserts rather than re-checks.
farm::Environment build(const spec::Scenario& spec);

// The scenario's workload (its defaults when it has none) with its events as timeline changes.
workload::Workload build_workload(const spec::Scenario& spec);

}  // namespace kerbsim::scenario
