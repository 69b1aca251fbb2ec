// The state a host is in as a simulation runs, and the one AP-REQ acceptance every server uses:
// the key versions its processes hold and its clock decide whether a ticket is accepted
// (kerberos-rules R2.1, R2.6-R2.9). A plain trace uses the hosts as configured.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "engine/time.h"
#include "farm/environment.h"
#include "kerberos/ap_req.h"
#include "kerberos/ticket.h"

namespace kerbsim::farm {

struct NodeState {
  std::optional<engine::SimTime> clock_offset;  // unset: the host's configured offset
  // Key versions the host's processes hold per account, by the account's canonical name (as the
  // directory spells it); an account not listed holds the directory's current kvno (kerberos-rules R2.6, R2.7).
  std::map<std::string, std::vector<int>> held_kvnos;
};

// Every host's state, by its index in Environment::hosts; empty (or a missing index) means as configured.
struct FarmState {
  std::vector<NodeState> hosts;
  const NodeState& of(const Environment& env, const Host& host) const;
};

// The host's clock minus the DCs': its state's, else its configured offset.
engine::SimTime clock_offset(const Host& host, const NodeState& state);

// The key `account` holds on a host: the versions its processes hold, else the directory's current one.
kerberos::ServiceKey service_key(const Environment& env, const std::string& account, const NodeState& state);

// The server on `server` accepts or rejects an AP-REQ carrying `ticket`, decrypting with the key of
// `key_account` as its state holds it; the authenticator was made at `client_offset` (kerberos-rules R2.6-R2.9).
// It is asked at time 0 of a trace, when the tickets a trace follows are issued; the simulator keeps
// ticket lifetimes itself (R2.9), so expiry never decides here.
kerberos::ApReqResult accept_ap_req(const Environment& env, const kerberos::Ticket& ticket,
                                    const std::string& key_account, engine::SimTime client_offset, const Host& server,
                                    const NodeState& state);

}  // namespace kerbsim::farm
