// Active Directory as the KDC sees it: domains grouped into forests, trusts between them, accounts
// with their SPNs and delegation settings, and the forest-wide SPN index with the sPNMappings HOST
// aliasing and duplicate detection (kerberos-rules R1.3-R1.12).
#pragma once

#include <boost/container/small_vector.hpp>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "directory/spn.h"

namespace kerbsim::directory {

using AccountId = std::size_t;

// The software a domain's DCs run, where KDC behaviour really differs between versions: S4U2Self's
// forwardable rule, Protected Users at the S4U exchanges, RBCD, the order of the KCD checks, etype
// defaults, disabled accounts (kerberos-rules R2.5, R3.3.2, R3.4; samba-kdc-notes).
enum class KdcProfile { Windows2016, Windows2012R2, Samba417 };
std::string profile_name(KdcProfile p);  // "windows-2016", "windows-2012r2", "samba-4.17"

struct Domain {
  std::string dns;      // "corp.contoso.com"
  std::string netbios;  // "CORP"
  std::string forest;   // dns name of the forest root
  std::string functional_level = "2016";
  std::vector<std::string> dcs;  // host names of its KDCs
  KdcProfile kdc = KdcProfile::Windows2016;
  // A KDS root key usable in its forest (kerberos-rules R7.1): gMSA creation needs one.
  bool kds_root_key = false;
  // dsHeuristics DoNotVerifyUPNAndOrSPNUniqueness bit 1 clear: the forest's DCs of 2012 R2 and later
  // refuse a duplicate SPN (MS-ADTS 3.1.1.5.1.3). Read from the forest root domain.
  bool spn_uniqueness_check = true;

  std::string realm() const;  // upper-case DNS name (kerberos-rules R8.1)
};

struct Trust {
  std::string from;  // trusting side for "outbound": from trusts to
  std::string to;
  bool forest_trust = true;  // forest | external
  bool two_way = true;
  bool outbound = true;         // when one-way: true = from trusts to, false = to trusts from
  bool tgt_delegation = false;  // EnableTGTDelegation (kerberos-rules R3.1.4)
};

enum class AccountKind { User, Computer, Gmsa };

// msDS-SupportedEncryptionTypes of a computer account, AES256 | AES128 | RC4: computers keep it in
// sync with local policy (kerberos-rules R2.4); gMSAs, a subclass of computer, are modelled the
// same way (UNCONFIRMED).
constexpr std::uint32_t kComputerEnctypes = 0x10 | 0x08 | 0x04;

struct Account {
  std::string name;    // canonical "CORP\\alice", "CORP\\WEB1$"
  std::string domain;  // dns name of its domain
  std::string sam;     // "alice", "WEB1$"
  AccountKind kind = AccountKind::User;
  std::vector<std::string> spns;                    // servicePrincipalName: its values as written (R1.1)
  bool trusted_for_delegation = false;              // UAC 0x80000 (R3.0)
  bool trusted_to_auth_for_delegation = false;      // UAC 0x1000000
  std::vector<std::string> allowed_to_delegate_to;  // msDS-AllowedToDelegateTo
  std::vector<std::string> allowed_to_act;          // msDS-AllowedToActOnBehalfOfOtherIdentity
  bool sensitive = false;                           // NOT_DELEGATED 0x100000
  std::vector<std::string> groups;
  int token_groups = 10;                            // SIDs in the PAC counted as s-class (R6.3)
  int foreign_token_groups = 0;                     // d-class SIDs: universal groups of other domains, sIDHistory
  std::optional<std::uint32_t> supported_enctypes;  // msDS-SupportedEncryptionTypes bits (R2.4)
  bool aes_keys = true;                             // false = password last set before AES keys existed (R2.2)
  int kvno = 1;
  bool enabled = true;
  bool domain_controller = false;  // a DC's computer account: trusted for delegation by default

  bool member_of(const std::string& group) const;
  bool protected_user() const { return member_of("Protected Users"); }
};

// The answer of one SPN lookup, with the reason it was reached.
struct SpnLookup {
  enum class Status { Found, NotFound, Duplicate };
  Status status = Status::NotFound;
  std::vector<AccountId> owners;  // one when Found; every holder when Duplicate
  Spn matched;                    // the SPN that matched: the one asked for, or its HOST/ alias (R1.4)
  bool via_host_mapping = false;
  std::string why;
  std::string rule;
};

// Why the directory, or the tool writing to it, refuses a write (kerberos-rules R1.7, R7.1).
enum class WriteRefusal {
  SpnNotUniqueInForest,  // ERROR_DS_SPN_VALUE_NOT_UNIQUE_IN_FOREST (8467): the writing DC refuses the value
  SetspnDuplicateFound,  // setspn -S finds the SPN on another account and stops before it writes
  NoKdsRootKey,          // New-ADServiceAccount: "Key does not exist", the forest has no usable KDS root key
};
std::string to_string(WriteRefusal r);  // "ERROR_DS_SPN_VALUE_NOT_UNIQUE_IN_FOREST", ...
int windows_error(WriteRefusal r);      // 8467; 0 when the refusal has no Win32 code of its own

// How an SPN reaches the directory: the version of the DC that takes the originating write decides
// whether it checks uniqueness, and setspn -S checks on the client first (kerberos-rules R1.7).
struct SpnWrite {
  std::string dc_os = "2016";  // the writing DC's Windows Server version: "2012", "2012R2", "2016", ...
  bool samba_dc = false;       // a Samba DC (samba-kdc-notes)
  bool setspn_s = false;       // written with setspn -S
};

// A refused write: why, in words, and the rule.
struct Refusal {
  WriteRefusal reason = WriteRefusal::SpnNotUniqueInForest;
  std::string why;
  std::string rule;
};

class Directory {
 public:
  Directory() = default;
  Directory(const Directory&) = delete;
  Directory& operator=(const Directory&) = delete;
  Directory(Directory&&) = default;
  Directory& operator=(Directory&&) = default;
  // An independent copy: a simulation keeps one view of the directory per DC (kerberos-rules R8.4).
  Directory clone() const;

