#include "net/browser.h"

#include <algorithm>

#include "directory/names.h"

namespace kerbsim::net {
namespace {

using directory::iends_with;
using directory::iequals;

bool any_match(const std::string& host, const std::vector<std::string>& patterns) {
  return std::any_of(patterns.begin(), patterns.end(), [&](const std::string& p) { return host_matches(host, p); });
}

// Firefox prefs match a host when the entry is the host or a domain suffix of it.
bool firefox_match(const std::string& host, const std::vector<std::string>& uris) {
  for (std::string u : uris) {
    if (const auto s = u.find("://"); s != std::string::npos) u = u.substr(s + 3);
    while (!u.empty() && (u.front() == '.' || u.front() == '*')) u.erase(u.begin());
    if (u.empty()) continue;
    if (iequals(host, u) || iends_with(host, "." + u)) return true;
  }
  return false;
}

bool is_chromium(Browser b) { return b == Browser::Edge || b == Browser::Chrome; }

}  // namespace

std::string browser_name(Browser b) {
  switch (b) {
    case Browser::Edge:
      return "Edge";
    case Browser::Chrome:
      return "Chrome";
    case Browser::Ie:
      return "Internet Explorer";
    case Browser::Firefox:
      return "Firefox";
    case Browser::SqlClient:
      return "SqlClient";
    case Browser::DotNet:
      return ".NET HttpClient";
  }
  return "client";
}

std::string scheme_name(AuthScheme s) {
  switch (s) {
    case AuthScheme::Negotiate:
      return "Negotiate";
    case AuthScheme::Ntlm:
      return "NTLM";
    case AuthScheme::Kerberos:
      return "Kerberos";
    case AuthScheme::Basic:
      return "Basic";
  }
  return "";
}

bool host_matches(const std::string& host, const std::string& raw) {
  std::string p = raw;
  if (const auto s = p.find("://"); s != std::string::npos) p = p.substr(s + 3);
  if (const auto slash = p.find('/'); slash != std::string::npos) p.resize(slash);
  if (p.empty()) return false;
  if (p == "*") return true;
  if (p.front() == '*') {
    std::string suffix = p.substr(1);
    if (!suffix.empty() && suffix.front() == '.') return iends_with(host, suffix);
    return iends_with(host, suffix);
  }
  return iequals(host, p);
}

LogonDecision decide_logon(const BrowserPolicy& policy, const Url& url) {
  LogonDecision d;
  const std::string& host = url.host;
  switch (policy.browser) {
    case Browser::Firefox:
      d.negotiate_allowed = firefox_match(host, policy.firefox_trusted_uris);
      d.automatic = d.negotiate_allowed;
      d.why =
          d.negotiate_allowed
              ? host + " matches network.negotiate-auth.trusted-uris, so Firefox answers SPNEGO silently"
              : "Firefox ignores the Windows zones and answers SPNEGO only for network.negotiate-auth.trusted-uris, "
                "which does not list " +
                    host +
                    " (default: empty); NTLM prompts too unless "
                    "network.automatic-ntlm-auth.trusted-uris lists it (default: empty)";
      d.rule = "iis-rules 4.11";
      return d;
    case Browser::DotNet:
    case Browser::SqlClient:
      d.automatic = true;
      d.why = browser_name(policy.browser) +
              " with default credentials signs on as the process's user without a "
              "zone check (WinHTTP AutoLogonPolicy OnlyIfBypassProxy; no proxy assumed)";
      d.rule = "iis-rules 4.13";
      return d;
    case Browser::Edge:
    case Browser::Chrome:
      if (!policy.auth_server_allowlist.empty()) {
        d.automatic = any_match(host, policy.auth_server_allowlist);
        d.why = d.automatic ? host + " matches AuthServerAllowlist, which overrides the Windows zones"
                            : "AuthServerAllowlist is set and does not match " + host +
                                  ", so the browser prompts for credentials";
        d.rule = "iis-rules 4.9";
        return d;
      }
      [[fallthrough]];
    case Browser::Ie: {
      const bool listed = any_match(host, policy.intranet_sites);
      if (url.host_is_dotless() && !url.host_is_ip()) {
        d.zone = "Local intranet";
        d.why = host + " is a dotless name, which the Windows zone manager puts in the Local intranet zone";
      } else if (listed) {
        d.zone = "Local intranet";
        d.why = host + " matches the Local intranet site list";
      } else {
        d.zone = "Internet";
        d.why = host + (url.host_is_ip() ? " is an IP address" : " contains dots") +
                " and is not in the Local intranet site list, so it falls in the Internet zone";
      }
      d.automatic = d.zone == "Local intranet";
      d.why += d.automatic ? "; automatic logon with the current user (URLACTION 1A00 = intranet only)"
                           : "; the Internet zone always prompts for credentials";
      d.rule = is_chromium(policy.browser) ? "iis-rules 4.9" : "iis-rules 4.6";
      return d;
    }
  }
  return d;
}

DelegationDecision decide_delegation(const BrowserPolicy& policy, const Url& url, const LogonDecision& logon) {
  DelegationDecision d;
  switch (policy.browser) {
    case Browser::Ie:
      d.delegate = logon.zone == "Local intranet";
      d.why = d.delegate ? "Internet Explorer asks to delegate in the Local intranet and Trusted sites zones"
                         : "Internet Explorer never delegates outside the Local intranet and Trusted sites zones";
      d.rule = "iis-rules 4.7";
      return d;
    case Browser::Edge:
    case Browser::Chrome:
      d.delegate = any_match(url.host, policy.delegate_allowlist);
      d.why = d.delegate
                  ? url.host + " matches AuthNegotiateDelegateAllowlist"
                  : browser_name(policy.browser) + " delegates only to hosts in AuthNegotiateDelegateAllowlist" +
                        (policy.delegate_allowlist.empty() ? " (not set)" : "") + ", whatever ok_as_delegate says";
      d.rule = "iis-rules 4.10";
      return d;
    case Browser::Firefox:
      d.delegate = firefox_match(url.host, policy.firefox_delegation_uris);
      d.why = d.delegate ? url.host + " matches network.negotiate-auth.delegation-uris"
                         : "Firefox delegates only to network.negotiate-auth.delegation-uris (default: empty)";
      d.rule = "iis-rules 4.11";
      return d;
    case Browser::DotNet:
    case Browser::SqlClient:
      d.why = browser_name(policy.browser) + " does not ask to delegate by default";
      d.rule = "iis-rules 4.13";
      return d;
  }
  return d;
}

SchemeDecision choose_scheme(const BrowserPolicy& policy, const std::vector<AuthScheme>& offered,
                             const LogonDecision& logon) {
  SchemeDecision d;
  const auto has = [&](AuthScheme s) { return std::find(offered.begin(), offered.end(), s) != offered.end(); };
  std::string list;
  for (auto s : offered) list += (list.empty() ? "" : ", ") + scheme_name(s);
  if (offered.empty()) {
    d.why = "the server offers no authentication scheme the client could answer";
    d.rule = "iis-rules 3.11";
    return d;
  }
  switch (policy.browser) {
    case Browser::Edge:
    case Browser::Chrome:
    case Browser::DotNet:
      // Highest score wins: Negotiate > NTLM > Digest > Basic; no bare "Kerberos" scheme.
      for (auto s : {AuthScheme::Negotiate, AuthScheme::Ntlm, AuthScheme::Basic})
        if (has(s)) {
          d.scheme = s;
          break;
        }
      d.why = "offered " + list + "; " + browser_name(policy.browser) +
              " picks the strongest scheme it supports (Negotiate > NTLM > Digest > Basic), whatever the order";
      d.rule = "iis-rules 4.2";
      break;
    case Browser::Ie:
      for (auto s : offered)
        if (s == AuthScheme::Negotiate || s == AuthScheme::Ntlm) {
          d.scheme = s;
          break;
        }
      if (!d.scheme && has(AuthScheme::Basic)) d.scheme = AuthScheme::Basic;
      d.why = "offered " + list + "; Internet Explorer takes the first non-Basic scheme it knows, in header order";
      d.rule = "iis-rules 4.2";
      break;
    case Browser::Firefox:
      if (has(AuthScheme::Negotiate) && logon.negotiate_allowed)
        d.scheme = AuthScheme::Negotiate;
      else if (has(AuthScheme::Ntlm))
        d.scheme = AuthScheme::Ntlm;
      else if (has(AuthScheme::Basic))
        d.scheme = AuthScheme::Basic;
      d.why = "offered " + list + "; Firefox answers Negotiate only for trusted URIs, otherwise NTLM or Basic";
      d.rule = "iis-rules 4.11";
      break;
    case Browser::SqlClient:
      d.why = "SqlClient does not speak HTTP authentication";
      d.rule = "iis-rules 4.13";
      return d;
  }
  if (!d.scheme)
    d.why = "offered " + list + "; " + browser_name(policy.browser) +
            " supports none of them (browsers never send a bare Kerberos header)";
  return d;
}

SpnDecision build_http_spn(const BrowserPolicy& policy, const Url& url, const DnsAnswer& dns) {
  SpnDecision d;
  if (url.host_is_ip()) {
    if (!policy.try_ip_spn) {
      d.why = "the URL names an IP address; Windows does not try Kerberos for IP targets unless TryIPSPN is set";
      d.rule = "kerberos-rules R1.10";
      return d;
    }
    d.spn = directory::Spn{.service_class = "HTTP", .host = url.host};
    d.why = "the URL names an IP address and TryIPSPN=1, so the client asks for an IP SPN";
    d.rule = "kerberos-rules R1.10";
    return d;
  }
  std::string host = url.host;
  std::string how;
  std::string rule = "iis-rules 4.4";
  switch (policy.browser) {
    case Browser::Edge:
    case Browser::Chrome:
      rule = "iis-rules 4.8";
      if (policy.disable_cname_lookup) {
        how = "DisableAuthNegotiateCnameLookup is set, so the host is used as typed";
      } else if (dns.found) {
        host = dns.canonical;
        if (!dns.cnames.empty())
          how = url.host + " is a CNAME; Chromium builds the SPN from the canonical name " + host;
        else if (directory::iequals(host, url.host))
          how = url.host + " has its own A record, so it is its own canonical name";
        else
          how = "Chromium builds the SPN from the canonical DNS name " + host + " of " + url.host;
      }
      break;
    case Browser::Ie:
    case Browser::Firefox:
      rule = policy.browser == Browser::Ie ? "iis-rules 4.4" : "iis-rules 4.12";
      if (policy.browser == Browser::Ie && policy.disable_cname_lookup) {
        how = "FEATURE_USE_CNAME_FOR_SPN_KB911149 is set, so the alias is used as typed";
      } else if (dns.found && !dns.cnames.empty()) {
        host = dns.canonical;
        how = url.host + " is a CNAME; " + browser_name(policy.browser) + " builds the SPN from the A-record name " +
              host;
      } else {
        how = url.host + " is not an alias, so the host is used as typed";
      }
      break;
    case Browser::DotNet:
    case Browser::SqlClient:
      rule = "iis-rules 4.13";
      how = ".NET builds the SPN from the URL host as typed (CNAME handling per .NET version is UNCONFIRMED)";
      break;
  }
  directory::Spn spn{.service_class = "HTTP", .host = std::move(host)};
  std::string port_note = "; the port is not part of the SPN";
  if (!url.default_port()) {
    const bool chromium = is_chromium(policy.browser);
    if (policy.include_port && (chromium || policy.browser == Browser::Ie)) {
      spn.port = std::to_string(url.port);
      port_note = chromium ? "; EnableAuthNegotiatePort adds the non-standard port " + std::to_string(url.port)
                           : "; FEATURE_INCLUDE_PORT_IN_SPN_KB908209 adds the port " + std::to_string(url.port);
    } else {
      port_note = "; the non-standard port " + std::to_string(url.port) +
                  " is left out of the SPN (the port policy is off by default)";
    }
  }
  d.spn = std::move(spn);
  d.why = how + port_note + "; the service class is HTTP for https too";
  d.rule = rule;
  return d;
}

}  // namespace kerbsim::net
