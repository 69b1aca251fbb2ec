#include "analysis/fixes.h"

#include <algorithm>
#include <functional>
#include <optional>

#include "directory/names.h"
#include "farm/resolver.h"
#include "farm/service.h"
#include "net/url.h"

namespace kerbsim::analysis {
namespace {

using directory::iequals;
using kerberos::KrbError;

// A candidate fix: what to tell the admin, and the changes it makes to the environment.
struct Candidate {
  std::string change;
  std::string command;
  std::vector<farm::Change> changes;
};

Error krb(KrbError e) { return Error::kerberos(static_cast<int>(e)); }

farm::Change change(farm::Action action) {
  farm::Change c;
  c.action = action;
  return c;
}

// An SPN the trace's outcome names (its front-end SPN, a hop's service): the tracer wrote it from a
// typed SPN, so the text always parses.
directory::Spn traced_spn(const std::string& text) { return directory::Spn::parse(text).value(); }

farm::Change spn_change(farm::Action action, const std::string& account, const std::string& spn) {
  farm::Change c = change(action);
  c.account = account;
  c.spn = traced_spn(spn);
  return c;
}

// The account's msDS-AllowedToDelegateTo or msDS-AllowedToActOnBehalfOfOtherIdentity with one more entry.
std::vector<std::string> with(std::vector<std::string> list, const std::string& entry) {
  list.push_back(entry);
  return list;
}

int rank(Verdict v) { return v == Verdict::Ok ? 2 : v == Verdict::Degraded ? 1 : 0; }

// The AD PowerShell cmdlet that edits an account of this kind (R3.0; gMSAs have no Delegation tab).
std::string cmdlet(const farm::Environment& env, const std::string& account) {
  const auto id = env.directory.find_account(account);
  const auto& sam = directory::split_account(account).sam;
  if (!id) return "Set-ADUser -Identity " + sam;
  switch (env.directory.account(*id).kind) {
    case directory::AccountKind::Computer:
      return "Set-ADComputer -Identity " + sam.substr(0, sam.size() - 1);
    case directory::AccountKind::Gmsa:
      return "Set-ADServiceAccount -Identity " + sam;
    case directory::AccountKind::User:
      break;
  }
  return "Set-ADUser -Identity " + sam;
}

struct FixFinder {
  const farm::Environment& env;
  const farm::FlowSpec& flow;
  const PathOutcome& path;

  // ---- the changes each candidate makes ----

  static std::vector<farm::Change> move_changes(const std::string& spn, const std::string& from,
                                                const std::string& to) {
    std::vector<farm::Change> out;
    if (!from.empty()) out.push_back(spn_change(farm::Action::RemoveSpn, from, spn));
    out.push_back(spn_change(farm::Action::AddSpn, to, spn));
    return out;
  }

  // One gMSA for every node: created holding the SPN (taken from its old owner) and the delegation
  // to the back ends; every pool and the report server run as it, with useAppPoolCredentials on.
  std::vector<farm::Change> gmsa_changes(const std::string& gmsa, const std::string& domain, const std::string& spn,
                                         const std::string& old_owner, const std::vector<std::string>& delegate_to,
                                         const std::vector<std::string>& nodes) const {
    std::vector<farm::Change> out;
    if (!old_owner.empty()) out.push_back(spn_change(farm::Action::RemoveSpn, old_owner, spn));
    farm::Change create = change(farm::Action::CreateAccount);
    directory::Account a;
    a.name = gmsa;
    a.domain = domain;
    a.sam = directory::split_account(gmsa).sam;
    a.kind = directory::AccountKind::Gmsa;
    a.spns = {spn};
    a.allowed_to_delegate_to = delegate_to;
    a.supported_enctypes = directory::kComputerEnctypes;
    create.account = gmsa;
    create.new_account = a;
    out.push_back(create);
    const web::ProcessIdentity identity{web::IdentityType::DomainAccount, gmsa};
    for (const auto& name : nodes) {
      const farm::Host* h = env.host(name);
      if (!h) continue;
      if (h->ssrs) {
        farm::Change c = change(farm::Action::SetSsrsServiceAccount);
        c.host = h->name;
        c.identity = identity;
        out.push_back(c);
        if (h->ssrs->authentication_types_defaulted) {
          farm::Change t = change(farm::Action::SetSsrsAuthenticationTypes);
          t.host = h->name;
          t.authentication_types = {backend::SsrsAuthType::RSWindowsNegotiate, backend::SsrsAuthType::RSWindowsNTLM};
          out.push_back(t);
        }
      }
      if (h->iis) {
        for (const auto& pool : h->iis->app_pools) {
          farm::Change c = change(farm::Action::ChangeAppPoolIdentity);
          c.host = h->name;
          c.app_pool = pool.name;
          c.identity = identity;
          out.push_back(c);
        }
        for (const auto& site : h->iis->sites) {
          farm::Change c = change(farm::Action::SetUseAppPoolCredentials);
          c.host = h->name;
          c.site = site.name;
          c.value = true;
          out.push_back(c);
        }
      }
    }
    return out;
  }

