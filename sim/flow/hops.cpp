#include "flow/hops.h"

#include "flow/kdc_exchange.h"

#include "farm/resolver.h"

#include <algorithm>
#include <utility>

#include "directory/names.h"
#include "kerberos/ap_req.h"
#include "kerberos/kdc.h"
#include "net/url.h"

namespace kerbsim::flow {
namespace {

using directory::iequals;
using kerberos::KdcReply;
using kerberos::KrbError;
using kerberos::Ticket;

constexpr const char* kAnonymousLogon = "NT AUTHORITY\\ANONYMOUS LOGON";

// Where a call lands: the host, and the server there that answers it.
struct Target {
  const farm::Host* host = nullptr;
  std::string fqdn;  // the canonical DNS name
  std::optional<net::Url> url;
  std::optional<farm::Service> service;
  directory::Spn spn;
  std::string service_label;
  bool sql() const { return service && service->kind == farm::ServerKind::Sql; }
};

std::string reply_result(const KdcReply& r) {
  if (r.kind == KdcReply::Kind::Ticket)
    return "TGS-REP, ticket for " + r.ticket.encrypted_for + (r.ticket.flags.forwardable ? " (forwardable)" : "");
  if (r.kind == KdcReply::Kind::Referral) return "referral TGT for " + directory::to_upper(r.referral_domain);
  std::string s = "KRB-ERROR " + kerberos::error_label(r.error);
  if (r.status != kerberos::NtStatus::None) s += ", " + kerberos::status_name(r.status);
  return s;
}

class HopTracer {
 public:
  HopTracer(const farm::Environment& env, const farm::FarmState& state, const farm::Service& tier,
            const CallerContext& caller, StepLog& log, int depth)
      : env_(env), state_(state), tier_(tier), caller_(caller), log_(log), depth_(depth) {}

  HopOutcome run(const base::Call& call);

 private:
  bool resolve(const base::Call& call, Target& t, HopOutcome& hop);
  std::string domain_of(const std::string& account) const;
  std::optional<Ticket> logon_tgt(const std::string& account);
  std::optional<Ticket> request_ticket(const Ticket& tgt, const std::string& requester, const directory::Spn& spn,
                                       std::optional<Error>& error);
  std::optional<Ticket> s4u(const std::string& service1, const directory::Spn& spn, std::optional<Error>& error,
                            Delegation& kind);
  void authenticate(const Target& t, const std::string& identity, std::optional<Ticket> ticket, Protocol fallback,
                    HopOutcome& hop);
  void follow(const Target& t, HopOutcome& hop, const std::optional<Ticket>& ticket);

  engine::SimTime clock_of(const farm::Host& host) const { return farm::clock_offset(host, state_.of(env_, host)); }

