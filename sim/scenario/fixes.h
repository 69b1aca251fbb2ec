// Fixes for failed and degraded paths, written as the commands an admin runs (setspn, PowerShell's
// AD module, appcmd). Every candidate is applied to a copy of the scenario, rebuilt and traced
// again; it is kept only if its path gets better and no other path of the flow gets worse.
#pragma once

#include "kerbsim/outcome.h"
#include "scenario/spec.h"

namespace kerbsim::scenario {

// Fills PathOutcome::fixes for every path that is not ok.
void attach_fixes(const spec::Scenario& spec, TraceReport& report);

}  // namespace kerbsim::scenario
