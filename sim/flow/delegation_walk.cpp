#include "flow/delegation_walk.h"

#include <utility>

#include "directory/names.h"
#include "flow/kdc_exchange.h"
#include "kerberos/kdc.h"

namespace kerbsim::flow {
namespace {

using kerberos::KdcReply;
using kerberos::Ticket;

class Walker {
 public:
  Walker(const farm::Environment& env, std::string user) : env_(env), user_(std::move(user)) {}

  WalkResult run(WalkStart start, const std::vector<WalkHop>& hops) {
    if (hops.empty()) {
      result_.why = "no hop to walk";
      return std::move(result_);
    }
    std::optional<Ticket> evidence;
    const WalkHop& first = hops.front();
    if (start == WalkStart::KerberosFrontEnd) {
      const auto user_tgt = tgt_of(user_);
      if (!user_tgt) return std::move(result_);
      if (first.mechanism == WalkMechanism::ForwardedTgt) {
        // The client forwards the user's TGT only inside a ticket with OK-AS-DELEGATE, which a
        // referral across a forest trust clears unless the trust allows TGT delegation; the TGT must
        // be forwardable (kerberos-rules R3.1.2-R3.1.4). With it the service asks for any ticket.
        const auto spn = first_spn(first.service);
        if (!spn) return std::move(result_);
        const auto ticket = ask(domain_of(user_), *user_tgt, "TGS-REQ " + spn->to_string() + " as " + user_,
                                [&](const kerberos::Kdc& k, const Ticket& t) { return k.tgs_exchange(t, *spn, 0); });
        if (!ticket) return std::move(result_);
        if (!ticket->flags.ok_as_delegate) {
          result_.failed_at = "the ticket to " + first.service;
          result_.why = "the ticket " + user_ + " gets for " + spn->to_string() +
                        " is not OK-AS-DELEGATE, so the client does not forward the TGT";
          result_.rule = "kerberos-rules R3.1.4";
          return std::move(result_);
        }
        const auto* dom = domain_of(user_);
        if (!dom) return std::move(result_);
        const kerberos::Kdc kdc(env_.directory, *dom, env_.kdc_policy);
        if (!heard(kdc.forwarded_tgt(*user_tgt, 0), "a forwarded TGT of " + user_)) return std::move(result_);
        result_.hops_done = 1;
        if (hops.size() > 1) {
          result_.failed_at = hops[1].service;
          result_.why = "a forwarded TGT opens every service to " + first.service +
                        ", but nothing it passes on "
                        "carries the TGT further";
          result_.rule = "kerberos-rules R3.1.2";
          return std::move(result_);
        }
        result_.ok = true;
        return std::move(result_);
      } else {
        // The user's own ticket to the first service is the evidence (kerberos-rules R3.2.2).
        const auto spn = first_spn(first.service);
        if (!spn) return std::move(result_);
        evidence = ask(domain_of(user_), *user_tgt, "TGS-REQ " + spn->to_string() + " as " + user_,
                       [&](const kerberos::Kdc& k, const Ticket& t) { return k.tgs_exchange(t, *spn, 0); });
        if (!evidence) return std::move(result_);
      }
    } else {
      if (first.mechanism == WalkMechanism::ForwardedTgt) {
        result_.failed_at = first.service + " with the user's TGT";
        result_.why =
            "a user who did not use Kerberos has no TGT to forward, so unconstrained delegation "
            "has nothing to delegate";
        result_.rule = "kerberos-rules R3.1.2";
        return std::move(result_);
      }
      // Protocol transition: a ticket to the service itself on the user's behalf (kerberos-rules R3.3).
      const auto service_tgt = tgt_of(first.service);
      if (!service_tgt) return std::move(result_);
      evidence = ask(domain_of(first.service), *service_tgt, "S4U2Self for " + user_ + " by " + first.service,
                     [&](const kerberos::Kdc& k, const Ticket& t) { return k.s4u2self(t, user_, 0); });
      if (!evidence) return std::move(result_);
    }

    for (std::size_t i = result_.hops_done; i < hops.size(); ++i) {
      const WalkHop& hop = hops[i];
      if (hop.mechanism == WalkMechanism::ForwardedTgt) {
        // A service reached by S4U2Proxy holds a service ticket, never the user's TGT (R3.1.2).
        result_.failed_at = hop.service + " with the user's TGT";
        result_.why = hop.service +
                      " is trusted for unconstrained delegation, but it holds a ticket another service got "
                      "by S4U2Proxy, which carries no TGT to forward";
        result_.rule = "kerberos-rules R3.1.2";
        return std::move(result_);
      }
      const auto service_tgt = tgt_of(hop.service);
      if (!service_tgt) return std::move(result_);
      const Ticket held = *evidence;
      evidence =
          ask(domain_of(hop.service), *service_tgt,
              "S4U2Proxy " + hop.target.to_string() + " for " + user_ + " by " + hop.service,
              [&](const kerberos::Kdc& k, const Ticket& t) { return k.s4u2proxy(t, held, hop.target, 0, true); });
      if (!evidence) return std::move(result_);
      ++result_.hops_done;
    }
    result_.ok = true;
    return std::move(result_);
  }

