// The application server's side of the AP exchange: can the key it holds decrypt the ticket, and
// is the authenticator's time inside the allowed skew (kerberos-rules R2.6, R2.8, R2.9).
#pragma once

#include <string>
#include <vector>

#include "engine/time.h"
#include "kerberos/errors.h"
#include "kerberos/ticket.h"

namespace kerbsim::kerberos {

// The long-term key a server process decrypts with: whose it is, and which versions it holds.
struct ServiceKey {
  std::string account;     // "CORP\\WEB2$"
  std::vector<int> kvnos;  // current first; older ones a server may still try (R2.6)
};

struct ApReqResult {
  KrbError error = KrbError::None;
  std::string why;
  std::string rule;
  bool ok() const { return error == KrbError::None; }
};

// client_offset / server_offset: each clock minus the DCs' clock.
ApReqResult accept_ap_req(const Ticket& ticket, const ServiceKey& key, engine::SimTime now,
                          engine::SimTime client_offset, engine::SimTime server_offset, engine::SimTime max_clock_skew);

// Estimated size in bytes of the Kerberos token a client sends (kerberos-rules R6.3):
// 1200 + 40 d + 8 s, doubled when a forwarded TGT travels with it (R3.1.5).
int estimated_token_bytes(const Ticket& ticket, bool with_forwarded_tgt);

}  // namespace kerbsim::kerberos
