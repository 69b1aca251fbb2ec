#include "farm/change.h"

#include "directory/names.h"

namespace kerbsim::farm {
namespace {

std::string join(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& x : v) out += (out.empty() ? "" : ", ") + x;
  return out;
}

std::string yes_no(bool b) { return b ? "true" : "false"; }

web::Site* find_site(Host& host, const std::string& name) {
  if (!host.iis) return nullptr;
  for (auto& s : host.iis->sites)
    if (directory::iequals(s.name, name)) return &s;
  return nullptr;
}

Host* find_host(Environment& env, const std::string& name) {
  for (auto& h : env.hosts)
    if (directory::iequals(h.name, name)) return &h;
  return nullptr;
}

}  // namespace

std::string action_name(Action a) {
  switch (a) {
    case Action::AddSpn:
      return "add_spn";
    case Action::RemoveSpn:
      return "remove_spn";
    case Action::ChangeAppPoolIdentity:
      return "change_app_pool_identity";
    case Action::SetUseAppPoolCredentials:
      return "set_use_app_pool_credentials";
    case Action::SetKernelMode:
      return "set_kernel_mode";
    case Action::SetDelegation:
      return "set_delegation";
    case Action::PasswordChange:
      return "password_change";
    case Action::AppPoolRestart:
      return "app_pool_restart";
    case Action::PurgeTickets:
      return "purge_tickets";
    case Action::NodeDown:
      return "node_down";
    case Action::NodeUp:
      return "node_up";
    case Action::DcDown:
      return "dc_down";
    case Action::DcUp:
      return "dc_up";
    case Action::ClockStep:
      return "clock_step";
    case Action::ClockDrift:
      return "clock_drift";
    case Action::CreateAccount:
      return "create_account";
    case Action::SetSsrsServiceAccount:
      return "set_ssrs_service_account";
    case Action::SetSsrsAuthenticationTypes:
      return "set_ssrs_authentication_types";
    case Action::AddKdsRootKey:
      return "add_kds_root_key";
    case Action::SetSqlPort:
      return "set_sql_port";
  }
  return "";
}

bool Change::in_directory() const {
  return action == Action::AddSpn || action == Action::RemoveSpn || action == Action::SetDelegation ||
         action == Action::PasswordChange || action == Action::CreateAccount || action == Action::AddKdsRootKey;
}

std::string describe(const Change& c) {
  switch (c.action) {
    case Action::AddSpn:
      return c.spn.to_string() + " added to " + c.account;
    case Action::RemoveSpn:
      return c.spn.to_string() + " removed from " + c.account;
    case Action::SetDelegation: {
      std::string what;
      const auto add = [&](const std::string& s) { what += (what.empty() ? "" : ", ") + s; };
      if (c.trusted_for_delegation) add("trusted_for_delegation = " + yes_no(*c.trusted_for_delegation));
      if (c.trusted_to_auth_for_delegation)
        add("trusted_to_auth_for_delegation = " + yes_no(*c.trusted_to_auth_for_delegation));
      if (c.sensitive) add("sensitive = " + yes_no(*c.sensitive));
      if (c.allowed_to_delegate_to) add("allowed_to_delegate_to = [" + join(*c.allowed_to_delegate_to) + "]");
      if (c.allowed_to_act) add("allowed_to_act = [" + join(*c.allowed_to_act) + "]");
      return c.account + ": " + what;
    }
    case Action::PasswordChange:
      return "new password for " + c.account + " (kvno + 1)";
    case Action::ChangeAppPoolIdentity:
      return "app pool " + c.app_pool + " on " + c.host + " runs as " + c.identity.describe();
    case Action::SetUseAppPoolCredentials:
      return "useAppPoolCredentials = " + yes_no(c.value) + " for site " + c.site + " on " + c.host;
    case Action::SetKernelMode:
      return "useKernelMode = " + yes_no(c.value) + " for site " + c.site + " on " + c.host;
    case Action::AppPoolRestart:
      return "app pool " + c.app_pool + " on " + c.host + " restarted";
    case Action::PurgeTickets:
      return "klist purge on " + (c.clients.empty() ? std::string("every client") : join(c.clients));
    case Action::NodeDown:
      return c.host + " out of service";
    case Action::NodeUp:
      return c.host + " back in service";
    case Action::DcDown:
      return c.dc + " down";
    case Action::DcUp:
      return c.dc + " back up";
    case Action::ClockStep:
      return c.host + "'s clock moves by " + engine::format_duration(c.offset);
    case Action::ClockDrift:
      return c.host + "'s clock drifts by " + engine::format_duration(c.offset) + " per hour";
    case Action::CreateAccount:
      return (c.new_account ? c.new_account->name : c.account) + " created";
    case Action::SetSsrsServiceAccount:
      return "the report server on " + c.host + " runs as " + c.identity.describe();
    case Action::SetSsrsAuthenticationTypes: {
      std::vector<std::string> types;
      for (const auto t : c.authentication_types) types.push_back(backend::auth_type_name(t));
      return "AuthenticationTypes on " + c.host + ": " + join(types);
    }
    case Action::AddKdsRootKey:
      return "a KDS root key in the forest of " + c.domain;
    case Action::SetSqlPort:
      return "SQL Server instance " + c.instance + " on " + c.host + " listens on " +
             (c.value ? std::string("a dynamic port") : "static port " + std::to_string(c.port));
  }
  return "";
}

