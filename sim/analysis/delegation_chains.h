// Chains of delegation over the graph: from an account, every ticket it can get as a user, hop by
// hop (a front end that delegates to a middle tier that delegates onward), and who those users are;
// each chain checked for one user at the KDCs with the requests the tracer makes
// (flow/delegation_walk.h), so that the graph never says more than the KDC would issue.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "analysis/delegation_graph.h"
#include "flow/delegation_walk.h"

namespace kerbsim::analysis {

struct DelegationHop {
  Vertex service = 0;  // the account that asks
  EdgeKind kind = EdgeKind::Constrained;
  Vertex target = 0;            // the SPN, the back-end account (resource-based) or any service (unconstrained)
  std::optional<Vertex> owner;  // the account whose key encrypts what it gets; nullopt: nobody holds the SPN
};

struct Chain {
  std::vector<DelegationHop> hops;
  // How the user must reach the first service, and what every hop asks of the user: the first hop's
  // kKerberosFrontEnd and kClientDelegates, every hop's kDelegableUser, kSameDomain, kNoForestTgt.
  std::uint32_t conditions = 0;
};

constexpr int kMaxChainHops = 8;  // as deep as the tracer follows calls (flow/hops.h)

// Every chain that starts with a delegation setting of `account`, longest first along each branch
// ending where the last owner delegates no further (or where nobody holds the SPN); no account twice.
std::vector<Chain> chains_from(const DelegationGraph& g, Vertex account, int max_hops = kMaxChainHops);
// Every chain, from any account, up to its first hop that reaches one of the targets: an SPN, or an
// account (any of its SPNs); unconstrained delegation reaches every target.
std::vector<Chain> chains_to(const DelegationGraph& g, const std::vector<Vertex>& targets,
                             int max_hops = kMaxChainHops);
// Every chain of every account that delegates.
std::vector<Chain> all_chains(const DelegationGraph& g, int max_hops = kMaxChainHops);

// Every vertex an account's delegation reaches, breadth first: the SPNs and accounts it can get tickets
// to as a user, and through each account reached, what that one reaches in turn (holds-spn and the
// delegation edges; unconstrained delegation reaches "any service"). Without the KDC's check: the
// reach of the settings, for a whole directory at once. The account itself first.
std::vector<Vertex> reachable_from(const DelegationGraph& g, Vertex account);

// The user's walk along the chain at the KDCs: started with Kerberos at the first service when its
// first hop needs it (classic KCD "Kerberos only", unconstrained), by protocol transition otherwise.
flow::WalkResult check_chain(const farm::Environment& env, const DelegationGraph& g, const Chain& chain,
                             const std::string& user);

// An ordinary user to check chains with when none is named: enabled, not sensitive, not in Protected
// Users, holding no SPN; a flow's client user first. nullopt when the scenario has none.
std::optional<std::string> ordinary_user(const farm::Environment& env);

}  // namespace kerbsim::analysis
