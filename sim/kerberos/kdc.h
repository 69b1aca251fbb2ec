// The Key Distribution Center of one Active Directory domain: the AS exchange (TGTs) and the TGS
// exchange (service tickets and referrals), deciding from the directory exactly as a Windows DC
// does, and recording each decision's reason, rule and the DC's audit events.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "directory/directory.h"
#include "engine/time.h"
#include "kerberos/errors.h"
#include "kerberos/ticket.h"

namespace kerbsim::kerberos {

// Domain Kerberos policy and KDC settings, each with the product's default; a scenario's "settings"
// start from these (kerberos-rules R1.7, R2.5, R2.8, R2.9, R3.5.2).
struct KdcPolicy {
  engine::SimTime max_clock_skew = 5 * engine::kMinute;              // MaxClockSkew, R2.8
  engine::SimTime tgt_lifetime = 10 * engine::kHour;                 // MaxTicketAge, R2.9
  engine::SimTime service_ticket_lifetime = 600 * engine::kMinute;   // MaxServiceAge, R2.9
  engine::SimTime max_renew_age = 7 * 24 * engine::kHour;            // MaxRenewAge, R2.9
  engine::SimTime protected_users_tgt_lifetime = 4 * engine::kHour;  // R3.5.2
  // DefaultDomainSupportedEncTypes for accounts without msDS-SupportedEncryptionTypes (R2.5):
  // AES only since the April 2026 updates.
  std::uint32_t default_domain_supported_enctypes = kAes256Bit | kAes128Bit;
  bool default_enctypes_set = false;  // given by the scenario; else the KDC profile's default
  // What the KDC answers for a duplicate SPN (R1.7); 8 KDC_ERR_PRINCIPAL_NOT_UNIQUE is the other choice.
  KrbError duplicate_spn_error = KrbError::KDC_ERR_S_PRINCIPAL_UNKNOWN;
};

// One audit or System-log event a DC writes.
struct DcEvent {
  int id = 0;
  std::string log;  // "Security", "System"
  std::string text;
};

// What the KDC answered and why.
struct KdcReply {
  enum class Kind { Ticket, Referral, Error };
  Kind kind = Kind::Error;
  Ticket ticket;  // the TGT, service ticket or referral TGT
  KrbError error = KrbError::None;
  NtStatus status = NtStatus::None;
  std::string referral_domain;  // dns name of the domain to ask next
  std::string why;
  std::string rule;
  std::vector<std::string> notes;  // further reasons and settings behind the decision
  std::vector<DcEvent> events;

  bool ok() const { return kind != Kind::Error; }
};

class Kdc {
 public:
  Kdc(const directory::Directory& directory, const directory::Domain& domain, KdcPolicy policy);
  Kdc(const Kdc&) = delete;
  Kdc& operator=(const Kdc&) = delete;

  const directory::Domain& domain() const { return domain_; }

  // AS-REQ for a user's TGT. client_clock_offset is the client's clock minus the DC's;
  // forwardable: the request asks for a forwardable ticket (kinit -f; Windows always asks).
  KdcReply as_exchange(const std::string& user, engine::SimTime now, engine::SimTime client_clock_offset,
                       bool forwardable = true) const;

  // TGS-REQ with a TGT for a service ticket to spn, or a referral to the domain that can issue it.
  // The ticket's server name is the SPN's text as the client wrote it (kerberos-rules R1.8).
  KdcReply tgs_exchange(const Ticket& tgt, const directory::Spn& spn, engine::SimTime now) const;

  // The etype the KDC would use for tickets to this account, or the reason there is none (R2.3).
  struct EtypeChoice {
    bool ok = false;
    Etype etype = Etype::Aes256;
    std::uint32_t supported = 0;  // the account's supported set (attribute or DDSET)
    std::uint32_t keys = 0;       // the keys stored for it
    std::string why;
  };
  EtypeChoice choose_etype(const directory::Account& target) const;
  std::uint32_t default_enctypes() const;

  // S4U2Self (kerberos-rules R3.3): service_tgt is the TGT of the service account (from
  // as_exchange on that account); the reply is a ticket to the service itself, on behalf of user,
  // FORWARDABLE only per the R3.3.2 truth table. A user of another domain gets a referral (R3.3.3).
  KdcReply s4u2self(const Ticket& service_tgt, const std::string& user, engine::SimTime now) const;

  // S4U2Proxy (kerberos-rules R3.2, R3.4): the service presents its TGT and the evidence ticket
  // (the user's ticket to the service, or an S4U2Self ticket) and asks for target_spn. Classic
  // constrained delegation is checked first, then resource-based delegation when rbcd_bit (Windows
  // clients set it). Refusals are KDC_ERR_BADOPTION with the NTSTATUS of R3.2.3 / R3.4.2. A target
  // in another domain gets a referral when RBCD may authorise it there (R3.4.5); the caller repeats
  // the request at that domain's KDC with the referral TGT.
  KdcReply s4u2proxy(const Ticket& service_tgt, const Ticket& evidence, const directory::Spn& target,
                     engine::SimTime now, bool rbcd_bit = true) const;

  // A forwarded TGT for unconstrained delegation (kerberos-rules R3.1.2-R3.1.4): requires the
  // user's TGT to be forwardable; the reply is a TGT with the forwarded flag.
  KdcReply forwarded_tgt(const Ticket& user_tgt, engine::SimTime now) const;

 private:
  // The refusal of a request whose SPN two accounts hold: the configured code and event 11 (R1.7).
  KdcReply duplicate_spn_reply(const directory::SpnLookup& found) const;
  // KDC_ERR_ETYPE_NOSUPP with System event 16 (no key) or 27 (no enabled etype) (R2.3).
  static KdcReply etype_refusal(const EtypeChoice& etype, const directory::Account& target);
  Ticket cross_realm_tgt(const Ticket& tgt, const std::string& target_domain, engine::SimTime now) const;

  const directory::Directory& directory_;
  const directory::Domain& domain_;
  KdcPolicy policy_;
};

}  // namespace kerbsim::kerberos
