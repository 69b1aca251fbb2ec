#include "analysis/lint.h"

#include <set>

#include "directory/names.h"
#include "farm/resolver.h"
#include "farm/service.h"
#include "net/url.h"

namespace kerbsim::analysis {
namespace {

using directory::iequals;

// Whose key the front end on this node decrypts with for this URL; nullopt when no server there
// authenticates with Windows.
std::optional<base::KeyDecision> node_key(const farm::Host& node, const net::Url& url) {
  const auto service = farm::serve_web(node, url);
  if (!service || (service->site && !service->site->windows_enabled)) return std::nullopt;
  return service->key;
}

}  // namespace

LintReport lint(const farm::Environment& env) {
  LintReport report;
  report.scenario = env.name;
  auto& out = report.findings;

  for (const auto& [spn, holders] : env.directory.duplicate_spns()) {
    std::string names;
    for (const auto id : holders) names += (names.empty() ? "" : ", ") + env.directory.account(id).name;
    out.push_back({Severity::Error, "duplicate-spn", spn,
                   spn + " is registered on " + names +
                       ". The KDC refuses tickets for it (event 11) and clients "
                       "fall back to NTLM. Keep it on the one account that runs the service.",
                   "kerberos-rules R1.7", "setspn -X -F"});
  }

  std::set<std::string> reported;
  for (const auto& f : env.flows) {
    const farm::Host* client = env.host(f.client);
    if (!client || !client->client) continue;
    const farm::UrlTarget target = farm::resolve_url(env, f.url, client->domain);
    const auto& url = target.url;
    if (!url || url->scheme == "mssql") continue;
    const net::SpnDecision decision = net::build_http_spn(client->client->policy, *url, target.dns);
    if (!decision.spn || !reported.insert(decision.spn->key()).second) continue;
    const auto* user_dom = env.directory.domain_of(client->client->user);
    if (!user_dom) continue;
    const auto found = env.directory.lookup_spn(*decision.spn, user_dom->forest);
    const std::string spn = decision.spn->to_string();
    const auto& nodes = target.nodes;

    std::set<std::string> keys;
    for (const auto* n : nodes)
      if (auto k = node_key(*n, *url); k && !k->account.empty()) keys.insert(k->account);

    if (found.status == directory::SpnLookup::Status::NotFound) {
      std::string command;
      if (keys.size() == 1) command = "setspn -S " + spn + " " + *keys.begin();
      out.push_back({Severity::Warning, "missing-spn", spn,
                     "flow \"" + f.name + "\": " + client->name + " will ask for " + spn +
                         ", which no account holds, so Kerberos falls back to NTLM (no delegation possible)." +
                         (keys.size() > 1 ? " The nodes behind it decrypt with different keys; one shared account "
                                            "is needed first."
                                          : ""),
                     "kerberos-rules R1.6", command});
      continue;
    }
    if (found.status != directory::SpnLookup::Status::Found) continue;
    const std::string owner = env.directory.account(found.owners.front()).name;
    for (const auto* n : nodes) {
      const auto k = node_key(*n, *url);
      if (!k || iequals(k->account, owner)) continue;
      out.push_back({Severity::Error, "spn-key-mismatch", spn,
                     "flow \"" + f.name + "\": tickets for " + spn + " are encrypted for " + owner + ", but " +
                         n->name + " decrypts with " + (k->account.empty() ? "no domain key" : k->account) + " (" +
                         k->why + "), so requests reaching " + n->name + " fail with KRB_AP_ERR_MODIFIED.",
                     k->rule, "setspn -Q " + spn});
    }
  }

  for (const auto& a : env.directory.accounts()) {
    if (a.trusted_for_delegation && !a.domain_controller)  // a DC is trusted for delegation by design
      out.push_back({Severity::Warning, "unconstrained-delegation", a.name,
                     a.name + " is trusted for unconstrained delegation: any user's forwarded TGT lands on it. "
                              "Prefer constrained or resource-based delegation.",
                     "kerberos-rules R3.1.2", ""});
  }
  for (const auto& h : env.hosts) {
    if (!h.iis) continue;
    for (const auto& p : h.iis->app_pools)
      if (p.identity.type == web::IdentityType::LocalSystem)
        out.push_back({Severity::Warning, "localsystem-app-pool", h.name + "/" + p.name,
                       "app pool " + p.name + " on " + h.name +
                           " runs as LocalSystem, the highest local privilege "
                           "(a serious security risk); use ApplicationPoolIdentity or a domain account.",
                       "iis-rules 2.1", ""});
    for (const auto& s : h.iis->sites)
      if (s.anonymous_enabled && s.windows_enabled)
        out.push_back({Severity::Info, "anonymous-and-windows", h.name + "/" + s.name,
                       "site " + s.name + " on " + h.name +
                           " enables anonymous and Windows authentication: while the "
                           "anonymous identity may read the content, no Windows identity is ever requested.",
                       "iis-rules 3.10", ""});
  }
  return report;
}

}  // namespace kerbsim::analysis
