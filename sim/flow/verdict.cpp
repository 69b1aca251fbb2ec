// The end of a path: its verdict (Ok, Degraded, Failed) and the one-line summary that names the
// cause, from the front end's attempt and the hops behind it.
#include "flow/path_tracer.h"

#include "flow/kdc_exchange.h"

namespace kerbsim::flow {

using kerberos::KrbError;

void PathTracer::finish() {
  out_.front.protocol = attempt_.protocol;
  out_.front.http_status = attempt_.http_status;
  if (!attempt_.authenticated) out_.front.identity = std::nullopt;
  out_.front.process_identity = process_identity();
  if (attempt_.error && !out_.front.error) out_.front.error = attempt_.error;

  const bool sql = url_.scheme == "mssql";
  const bool works = attempt_.authenticated && (sql || (attempt_.http_status >= 200 && attempt_.http_status < 300));
  // The verdict's cause behind a working front end is the first failing hop (root_cause).
  const HopOutcome* failed_hop = first_failed_hop(out_.hops);
  const bool hop_failed = failed_hop != nullptr;
  const std::string hop_problem =
      hop_failed ? failed_hop->to + " sees " + failed_hop->identity.value_or("no identity") +
                       (failed_hop->error ? " (" + to_string(*failed_hop->error) + ")" : std::string())
                 : std::string();
  bool hop_ntlm = false;
  std::vector<const HopOutcome*> pending;
  for (const auto& h : out_.hops) pending.push_back(&h);
  while (!pending.empty()) {
    const HopOutcome* h = pending.back();
    pending.pop_back();
    hop_ntlm |= h->protocol == Protocol::Ntlm && h->result == HopResult::Ok;
    for (const auto& c : h->hops) pending.push_back(&c);
  }
  const bool degraded_protocol =
      attempt_.protocol == Protocol::Ntlm || attempt_.protocol == Protocol::Basic || hop_ntlm;
  const std::string where = lb_ ? " on " + node_.name : "";
  if (works && hop_failed) {
    out_.verdict = Verdict::Failed;
    out_.summary = "the front end works" + where + ", but the next hop fails: " + hop_problem;
  } else if (!works) {
    out_.verdict = Verdict::Failed;
    out_.summary = (sql ? "SQL login failed" : "HTTP " + std::to_string(attempt_.http_status)) + where +
                   (out_.front.error ? ": " + to_string(*out_.front.error) : std::string());
    if (attempt_.error && out_.front.error && *attempt_.error != *out_.front.error)
      out_.summary += ", then " + to_string(attempt_.protocol) + " failed too: " + to_string(*attempt_.error);
    if (out_.front.ticket && out_.front.decrypted_with && out_.front.error &&
        *out_.front.error == krb(KrbError::KRB_AP_ERR_MODIFIED))
      out_.summary += " — the ticket is encrypted for " + out_.front.ticket->encrypted_for + ", but " + node_.name +
                      " decrypts with " + *out_.front.decrypted_with;
  } else if (degraded_protocol || out_.front.prompt) {
    out_.verdict = Verdict::Degraded;
    out_.summary =
        "works" + where + " with " + to_string(attempt_.protocol) + " as " + out_.front.identity.value_or("?") +
        (out_.front.prompt ? " after a credential prompt" : "") +
        (out_.front.error ? " (Kerberos failed first: " + to_string(*out_.front.error) + ")" : std::string());
  } else {
    out_.verdict = Verdict::Ok;
    if (attempt_.protocol == Protocol::Kerberos)
      out_.summary = "Kerberos as " + out_.front.identity.value_or("?") + where + "; ticket for " +
                     out_.front.ticket->encrypted_for + " decrypted with " + out_.front.decrypted_with.value_or("?");
    else
      out_.summary = to_string(attempt_.protocol) + where + " as " + out_.front.identity.value_or("?");
  }
}

}  // namespace kerbsim::flow
