// Building blocks for worlds written in C++ in tests: accounts and hosts of the corp.contoso.com
// domain (NetBIOS CORP), named as the builder names them.
#pragma once

#include <cctype>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "directory/directory.h"
#include "farm/environment.h"
#include "kerberos/etype.h"
#include "web/identity.h"
#include "web/iis.h"

namespace kerbsim::test {

inline std::string upper(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

// An SPN a test writes as text; the text must be one (kerberos-rules R1.1).
inline directory::Spn spn(std::string_view text) { return directory::Spn::parse(text).value(); }

// CORP\<sam>, a user account.
inline directory::Account corp_user(const std::string& sam, std::vector<std::string> spns = {}) {
  directory::Account a;
  a.name = "CORP\\" + sam;
  a.domain = "corp.contoso.com";
  a.sam = sam;
  a.spns = std::move(spns);
  return a;
}

// CORP\<NAME>$ with HOST/<name> and HOST/<fqdn> (kerberos-rules R1.5) and the computer's etypes (R2.4).
inline directory::Account corp_computer(const std::string& name, const std::vector<std::string>& extra_spns = {}) {
  directory::Account a = corp_user(upper(name) + "$", {"HOST/" + name, "HOST/" + name + ".corp.contoso.com"});
  a.kind = directory::AccountKind::Computer;
  for (const auto& s : extra_spns) a.spns.push_back(s);
  a.supported_enctypes = kerberos::kAes256Bit | kerberos::kAes128Bit | kerberos::kRc4Bit;
  return a;
}

// A domain member with no role yet.
inline farm::Host corp_member(const std::string& name, const std::string& ip) {
  farm::Host h;
  h.name = name;
  h.domain = "corp.contoso.com";
  h.fqdn = name + ".corp.contoso.com";
  h.ip = ip;
  h.computer_account = "CORP\\" + upper(name) + "$";
  return h;
}

// A workstation where user is logged on with Edge, *.corp.contoso.com in the Local intranet zone.
inline farm::Host corp_client(const std::string& name, const std::string& ip, const std::string& user) {
  farm::Host h = corp_member(name, ip);
  farm::ClientRole client;
  client.user = user;
  client.policy.intranet_sites = {"*.corp.contoso.com"};
  h.client = client;
  return h;
}

// A domain member running IIS: one app pool `pool` running as `identity` ("ApplicationPoolIdentity",
// "CORP\\svc-portal", ...) and one site of the same name on http://*:80 with anonymous access off and
// Windows authentication on (Negotiate, NTLM; kernel mode).
inline farm::Host corp_iis_node(const std::string& name, const std::string& ip,
                                const std::string& identity = "ApplicationPoolIdentity",
                                bool use_app_pool_credentials = false, const std::string& pool = "Portal") {
  farm::Host h = corp_member(name, ip);
  web::IisServer iis;
  iis.app_pools.push_back({pool, web::parse_identity(identity)});
  web::Site site;
  site.name = pool;
  site.bindings = {web::Binding{}};
  site.app_pool = pool;
  site.anonymous_enabled = false;
  site.windows_enabled = true;
  site.use_app_pool_credentials = use_app_pool_credentials;
  iis.sites.push_back(site);
  h.iis = iis;
  return h;
}

}  // namespace kerbsim::test
