// One question to the simulated KDC (`kerbsim kdc`): the exchanges a client or service makes to
// get the answer, each recorded as a step with its reason and rule.
#include "flow/kdc_question.h"

#include <utility>

#include "directory/names.h"
#include "flow/hops.h"
#include "flow/kdc_exchange.h"
#include "kerberos/kdc.h"

namespace kerbsim::flow {
namespace {

using kerberos::KdcReply;
using kerberos::Ticket;

std::vector<std::string> flag_names(const Ticket& t) {
  std::vector<std::string> out;
  if (t.flags.forwardable) out.emplace_back("forwardable");
  if (t.flags.forwarded) out.emplace_back("forwarded");
  if (t.flags.renewable) out.emplace_back("renewable");
  if (t.flags.initial) out.emplace_back("initial");
  if (t.flags.pre_authent) out.emplace_back("pre_authent");
  if (t.flags.ok_as_delegate) out.emplace_back("ok_as_delegate");
  return out;
}

class Asker {
 public:
  Asker(const farm::Environment& env, const KdcQuestion& q) : env_(env), q_(q) {}

  KdcAnswer run() {
    switch (q_.kind) {
      case KdcQuestionKind::As: {
        const auto user = account(q_.user);
        if (!user) break;
        if (const auto tgt = tgt_of(*user, q_.forwardable)) finish(*tgt);
        break;
      }
      case KdcQuestionKind::Tgs: {
        const auto user = account(q_.user);
        if (!user) break;
        const auto spn = spn_asked();
        if (!spn) break;
        const auto tgt = tgt_of(*user, q_.forwardable);
        if (!tgt) break;
        if (const auto st = service_ticket(*tgt, *spn)) finish(*st);
        break;
      }
      case KdcQuestionKind::S4u2Self: {
        const auto service = account(q_.service);
        const auto user = account(q_.user);
        if (!service || !user) break;
        const auto tgt = tgt_of(*service, true);
        if (!tgt) break;
        if (const auto t = s4u2self(*tgt, *user)) finish(*t);
        break;
      }
      case KdcQuestionKind::S4u2Proxy: {
        const auto service = account(q_.service);
        const auto user = account(q_.user);
        if (!service || !user) break;
        const auto target = spn_asked();
        if (!target) break;
        const auto tgt = tgt_of(*service, true);
        if (!tgt) break;
        std::optional<Ticket> evidence;
        if (q_.user_ticket_evidence) {
          // The user reached the service with Kerberos: its own ticket to one of the service's SPNs.
          const auto id = env_.directory.find_account(*service);
          const auto& spns = env_.directory.account(*id).spns;
          if (spns.empty()) {
            answer_.problem = q_.service + " holds no SPN, so no user can get a ticket to it";
            break;
          }
          const auto user_tgt = tgt_of(*user, q_.forwardable);
          if (!user_tgt) break;
          // The directory's values were checked when the scenario was read.
          evidence = service_ticket(*user_tgt, directory::Spn::parse(spns.front()).value());
        } else {
          evidence = s4u2self(*tgt, *user);
        }
        if (!evidence) break;
        // A back end in another domain: the service's KDC refers it there (R3.4.5).
        const std::string message = "TGS-REQ " + q_.spn + " (S4U2Proxy, evidence: " +
                                    (q_.user_ticket_evidence ? "the user's ticket" : "the S4U2Self ticket") + ")";
        const auto r = chase_referrals(
            env_, domain_of(*service).dns, *tgt,
            [&](const kerberos::Kdc& kdc, const Ticket& t) { return kdc.s4u2proxy(t, *evidence, *target, 0); },
            [&](const KdcReply& reply, const std::string& d) {
              record(StepKind::TgsExchange, *service, dc(d), message, reply);
            });
        if (r && r->kind == KdcReply::Kind::Ticket) finish(r->ticket);
        break;
      }
      case KdcQuestionKind::ForwardTgt: {
        const auto user = account(q_.user);
        if (!user) break;
        const auto tgt = tgt_of(*user, q_.forwardable);
        if (!tgt) break;
        const auto& dom = domain_of(*user);
        kerberos::Kdc kdc(env_.directory, dom, env_.kdc_policy);
        const KdcReply r = kdc.forwarded_tgt(*tgt, 0);
        record(StepKind::TgsExchange, *user, dc(dom), "TGS-REQ krbtgt/" + dom.realm() + " (forwarded TGT)", r);
        if (r.kind == KdcReply::Kind::Ticket) finish(r.ticket);
        break;
      }
    }
    return std::move(answer_);
  }

