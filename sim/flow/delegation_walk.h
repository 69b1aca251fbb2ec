// A chain of delegation hops walked at the KDCs for one user: each service in turn asks for a ticket
// to the next as the user (S4U2Self, S4U2Proxy, the user's forwarded TGT), with the same KDC requests
// the tracer's hops make, so that a chain of the delegation graph holds exactly when the KDCs issue
// every ticket of it (kerberos-rules R3.1-R3.5).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "directory/spn.h"
#include "farm/environment.h"
#include "kerberos/errors.h"

namespace kerbsim::flow {

// How a service of the chain gets a ticket to the next one as the user.
enum class WalkMechanism {
  Proxy,         // S4U2Proxy with the ticket it holds as evidence (classic or resource-based, R3.2, R3.4)
  ForwardedTgt,  // the user's TGT, forwarded to it: a TGS-REQ as the user (unconstrained, R3.1)
};

struct WalkHop {
  std::string service;    // the account that asks: "CORP\\svc-web"
  directory::Spn target;  // what it asks for as the user; unused for a forwarded TGT, which opens every service
  WalkMechanism mechanism = WalkMechanism::Proxy;
};

// How the user's identity reaches the first service: its own Kerberos ticket (a Kerberos front end,
// or the forwarded TGT), or not at all, so that the service starts with S4U2Self (R3.3).
enum class WalkStart { KerberosFrontEnd, ProtocolTransition };

struct WalkResult {
  bool ok = false;
  std::size_t hops_done = 0;  // the hops whose ticket was issued
  kerberos::KrbError error = kerberos::KrbError::None;
  kerberos::NtStatus status = kerberos::NtStatus::None;
  std::string failed_at;  // what was asked when it stopped: "S4U2Proxy MSSQLSvc/sql1... as CORP\\svc-web"
  std::string why;        // the KDC's reason for the last answer
  std::string rule;
};

// Walks the hops for `user`, starting as `start` says at hops.front().service. Each hop's service must
// hold the ticket of the hop before (the previous target's owner). An empty chain is not ok.
WalkResult walk_delegation(const farm::Environment& env, const std::string& user, WalkStart start,
                           const std::vector<WalkHop>& hops);

}  // namespace kerbsim::flow
