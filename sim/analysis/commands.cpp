#include "analysis/commands.h"

#include <cctype>
#include <set>
#include <utility>

#include "directory/names.h"

namespace kerbsim::analysis {
namespace {

using directory::iequals;

// ---- PowerShell source ----

// A PowerShell single-quoted string: nothing inside expands, a quote is doubled.
std::string quote(const std::string& s) {
  std::string out = "'";
  for (const char c : s) out += c == '\'' ? std::string("''") : std::string(1, c);
  return out + "'";
}

// A native program's argument: bare when PowerShell passes it through unchanged, quoted otherwise.
std::string argument(const std::string& s) {
  bool bare = !s.empty();
  for (const char c : s)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '/' || c == '.' || c == ':' || c == '-' || c == '_'))
      bare = false;
  return bare ? s : quote(s);
}

std::string array(const std::vector<std::string>& items) {
  std::string out = "@(";
  for (std::size_t i = 0; i < items.size(); ++i) out += (i ? ", " : "") + quote(items[i]);
  return out + ")";
}

std::string boolean(bool b) { return b ? "$true" : "$false"; }

std::string cmdlet_line(const std::string& program, const std::vector<CommandParameter>& parameters) {
  std::string out = program;
  for (const auto& p : parameters) out += " -" + p.name + (p.value.empty() ? "" : " " + p.value);
  return out;
}

std::string native_line(const std::string& program, const std::vector<std::string>& arguments) {
  std::string out = program;
  for (const auto& a : arguments) out += " " + argument(a);
  return out;
}

// A step that runs a cmdlet: its command is the cmdlet and its parameters, as typed.
FixStep cmdlet_step(std::string host, std::string needs, std::string phase, std::string program,
                    std::vector<CommandParameter> parameters) {
  FixStep s;
  s.host = std::move(host);
  s.needs = std::move(needs);
  s.phase = std::move(phase);
  s.command = cmdlet_line(program, parameters);
  s.program = std::move(program);
  s.parameters = std::move(parameters);
  return s;
}

FixStep native_step(std::string host, std::string needs, std::string phase, std::string program,
                    std::vector<std::string> arguments) {
  FixStep s;
  s.host = std::move(host);
  s.needs = std::move(needs);
  s.phase = std::move(phase);
  s.command = native_line(program, arguments);
  s.program = std::move(program);
  s.arguments = std::move(arguments);
  return s;
}

// A step that is a PowerShell snippet rather than one command (an XML edit).
FixStep snippet_step(std::string host, std::string needs, std::string phase, std::string command) {
  FixStep s;
  s.host = std::move(host);
  s.needs = std::move(needs);
  s.phase = std::move(phase);
  s.command = std::move(command);
  return s;
}

std::string local_admin(const std::string& host) { return "local Administrators on " + host; }

const char* const kDelegationRight = "Domain Admins (SeEnableDelegationPrivilege)";

// ---- accounts as the AD module names them ----

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

// ---- the rendering ----

struct Renderer {
  farm::Environment env;  // the environment as the steps so far left it
  const std::vector<farm::Change>& ordered;
  std::vector<FixStep> out;
  std::set<std::pair<std::string, std::string>> installed;  // (node, gMSA) done

  std::string dc_of_account(const std::string& account) const { return env.dc_name(ad_account(env, account).domain); }

  const farm::Host* host_of_computer(const std::string& computer) const {
    for (const auto& h : env.hosts)
      if (iequals(h.computer_account, computer)) return &h;
    return nullptr;
  }

  void add(FixStep step, std::string guard, std::string check, std::string why) {
    step.guard = std::move(guard);
    step.check = std::move(check);
    step.why = std::move(why);
    out.push_back(std::move(step));
  }

  // -- SPNs (kerberos-rules R1.7: setspn -S refuses a duplicate itself, before any write) --

