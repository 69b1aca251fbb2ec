#include "directory/directory.h"

#include <algorithm>
#include <array>
#include <cstdlib>
#include <map>
#include <set>

#include "directory/names.h"

namespace kerbsim::directory {
namespace {

// The default sPNMappings value: service classes the KDC maps to HOST when no account holds the
// literal SPN (kerberos-rules R1.4; the Windows Server variant also lists ldp and ldap).
constexpr std::array<std::string_view, 53> kHostAliases = {"alerter",      "appmgmt",
                                                           "cisvc",        "clipsrv",
                                                           "browser",      "dhcp",
                                                           "dnscache",     "replicator",
                                                           "eventlog",     "eventsystem",
                                                           "policyagent",  "oakley",
                                                           "dmserver",     "dns",
                                                           "mcsvc",        "fax",
                                                           "msiserver",    "ias",
                                                           "messenger",    "netlogon",
                                                           "netman",       "netdde",
                                                           "netddedsm",    "nmagent",
                                                           "plugplay",     "protectedstorage",
                                                           "rasman",       "rpclocator",
                                                           "rpc",          "rpcss",
                                                           "remoteaccess", "rsvp",
                                                           "samss",        "scardsvr",
                                                           "scesrv",       "seclogon",
                                                           "scm",          "dcom",
                                                           "cifs",         "spooler",
                                                           "snmp",         "schedule",
                                                           "tapisrv",      "trksvr",
                                                           "trkwks",       "ups",
                                                           "time",         "wins",
                                                           "www",          "http",
                                                           "w3svc",        "iisadmin",
                                                           "msdtc"};

}  // namespace

std::string Domain::realm() const { return to_upper(dns); }

bool Account::member_of(const std::string& group) const {
  return std::any_of(groups.begin(), groups.end(), [&](const std::string& g) { return iequals(g, group); });
}

void Directory::add_domain(Domain d) {
  if (d.forest.empty()) d.forest = d.dns;
  domains_.push_back(std::move(d));
}

void Directory::add_trust(Trust t) { trusts_.push_back(std::move(t)); }

void Directory::reserve(std::size_t accounts, std::size_t spns) {
  accounts_.reserve(accounts);
  by_name_.reserve(accounts);
  spn_index_.reserve(spns);
}

AccountId Directory::add_account(Account a) {
  const AccountId id = accounts_.size();
  by_name_[to_lower(a.name)] = id;
  for (const auto& spn : a.spns) {
    auto& holders = spn_index_[spn_key(spn)];
    if (holders.empty() || holders.back() != id) holders.push_back(id);  // one account holding it twice is no duplicate
  }
  accounts_.push_back(std::move(a));
  return id;
}

void Directory::add_spn(AccountId id, const Spn& spn) {
  Account& a = accounts_.at(id);
  for (const auto& existing : a.spns)
    if (spn.matches(existing)) return;
  a.spns.push_back(spn.to_string());
  spn_index_[spn.key()].push_back(id);
}

bool Directory::remove_spn(AccountId id, const Spn& spn) {
  Account& a = accounts_.at(id);
  const auto held = std::find_if(a.spns.begin(), a.spns.end(), [&](const std::string& s) { return spn.matches(s); });
  if (held == a.spns.end()) return false;
  a.spns.erase(held);
  const std::string key = spn.key();
  auto& holders = spn_index_[key];
  holders.erase(std::remove(holders.begin(), holders.end(), id), holders.end());
  if (holders.empty()) spn_index_.erase(key);
  return true;
}

Account Directory::joined_computer(const std::string& domain_dns, const std::string& host_name,
                                   const std::string& fqdn) const {
  const Domain* d = domain_by_dns(domain_dns);
  Account a;
  a.sam = to_upper(host_name) + "$";
  a.name = (d ? d->netbios : to_upper(domain_dns)) + "\\" + a.sam;
  a.domain = d ? d->dns : domain_dns;
  a.kind = AccountKind::Computer;
  a.spns = {"HOST/" + host_name, "HOST/" + fqdn};  // R1.5
  a.supported_enctypes = kComputerEnctypes;
  a.token_groups = 2;  // a computer is in few groups, so its PAC is small (R6.3; the count is UNCONFIRMED)
  return a;
}

AccountId Directory::add_computer(Account computer, const std::string& host_name) {
  if (domain_controller(computer.domain, host_name)) {
    computer.domain_controller = true;
    computer.trusted_for_delegation = true;
  }
  return add_account(std::move(computer));
}

std::string profile_name(KdcProfile p) {
  switch (p) {
    case KdcProfile::Windows2016:
      return "windows-2016";
    case KdcProfile::Windows2012R2:
      return "windows-2012r2";
    case KdcProfile::Samba417:
      return "samba-4.17";
  }
  return "";
}

Directory Directory::clone() const {
  Directory d;
  d.domains_ = domains_;
  d.trusts_ = trusts_;
  d.accounts_ = accounts_;
  d.by_name_ = by_name_;
  d.spn_index_ = spn_index_;
  return d;
}

const Domain* Directory::domain_by_dns(const std::string& dns) const {
  for (const auto& d : domains_)
    if (iequals(d.dns, dns)) return &d;
  return nullptr;
}

const Domain* Directory::domain_by_netbios(const std::string& netbios) const {
  for (const auto& d : domains_)
    if (iequals(d.netbios, netbios)) return &d;
  return nullptr;
}

std::optional<AccountId> Directory::find_account(const std::string& canonical_name) const {
  const auto it = by_name_.find(to_lower(canonical_name));
  if (it == by_name_.end()) return std::nullopt;
  return it->second;
}

const Domain* Directory::domain_of(const std::string& account_name) const {
  return domain_by_netbios(split_account(account_name).domain);
}

bool Directory::domain_controller(const std::string& domain_dns, const std::string& host_name) const {
  const Domain* d = domain_by_dns(domain_dns);
  return d && std::any_of(d->dcs.begin(), d->dcs.end(), [&](const std::string& dc) { return iequals(dc, host_name); });
}

namespace {

// "2012R2" -> 20125, "2016" -> 20160: orders domain functional levels.
int level_rank(const std::string& level) {
  const int year = std::atoi(level.c_str());
  const bool r2 = level.find('R') != std::string::npos || level.find('r') != std::string::npos;
  return year * 10 + (r2 ? 5 : 0);
}

}  // namespace

bool Directory::protected_user_enforced(const Account& a) const {
  const Domain* d = domain_by_dns(a.domain);
  if (!a.protected_user() || !d) return false;
  // Samba 4.17 enforces the group whatever the level, which it cannot raise above 2008 R2
  // (fidelity suite: db-glue.c has no level test).
  if (d->kdc == KdcProfile::Samba417) return true;
  return level_rank(d->functional_level) >= level_rank("2012R2");
}

bool Directory::host_alias(const std::string& service_class) {
  const std::string cls = to_lower(service_class);
  return std::find(kHostAliases.begin(), kHostAliases.end(), cls) != kHostAliases.end();
}

std::vector<AccountId> Directory::holders_in_forest(const std::string& key, const std::string& forest) const {
  std::vector<AccountId> out;
  const auto it = spn_index_.find(key);
  if (it == spn_index_.end()) return out;
  for (const AccountId id : it->second) {
    const Domain* d = domain_by_dns(accounts_[id].domain);
    if (d && iequals(d->forest, forest)) out.push_back(id);
  }
  return out;
}

std::vector<AccountId> Directory::resolve_spn(const Spn& spn, const std::string& forest, bool& via_host) const {
  via_host = false;
  // Step 2: exact, case-insensitive match (R1.3, R1.8).
  if (auto holders = holders_in_forest(spn.key(), forest); !holders.empty()) return holders;
  // Step 3: sPNMappings HOST alias, only when no account holds the literal SPN (R1.3, R1.4).
  if (!host_alias(spn.service_class)) return {};
  auto holders = holders_in_forest(spn.with_class("HOST").key(), forest);
  via_host = !holders.empty();
  return holders;
}

std::vector<AccountId> Directory::spn_owners(const Spn& spn, const std::string& forest) const {
  bool via_host = false;
  return resolve_spn(spn, forest, via_host);
}

SpnLookup Directory::lookup_spn(const Spn& spn, const std::string& forest) const {
  SpnLookup result;
  result.owners = resolve_spn(spn, forest, result.via_host_mapping);
  result.matched = result.via_host_mapping ? spn.with_class("HOST") : spn;
  if (result.owners.size() == 1) {
    result.status = SpnLookup::Status::Found;
    const Account& owner = accounts_[result.owners.front()];
    if (result.via_host_mapping) {
      result.why = "no account holds " + spn.to_string() + "; sPNMappings maps its service class to HOST, and " +
                   result.matched.to_string() + " belongs to " + owner.name;
      result.rule = "kerberos-rules R1.4";
    } else {
      result.why = spn.to_string() + " is registered on " + owner.name + " (exact, case-insensitive match)";
      result.rule = "kerberos-rules R1.3";
    }
  } else if (result.owners.size() > 1) {
    result.status = SpnLookup::Status::Duplicate;
    std::string names;
    for (const AccountId id : result.owners) names += (names.empty() ? "" : " and ") + accounts_[id].name;
    result.why = result.matched.to_string() + " is registered on more than one account (" + names +
                 "); the KDC cannot know which key to use";
    result.rule = "kerberos-rules R1.7";
  } else {
    // Step 4: unknown.
    result.status = SpnLookup::Status::NotFound;
    result.why = "no account in forest " + forest + " holds ";
    spn.append_to(result.why);
    if (host_alias(spn.service_class))
      result.why += ", nor " + spn.with_class("HOST").to_string() + " (the HOST alias)";
    else
      result.why += " (" + spn.service_class + " is not in sPNMappings, so there is no HOST fallback)";
    result.rule = "kerberos-rules R1.6";
  }
  return result;
}

const Trust* Directory::forest_trust_between(const std::string& user_forest, const std::string& resource_forest) const {
  for (const auto& t : trusts_) {
    const Domain* from = domain_by_dns(t.from);
    const Domain* to = domain_by_dns(t.to);
    if (!from || !to) continue;
    const bool from_is_resource = iequals(from->forest, resource_forest) && iequals(to->forest, user_forest);
    const bool to_is_resource = iequals(to->forest, resource_forest) && iequals(from->forest, user_forest);
    if (!from_is_resource && !to_is_resource) continue;
    // The resource side must trust the user side.
    if (t.two_way) return &t;
    if (t.outbound && from_is_resource) return &t;
    if (!t.outbound && to_is_resource) return &t;
  }
  return nullptr;
}

std::vector<std::pair<std::string, std::vector<AccountId>>> Directory::duplicate_spns() const {
  std::vector<std::pair<std::string, std::vector<AccountId>>> out;
  std::vector<const std::string*> keys;  // every SPN held twice in any forests, in key order
  for (const auto& [key, holders] : spn_index_)
    if (holders.size() >= 2) keys.push_back(&key);
  std::sort(keys.begin(), keys.end(), [](const std::string* a, const std::string* b) { return *a < *b; });
  for (const std::string* key : keys) {
    std::map<std::string, std::vector<AccountId>> by_forest;
    for (const AccountId id : spn_index_.at(*key)) {
      const Domain* d = domain_by_dns(accounts_[id].domain);
      by_forest[d ? to_lower(d->forest) : ""].push_back(id);
    }
    for (auto& [forest, ids] : by_forest) {
      if (ids.size() < 2) continue;
      // Report the SPN as the first holder wrote it.
      std::string shown = *key;
      for (const auto& spn : accounts_[ids.front()].spns)
        if (spn_key(spn) == *key) shown = spn;
      out.emplace_back(shown, ids);
    }
  }
  return out;
}

std::string to_string(WriteRefusal r) {
  switch (r) {
    case WriteRefusal::SpnNotUniqueInForest:
      return "ERROR_DS_SPN_VALUE_NOT_UNIQUE_IN_FOREST";
    case WriteRefusal::SetspnDuplicateFound:
      return "SETSPN_DUPLICATE_SPN_FOUND";
    case WriteRefusal::NoKdsRootKey:
      return "KDS_ROOT_KEY_DOES_NOT_EXIST";
  }
  return "";
}

int windows_error(WriteRefusal r) { return r == WriteRefusal::SpnNotUniqueInForest ? 8467 : 0; }

bool Directory::dc_checks_spn_uniqueness(const SpnWrite& how) {
  // Samba's samldb module checks SPN uniqueness on its own; since which version is UNCONFIRMED
  // here, a Samba DC is modelled as checking.
  if (how.samba_dc) return true;
  return level_rank(how.dc_os) >= level_rank("2012R2");
}

std::optional<Refusal> Directory::refuse_spn(const Account& to, const Spn& spn, const SpnWrite& how) const {
  const Domain* d = domain_by_dns(to.domain);
  if (!d) return std::nullopt;
  std::string holder;
  if (const auto it = spn_index_.find(spn.key()); it != spn_index_.end())
    for (const AccountId id : it->second) {
      const Account& a = accounts_[id];
      const Domain* ad = domain_by_dns(a.domain);
      if (ad && iequals(ad->forest, d->forest) && !iequals(a.name, to.name) && holder.empty()) holder = a.name;
    }
  if (holder.empty()) return std::nullopt;
  // kerberos-rules R1.7: setspn -S searches the forest for the SPN and stops before any write.
  if (how.setspn_s)
    return Refusal{WriteRefusal::SetspnDuplicateFound,
                   "setspn -S finds " + spn.to_string() + " on " + holder +
                       " and stops: \"Duplicate SPN found, "
                       "aborting operation!\"",
                   "kerberos-rules R1.7"};
  // kerberos-rules R1.7, MS-ADTS 3.1.1.5.1.3: a DC of 2012 R2 or later refuses an originating write of an
  // SPN another account of the forest holds, unless dsHeuristics turns the check off; an older DC writes
  // it and leaves the duplicate. (The SPN-alias check of later updates is not modelled.)
  const Domain* root = domain_by_dns(d->forest);
  const bool check_on = root ? root->spn_uniqueness_check : d->spn_uniqueness_check;
  if (!check_on || !dc_checks_spn_uniqueness(how)) return std::nullopt;
  return Refusal{WriteRefusal::SpnNotUniqueInForest,
                 "the DC refuses to write " + spn.to_string() + " on " + to.name + ": " + holder +
                     " holds it already (error 8467, ERROR_DS_SPN_VALUE_NOT_UNIQUE_IN_FOREST)",
                 "kerberos-rules R1.7"};
}

std::optional<Refusal> Directory::refuse_account(const Account& a, const SpnWrite& how) const {
  const Domain* d = domain_by_dns(a.domain);
  // kerberos-rules R7.1: a gMSA's password derives from the forest's KDS root key.
  if (a.kind == AccountKind::Gmsa && d && !d->kds_root_key)
    return Refusal{WriteRefusal::NoKdsRootKey,
                   "New-ADServiceAccount fails with \"Key does not exist\": forest " + d->forest +
                       " has no usable KDS root key for " + a.name,
                   "kerberos-rules R7.1"};
  std::set<std::string> seen;
  for (const auto& text : a.spns) {
    const auto spn = Spn::parse(text);
    if (!spn || !seen.insert(spn->key()).second) continue;
    if (auto refused = refuse_spn(a, *spn, how)) return refused;
  }
  return std::nullopt;
}

void Directory::add_kds_root_key(const std::string& forest) {
  for (auto& d : domains_)
    if (iequals(d.forest, forest)) d.kds_root_key = true;
}

}  // namespace kerbsim::directory
