// The design's risks in themselves, whether or not a traced flow meets them: delegation to a domain
// controller (domain compromise), unconstrained delegation on other accounts, protocol transition,
// Kerberoastable user accounts, accounts that only RC4 serves, privileged accounts open to delegation,
// duplicate SPNs, constrained-delegation entries no SPN or a moving port backs, LocalSystem pools,
// clocks beyond the KDC's skew, sites that never ask for Windows credentials. Each is read through the
// model's own lookups (the directory's SPN index, the KDC's etype choice, the delegation graph's edges),
// so that a risk says what the KDC and IIS would do; each comes with the changes that would remove it,
// which the audit verifies against the trace before it shows them.
#pragma once

#include <vector>

#include "analysis/delegation_graph.h"
#include "analysis/fixes.h"
#include "farm/environment.h"
#include "kerbsim/audit.h"
#include "kerbsim/outcome.h"

namespace kerbsim::analysis {

struct Risk {
  Finding finding;                    // without fixes: the audit verifies and renders them
  std::vector<Candidate> candidates;  // the changes that remove it, best first
  // When no farm::Change expresses the fix (an encryption-type setting, a clock, web.config): what to do
  // instead, with the command, in one or two sentences.
  std::string no_fix;
};

// Privileged groups whose members should be sensitive or in Protected Users (kerberos-rules R3.5.1).
bool privileged(const directory::Account& a);

// Every risk of the design, worst first. The trace shows what the farm's flows use (the services an
// account trusted for unconstrained delegation really calls, calls made "as caller" that arrive as the pool).
std::vector<Risk> design_risks(const farm::Environment& env, const DelegationGraph& graph, const TraceReport& traced);

}  // namespace kerbsim::analysis
