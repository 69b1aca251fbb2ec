// A Kerberos ticket as a value: issued once by a KDC, never changed afterwards, copied freely.
#pragma once

#include <string>
#include <vector>

#include "engine/time.h"
#include "kerberos/etype.h"

namespace kerbsim::kerberos {

struct TicketFlags {
  bool forwardable = false;
  bool forwarded = false;
  bool proxiable = false;
  bool renewable = false;
  bool initial = false;
  bool pre_authent = false;
  bool ok_as_delegate = false;
  bool name_canonicalize = false;

  // The flags in klist's order and spelling: "forwardable", "ok_as_delegate", ...
  std::vector<std::string> names() const;
};

struct Ticket {
  std::string client;        // the user, canonical "CORP\\alice"
  std::string client_realm;  // "CORP.CONTOSO.COM"
  std::string server;        // sname as requested: "HTTP/reports.corp.contoso.com", "krbtgt/CORP.CONTOSO.COM"
  std::string server_realm;
  std::string encrypted_for;  // account whose long-term key encrypts it: "CORP\\WEB1$"
  Etype etype = Etype::Aes256;
  int kvno = 1;
  TicketFlags flags;
  engine::SimTime start = 0;
  engine::SimTime end = 0;
  engine::SimTime renew_till = 0;
  int pac_sids = 0;          // s-class SIDs in the PAC (kerberos-rules R6.3)
  int pac_foreign_sids = 0;  // d-class SIDs
  bool has_pac = true;
  // Delegation evidence (kerberos-rules R3.2.4, R3.3.1, R3.4.3, R3.4.6).
  bool from_s4u2self = false;              // issued by S4U2Self to the service itself
  bool service_asserted_identity = false;  // PAC carries S-1-18-2 instead of S-1-18-1
  bool user_not_delegated = false;         // the user is sensitive or a Protected User (PAC flag)
  std::vector<std::string> transited;      // services that S4U2Proxy went through, in order

  bool is_tgt() const { return server.rfind("krbtgt/", 0) == 0; }
};

}  // namespace kerbsim::kerberos
