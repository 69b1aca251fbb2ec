// SQL Server Reporting Services as a front end: the ReportServer Windows service hosts both the web
// service and the portal on http.sys URL reservations, authenticates in user mode as its service
// account, and offers the schemes of rsreportserver.config <AuthenticationTypes> (iis-rules 7.1-7.6).
#pragma once

#include <string>
#include <vector>

#include "net/browser.h"
#include "web/identity.h"
#include "web/iis.h"

namespace kerbsim::backend {

enum class SsrsAuthType { RSWindowsNegotiate, RSWindowsNTLM, RSWindowsKerberos, RSWindowsBasic, Custom };
std::string auth_type_name(SsrsAuthType t);

class SsrsServer {
 public:
  web::ProcessIdentity service_account;
  std::vector<SsrsAuthType> authentication_types;
  bool authentication_types_defaulted = false;
  std::string hostname;
  std::vector<base::Call> calls;

  // The AuthenticationTypes setup writes for a service account (iis-rules 7.3).
  static std::vector<SsrsAuthType> default_authentication_types(const web::ProcessIdentity& account);

  // Does this URL path belong to the report server's reservations (/ReportServer, /Reports)?
  static bool serves_path(const std::string& path);

  // The service account's key decrypts: SSRS authenticates in user mode (iis-rules 7.6).
  base::KeyDecision decryption_key(const base::HostInfo& host) const;
  std::vector<net::AuthScheme> challenge() const;
  // Does Negotiate fall back to NTLM when no ticket is available? Only if the types allow it.
  bool accepts_ntlm() const;
};

}  // namespace kerbsim::backend
