#include "kerberos/kdc.h"

#include <algorithm>
#include <cstdlib>

#include "directory/names.h"

namespace kerbsim::kerberos {
namespace {

using directory::Account;
using directory::iends_with;
using directory::iequals;
using directory::SpnLookup;
using engine::SimTime;

}  // namespace

Kdc::Kdc(const directory::Directory& directory, const directory::Domain& domain, KdcPolicy policy)
    : directory_(directory), domain_(domain), policy_(policy) {}

// DefaultDomainSupportedEncTypes: the scenario's setting, else the DC software's default (R2.5):
// AES only after the April 2026 updates; RC4 tickets with AES session keys (the November 2022
// default, 0x27) on Windows Server 2012 R2 (UNCONFIRMED: its last updates) and on Samba 4.17
// (samba-kdc-notes, etypes).
std::uint32_t Kdc::default_enctypes() const {
  if (policy_.default_enctypes_set || domain_.kdc == directory::KdcProfile::Windows2016)
    return policy_.default_domain_supported_enctypes;
  return kRc4Bit;
}

Kdc::EtypeChoice Kdc::choose_etype(const Account& target) const {
  EtypeChoice c;
  c.supported = target.supported_enctypes.value_or(default_enctypes());
  c.keys = target.aes_keys ? (kAes256Bit | kAes128Bit | kRc4Bit) : kRc4Bit;
  const std::uint32_t usable = c.supported & c.keys & kKdcEnabledEtypes;
  const std::string source = target.supported_enctypes
                                 ? "its msDS-SupportedEncryptionTypes (" + describe_bits(c.supported) + ")"
                                 : "the domain default DefaultDomainSupportedEncTypes (" + describe_bits(c.supported) +
                                       "), as the attribute is not set";
  if (auto e = strongest(usable)) {
    c.ok = true;
    c.etype = *e;
    c.why = "ticket etype " + etype_name(*e) + ": the strongest common to " + source + ", the keys stored for " +
            target.name + " (" + describe_bits(c.keys) + ") and the KDC's enabled etypes";
  } else {
    c.why = "no etype is common to " + source + ", the keys stored for " + target.name + " (" + describe_bits(c.keys) +
            ") and the KDC's enabled etypes (" + describe_bits(kKdcEnabledEtypes) + ")";
  }
  return c;
}

KdcReply Kdc::as_exchange(const std::string& user, SimTime now, SimTime client_clock_offset, bool forwardable) const {
  KdcReply r;
  const std::string realm = domain_.realm();
  const auto id = directory_.find_account(user);
  if (!id || !iequals(directory_.account(*id).domain, domain_.dns)) {
    r.error = KrbError::KDC_ERR_C_PRINCIPAL_UNKNOWN;
    r.why = user + " is not an account of " + domain_.dns;
    r.rule = "kerberos-rules R5.1";
    r.events.push_back({4768, "Security", "TGT request failed: Account Name " + user + ", Result Code 0x6"});
    return r;
  }
  const Account& a = directory_.account(*id);
  if (!a.enabled) {
    r.error = KrbError::KDC_ERR_CLIENT_REVOKED;
    r.why = a.name + " is disabled";
    r.rule = "kerberos-rules R5.1";
    r.events.push_back({4768, "Security", "TGT request failed: Account Name " + a.sam + ", Result Code 0x12"});
    return r;
  }
  // Pre-authentication carries the client's timestamp (R8.8); outside MaxClockSkew it fails (R2.8).
  if (std::llabs(client_clock_offset) > policy_.max_clock_skew) {
    r.error = KrbError::KRB_AP_ERR_SKEW;
    r.why = "the client's clock is " + engine::format_duration(client_clock_offset) + " off the DC's, more than the " +
            engine::format_duration(policy_.max_clock_skew) +
            " MaxClockSkew allows, so its pre-authentication timestamp is refused";
    r.rule = "kerberos-rules R2.8";
    r.events.push_back(
        {4771, "Security", "Kerberos pre-authentication failed: Account Name " + a.sam + ", Failure Code 0x25"});
    return r;
  }
  const bool protected_user = directory_.protected_user_enforced(a);
  if (protected_user && !a.aes_keys) {
    r.error = KrbError::KDC_ERR_ETYPE_NOSUPP;
    r.why = a.name + " is in Protected Users, which may not pre-authenticate with RC4, and has no AES keys";
    r.rule = "kerberos-rules R3.5.2";
    r.events.push_back(
        {104, "ProtectedUserFailures-DomainController", "DES or RC4 pre-authentication refused for " + a.sam});
    return r;
  }

  Ticket t;
  t.client = a.name;
  t.client_realm = realm;
  t.server = "krbtgt/" + realm;
  t.server_realm = realm;
  t.encrypted_for = domain_.netbios + "\\krbtgt";
  t.etype = Etype::Aes256;
  const bool barred = a.sensitive || protected_user;
  t.flags.forwardable = forwardable && !barred;
  t.flags.renewable = true;
  t.flags.initial = true;
  t.flags.pre_authent = true;
  t.start = now;
  t.pac_sids = a.token_groups;
  t.pac_foreign_sids = a.foreign_token_groups;
  t.user_not_delegated = a.sensitive || protected_user;  // carried in the PAC (R3.4.3)
  if (protected_user) {
    t.end = now + policy_.protected_users_tgt_lifetime;
    t.renew_till = t.end;
    r.notes.push_back("Protected Users: TGT lifetime " + engine::format_duration(policy_.protected_users_tgt_lifetime) +
                      ", not renewable beyond it, never forwardable [kerberos-rules R3.5.2]");
  } else {
    t.end = now + policy_.tgt_lifetime;
    t.renew_till = now + policy_.max_renew_age;
  }
  if (a.sensitive)
    r.notes.push_back(a.name +
                      " is marked \"sensitive and cannot be delegated\": the TGT is not forwardable "
                      "[kerberos-rules R3.5.1]");
  r.kind = KdcReply::Kind::Ticket;
  r.ticket = t;
  r.why = "pre-authenticated " + a.name + "; TGT valid " + engine::format_duration(t.end - t.start) +
          (t.flags.forwardable ? ", forwardable" : ", not forwardable");
  r.rule = t.flags.forwardable ? "kerberos-rules R2.9" : "kerberos-rules R3.5.1";
  if (!forwardable && !barred) {
    r.why += ": the request did not ask for it (kinit without -f), so the KDC does not set the flag";
    r.rule = "kerberos-rules R2.9";
    r.notes.push_back("the request did not ask for a forwardable ticket, so the KDC does not set the flag");
  }
  r.events.push_back({4768, "Security",
                      "TGT requested: Account Name " + a.sam +
                          ", Service Name krbtgt, Result Code 0x0, "
                          "Ticket Encryption Type " +
                          etype_hex(t.etype)});
  return r;
}

KdcReply Kdc::etype_refusal(const EtypeChoice& etype, const Account& target) {
  KdcReply r;
  r.error = KrbError::KDC_ERR_ETYPE_NOSUPP;
  r.why = etype.why;
  r.rule = "kerberos-rules R2.3";
  if ((etype.supported & kKdcEnabledEtypes) != 0)
    r.events.push_back({16, "System",
                        "KDCEVENT_NO_KEY_INTERSECTION_TGS: " + target.sam +
                            " did not have a suitable key for generating a Kerberos ticket. The accounts available "
                            "etypes were " +
                            describe_bits(etype.keys) + ". Changing or resetting the password of " + target.sam +
                            " will generate a proper key."});
  else
    r.events.push_back(
        {27, "System",
         "KDCEVENT_UNSUPPORTED_ETYPE_REQUEST_TGS: no etype supported by " + target.sam + " is enabled on the KDC."});
  return r;
}

KdcReply Kdc::duplicate_spn_reply(const SpnLookup& found) const {
  KdcReply r;
  r.error = policy_.duplicate_spn_error;
  r.why = found.why;
  r.rule = found.rule;
  r.notes.push_back("the KDC answers " + error_label(policy_.duplicate_spn_error) +
                    " (settings.duplicate_spn_error; which code a DC version returns is UNCONFIRMED) "
                    "[kerberos-rules R1.7]");
  r.events.push_back({11, "System",
                      "KDCEVENT_NAME_NOT_UNIQUE: The KDC encountered duplicate names while processing a Kerberos "
                      "authentication request. The duplicate name is " +
                          found.matched.to_string() + " (of type DS_SERVICE_PRINCIPAL_NAME)."});
  return r;
}

Ticket Kdc::cross_realm_tgt(const Ticket& tgt, const std::string& target_domain, SimTime now) const {
  Ticket t = tgt;
  const std::string target_realm = directory::to_upper(target_domain);
  t.server = "krbtgt/" + target_realm;
  t.server_realm = domain_.realm();
  t.encrypted_for = domain_.netbios + "\\" + target_realm + "$ (inter-realm trust key)";
  t.start = now;
  t.flags.initial = false;
  return t;
}

KdcReply Kdc::tgs_exchange(const Ticket& tgt, const directory::Spn& spn, SimTime now) const {
  KdcReply r;
  const std::string realm = domain_.realm();
  if (tgt.end <= now) {
    r.error = KrbError::KRB_AP_ERR_TKT_EXPIRED;
    r.why = "the TGT presented has expired";
    r.rule = "kerberos-rules R2.9";
    return r;
  }
  // Account policy re-check for TGTs older than 20 minutes, by the user's own domain (R2.10).
  if (iequals(tgt.client_realm, realm) && now - tgt.start > 20 * engine::kMinute) {
    if (const auto uid = directory_.find_account(tgt.client); uid && !directory_.account(*uid).enabled) {
      r.error = KrbError::KDC_ERR_CLIENT_REVOKED;
      r.why = tgt.client + " has been disabled since its TGT was issued";
      r.rule = "kerberos-rules R2.10";
      return r;
    }
  }

  const SpnLookup found = directory_.lookup_spn(spn, domain_.forest);

  if (found.status == SpnLookup::Status::Duplicate) return duplicate_spn_reply(found);

  if (found.status == SpnLookup::Status::NotFound) {
    // Name-suffix routing across a forest trust (R1.12).
    for (const auto& d : directory_.domains()) {
      if (iequals(d.forest, domain_.forest)) continue;
      if (!(iequals(spn.host, d.dns) || iends_with(spn.host, "." + d.dns))) continue;
      const auto* user_domain = directory_.domain_by_dns(directory::to_lower(tgt.client_realm));
      const std::string user_forest = user_domain ? user_domain->forest : domain_.forest;
      if (const auto* trust = directory_.forest_trust_between(user_forest, d.forest); trust && trust->forest_trust) {
        r.kind = KdcReply::Kind::Referral;
        r.referral_domain = d.forest;
        r.ticket = cross_realm_tgt(tgt, d.forest, now);
        r.why = "not in forest " + domain_.forest + "; the host " + spn.host + " matches the name suffix " + d.dns +
                " routed over the forest trust, so the KDC refers the client to " + d.forest;
        r.rule = "kerberos-rules R1.12";
        return r;
      }
    }
    r.error = KrbError::KDC_ERR_S_PRINCIPAL_UNKNOWN;
    r.why = found.why;
    r.rule = found.rule;
    r.notes.push_back(
        "no 4769 failure is audited for an unknown SPN unless KdcExtraLogLevel has bit 0x1 "
        "[kerberos-rules R1.6]");
    return r;
  }

  const Account& owner = directory_.account(found.owners.front());
  if (!iequals(owner.domain, domain_.dns)) {
    r.kind = KdcReply::Kind::Referral;
    r.referral_domain = owner.domain;
    r.ticket = cross_realm_tgt(tgt, owner.domain, now);
    r.why = found.matched.to_string() + " belongs to " + owner.name + " in " + owner.domain +
            "; the KDC answers with a referral TGT for that domain";
    r.rule = "kerberos-rules R1.12";
    return r;
  }

  r.notes.push_back(found.why + " [" + found.rule + "]");
  const EtypeChoice etype = choose_etype(owner);
  if (!etype.ok) return etype_refusal(etype, owner);

  Ticket t;
  t.client = tgt.client;
  t.client_realm = tgt.client_realm;
  t.server = spn.to_string();
  t.server_realm = realm;
  t.encrypted_for = owner.name;
  t.etype = etype.etype;
  t.kvno = owner.kvno;
  t.flags.forwardable = tgt.flags.forwardable;  // never for sensitive or Protected users (R3.5.1)
  t.flags.renewable = true;
  t.flags.pre_authent = tgt.flags.pre_authent;
  t.flags.ok_as_delegate = owner.trusted_for_delegation;  // R3.1.1
  // Across a forest trust OK-AS-DELEGATE survives only with TGT delegation enabled on the trust,
  // off by default since July 2019 (R3.1.4).
  bool tgt_delegation_blocked = false;
  if (t.flags.ok_as_delegate) {
    const auto* user_domain = directory_.domain_by_dns(directory::to_lower(tgt.client_realm));
    if (user_domain && !iequals(user_domain->forest, domain_.forest)) {
      const auto* trust = directory_.forest_trust_between(user_domain->forest, domain_.forest);
      if (!trust || !trust->tgt_delegation) {
        t.flags.ok_as_delegate = false;
        tgt_delegation_blocked = true;
      }
    }
  }
  t.flags.name_canonicalize = true;
  t.start = now;
  t.end = std::min(now + policy_.service_ticket_lifetime, tgt.end);  // never past the TGT (R2.9)
  t.renew_till = tgt.renew_till;
  // Samba's Heimdal KDC drops RENEWABLE when the ticket cannot be renewed past its end, as for a
  // Protected User whose renew-till is the TGT's end (fidelity suite, kdc/krb5tgs.c).
  if (domain_.kdc == directory::KdcProfile::Samba417 && t.renew_till <= t.end) t.flags.renewable = false;
  t.pac_sids = tgt.pac_sids;
  t.pac_foreign_sids = tgt.pac_foreign_sids;
  t.user_not_delegated = tgt.user_not_delegated;
  r.kind = KdcReply::Kind::Ticket;
  r.ticket = t;
  r.why = "ticket for " + r.ticket.server + " encrypted with the key of " + owner.name + " (kvno " +
          std::to_string(owner.kvno) + ", " + etype_name(t.etype) + ")";
  r.rule = found.rule;
  r.notes.push_back(etype.why + " [kerberos-rules R2.3]");
  if (tgt_delegation_blocked) {
    r.why += "; no ok_as_delegate: the user comes over a forest trust without TGT delegation";
    r.rule = "kerberos-rules R3.1.4";
  }
  if (tgt_delegation_blocked)
    r.notes.push_back(owner.name +
                      " is trusted for unconstrained delegation, but the user comes over a forest trust "
                      "without TGT delegation (EnableTGTDelegation, off by default since 2019): no ok_as_delegate "
                      "[kerberos-rules R3.1.4]");
  if (t.flags.ok_as_delegate)
    r.notes.push_back(owner.name +
                      " is trusted for unconstrained delegation, so the ticket carries ok_as_delegate "
                      "[kerberos-rules R3.1.1]");
  if (!t.flags.forwardable)
    r.notes.push_back("the ticket is not forwardable: the user's TGT is not [kerberos-rules R3.5.1]");
  const std::string options = t.flags.forwardable ? "0x40810000" : "0x810000";
  r.events.push_back({4769, "Security",
                      "service ticket requested: Account Name " + directory::split_account(tgt.client).sam + "@" +
                          tgt.client_realm + ", Service Name " + owner.sam + ", Ticket Options " + options +
                          ", Ticket Encryption Type " + etype_hex(t.etype) + ", Failure Code 0x0"});
  return r;
}

}  // namespace kerbsim::kerberos