  // Room for this many accounts and SPNs, so that a large directory is indexed without rehashing.
  void reserve(std::size_t accounts, std::size_t spns);
  void add_domain(Domain d);
  void add_trust(Trust t);
  AccountId add_account(Account a);
  // Writes one more SPN on an account (what setspn or a service's self-registration does); nothing
  // when the account holds it already in any case (R1.8).
  void add_spn(AccountId id, const Spn& spn);
  // Removes an SPN from an account (setspn -D); false when the account did not hold it.
  bool remove_spn(AccountId id, const Spn& spn);

  // The write-time rules (kerberos-rules R1.7, R7.1): would this write be refused? add_spn and
  // add_account apply no rule, so that a scenario's existing duplicates still load; a change checks first.
  // The SPN on an account of the forest, written as `how` says:
  std::optional<Refusal> refuse_spn(const Account& to, const Spn& spn, const SpnWrite& how) const;
  // A new account: a gMSA needs a usable KDS root key, and its SPNs are checked like any other.
  std::optional<Refusal> refuse_account(const Account& a, const SpnWrite& how) const;
  // Does a DC of this version refuse a duplicate SPN (MS-ADTS 3.1.1.5.1.3: 2012 R2 and later)?
  static bool dc_checks_spn_uniqueness(const SpnWrite& how);

  // Domain join: the computer account a host gets in its domain, NETBIOS\NAME$ with HOST/<name>
  // and HOST/<fqdn> (kerberos-rules R1.5) and the computer etypes (R2.4). Returned rather than
  // added, so that the scenario's own settings go on it first; then add_computer.
  Account joined_computer(const std::string& domain_dns, const std::string& host_name, const std::string& fqdn) const;
  // Adds a joined host's computer account. A DC's account is created with userAccountControl
  // SERVER_TRUST_ACCOUNT | TRUSTED_FOR_DELEGATION (0x82000, MS-ADTS 2.2.16), whatever the settings
  // say: DCs are trusted for unconstrained delegation by default (kerberos-rules R3.0).
  AccountId add_computer(Account computer, const std::string& host_name);

  const std::vector<Domain>& domains() const { return domains_; }
  // Add-KdsRootKey: every domain of the forest gets a usable KDS root key.
  void add_kds_root_key(const std::string& forest);
  const std::vector<Trust>& trusts() const { return trusts_; }
  const std::vector<Account>& accounts() const { return accounts_; }
  const Account& account(AccountId id) const { return accounts_.at(id); }
  Account& account(AccountId id) { return accounts_.at(id); }

  const Domain* domain_by_dns(const std::string& dns) const;
  const Domain* domain_by_netbios(const std::string& netbios) const;
  std::optional<AccountId> find_account(const std::string& canonical_name) const;
  // The domain the NetBIOS prefix of a canonical name names ("CORP\\alice"), whether or not the
  // account exists; nullptr for a bare name or a prefix that is no domain (a local "WS1\\bob").
  const Domain* domain_of(const std::string& account_name) const;
  // Is host_name one of the domain's DCs?
  bool domain_controller(const std::string& domain_dns, const std::string& host_name) const;

  // Looks an SPN up among the accounts of one forest: exact case-insensitive match, then the
  // sPNMappings HOST alias, duplicates reported (R1.3, R1.4, R1.7, R1.8).
  SpnLookup lookup_spn(const Spn& spn, const std::string& forest) const;
  // The owners lookup_spn finds, without its explanation: one, several (a duplicate) or none. For a
  // caller that asks for every SPN of a large directory (the delegation graph).
  std::vector<AccountId> spn_owners(const Spn& spn, const std::string& forest) const;

  // Are the Protected Users protections in force for this account? Its domain's DCs enforce them
  // from functional level 2012 R2 on (kerberos-rules R3.5.1, R3.5.2).
  bool protected_user_enforced(const Account& a) const;

  // Is the service class one that sPNMappings maps to HOST (R1.4)?
  static bool host_alias(const std::string& service_class);

  // The trust, if any, that lets users of user_domain reach resources in resource_domain across
  // forests (the resource side must trust the user side).
  const Trust* forest_trust_between(const std::string& user_forest, const std::string& resource_forest) const;

  // Every SPN held by more than one account of the same forest (what `setspn -X -F` lists).
  std::vector<std::pair<std::string, std::vector<AccountId>>> duplicate_spns() const;

 private:
  // The holders of an SPN key among the accounts of one forest.
  std::vector<AccountId> holders_in_forest(const std::string& key, const std::string& forest) const;
  // The lookup's decision (R1.3, R1.4): the SPN's holders, else its HOST alias's; via_host says which.
  std::vector<AccountId> resolve_spn(const Spn& spn, const std::string& forest, bool& via_host) const;

  std::vector<Domain> domains_;
  std::vector<Trust> trusts_;
  std::vector<Account> accounts_;
  std::unordered_map<std::string, AccountId> by_name_;  // lower-case canonical name
  // spn_key -> holders (all forests); most SPNs have one holder, kept without an allocation of its own.
  std::unordered_map<std::string, boost::container::small_vector<AccountId, 1>> spn_index_;
};

}  // namespace kerbsim::directory
