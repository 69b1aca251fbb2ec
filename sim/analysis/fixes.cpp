#include "analysis/fixes.h"

#include <algorithm>
#include <functional>
#include <optional>

#include "analysis/commands.h"
#include "analysis/no_fix.h"
#include "analysis/rollout.h"
#include "directory/names.h"
#include "farm/resolver.h"
#include "farm/service.h"
#include "net/url.h"

namespace kerbsim::analysis {
namespace {

using directory::iequals;
using kerberos::KrbError;

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
  c.spn_tool = farm::SpnTool::SetspnS;  // what a fix types: setspn -S looks for duplicates first (R1.7)
  return c;
}

// klist purge on every client: tickets cached before the change (up to 10 hours) and the negative
// SPN cache (15 minutes) outlive it (kerberos-rules R1.6, R2.7, R8.3).
farm::Change purge_tickets() { return change(farm::Action::PurgeTickets); }

// The account's msDS-AllowedToDelegateTo or msDS-AllowedToActOnBehalfOfOtherIdentity with one more entry.
std::vector<std::string> with(std::vector<std::string> list, const std::string& entry) {
  list.push_back(entry);
  return list;
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
    out.push_back(purge_tickets());
    return out;
  }

  // One gMSA for every node, in rollout order: the forest's KDS root key if it has none (R7.1); the gMSA
  // created without the SPN, the nodes allowed to retrieve its password (R7.2); every pool and report
  // server moved to it, useAppPoolCredentials on (R7.4); only then the SPN taken off its old owner and
  // written on the gMSA (R1.7); the delegation to the back ends; the clients' cached tickets purged.
  std::vector<farm::Change> gmsa_changes(const directory::Domain& dom, const std::string& gmsa, const std::string& spn,
                                         const std::string& old_owner, const std::vector<std::string>& delegate_to,
                                         const std::vector<std::string>& nodes) const {
    std::vector<farm::Change> out;
    if (!dom.kds_root_key) {
      farm::Change key = change(farm::Action::AddKdsRootKey);
      key.domain = dom.forest;
      out.push_back(key);
    }
    farm::Change create = change(farm::Action::CreateAccount);
    directory::Account a;
    a.name = gmsa;
    a.domain = dom.dns;
    a.sam = directory::split_account(gmsa).sam;
    a.kind = directory::AccountKind::Gmsa;
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
    if (!old_owner.empty()) out.push_back(spn_change(farm::Action::RemoveSpn, old_owner, spn));
    out.push_back(spn_change(farm::Action::AddSpn, gmsa, spn));
    if (!delegate_to.empty()) {
      farm::Change d = change(farm::Action::SetDelegation);
      d.account = gmsa;
      d.allowed_to_delegate_to = delegate_to;
      out.push_back(d);
    }
    out.push_back(purge_tickets());
    return out;
  }