std::string right_name(Right r) {
  switch (r) {
    case Right::None:
      return "";
    case Right::EnableDelegation:
      return "Domain Admins (SeEnableDelegationPrivilege)";
    case Right::WriteAccount:
      return "write access on the account";
    case Right::CreateAccount:
      return "create accounts in the domain";
    case Right::ForestKdsRootKey:
      return "Domain Admins or Enterprise Admins of the forest root domain";
    case Right::LocalAdministrator:
      return "local Administrators";
  }
  return "";
}

Right needed_right(const Change& c) {
  switch (c.action) {
    case Action::SetDelegation:
      // kerberos-rules R3.0: the delegation bits and msDS-AllowedToDelegateTo need
      // SeEnableDelegationPrivilege; RBCD is written by whoever may write the back end's account.
      if (c.trusted_for_delegation || c.trusted_to_auth_for_delegation || c.allowed_to_delegate_to)
        return Right::EnableDelegation;
      return Right::WriteAccount;
    case Action::AddSpn:
    case Action::RemoveSpn:
    case Action::PasswordChange:
      return Right::WriteAccount;
    case Action::CreateAccount:
      return Right::CreateAccount;
    case Action::AddKdsRootKey:
      return Right::ForestKdsRootKey;  // kerberos-rules R7.1
    case Action::ChangeAppPoolIdentity:
    case Action::SetUseAppPoolCredentials:
    case Action::SetKernelMode:
    case Action::SetSsrsServiceAccount:
    case Action::SetSsrsAuthenticationTypes:
    case Action::SetSqlPort:
    case Action::AppPoolRestart:
      return Right::LocalAdministrator;
    case Action::PurgeTickets:
    case Action::NodeDown:
    case Action::NodeUp:
    case Action::DcDown:
    case Action::DcUp:
    case Action::ClockStep:
    case Action::ClockDrift:
      return Right::None;
  }
  return Right::None;
}

Writer writing_dc(const Environment& env, const Change& c) {
  const auto& dir = env.directory;
  const directory::Domain* d = nullptr;
  if (c.action == Action::CreateAccount && c.new_account)
    d = dir.domain_by_dns(c.new_account->domain);
  else if (c.action == Action::AddKdsRootKey)
    d = dir.domain_by_dns(c.domain);
  else
    d = dir.domain_of(c.account);
  Writer w;
  if (!d) return w;
  w.dc = env.dc_name(d->dns);
  w.samba = d->kdc == directory::KdcProfile::Samba417;
  if (const Host* h = env.host(w.dc))
    w.os = h->os;
  else
    w.os = d->kdc == directory::KdcProfile::Windows2012R2 ? "2012R2" : "2016";
  return w;
}

ChangeResult apply_change(Environment& env, const Change& c) { return apply_change(env, c, writing_dc(env, c)); }

