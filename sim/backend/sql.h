// SQL Server instances on a host: name, TCP port, service account and linked-server calls
// (iis-rules 6.1-6.4). The login and SPN behaviour of the second hop builds on this model.
#pragma once

#include <string>
#include <vector>

#include "base/host_facts.h"
#include "directory/spn.h"
#include "web/identity.h"

namespace kerbsim::backend {

struct SqlInstance {
  std::string name = "MSSQLSERVER";
  int port = 1433;
  bool dynamic_port = false;
  web::ProcessIdentity service_account;
  std::vector<base::Call> calls;

  // What the Database Engine logged at startup about registering its SPNs (iis-rules 6.3).
  std::string spn_registration;

  bool default_instance() const { return name == "MSSQLSERVER"; }
  // The SPNs it registers for itself: the TCP form, and the named-pipes form (kerberos-rules R1.11).
  std::vector<directory::Spn> own_spns(const std::string& fqdn) const;
  // The account a service identity may write its own SPNs on at startup: the computer account for
  // built-in and virtual accounts, a gMSA for itself; "" for a plain domain user (iis-rules 6.3).
  std::string self_registration_account(const std::string& computer_account) const;
  // The TCP SPN clients build for it: MSSQLSvc/<fqdn>:<port> (kerberos-rules R1.11).
  directory::Spn tcp_spn(const std::string& fqdn) const {
    return {.service_class = "MSSQLSvc", .host = fqdn, .port = std::to_string(port)};
  }
  // The service account's key decrypts: the computer account's for a built-in or virtual account (iis-rules 6.1).
  base::KeyDecision decryption_key(const base::HostInfo& host) const;
};

struct SqlServer {
  std::vector<SqlInstance> instances;
  const SqlInstance* instance(const std::string& name) const;
};

}  // namespace kerbsim::backend
