// The design's risks that are about accounts and hosts rather than delegation settings: Kerberoastable
// user accounts, accounts only RC4 serves, privileged accounts open to delegation, duplicate SPNs,
// LocalSystem pools, clocks beyond the KDC's skew, calls "as caller" that run as the pool, sites that
// never ask for Windows credentials. Delegation risks are in delegation_risks.cpp.
#include "analysis/risks.h"

#include <algorithm>
#include <set>
#include <tuple>

#include "analysis/risk_builder.h"
#include "directory/names.h"
#include "farm/service.h"
#include "kerberos/etype.h"
#include "kerberos/kdc.h"

namespace kerbsim::analysis {

using directory::iequals;

std::string join(const std::vector<std::string>& items) {
  std::string out;
  for (std::size_t i = 0; i < items.size(); ++i)
    out += (i == 0 ? "" : i + 1 == items.size() ? " and " : ", ") + items[i];
  return out;
}

Risk RiskContext::risk(Severity severity, std::string code, std::string subject, std::string rule) const {
  Risk r;
  r.finding.severity = severity;
  r.finding.code = std::move(code);
  r.finding.subject = std::move(subject);
  r.finding.rule = std::move(rule);
  return r;
}

const farm::Host* RiskContext::host_named(const std::string& name) const {
  for (const auto& h : env.hosts)
    if (iequals(h.fqdn, name) || iequals(h.name, name)) return &h;
  return nullptr;
}

std::vector<std::string> RiskContext::unconstrained_targets(const std::string& account) const {
  std::vector<std::string> out;
  for (const auto& f : traced.flows)
    for (const auto& p : f.paths) {
      if (!p.front.decrypted_with || !iequals(*p.front.decrypted_with, account)) continue;
      for (const auto& hop : p.hops)
        if (hop.delegation == Delegation::Unconstrained && !hop.service.empty() &&
            std::none_of(out.begin(), out.end(), [&](const std::string& s) { return iequals(s, hop.service); }))
          out.push_back(hop.service);
    }
  return out;
}

// The groups of "Protected Accounts and Groups in Active Directory" (the AdminSDHolder set) whose
// members administer the domain; Domain Controllers and the read-only DCs are left out, as computers.
bool privileged(const directory::Account& a) {
  static const char* const kGroups[] = {
      "Domain Admins",    "Enterprise Admins", "Schema Admins",   "Administrators", "Account Operators",
      "Backup Operators", "Server Operators",  "Print Operators", "Key Admins",     "Enterprise Key Admins"};
  return std::any_of(std::begin(kGroups), std::end(kGroups), [&](const char* g) { return a.member_of(g); });
}

namespace {

// The etypes the KDC of the account's domain can use for tickets to it (kerberos-rules R2.3): its
// supported set (the attribute or the domain default), its stored keys, the KDC's enabled etypes. A
// client may list RC4 alone in its TGS-REQ, so RC4 in this set is an RC4 ticket on request.
std::uint32_t usable_etypes(const farm::Environment& env, const directory::Account& a) {
  const auto* domain = env.directory.domain_by_dns(a.domain);
  if (!domain) return 0;
  const kerberos::Kdc kdc(env.directory, *domain, env.kdc_policy);
  const auto choice = kdc.choose_etype(a);
  return choice.supported & choice.keys & kerberos::kKdcEnabledEtypes;
}

std::string set_etypes_command(const directory::Account& a) {
  const char* cmdlet = a.kind == directory::AccountKind::Computer ? "Set-ADComputer"
                       : a.kind == directory::AccountKind::Gmsa   ? "Set-ADServiceAccount"
                                                                  : "Set-ADUser";
  const std::string sam = directory::split_account(a.name).sam;
  return std::string(cmdlet) + " -Identity '" + sam + "' -KerberosEncryptionType AES128,AES256";
}

void kerberoastable(const RiskContext& ctx, const directory::Account& a, std::vector<Risk>& out) {
  if (a.kind != directory::AccountKind::User || a.spns.empty() || !a.enabled || iequals(a.sam, "krbtgt")) return;
  const bool rc4 = usable_etypes(ctx.env, a) & kerberos::kRc4Bit;
  const bool admin = privileged(a);
  const Severity severity = admin ? Severity::High : rc4 ? Severity::Medium : Severity::Low;
  Risk r = ctx.risk(severity, "kerberoastable", a.name, "kerberos-rules R2.3");
  r.finding.accounts = {a.name};
  r.finding.spns = a.spns;
  r.finding.message = a.name + " is a user account with SPNs" + (admin ? " and a privileged one" : "") +
                      ": anyone in the forest can ask for a service ticket to " + a.spns.front() +
                      ", which is encrypted with a key derived from its password, and try passwords offline" +
                      (rc4 ? "; RC4 is allowed for it, whose key is the unsalted NT hash (kerberos-rules R2.2)"
                           : " (AES only: slow to crack, not impossible)") +
                      ".";
  r.finding.path.push_back("any domain user → TGS-REQ " + a.spns.front() + (rc4 ? " (etype rc4 only)" : "") +
                           " → a ticket encrypted for " + a.name + " → offline guessing");
  r.no_fix =
      "run the service as a group managed service account (New-ADServiceAccount: its password is random and "
      "changes every 30 days) and move the SPNs to it; until then give " +
      a.name + " a long random password" + (rc4 ? " and allow only AES: " + set_etypes_command(a) : std::string()) +
      ".";
  out.push_back(std::move(r));
}

void encryption_types(const RiskContext& ctx, const directory::Account& a, std::vector<Risk>& out) {
  if (!a.enabled || a.domain_controller) return;
  constexpr std::uint32_t kAes = kerberos::kAes128Bit | kerberos::kAes256Bit;
  if (!a.aes_keys) {
    const bool service = !a.spns.empty();
    Risk r = ctx.risk(service ? Severity::Medium : Severity::Low, "no-aes-keys", a.name, "kerberos-rules R2.2");
    r.finding.accounts = {a.name};
    r.finding.spns = a.spns;
    r.finding.message = a.name +
                        "'s password was last set before its domain had AES keys: it has only an RC4 key, so "
                        "it breaks when RC4 is disabled, and with the April 2026 default for accounts without "
                        "msDS-SupportedEncryptionTypes (AES only, kerberos-rules R2.5).";
    r.finding.path.push_back(a.name + ": keys RC4 only → no common etype once the KDC stops issuing RC4");
    farm::Change c;
    c.action = farm::Action::PasswordChange;
    c.account = a.name;
    r.candidates.push_back({"set a new password on " + a.name + " (a DC of 2008 or later derives its AES keys)", {c}});
    out.push_back(std::move(r));
    return;
  }
  if (a.supported_enctypes && !(*a.supported_enctypes & kAes) && (*a.supported_enctypes & kerberos::kRc4Bit)) {
    Risk r = ctx.risk(Severity::Medium, "rc4-only", a.name, "kerberos-rules R2.4");
    r.finding.accounts = {a.name};
    r.finding.spns = a.spns;
    r.finding.message = a.name + "'s msDS-SupportedEncryptionTypes allows only RC4 (" +
                        kerberos::describe_bits(*a.supported_enctypes) +
                        "): its tickets are RC4, easy to crack, and it fails once the DCs stop issuing RC4.";
    r.finding.path.push_back("TGS-REQ for " + (a.spns.empty() ? a.name : a.spns.front()) +
                             " → an RC4 ticket (kerberos-rules R2.3)");
    r.no_fix = "allow AES on the account (its keys exist): " + set_etypes_command(a) +
               "; kerbsim has no change of its own for msDS-SupportedEncryptionTypes yet, so this is not verified "
               "against the trace.";
    out.push_back(std::move(r));
  }
}

void unprotected_admin(const RiskContext& ctx, const directory::Account& a, std::vector<Risk>& out) {
  if (a.kind != directory::AccountKind::User || !a.enabled || !privileged(a) || a.sensitive || a.protected_user())
    return;
  Risk r = ctx.risk(Severity::High, "privileged-unprotected", a.name, "kerberos-rules R3.5.1");
  r.finding.accounts = {a.name};
  r.finding.message = a.name +
                      " administers the domain but is neither \"sensitive and cannot be delegated\" nor in "
                      "Protected Users: any service trusted for delegation that it authenticates to, or that "
                      "has protocol transition, can act as it.";
  r.finding.path.push_back(a.name + " → any service trusted for delegation → any service as " + a.name);
  farm::Change c;
  c.action = farm::Action::SetDelegation;
  c.account = a.name;
  c.sensitive = true;
  r.candidates.push_back({"mark " + a.name + " sensitive and cannot be delegated", {c}});
  out.push_back(std::move(r));
}

// An SPN on two accounts of a forest: the KDC refuses tickets for it (kerberos-rules R1.7). The fix
// keeps it on the account a server on the SPN's host runs as, when one does.
void duplicates(const RiskContext& ctx, std::vector<Risk>& out) {
  const auto& dir = ctx.env.directory;
  for (const auto& [key, holders] : dir.duplicate_spns()) {
    std::string text = key;
    for (const auto& s : dir.account(holders.front()).spns)
      if (directory::spn_key(s) == key) text = s;
    const auto spn = directory::Spn::parse(text);
    std::vector<std::string> names;
    for (const auto id : holders) names.push_back(dir.account(id).name);
    Risk r = ctx.risk(Severity::High, "duplicate-spn", text, "kerberos-rules R1.7");
    r.finding.accounts = names;
    r.finding.spns = {text};
    r.finding.message = text + " is registered on " + join(names) +
                        ": the KDC refuses tickets for it (System event 11 on the DC) and clients fall back to "
                        "NTLM. Keep it on the one account that runs the service.";
    r.finding.path.push_back("TGS-REQ " + text + " → KRB-ERROR (two accounts hold it)");
    // Keep it on an account that runs a server of the SPN's host first.
    std::vector<directory::AccountId> keepers;
    if (const farm::Host* h = spn ? ctx.host_named(spn->host) : nullptr) {
      r.finding.hosts = {h->name};
      for (const Vertex v : ctx.graph.host_accounts(h->name))
        if (const auto& id = ctx.graph.node(v).account;
            id && std::find(holders.begin(), holders.end(), *id) != holders.end() &&
            std::find(keepers.begin(), keepers.end(), *id) == keepers.end())
          keepers.push_back(*id);
    }
    for (const auto id : holders)
      if (std::find(keepers.begin(), keepers.end(), id) == keepers.end()) keepers.push_back(id);
    for (const auto keep : keepers) {
      if (!spn) break;
      std::vector<farm::Change> changes;
      for (const auto id : holders) {
        if (id == keep) continue;
        farm::Change c;
        c.action = farm::Action::RemoveSpn;
        c.account = dir.account(id).name;
        c.spn = *spn;
        changes.push_back(c);
      }
      r.candidates.push_back({"keep " + text + " on " + dir.account(keep).name + " only", changes});
    }
    out.push_back(std::move(r));
  }
}

// A call written "as caller" from a server that does not impersonate runs as the pool (iis-rules 3.12):
// the back end sees the pool's account for every user, which the design did not mean.
void calls_as_pool(const RiskContext& ctx, const farm::Host& host, std::vector<Risk>& out) {
  for (const auto& s : farm::services_of(host)) {
    if (s.impersonates) continue;
    for (const auto& call : s.calls) {
      if (call.as != "caller") continue;
      const std::string label = host.name + ": " + s.label();
      Risk r = ctx.risk(Severity::Medium, "caller-runs-as-pool", label, s.impersonation_rule);
      r.finding.hosts = {host.name, call.to};
      if (!s.outbound_account.empty()) r.finding.accounts = {s.outbound_account};
      const std::string as = s.outbound_account.empty() ? s.process_name : s.outbound_account;
      r.finding.message = s.label() + " on " + host.name + " calls " + call.to + " \"as caller\", but it does " +
                          "not impersonate: the call runs as " + as + " for every user, so " + call.to +
                          " never sees who the user is.";
      r.finding.path.push_back("user → " + host.name + " (" + s.label() + ") → " + call.to + " as " + as);
      r.no_fix = "turn on impersonation for " + s.label() +
                 " (ASP.NET <identity impersonate=\"true\" /> in its web.config) and delegate from " +
                 (as.empty() ? std::string("its identity") : as) + " to " + call.to +
                 ", or write the call as \"as\": \"process\" if the pool's identity is what " + call.to +
                 " should see.";
      out.push_back(std::move(r));
    }
  }
}

}  // namespace

void account_risks(const RiskContext& ctx, std::vector<Risk>& out) {
  for (const auto& a : ctx.env.directory.accounts()) {
    kerberoastable(ctx, a, out);
    encryption_types(ctx, a, out);
    unprotected_admin(ctx, a, out);
  }
  duplicates(ctx, out);
}

void host_risks(const RiskContext& ctx, std::vector<Risk>& out) {
  const auto skew = ctx.env.kdc_policy.max_clock_skew;
  for (const auto& h : ctx.env.hosts) {
    if (h.domain_joined() && std::llabs(h.clock_offset) > skew) {
      Risk r = ctx.risk(Severity::High, "clock-skew", h.name, "kerberos-rules R2.8");
      r.finding.hosts = {h.name};
      r.finding.message = h.name + "'s clock is " + engine::format_duration(h.clock_offset) +
                          " off its domain controllers', more than the " + engine::format_duration(skew) +
                          " MaxClockSkew allows: its Kerberos requests and the tickets it is shown are refused "
                          "(KRB_AP_ERR_SKEW).";
      r.finding.path.push_back(h.name + " → AS-REQ or AP-REQ with a timestamp " +
                               engine::format_duration(h.clock_offset) + " off → KRB_AP_ERR_SKEW");
      r.no_fix = "resynchronise " + h.name + " with the domain's time hierarchy (members follow a DC, the PDC " +
                 "emulator of the forest root an outside source): w32tm /resync /rediscover on " + h.name + ".";
      out.push_back(std::move(r));
    }
    if (!h.iis) continue;
    for (const auto& p : h.iis->app_pools) {
      if (p.identity.type != web::IdentityType::LocalSystem) continue;
      const std::string subject = h.name + "/" + p.name;
      Risk r = ctx.risk(Severity::High, "localsystem-app-pool", subject, "iis-rules 2.1");
      r.finding.hosts = {subject};
      if (!h.computer_account.empty()) r.finding.accounts = {h.computer_account};
      r.finding.message = "app pool " + p.name + " on " + h.name +
                          " runs as LocalSystem, the highest local privilege: code in it owns the machine. "
                          "ApplicationPoolIdentity presents the same computer account on the network.";
      r.finding.path.push_back("a request to a site of " + p.name + " → code running as SYSTEM on " + h.name);
      farm::Change c;
      c.action = farm::Action::ChangeAppPoolIdentity;
      c.host = h.name;
      c.app_pool = p.name;
      c.identity.type = web::IdentityType::ApplicationPoolIdentity;
      r.candidates.push_back({"run app pool " + p.name + " on " + h.name + " as ApplicationPoolIdentity", {c}});
      out.push_back(std::move(r));
    }
    for (const auto& s : h.iis->sites) {
      if (!s.anonymous_enabled || !s.windows_enabled) continue;
      Risk r = ctx.risk(Severity::Info, "anonymous-and-windows", h.name + "/" + s.name, "iis-rules 3.10");
      r.finding.hosts = {h.name};
      r.finding.message = "site " + s.name + " on " + h.name +
                          " enables anonymous and Windows authentication: while the anonymous identity may read "
                          "the content, no Windows identity is ever requested.";
      out.push_back(std::move(r));
    }
  }
  for (const auto& h : ctx.env.hosts) calls_as_pool(ctx, h, out);
}

std::vector<Risk> design_risks(const farm::Environment& env, const DelegationGraph& graph, const TraceReport& traced) {
  const RiskContext ctx{env, graph, traced};
  std::vector<Risk> out;
  delegation_risks(ctx, out);
  account_risks(ctx, out);
  host_risks(ctx, out);
  std::stable_sort(out.begin(), out.end(), [](const Risk& a, const Risk& b) {
    return std::tie(a.finding.severity, a.finding.code, a.finding.subject) <
           std::tie(b.finding.severity, b.finding.code, b.finding.subject);
  });
  return out;
}

}  // namespace kerbsim::analysis