 private:
  // An account named as in the scenario ("CORP\\alice"), by sAMAccountName ("alice", "WEB1$") in
  // any domain, or as user@REALM.
  std::optional<std::string> account(const std::string& name) {
    std::string wanted = name;
    if (const auto at = name.find('@'); at != std::string::npos) {
      const std::string realm = name.substr(at + 1);
      const directory::Domain* match = nullptr;
      for (const auto& d : env_.directory.domains())
        if (directory::iequals(d.dns, realm)) match = &d;
      if (!match) {
        answer_.problem = "the scenario has no domain " + realm;
        return std::nullopt;
      }
      wanted = match->netbios + "\\" + name.substr(0, at);
    }
    if (const auto id = env_.directory.find_account(wanted)) return env_.directory.account(*id).name;
    std::optional<directory::AccountId> found;
    const auto& accounts = env_.directory.accounts();
    for (std::size_t i = 0; i < accounts.size(); ++i)
      if (directory::iequals(accounts[i].sam, wanted) || directory::iequals(accounts[i].sam, wanted + "$")) {
        if (found) {
          answer_.problem = "\"" + name + "\" names accounts in more than one domain; write DOMAIN\\" + name;
          return std::nullopt;
        }
        found = i;
      }
    if (found) return env_.directory.account(*found).name;
    // No such account: the question still goes to the KDC, which answers for unknown names
    // (KDC_ERR_C_PRINCIPAL_UNKNOWN), as a real one does.
    if (env_.directory.domains().empty()) {
      answer_.problem = "the scenario has no domain, so there is no KDC to ask";
      return std::nullopt;
    }
    if (wanted.find('\\') != std::string::npos) {
      if (!env_.directory.domain_of(wanted)) {
        answer_.problem = "the scenario has no domain " + directory::split_account(wanted).domain;
        return std::nullopt;
      }
      return wanted;
    }
    return env_.directory.domains().front().netbios + "\\" + wanted;
  }

  const directory::Domain& domain_of(const std::string& account) const {
    if (const auto id = env_.directory.find_account(account))
      return *env_.directory.domain_by_dns(env_.directory.account(*id).domain);
    if (const auto* d = env_.directory.domain_by_netbios(directory::split_account(account).domain)) return *d;
    return env_.directory.domains().front();
  }
  std::string dc(const directory::Domain& d) const { return env_.dc_name(d.dns); }
  std::string dc(const std::string& domain) const { return env_.dc_name(domain); }

  void record(StepKind kind, const std::string& from, const std::string& to, const std::string& message,
              const KdcReply& r) {
    std::string result;
    if (r.kind == KdcReply::Kind::Ticket)
      result = (r.ticket.is_tgt() ? "TGT" : "ticket for " + r.ticket.encrypted_for) + " (" +
               kerberos::etype_name(r.ticket.etype) + ", kvno " + std::to_string(r.ticket.kvno) + ")";
    else if (r.kind == KdcReply::Kind::Referral)
      result = "referral TGT for " + directory::to_upper(r.referral_domain);
    else
      result = "KRB-ERROR " + kerberos::error_label(r.error) +
               (r.status != kerberos::NtStatus::None ? " (" + kerberos::status_name(r.status) + ")" : "");
    Step& s = StepLog(answer_.steps).add(kind, from, to, message, result, r.why, r.rule);
    s.failed = !r.ok();
    attach_reply(s, r);
    answer_.reason = r.why + (r.rule.empty() ? "" : " [" + r.rule + "]");
    if (!r.ok()) {
      answer_.error = kerberos::error_name(r.error);
      if (r.status != kerberos::NtStatus::None) answer_.status = kerberos::status_name(r.status);
    }
  }

