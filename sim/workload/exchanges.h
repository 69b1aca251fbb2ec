// What one traced path costs the parties, counted from the steps' kinds and actions, never from
// their sentences: the client's AS and TGS exchanges, the servers' own KDC requests for the hops,
// the NTLM pass-throughs each server makes, the client's round trips and the calls that worked.
#pragma once

#include <string>
#include <vector>

#include "kerbsim/outcome.h"

namespace kerbsim::workload {

struct ExchangeCounts {
  int client_as = 0;
  int client_tgs = 0;
  int server_kdc = 0;                    // S4U, service logons and their TGS requests
  int round_trips = 0;                   // the client's requests to the server (HTTP, AP, SQL, NTLM legs)
  std::vector<std::string> passthrough;  // the server of each Netlogon pass-through, in order
  int hops_ok = 0;                       // calls behind the front end that worked, at every depth
};

// `client`: the name of the flow's client host (its exchanges are the client's).
ExchangeCounts count_exchanges(const PathOutcome& path, const std::string& client);

}  // namespace kerbsim::workload