 private:
  const directory::Domain* domain_of(const std::string& account) {
    const directory::Domain* d = nullptr;
    if (const auto id = env_.directory.find_account(account))
      d = env_.directory.domain_by_dns(env_.directory.account(*id).domain);
    else
      d = env_.directory.domain_of(account);
    if (!d) {
      result_.failed_at = account;
      result_.why = "the scenario has no domain for " + account;
    }
    return d;
  }

  // Records the reply as the walk's last answer; false when it is a refusal.
  bool heard(const KdcReply& r, const std::string& asked) {
    result_.why = r.why;
    result_.rule = r.rule;
    if (r.ok()) return true;
    result_.failed_at = asked;
    result_.error = r.error;
    result_.status = r.status;
    return false;
  }

  template <typename Ask>
  std::optional<Ticket> ask(const directory::Domain* domain, const Ticket& tgt, const std::string& asked,
                            const Ask& request) {
    if (!domain) return std::nullopt;
    bool refused = false;
    const auto reply = chase_referrals(env_, domain->dns, tgt, request, [&](const KdcReply& r, const std::string&) {
      if (!heard(r, asked)) refused = true;
    });
    if (refused) return std::nullopt;
    if (!reply || reply->kind != KdcReply::Kind::Ticket) {
      result_.failed_at = asked;
      result_.error = kerberos::KrbError::KDC_ERR_WRONG_REALM;
      result_.why = "the referrals lead to a domain the scenario lacks, or past six referrals";
      result_.rule = "kerberos-rules R1.12";
      return std::nullopt;
    }
    return reply->ticket;
  }

  std::optional<Ticket> tgt_of(const std::string& account) {
    const auto* dom = domain_of(account);
    if (!dom) return std::nullopt;
    const kerberos::Kdc kdc(env_.directory, *dom, env_.kdc_policy);
    const KdcReply r = kdc.as_exchange(account, 0, 0, true);
    if (!heard(r, "AS-REQ " + account)) return std::nullopt;
    return r.ticket;
  }

  // The SPN a user's client asks for to reach the service: the first it holds (kerberos-rules R1.3).
  std::optional<directory::Spn> first_spn(const std::string& service) {
    if (const auto id = env_.directory.find_account(service))
      for (const auto& text : env_.directory.account(*id).spns)
        if (auto spn = directory::Spn::parse(text)) return spn;
    result_.failed_at = "a ticket to " + service;
    result_.error = kerberos::KrbError::KDC_ERR_S_PRINCIPAL_UNKNOWN;
    result_.why = service + " holds no SPN, so no user can get a Kerberos ticket to it";
    result_.rule = "kerberos-rules R1.3";
    return std::nullopt;
  }

  const farm::Environment& env_;
  std::string user_;
  WalkResult result_;
};

}  // namespace

WalkResult walk_delegation(const farm::Environment& env, const std::string& user, WalkStart start,
                           const std::vector<WalkHop>& hops) {
  return Walker(env, user).run(start, hops);
}

}  // namespace kerbsim::flow
