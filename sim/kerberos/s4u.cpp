// The KDC's delegation exchanges (kerberos-rules section 3): S4U2Self (protocol transition),
// S4U2Proxy (classic and resource-based constrained delegation) and the forwarded TGT of
// unconstrained delegation, each grant or refusal recorded with its reason, rule and DC events.
#include <algorithm>
#include <cassert>
#include <cstdlib>

#include "directory/names.h"
#include "kerberos/kdc.h"

namespace kerbsim::kerberos {
namespace {

using directory::Account;
using directory::iequals;
using directory::SpnLookup;
using engine::SimTime;

// Ticket Options of the requests, as 4769 prints them (R5.1): forwardable, renewable,
// canonicalize; S4U2Proxy adds cname-in-addl-tkt, KDC option bit 14 (R3.2.2); the forwarded-TGT
// request adds forwarded and renewable-ok.
constexpr const char* kS4u2SelfOptions = "0x40810000";
constexpr const char* kS4u2ProxyOptions = "0x40830000";
constexpr const char* kForwardedTgtOptions = "0x60810010";

// An account as 4769 names it: "alice@CORP.CONTOSO.COM" (R5.1).
std::string audit_name(const directory::Directory& dir, const std::string& canonical) {
  const auto parts = directory::split_account(canonical);
  if (const auto id = dir.find_account(canonical))
    return parts.sam + "@" + directory::to_upper(dir.account(*id).domain);
  return parts.sam;
}

std::string audit_list(const directory::Directory& dir, const std::vector<std::string>& accounts) {
  std::string out;
  for (const auto& a : accounts) out += (out.empty() ? "" : ", ") + audit_name(dir, a);
  return out.empty() ? "-" : out;
}

bool lists(const std::vector<std::string>& values, const std::string& wanted) {
  return std::any_of(values.begin(), values.end(), [&](const std::string& v) { return iequals(v, wanted); });
}

// msDS-AllowedToDelegateTo holds SPNs as text, compared literally and case-insensitively (R3.2.3).
bool lists(const std::vector<std::string>& values, const directory::Spn& wanted) {
  return std::any_of(values.begin(), values.end(), [&](const std::string& v) { return wanted.matches(v); });
}

// Why a user can never be delegated, or "" when nothing in the account forbids it (R3.5.1).
std::string not_delegated_reason(const directory::Directory& dir, const Account& user) {
  if (user.sensitive) return user.name + " is marked \"Account is sensitive and cannot be delegated\"";
  if (dir.protected_user_enforced(user)) return user.name + " is a member of Protected Users";
  return "";
}

KdcReply refusal(KrbError error, NtStatus status, std::string why, std::string rule) {
  KdcReply r;
  r.error = error;
  r.status = status;
  r.why = std::move(why);
  r.rule = std::move(rule);
  return r;
}

// The failure 4769 of a KDC_ERR_BADOPTION answer, and when a DC really writes it (R5.1).
void audit_bad_option(KdcReply& r, const std::string& account, const std::string& service, const std::string& options,
                      const std::string& transited) {
  r.events.push_back({4769, "Security",
                      "service ticket request failed: Account Name " + account + ", Service Name " + service +
                          ", Service ID NULL SID, Ticket Options " + options +
                          ", Ticket Encryption Type 0xFFFFFFFF, Failure Code 0xD, Transited Services " + transited});
  r.notes.push_back(
      "this 4769 failure (0xD) is written only when the DC's KdcExtraLogLevel has bit 0x10; with the default "
      "value 2 bad-option and etype failures are not audited [kerberos-rules R5.1]");
}

// The R3.3.2 truth-table row of a service, in the words of the Samba tests that pin it.
std::string protocol_transition_row(const Account& service) {
  return std::string(service.trusted_to_auth_for_delegation ? "trusted" : "not-trusted") + " + " +
         (service.allowed_to_delegate_to.empty() ? "empty list" : "non-empty list");
}

// The outcome of the resource-based check (R3.4.2-R3.4.4); applies only when the target has a
// msDS-AllowedToActOnBehalfOfOtherIdentity descriptor.
struct RbcdVerdict {
  bool applies = false;
  bool allowed = false;
  NtStatus status = NtStatus::None;
  std::string why;
  std::string rule;
};

RbcdVerdict rbcd_verdict(const Account& service1, const Account& owner, const Ticket& evidence) {
  RbcdVerdict v;
  if (owner.allowed_to_act.empty()) return v;
  v.applies = true;
  const std::string setting = owner.name + "'s msDS-AllowedToActOnBehalfOfOtherIdentity";
  if (!lists(owner.allowed_to_act, service1.name)) {
    v.status = NtStatus::STATUS_NOT_FOUND;
    v.why = setting + " does not list " + service1.name + ", so resource-based delegation refuses it";
    v.rule = "kerberos-rules R3.4.2";
    return v;
  }
  if (evidence.user_not_delegated) {
    v.status = NtStatus::STATUS_ACCOUNT_RESTRICTION;
    v.why = setting + " lists " + service1.name + ", but " + evidence.client +
            " is sensitive or a Protected User, and such users cannot be delegated by resource-based delegation "
            "either";
    v.rule = "kerberos-rules R3.4.4";
    return v;
  }
  if (!evidence.flags.forwardable && !evidence.from_s4u2self) {
    v.status = NtStatus::STATUS_ACCOUNT_RESTRICTION;
    v.why = setting + " lists " + service1.name + ", but the user's ticket to it is not forwardable and is not an " +
            "S4U2Self ticket, the only non-forwardable evidence resource-based delegation accepts";
    v.rule = "kerberos-rules R3.4.3";
    return v;
  }
  v.allowed = true;
  if (evidence.flags.forwardable) {
    v.why = setting + " lists " + service1.name + ", so resource-based delegation allows it";
    v.rule = "kerberos-rules R3.4.2";
  } else {
    v.why = setting + " lists " + service1.name + ", and resource-based delegation always allows protocol " +
            "transition, so the non-forwardable S4U2Self ticket is accepted";
    v.rule = "kerberos-rules R3.4.3";
  }
  return v;
}

}  // namespace

KdcReply Kdc::s4u2self(const Ticket& service_tgt, const std::string& user, SimTime now) const {
  if (service_tgt.end <= now)
    return refusal(KrbError::KRB_AP_ERR_TKT_EXPIRED, NtStatus::None, "the service's TGT has expired",
                   "kerberos-rules R2.9");
  const auto service_id = directory_.find_account(service_tgt.client);
  assert(service_id && "a TGT is only issued to an account of the directory");
  const Account& service = directory_.account(*service_id);

  // The request names the service itself as sname, so it needs an SPN to be found (R3.3.1).
  if (service.spns.empty()) {
    KdcReply r = refusal(KrbError::KDC_ERR_S_PRINCIPAL_UNKNOWN, NtStatus::None,
                         service.name +
                             " has no SPN, and only an account with an SPN can ask for a ticket to itself on "
                             "behalf of a user (protocol transition)",
                         "kerberos-rules R3.3.1");
    r.notes.push_back(
        "the error a DC returns to an S4U2Self requester without an SPN is not stated by the reference; the "
        "model answers KDC_ERR_S_PRINCIPAL_UNKNOWN as for any service name it cannot find (UNCONFIRMED) "
        "[kerberos-rules R3.3.1, R1.3]");
    return r;
  }

  const auto user_id = directory_.find_account(user);
  if (!user_id)
    return refusal(KrbError::KDC_ERR_C_PRINCIPAL_UNKNOWN, NtStatus::None,
                   user + " does not exist, so the KDC cannot build a ticket on its behalf", "kerberos-rules R3.3.3");
  const Account& u = directory_.account(*user_id);

  // A user of another domain: the service asks that domain's KDC, following referrals (R3.3.3).
  if (!iequals(u.domain, domain_.dns)) {
    const directory::Domain* user_domain = directory_.domain_by_dns(u.domain);
    const directory::Domain* service_domain = directory_.domain_by_dns(service.domain);
    const bool same_forest = user_domain && iequals(user_domain->forest, domain_.forest);
    const bool trusted =
        user_domain && service_domain && directory_.forest_trust_between(service_domain->forest, user_domain->forest);
    if (!same_forest && !trusted)
      return refusal(KrbError::KDC_ERR_C_PRINCIPAL_UNKNOWN, NtStatus::None,
                     u.name + " belongs to forest " + (user_domain ? user_domain->forest : u.domain) +
                         ", which does not trust the forest of " + service.name + ", so the user cannot be found",
                     "kerberos-rules R3.6");
    KdcReply r;
    r.kind = KdcReply::Kind::Referral;
    r.referral_domain = u.domain;
    r.ticket = cross_realm_tgt(service_tgt, u.domain, now);
    r.why = u.name + " is an account of " + u.domain + ", so " + service.name +
            " gets a referral TGT and repeats the S4U2Self request at a KDC of that domain";
    r.rule = "kerberos-rules R3.3.3";
    r.notes.push_back(
        "the user's KDC builds the user's PAC; MS-SFU then routes a referral back to the service's domain, "
        "which the model folds into one step: the user's KDC issues the S4U2Self ticket for the service "
        "directly [kerberos-rules R3.3.3]");
    return r;
  }

  const bool samba = domain_.kdc == directory::KdcProfile::Samba417;
  if (!u.enabled && samba) {
    // Samba's KDC refuses S4U2Self for a disabled user with KDC_ERR_POLICY (samba-kdc-notes).
    return refusal(KrbError::KDC_ERR_POLICY, NtStatus::None,
                   u.name + " is disabled, and a Samba 4.17 KDC refuses S4U2Self on its behalf with KDC_ERR_POLICY",
                   "samba-kdc-notes (disabled accounts)");
  }
  if (!u.enabled) {
    KdcReply r = refusal(KrbError::KDC_ERR_CLIENT_REVOKED, NtStatus::None,
                         u.name + " is disabled, so no ticket is issued on its behalf", "kerberos-rules R2.10");
    r.notes.push_back("that S4U2Self applies the account-state check of R2.10 is UNCONFIRMED [kerberos-rules R2.10]");
    return r;
  }

  const EtypeChoice etype = choose_etype(service);
  if (!etype.ok) return etype_refusal(etype, service);

  // FORWARDABLE only when all three conditions of R3.3.2 hold.
  const std::string row = protocol_transition_row(service);
  // Samba 4.17 enforces Protected Users only at the AS exchange, not here (samba-kdc-notes).
  const std::string barred = samba && !u.sensitive ? std::string() : not_delegated_reason(directory_, u);
  // Samba 4.17 lacks the "empty list -> forwardable" row: only protocol transition makes the
  // ticket forwardable (samba-kdc-notes; kerberos-rules R3.3.2 notes the version dependence).
  const bool row_forwardable =
      service.trusted_to_auth_for_delegation || (!samba && service.allowed_to_delegate_to.empty());
  const bool forwardable = service_tgt.flags.forwardable && barred.empty() && row_forwardable;

  KdcReply r;
  Ticket t;
  t.client = u.name;
  t.client_realm = directory::to_upper(u.domain);
  t.server = service.spns.front();
  t.server_realm = directory::to_upper(service.domain);
  t.encrypted_for = service.name;
  t.etype = etype.etype;
  t.kvno = service.kvno;
  t.flags.forwardable = forwardable;
  t.flags.renewable = service_tgt.flags.renewable;
  t.flags.pre_authent = service_tgt.flags.pre_authent;      // copied from the TGT of the request (RFC 4120 2.2)
  t.flags.ok_as_delegate = service.trusted_for_delegation;  // R3.1.1
  t.flags.name_canonicalize = true;
  t.start = now;
  t.end = std::min(now + policy_.service_ticket_lifetime, service_tgt.end);  // never past the TGT (R2.9)
  t.renew_till = service_tgt.renew_till;
  t.pac_sids = u.token_groups;
  t.pac_foreign_sids = u.foreign_token_groups;
  t.has_pac = true;  // S4U2Self tickets always carry the user's PAC (R2.11)
  t.from_s4u2self = true;
  t.service_asserted_identity = true;  // S-1-18-2 (R3.3.1, R3.4.6)
  t.user_not_delegated = !barred.empty();
  r.kind = KdcReply::Kind::Ticket;
  r.ticket = t;

  const std::string head = service.name + " got a " + (forwardable ? "forwardable" : "non-forwardable") +
                           " S4U2Self ticket to itself for " + u.name + " (table row " + row + "): ";
  if (!barred.empty()) {
    r.why = head + barred + ", and the KDC never marks such a user's tickets forwardable";
    r.rule = "kerberos-rules R3.5.1";
  } else if (!service_tgt.flags.forwardable) {
    r.why = head + "the service's own TGT is not forwardable";
    r.rule = "kerberos-rules R3.3.2";
  } else if (service.trusted_to_auth_for_delegation) {
    r.why = head + "it is trusted to authenticate for delegation (\"Use any authentication protocol\")";
    r.rule = "kerberos-rules R3.3.2";
  } else if (row_forwardable) {
    r.why = head + "it is not trusted for protocol transition, but its msDS-AllowedToDelegateTo is empty";
    r.rule = "kerberos-rules R3.3.2";
  } else if (samba) {
    r.why = head +
            "it is not trusted to authenticate for delegation, and a Samba 4.17 KDC makes S4U2Self tickets "
            "forwardable only for such services, whatever the delegation list";
    r.rule = "samba-kdc-notes (S4U2Self forwardable flag)";
  } else {
    r.why = head +
            "it has a constrained-delegation list with \"Use Kerberos only\", so the ticket serves local "
            "authorization but not constrained delegation";
    r.rule = "kerberos-rules R3.3.2";
  }
  if (!barred.empty() || !service_tgt.flags.forwardable)
    r.notes.push_back("without that, row " + row + " of the protocol-transition table would give a " +
                      (row_forwardable ? "forwardable" : "non-forwardable") + " ticket [kerberos-rules R3.3.2]");
  if (u.protected_user() && !directory_.protected_user_enforced(u))
    r.notes.push_back(u.name + " is in Protected Users, but its domain's functional level is below 2012 R2, so the " +
                      "DC does not enforce it [kerberos-rules R3.5.1]");
  r.notes.push_back(
      "the ticket's PAC carries SERVICE_ASSERTED_IDENTITY (S-1-18-2): the KDC did not verify the user's "
      "credentials [kerberos-rules R3.4.6]");
  r.notes.push_back(etype.why + " [kerberos-rules R2.3]");
  r.notes.push_back(
      "the 4769 of an S4U2Self request names the service as both account and service; this field content is "
      "UNCONFIRMED [kerberos-rules R5.1]");
  r.events.push_back({4769, "Security",
                      "service ticket requested: Account Name " + audit_name(directory_, service.name) +
                          ", Service Name " + service.sam + ", Ticket Options " + kS4u2SelfOptions +
                          ", Ticket Encryption Type " + etype_hex(t.etype) +
                          ", Failure Code 0x0, Transited Services -"});
  return r;
}

KdcReply Kdc::s4u2proxy(const Ticket& service_tgt, const Ticket& evidence, const directory::Spn& target, SimTime now,
                        bool rbcd_bit) const {
  // Samba 4.17's KDC never evaluates resource-based delegation (samba-kdc-notes).
  if (domain_.kdc == directory::KdcProfile::Samba417) rbcd_bit = false;
  if (service_tgt.end <= now)
    return refusal(KrbError::KRB_AP_ERR_TKT_EXPIRED, NtStatus::None, "the service's TGT has expired",
                   "kerberos-rules R2.9");
  const auto service_id = directory_.find_account(service_tgt.client);
  assert(service_id && "a TGT is only issued to an account of the directory");
  const Account& service1 = directory_.account(*service_id);
  const std::string account = audit_name(directory_, evidence.client);
  const std::string service1_audit = audit_name(directory_, service1.name);
  const std::string target_spn = target.to_string();  // as the reasons and 4769 name it

  // The evidence must be the user's ticket to Service 1 itself, with a KDC-signed PAC (R3.2.3, R2.11).
  if (!iequals(evidence.encrypted_for, service1.name)) {
    KdcReply r =
        refusal(KrbError::KDC_ERR_BADOPTION, NtStatus::None,
                "the user's ticket presented as evidence is encrypted for " + evidence.encrypted_for + ", not for " +
                    service1.name + ", and only a ticket to the requesting service proves " + "the user came to it",
                "kerberos-rules R3.2.3");
    audit_bad_option(r, account, target_spn, kS4u2ProxyOptions, service1_audit);
    return r;
  }
  if (!evidence.has_pac) {
    KdcReply r = refusal(KrbError::KDC_ERR_BADOPTION, NtStatus::None,
                         "the user's ticket to " + service1.name + " carries no PAC, and constrained delegation " +
                             "needs the user's KDC-signed PAC to copy",
                         "kerberos-rules R2.11");
    r.notes.push_back(
        "Windows answers a missing evidence PAC with 13, 41 or 20 depending on the case; the model uses "
        "KDC_ERR_BADOPTION [kerberos-rules R2.11]");
    audit_bad_option(r, account, target_spn, kS4u2ProxyOptions, service1_audit);
    return r;
  }
  if (evidence.end <= now) {
    KdcReply r = refusal(KrbError::KRB_AP_ERR_TKT_EXPIRED, NtStatus::None,
                         "the user's ticket to " + service1.name + " has expired", "kerberos-rules R2.9");
    r.notes.push_back("the code for an expired evidence ticket is UNCONFIRMED [kerberos-rules R2.9]");
    return r;
  }

  const SpnLookup found = directory_.lookup_spn(target, domain_.forest);
  if (found.status == SpnLookup::Status::Duplicate) return duplicate_spn_reply(found);
  if (found.status == SpnLookup::Status::NotFound) {
    KdcReply r = refusal(KrbError::KDC_ERR_S_PRINCIPAL_UNKNOWN, NtStatus::None, found.why, found.rule);
    r.notes.push_back(
        "no 4769 failure is audited for an unknown SPN unless KdcExtraLogLevel has bit 0x1 [kerberos-rules R1.6]");
    r.notes.push_back(
        "S4U2Proxy to a service of another forest is not modelled: cross-forest delegation is UNCONFIRMED "
        "[kerberos-rules R3.4.5]");
    return r;
  }
  const Account& owner = directory_.account(found.owners.front());
  const std::string owner_audit = owner.sam;

  // Classic constrained delegation: msDS-AllowedToDelegateTo of Service 1, literal and
  // case-insensitive, both services in this KDC's domain (R3.2.3).
  const bool same_domain = iequals(service1.domain, domain_.dns) && iequals(owner.domain, domain_.dns);
  const bool listed = lists(service1.allowed_to_delegate_to, target);
  const NtStatus classic_status =
      service1.allowed_to_delegate_to.empty() ? NtStatus::STATUS_NOT_SUPPORTED : NtStatus::STATUS_NO_MATCH;
  std::string classic_why;
  if (service1.allowed_to_delegate_to.empty())
    classic_why = service1.name + " is not configured for constrained delegation (msDS-AllowedToDelegateTo is empty)";
  else if (!same_domain)
    classic_why = "classic constrained delegation works only within one domain, and " + service1.name + " (" +
                  service1.domain + ") and " + owner.name + " (" + owner.domain + ") are not both in " + domain_.dns;
  else if (!listed)
    classic_why = service1.name + "'s msDS-AllowedToDelegateTo does not contain " + target_spn +
                  " (the entry must match the SPN literally, host form and port included)";
  const std::string list_note =
      "msDS-AllowedToDelegateTo is compared literally and case-insensitively; whether sPNMappings (HOST "
      "aliasing) applies to it is UNCONFIRMED and the model applies none [kerberos-rules R3.2.3]";

  // A back end in another domain is decided by its own domain's KDC, by RBCD only (R3.4.5).
  if (!iequals(owner.domain, domain_.dns)) {
    if (rbcd_bit) {
      KdcReply r;
      r.kind = KdcReply::Kind::Referral;
      r.referral_domain = owner.domain;
      r.ticket = cross_realm_tgt(service_tgt, owner.domain, now);
      r.why = target_spn + " belongs to " + owner.name + " in " + owner.domain +
              "; classic constrained delegation cannot cross domains, so " + service1.name +
              " is referred to that domain's KDC, which decides by resource-based delegation";
      r.rule = "kerberos-rules R3.4.5";
      r.notes.push_back(found.why + " [" + found.rule + "]");
      r.notes.push_back("classic constrained delegation is single-domain [kerberos-rules R3.2.3, R3.6]");
      return r;
    }
    KdcReply r = refusal(KrbError::KDC_ERR_BADOPTION, classic_status, classic_why, "kerberos-rules R3.2.3");
    r.notes.push_back(
        "the request lacks the resource-based delegation bit, so only the classic rules apply and no referral "
        "is given [kerberos-rules R3.4.2]");
    if (listed)
      r.notes.push_back(
          "the SPN is listed, but a list entry cannot reach a service of another domain; the model "
          "answers STATUS_NO_MATCH (UNCONFIRMED) [kerberos-rules R3.2.3]");
    audit_bad_option(r, account, owner_audit, kS4u2ProxyOptions, service1_audit);
    return r;
  }

  const EtypeChoice etype = choose_etype(owner);
  const auto grant = [&](std::string why, std::string rule) {
    if (!etype.ok) return etype_refusal(etype, owner);
    KdcReply r;
    Ticket t;
    t.client = evidence.client;
    t.client_realm = evidence.client_realm;
    t.server = target_spn;
    t.server_realm = domain_.realm();
    t.encrypted_for = owner.name;
    t.etype = etype.etype;
    t.kvno = owner.kvno;
    t.flags.forwardable = !evidence.user_not_delegated;  // R3.2.4; never for such users (R3.5.1)
    t.flags.renewable = evidence.flags.renewable;
    t.flags.pre_authent = service_tgt.flags.pre_authent;    // copied from the TGT of the request (RFC 4120 2.2)
    t.flags.ok_as_delegate = owner.trusted_for_delegation;  // R3.1.1
    t.flags.name_canonicalize = true;
    t.start = now;
    // Within the evidence's lifetime, the service's TGT and the policy (R2.9).
    t.end = std::min({now + policy_.service_ticket_lifetime, evidence.end, service_tgt.end});
    t.renew_till = evidence.renew_till;
    t.pac_sids = evidence.pac_sids;
    t.pac_foreign_sids = evidence.pac_foreign_sids;
    t.has_pac = true;
    t.service_asserted_identity = evidence.service_asserted_identity;
    t.user_not_delegated = evidence.user_not_delegated;
    t.transited = evidence.transited;
    t.transited.push_back(service1.name);
    r.kind = KdcReply::Kind::Ticket;
    r.ticket = t;
    r.why = std::move(why);
    r.rule = std::move(rule);
    r.notes.push_back(found.why + " [" + found.rule + "]");
    r.notes.push_back("the ticket copies the user's PAC, adds " + service1.name +
                      " to the transited services and is forwardable, so it can serve as evidence for a further hop "
                      "[kerberos-rules R3.2.4, R3.7.1]");
    if (t.service_asserted_identity)
      r.notes.push_back(
          "the PAC carries SERVICE_ASSERTED_IDENTITY (S-1-18-2): the user's identity came from protocol "
          "transition [kerberos-rules R3.4.6]");
    r.notes.push_back(etype.why + " [kerberos-rules R2.3]");
    r.events.push_back({4769, "Security",
                        "service ticket requested: Account Name " + account + ", Service Name " + owner_audit +
                            ", Ticket Options " + kS4u2ProxyOptions + ", Ticket Encryption Type " + etype_hex(t.etype) +
                            ", Failure Code 0x0, Transited Services " + audit_list(directory_, t.transited)});
    return r;
  };
  const auto refuse = [&](NtStatus status, std::string why, std::string rule) {
    KdcReply r = refusal(KrbError::KDC_ERR_BADOPTION, status, std::move(why), std::move(rule));
    r.notes.push_back(found.why + " [" + found.rule + "]");
    audit_bad_option(r, account, owner_audit, kS4u2ProxyOptions, service1_audit);
    return r;
  };

  if (domain_.kdc == directory::KdcProfile::Samba417) {
    // Samba 4.17 checks the evidence's forwardable flag before the list (samba-kdc-notes).
    if (!evidence.flags.forwardable) {
      KdcReply r = refusal(KrbError::KDC_ERR_BADOPTION, NtStatus::None,
                           "the user's ticket to " + service1.name +
                               " is not forwardable, and a Samba 4.17 KDC refuses constrained delegation with a "
                               "non-forwardable evidence ticket before it looks at the list (\"Missing forwardable "
                               "flag\")",
                           "samba-kdc-notes (classic KCD)");
      audit_bad_option(r, account, owner_audit, kS4u2ProxyOptions, service1_audit);
      return r;
    }
  }
  const RbcdVerdict rbcd = rbcd_bit ? rbcd_verdict(service1, owner, evidence) : RbcdVerdict{};

  if (same_domain && listed) {
    if (evidence.flags.forwardable)
      return grant(service1.name + " may delegate to " + target_spn +
                       ": the SPN is in its msDS-AllowedToDelegateTo and the user's ticket is forwardable",
                   "kerberos-rules R3.2.3");
    // Non-forwardable evidence fails the classic rules; with the RBCD bit the resource-based
    // rules still judge it (MS-SFU 3.2.5.2.3), and accept a non-sensitive user's S4U2Self ticket.
    if (rbcd.allowed) {
      KdcReply r = grant(rbcd.why, rbcd.rule);
      r.notes.push_back("classic constrained delegation would refuse the non-forwardable ticket; " +
                        std::string("resource-based delegation accepts it [kerberos-rules R3.2.3, R3.4.3]"));
      return r;
    }
    std::string cause = "the user's ticket to " + service1.name + " is not forwardable";
    if (evidence.user_not_delegated)
      cause += " (" + evidence.client + " is sensitive or a Protected User)";
    else if (evidence.from_s4u2self)
      cause += " (an S4U2Self ticket of a service set to \"Use Kerberos only\")";
    KdcReply r = refuse(NtStatus::STATUS_ACCOUNT_RESTRICTION,
                        target_spn + " is in " + service1.name + "'s msDS-AllowedToDelegateTo, but " + cause +
                            ", and constrained delegation needs a forwardable ticket",
                        "kerberos-rules R3.2.3");
    r.notes.push_back(
        "MS-SFU gives STATUS_NO_MATCH for this case without the RBCD bit; Windows clients set the bit and the "
        "model answers STATUS_ACCOUNT_RESTRICTION [kerberos-rules R3.2.3]");
    if (evidence.from_s4u2self && !evidence.user_not_delegated)
      r.notes.push_back("\"Use any authentication protocol\" on " + service1.name +
                        " would make its S4U2Self tickets forwardable [kerberos-rules R3.2.5, R3.3.2]");
    return r;
  }

  // Classic constrained delegation does not authorise the request: resource-based delegation (R3.4.2).
  if (rbcd.applies) {
    if (rbcd.allowed) {
      KdcReply r = grant(rbcd.why, rbcd.rule);
      if (!classic_why.empty()) r.notes.push_back("classic: " + classic_why + " [kerberos-rules R3.2.3]");
      return r;
    }
    KdcReply r = refuse(rbcd.status, rbcd.why, rbcd.rule);
    r.notes.push_back("classic: " + classic_why + " [kerberos-rules R3.2.3]");
    return r;
  }
  const bool samba = domain_.kdc == directory::KdcProfile::Samba417;
  if (samba && !owner.allowed_to_act.empty()) {
    // The attribute is there, but this KDC never looks at it (samba-kdc-notes, RBCD).
    KdcReply r = refuse(classic_status,
                        classic_why + "; " + owner.name +
                            " allows resource-based delegation, but a Samba 4.17 KDC never evaluates "
                            "msDS-AllowedToActOnBehalfOfOtherIdentity, so only the classic rules decide",
                        "samba-kdc-notes (RBCD)");
    r.notes.push_back("classic: " + classic_why + " [kerberos-rules R3.2.3]");
    return r;
  }
  KdcReply r = refuse(classic_status, classic_why, "kerberos-rules R3.2.3");
  if (listed || classic_status == NtStatus::STATUS_NO_MATCH) r.notes.push_back(list_note);
  if (!rbcd_bit && !owner.allowed_to_act.empty())
    r.notes.push_back(owner.name +
                      " allows resource-based delegation, but the request lacks the RBCD bit, so only the classic "
                      "rules apply [kerberos-rules R3.4.2]");
  else if (rbcd_bit)
    r.notes.push_back(owner.name +
                      " has no msDS-AllowedToActOnBehalfOfOtherIdentity, so resource-based delegation does not "
                      "apply [kerberos-rules R3.4.2]");
  return r;
}

KdcReply Kdc::forwarded_tgt(const Ticket& user_tgt, SimTime now) const {
  assert(user_tgt.is_tgt() && "only a TGT can be forwarded");
  if (user_tgt.end <= now)
    return refusal(KrbError::KRB_AP_ERR_TKT_EXPIRED, NtStatus::None, "the user's TGT has expired",
                   "kerberos-rules R2.9");
  if (!user_tgt.flags.forwardable) {
    std::string cause;
    if (const auto id = directory_.find_account(user_tgt.client))
      cause = not_delegated_reason(directory_, directory_.account(*id));
    KdcReply r = refusal(KrbError::KDC_ERR_BADOPTION, NtStatus::None,
                         user_tgt.client + "'s TGT is not forwardable" + (cause.empty() ? "" : " (" + cause + ")") +
                             ", so no forwarded TGT can be made from it and unconstrained delegation carries no "
                             "credentials",
                         "kerberos-rules R3.1.3");
    r.notes.push_back(
        "a Windows client does not even ask for a forwarded TGT when its TGT is not forwardable, so no DC "
        "request or event is seen [kerberos-rules R3.1.2]");
    return r;
  }
  KdcReply r;
  Ticket t = user_tgt;
  t.flags.forwarded = true;
  t.flags.forwardable = true;
  t.flags.initial = false;
  t.start = now;
  t.end = user_tgt.end;  // a forwarded TGT never outlives the one it came from (R3.1.2)
  // Samba's krbtgt entry is ok-as-delegate, and its KDC copies the server entry's flag into TGS
  // replies, the forwarded TGT included (samba-kdc-notes, fidelity suite).
  if (domain_.kdc == directory::KdcProfile::Samba417) t.flags.ok_as_delegate = true;
  r.kind = KdcReply::Kind::Ticket;
  r.ticket = t;
  r.why = user_tgt.client +
          "'s TGT is forwardable, so the KDC issues a forwarded TGT valid until the original "
          "expires; the client ships it to the service inside the AP-REQ";
  r.rule = "kerberos-rules R3.1.2";
  r.events.push_back({4769, "Security",
                      "service ticket requested: Account Name " + audit_name(directory_, user_tgt.client) +
                          ", Service Name krbtgt, Ticket Options " + kForwardedTgtOptions +
                          ", Ticket Encryption Type " + etype_hex(t.etype) + ", Failure Code 0x0"});
  return r;
}

}  // namespace kerbsim::kerberos