  void spn(const farm::Change& c, bool add_it) {
    const AdAccount a = ad_account(env, c.account);
    const std::string spn = c.spn.to_string();
    const std::string held = read_attribute(a, "servicePrincipalName");
    FixStep s = native_step(dc_of_account(c.account),
                            "write servicePrincipalName on " + c.account + " (Domain Admins, or delegated)", "spn",
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

  void account_control(const farm::Change& c, const std::string& flag, bool value, const std::string& why) {
    const AdAccount a = ad_account(env, c.account);
    add(cmdlet_step(dc_of_account(c.account), kDelegationRight, "delegation", "Set-ADAccountControl",
                    {{"Identity", quote(a.sam)}, {flag, boolean(value)}}),
        read_attribute(a, flag) + " -ne " + boolean(value), show_attributes(a, flag), why);
  }

  void allowed_to_delegate_to(const farm::Change& c, const std::vector<std::string>& wanted) {
    const AdAccount a = ad_account(env, c.account);
    const std::string attribute = "msDS-AllowedToDelegateTo";
    std::vector<std::string> current;
    if (const auto id = env.directory.find_account(c.account))
      current = env.directory.account(*id).allowed_to_delegate_to;
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
    add(cmdlet_step(dc_of_account(c.account), kDelegationRight, "delegation", a.set, std::move(parameters)), guard,
        show_attributes(a, attribute),
        c.account + " may delegate to the services it calls as the user (kerberos-rules R3.2)");
  }

  void allowed_to_act(const farm::Change& c, const std::vector<std::string>& principals) {
    const AdAccount target = ad_account(env, c.account);
    const std::string attribute = "PrincipalsAllowedToDelegateToAccount";
    std::string list, guard;
    for (const auto& p : principals) {
      const AdAccount who = ad_account(env, p);
      const std::string object = "(" + who.get + " -Identity " + quote(who.identity) + ")";
      list += (list.empty() ? "" : ", ") + object;
      guard += (guard.empty() ? "" : " -or ") +
               ("@(" + read_attribute(target, attribute) + ") -notcontains " + object + ".DistinguishedName");
    }
    if (principals.empty()) guard = "@(" + read_attribute(target, attribute) + ").Count -gt 0";
    add(cmdlet_step(
            dc_of_account(c.account), "write access on " + c.account + " (its security descriptor)", "delegation",
            target.set,
            {{"Identity", quote(target.identity)}, {attribute, principals.empty() ? "$null" : "@(" + list + ")"}}),
        guard, show_attributes(target, attribute),
        "resource-based delegation: " + c.account +
            " names the accounts that may delegate to it (kerberos-rules R3.4)");
  }

  void delegation(const farm::Change& c) {
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

  void kds_root_key(const std::string& domain_dns) {
    const auto* d = env.directory.domain_by_dns(domain_dns);
    const std::string root = d ? d->forest : domain_dns;
    FixStep s = cmdlet_step(env.dc_name(root), "Domain Admins or Enterprise Admins of the forest root domain",
                            "prerequisites", "Add-KdsRootKey", {{"EffectiveImmediately", ""}});
    s.wait = "10h";
    s.ready = "Get-KdsRootKey | Where-Object { $_.EffectiveTime -le (Get-Date).AddHours(-10) }";
    add(std::move(s), "-not (Get-KdsRootKey)", "Get-KdsRootKey | Format-List -Property 'KeyId', 'EffectiveTime'",
        "gMSA passwords derive from the forest's KDS root key; DCs use a new one only 10 hours after it is "
        "created, so that it has replicated (kerberos-rules R7.1)");
  }

  // The computer accounts that will run as the account: the hosts this rollout moves to it, and those
  // already running as it (PrincipalsAllowedToRetrieveManagedPassword, kerberos-rules R7.2).
  std::vector<std::string> retrievers(const std::string& account) const {
    std::vector<std::string> out;
    const auto add_host = [&](const std::string& name) {
      const farm::Host* h = env.host(name);
      if (!h || h->computer_account.empty()) return;
      for (const auto& x : out)
        if (iequals(x, h->computer_account)) return;
      out.push_back(h->computer_account);
    };
    for (const auto& c : ordered)
      if ((c.action == farm::Action::ChangeAppPoolIdentity || c.action == farm::Action::SetSsrsServiceAccount) &&
          c.identity.type == web::IdentityType::DomainAccount && iequals(c.identity.account, account))
        add_host(c.host);
    for (const auto& h : env.hosts) {
      bool runs = h.ssrs && iequals(h.ssrs->service_account.account, account);
      if (h.iis)
        for (const auto& p : h.iis->app_pools) runs |= iequals(p.identity.account, account);
      if (runs) add_host(h.name);
    }
    // In the scenario's host order, whatever order the rollout moves them in.
    std::vector<std::string> in_host_order;
    for (const auto& h : env.hosts)
      for (const auto& x : out)
        if (iequals(x, h.computer_account)) in_host_order.push_back(x);
    return in_host_order;
  }

  void create_account(const farm::Change& c) {
    if (!c.new_account) return;
    const directory::Account& a = *c.new_account;
    const auto* d = env.directory.domain_by_dns(a.domain);
    const std::string domain = d ? d->dns : a.domain;
    const std::string bare = !a.sam.empty() && a.sam.back() == '$' ? a.sam.substr(0, a.sam.size() - 1) : a.sam;
    if (a.kind == directory::AccountKind::Gmsa && d && !d->kds_root_key) {
      kds_root_key(domain);
      env.directory.add_kds_root_key(d->forest);
    }
    std::vector<CommandParameter> parameters = {{"Name", quote(bare)}};
    std::string program = "New-ADUser";
    if (a.kind == directory::AccountKind::Gmsa) {
      program = "New-ADServiceAccount";
      parameters.push_back({"DNSHostName", quote(bare + "." + domain)});
      std::vector<std::string> sams;
      for (const auto& computer : retrievers(a.name)) sams.push_back(directory::split_account(computer).sam);
      if (!sams.empty()) parameters.push_back({"PrincipalsAllowedToRetrieveManagedPassword", array(sams)});
    } else {
      parameters.push_back({"SamAccountName", quote(a.sam)});
      parameters.push_back(
          {"AccountPassword", "(Read-Host -AsSecureString -Prompt " + quote("Password for " + a.name) + ")"});
      parameters.push_back({"Enabled", "$true"});
    }
    if (!a.spns.empty()) parameters.push_back({"ServicePrincipalNames", array(a.spns)});
    if (!a.allowed_to_delegate_to.empty())
      parameters.push_back(
          {"OtherAttributes", "@{'msDS-AllowedToDelegateTo' = " + array(a.allowed_to_delegate_to) + "}"});
    const bool delegates = !a.allowed_to_delegate_to.empty();
    const std::string get = a.kind == directory::AccountKind::Gmsa ? "Get-ADServiceAccount" : "Get-ADUser";
    add(cmdlet_step(env.dc_name(domain),
                    delegates ? kDelegationRight : "Domain Admins (or create rights on the container)", "identity",
                    program, std::move(parameters)),
        "-not (" + get + " -Filter " + quote("Name -eq \"" + bare + "\"") + ")",
        get + " -Identity " + quote(bare) +
            " -Properties 'servicePrincipalName', 'msDS-AllowedToDelegateTo' | Format-List -Property 'Name', "
            "'servicePrincipalName', 'msDS-AllowedToDelegateTo'",
        a.kind == directory::AccountKind::Gmsa
            ? a.name + ": one identity for every node, whose password the DCs manage (kerberos-rules R7.1, R7.4)"
            : a.name + ": the service account the change runs on");
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
  void install_created(const farm::Change& c) {
    if (c.action != farm::Action::CreateAccount || !c.new_account ||
        c.new_account->kind != directory::AccountKind::Gmsa)
      return;
    const std::vector<std::string> computers = retrievers(c.new_account->name);
    for (const auto& h : env.hosts)
      for (const auto& computer : computers)
        if (iequals(computer, h.computer_account)) install_gmsa(h.name, c.new_account->name);
  }

  void password_change(const farm::Change& c) {
    const AdAccount a = ad_account(env, c.account);
    const auto id = env.directory.find_account(c.account);
    const auto kind = id ? env.directory.account(*id).kind : directory::AccountKind::User;
    if (kind == directory::AccountKind::Computer) {
      const farm::Host* h = host_of_computer(c.account);
      add(cmdlet_step(h ? h->name : "", h ? local_admin(h->name) : "local Administrators", "identity",
                      "Reset-ComputerMachinePassword", {}),
          "", "Test-ComputerSecureChannel", "a new password (and key version) for " + c.account);
      return;
    }
    if (kind == directory::AccountKind::Gmsa) return;  // the DCs change it themselves (kerberos-rules R7.2)
    add(cmdlet_step(
            dc_of_account(c.account), "Domain Admins (or reset-password rights on " + c.account + ")", "identity",
            "Set-ADAccountPassword",
            {{"Identity", quote(a.identity)},
             {"Reset", ""},
             {"NewPassword", "(Read-Host -AsSecureString -Prompt " + quote("New password for " + c.account) + ")"}}),
        "", show_attributes(a, "PasswordLastSet"), "a new password (and key version) for " + c.account);
  }

  // -- a gMSA on a node: the AD module, then Install-ADServiceAccount (kerberos-rules R7.2) --

  void install_gmsa(const std::string& node, const web::ProcessIdentity& identity) {
    if (identity.type != web::IdentityType::DomainAccount) return;
    const auto id = env.directory.find_account(identity.account);
    if (!id || env.directory.account(*id).kind != directory::AccountKind::Gmsa) return;
    install_gmsa(node, identity.account);
  }

  // gmsa: a gMSA's name, created by this rollout or already in the directory.
  void install_gmsa(const std::string& node, const std::string& gmsa) {
    const web::ProcessIdentity identity{web::IdentityType::DomainAccount, gmsa};
    if (!installed.insert({directory::to_lower(node), directory::to_lower(identity.account)}).second) return;
    const AdAccount a = ad_account(env, identity.account);
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

  // -- IIS: appcmd on the node (iis-rules 3.3, 3.4) --

  void pool_identity(const farm::Change& c) {
    install_gmsa(c.host, c.identity);
    std::vector<std::string> args = {"set", "apppool", c.app_pool};
    std::string guard;
    const std::string current = "(appcmd list apppool " + quote(c.app_pool) + " /text:processModel.";
    switch (c.identity.type) {
      case web::IdentityType::DomainAccount:
      case web::IdentityType::LocalAccount:
        args.push_back("/processModel.identityType:SpecificUser");
        args.push_back("/processModel.userName:" + c.identity.account);
        args.push_back("/processModel.password:");
        guard = current + "userName) -ne " + quote(c.identity.account);
        break;
      case web::IdentityType::ApplicationPoolIdentity:
      case web::IdentityType::NetworkService:
      case web::IdentityType::LocalService:
      case web::IdentityType::LocalSystem:
      case web::IdentityType::VirtualAccount:
        args.push_back("/processModel.identityType:" + c.identity.describe());
        guard = current + "identityType) -ne " + quote(c.identity.describe());
        break;
    }
    add(native_step(c.host, local_admin(c.host), "servers", "appcmd", std::move(args)), guard,
        "appcmd list apppool " + quote(c.app_pool) + " /text:processModel.userName",
        "the app pool " + c.app_pool + " on " + c.host + " runs as " + c.identity.describe() +
            ", whose key decrypts the tickets for the site's SPN (iis-rules 2.1)");
  }

  void windows_authentication(const farm::Change& c, const std::string& attribute, const std::string& why) {
    const std::string section = "system.webServer/security/authentication/windowsAuthentication";
    const std::string value = c.value ? "true" : "false";
    add(native_step(c.host, local_admin(c.host), "servers", "appcmd",
                    {"set", "config", c.site, "-section:" + section, "/" + attribute + ":" + value, "/commit:apphost"}),
        "(Get-WebConfigurationProperty -PSPath 'MACHINE/WEBROOT/APPHOST' -Location " + quote(c.site) + " -Filter " +
            quote(section) + " -Name " + attribute + ").Value -ne " + boolean(c.value),
        "Get-WebConfigurationProperty -PSPath 'MACHINE/WEBROOT/APPHOST' -Location " + quote(c.site) + " -Filter " +
            quote(section) + " -Name " + attribute,
        why);
  }

  // -- SSRS: its WMI provider and rsreportserver.config (iis-rules 7.2, 7.4); SSRS 2019's names --

  static constexpr const char* kSsrsNamespace = R"(root\Microsoft\SqlServer\ReportServer\RS_SSRS\v15\Admin)";
  static constexpr const char* kSsrsService = "SQLServerReportingServices";
  static constexpr const char* kSsrsConfig =
      R"(C:\Program Files\Microsoft SQL Server Reporting Services\SSRS\ReportServer\rsreportserver.config)";

  void ssrs_account(const farm::Change& c) {
    install_gmsa(c.host, c.identity);
    // The account as SetWindowsServiceIdentity takes it, and as Win32_Service.StartName shows it.
    std::string account, start_name;
    bool built_in = true;
    switch (c.identity.type) {
      case web::IdentityType::NetworkService:
        account = "Builtin\\NetworkService";
        start_name = "NT AUTHORITY\\NetworkService";
        break;
      case web::IdentityType::LocalSystem:
        account = "Builtin\\System";
        start_name = "LocalSystem";
        break;
      case web::IdentityType::LocalService:
        account = "Builtin\\LocalService";
        start_name = "NT AUTHORITY\\LocalService";
        break;
      case web::IdentityType::VirtualAccount:
      case web::IdentityType::ApplicationPoolIdentity:
        account = c.identity.account.empty() ? std::string("NT SERVICE\\") + kSsrsService : c.identity.account;
        start_name = account;
        break;
      case web::IdentityType::DomainAccount:
      case web::IdentityType::LocalAccount:
        account = c.identity.account;
        start_name = account;
        built_in = false;
        break;
    }
    const auto id = env.directory.find_account(c.identity.account);
    const bool gmsa = id && env.directory.account(*id).kind == directory::AccountKind::Gmsa;
    const std::string password =
        built_in || gmsa ? "''" : "(Read-Host -Prompt " + quote("Password for " + c.identity.account) + ")";
    const std::string setting = std::string("(Get-CimInstance -Namespace ") + quote(kSsrsNamespace) +
                                " -ClassName MSReportServer_ConfigurationSetting)";
    const std::string service = std::string("(Get-CimInstance -ClassName Win32_Service -Filter ") +
                                quote(std::string("Name='") + kSsrsService + "'") + ").StartName";
    add(cmdlet_step(c.host, local_admin(c.host), "servers", "Invoke-CimMethod",
                    {{"InputObject", setting},
                     {"MethodName", quote("SetWindowsServiceIdentity")},
                     {"Arguments", "@{UseBuiltInAccount = " + boolean(built_in) + "; Account = " + quote(account) +
                                       "; Password = " + password + "}"}}),
        service + " -ne " + quote(start_name), service,
        "the report server on " + c.host + " runs as " + c.identity.describe() +
            " (the Reporting Services Configuration Manager's own call, which also re-ACLs its URLs; iis-rules 7.4)");
  }

  void ssrs_authentication(const farm::Change& c) {
    std::string names, list;
    for (const auto t : c.authentication_types) {
      names += (names.empty() ? "" : ", ") + quote(backend::auth_type_name(t));
      list += (list.empty() ? "" : ",") + backend::auth_type_name(t);
    }
    const std::string types = "([xml](Get-Content -Path " + quote(kSsrsConfig) +
                              " -Raw)).Configuration.Authentication.AuthenticationTypes.ChildNodes.Name";
    add(snippet_step(c.host, local_admin(c.host), "servers",
                     std::string("& { $path = ") + quote(kSsrsConfig) +
                         "; $xml = [xml](Get-Content -Path $path -Raw); "
                         "$types = $xml.Configuration.Authentication.AuthenticationTypes; $types.RemoveAll(); "
                         "foreach ($name in @(" +
                         names +
                         ")) { [void]$types.AppendChild($xml.CreateElement($name)) }; $xml.Save($path); "
                         "Restart-Service -Name " +
                         kSsrsService + " }"),
        "(@(" + types + ") -join ',') -ne " + quote(list), types,
        "rsreportserver.config <AuthenticationTypes> on " + c.host + ": " + list +
            ", read when the service starts (iis-rules 7.2)");
  }

  // -- SQL Server: the IPAll TCP port in the instance's registry key, then a restart (iis-rules 6.4) --

  void sql_port(const farm::Change& c) {
    const std::string key = R"("HKLM:\SOFTWARE\Microsoft\Microsoft SQL Server\$((Get-ItemProperty -Path )"
                            R"('HKLM:\SOFTWARE\Microsoft\Microsoft SQL Server\Instance Names\SQL').)" +
                            quote(c.instance) + R"()\MSSQLServer\SuperSocketNetLib\Tcp\IPAll")";
    const std::string port = c.value ? "" : std::to_string(c.port);
    const std::string dynamic = c.value ? "0" : "";
    add(cmdlet_step(c.host, local_admin(c.host), "servers", "Set-ItemProperty",
                    {{"Path", key}, {"Name", quote("TcpPort")}, {"Value", quote(port)}}),
        "(Get-ItemProperty -Path " + key + ").TcpPort -ne " + quote(port),
        "Get-ItemProperty -Path " + key + " | Format-List -Property 'TcpPort', 'TcpDynamicPorts'",
        c.value ? "the instance " + c.instance + " on " + c.host + " takes a dynamic port at its next start"
                : "a static port, so that the MSSQLSvc SPN with the port stays right after restarts (iis-rules 6.4)");
    add(cmdlet_step(c.host, local_admin(c.host), "servers", "Set-ItemProperty",
                    {{"Path", key}, {"Name", quote("TcpDynamicPorts")}, {"Value", quote(dynamic)}}),
        "(Get-ItemProperty -Path " + key + ").TcpDynamicPorts -ne " + quote(dynamic), "",
        c.value ? "TcpDynamicPorts 0: a port from the operating system at each start"
                : "an empty TcpDynamicPorts, or the instance keeps listening on a dynamic port too");
    const std::string service = c.instance == "MSSQLSERVER" ? c.instance : "MSSQL$" + c.instance;
    FixStep restart = cmdlet_step(c.host, local_admin(c.host), "servers", "Restart-Service",
                                  {{"Name", quote(service)}, {"Force", ""}});
    add(std::move(restart),
        c.value ? ""
                : "-not (Get-NetTCPConnection -LocalPort " + port + " -State Listen -ErrorAction SilentlyContinue)",
        c.value ? "" : "Get-NetTCPConnection -LocalPort " + port + " -State Listen",
        "SQL Server reads its port only when it starts; -Force restarts SQL Server Agent with it");
  }

  // -- clients: tickets and the negative SPN cache are per logon session (kerberos-rules R1.6) --

  void purge(const farm::Change& c) {
    std::vector<std::string> clients = c.clients;
    if (clients.empty())
      for (const auto& h : env.hosts)
        if (h.client) clients.push_back(h.name);
    for (const auto& client : clients) {
      const farm::Host* h = env.host(client);
      const std::string user = h && h->client ? h->client->user : "the user";
      add(native_step(client, user + "'s own logon session, not elevated", "clients", "klist", {"purge"}), "", "klist",
          "tickets cached before the change (up to 10 hours) stay in " + user + "'s session until purged");
    }
  }

  void render(const farm::Change& c) {
    switch (c.action) {
      case farm::Action::AddSpn:
        spn(c, true);
        break;
      case farm::Action::RemoveSpn:
        spn(c, false);
        break;
      case farm::Action::SetDelegation:
        delegation(c);
        break;
      case farm::Action::CreateAccount:
        create_account(c);
        break;
      case farm::Action::PasswordChange:
        password_change(c);
        break;
      case farm::Action::AddKdsRootKey:
        if (const auto* d = env.directory.domain_by_dns(c.domain); !d || !d->kds_root_key) kds_root_key(c.domain);
        break;
      case farm::Action::ChangeAppPoolIdentity:
        pool_identity(c);
        break;
      case farm::Action::SetUseAppPoolCredentials:
        windows_authentication(c, "useAppPoolCredentials",
                               "kernel-mode authentication on site " + c.site + " of " + c.host +
                                   " decrypts with the app pool identity's key (iis-rules 3.4)");
        break;
      case farm::Action::SetKernelMode:
        windows_authentication(c, "useKernelMode",
                               "kernel-mode authentication on site " + c.site + " of " + c.host +
                                   (c.value ? " on" : " off: the worker process decrypts (iis-rules 3.3)"));
        break;
      case farm::Action::AppPoolRestart:
        add(native_step(c.host, local_admin(c.host), "servers", "appcmd", {"recycle", "apppool", c.app_pool}), "", "",
            "a new worker process for " + c.app_pool + " on " + c.host);
        break;
      case farm::Action::SetSsrsServiceAccount:
        ssrs_account(c);
        break;
      case farm::Action::SetSsrsAuthenticationTypes:
        ssrs_authentication(c);
        break;
      case farm::Action::SetSqlPort:
        sql_port(c);
        break;
      case farm::Action::PurgeTickets:
        purge(c);
        break;
      case farm::Action::NodeDown:
      case farm::Action::NodeUp:
      case farm::Action::DcDown:
      case farm::Action::DcUp:
      case farm::Action::ClockStep:
      case farm::Action::ClockDrift:
        break;  // events of a running farm, not something an admin types
    }
  }
};

}  // namespace

std::vector<FixStep> render_steps(const farm::Environment& env, const std::vector<farm::Change>& ordered) {
  Renderer r{env.clone(), ordered, {}, {}};
  // A gMSA's KDS root key comes before every other step: it changes nothing users see, and its wait
  // (kerberos-rules R7.1) should not fall between two steps that must follow each other closely.
  for (const auto& c : ordered) {
    if (c.action != farm::Action::CreateAccount || !c.new_account ||
        c.new_account->kind != directory::AccountKind::Gmsa)
      continue;
    const auto* d = r.env.directory.domain_by_dns(c.new_account->domain);
    if (!d || d->kds_root_key) continue;
    r.kds_root_key(d->dns);
    r.env.directory.add_kds_root_key(std::string(d->forest));
  }
  for (const auto& c : ordered) {
    r.render(c);
    farm::apply_change(r.env, c);
    r.install_created(c);
  }
  return std::move(r.out);
}

}  // namespace kerbsim::analysis
