// What a client program decides before and during HTTP authentication: whether it logs on silently
// (Windows zones, Chrome/Edge allowlists, Firefox trusted URIs), which offered scheme it picks, and
// which SPN it builds from the URL and DNS (iis-rules 4.1-4.13, kerberos-rules R1.10).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "directory/spn.h"
#include "net/dns.h"
#include "net/url.h"

namespace kerbsim::net {

enum class Browser { Edge, Chrome, Ie, Firefox, SqlClient, DotNet };
std::string browser_name(Browser b);  // "Edge", "Chrome", "Internet Explorer", ...

// A scheme offered in WWW-Authenticate.
enum class AuthScheme { Negotiate, Ntlm, Kerberos, Basic };
std::string scheme_name(AuthScheme s);  // the header token: "Negotiate", "NTLM", "Kerberos", "Basic"

struct BrowserPolicy {
  Browser browser = Browser::Edge;
  std::vector<std::string> intranet_sites;         // Windows zone map entries
  std::vector<std::string> auth_server_allowlist;  // Chrome/Edge AuthServerAllowlist
  std::vector<std::string> delegate_allowlist;     // Chrome/Edge AuthNegotiateDelegateAllowlist
  bool disable_cname_lookup = false;               // DisableAuthNegotiateCnameLookup / FEATURE_USE_CNAME_FOR_SPN
  bool include_port = false;                       // EnableAuthNegotiatePort / FEATURE_INCLUDE_PORT_IN_SPN
  std::vector<std::string> firefox_trusted_uris;   // network.negotiate-auth.trusted-uris
  std::vector<std::string> firefox_delegation_uris;
  bool try_ip_spn = false;  // TryIPSPN (kerberos-rules R1.10)
};

struct Decision {
  std::string why;
  std::string rule;
};

// Silent sign-on or a credential prompt for this URL.
struct LogonDecision : Decision {
  bool automatic = false;
  bool negotiate_allowed = true;  // Firefox refuses SPNEGO outside trusted-uris
  std::string zone;               // "Local intranet", "Internet", or "" when zones do not apply
};
LogonDecision decide_logon(const BrowserPolicy& policy, const Url& url);

// The scheme the client answers with, if it can use any of those offered.
struct SchemeDecision : Decision {
  std::optional<AuthScheme> scheme;
};
SchemeDecision choose_scheme(const BrowserPolicy& policy, const std::vector<AuthScheme>& offered,
                             const LogonDecision& logon);

// The SPN the client asks the KDC for, or why it does not try Kerberos at all.
struct SpnDecision : Decision {
  std::optional<directory::Spn> spn;
};
SpnDecision build_http_spn(const BrowserPolicy& policy, const Url& url, const DnsAnswer& dns);

// Does the client ask SSPI to delegate (ISC_REQ_DELEGATE) to this URL? Windows then forwards the
// TGT only if the ticket is ok_as_delegate and the TGT forwardable (kerberos-rules R3.1.2).
struct DelegationDecision : Decision {
  bool delegate = false;
};
DelegationDecision decide_delegation(const BrowserPolicy& policy, const Url& url, const LogonDecision& logon);

// Does the host match a zone/allowlist pattern ("*.corp.contoso.com", "reports", "http://x")?
bool host_matches(const std::string& host, const std::string& pattern);

}  // namespace kerbsim::net
