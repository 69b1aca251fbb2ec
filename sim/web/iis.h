// IIS on one host: app pools and their identities, sites with bindings and authentication settings,
// and the decisions IIS and http.sys make for a request: which site answers, what the anonymous leg
// gets, which schemes the 401 offers, and whose key decrypts a Kerberos ticket (iis-rules 1-3).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "base/host_facts.h"
#include "net/browser.h"
#include "web/identity.h"

namespace kerbsim::web {

struct AppPool {
  std::string name;
  ProcessIdentity identity;
};

enum class Provider { Negotiate, Ntlm, NegotiateKerberos, NegotiatePku2u };
std::string provider_name(Provider p);                                     // "Negotiate", "NTLM", ...
std::vector<std::string> provider_names(const std::vector<Provider>& ps);  // as a scenario lists them

struct Binding {
  std::string scheme = "http";
  std::string host = "*";  // "*" = any host header
  int port = 80;
};

struct Site {
  std::string name;
  std::vector<Binding> bindings;
  std::string app_pool;
  bool anonymous_enabled = true;        // IIS default (iis-rules 1.7)
  std::string anonymous_user = "IUSR";  // "" = the app pool identity
  bool windows_enabled = false;         // applicationHost.config default (iis-rules 3.1)
  std::vector<Provider> providers = {Provider::Negotiate, Provider::Ntlm};
  bool kernel_mode = true;                    // useKernelMode (iis-rules 3.3)
  bool use_app_pool_credentials = false;      // (iis-rules 3.4)
  std::optional<bool> auth_persist_non_ntlm;  // unset: the version's default (IisServer::kerberos_per_connection)
  bool basic_enabled = false;
  bool impersonate = false;  // ASP.NET <identity impersonate>; default false (iis-rules 3.12)
  std::optional<std::vector<std::string>> content_readers;
  std::string app_isolation = "in_process";
  std::vector<base::Call> calls;
};

class IisServer {
 public:
  std::string version = "10.0";
  bool iis5_isolation = false;  // IIS 6 only
  std::vector<AppPool> app_pools;
  std::vector<Site> sites;

  int major_version() const;
  const AppPool* pool(const std::string& name) const;
  // The site whose binding matches; an exact host header beats "*" (iis-rules 3.14).
  const Site* site_for(const std::string& scheme, const std::string& host, int port) const;

  // iis-rules 3.5: the decryption-key decision table.
  base::KeyDecision decryption_key(const Site& site, const base::HostInfo& host) const;
  // The identity anonymous requests run as (iis-rules 1.4, 1.7, 1.1).
  std::string anonymous_identity(const Site& site, const base::HostInfo& host) const;
  // The identity the site's code runs as: the app pool identity, or in IIS 5.0 isolation mode
  // LocalSystem (inetinfo.exe) or the local IWAM_<MACHINE> account (dllhost.exe) (iis-rules 1.2, 1.3).
  ProcessIdentity worker_identity(const Site& site, const base::HostInfo& host) const;
  // The worker process identity as seen locally (iis-rules 2.1, 1.3).
  std::string process_identity(const Site& site, const base::HostInfo& host) const;
  // Does a Kerberos logon last for the connection (authPersistNonNTLM), or is every request
  // authenticated again? The setting, else session-based from IIS 8.5 (Windows Server 2012 R2) on
  // as the IIS support article says; the configuration reference's default is false, so the
  // version default is UNCONFIRMED (iis-rules 3.8). NTLM always lasts for the connection.
  bool kerberos_per_connection(const Site& site) const;
  // The WWW-Authenticate schemes a 401 carries, in order (iis-rules 3.2, 3.7).
  std::vector<net::AuthScheme> challenge(const Site& site) const;
};

// Whether an identity can read the site's content under its NTFS ACL (iis-rules 1.10).
// identity_groups: groups the identity's token carries ("IIS_IUSRS", "Users", ...).
bool may_read_content(const Site& site, const std::string& identity, const std::vector<std::string>& identity_groups);

}  // namespace kerbsim::web
