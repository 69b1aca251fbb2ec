// Talking to KDCs on a party's behalf: following referrals from domain to domain, and showing a
// reply's notes and DC events as a step's details. Shared by the tracer, the hops and `kerbsim kdc`.
#pragma once

#include <functional>
#include <optional>
#include <string>

#include "farm/environment.h"
#include "kerberos/kdc.h"
#include "kerbsim/outcome.h"

namespace kerbsim::flow {

// A Kerberos error as a path's or a hop's error.
inline Error krb(kerberos::KrbError e) { return Error::kerberos(static_cast<int>(e)); }

// The details a step shows for a KDC reply: its notes, then the events the DC wrote.
void attach_reply(Step& step, const kerberos::KdcReply& reply);

// Asks the KDC of `domain` and, on a referral, the KDC of the domain it names with the referral
// TGT, until one answers with a ticket or an error: at most MaxReferralCount = 6 referrals
// (kerberos-rules R1.12). `ask` makes the request of one KDC with the TGT for its realm; `heard`
// records each reply with the domain of the KDC that gave it. nullopt when the chain reaches a
// domain the scenario lacks or runs past six referrals.
std::optional<kerberos::KdcReply> chase_referrals(
    const farm::Environment& env, std::string domain, kerberos::Ticket tgt,
    const std::function<kerberos::KdcReply(const kerberos::Kdc&, const kerberos::Ticket&)>& ask,
    const std::function<void(const kerberos::KdcReply&, const std::string& domain)>& heard);

}  // namespace kerbsim::flow
