#include "scenario/fixes.h"

#include <algorithm>
#include <functional>
#include <optional>

#include "directory/names.h"
#include "flow/hops.h"
#include "flow/kdc_exchange.h"
#include "flow/tracer.h"
#include "net/url.h"
#include "scenario/builder.h"

namespace kerbsim::scenario {
namespace {

using directory::iequals;
using kerberos::KrbError;

struct Candidate {
  std::string change;
  std::string command;
  std::function<void(spec::Scenario&)> apply;
};

int rank(Verdict v) { return v == Verdict::Ok ? 2 : v == Verdict::Degraded ? 1 : 0; }

// The settings object of an account in the spec: a host's computer account or a listed account.
spec::DelegationSettings* settings_for(spec::Scenario& s, const std::string& account) {
  const auto split = directory::split_account(account);
  for (auto& h : s.hosts)
    if (h.domain && iequals(directory::to_upper(h.name) + "$", split.sam)) return &h.account;
  for (auto& a : s.accounts)
    if (iequals(a.name, account)) return &a.delegation;
  return nullptr;
}

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

void remove_spn(spec::DelegationSettings& d, const std::string& spn) {
  std::erase_if(d.spns, [&](const std::string& s) { return iequals(s, spn); });
}

struct FixFinder {
  const spec::Scenario& spec;
  const farm::Environment& env;
  const farm::FlowSpec& flow;
  const PathOutcome& path;

  const farm::Host* node() const {
    if (path.via) return env.host(*path.via);
    const auto url = net::parse_url(flow.url);
    const farm::Host* client = env.host(flow.client);
    if (!url || !client) return nullptr;
    const auto dns = url->host_is_ip() ? net::DnsAnswer{} : env.dns.resolve(url->host, client->domain);
    return env.host_by_ip(url->host_is_ip() ? url->host : dns.ip);
  }

  // The front end's key account and the account its calls leave as, on this node.
  struct Front {
    std::string key_account;
    std::string outbound;
    const web::Site* site = nullptr;
  };
  std::optional<Front> front() const {
    const farm::Host* n = node();
    const auto url = net::parse_url(flow.url);
    if (!n || !url) return std::nullopt;
    Front f;
    if (n->ssrs_answers(url->path)) {
      f.key_account = n->ssrs->decryption_key(n->info()).account;
      f.outbound = farm::outbound_account(*n, n->ssrs->service_account);
    } else if (n->iis) {
      f.site = n->iis->site_for(url->scheme, url->host, url->port);
      if (!f.site) return std::nullopt;
      f.key_account = n->iis->decryption_key(*f.site, n->info()).account;
      f.outbound = farm::outbound_account(*n, n->iis->worker_identity(*f.site, n->info()));
    } else if (n->sql) {
      if (const auto* inst = n->sql->instance(url->instance)) {
        f.key_account = inst->service_account.key_account(n->computer_account);
        f.outbound = farm::outbound_account(*n, inst->service_account);
      }
    }
    return f;
  }

  std::string owner_of(const std::string& spn) const {
    const farm::Host* n = node();
    const auto* d = n ? env.directory.domain_by_dns(n->domain) : nullptr;
    if (!d) return "";
    const auto found = env.directory.lookup_spn(spn, d->forest);
    if (found.status != directory::SpnLookup::Status::Found) return "";
    return env.directory.account(found.owners.front()).name;
  }

  // Every node that serves this flow: the balancer's members, or the one host.
  std::vector<std::string> farm_nodes() const {
    const auto url = net::parse_url(flow.url);
    const farm::Host* client = env.host(flow.client);
    if (url && client && !url->host_is_ip()) {
      const auto dns = env.dns.resolve(url->host, client->domain);
      if (const auto* lb = env.balancer_by_vip(dns.ip)) return lb->members;
    }
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
        if (inst) delegate_to.push_back(inst->tcp_spn(target->fqdn));
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
                   command, [=](spec::Scenario& s) {
                     if (!old_owner.empty())
                       if (auto* d = settings_for(s, old_owner)) remove_spn(*d, spn);
                     spec::Account a;
                     a.name = gmsa;
                     a.type = "gmsa";
                     a.delegation.spns = {spn};
                     a.delegation.allowed_to_delegate_to = delegate_to;
                     s.accounts.push_back(a);
                     for (auto& h : s.hosts) {
                       if (std::find(nodes.begin(), nodes.end(), h.name) == nodes.end()) continue;
                       if (h.ssrs) {
                         h.ssrs->service_account = gmsa;
                         std::vector<std::string> types = {"RSWindowsNegotiate", "RSWindowsNTLM"};
                         if (!h.ssrs->authentication_types) h.ssrs->authentication_types = types;
                       }
                       if (h.iis) {
                         for (auto& pool : h.iis->app_pools) pool.identity = gmsa;
                         for (auto& st : h.iis->sites) st.windows.use_app_pool_credentials = true;
                       }
                     }
                   }});
  }

