// The directory's side of a fix: SPNs with setspn, delegation, accounts and gMSAs with the AD
// PowerShell module, each on a DC of the account's domain with the right it needs.
#include <utility>

#include "analysis/command_renderer.h"
#include "analysis/powershell.h"
#include "directory/names.h"

namespace kerbsim::analysis {
namespace {

using directory::iequals;
using powershell::argument;
using powershell::array;
using powershell::boolean;
using powershell::cmdlet_step;
using powershell::native_step;
using powershell::quote;

const char* const kDelegationRight = "Domain Admins (SeEnableDelegationPrivilege)";

// The AD cmdlets that read and write an account of its kind, and the identity they take: a computer
// or gMSA by its name without the "$", a user by its sAMAccountName (kerberos-rules R3.0, R7.5).
struct AdAccount {
  std::string get;       // "Get-ADUser"
  std::string set;       // "Set-ADUser"
  std::string identity;  // "svc-reports", "WEB1", "gmsa-reports"
  std::string sam;       // the sAMAccountName: "WEB1$" (Set-ADAccountControl takes it)
  std::string domain;    // the DNS name of its domain
};

AdAccount ad_account(const farm::Environment& env, const std::string& name) {
  const auto parts = directory::split_account(name);
  AdAccount a{"Get-ADUser", "Set-ADUser", parts.sam, parts.sam, ""};
  if (const auto* d = env.directory.domain_of(name)) a.domain = d->dns;
  const auto id = env.directory.find_account(name);
  if (!id) return a;
  const auto& account = env.directory.account(*id);
  a.domain = account.domain;
  const std::string bare =
      !account.sam.empty() && account.sam.back() == '$' ? account.sam.substr(0, account.sam.size() - 1) : account.sam;
  a.sam = account.sam;
  switch (account.kind) {
    case directory::AccountKind::Computer:
      return {"Get-ADComputer", "Set-ADComputer", bare, account.sam, account.domain};
    case directory::AccountKind::Gmsa:
      return {"Get-ADServiceAccount", "Set-ADServiceAccount", bare, account.sam, account.domain};
    case directory::AccountKind::User:
      break;
  }
  a.identity = account.sam;
  return a;
}

// `(Get-ADUser -Identity 'svc' -Properties attr).'attr'`: the value of one attribute.
std::string read_attribute(const AdAccount& a, const std::string& attribute) {
  return "(" + a.get + " -Identity " + quote(a.identity) + " -Properties " + attribute + ")." +
         (attribute.find('-') == std::string::npos ? attribute : quote(attribute));
}

std::string show_attributes(const AdAccount& a, const std::string& attributes) {
  return a.get + " -Identity " + quote(a.identity) + " -Properties " + quote(attributes) +
         " | Format-List -Property 'Name', " + quote(attributes);
}

const farm::Host* host_of_computer(const farm::Environment& env, const std::string& computer) {
  for (const auto& h : env.hosts)
    if (iequals(h.computer_account, computer)) return &h;
  return nullptr;
}

}  // namespace

std::string CommandRenderer::dc_of_account(const std::string& account) const {
  return env().dc_name(ad_account(env(), account).domain);
}

// -- SPNs (kerberos-rules R1.7: setspn -S refuses a duplicate itself, before any write) --

void CommandRenderer::spn(const farm::Change& c, bool add_it) {
  const AdAccount a = ad_account(env(), c.account);
  const std::string spn = c.spn.to_string();
  const std::string held = read_attribute(a, "servicePrincipalName");
  FixStep s = native_step(dc_of_account(c.account),
                          "write servicePrincipalName on " + c.account + " (Domain Admins, or delegated)", phase,
                          "setspn", {add_it ? "-S" : "-D", spn, c.account});
  const std::string check = "setspn -Q " + argument(spn);
  if (add_it)
    add(std::move(s), held + " -notcontains " + quote(spn), check,
        spn + " on " + c.account + ", the account whose key decrypts its tickets");
  else
    add(std::move(s), held + " -contains " + quote(spn), check,
        spn + " off " + c.account + ", before it is written anywhere else (a DC refuses a duplicate, 8467)");
}

// -- delegation (kerberos-rules R3.0: KCD and protocol transition need SeEnableDelegationPrivilege,
//    resource-based delegation only write access on the target) --

void CommandRenderer::account_control(const farm::Change& c, const std::string& flag, bool value,
                                      const std::string& why) {
  const AdAccount a = ad_account(env(), c.account);
  add(cmdlet_step(dc_of_account(c.account), kDelegationRight, phase, "Set-ADAccountControl",
                  {{"Identity", quote(a.sam)}, {flag, boolean(value)}}),
      read_attribute(a, flag) + " -ne " + boolean(value), show_attributes(a, flag), why);
}

void CommandRenderer::allowed_to_delegate_to(const farm::Change& c, const std::vector<std::string>& wanted) {
  const AdAccount a = ad_account(env(), c.account);
  const std::string attribute = "msDS-AllowedToDelegateTo";
  std::vector<std::string> current;
  if (const auto id = env().directory.find_account(c.account))
    current = env().directory.account(*id).allowed_to_delegate_to;
  std::vector<std::string> added;
  bool removes = false;
  for (const auto& w : wanted) {
    bool has = false;
    for (const auto& x : current) has |= iequals(x, w);
    if (!has) added.push_back(w);
  }
  for (const auto& x : current) {
    bool kept = false;
    for (const auto& w : wanted) kept |= iequals(x, w);
    removes |= !kept;
  }
  const std::string value = read_attribute(a, attribute);
  std::string guard;
  std::vector<CommandParameter> parameters = {{"Identity", quote(a.identity)}};
  if (wanted.empty()) {
    parameters.push_back({"Clear", quote(attribute)});
    guard = "@(" + value + ").Count -gt 0";
  } else if (!removes) {
    parameters.push_back(
        {"Add", "@{" + quote(attribute) + " = " + (added.size() == 1 ? quote(added[0]) : array(added)) + "}"});
    for (const auto& x : added) guard += (guard.empty() ? "" : " -or ") + value + " -notcontains " + quote(x);
  } else {
    parameters.push_back({"Replace", "@{" + quote(attribute) + " = " + array(wanted) + "}"});
    std::string joined;
    for (const auto& w : wanted) joined += (joined.empty() ? "" : ",") + w;
    guard = "((@(" + value + ") | Sort-Object) -join ',') -ne " + quote(joined);
  }
  if (added.empty() && !removes) return;  // nothing to write
  add(cmdlet_step(dc_of_account(c.account), kDelegationRight, phase, a.set, std::move(parameters)), guard,
      show_attributes(a, attribute),
      c.account + " may delegate to the services it calls as the user (kerberos-rules R3.2)");
}

void CommandRenderer::allowed_to_act(const farm::Change& c, const std::vector<std::string>& principals) {
  const AdAccount target = ad_account(env(), c.account);
  const std::string attribute = "PrincipalsAllowedToDelegateToAccount";
  std::string list, guard;
  for (const auto& p : principals) {
    const AdAccount who = ad_account(env(), p);
    const std::string object = "(" + who.get + " -Identity " + quote(who.identity) + ")";
    list += (list.empty() ? "" : ", ") + object;
    guard += (guard.empty() ? "" : " -or ") +
             ("@(" + read_attribute(target, attribute) + ") -notcontains " + object + ".DistinguishedName");
  }
  if (principals.empty()) guard = "@(" + read_attribute(target, attribute) + ").Count -gt 0";
  add(cmdlet_step(
          dc_of_account(c.account), "write access on " + c.account + " (its security descriptor)", phase, target.set,
          {{"Identity", quote(target.identity)}, {attribute, principals.empty() ? "$null" : "@(" + list + ")"}}),
      guard, show_attributes(target, attribute),
      "resource-based delegation: " + c.account + " names the accounts that may delegate to it (kerberos-rules R3.4)");
}

void CommandRenderer::delegation(const farm::Change& c) {
  if (c.allowed_to_delegate_to) allowed_to_delegate_to(c, *c.allowed_to_delegate_to);
  if (c.trusted_to_auth_for_delegation)
    account_control(c, "TrustedToAuthForDelegation", *c.trusted_to_auth_for_delegation,
                    "protocol transition: " + c.account +
                        " may get a ticket for a user who did not use Kerberos (kerberos-rules R3.3)");
  if (c.trusted_for_delegation)
    account_control(c, "TrustedForDelegation", *c.trusted_for_delegation,
                    "unconstrained delegation on " + c.account + " (kerberos-rules R3.1)");
  if (c.sensitive)
    account_control(c, "AccountNotDelegated", *c.sensitive,
                    "\"Account is sensitive and cannot be delegated\" on " + c.account + " (kerberos-rules R3.5)");
  if (c.allowed_to_act) allowed_to_act(c, *c.allowed_to_act);
}

// -- accounts --

void CommandRenderer::kds_root_key(const std::string& domain_dns) {
  const auto* d = env().directory.domain_by_dns(domain_dns);
  const std::string root = d ? d->forest : domain_dns;
  FixStep s = cmdlet_step(env().dc_name(root), "Domain Admins or Enterprise Admins of the forest root domain",
                          "prerequisites", "Add-KdsRootKey", {{"EffectiveImmediately", ""}});
  s.wait = "10h";
  s.ready = "Get-KdsRootKey | Where-Object { $_.EffectiveTime -le (Get-Date).AddHours(-10) }";
  add(std::move(s), "-not (Get-KdsRootKey)", "Get-KdsRootKey | Format-List -Property 'KeyId', 'EffectiveTime'",
      "gMSA passwords derive from the forest's KDS root key; DCs use a new one only 10 hours after it is "
      "created, so that it has replicated (kerberos-rules R7.1)");
}

// The computer accounts that will run as the account: the hosts this rollout moves to it, and those
// already running as it (PrincipalsAllowedToRetrieveManagedPassword, kerberos-rules R7.2).
std::vector<std::string> CommandRenderer::retrievers(const std::string& account) const {
  std::vector<std::string> out;
  const auto add_host = [&](const std::string& name) {
    const farm::Host* h = env().host(name);
    if (!h || h->computer_account.empty()) return;
    for (const auto& x : out)
      if (iequals(x, h->computer_account)) return;
    out.push_back(h->computer_account);
  };
  for (const auto& c : ordered)
    if ((c.action == farm::Action::ChangeAppPoolIdentity || c.action == farm::Action::SetSsrsServiceAccount) &&
        c.identity.type == web::IdentityType::DomainAccount && iequals(c.identity.account, account))
      add_host(c.host);
  for (const auto& h : env().hosts) {
    bool runs = h.ssrs && iequals(h.ssrs->service_account.account, account);
    if (h.iis)
      for (const auto& p : h.iis->app_pools) runs |= iequals(p.identity.account, account);
    if (runs) add_host(h.name);
  }
  // In the scenario's host order, whatever order the rollout moves them in.
  std::vector<std::string> in_host_order;
  for (const auto& h : env().hosts)
    for (const auto& x : out)
      if (iequals(x, h.computer_account)) in_host_order.push_back(x);
  return in_host_order;
}

void CommandRenderer::create_account(const farm::Change& c) {
  if (!c.new_account) return;
  const directory::Account& a = *c.new_account;
  const auto* d = env().directory.domain_by_dns(a.domain);
  const std::string domain = d ? d->dns : a.domain;
  const std::string bare = !a.sam.empty() && a.sam.back() == '$' ? a.sam.substr(0, a.sam.size() - 1) : a.sam;
  if (a.kind == directory::AccountKind::Gmsa && d && !d->kds_root_key) {
    kds_root_key(domain);
    changing().directory.add_kds_root_key(std::string(d->forest));
  }
  std::vector<CommandParameter> parameters = {{"Name", quote(bare)}};
  std::string program, get, why;
  switch (a.kind) {
    case directory::AccountKind::Gmsa: {
      program = "New-ADServiceAccount";
      get = "Get-ADServiceAccount";
      why = a.name + ": one identity for every node, whose password the DCs manage (kerberos-rules R7.1, R7.4)";
      parameters.push_back({"DNSHostName", quote(bare + "." + domain)});
      std::vector<std::string> sams;
      for (const auto& computer : retrievers(a.name)) sams.push_back(directory::split_account(computer).sam);
      if (!sams.empty()) parameters.push_back({"PrincipalsAllowedToRetrieveManagedPassword", array(sams)});
      break;
    }
    case directory::AccountKind::Computer:
      // Pre-staged: the machine's domain join finds the account and sets its password.
      program = "New-ADComputer";
      get = "Get-ADComputer";
      why = a.name + ": the computer account, pre-staged for the machine's domain join, which sets its password";
      parameters.push_back({"SAMAccountName", quote(a.sam)});
      parameters.push_back({"DNSHostName", quote(directory::to_lower(bare) + "." + domain)});
      break;
    case directory::AccountKind::User:
      program = "New-ADUser";
      get = "Get-ADUser";
      why = a.name + ": the service account the change runs on";
      parameters.push_back({"SamAccountName", quote(a.sam)});
      parameters.push_back(
          {"AccountPassword", "(Read-Host -AsSecureString -Prompt " + quote("Password for " + a.name) + ")"});
      parameters.push_back({"Enabled", "$true"});
      break;
  }
  if (!a.spns.empty()) parameters.push_back({"ServicePrincipalNames", array(a.spns)});
  if (!a.allowed_to_delegate_to.empty())
    parameters.push_back(
        {"OtherAttributes", "@{'msDS-AllowedToDelegateTo' = " + array(a.allowed_to_delegate_to) + "}"});
  const bool delegates = !a.allowed_to_delegate_to.empty();
  add(cmdlet_step(env().dc_name(domain),
                  delegates ? kDelegationRight : "Domain Admins (or create rights on the container)", phase, program,
                  std::move(parameters)),
      "-not (" + get + " -Filter " + quote("Name -eq \"" + bare + "\"") + ")",
      get + " -Identity " + quote(bare) +
          " -Properties 'servicePrincipalName', 'msDS-AllowedToDelegateTo' | Format-List -Property 'Name', "
          "'servicePrincipalName', 'msDS-AllowedToDelegateTo'",
      why);
  if (a.trusted_to_auth_for_delegation) {
    farm::Change flag;
    flag.action = farm::Action::SetDelegation;
    flag.account = a.name;
    account_control(flag, "TrustedToAuthForDelegation", true,
                    "protocol transition: " + a.name +
                        " may get a ticket for a user who did not use Kerberos "
                        "(kerberos-rules R3.3)");
  }
}

// A gMSA this rollout created is installed on every node that will run as it before any of them
// does, so that a node's cut-over is only the change of its service identity (kerberos-rules R7.2).
void CommandRenderer::install_created(const farm::Change& c) {
  if (c.action != farm::Action::CreateAccount || !c.new_account || c.new_account->kind != directory::AccountKind::Gmsa)
    return;
  const std::vector<std::string> computers = retrievers(c.new_account->name);
  for (const auto& h : env().hosts)
    for (const auto& computer : computers)
      if (iequals(computer, h.computer_account)) install_gmsa(h.name, c.new_account->name);
}

void CommandRenderer::password_change(const farm::Change& c) {
  const AdAccount a = ad_account(env(), c.account);
  const auto id = env().directory.find_account(c.account);
  const auto kind = id ? env().directory.account(*id).kind : directory::AccountKind::User;
  if (kind == directory::AccountKind::Computer) {
    const farm::Host* h = host_of_computer(env(), c.account);
    add(cmdlet_step(h ? h->name : "", h ? local_admin(h->name) : "local Administrators", phase,
                    "Reset-ComputerMachinePassword", {}),
        "", "Test-ComputerSecureChannel", "a new password (and key version) for " + c.account);
    return;
  }
  if (kind == directory::AccountKind::Gmsa) return;  // the DCs change it themselves (kerberos-rules R7.2)
  add(cmdlet_step(
          dc_of_account(c.account), "Domain Admins (or reset-password rights on " + c.account + ")", phase,
          "Set-ADAccountPassword",
          {{"Identity", quote(a.identity)},
           {"Reset", ""},
           {"NewPassword", "(Read-Host -AsSecureString -Prompt " + quote("New password for " + c.account) + ")"}}),
      "", show_attributes(a, "PasswordLastSet"), "a new password (and key version) for " + c.account);
}

// -- a gMSA on a node: the AD module, then Install-ADServiceAccount (kerberos-rules R7.2) --

void CommandRenderer::install_gmsa(const std::string& node, const web::ProcessIdentity& identity) {
  if (identity.type != web::IdentityType::DomainAccount) return;
  const auto id = env().directory.find_account(identity.account);
  if (!id || env().directory.account(*id).kind != directory::AccountKind::Gmsa) return;
  install_gmsa(node, identity.account);
}

// gmsa: a gMSA's name, created by this rollout or already in the directory.
void CommandRenderer::install_gmsa(const std::string& node, const std::string& gmsa) {
  const web::ProcessIdentity identity{web::IdentityType::DomainAccount, gmsa};
  if (!installed.insert({directory::to_lower(node), directory::to_lower(identity.account)}).second) return;
  const AdAccount a = ad_account(env(), identity.account);
  const bool first_on_node = [&] {
    for (const auto& [n, g] : installed)
      if (n == directory::to_lower(node) && g != directory::to_lower(identity.account)) return false;
    return true;
  }();
  if (first_on_node)
    add(cmdlet_step(node, local_admin(node), "prerequisites", "Install-WindowsFeature",
                    {{"Name", quote("RSAT-AD-PowerShell")}}),
        "-not (Get-WindowsFeature -Name 'RSAT-AD-PowerShell').Installed",
        "Get-WindowsFeature -Name 'RSAT-AD-PowerShell'",
        "Install-ADServiceAccount and Test-ADServiceAccount come with the AD PowerShell module");
  add(cmdlet_step(node, local_admin(node), "identity", "Install-ADServiceAccount", {{"Identity", quote(a.identity)}}),
      "-not (Test-ADServiceAccount -Identity " + quote(a.identity) + ")",
      "Test-ADServiceAccount -Identity " + quote(a.identity),
      node + " fetches " + identity.account + "'s password, which it may as one of its " +
          "PrincipalsAllowedToRetrieveManagedPassword (kerberos-rules R7.2)");
}

}  // namespace kerbsim::analysis
