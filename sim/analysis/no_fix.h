// Why no change to the farm fixes a path, for the paths whose fix search finds nothing: a design limit
// (a Protected Users member or a sensitive account is never delegated), or a cause outside what a
// farm::Change edits (clocks, browser settings, file ACLs, http.sys limits). Each sentence names what
// the admin can do instead and the rule behind it.
#pragma once

#include <string>

#include "farm/environment.h"
#include "kerbsim/outcome.h"

namespace kerbsim::analysis {

// The sentence for a path that is not ok and has no verified fix; "" when kerbsim knows no reason.
std::string why_no_fix(const farm::Environment& env, const FlowOutcome& flow, const PathOutcome& path);

}  // namespace kerbsim::analysis