  std::vector<farm::Change> ssrs_changes(const std::string& host, const std::string& spn,
                                         const std::string& key) const {
    farm::Change types = change(farm::Action::SetSsrsAuthenticationTypes);
    types.host = host;
    types.authentication_types = {backend::SsrsAuthType::RSWindowsNegotiate, backend::SsrsAuthType::RSWindowsNTLM};
    std::vector<farm::Change> out = {types};
    if (!spn.empty()) out.push_back(spn_change(farm::Action::AddSpn, key, spn));
    return out;
  }

  static std::vector<farm::Change> use_app_pool_credentials(const std::vector<std::string>& hosts,
                                                            const std::string& site) {
    std::vector<farm::Change> out;
    for (const auto& h : hosts) {
      farm::Change c = change(farm::Action::SetUseAppPoolCredentials);
      c.host = h;
      c.site = site;
      c.value = true;
      out.push_back(c);
    }
    return out;
  }

  farm::Change constrained_delegation(const std::string& service1, const std::string& spn,
                                      bool protocol_transition) const {
    farm::Change c = change(farm::Action::SetDelegation);
    c.account = service1;
    const auto id = env.directory.find_account(service1);
    c.allowed_to_delegate_to =
        with(id ? env.directory.account(*id).allowed_to_delegate_to : std::vector<std::string>{}, spn);
    if (protocol_transition) c.trusted_to_auth_for_delegation = true;
    return c;
  }

  farm::Change resource_based_delegation(const std::string& owner, const std::string& service1) const {
    farm::Change c = change(farm::Action::SetDelegation);
    c.account = owner;
    const auto id = env.directory.find_account(owner);
    c.allowed_to_act = with(id ? env.directory.account(*id).allowed_to_act : std::vector<std::string>{}, service1);
    return c;
  }

  // ---- where the request went ----

  farm::UrlTarget target() const {
    const farm::Host* client = env.host(flow.client);
    return farm::resolve_url(env, flow.url, client ? client->domain : "");
  }

  // The node this path went through: its balancer member, or the one host at the URL's address.
  const farm::Host* node() const {
    if (path.via) return env.host(*path.via);
    const farm::UrlTarget t = target();
    return t.balancer || t.nodes.empty() ? nullptr : t.nodes.front();
  }

  // What answers the path's request on its node: the key account and the account its calls leave as.
  std::optional<farm::Service> front() const {
    const farm::Host* n = node();
    const auto url = net::parse_url(flow.url);
    if (!n || !url) return std::nullopt;
    return farm::serve(*n, *url);
  }

  std::string owner_of(const std::string& spn) const {
    const farm::Host* n = node();
    const auto* d = n ? env.directory.domain_by_dns(n->domain) : nullptr;
    const auto parsed = directory::Spn::parse(spn);
    if (!d || !parsed) return "";
    const auto found = env.directory.lookup_spn(*parsed, d->forest);
    if (found.status != directory::SpnLookup::Status::Found) return "";
    return env.directory.account(found.owners.front()).name;
  }

  // Every node that serves this flow: the balancer's members, or the one host.
  std::vector<std::string> farm_nodes() const {
    const farm::UrlTarget t = target();
    if (t.balancer) return t.balancer->members;
    const farm::Host* n = node();
    return n ? std::vector<std::string>{n->name} : std::vector<std::string>{};
  }

