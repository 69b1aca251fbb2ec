#include "analysis/no_fix.h"

#include "directory/names.h"
#include "farm/resolver.h"
#include "net/url.h"

namespace kerbsim::analysis {
namespace {

using directory::iequals;

// The node the path went through: its balancer member, or the one host at the URL's address.
const farm::Host* front_host(const farm::Environment& env, const FlowOutcome& flow, const PathOutcome& path) {
  if (path.via) return env.host(*path.via);
  const farm::Host* client = env.host(flow.client);
  const farm::UrlTarget t = farm::resolve_url(env, flow.url, client ? client->domain : "");
  return t.nodes.size() == 1 ? t.nodes.front() : nullptr;
}

}  // namespace

std::string why_no_fix(const farm::Environment& env, const FlowOutcome& flow, const PathOutcome& path) {
  if (path.verdict == Verdict::Ok) return "";
  const auto& dir = env.directory;
  const auto id = dir.find_account(flow.user);
  const directory::Account* user = id ? &dir.account(*id) : nullptr;
  const HopOutcome* hop = first_failed_hop(path.hops);
  const std::optional<Error> cause = root_cause(path);
  const farm::Host* host = front_host(env, flow, path);
  const auto url = net::parse_url(flow.url);

  // Design limits: the account is protected from delegation on purpose.
  if (user && dir.protected_user_enforced(*user))
    return user->name +
           " is a member of Protected Users: its DCs never let its credentials be delegated, nor used with NTLM "
           "(kerberos-rules R3.5.1). Remove the account from the group if it must reach the back end as itself, "
           "or accept that this path fails for it.";
  if (user && user->sensitive && hop)
    return user->name +
           " is marked \"Account is sensitive and cannot be delegated\" (NOT_DELEGATED, kerberos-rules R3.0, "
           "R3.5.1): no delegation setting of a service can pass it on. Clear the flag if the account must reach "
           "the back end as itself, or accept that this path fails for it.";

  // Causes outside what a change of the farm edits.
  if (cause && *cause == Error::kerberos(37))  // KRB_AP_ERR_SKEW
    return "The clocks differ by more than the maximum skew of 5 minutes (kerberos-rules R2.8), which no account, "
           "SPN or server setting changes: make the machine synchronize with the domain's time hierarchy "
           "(w32tm /resync), and Kerberos works again.";
  if (cause && cause->kind == ErrorKind::Http400HeaderTooLong)
    return "The user's Kerberos token, with its groups, makes the Authorization header longer than http.sys "
           "accepts (kerberos-rules R6.5): raise MaxFieldLength and MaxRequestBytes under "
           "HKLM\\SYSTEM\\CurrentControlSet\\Services\\HTTP\\Parameters on the server and restart it, or remove the "
           "user from groups it does not need; kerbsim changes neither.";
  if (cause && cause->kind == ErrorKind::Http401_3)
    return "The content's NTFS permissions deny the identity IIS reads it as (iis-rules 3.11): grant that identity "
           "read access to the site's files; file permissions are outside what kerbsim changes.";
  if (host && !host->domain_joined())
    return host->name +
           " is in a workgroup: it has no computer account, so no domain account can hold an SPN it decrypts and "
           "its calls leave without a domain identity (iis-rules 2.5). Join it to the domain.";
  if (hop && hop->identity && host && path.front.process_identity &&
      iequals(*path.front.process_identity, "NT AUTHORITY\\LOCAL SERVICE"))
    return "LocalService presents no credentials off the machine, so the back end sees " + *hop->identity +
           " (iis-rules 2.6): this pool shows what LocalService does; run a pool that calls other servers as "
           "ApplicationPoolIdentity, NetworkService or a domain account.";
  if (hop && hop->error && hop->error->kind == ErrorKind::SqlUntrustedDomain)
    return "The call leaves as the local account " + hop->identity.value_or("") +
           ", which a server in the domain cannot authenticate (iis-rules 2.7): run the application in a pool "
           "whose identity is a domain account, or NetworkService on a domain member.";
  if (url && url->host_is_ip())
    return "The URL names an IP address, for which Windows builds no SPN and never tries Kerberos "
           "(kerberos-rules R1.10): use the server's DNS name.";
  if (!cause && path.verdict == Verdict::Degraded) {
    if (flow.browser.find("Firefox") != std::string::npos || flow.browser.find("firefox") != std::string::npos)
      return "Firefox answers Negotiate only for sites in network.negotiate-auth.trusted-uris, empty by default "
             "(iis-rules 4.11): a browser setting to push by policy, not a change of the farm.";
    return "The browser does not log on automatically in the zone it puts this URL in (iis-rules 4.5, 4.6): "
           "add the site to the Local Intranet zone by policy (Site to Zone Assignment List), a client setting "
           "rather than a change of the farm.";
  }
  return "";
}

}  // namespace kerbsim::analysis
