// The tracer: follows one request of a flow across every party it touches — DNS, the load
// balancer, the web server's anonymous leg and challenge, the browser's zone, scheme and SPN
// decisions, the KDC, the AP-REQ at the node, NTLM — and records each step with its reason and
// rule. A request to a load-balancer VIP is traced once per member, as the outcome differs per node.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "farm/environment.h"
#include "farm/node_state.h"
#include "kerberos/ticket.h"
#include "kerbsim/outcome.h"

namespace kerbsim::flow {

struct TraceOptions {
  std::string flow;  // "" = every flow
  std::string via;   // "" = every member of a balancer
};

TraceReport trace(const farm::Environment& env, const TraceOptions& options = {});

// What one client brings to a request besides the scenario, as a simulation keeps it: its ticket
// cache, its negative SPN cache, whether any DC answers, and its clock. A plain trace starts empty.
struct ClientState {
  std::optional<kerberos::Ticket> tgt;             // a cached TGT: no AS exchange (kerberos-rules R8.3)
  std::optional<kerberos::Ticket> service_ticket;  // a cached ticket, used when its SPN is the one built
  bool spn_not_found = false;                      // the negative SPN cache holds the SPN (R1.6)
  bool kdc_reachable = true;                       // false: every DC of the user's domain is down
  std::optional<int> token_groups;                 // this user's group count, for the PAC (R6.3)
  std::optional<engine::SimTime> clock_offset;     // the client's clock minus the DCs'
};

// What the client obtained on the way and would keep in its caches.
struct ClientGains {
  std::optional<kerberos::Ticket> tgt;
  std::optional<kerberos::Ticket> service_ticket;
  bool spn_not_found = false;  // the KDC answered "not found": the client caches that (R1.6)
};

// Where a flow's URL leads: the load balancer and its members, or one node, or nowhere.
struct FlowTarget {
  const net::LoadBalancer* balancer = nullptr;
  std::vector<const farm::Host*> nodes;  // empty: DNS or the address leads nowhere
};
FlowTarget flow_target(const farm::Environment& env, const farm::FlowSpec& flow);

// One path of one flow, through `node` (a member of the flow's balancer, or its only node; ""
// when the flow leads nowhere), for a client and hosts in the given state.
PathOutcome trace_path(const farm::Environment& env, const farm::FlowSpec& flow, const std::string& node,
                       const ClientState& client, const farm::FarmState& hosts, ClientGains* gains);

}  // namespace kerbsim::flow
