// Fixes for failed and degraded paths: each an ordered list of farm::Change in rollout order
// (rollout.h), rendered as the commands an admin runs (commands.h). Every candidate is applied in that
// order through the write-time rules to a copy of the environment and traced again; it is kept only if
// no change is refused, its path gets better and no other path of the flow gets worse. A path no
// change can fix gets a sentence saying why (no_fix.h). The search is given the tracer to verify with,
// so analysis does not depend on it.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "farm/change.h"
#include "farm/environment.h"
#include "kerbsim/outcome.h"

namespace kerbsim::analysis {

// A verified change: what to tell the admin, and the changes it makes to the environment, in
// rollout order (the order of fix.steps).
struct VerifiedFix {
  Fix fix;
  std::vector<farm::Change> changes;
};

// A fix to try: what it does, in words, and its changes (put in rollout order before they are tried).
struct Candidate {
  std::string change;
  std::vector<farm::Change> changes;
};

// Traces one flow of an environment again: the verification of a candidate.
using Retrace = std::function<FlowOutcome(const farm::Environment& env, const std::string& flow)>;

// How good a verdict is, for comparing a path before and after a change: ok 2, degraded 1, failed 0.
constexpr int verdict_rank(Verdict v) { return v == Verdict::Ok ? 2 : v == Verdict::Degraded ? 1 : 0; }

// The Fix an admin reads for changes already in rollout order: each step's command, host and right.
Fix render_fix(const farm::Environment& env, const std::string& change, const std::vector<farm::Change>& ordered);

// Candidates verified per report (or per path asked for): each costs a copy and a trace.
constexpr int kFixBudget = 24;

// The verified fixes of one path of a traced flow, best first: only those that leave the whole flow
// best off (a change that repairs one node of a farm is dropped when another repairs them all).
std::vector<VerifiedFix> verified_fixes(const farm::Environment& env, const FlowOutcome& flow, const PathOutcome& path,
                                        const Retrace& retrace);

// The candidates that verify for one path, best first (what verified_fixes does with its own).
std::vector<VerifiedFix> verify_candidates(const farm::Environment& env, const FlowOutcome& flow,
                                           const PathOutcome& path, const std::vector<Candidate>& candidates,
                                           const Retrace& retrace);

// Fills PathOutcome::fixes for every path that is not ok: its verified fixes, or one Fix whose
// `none` says why no change fixes it.
void attach_fixes(const farm::Environment& env, TraceReport& report, const Retrace& retrace);

}  // namespace kerbsim::analysis