  bool held_explicitly(const std::string& spn) const {
    const farm::Host* n = node();
    const auto* d = n ? env.directory.domain_by_dns(n->domain) : nullptr;
    if (!d) return false;
    const auto found = env.directory.lookup_spn(spn, d->forest);
    return found.status == directory::SpnLookup::Status::Found && !found.via_host_mapping;
  }

  void move_spn(std::vector<Candidate>& out, const std::string& spn, const std::string& from,
                const std::string& to) const {
    if (to.empty() || iequals(from, to)) return;
    out.push_back({(from.empty() ? "register " + spn + " on " : "move " + spn + " from " + from + " to ") + to +
                       ", the account that decrypts it",
                   (from.empty() ? "" : "setspn -D " + spn + " " + from + "; ") + "setspn -S " + spn + " " + to,
                   [spn, from, to](spec::Scenario& s) {
                     if (auto* d = from.empty() ? nullptr : settings_for(s, from)) remove_spn(*d, spn);
                     if (auto* d = settings_for(s, to)) d->spns.push_back(spn);
                   }});
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
        spn = *built.spn;
      if (!spn.empty()) command = "setspn -S " + spn + " " + key + "; " + command;
    }
    const std::string host = n->name;
    out.push_back({"offer Negotiate on " + host + "'s report server" +
                       (spn.empty() ? "" : " and register " + spn + " on its service account " + key),
                   command, [host, spn, key](spec::Scenario& s) {
                     for (auto& h : s.hosts)
                       if (h.name == host && h.ssrs)
                         h.ssrs->authentication_types = {{"RSWindowsNegotiate", "RSWindowsNTLM"}};
                     if (!spn.empty())
                       if (auto* d = settings_for(s, key)) d->spns.push_back(spn);
                   }});
  }

  std::vector<Candidate> front_candidates() const {
    std::vector<Candidate> out;
    ssrs_negotiate(out);
    const auto f = front();
    if (!f || !path.front.error) return out;
    const Error& error = *path.front.error;
    const std::string spn = path.spn.value_or("");
    if (error == flow::krb(KrbError::KRB_AP_ERR_MODIFIED) && path.front.ticket) {
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
                       [hosts, site](spec::Scenario& s) {
                         for (auto& h : s.hosts)
                           if (std::find(hosts.begin(), hosts.end(), h.name) != hosts.end() && h.iis)
                             for (auto& st : h.iis->sites)
                               if (st.name == site) st.windows.use_app_pool_credentials = true;
                       }});
      }
      // An SPN held explicitly moves; one reached through the HOST mapping is added where it belongs.
      if (!spn.empty()) move_spn(out, spn, held_explicitly(spn) ? ticket_owner : "", f->key_account);
    }
    if (error == flow::krb(KrbError::KRB_AP_ERR_MODIFIED) || error == flow::krb(KrbError::KDC_ERR_S_PRINCIPAL_UNKNOWN))
      shared_gmsa(out);
    if ((error == flow::krb(KrbError::KDC_ERR_S_PRINCIPAL_UNKNOWN) ||
         error == flow::krb(KrbError::KDC_ERR_PRINCIPAL_NOT_UNIQUE)) &&
        !spn.empty()) {
      // Missing: register it on the key account. Duplicate: keep it only there.
      bool duplicate = false;
      for (const auto& a : env.directory.accounts())
        for (const auto& s : a.spns)
          if (iequals(s, spn) && !iequals(a.name, f->key_account)) {
            duplicate = true;
            const std::string holder = a.name;
            out.push_back({"remove the duplicate " + spn + " from " + holder, "setspn -D " + spn + " " + holder,
                           [spn, holder](spec::Scenario& sc) {
                             if (auto* d = settings_for(sc, holder)) remove_spn(*d, spn);
                           }});
          }
      if (!duplicate && !f->key_account.empty()) {
        const std::string key = f->key_account;
        out.push_back({"register " + spn + " on " + key + ", the account that decrypts it",
                       "setspn -S " + spn + " " + key, [spn, key](spec::Scenario& s) {
                         if (auto* d = settings_for(s, key)) d->spns.push_back(spn);
                       }});
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
      const std::string service1 = f->outbound;
      if (*hop.error == flow::krb(KrbError::KDC_ERR_BADOPTION) && !service1.empty()) {
        const bool kerberos_front = path.front.protocol == Protocol::Kerberos;
        std::string command = cmdlet(env, service1) + " -Add @{'msDS-AllowedToDelegateTo'='" + spn + "'}";
        if (!kerberos_front)
          command += "; Set-ADAccountControl -Identity " + directory::split_account(service1).sam +
                     " -TrustedToAuthForDelegation $true";
        out.push_back({std::string("trust ") + service1 + " for constrained delegation to " + spn +
                           (kerberos_front ? "" : " with protocol transition (\"use any authentication protocol\")"),
                       command, [service1, spn, kerberos_front](spec::Scenario& s) {
                         if (auto* d = settings_for(s, service1)) {
                           d->allowed_to_delegate_to.push_back(spn);
                           if (!kerberos_front) d->trusted_to_auth_for_delegation = true;
                         }
                       }});
        const std::string owner = owner_of(spn);
        if (!owner.empty())
          out.push_back(
              {"let " + service1 + " delegate to every SPN of " + owner + " (resource-based delegation)",
               cmdlet(env, owner) + " -PrincipalsAllowedToDelegateToAccount " + directory::split_account(service1).sam,
               [owner, service1](spec::Scenario& s) {
                 if (auto* d = settings_for(s, owner)) d->allowed_to_act.push_back(service1);
               }});
      }
      if ((*hop.error == Error{ErrorKind::SspiContext} ||
           *hop.error == flow::krb(KrbError::KDC_ERR_S_PRINCIPAL_UNKNOWN))) {
        const farm::Host* target = env.host(hop.to);
        if (target && target->sql)
          for (const auto& inst : target->sql->instances)
            if (iequals(inst.tcp_spn(target->fqdn), spn))
              move_spn(out, spn, owner_of(spn), inst.service_account.key_account(target->computer_account));
      }
      break;
    }
    return out;
  }
};

}  // namespace