ChangeResult apply_change(Environment& env, const Change& c, const Writer& writer) {
  auto& dir = env.directory;
  const directory::SpnWrite how{writer.os, writer.samba, c.action == Action::AddSpn && c.spn_tool == SpnTool::SetspnS};
  const auto refused = [&](directory::Refusal r) {
    ChangeResult out{ChangeResult::Status::Refused, std::move(r), ""};
    out.what = out.refusal->why;
    return out;
  };
  const auto applied = [&] { return ChangeResult{ChangeResult::Status::Applied, std::nullopt, describe(c)}; };
  switch (c.action) {
    case Action::AddSpn:
      if (const auto id = dir.find_account(c.account)) {
        if (!writer.replicated)
          if (auto r = dir.refuse_spn(dir.account(*id), c.spn, how)) return refused(std::move(*r));
        dir.add_spn(*id, c.spn);
      }
      return applied();
    case Action::RemoveSpn:
      if (const auto id = dir.find_account(c.account)) dir.remove_spn(*id, c.spn);
      return applied();
    case Action::SetDelegation:
      if (const auto id = dir.find_account(c.account)) {
        auto& a = dir.account(*id);
        if (c.trusted_for_delegation) a.trusted_for_delegation = *c.trusted_for_delegation;
        if (c.trusted_to_auth_for_delegation) a.trusted_to_auth_for_delegation = *c.trusted_to_auth_for_delegation;
        if (c.sensitive) a.sensitive = *c.sensitive;
        if (c.allowed_to_delegate_to) a.allowed_to_delegate_to = *c.allowed_to_delegate_to;
        if (c.allowed_to_act) a.allowed_to_act = *c.allowed_to_act;
      }
      return applied();
    case Action::PasswordChange:
      // A DC of 2008 or later derives the AES keys from the new password too (kerberos-rules R2.2).
      if (const auto id = dir.find_account(c.account)) {
        ++dir.account(*id).kvno;
        dir.account(*id).aes_keys = true;
      }
      return applied();
    case Action::ChangeAppPoolIdentity:
      if (auto* h = find_host(env, c.host); h && h->iis)
        for (auto& p : h->iis->app_pools)
          if (directory::iequals(p.name, c.app_pool)) p.identity = c.identity;
      return applied();
    case Action::SetUseAppPoolCredentials:
      if (auto* h = find_host(env, c.host))
        if (auto* s = find_site(*h, c.site)) s->use_app_pool_credentials = c.value;
      return applied();
    case Action::SetKernelMode:
      if (auto* h = find_host(env, c.host))
        if (auto* s = find_site(*h, c.site)) s->kernel_mode = c.value;
      return applied();
    case Action::CreateAccount:
      if (c.new_account && !dir.find_account(c.new_account->name)) {
        if (!writer.replicated)
          if (auto r = dir.refuse_account(*c.new_account, how)) return refused(std::move(*r));
        dir.add_account(*c.new_account);
      }
      return applied();
    case Action::SetSsrsServiceAccount:
      if (auto* h = find_host(env, c.host); h && h->ssrs) h->ssrs->service_account = c.identity;
      return applied();
    case Action::SetSsrsAuthenticationTypes:
      if (auto* h = find_host(env, c.host); h && h->ssrs) {
        h->ssrs->authentication_types = c.authentication_types;
        h->ssrs->authentication_types_defaulted = false;
      }
      return applied();
    case Action::AddKdsRootKey:
      if (const auto* d = dir.domain_by_dns(c.domain)) dir.add_kds_root_key(std::string(d->forest));
      return applied();
    case Action::SetSqlPort:
      if (auto* h = find_host(env, c.host); h && h->sql)
        for (auto& inst : h->sql->instances)
          if (directory::iequals(inst.name, c.instance)) {
            inst.dynamic_port = c.value;
            if (!c.value) inst.port = c.port;
          }
      return applied();
    case Action::AppPoolRestart:
    case Action::PurgeTickets:
    case Action::NodeDown:
    case Action::NodeUp:
    case Action::DcDown:
    case Action::DcUp:
    case Action::ClockStep:
    case Action::ClockDrift:
      return {ChangeResult::Status::Event, std::nullopt, ""};
  }
  return {ChangeResult::Status::Event, std::nullopt, ""};
}

}  // namespace kerbsim::farm
