// Fixes for failed and degraded paths, written as the commands an admin runs (setspn, PowerShell's
// AD module, appcmd). Every candidate is applied to a copy of the scenario, rebuilt and traced
// again; it is kept only if its path gets better and no other path of the flow gets worse.
#pragma once

#include <functional>
#include <vector>

#include "kerbsim/outcome.h"
#include "scenario/spec.h"

namespace kerbsim::scenario {

// A verified change: what to tell the admin, and the same change applied to a scenario.
struct VerifiedFix {
  Fix fix;
  std::function<void(spec::Scenario&)> apply;
};

// The verified fixes of one path of a traced flow, best first: only those that leave the whole flow
// best off (a change that repairs one node of a farm is dropped when another repairs them all).
std::vector<VerifiedFix> verified_fixes(const spec::Scenario& spec, const FlowOutcome& flow, const PathOutcome& path);

// Fills PathOutcome::fixes for every path that is not ok.
void attach_fixes(const spec::Scenario& spec, TraceReport& report);

}  // namespace kerbsim::scenario
