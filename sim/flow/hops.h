// The hops behind a front end: each call an application makes next (IIS site -> SQL Server, SSRS
// data source -> SQL Server, SQL Server linked server -> SQL Server), with the identity that reaches
// the back end, the delegation mechanism that carried it, or the condition that stopped it
// (kerberos-rules sections 3-4, iis-rules 0.8-0.11, 2.6, 3.12, 6.5-6.9).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "farm/environment.h"
#include "farm/node_state.h"
#include "farm/service.h"
#include "kerberos/ticket.h"
#include "kerbsim/outcome.h"

namespace kerbsim::flow {

// Appends numbered steps to a path's step list.
class StepLog {
 public:
  explicit StepLog(std::vector<Step>& steps) : steps_(steps) {}
  Step& add(StepKind kind, std::string from, std::string to, std::string message, std::string result, std::string why,
            std::string rule);

 private:
  std::vector<Step>& steps_;
};

// The request's identity as the calling tier holds it.
struct CallerContext {
  std::string user;                // canonical account; "" when the request ran anonymously
  std::string anonymous_identity;  // the anonymous identity when user is "" (NT AUTHORITY\IUSR, ...)
  Protocol protocol = Protocol::None;
  std::optional<kerberos::Ticket> evidence;       // the user's ticket to this tier (Kerberos)
  std::optional<kerberos::Ticket> forwarded_tgt;  // the user's TGT, forwarded by the client
};

constexpr int kMaxHopDepth = 8;

// The calls `tier` makes next, with the hosts in the given state (a trace passes them as configured).
std::vector<HopOutcome> trace_calls(const farm::Environment& env, const farm::FarmState& state,
                                    const farm::Service& tier, const CallerContext& caller, StepLog& log,
                                    int depth = 0);

}  // namespace kerbsim::flow