  // The farm pattern (iis-rules 5.3, 7.8, R7.4): one gMSA as the identity of every node, holding the
  // SPN, with useAppPoolCredentials on IIS, and the delegation the nodes' calls need.
  void shared_gmsa(std::vector<Candidate>& out) const {
    const std::vector<std::string> nodes = farm_nodes();
    const std::string spn = path.spn.value_or("");
    const farm::Host* n = node();
    if (nodes.size() < 2 || spn.empty() || !n || n->domain.empty()) return;
    const auto* dom = env.directory.domain_by_dns(n->domain);
    const auto parsed = directory::Spn::parse(spn);
    if (!dom || !parsed) return;
    std::string label = parsed->host.substr(0, parsed->host.find('.'));
    const std::string sam = "gmsa-" + label.substr(0, 9) + "$";
    const std::string gmsa = dom->netbios + "\\" + sam;
    if (env.directory.find_account(gmsa)) return;
    const std::string old_owner = held_explicitly(spn) ? owner_of(spn) : "";
    // The SQL Server SPNs the front end's calls reach as the caller, whichever node traced them.
    std::vector<std::string> delegate_to;
    const std::vector<base::Call>* calls = nullptr;
    if (n->ssrs)
      calls = &n->ssrs->calls;
    else if (const auto f = front(); f && f->site && f->site->impersonate)
      calls = &f->site->calls;
    if (calls)
      for (const auto& call : *calls) {
        const farm::Host* target = call.as == "caller" ? env.host(call.to) : nullptr;
        const auto* inst = target && target->sql
                               ? target->sql->instance(call.instance.empty() ? "MSSQLSERVER" : call.instance)
                               : nullptr;
        if (inst) delegate_to.push_back(inst->tcp_spn(target->fqdn).to_string());
      }
    std::string computers;
    for (const auto& name : nodes) computers += (computers.empty() ? "" : ",") + directory::to_upper(name) + "$";
    std::string command = "New-ADServiceAccount -Name " + sam.substr(0, sam.size() - 1) + " -DNSHostName " +
                          sam.substr(0, sam.size() - 1) + "." + dom->dns +
                          " -PrincipalsAllowedToRetrieveManagedPassword " + computers + " -ServicePrincipalNames " +
                          spn;
    if (!delegate_to.empty()) {
      command += " -OtherAttributes @{'msDS-AllowedToDelegateTo'=";
      for (std::size_t i = 0; i < delegate_to.size(); ++i)
        command += (i ? "," : "") + std::string("'") + delegate_to[i] + "'";
      command += "}";
    }
    if (!old_owner.empty()) command += "; setspn -D " + spn + " " + old_owner;
    bool any_ssrs = false, any_iis = false;
    for (const auto& name : nodes)
      if (const auto* h = env.host(name)) {
        any_ssrs |= h->ssrs.has_value();
        any_iis |= h->iis.has_value();
      }
    if (any_ssrs)
      command +=
          "; on each node: (Get-CimInstance -Namespace root\\Microsoft\\SqlServer\\ReportServer\\RS_SSRS\\v15\\Admin "
          "-ClassName MSReportServer_ConfigurationSetting | Invoke-CimMethod -MethodName "
          "SetWindowsServiceIdentity -Arguments @{UseBuiltInAccount=$false; Account='" +
          gmsa + "'; Password=''})";
    if (any_iis)
      command +=
          "; on each node: appcmd set apppool \"<pool>\" /processModel.identityType:SpecificUser "
          "/processModel.userName:\"" +
          gmsa + "\" and useAppPoolCredentials=true";
    out.push_back({"run every node behind the name as one gMSA, " + gmsa + ", holding " + spn +
                       (delegate_to.empty() ? "" : " and trusted for constrained delegation to its back ends"),
                   command, gmsa_changes(gmsa, dom->dns, spn, old_owner, delegate_to, nodes)});
  }

  bool held_explicitly(const std::string& spn) const {
    const farm::Host* n = node();
    const auto* d = n ? env.directory.domain_by_dns(n->domain) : nullptr;
    const auto parsed = directory::Spn::parse(spn);
    if (!d || !parsed) return false;
    const auto found = env.directory.lookup_spn(*parsed, d->forest);
    return found.status == directory::SpnLookup::Status::Found && !found.via_host_mapping;
  }

  void move_spn(std::vector<Candidate>& out, const std::string& spn, const std::string& from,
                const std::string& to) const {
    if (to.empty() || iequals(from, to)) return;
    out.push_back({(from.empty() ? "register " + spn + " on " : "move " + spn + " from " + from + " to ") + to +
                       ", the account that decrypts it",
                   (from.empty() ? "" : "setspn -D " + spn + " " + from + "; ") + "setspn -S " + spn + " " + to,
                   move_changes(spn, from, to)});
  }