  std::vector<farm::Change> ssrs_changes(const std::string& host, const std::string& spn,
                                         const std::string& key) const {
    farm::Change types = change(farm::Action::SetSsrsAuthenticationTypes);
    types.host = host;
    types.authentication_types = {backend::SsrsAuthType::RSWindowsNegotiate, backend::SsrsAuthType::RSWindowsNTLM};
    std::vector<farm::Change> out = {types};
    if (!spn.empty()) {
      out.push_back(spn_change(farm::Action::AddSpn, key, spn));
      out.push_back(purge_tickets());
    }
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
    out.push_back({"run every node behind the name as one gMSA, " + gmsa + ", holding " + spn +
                       (delegate_to.empty() ? "" : " and trusted for constrained delegation to its back ends"),
                   gmsa_changes(*dom, gmsa, spn, old_owner, delegate_to, nodes)});
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
    std::string spn;
    if (built.spn && !key.empty()) {
      const auto* d = env.directory.domain_by_dns(n->domain);
      const auto found = d ? env.directory.lookup_spn(*built.spn, d->forest) : directory::SpnLookup{};
      const bool owned = found.status == directory::SpnLookup::Status::Found &&
                         iequals(env.directory.account(found.owners.front()).name, key);
      if (!owned && (found.status == directory::SpnLookup::Status::NotFound || found.via_host_mapping))
        spn = built.spn->to_string();
    }
    const std::string host = n->name;
    out.push_back({"offer Negotiate on " + host + "'s report server" +
                       (spn.empty() ? "" : " and register " + spn + " on its service account " + key),
                   ssrs_changes(host, spn, key)});
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
                           {spn_change(farm::Action::RemoveSpn, holder, spn), purge_tickets()}});
          }
      if (!duplicate && !f->key.account.empty()) {
        const std::string key = f->key.account;
        out.push_back({"register " + spn + " on " + key + ", the account that decrypts it",
                       {spn_change(farm::Action::AddSpn, key, spn), purge_tickets()}});
      }
    }
    // SQL Server's SPN on an account that is not the instance's: "Cannot generate SSPI context" (iis-rules
    // 6.6); it moves to the account whose key the instance holds.
    if (error == Error{ErrorKind::SspiContext} && f->sql && !spn.empty())
      move_spn(out, spn, owner_of(spn), f->key.account);
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
        out.push_back({std::string("trust ") + service1 + " for constrained delegation to " + spn +
                           (kerberos_front ? "" : " with protocol transition (\"use any authentication protocol\")"),
                       {constrained_delegation(service1, spn, !kerberos_front)}});
        const std::string owner = owner_of(spn);
        if (!owner.empty())
          out.push_back({"let " + service1 + " delegate to every SPN of " + owner + " (resource-based delegation)",
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

// An MSSQLSvc SPN with a port, on a named instance whose port is dynamic, goes stale at its next
// restart: the fix gives the instance that port as a static one before an SPN or a delegation names
// it (iis-rules 6.4).
std::vector<farm::Change> with_static_ports(const farm::Environment& env, std::vector<farm::Change> changes) {
  std::vector<farm::Change> pins;
  const auto pin = [&](const directory::Spn& spn) {
    if (!iequals(spn.service_class, "MSSQLSvc") || spn.port.empty()) return;
    for (const auto& h : env.hosts) {
      if (!h.sql || !iequals(h.fqdn, spn.host)) continue;
      for (const auto& inst : h.sql->instances) {
        if (!inst.dynamic_port || std::to_string(inst.port) != spn.port) continue;
        for (const auto& p : pins)
          if (iequals(p.host, h.name) && iequals(p.instance, inst.name)) return;
        farm::Change c = change(farm::Action::SetSqlPort);
        c.host = h.name;
        c.instance = inst.name;
        c.port = inst.port;
        pins.push_back(c);
      }
    }
  };
  for (const auto& c : changes) {
    if (c.action == farm::Action::AddSpn) pin(c.spn);
    if (c.action == farm::Action::SetDelegation && c.allowed_to_delegate_to)
      for (const auto& text : *c.allowed_to_delegate_to)
        if (const auto spn = directory::Spn::parse(text)) pin(*spn);
  }
  changes.insert(changes.begin(), pins.begin(), pins.end());
  return changes;
}

// Every step's command, one per line (a wait has none).
std::string command_lines(const std::vector<FixStep>& steps) {
  std::string out;
  for (const auto& s : steps)
    if (!s.command.empty()) out += (out.empty() ? "" : "\n") + s.command;
  return out;
}

// Applies each candidate, in rollout order and through the write-time rules, to a copy of the
// environment, and traces the flow again (the verification). A candidate with a refused change is
// dropped: its commands would fail as printed.
std::vector<VerifiedFix> verify(const farm::Environment& env, const FlowOutcome& before, const PathOutcome& path,
                                const std::vector<Candidate>& candidates, const Retrace& retrace, int& budget) {
  int best = -1;
  std::vector<std::pair<int, VerifiedFix>> verified;
  for (const auto& c : candidates) {
    if (--budget < 0) break;
    const std::vector<farm::Change> ordered = in_rollout_order(env, with_static_ports(env, c.changes));
    farm::Environment changed = env.clone();
    if (apply_in_order(changed, ordered)) continue;
    const FlowOutcome again = retrace(changed, before.flow);
    bool better = false, worse = false;
    int score = 0;
    for (const auto& p2 : again.paths) {
      score += verdict_rank(p2.verdict);
      for (const auto& p1 : before.paths) {
        if (p1.via != p2.via) continue;
        if (verdict_rank(p2.verdict) < verdict_rank(p1.verdict)) worse = true;
        if (p1.via == path.via && verdict_rank(p2.verdict) > verdict_rank(p1.verdict)) better = true;
      }
    }
    if (better && !worse) {
      Fix fix = render_fix(env, c.change, ordered);
      verified.emplace_back(score, VerifiedFix{std::move(fix), ordered});
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
  return verify(env, flow_outcome, path, candidates, retrace, budget);
}

}  // namespace

Fix render_fix(const farm::Environment& env, const std::string& change, const std::vector<farm::Change>& ordered) {
  Fix fix{change, "", render_steps(env, ordered), ""};
  fix.command = command_lines(fix.steps);
  return fix;
}

std::vector<VerifiedFix> verified_fixes(const farm::Environment& env, const FlowOutcome& flow, const PathOutcome& path,
                                        const Retrace& retrace) {
  int budget = kFixBudget;
  return fixes_for(env, flow, path, retrace, budget);
}

std::vector<VerifiedFix> verify_candidates(const farm::Environment& env, const FlowOutcome& flow,
                                           const PathOutcome& path, const std::vector<Candidate>& candidates,
                                           const Retrace& retrace) {
  int budget = kFixBudget;
  return verify(env, flow, path, candidates, retrace, budget);
}

void attach_fixes(const farm::Environment& env, TraceReport& report, const Retrace& retrace) {
  int budget = kFixBudget;
  for (auto& flow_outcome : report.flows)
    for (auto& path : flow_outcome.paths) {
      if (path.verdict == Verdict::Ok) continue;
      for (auto& v : fixes_for(env, flow_outcome, path, retrace, budget)) path.fixes.push_back(std::move(v.fix));
      if (!path.fixes.empty()) continue;
      if (std::string why = why_no_fix(env, flow_outcome, path); !why.empty())
        path.fixes.push_back(Fix{"", "", {}, std::move(why)});
    }
}

}  // namespace kerbsim::analysis