  // The account's TGT, as kinit asks for it: forwardable when requested (kinit -f) and allowed.
  std::optional<Ticket> tgt_of(const std::string& account, bool forwardable) {
    const auto& dom = domain_of(account);
    kerberos::Kdc kdc(env_.directory, dom, env_.kdc_policy);
    const KdcReply r = kdc.as_exchange(account, 0, 0, forwardable);
    record(StepKind::AsExchange, account, dc(dom),
           "AS-REQ " + account + (forwardable ? " (forwardable requested)" : " (forwardable not requested)"), r);
    if (r.kind != KdcReply::Kind::Ticket) return std::nullopt;
    return r.ticket;
  }

  // The ticket of a successful chain of requests (kerberos-rules R1.12), recording each step.
  static std::optional<Ticket> ticket_of(const std::optional<KdcReply>& r) {
    if (r && r->kind == KdcReply::Kind::Ticket) return r->ticket;
    return std::nullopt;
  }

  // The SPN the question names, typed where it enters the model; nullopt when the text is not one.
  std::optional<directory::Spn> spn_asked() {
    auto spn = directory::Spn::parse(q_.spn);
    if (!spn)
      answer_.problem =
          "\"" + q_.spn + "\" is not an SPN: serviceclass/host[:port][/servicename] [kerberos-rules R1.1]";
    return spn;
  }

  // A service ticket with a TGT, following referrals.
  std::optional<Ticket> service_ticket(const Ticket& tgt, const directory::Spn& spn) {
    return ticket_of(chase_referrals(
        env_, domain_of(tgt.client).dns, tgt,
        [&](const kerberos::Kdc& kdc, const Ticket& t) { return kdc.tgs_exchange(t, spn, 0); },
        [&](const KdcReply& r, const std::string& d) {
          record(StepKind::TgsExchange, tgt.client, dc(d), "TGS-REQ " + spn.to_string(), r);
        }));
  }

  // S4U2Self; a user of another domain: the service's KDC refers it to the user's (R3.3.3).
  std::optional<Ticket> s4u2self(const Ticket& service_tgt, const std::string& user) {
    const std::string service = service_tgt.client;
    return ticket_of(chase_referrals(
        env_, domain_of(service).dns, service_tgt,
        [&](const kerberos::Kdc& kdc, const Ticket& t) { return kdc.s4u2self(t, user, 0); },
        [&](const KdcReply& r, const std::string& d) {
          record(StepKind::TgsExchange, service, dc(d), "TGS-REQ to itself for " + user + " (S4U2Self)", r);
        }));
  }

  void finish(const Ticket& t) {
    answer_.ok = true;
    answer_.error.reset();
    answer_.status.reset();
    answer_.flags = flag_names(t);
    answer_.lifetime_s = (t.end - t.start) / engine::kSecond;
    answer_.encrypted_for = t.encrypted_for;
    answer_.etype = kerberos::etype_name(t.etype);
  }

  const farm::Environment& env_;
  const KdcQuestion& q_;
  KdcAnswer answer_;
};

}  // namespace

KdcAnswer ask_kdc(const farm::Environment& env, const KdcQuestion& question) { return Asker(env, question).run(); }

}  // namespace kerbsim::flow

namespace kerbsim {

Value to_value(const KdcAnswer& a) {
  const auto optional = [](const std::optional<std::string>& s) { return s ? Value(*s) : Value(); };
  Value v = Value::object();
  v.set("ok", a.ok);
  v.set("error", optional(a.error));
  v.set("status", optional(a.status));
  Value flags = Value::array();
  for (const auto& f : a.flags) flags.push(Value(f));
  v.set("flags", std::move(flags));
  v.set("lifetime", a.lifetime_s ? Value(*a.lifetime_s) : Value());
  v.set("encrypted_for", optional(a.encrypted_for));
  v.set("etype", optional(a.etype));
  v.set("reason", a.reason);
  Value steps = Value::array();
  for (const auto& s : a.steps) steps.push(to_value(s));
  v.set("steps", std::move(steps));
  return v;
}

}  // namespace kerbsim
