// The outcome diff: two traced reports compared flow by flow (by name), path by path (by member) and
// hop by hop (in call order), on what a change review asks about: the verdict, the protocol, the
// identity the back end sees and the error; and two simulation reports compared on their headline
// numbers. Each difference is judged better, worse or neither here, once.
#pragma once

#include <vector>

#include "kerbsim/diff.h"
#include "kerbsim/outcome.h"
#include "kerbsim/simulation.h"

namespace kerbsim::analysis {

std::vector<FlowDiff> outcome_diff(const TraceReport& before, const TraceReport& after);

// The failure fraction overall and per node, the users who never, sometimes or always failed, the
// KDC requests per DC and the Netlogon calls and timeouts. Only failures make a metric worse; load
// that moves (NTLM pass-through turned into KDC requests) is a change, not a regression.
std::vector<MetricDiff> metrics_diff(const SimulationReport& before, const SimulationReport& after);

}  // namespace kerbsim::analysis
