// Negotiate with Kerberos: the SPN the client builds, the logon TGT and the service ticket (with
// referrals), the forwarded TGT of unconstrained delegation, the token size at http.sys and the
// AP-REQ at the node.
#include "flow/path_tracer.h"

#include "directory/names.h"
#include "flow/kdc_exchange.h"
#include "kerberos/ap_req.h"
#include "kerberos/kdc.h"

namespace kerbsim::flow {

using directory::iequals;
using kerberos::KdcReply;
using kerberos::KrbError;
using kerberos::Ticket;

std::optional<Ticket> PathTracer::get_service_ticket(const directory::Spn& requested) {
  const std::string spn = requested.to_string();  // as the steps name it
  const std::string domain = user_domain();
  const auto* user_dom = env_.directory.domain_by_dns(domain);
  if (!user_dom) return std::nullopt;
  const engine::SimTime now = 0;

  if (state_.spn_not_found) {
    Step& s = add(StepKind::Decision, client_.name, client_.name, "TGS-REQ " + spn + "?",
                  "no: \"not found\" is in the negative SPN cache",
                  "the KDC answered that no account holds " + spn + " less than " +
                      engine::format_duration(env_.spn_negative_cache) +
                      " (SpnCacheTimeout) ago, so the client does not ask again",
                  "kerberos-rules R1.6");
    s.failed = true;
    s.details.push_back("klist purge empties the negative cache with the tickets [kerberos-rules R8.3]");
    fail_root(krb(KrbError::KDC_ERR_S_PRINCIPAL_UNKNOWN));
    return std::nullopt;
  }
  if (state_.service_ticket && requested.matches(state_.service_ticket->server)) {
    const Ticket& cached = *state_.service_ticket;
    if (state_.tgt) user_tgt_ = *state_.tgt;
    add(StepKind::Decision, client_.name, client_.name, "ticket for " + spn + "?",
        "from the cache: encrypted for " + cached.encrypted_for + " (kvno " + std::to_string(cached.kvno) + ")",
        "the client keeps one service ticket per SPN for its lifetime and replays it to whichever server answers; "
        "changes in AD do not reach a cached ticket",
        "kerberos-rules R8.3");
    return cached;
  }

  if (!state_.kdc_reachable) {
    add(StepKind::Decision, client_.name, client_.name, "locate a KDC of " + domain, "no DC answers",
        "every DC of " + domain + " is down, so the client cannot get a ticket and Kerberos is not possible",
        "kerberos-rules R8.1")
        .failed = true;
    fail_root(Error{ErrorKind::KdcUnreachable});
    return std::nullopt;
  }
  // The logon TGT (kerberos-rules R8.8, R2.9).
  kerberos::Kdc home(env_.directory, *user_dom, env_.kdc_policy);
  const bool cached_tgt = state_.tgt.has_value();
  const KdcReply as = cached_tgt ? KdcReply{} : home.as_exchange(user(), now, client_offset_);
  if (cached_tgt) {
    add(StepKind::Decision, client_.name, client_.name, "TGT?", "from the cache",
        "the logon session still holds a TGT that has not expired", "kerberos-rules R2.9");
  } else {
    Step& s =
        add(StepKind::AsExchange, client_.name, dc_for(domain), "AS-REQ " + user() + " (logon TGT)",
            as.ok() ? "AS-REP, TGT " + std::string(as.ticket.flags.forwardable ? "forwardable" : "not forwardable")
                    : "KRB-ERROR " + kerberos::error_label(as.error),
            as.why, as.rule);
    s.failed = !as.ok();
    attach_reply(s, as);
  }
  if (!cached_tgt && !as.ok()) {
    fail_root(krb(as.error));
    return std::nullopt;
  }

  Ticket tgt = cached_tgt ? *state_.tgt : as.ticket;
  if (!cached_tgt && state_.token_groups) tgt.pac_sids = *state_.token_groups;
  user_tgt_ = tgt;
  if (!cached_tgt && gains_) gains_->tgt = tgt;
  const auto reply = chase_referrals(
      env_, domain, tgt, [&](const kerberos::Kdc& kdc, const Ticket& t) { return kdc.tgs_exchange(t, requested, now); },
      [&](const KdcReply& r, const std::string& kdc_domain) {
        std::string result;
        if (r.kind == KdcReply::Kind::Ticket)
          result = "TGS-REP, ticket for " + r.ticket.encrypted_for + " (" + kerberos::etype_name(r.ticket.etype) +
                   ", kvno " + std::to_string(r.ticket.kvno) + ")";
        else if (r.kind == KdcReply::Kind::Referral)
          result = "TGS-REP, referral TGT for " + directory::to_upper(r.referral_domain);
        else
          result = "KRB-ERROR " + kerberos::error_label(r.error);
        Step& s = add(StepKind::TgsExchange, client_.name, dc_for(kdc_domain), "TGS-REQ " + spn, result, r.why, r.rule);
        s.failed = !r.ok();
        attach_reply(s, r);
      });
  if (!reply) {
    fail_root(krb(KrbError::KDC_ERR_WRONG_REALM));
    return std::nullopt;
  }
  if (reply->kind == KdcReply::Kind::Ticket) {
    if (gains_) gains_->service_ticket = reply->ticket;
    return reply->ticket;
  }
  fail_root(krb(reply->error));
  const bool negative =
      reply->error == KrbError::KDC_ERR_S_PRINCIPAL_UNKNOWN || reply->error == KrbError::KDC_ERR_PRINCIPAL_NOT_UNIQUE;
  if (negative && gains_) gains_->spn_not_found = true;
  if (negative)
    out_.steps.back().details.push_back(
        "the client caches \"SPN not found\" for " + engine::format_duration(env_.spn_negative_cache) +
        " (SpnCacheTimeout): an SPN added now is seen only after that or a klist purge [kerberos-rules R1.6]");
  return std::nullopt;
}

void PathTracer::negotiate() {
  const bool domain_user = !user_domain().empty() && client_.domain_joined();
  const bool same_machine = iequals(client_.name, node_.name);

  // Conditions where Negotiate cannot use Kerberos at all and picks NTLM (iis-rules 4.3).
  if (!domain_user) {
    add(StepKind::Decision, client_.name, client_.name, "Negotiate: Kerberos or NTLM?", "NTLM",
        user() + " is not a domain account on a domain-joined machine; Kerberos requires a domain", "iis-rules 2.5")
        .action = StepAction::KerberosNotTried;
    ntlm(true);
    return;
  }
  if (same_machine) {
    add(StepKind::Decision, client_.name, client_.name, "Negotiate: Kerberos or NTLM?", "NTLM",
        "client and server are the same computer; Negotiate does not use Kerberos for a local connection",
        "iis-rules 3.13")
        .action = StepAction::KerberosNotTried;
    ntlm(true);
    return;
  }

  const net::SpnDecision spn = net::build_http_spn(policy(), url_, dns_);
  out_.spn = spn.spn ? std::optional<std::string>(spn.spn->to_string()) : std::nullopt;
  Step& built = add(StepKind::Decision, client_.name, client_.name, "build the SPN for " + url_.host,
                    out_.spn.value_or("no SPN: Kerberos is not tried"), spn.why, spn.rule);
  if (!spn.spn) {
    built.action = StepAction::KerberosNotTried;
    ntlm(true);
    return;
  }

  const std::optional<Ticket> ticket = get_service_ticket(*spn.spn);
  if (!ticket) {
    // No ticket could be obtained: SPNEGO falls back to NTLM if the server allows it (iis-rules 0.4).
    if (kerberos_only()) {
      add(StepKind::Decision, client_.name, client_.name, "fall back to NTLM?", "no",
          "the site offers only Negotiate:Kerberos, which carries no NTLM", "iis-rules 3.2")
          .failed = true;
      attempt_.http_status = 401;
      return;
    }
    ntlm(true);
    return;
  }

  const Ticket& t = *ticket;
  TicketSummary summary;
  summary.encrypted_for = t.encrypted_for;
  if (t.flags.forwardable) summary.flags.emplace_back("forwardable");
  if (t.flags.forwarded) summary.flags.emplace_back("forwarded");
  if (t.flags.ok_as_delegate) summary.flags.emplace_back("ok_as_delegate");
  summary.etype = kerberos::etype_name(t.etype);
  out_.front.ticket = summary;

  // Unconstrained delegation: the client forwards its TGT only when it asks to delegate, the ticket
  // is ok_as_delegate and the TGT forwardable (kerberos-rules R3.1.2-R3.1.4, iis-rules 4.7-4.11).
  if (t.flags.ok_as_delegate) {
    const net::DelegationDecision d = net::decide_delegation(policy(), url_, logon_);
    std::string why = d.why;
    bool forward = d.delegate;
    std::string rule = d.rule;
    if (forward && client_.credential_guard) {
      forward = false;
      why = "Credential Guard on " + client_.name + " blocks unconstrained delegation of its credentials";
      rule = "iis-rules 0.10";
    } else if (forward && user_tgt_ && !user_tgt_->flags.forwardable) {
      forward = false;
      why = user() + "'s TGT is not forwardable (sensitive account or Protected Users), so no TGT is forwarded";
      rule = "kerberos-rules R3.1.3";
    }
    add(StepKind::Decision, client_.name, client_.name, "forward the TGT? (the ticket is ok_as_delegate)",
        forward ? "yes" : "no", why, rule);
    if (forward && user_tgt_) {
      const auto* dom = env_.directory.domain_by_dns(user_domain());
      kerberos::Kdc kdc(env_.directory, *dom, env_.kdc_policy);
      const KdcReply r = kdc.forwarded_tgt(*user_tgt_, 0);
      Step& s = add(StepKind::TgsExchange, client_.name, dc_for(user_domain()), "TGS-REQ krbtgt (forwarded TGT)",
                    r.ok() ? "TGS-REP, forwarded TGT" : "KRB-ERROR " + kerberos::error_label(r.error), r.why, r.rule);
      s.failed = !r.ok();
      s.action = StepAction::ForwardedTgt;
      if (r.ok()) forwarded_tgt_ = r.ticket;
    }
  }

  // The token travels base64-encoded in one header; http.sys checks its limits first (R6.5).
  const int token = kerberos::estimated_token_bytes(t, forwarded_tgt_.has_value());
  const int header = static_cast<int>(std::string("Authorization: Negotiate ").size()) + 4 * ((token + 2) / 3);
  constexpr int kOtherRequestBytes = 600;  // request line and the other headers, an estimate
  const std::string ap_msg = "GET with Authorization: Negotiate (AP-REQ, ticket for " + t.encrypted_for + ")";
  if (header > node_.http_max_field_length || header + kOtherRequestBytes > node_.http_max_request_bytes) {
    const bool field = header > node_.http_max_field_length;
    Step& s = add(StepKind::ApExchange, client_.name, node_.name, ap_msg,
                  "400 Bad Request (Request Header too long) from http.sys",
                  "the Kerberos token is about " + std::to_string(token) + " bytes (" + std::to_string(t.pac_sids) +
                      " group SIDs in the PAC" +
                      (t.pac_foreign_sids ? ", " + std::to_string(t.pac_foreign_sids) + " from other domains" : "") +
                      "), so the Authorization header is about " + std::to_string(header) + " bytes, over " +
                      (field ? "MaxFieldLength = " + std::to_string(node_.http_max_field_length)
                             : "MaxRequestBytes = " + std::to_string(node_.http_max_request_bytes)) +
                      "; http.sys answers without calling " + (ssrs() ? std::string("SSRS") : std::string("IIS")),
                  "kerberos-rules R6.5");
    s.failed = true;
    s.details.push_back(
        "token size estimate 1200 + 40·d + 8·s bytes [kerberos-rules R6.3]; the request is "
        "logged in HTTPERR, not in the IIS log [kerberos-rules R5.5]");
    s.details.push_back(
        "fix: set MaxFieldLength and MaxRequestBytes under HKLM\\SYSTEM\\CurrentControlSet\\Services\\"
        "HTTP\\Parameters to about 4/3 of the token size, or reduce group memberships [iis-rules 0.12]");
    attempt_ = {Protocol::Kerberos, 400, false, std::nullopt};
    fail_root(Error{ErrorKind::Http400HeaderTooLong});
    return;
  }

  // Which key the server decrypts with (iis-rules 3.5 / 7.6).
  const base::KeyDecision& key = service_->key;
  add(StepKind::Decision, node_.name, node_.name, "which key decrypts the ticket?",
      key.account.empty() ? "none: no domain key on this host" : "the key of " + key.account, key.why, key.rule);
  out_.front.decrypted_with = key.account.empty() ? std::nullopt : std::optional<std::string>(key.account);

  const kerberos::ApReqResult ap = farm::accept_ap_req(env_, t, key.account, client_offset_, node_, node_state_);
  if (ap.ok()) {
    Step& ok = add(StepKind::ApExchange, client_.name, node_.name, ap_msg, "200 OK as " + user(), ap.why, ap.rule);
    attempt_ = {Protocol::Kerberos, 200, true, std::nullopt};
    out_.front.identity = user();
    front_ticket_ = t;
    if (forwarded_tgt_)
      ok.details.push_back(
          "the AP-REQ carried the forwarded TGT, so the token size estimate doubles "
          "[kerberos-rules R3.1.5]");
    return;
  }
  Step& s = add(StepKind::ApExchange, client_.name, node_.name, ap_msg, "401, " + kerberos::error_label(ap.error),
                ap.why, ap.rule);
  s.failed = true;
  if (ap.error == KrbError::KRB_AP_ERR_MODIFIED) {
    s.details.push_back("the client logs System event 4 (Security-Kerberos): KRB_AP_ERR_MODIFIED from the server " +
                        node_.name + "; the target name used was " + *out_.spn + " [kerberos-rules R2.6]");
    s.details.push_back("the IIS log shows 401 1 2148074245: the token was presented and rejected [iis-rules 3.11]");
  }
  attempt_ = {Protocol::Kerberos, 401, false, krb(ap.error)};
  fail_root(krb(ap.error));
  // A browser keeps the same ticket and prompts; Negotiate does not fall back to NTLM (iis-rules 0.5, 5.6).
  if (policy().browser != net::Browser::DotNet && policy().browser != net::Browser::SqlClient) {
    add(StepKind::Decision, client_.name, client_.name, "retry", "credential prompt, then 401 again",
        "the ticket was obtained but rejected, so Negotiate does not fall back to NTLM; the browser prompts and "
        "retries with the same cached ticket until it expires or is purged",
        "iis-rules 5.6");
    out_.front.prompt = true;
  }
}

}  // namespace kerbsim::flow
