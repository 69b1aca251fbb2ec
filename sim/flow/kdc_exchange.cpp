#include "flow/kdc_exchange.h"

#include <utility>

namespace kerbsim::flow {

void attach_reply(Step& step, const kerberos::KdcReply& reply) {
  for (const auto& n : reply.notes) step.details.push_back(n);
  for (const auto& e : reply.events) step.details.push_back(e.log + " event " + std::to_string(e.id) + ": " + e.text);
}

std::optional<kerberos::KdcReply> chase_referrals(
    const farm::Environment& env, std::string domain, kerberos::Ticket tgt,
    const std::function<kerberos::KdcReply(const kerberos::Kdc&, const kerberos::Ticket&)>& ask,
    const std::function<void(const kerberos::KdcReply&, const std::string& domain)>& heard) {
  for (int hop = 0; hop <= 6; ++hop) {  // MaxReferralCount (kerberos-rules R1.12)
    const auto* dom = env.directory.domain_by_dns(domain);
    if (!dom) return std::nullopt;
    const kerberos::Kdc kdc(env.directory, *dom, env.kdc_policy);
    kerberos::KdcReply r = ask(kdc, tgt);
    heard(r, domain);
    if (r.kind != kerberos::KdcReply::Kind::Referral) return r;
    tgt = r.ticket;
    domain = r.referral_domain;
  }
  return std::nullopt;
}

}  // namespace kerbsim::flow