  // SSRS offering only NTLM: add RSWindowsNegotiate to rsreportserver.config, with the SPN the
  // browser will ask for on the service account (iis-rules 7.2, 7.3, 7.5).
  void ssrs_negotiate(std::vector<Candidate>& out) const {
    const farm::Host* n = node();
    const auto url = net::parse_url(flow.url);
    const farm::Host* client = env.host(flow.client);
    if (!n || !n->ssrs || !url || !client || !client->client || path.front.protocol != Protocol::Ntlm) return;
    if (n->iis && !backend::SsrsServer::serves_path(url->path)) return;
    for (const auto t : n->ssrs->authentication_types)
      if (t == backend::SsrsAuthType::RSWindowsNegotiate || t == backend::SsrsAuthType::Custom) return;
    const auto dns = url->host_is_ip() ? net::DnsAnswer{} : env.dns.resolve(url->host, client->domain);
    const auto built = net::build_http_spn(client->client->policy, *url, dns);
    const std::string key = n->ssrs->decryption_key(n->info()).account;
    std::string command = "on " + n->name +
                          ", in rsreportserver.config: <AuthenticationTypes><RSWindowsNegotiate/>"
                          "<RSWindowsNTLM/></AuthenticationTypes>, then restart the Report Server service";
    std::string spn;
    if (built.spn && !key.empty()) {
      const auto* d = env.directory.domain_by_dns(n->domain);
      const auto found = d ? env.directory.lookup_spn(*built.spn, d->forest) : directory::SpnLookup{};
      const bool owned = found.status == directory::SpnLookup::Status::Found &&
                         iequals(env.directory.account(found.owners.front()).name, key);
      if (!owned && (found.status == directory::SpnLookup::Status::NotFound || found.via_host_mapping))
        spn = built.spn->to_string();
      if (!spn.empty()) command = "setspn -S " + spn + " " + key + "; " + command;
    }
    const std::string host = n->name;
    out.push_back({"offer Negotiate on " + host + "'s report server" +
                       (spn.empty() ? "" : " and register " + spn + " on its service account " + key),
                   command, ssrs_changes(host, spn, key)});
  }

  std::vector<Candidate> front_candidates() const {
    std::vector<Candidate> out;
    ssrs_negotiate(out);
    const auto f = front();
    if (!f || !path.front.error) return out;
    const Error& error = *path.front.error;
    const std::string spn = path.spn.value_or("");
    if (error == krb(KrbError::KRB_AP_ERR_MODIFIED) && path.front.ticket) {
      const std::string ticket_owner = path.front.ticket->encrypted_for;
      if (f->site && f->site->kernel_mode && !f->site->use_app_pool_credentials) {
        const std::string site = f->site->name;
        const std::vector<std::string> hosts = farm_nodes();
        std::string on;
        for (const auto& h : hosts) on += (on.empty() ? "" : " and ") + h;
        out.push_back({"set useAppPoolCredentials=true on site \"" + site + "\" of " + on +
                           ", so that kernel-mode authentication decrypts with the app pool identity's key",
                       "appcmd set config \"" + site +
                           "\" -section:system.webServer/security/authentication/windowsAuthentication "
                           "/useAppPoolCredentials:\"True\" /commit:apphost   (on " +
                           on + ")",
                       use_app_pool_credentials(hosts, site)});
      }
      // An SPN held explicitly moves; one reached through the HOST mapping is added where it belongs.
      if (!spn.empty()) move_spn(out, spn, held_explicitly(spn) ? ticket_owner : "", f->key.account);
    }
    if (error == krb(KrbError::KRB_AP_ERR_MODIFIED) || error == krb(KrbError::KDC_ERR_S_PRINCIPAL_UNKNOWN))
      shared_gmsa(out);
    if ((error == krb(KrbError::KDC_ERR_S_PRINCIPAL_UNKNOWN) || error == krb(KrbError::KDC_ERR_PRINCIPAL_NOT_UNIQUE)) &&
        !spn.empty()) {
      // Missing: register it on the key account. Duplicate: keep it only there.
      bool duplicate = false;
      for (const auto& a : env.directory.accounts())
        for (const auto& s : a.spns)
          if (iequals(s, spn) && !iequals(a.name, f->key.account)) {
            duplicate = true;
            const std::string holder = a.name;
            out.push_back({"remove the duplicate " + spn + " from " + holder,
                           "setspn -D " + spn + " " + holder,
                           {spn_change(farm::Action::RemoveSpn, holder, spn)}});
          }
      if (!duplicate && !f->key.account.empty()) {
        const std::string key = f->key.account;
        out.push_back({"register " + spn + " on " + key + ", the account that decrypts it",
                       "setspn -S " + spn + " " + key,
                       {spn_change(farm::Action::AddSpn, key, spn)}});
      }
    }
    return out;
  }

