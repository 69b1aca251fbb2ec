// The delegation risks of a design, read from the delegation graph's edges, which hold the settings
// the KDC reads (kerberos-rules R3.0-R3.4): delegation of any kind to a domain controller's account or
// to krbtgt (domain compromise), unconstrained delegation on an account that is not a DC, protocol
// transition, and constrained-delegation entries that no SPN, or only a moving SQL Server port, backs.
#include <algorithm>
#include <boost/range/iterator_range.hpp>
#include <set>

#include "analysis/risk_builder.h"
#include "directory/names.h"

namespace kerbsim::analysis {
namespace {

using directory::iequals;

// The accounts an SPN vertex resolves to (its holds-spn edges).
std::vector<Vertex> owners(const DelegationGraph& g, Vertex spn) {
  std::vector<Vertex> out;
  for (const auto e : boost::make_iterator_range(boost::out_edges(spn, g.graph())))
    if (g.graph()[e].kind == EdgeKind::HoldsSpn) out.push_back(boost::target(e, g.graph()));
  return out;
}

const directory::Account* account_of(const farm::Environment& env, const DelegationGraph& g, Vertex v) {
  const auto& id = g.node(v).account;
  return id ? &env.directory.account(*id) : nullptr;
}

std::vector<std::string> without(const std::vector<std::string>& list, const std::set<std::string>& drop) {
  std::vector<std::string> out;
  for (const auto& s : list)
    if (!drop.count(directory::to_lower(s))) out.push_back(s);
  return out;
}

// The change that takes entries off an account's msDS-AllowedToDelegateTo (and protocol transition
// with them when no entry is left: it has nothing to transition to).
farm::Change drop_entries(const directory::Account& a, const std::set<std::string>& drop) {
  farm::Change c;
  c.action = farm::Action::SetDelegation;
  c.account = a.name;
  c.allowed_to_delegate_to = without(a.allowed_to_delegate_to, drop);
  if (c.allowed_to_delegate_to->empty() && a.trusted_to_auth_for_delegation) c.trusted_to_auth_for_delegation = false;
  return c;
}

// Every delegation edge that reaches a DC's account or krbtgt: a ticket for one service of the DC's
// account serves them all, since a ticket's sname lies outside its encrypted part (RFC 4120 5.3) and
// the holder can rewrite it; the KDC checks the entry, the service only its own key (kerberos-rules
// R3.2.3, R2.6).
void to_domain_controllers(const RiskContext& ctx, std::vector<Risk>& out) {
  const auto& g = ctx.graph;
  const auto& G = g.graph();
  for (Vertex v = 0; v < g.node_count(); ++v) {
    const directory::Account* from = account_of(ctx.env, g, v);
    if (!from || from->domain_controller) continue;  // a DC's own settings are its role, not a risk
    std::set<std::string> dc_entries;
    std::vector<std::string> dcs, spns;
    bool transition = false;
    for (const auto e : boost::make_iterator_range(boost::out_edges(v, G))) {
      const EdgeKind kind = G[e].kind;
      if (kind != EdgeKind::Constrained && kind != EdgeKind::ProtocolTransition) continue;
      const Vertex target = boost::target(e, G);
      const auto spn = directory::Spn::parse(g.node(target).name);
      bool to_dc = spn && iequals(spn->service_class, "krbtgt");
      std::string owner_name = to_dc ? "krbtgt" : "";
      for (const Vertex o : owners(g, target))
        if (const auto* owner = account_of(ctx.env, g, o); owner && owner->domain_controller) {
          to_dc = true;
          owner_name = owner->name;
        }
      if (!to_dc) continue;
      transition |= kind == EdgeKind::ProtocolTransition;
      dc_entries.insert(directory::to_lower(g.node(target).name));
      spns.push_back(g.node(target).name);
      if (std::find(dcs.begin(), dcs.end(), owner_name) == dcs.end()) dcs.push_back(owner_name);
    }
    if (spns.empty()) continue;
    Risk r = ctx.risk(Severity::Critical, transition ? "protocol-transition-to-dc" : "kcd-to-dc", from->name,
                      transition ? "kerberos-rules R3.3.2" : "kerberos-rules R3.2.3");
    r.finding.accounts = {from->name};
    for (const auto& dc : dcs)
      if (dc != "krbtgt") r.finding.accounts.push_back(dc);
    r.finding.spns = spns;
    r.finding.message =
        from->name + " may delegate to " + join(spns) + ", a service of " + join(dcs) +
        ". A ticket for one service of a domain controller's account opens all of them (LDAP, CIFS, HOST: "
        "the service name lies outside the ticket's encrypted part, RFC 4120 5.3), so whoever controls " +
        from->name + " can act as any delegable user, administrators included, at the DC: domain compromise." +
        (transition ? " With protocol transition it needs no user at all: it asks for a ticket as any user "
                      "without their password."
                    : "");
    r.finding.path.push_back(from->name + " → S4U2Proxy → " + spns.front() + " (" + join(dcs) + ")" +
                             (transition ? ", after S4U2Self as any user" : ", with any user's Kerberos ticket"));
    r.candidates.push_back({"take " + join(spns) + " off " + from->name + "'s msDS-AllowedToDelegateTo",
                            {drop_entries(*from, dc_entries)}});
    out.push_back(std::move(r));
  }
  // Resource-based delegation set on a DC's own account (kerberos-rules R3.4.2).
  for (const auto& a : ctx.env.directory.accounts()) {
    if (!a.domain_controller || a.allowed_to_act.empty()) continue;
    Risk r = ctx.risk(Severity::Critical, "rbcd-to-dc", a.name, "kerberos-rules R3.4.2");
    r.finding.accounts = a.allowed_to_act;
    r.finding.accounts.push_back(a.name);
    r.finding.message = "the domain controller account " + a.name + " lets " + join(a.allowed_to_act) +
                        " act on behalf of other users to any of its services (msDS-AllowedToActOnBehalfOfOther"
                        "Identity): whoever controls " +
                        join(a.allowed_to_act) + " can act as any delegable user at the DC: domain compromise.";
    for (const auto& p : a.allowed_to_act)
      r.finding.path.push_back(p + " → S4U2Self as any user → S4U2Proxy → any SPN of " + a.name);
    farm::Change c;
    c.action = farm::Action::SetDelegation;
    c.account = a.name;
    c.allowed_to_act = std::vector<std::string>{};
    r.candidates.push_back({"clear resource-based delegation on " + a.name, {c}});
    out.push_back(std::move(r));
  }
}

// Unconstrained delegation on an account that is not a DC: every user who authenticates to one of its
// services with Kerberos sends along a forwardable TGT, which it can use for any service (R3.1.2).
void unconstrained(const RiskContext& ctx, std::vector<Risk>& out) {
  for (const auto& a : ctx.env.directory.accounts()) {
    if (!a.trusted_for_delegation || a.domain_controller || !a.enabled) continue;
    Risk r = ctx.risk(Severity::High, "unconstrained-delegation", a.name, "kerberos-rules R3.1.2");
    r.finding.accounts = {a.name};
    r.finding.spns = a.spns;
    r.finding.message = a.name +
                        " is trusted for unconstrained delegation: every user who authenticates to it with Kerberos "
                        "leaves a forwardable TGT on it, which it can use for any service as that user. Prefer "
                        "constrained or resource-based delegation to the services it calls.";
    r.finding.path.push_back("any user → " + (a.spns.empty() ? a.name : a.spns.front()) +
                             " (the client forwards its TGT: OK-AS-DELEGATE) → any service as that user");
    // What the traces show it delegating to, as constrained delegation instead.
    const std::vector<std::string> called = ctx.unconstrained_targets(a.name);
    farm::Change off;
    off.action = farm::Action::SetDelegation;
    off.account = a.name;
    off.trusted_for_delegation = false;
    if (!called.empty()) {
      farm::Change kcd = off;
      std::vector<std::string> list = a.allowed_to_delegate_to;
      for (const auto& s : called)
        if (std::none_of(list.begin(), list.end(), [&](const std::string& x) { return iequals(x, s); }))
          list.push_back(s);
      kcd.allowed_to_delegate_to = list;
      r.candidates.push_back(
          {"replace unconstrained delegation on " + a.name + " by constrained delegation to " + join(called), {kcd}});
    }
    r.candidates.push_back({"turn off unconstrained delegation on " + a.name, {off}});
    out.push_back(std::move(r));
  }
}

// Protocol transition to services other than a DC's: the account can get a ticket to them as any
// delegable user, without the user's password or presence (R3.3.2).
void protocol_transition(const RiskContext& ctx, std::vector<Risk>& out) {
  for (const auto& a : ctx.env.directory.accounts()) {
    if (!a.trusted_to_auth_for_delegation || a.allowed_to_delegate_to.empty() || a.domain_controller) continue;
    Risk r = ctx.risk(Severity::Medium, "protocol-transition", a.name, "kerberos-rules R3.3.2");
    r.finding.accounts = {a.name};
    r.finding.spns = a.allowed_to_delegate_to;
    r.finding.message = a.name +
                        " is trusted to authenticate for delegation (protocol transition): it can get a ticket to " +
                        join(a.allowed_to_delegate_to) +
                        " as any delegable user, without the user's password. Keep it only where the front end "
                        "cannot use Kerberos (forms, certificates, NTLM clients).";
    r.finding.path.push_back(a.name + " → S4U2Self as any user → S4U2Proxy → " + a.allowed_to_delegate_to.front());
    farm::Change c;
    c.action = farm::Action::SetDelegation;
    c.account = a.name;
    c.trusted_to_auth_for_delegation = false;
    r.candidates.push_back({"keep constrained delegation on " + a.name + " for Kerberos users only", {c}});
    out.push_back(std::move(r));
  }
}

// Constrained-delegation entries that name an SPN nobody holds (whoever registers it later receives the
// delegated tickets), or a SQL Server instance whose port is dynamic (the entry goes stale when the
// instance picks another port at its next start; kerberos-rules R1.11, iis-rules 6.4).
void stale_entries(const RiskContext& ctx, std::vector<Risk>& out) {
  const auto& g = ctx.graph;
  const auto& G = g.graph();
  for (Vertex v = 0; v < g.node_count(); ++v) {
    const directory::Account* from = account_of(ctx.env, g, v);
    if (!from) continue;
    for (const auto e : boost::make_iterator_range(boost::out_edges(v, G))) {
      const EdgeKind kind = G[e].kind;
      if (kind != EdgeKind::Constrained && kind != EdgeKind::ProtocolTransition) continue;
      const Vertex target = boost::target(e, G);
      const std::string& text = g.node(target).name;
      const auto spn = directory::Spn::parse(text);
      if (!spn || iequals(spn->service_class, "krbtgt")) continue;
      if (owners(g, target).empty()) {
        Risk r = ctx.risk(Severity::Medium, "kcd-orphan-spn", from->name, "kerberos-rules R3.2.3");
        r.finding.accounts = {from->name};
        r.finding.spns = {text};
        r.finding.message = from->name + " may delegate to " + text +
                            ", which no account of its forest holds: S4U2Proxy for it fails today "
                            "(KDC_ERR_S_PRINCIPAL_UNKNOWN), and whoever registers that SPN later receives the "
                            "users' delegated tickets.";
        r.finding.path.push_back(from->name + " → S4U2Proxy → " + text + " (no holder)");
        r.candidates.push_back({"take " + text + " off " + from->name + "'s msDS-AllowedToDelegateTo",
                                {drop_entries(*from, {directory::to_lower(text)})}});
        out.push_back(std::move(r));
        continue;
      }
      if (!iequals(spn->service_class, "MSSQLSvc") || spn->port.empty()) continue;
      const backend::SqlInstance* instance = nullptr;
      const farm::Host* host = ctx.host_named(spn->host);
      if (host && host->sql)
        for (const auto& i : host->sql->instances)
          if (i.dynamic_port && (iequals(i.name, spn->port) || std::to_string(i.port) == spn->port)) instance = &i;
      if (!instance) continue;
      const bool by_port = std::to_string(instance->port) == spn->port;
      Risk r = ctx.risk(Severity::Medium, "kcd-dynamic-port", from->name, "kerberos-rules R1.11");
      r.finding.accounts = {from->name};
      r.finding.spns = {text};
      r.finding.hosts = {host->name};
      r.finding.message = from->name + " may delegate to " + text + ", SQL Server instance " + instance->name + " on " +
                          host->name + ", which listens on a dynamic port (" + std::to_string(instance->port) +
                          " today): when it picks another port at its next start, clients ask for another SPN "
                          "and the delegation entry no longer matches. Give the instance a static port.";
      r.finding.path.push_back(from->name + " → S4U2Proxy → " + text + " (the port of " + host->name + "\\" +
                               instance->name + " since its last start)");
      if (by_port) {
        farm::Change c;
        c.action = farm::Action::SetSqlPort;
        c.host = host->name;
        c.instance = instance->name;
        c.port = instance->port;
        r.candidates.push_back(
            {"give " + host->name + "\\" + instance->name + " the static port " + std::to_string(instance->port), {c}});
      }
      out.push_back(std::move(r));
    }
  }
}

}  // namespace

void delegation_risks(const RiskContext& ctx, std::vector<Risk>& out) {
  to_domain_controllers(ctx, out);
  unconstrained(ctx, out);
  protocol_transition(ctx, out);
  stale_entries(ctx, out);
}

}  // namespace kerbsim::analysis
