// The identity a worker process or service runs as, and what that identity is locally, on the
// network, and for Kerberos: whose long-term key it holds (iis-rules 2.1, 2.6, 6.1; kerberos-rules R2.1).
#pragma once

#include <string>

namespace kerbsim::web {

enum class IdentityType {
  ApplicationPoolIdentity,  // virtual account IIS APPPOOL\<pool>
  NetworkService,
  LocalService,
  LocalSystem,
  VirtualAccount,  // NT SERVICE\<service>
  DomainAccount,   // a domain user, MSA or gMSA ("SpecificUser")
  LocalAccount,    // an account of the machine's own SAM: IWAM_<MACHINE> (iis-rules 1.2)
};

struct ProcessIdentity {
  IdentityType type = IdentityType::ApplicationPoolIdentity;
  std::string account;  // DomainAccount: canonical "CORP\\svc"; VirtualAccount: "NT SERVICE\\MSSQLSERVER"

  // How it appears on its own machine: "IIS APPPOOL\\Reports", "NT AUTHORITY\\NETWORK SERVICE", ...
  std::string local_name(const std::string& pool_name) const;
  // The account whose Kerberos key it holds: built-in and virtual identities (LocalService too: it
  // decrypts with the machine's key, iis-rules 3.5) use the computer account of a domain-joined host,
  // "" on a workgroup host; a domain account or gMSA holds its own.
  std::string key_account(const std::string& computer_account) const;
  bool built_in() const { return type != IdentityType::DomainAccount && type != IdentityType::LocalAccount; }
  // "ApplicationPoolIdentity", "NetworkService", ..., or the account name.
  std::string describe() const;
};

// Parses a scenario identity string: the built-in names, "NT SERVICE\\x", or a canonical account.
ProcessIdentity parse_identity(const std::string& text);

}  // namespace kerbsim::web
