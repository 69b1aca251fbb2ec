#include "web/iis.h"

#include <algorithm>
#include <cstdlib>

#include "directory/names.h"

namespace kerbsim::web {

using directory::iequals;

std::string provider_name(Provider p) {
  switch (p) {
    case Provider::Negotiate:
      return "Negotiate";
    case Provider::Ntlm:
      return "NTLM";
    case Provider::NegotiateKerberos:
      return "Negotiate:Kerberos";
    case Provider::NegotiatePku2u:
      return "Negotiate:PKU2U";
  }
  return "";
}

std::vector<std::string> provider_names(const std::vector<Provider>& ps) {
  std::vector<std::string> out;
  out.reserve(ps.size());
  for (const Provider p : ps) out.push_back(provider_name(p));
  return out;
}

int IisServer::major_version() const { return std::atoi(version.c_str()); }

bool IisServer::kerberos_per_connection(const Site& site) const {
  if (site.auth_persist_non_ntlm) return *site.auth_persist_non_ntlm;
  return std::atof(version.c_str()) >= 8.5;  // iis-rules 3.8 (UNCONFIRMED version default)
}

const AppPool* IisServer::pool(const std::string& name) const {
  for (const auto& p : app_pools)
    if (iequals(p.name, name)) return &p;
  return nullptr;
}

const Site* IisServer::site_for(const std::string& scheme, const std::string& host, int port) const {
  const Site* wildcard = nullptr;
  for (const auto& s : sites)
    for (const auto& b : s.bindings) {
      if (!iequals(b.scheme, scheme) || b.port != port) continue;
      if (iequals(b.host, host)) return &s;
      if (b.host == "*" && !wildcard) wildcard = &s;
    }
  return wildcard;
}

base::KeyDecision IisServer::decryption_key(const Site& site, const base::HostInfo& host) const {
  base::KeyDecision d;
  d.rule = "iis-rules 3.5";
  const AppPool* p = pool(site.app_pool);
  const ProcessIdentity identity = p ? p->identity : ProcessIdentity{};
  const std::string pool_key = identity.key_account(host.computer_account);
  const std::string pool_desc =
      identity.built_in() ? identity.describe() + ", which uses the computer account's key" : identity.describe();
  if (major_version() < 7) {
    if (iis5_isolation) {
      d.account = host.computer_account;
      d.why =
          "IIS 6 in IIS 5.0 isolation mode authenticates in inetinfo.exe, running as LocalSystem, "
          "so the computer account's key decrypts";
      d.rule = "iis-rules 1.3";
      return d;
    }
    d.account = pool_key;
    d.why = "IIS 6 authenticates in user mode with the app pool identity (" + pool_desc + ")";
    return d;
  }
  if (!site.kernel_mode) {
    d.account = pool_key;
    d.why = "kernel-mode authentication is off, so the worker process decrypts with the app pool identity (" +
            pool_desc + ")";
    return d;
  }
  if (site.use_app_pool_credentials) {
    d.account = pool_key;
    d.why =
        "kernel-mode authentication with useAppPoolCredentials=true: http.sys decrypts with the app pool "
        "identity (" +
        pool_desc + ")";
    return d;
  }
  d.account = host.computer_account;
  d.why =
      "kernel-mode authentication (the default) with useAppPoolCredentials=false: http.sys decrypts with the "
      "computer account's key, whatever the app pool identity (" +
      identity.describe() + ")";
  return d;
}

std::string IisServer::anonymous_identity(const Site& site, const base::HostInfo& host) const {
  if (site.anonymous_user.empty()) return process_identity(site, host);
  if (iequals(site.anonymous_user, "IUSR")) {
    if (major_version() < 7) {
      const std::string machine = directory::to_upper(host.name);
      return machine + "\\IUSR_" + machine;
    }
    return "NT AUTHORITY\\IUSR";
  }
  return site.anonymous_user;
}

ProcessIdentity IisServer::worker_identity(const Site& site, const base::HostInfo& host) const {
  if (major_version() < 7 && iis5_isolation) {
    if (site.app_isolation == "in_process") return {IdentityType::LocalSystem, ""};
    const std::string machine = directory::to_upper(host.name);
    return {IdentityType::LocalAccount, machine + "\\IWAM_" + machine};
  }
  const AppPool* p = pool(site.app_pool);
  return p ? p->identity : ProcessIdentity{};
}

std::string IisServer::process_identity(const Site& site, const base::HostInfo& host) const {
  return worker_identity(site, host).local_name(site.app_pool);
}

std::vector<net::AuthScheme> IisServer::challenge(const Site& site) const {
  std::vector<net::AuthScheme> out;
  if (site.windows_enabled)
    for (const Provider p : site.providers) {
      const net::AuthScheme s = p == Provider::Ntlm ? net::AuthScheme::Ntlm : net::AuthScheme::Negotiate;
      if (std::find(out.begin(), out.end(), s) == out.end()) out.push_back(s);
    }
  if (site.basic_enabled) out.push_back(net::AuthScheme::Basic);
  return out;
}

bool may_read_content(const Site& site, const std::string& identity, const std::vector<std::string>& groups) {
  if (!site.content_readers) return true;  // the stock ACL admits IUSR, IIS_IUSRS, Users (iis-rules 1.10)
  for (const auto& reader : *site.content_readers) {
    if (iequals(reader, "Everyone") || iequals(reader, identity)) return true;
    if (iequals(reader, "IUSR") && iequals(identity, "NT AUTHORITY\\IUSR")) return true;
    for (const auto& g : groups)
      if (iequals(reader, g)) return true;
  }
  return false;
}

}  // namespace kerbsim::web