  // The first failing hop at the front end's level.
  std::vector<Candidate> hop_candidates() const {
    std::vector<Candidate> out;
    const auto f = front();
    if (!f) return out;
    if (!path.front.error && path.via && !path.hops.empty() && path.hops.front().result != HopResult::Ok)
      shared_gmsa(out);
    for (const auto& hop : path.hops) {
      if (hop.result == HopResult::Ok || !hop.error) continue;
      const std::string spn = hop.service;
      const std::string service1 = f->outbound_account;
      if (*hop.error == krb(KrbError::KDC_ERR_BADOPTION) && !service1.empty()) {
        const bool kerberos_front = path.front.protocol == Protocol::Kerberos;
        std::string command = cmdlet(env, service1) + " -Add @{'msDS-AllowedToDelegateTo'='" + spn + "'}";
        if (!kerberos_front)
          command += "; Set-ADAccountControl -Identity " + directory::split_account(service1).sam +
                     " -TrustedToAuthForDelegation $true";
        out.push_back({std::string("trust ") + service1 + " for constrained delegation to " + spn +
                           (kerberos_front ? "" : " with protocol transition (\"use any authentication protocol\")"),
                       command,
                       {constrained_delegation(service1, spn, !kerberos_front)}});
        const std::string owner = owner_of(spn);
        if (!owner.empty())
          out.push_back(
              {"let " + service1 + " delegate to every SPN of " + owner + " (resource-based delegation)",
               cmdlet(env, owner) + " -PrincipalsAllowedToDelegateToAccount " + directory::split_account(service1).sam,
               {resource_based_delegation(owner, service1)}});
      }
      if ((*hop.error == Error{ErrorKind::SspiContext} || *hop.error == krb(KrbError::KDC_ERR_S_PRINCIPAL_UNKNOWN))) {
        const farm::Host* target = env.host(hop.to);
        if (target && target->sql)
          for (const auto& inst : target->sql->instances)
            if (inst.tcp_spn(target->fqdn).matches(spn))
              move_spn(out, spn, owner_of(spn), inst.service_account.key_account(target->computer_account));
      }
      break;
    }
    return out;
  }
};

}  // namespace

namespace {

// Applies each candidate to a copy of the environment and traces the flow again (the verification).
std::vector<VerifiedFix> verify(const farm::Environment& env, const farm::FlowSpec& flow, const FlowOutcome& before,
                                const PathOutcome& path, const std::vector<Candidate>& candidates,
                                const Retrace& retrace, int& budget) {
  int best = -1;
  std::vector<std::pair<int, VerifiedFix>> verified;
  for (const auto& c : candidates) {
    if (--budget < 0) break;
    farm::Environment changed = env.clone();
    for (const auto& ch : c.changes) farm::apply_change(changed, ch);  // ordered rewrite follows
    const FlowOutcome again = retrace(changed, flow.name);
    bool better = false, worse = false;
    int score = 0;
    for (const auto& p2 : again.paths) {
      score += rank(p2.verdict);
      for (const auto& p1 : before.paths) {
        if (p1.via != p2.via) continue;
        if (rank(p2.verdict) < rank(p1.verdict)) worse = true;
        if (p1.via == path.via && rank(p2.verdict) > rank(p1.verdict)) better = true;
      }
    }
    if (better && !worse) {
      verified.emplace_back(score, VerifiedFix{Fix{c.change, c.command, {}, ""}, c.changes});
      best = std::max(best, score);
    }
  }
  std::vector<VerifiedFix> out;
  for (auto& [score, fix] : verified)
    if (score == best) out.push_back(std::move(fix));
  return out;
}

std::vector<VerifiedFix> fixes_for(const farm::Environment& env, const FlowOutcome& flow_outcome,
                                   const PathOutcome& path, const Retrace& retrace, int& budget) {
  if (path.verdict == Verdict::Ok) return {};
  const farm::FlowSpec* fs = nullptr;
  for (const auto& f : env.flows)
    if (f.name == flow_outcome.flow) fs = &f;
  if (!fs) return {};
  FixFinder finder{env, *fs, path};
  std::vector<Candidate> candidates = finder.front_candidates();
  auto hop = finder.hop_candidates();
  candidates.insert(candidates.end(), hop.begin(), hop.end());
  return verify(env, *fs, flow_outcome, path, candidates, retrace, budget);
}

}  // namespace

std::vector<VerifiedFix> verified_fixes(const farm::Environment& env, const FlowOutcome& flow, const PathOutcome& path,
                                        const Retrace& retrace) {
  int budget = kFixBudget;
  return fixes_for(env, flow, path, retrace, budget);
}

void attach_fixes(const farm::Environment& env, TraceReport& report, const Retrace& retrace) {
  int budget = kFixBudget;
  for (auto& flow_outcome : report.flows)
    for (auto& path : flow_outcome.paths)
      for (auto& v : fixes_for(env, flow_outcome, path, retrace, budget)) path.fixes.push_back(std::move(v.fix));
}

}  // namespace kerbsim::analysis
