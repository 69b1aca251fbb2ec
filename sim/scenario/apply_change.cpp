#include "scenario/apply_change.h"

#include <algorithm>

#include "backend/ssrs.h"
#include "directory/names.h"
#include "kerberos/etype.h"

namespace kerbsim::scenario {
namespace {

using directory::iequals;

spec::Account* find_account(spec::Scenario& s, const std::string& name) {
  for (auto& a : s.accounts)
    if (iequals(a.name, name)) return &a;
  return nullptr;
}

// The host whose computer account this is: NETBIOS\NAME$ of a domain-joined host.
spec::Host* find_computer(spec::Scenario& s, const std::string& name) {
  for (auto& h : s.hosts) {
    if (!h.domain) continue;
    for (const auto& d : s.domains)
      if (iequals(d.dns, *h.domain) && iequals(d.netbios + "\\" + h.name + "$", name)) return &h;
  }
  return nullptr;
}

// The SPNs and delegation settings of an account, wherever the format keeps them.
spec::DelegationSettings* delegation_of(spec::Scenario& s, const std::string& name) {
  if (auto* a = find_account(s, name)) return &a->delegation;
  if (auto* h = find_computer(s, name)) return &h->account;
  return nullptr;
}

spec::Host* find_host(spec::Scenario& s, const std::string& name) {
  for (auto& h : s.hosts)
    if (iequals(h.name, name)) return &h;
  return nullptr;
}

spec::Site* find_site(spec::Scenario& s, const std::string& host, const std::string& site) {
  spec::Host* h = find_host(s, host);
  if (!h || !h->iis) return nullptr;
  for (auto& x : h->iis->sites)
    if (iequals(x.name, site)) return &x;
  return nullptr;
}

bool same_spn(const std::string& text, const directory::Spn& spn) {
  const auto parsed = directory::Spn::parse(text);
  return parsed ? parsed->key() == spn.key() : spn.matches(text);
}

std::string account_type(directory::AccountKind k) {
  switch (k) {
    case directory::AccountKind::Gmsa:
      return "gmsa";
    case directory::AccountKind::Computer:
      return "computer";
    case directory::AccountKind::User:
      break;
  }
  return "user";
}

// A new account as the format writes it; the builder gives a gMSA or computer the computer etypes
// when it states none (kerberos-rules R2.4), so those are left unstated.
spec::Account written_account(const directory::Account& a) {
  spec::Account out;
  out.name = a.name;
  out.type = account_type(a.kind);
  out.delegation.spns = a.spns;
  out.delegation.trusted_for_delegation = a.trusted_for_delegation;
  out.delegation.trusted_to_auth_for_delegation = a.trusted_to_auth_for_delegation;
  out.delegation.allowed_to_delegate_to = a.allowed_to_delegate_to;
  out.delegation.allowed_to_act = a.allowed_to_act;
  out.sensitive = a.sensitive;
  out.groups = a.groups;
  out.token_groups = a.token_groups;
  out.foreign_token_groups = a.foreign_token_groups;
  const bool implied = a.kind != directory::AccountKind::User && a.supported_enctypes == directory::kComputerEnctypes;
  if (a.supported_enctypes && !implied) out.enctypes = kerberos::enctype_names(*a.supported_enctypes);
  out.aes_keys = a.aes_keys;
  out.password_version = a.kvno;
  out.enabled = a.enabled;
  return out;
}

std::vector<std::string> type_names(const std::vector<backend::SsrsAuthType>& types) {
  std::vector<std::string> out;
  out.reserve(types.size());
  for (const auto t : types) out.push_back(backend::auth_type_name(t));
  return out;
}

SpecEdit set_delegation(spec::Scenario& s, const farm::Change& c) {
  spec::Account* account = find_account(s, c.account);
  spec::DelegationSettings* d = delegation_of(s, c.account);
  if (!d) return SpecEdit::NoTarget;
  if (c.sensitive && !account) return SpecEdit::NotInFormat;  // a host's "account" has no "sensitive"
  if (c.trusted_for_delegation) d->trusted_for_delegation = *c.trusted_for_delegation;
  if (c.trusted_to_auth_for_delegation) d->trusted_to_auth_for_delegation = *c.trusted_to_auth_for_delegation;
  if (c.allowed_to_delegate_to) d->allowed_to_delegate_to = *c.allowed_to_delegate_to;
  if (c.allowed_to_act) d->allowed_to_act = *c.allowed_to_act;
  if (c.sensitive) account->sensitive = *c.sensitive;
  return SpecEdit::Applied;
}

}  // namespace

SpecEdit apply_change(spec::Scenario& s, const farm::Change& c) {
  switch (c.action) {
    case farm::Action::AddSpn: {
      spec::DelegationSettings* d = delegation_of(s, c.account);
      if (!d) return SpecEdit::NoTarget;
      const bool held = std::any_of(d->spns.begin(), d->spns.end(), [&](const auto& x) { return same_spn(x, c.spn); });
      if (!held) d->spns.push_back(c.spn.to_string());
      return SpecEdit::Applied;
    }
    case farm::Action::RemoveSpn: {
      spec::DelegationSettings* d = delegation_of(s, c.account);
      if (!d) return SpecEdit::NoTarget;
      const auto before = d->spns.size();
      std::erase_if(d->spns, [&](const std::string& x) { return same_spn(x, c.spn); });
      // Not in the file: the domain join's HOST SPNs, or those SQL Server registers at startup.
      return d->spns.size() < before ? SpecEdit::Applied : SpecEdit::NotInFormat;
    }
    case farm::Action::SetDelegation:
      return set_delegation(s, c);
    case farm::Action::PasswordChange: {
      spec::Account* a = find_account(s, c.account);
      if (!a) return find_computer(s, c.account) ? SpecEdit::NotInFormat : SpecEdit::NoTarget;
      ++a->password_version;
      a->aes_keys = true;  // kerberos-rules R2.2, as farm::apply_change
      return SpecEdit::Applied;
    }
    case farm::Action::CreateAccount: {
      if (!c.new_account) return SpecEdit::NoTarget;
      if (find_account(s, c.new_account->name) || find_computer(s, c.new_account->name)) return SpecEdit::Applied;
      s.accounts.push_back(written_account(*c.new_account));
      return SpecEdit::Applied;
    }
    case farm::Action::ChangeAppPoolIdentity: {
      spec::Host* h = find_host(s, c.host);
      if (!h || !h->iis) return SpecEdit::NoTarget;
      for (auto& p : h->iis->app_pools)
        if (iequals(p.name, c.app_pool)) {
          p.identity = c.identity.describe();
          return SpecEdit::Applied;
        }
      return SpecEdit::NoTarget;
    }
    case farm::Action::SetUseAppPoolCredentials:
    case farm::Action::SetKernelMode: {
      spec::Site* site = find_site(s, c.host, c.site);
      if (!site) return SpecEdit::NoTarget;
      (c.action == farm::Action::SetKernelMode ? site->windows.kernel_mode : site->windows.use_app_pool_credentials) =
          c.value;
      return SpecEdit::Applied;
    }
    case farm::Action::SetSsrsServiceAccount: {
      spec::Host* h = find_host(s, c.host);
      if (!h || !h->ssrs) return SpecEdit::NoTarget;
      // The model keeps the AuthenticationTypes setup wrote for the old account; a file that leaves them
      // out would get the new account's default (iis-rules 7.3), so they are stated when that differs.
      const auto old_types =
          backend::SsrsServer::default_authentication_types(web::parse_identity(h->ssrs->service_account));
      if (!h->ssrs->authentication_types && old_types != backend::SsrsServer::default_authentication_types(c.identity))
        h->ssrs->authentication_types = type_names(old_types);
      h->ssrs->service_account = c.identity.describe();
      return SpecEdit::Applied;
    }
    case farm::Action::SetSsrsAuthenticationTypes: {
      spec::Host* h = find_host(s, c.host);
      if (!h || !h->ssrs) return SpecEdit::NoTarget;
      h->ssrs->authentication_types = type_names(c.authentication_types);
      return SpecEdit::Applied;
    }
    case farm::Action::SetSqlPort: {
      spec::Host* h = find_host(s, c.host);
      if (!h || !h->sql) return SpecEdit::NoTarget;
      for (auto& inst : h->sql->instances)
        if (iequals(inst.name, c.instance)) {
          inst.dynamic_port = c.value;
          if (!c.value) inst.port = c.port;
          return SpecEdit::Applied;
        }
      return SpecEdit::NoTarget;
    }
    case farm::Action::AddKdsRootKey:
      // The format states no key: a forest with a gMSA has one (kerberos-rules R7.1).
      return SpecEdit::Implied;
    case farm::Action::AppPoolRestart:
    case farm::Action::PurgeTickets:
    case farm::Action::NodeDown:
    case farm::Action::NodeUp:
    case farm::Action::DcDown:
    case farm::Action::DcUp:
    case farm::Action::ClockStep:
    case farm::Action::ClockDrift:
      return SpecEdit::NotADesign;
  }
  return SpecEdit::NotADesign;
}

}  // namespace kerbsim::scenario
