#include "kerberos/ap_req.h"

#include <algorithm>
#include <cstdlib>

#include "directory/names.h"

namespace kerbsim::kerberos {

ApReqResult accept_ap_req(const Ticket& ticket, const ServiceKey& key, engine::SimTime now,
                          engine::SimTime client_offset, engine::SimTime server_offset,
                          engine::SimTime max_clock_skew) {
  ApReqResult r;
  // The ticket can only be decrypted with the key of the account the KDC encrypted it for (R2.1).
  if (!directory::iequals(ticket.encrypted_for, key.account)) {
    r.error = KrbError::KRB_AP_ERR_MODIFIED;
    r.why = "the ticket is encrypted with the key of " + ticket.encrypted_for + ", but this server decrypts with " +
            "the key of " + key.account + ", so decryption fails";
    r.rule = "kerberos-rules R2.6";
    return r;
  }
  if (std::find(key.kvnos.begin(), key.kvnos.end(), ticket.kvno) == key.kvnos.end()) {
    r.error = KrbError::KRB_AP_ERR_MODIFIED;
    r.why = "the ticket uses key version " + std::to_string(ticket.kvno) + " of " + key.account +
            ", which this server does not hold (its password is out of sync); Windows reports this as "
            "KRB_AP_ERR_MODIFIED rather than KRB_AP_ERR_BADKEYVER";
    r.rule = "kerberos-rules R2.7";
    return r;
  }
  const engine::SimTime skew = client_offset - server_offset;
  if (std::llabs(skew) > max_clock_skew) {
    r.error = KrbError::KRB_AP_ERR_SKEW;
    r.why = "the authenticator's time is " + engine::format_duration(skew) + " off the server's clock, beyond the " +
            engine::format_duration(max_clock_skew) + " allowed";
    r.rule = "kerberos-rules R2.8";
    return r;
  }
  if (ticket.end <= now) {
    r.error = KrbError::KRB_AP_ERR_TKT_EXPIRED;
    r.why = "the ticket has expired";
    r.rule = "kerberos-rules R2.9";
    return r;
  }
  r.why = "decrypted the ticket with the key of " + key.account + " (kvno " + std::to_string(ticket.kvno) +
          "); authenticator time within " + engine::format_duration(max_clock_skew);
  r.rule = "kerberos-rules R2.1";
  return r;
}

int estimated_token_bytes(const Ticket& ticket, bool with_forwarded_tgt) {
  const int base = 1200 + 40 * ticket.pac_foreign_sids + 8 * ticket.pac_sids;
  return with_forwarded_tgt ? 2 * base : base;
}

}  // namespace kerbsim::kerberos