  const farm::Environment& env_;
  const farm::FarmState& state_;
  const farm::Service& tier_;
  const CallerContext& caller_;
  StepLog& log_;
  int depth_;
  std::string registration_note_;
  std::string from() const { return tier_.host->name; }
};

std::string HopTracer::domain_of(const std::string& account) const {
  const auto* d = env_.directory.domain_of(account);
  return d ? d->dns : "";
}

bool HopTracer::resolve(const base::Call& call, Target& t, HopOutcome& hop) {
  const farm::CallTarget to = farm::resolve_call(env_, *tier_.host, call);
  t.host = to.host;
  t.fqdn = to.fqdn;
  t.url = to.url;
  if (!t.host) {
    log_.add(StepKind::Decision, from(), from(), "connect to " + to.name_used, "name does not resolve",
             "no host answers for " + to.name_used, "iis-rules 4.4")
        .failed = true;
    hop.result = HopResult::AuthFailed;
    hop.error = Error{ErrorKind::HostUnreachable};
    return false;
  }
  hop.to = t.host->name;
  if (t.url) {
    t.service = farm::serve_web(*t.host, *t.url);
    // .NET builds HTTP SPNs from the host as typed (iis-rules 4.13).
    t.spn = {.service_class = "HTTP", .host = t.url->host};
    t.service_label = t.service ? t.service->label() : "web server";
    if (!t.service) {
      log_.add(StepKind::Http, from(), t.host->name, "GET " + t.url->path, "no web application answers",
               t.host->name + " has no site or report server for " + call.url, "iis-rules 3.14")
          .failed = true;
      hop.result = HopResult::AuthFailed;
      hop.error = Error{ErrorKind::NoSiteBinding};
      return false;
    }
  } else {
    const std::string instance = call.instance.empty() ? "MSSQLSERVER" : call.instance;
    t.service = farm::serve_sql(*t.host, instance);
    if (!t.service) {
      log_.add(StepKind::Sql, from(), t.host->name, "connect to instance " + instance,
               "error 26: Error Locating Server/Instance Specified", t.host->name + " has no instance " + instance,
               "iis-rules 6.4")
          .failed = true;
      hop.result = HopResult::AuthFailed;
      hop.error = Error{ErrorKind::SqlInstanceNotFound};
      return false;
    }
    // The driver resolves the FQDN and adds the TCP port (iis-rules 6.5, kerberos-rules R1.11).
    t.spn = t.service->sql->tcp_spn(t.fqdn);
    t.service_label = t.service->label();
    if (!t.service->sql->spn_registration.empty()) registration_note_ = t.service->sql->spn_registration;
  }
  hop.service = t.spn.to_string();
  return true;
}

std::optional<Ticket> HopTracer::logon_tgt(const std::string& account) {
  const std::string domain = domain_of(account);
  const auto* dom = env_.directory.domain_by_dns(domain);
  if (!dom) return std::nullopt;
  kerberos::Kdc kdc(env_.directory, *dom, env_.kdc_policy);
  const KdcReply r = kdc.as_exchange(account, 0, clock_of(*tier_.host));
  if (!r.ok()) {
    Step& s = log_.add(StepKind::AsExchange, from(), env_.dc_name(domain), "AS-REQ " + account,
                       "KRB-ERROR " + kerberos::error_label(r.error), r.why, r.rule);
    s.failed = true;
    attach_reply(s, r);
    return std::nullopt;
  }
  return r.ticket;
}

// A plain TGS exchange (with referrals) with the requester's TGT.
std::optional<Ticket> HopTracer::request_ticket(const Ticket& tgt_in, const std::string& requester,
                                                const directory::Spn& spn, std::optional<Error>& error) {
  const Ticket& tgt = tgt_in;
  std::string domain = directory::to_lower(tgt.server_realm.empty() ? domain_of(requester) : tgt.server_realm);
  if (tgt.server.rfind("krbtgt/", 0) == 0) domain = directory::to_lower(tgt.server.substr(7));
  const auto reply = chase_referrals(
      env_, domain, tgt, [&](const kerberos::Kdc& kdc, const Ticket& t) { return kdc.tgs_exchange(t, spn, 0); },
      [&](const KdcReply& r, const std::string& kdc_domain) {
        Step& s = log_.add(StepKind::TgsExchange, from(), env_.dc_name(kdc_domain),
                           "TGS-REQ " + spn.to_string() + " as " + requester, reply_result(r), r.why, r.rule);
        s.failed = !r.ok();
        attach_reply(s, r);
      });
  if (reply && reply->kind == KdcReply::Kind::Ticket) return reply->ticket;
  error = reply ? krb(reply->error) : krb(KrbError::KDC_ERR_WRONG_REALM);
  return std::nullopt;
}

// Constrained or resource-based delegation: S4U2Self when the user did not bring Kerberos evidence
// for Service 1, then S4U2Proxy (kerberos-rules R3.2-R3.4). Service 1 is the account whose
// credentials make the outbound request.
std::optional<Ticket> HopTracer::s4u(const std::string& service1, const directory::Spn& spn,
                                     std::optional<Error>& error, Delegation& kind) {
  const std::string domain = domain_of(service1);
  const auto* dom = env_.directory.domain_by_dns(domain);
  const auto tgt = logon_tgt(service1);
  if (!dom || !tgt) {
    error = krb(KrbError::KDC_ERR_C_PRINCIPAL_UNKNOWN);
    return std::nullopt;
  }
  Ticket evidence;
  if (caller_.protocol == Protocol::Kerberos && caller_.evidence) {
    evidence = *caller_.evidence;
    Step& s = log_.add(StepKind::Decision, from(), from(), "evidence for S4U2Proxy",
                       "the user's ticket to " + evidence.encrypted_for,
                       "the user authenticated with Kerberos, so the ticket " + tier_.label() +
                           " accepted is the evidence; the account whose key decrypted it and the account that "
                           "makes the outbound request must be the same and hold the delegation settings",
                       "kerberos-rules R3.2.2");
    if (!iequals(evidence.encrypted_for, service1))
      s.details.push_back("the ticket was decrypted with the key of " + evidence.encrypted_for +
                          " but the request "
                          "leaves as " +
                          service1 +
                          " (kernel-mode authentication with a domain pool identity): "
                          "the KDC will not accept another account's ticket as evidence [kerberos-rules R3.2.3]");
  } else {
    // Protocol transition: a ticket to Service 1 on the user's behalf (R3.3).
    const auto reply = chase_referrals(
        env_, domain, *tgt, [&](const kerberos::Kdc& kdc, const Ticket& t) { return kdc.s4u2self(t, caller_.user, 0); },
        [&](const KdcReply& r, const std::string& kdc_domain) {
          Step& s =
              log_.add(StepKind::TgsExchange, from(), env_.dc_name(kdc_domain),
                       "S4U2Self: ticket to " + service1 + " for " + caller_.user, reply_result(r), r.why, r.rule);
          s.failed = !r.ok();
          s.action = StepAction::S4U2Self;
          attach_reply(s, r);
        });
    if (!reply || reply->kind != KdcReply::Kind::Ticket) {
      error = reply ? krb(reply->error) : krb(KrbError::KDC_ERR_WRONG_REALM);
      return std::nullopt;
    }
    evidence = reply->ticket;
  }

  const auto reply = chase_referrals(
      env_, domain, *tgt,
      [&](const kerberos::Kdc& kdc, const Ticket& t) { return kdc.s4u2proxy(t, evidence, spn, 0, true); },
      [&](const KdcReply& r, const std::string& kdc_domain) {
        Step& s = log_.add(StepKind::TgsExchange, from(), env_.dc_name(kdc_domain),
                           "S4U2Proxy: " + spn.to_string() + " for " + evidence.client + " as " + service1,
                           reply_result(r), r.why, r.rule);
        s.failed = !r.ok();
        s.action = StepAction::S4U2Proxy;
        attach_reply(s, r);
      });
  if (!reply || reply->kind != KdcReply::Kind::Ticket) {
    error = reply ? krb(reply->error) : krb(KrbError::KDC_ERR_WRONG_REALM);
    return std::nullopt;
  }
  bool classic = false;
  if (const auto id = env_.directory.find_account(service1))
    for (const auto& allowed : env_.directory.account(*id).allowed_to_delegate_to) classic |= spn.matches(allowed);
  kind = !classic                 ? Delegation::ResourceBased
         : evidence.from_s4u2self ? Delegation::ProtocolTransition
                                  : Delegation::Constrained;
  return reply->ticket;
}

void HopTracer::authenticate(const Target& t, const std::string& identity, std::optional<Ticket> ticket,
                             Protocol fallback, HopOutcome& hop) {
  const bool sql = t.sql();
  const std::string connect = sql ? "TDS login" : "GET " + t.url->path;
  if (ticket) {
    const auto ap = farm::accept_ap_req(env_, *ticket, t.service->key.account, clock_of(*tier_.host), *t.host,
                                        state_.of(env_, *t.host));
    if (ap.ok()) {
      log_.add(sql ? StepKind::Sql : StepKind::ApExchange, from(), t.host->name,
               connect + " with Kerberos as " + identity + " (ticket for " + ticket->encrypted_for + ")",
               sql ? "login succeeded as " + identity + ", auth_scheme KERBEROS" : "200 OK as " + identity, ap.why,
               ap.rule);
      hop.protocol = Protocol::Kerberos;
      hop.identity = identity;
      hop.result = HopResult::Ok;
      return;
    }
    log_.add(sql ? StepKind::Sql : StepKind::ApExchange, from(), t.host->name,
             connect + " with Kerberos as " + identity + " (ticket for " + ticket->encrypted_for + ")",
             sql ? "The target principal name is incorrect. Cannot generate SSPI context." : "401",
             ap.why + "; no fallback to NTLM after a rejected ticket", sql ? "iis-rules 6.6" : "iis-rules 0.5")
        .failed = true;
    hop.protocol = Protocol::Kerberos;
    hop.result = HopResult::AuthFailed;
    if (!hop.error) hop.error = sql ? Error{ErrorKind::SspiContext} : krb(ap.error);
    return;
  }
  // No ticket: NTLM with whatever the calling token holds.
  const bool anonymous = identity == kAnonymousLogon;
  hop.protocol = fallback;
  hop.identity = identity;
  if (anonymous) {
    Step& s = log_.add(
        sql ? StepKind::Sql : StepKind::Http, from(), t.host->name, connect + " as " + identity,
        sql ? "Login failed for user 'NT AUTHORITY\\ANONYMOUS LOGON'. (error 18456, severity 14, state 1)" : "401",
        "the calling token cannot authenticate off this machine, so the connection arrives as the anonymous logon",
        "kerberos-rules R4.1");
    s.failed = true;
    if (sql)
      s.details.push_back(
          "the client always sees state 1; the state in SQL Server's errorlog names the real "
          "reason (its value for this case is UNCONFIRMED) [iis-rules 6.8]");
    hop.result = sql ? HopResult::LoginFailed : HopResult::AuthFailed;
    if (!hop.error) hop.error = sql ? Error{ErrorKind::SqlLoginFailed} : Error{ErrorKind::Http401};
    return;
  }
  log_.add(sql ? StepKind::Sql : StepKind::Ntlm, from(), t.host->name, connect + " with NTLM as " + identity,
           sql ? "login succeeded as " + identity + ", auth_scheme NTLM" : "200 OK as " + identity,
           "no Kerberos ticket, so NTLM with the caller's own credentials", "iis-rules 6.6");
  hop.result = HopResult::Ok;
}

// The target tier's own calls, with the identity that arrived there (linked servers, data sources).
void HopTracer::follow(const Target& t, HopOutcome& hop, const std::optional<Ticket>& ticket) {
  const farm::Service& next = *t.service;
  if (next.calls.empty()) return;
  CallerContext ctx;
  const bool is_user = hop.identity && *hop.identity != kAnonymousLogon;
  ctx.user = is_user ? *hop.identity : "";
  ctx.anonymous_identity = is_user ? "" : kAnonymousLogon;
  ctx.protocol = hop.protocol;
  if (hop.protocol == Protocol::Kerberos) ctx.evidence = ticket;
  hop.hops = trace_calls(env_, state_, next, ctx, log_, depth_ + 1);
}

HopOutcome HopTracer::run(const base::Call& call) {
  HopOutcome hop;
  hop.to = call.to;
  hop.as = call.as;
  Target t;
  if (!resolve(call, t, hop)) return hop;
  const bool same_machine = t.host == tier_.host;

  // Whose identity makes the call (iis-rules 3.12, 6.9, 7.7).
  std::string mode = call.as;
  if (mode == "caller" && !tier_.impersonates) mode = "process";
  std::string account;  // the identity presented, or the anonymous logon
  bool local_account = false;
  std::string why;
  std::string rule = "iis-rules 3.12";
  if (mode == "anonymous") {
    account = kAnonymousLogon;
    why = "the call is made without a security context";
    rule = "iis-rules 6.9";
  } else if (mode == "process") {
    account = tier_.outbound_account;
    why = call.as == "caller"
              ? tier_.label() + " does not impersonate, so the call runs as its process identity " + tier_.process_name
              : "the call runs as the process identity " + tier_.process_name;
    if (account.empty() && tier_.process.type == web::IdentityType::LocalAccount) {
      account = tier_.process.account;
      local_account = true;
      why += ", a local account of " + tier_.host->name + " that no other machine can validate";
      rule = "iis-rules 1.2";
    } else if (account.empty() && tier_.process.type == web::IdentityType::LocalService) {
      account = kAnonymousLogon;
      why += ", which has no network credentials and acts as a null session";
      rule = "iis-rules 2.1";
    } else if (account.empty()) {
      account = kAnonymousLogon;
      why += "; " + tier_.host->name +
             " is a workgroup machine with no computer account in a domain, so the "
             "identity reaches other servers anonymously (UNCONFIRMED)";
      rule = "iis-rules 2.5";
    } else if (tier_.process.built_in()) {
      why += ", which acts on the network as the computer account " + account;
      rule = "iis-rules 2.6";
    }
  } else if (mode == "caller") {
    if (caller_.user.empty()) {
      account = kAnonymousLogon;
      why = "the request ran as the anonymous identity " + caller_.anonymous_identity +
            ", which acts anonymously on the network";
      rule = "iis-rules 1.6";
    } else {
      account = caller_.user;
      why = tier_.label() + " impersonates the caller " + caller_.user;
      rule = tier_.impersonation_rule;
    }
  } else {
    account = call.as;
    why = "the call uses the stored credentials of " + call.as + ", so no delegation is needed";
    rule = "iis-rules 7.7";
  }
  Step& decided = log_.add(StepKind::Decision, from(), from(), "call " + t.service_label + " on " + t.host->name,
                           "as " + (same_machine && mode == "process" ? tier_.process_name : account), why, rule);
  if (!registration_note_.empty()) decided.details.push_back(registration_note_);
  if (mode == "caller" && !caller_.user.empty())
    decided.details.push_back(std::string("the thread's token is at ") +
                              (caller_.forwarded_tgt
                                   ? "Delegation level: the client forwarded its TGT"
                                   : "Impersonation level: usable on this machine; off it only through constrained or "
                                     "resource-based delegation") +
                              " [iis-rules 0.11]");

  if (local_account && !same_machine) {
    // NTLM with a local account the target's SAM and domain do not know (iis-rules 1.2, 6.11).
    log_.add(t.sql() ? StepKind::Sql : StepKind::Ntlm, from(), t.host->name, "NTLM as " + account,
             t.sql() ? "Login failed. The login is from an untrusted domain and cannot be used with Windows "
                       "authentication. (error 18452)"
                     : "401.1 Logon failed",
             t.host->name + " cannot validate " + account + ", an account of " + from() + "'s own SAM",
             "iis-rules 6.11")
        .failed = true;
    hop.protocol = Protocol::Ntlm;
    hop.identity = account;
    hop.result = t.sql() ? HopResult::LoginFailed : HopResult::AuthFailed;
    hop.error = t.sql() ? Error{ErrorKind::SqlUntrustedDomain} : Error{ErrorKind::StatusLogonFailure};
    return hop;
  }
  if (account == kAnonymousLogon) {
    authenticate(t, account, std::nullopt, Protocol::Anonymous, hop);
    follow(t, hop, std::nullopt);
    return hop;
  }
  if (same_machine) {
    // A local connection: NTLM with the local token; no delegation needed (iis-rules 6.10, kerberos-rules R4.2).
    const std::string local = mode == "process" ? tier_.process_name : account;
    log_.add(t.sql() ? StepKind::Sql : StepKind::Ntlm, from(), t.host->name, "local connection as " + local,
             t.sql() ? "login succeeded as " + local + ", auth_scheme NTLM" : "200 OK as " + local,
             "the back end is on the same machine: the connection is local, uses NTLM and needs no delegation",
             "iis-rules 6.10");
    hop.protocol = Protocol::Ntlm;
    hop.identity = local;
    hop.result = HopResult::Ok;
    return hop;
  }

  std::optional<Ticket> ticket;
  if (mode == "caller" && caller_.protocol != Protocol::Basic) {
    if (caller_.forwarded_tgt) {
      // Unconstrained delegation: the user's forwarded TGT asks for the ticket (kerberos-rules R3.1.2).
      std::optional<Error> error;
      ticket = request_ticket(*caller_.forwarded_tgt, caller_.user, t.spn, error);
      if (ticket) hop.delegation = Delegation::Unconstrained;
      if (!ticket) hop.error = error;
    } else {
      const std::string service1 = tier_.outbound_account;
      std::optional<Error> error;
      Delegation kind = Delegation::None;
      if (!service1.empty()) ticket = s4u(service1, t.spn, error, kind);
      if (ticket) {
        hop.delegation = kind;
      } else {
        hop.error = error ? *error : Error{ErrorKind::NoDelegation};
        // Delegation failed: the impersonation-level token goes out as the anonymous logon (R4.2).
        authenticate(t, kAnonymousLogon, std::nullopt, Protocol::Anonymous, hop);
        return hop;
      }
    }
  } else {
    // The identity's own credentials: its TGT, then a plain TGS exchange (no delegation).
    if (const auto tgt = logon_tgt(account)) {
      std::optional<Error> error;
      ticket = request_ticket(*tgt, account, t.spn, error);
      if (!ticket) hop.error = error;
    }
  }
  authenticate(t, account, ticket, Protocol::Ntlm, hop);
  if (hop.result == HopResult::Ok) follow(t, hop, ticket);
  return hop;
}

}  // namespace

Step& StepLog::add(StepKind kind, std::string from, std::string to, std::string message, std::string result,
                   std::string why, std::string rule) {
  Step s;
  s.seq = static_cast<int>(steps_.size()) + 1;
  s.kind = kind;
  s.from = std::move(from);
  s.to = std::move(to);
  s.message = std::move(message);
  s.result = std::move(result);
  s.why = std::move(why);
  s.rule = std::move(rule);
  steps_.push_back(std::move(s));
  return steps_.back();
}

std::vector<HopOutcome> trace_calls(const farm::Environment& env, const farm::FarmState& state,
                                    const farm::Service& tier, const CallerContext& caller, StepLog& log, int depth) {
  std::vector<HopOutcome> hops;
  if (depth >= kMaxHopDepth) return hops;
  for (const auto& call : tier.calls) {
    HopTracer tracer(env, state, tier, caller, log, depth);
    hops.push_back(tracer.run(call));
  }
  return hops;
}

}  // namespace kerbsim::flow
