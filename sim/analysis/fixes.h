// Fixes for failed and degraded paths, written as the commands an admin runs (setspn, PowerShell's
// AD module, appcmd), each a list of farm::Change. Every candidate is applied to a copy of the
// environment and traced again; it is kept only if its path gets better and no other path of the
// flow gets worse. The search is given the tracer to verify with, so analysis does not depend on it.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "farm/change.h"
#include "farm/environment.h"
#include "kerbsim/outcome.h"

namespace kerbsim::analysis {

// A verified change: what to tell the admin, and the changes it makes to the environment.
struct VerifiedFix {
  Fix fix;
  std::vector<farm::Change> changes;
};

// Traces one flow of an environment again: the verification of a candidate.
using Retrace = std::function<FlowOutcome(const farm::Environment& env, const std::string& flow)>;

// Candidates verified per report (or per path asked for): each costs a copy and a trace.
constexpr int kFixBudget = 24;

// The verified fixes of one path of a traced flow, best first: only those that leave the whole flow
// best off (a change that repairs one node of a farm is dropped when another repairs them all).
std::vector<VerifiedFix> verified_fixes(const farm::Environment& env, const FlowOutcome& flow, const PathOutcome& path,
                                        const Retrace& retrace);

// Fills PathOutcome::fixes for every path that is not ok.
void attach_fixes(const farm::Environment& env, TraceReport& report, const Retrace& retrace);

}  // namespace kerbsim::analysis
