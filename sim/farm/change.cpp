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
         action == Action::PasswordChange || action == Action::CreateAccount;
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

std::string apply_change(Environment& env, const Change& c) {
  auto& dir = env.directory;
  switch (c.action) {
    case Action::AddSpn:
      if (const auto id = dir.find_account(c.account)) dir.add_spn(*id, c.spn);
      return describe(c);
    case Action::RemoveSpn:
      if (const auto id = dir.find_account(c.account)) dir.remove_spn(*id, c.spn);
      return describe(c);
    case Action::SetDelegation:
      if (const auto id = dir.find_account(c.account)) {
        auto& a = dir.account(*id);
        if (c.trusted_for_delegation) a.trusted_for_delegation = *c.trusted_for_delegation;
        if (c.trusted_to_auth_for_delegation) a.trusted_to_auth_for_delegation = *c.trusted_to_auth_for_delegation;
        if (c.sensitive) a.sensitive = *c.sensitive;
        if (c.allowed_to_delegate_to) a.allowed_to_delegate_to = *c.allowed_to_delegate_to;
        if (c.allowed_to_act) a.allowed_to_act = *c.allowed_to_act;
      }
      return describe(c);
    case Action::PasswordChange:
      if (const auto id = dir.find_account(c.account)) ++dir.account(*id).kvno;
      return describe(c);
    case Action::ChangeAppPoolIdentity:
      if (auto* h = find_host(env, c.host); h && h->iis)
        for (auto& p : h->iis->app_pools)
          if (directory::iequals(p.name, c.app_pool)) p.identity = c.identity;
      return describe(c);
    case Action::SetUseAppPoolCredentials:
      if (auto* h = find_host(env, c.host))
        if (auto* s = find_site(*h, c.site)) s->use_app_pool_credentials = c.value;
      return describe(c);
    case Action::SetKernelMode:
      if (auto* h = find_host(env, c.host))
        if (auto* s = find_site(*h, c.site)) s->kernel_mode = c.value;
      return describe(c);
    case Action::CreateAccount:
      if (c.new_account && !dir.find_account(c.new_account->name)) dir.add_account(*c.new_account);
      return describe(c);
    case Action::SetSsrsServiceAccount:
      if (auto* h = find_host(env, c.host); h && h->ssrs) h->ssrs->service_account = c.identity;
      return describe(c);
    case Action::SetSsrsAuthenticationTypes:
      if (auto* h = find_host(env, c.host); h && h->ssrs) {
        h->ssrs->authentication_types = c.authentication_types;
        h->ssrs->authentication_types_defaulted = false;
      }
      return describe(c);
    case Action::AddKdsRootKey:
      if (const auto* d = dir.domain_by_dns(c.domain)) dir.add_kds_root_key(std::string(d->forest));
      return describe(c);
    case Action::SetSqlPort:
      if (auto* h = find_host(env, c.host); h && h->sql)
        for (auto& inst : h->sql->instances)
          if (directory::iequals(inst.name, c.instance)) {
            inst.dynamic_port = c.value;
            if (!c.value) inst.port = c.port;
          }
      return describe(c);
    case Action::AppPoolRestart:
    case Action::PurgeTickets:
    case Action::NodeDown:
    case Action::NodeUp:
    case Action::DcDown:
    case Action::DcUp:
    case Action::ClockStep:
    case Action::ClockDrift:
      return "";
  }
  return "";
}

}  // namespace kerbsim::farm