namespace {

// Applies each candidate to a copy of the scenario and traces the flow again (the verification).
std::vector<VerifiedFix> verify(const spec::Scenario& spec, const farm::FlowSpec& flow, const FlowOutcome& before,
                                const PathOutcome& path, const std::vector<Candidate>& candidates, int& budget) {
  int best = -1;
  std::vector<std::pair<int, VerifiedFix>> verified;
  for (const auto& c : candidates) {
    if (--budget < 0) break;
    spec::Scenario changed = spec;
    c.apply(changed);
    const TraceReport again = flow::trace(build(changed), {flow.name, ""});
    if (again.flows.empty()) continue;
    bool better = false, worse = false;
    int score = 0;
    for (const auto& p2 : again.flows.front().paths) {
      score += rank(p2.verdict);
      for (const auto& p1 : before.paths) {
        if (p1.via != p2.via) continue;
        if (rank(p2.verdict) < rank(p1.verdict)) worse = true;
        if (p1.via == path.via && rank(p2.verdict) > rank(p1.verdict)) better = true;
      }
    }
    if (better && !worse) {
      verified.emplace_back(score, VerifiedFix{Fix{c.change, c.command}, c.apply});
      best = std::max(best, score);
    }
  }
  std::vector<VerifiedFix> out;
  for (auto& [score, fix] : verified)
    if (score == best) out.push_back(std::move(fix));
  return out;
}

std::vector<VerifiedFix> fixes_for(const spec::Scenario& spec, const farm::Environment& env,
                                   const FlowOutcome& flow_outcome, const PathOutcome& path, int& budget) {
  if (path.verdict == Verdict::Ok) return {};
  const farm::FlowSpec* fs = nullptr;
  for (const auto& f : env.flows)
    if (f.name == flow_outcome.flow) fs = &f;
  if (!fs) return {};
  FixFinder finder{spec, env, *fs, path};
  std::vector<Candidate> candidates = finder.front_candidates();
  auto hop = finder.hop_candidates();
  candidates.insert(candidates.end(), hop.begin(), hop.end());
  return verify(spec, *fs, flow_outcome, path, candidates, budget);
}

}  // namespace

std::vector<VerifiedFix> verified_fixes(const spec::Scenario& spec, const FlowOutcome& flow, const PathOutcome& path) {
  int budget = 24;
  return fixes_for(spec, build(spec), flow, path, budget);
}

void attach_fixes(const spec::Scenario& spec, TraceReport& report) {
  const farm::Environment env = build(spec);
  int budget = 24;  // candidates per report: each costs a rebuild and a trace
  for (auto& flow_outcome : report.flows)
    for (auto& path : flow_outcome.paths)
      for (auto& v : fixes_for(spec, env, flow_outcome, path, budget)) path.fixes.push_back(std::move(v.fix));
}

}  // namespace kerbsim::scenario
