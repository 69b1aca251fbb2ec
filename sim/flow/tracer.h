// The tracer: follows one request of a flow across every party it touches — DNS, the load
// balancer, the web server's anonymous leg and challenge, the browser's zone, scheme and SPN
// decisions, the KDC, the AP-REQ at the node, NTLM — and records each step with its reason and
// rule. A request to a load-balancer VIP is traced once per member, as the outcome differs per node.
#pragma once

#include <string>

#include "flow/environment.h"
#include "kerbsim/outcome.h"

namespace kerbsim::flow {

struct TraceOptions {
  std::string flow;  // "" = every flow
  std::string via;   // "" = every member of a balancer
};

TraceReport trace(const Environment& env, const TraceOptions& options = {});

}  // namespace kerbsim::flow
