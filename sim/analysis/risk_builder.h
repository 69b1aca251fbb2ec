// What the design-risk readers share (analysis/risks.h): the environment, its delegation graph and its
// trace, and the few lookups every reader makes. Private to sim/analysis.
#pragma once

#include <string>
#include <vector>

#include "analysis/risks.h"

namespace kerbsim::analysis {

struct RiskContext {
  const farm::Environment& env;
  const DelegationGraph& graph;
  const TraceReport& traced;

  // A risk with its severity, code, subject and rule; the reader fills in the rest.
  Risk risk(Severity severity, std::string code, std::string subject, std::string rule) const;
  // The modelled host whose FQDN or name is `name` (an SPN's host part); nullptr when none is.
  const farm::Host* host_named(const std::string& name) const;
  // The SPNs the traced paths show the account reaching by unconstrained delegation (its forwarded
  // TGT's hops), each once, in trace order.
  std::vector<std::string> unconstrained_targets(const std::string& account) const;
};

// "a, b and c".
std::string join(const std::vector<std::string>& items);

void delegation_risks(const RiskContext& ctx, std::vector<Risk>& out);
void account_risks(const RiskContext& ctx, std::vector<Risk>& out);
void host_risks(const RiskContext& ctx, std::vector<Risk>& out);

}  // namespace kerbsim::analysis
