// Each Change as the command an admin types: on which machine, with which right, and a guard that
// queries exactly what the step changes.
#include "analysis/commands.h"

#include <catch2/catch.hpp>
#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

#include "kerbsim/report.h"
#include "support/corp.h"

using namespace kerbsim;
using farm::Action;
using farm::Change;

namespace {

bool has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

// web1 and web2 run IIS (pool and site "Reports" as ApplicationPoolIdentity); CORP\svc-app is a user
// holding HTTP/app.corp.contoso.com; sql1 has a named instance; ws1 is alice's workstation.
farm::Environment world(bool kds_root_key = true) {
  farm::Environment env;
  directory::Domain d{"corp.contoso.com", "CORP", "corp.contoso.com", "2016", {"dc1", "dc2"}};
  d.kds_root_key = kds_root_key;
  env.directory.add_domain(d);
  env.directory.add_account(test::corp_user("svc-app", {"HTTP/app.corp.contoso.com"}));
  env.directory.add_account(test::corp_user("alice"));
  for (const auto* n : {"web1", "web2", "sql1"}) env.directory.add_account(test::corp_computer(n));
  env.hosts.push_back(test::corp_iis_node("web1", "10.0.0.11", "ApplicationPoolIdentity", false, "Reports"));
  env.hosts.push_back(test::corp_iis_node("web2", "10.0.0.12", "ApplicationPoolIdentity", false, "Reports"));
  farm::Host sql = test::corp_member("sql1", "10.0.0.21");
  backend::SqlServer server;
  backend::SqlInstance inst;
  inst.name = "REPORTS";
  inst.dynamic_port = true;
  server.instances.push_back(inst);
  sql.sql = server;
  env.hosts.push_back(sql);
  farm::Host rs = test::corp_member("rs1", "10.0.0.31");
  backend::SsrsServer ssrs;
  ssrs.service_account = web::parse_identity("NetworkService");
  rs.ssrs = ssrs;
  env.hosts.push_back(rs);
  env.hosts.push_back(test::corp_client("ws1", "10.0.1.21", "CORP\\alice"));
  return env;
}

Change make(Action action) {
  Change c;
  c.action = action;
  return c;
}

Change spn_change(Action action, const std::string& account, const std::string& spn) {
  Change c = make(action);
  c.account = account;
  c.spn = test::spn(spn);
  return c;
}

directory::Account gmsa(const std::vector<std::string>& spns, const std::vector<std::string>& delegate_to = {}) {
  directory::Account a = test::corp_user("gmsa-reports$", spns);
  a.kind = directory::AccountKind::Gmsa;
  a.allowed_to_delegate_to = delegate_to;
  return a;
}

Change create(const directory::Account& a) {
  Change c = make(Action::CreateAccount);
  c.account = a.name;
  c.new_account = a;
  return c;
}

Change pool(const std::string& host, const std::string& identity) {
  Change c = make(Action::ChangeAppPoolIdentity);
  c.host = host;
  c.app_pool = "Reports";
  c.identity = web::parse_identity(identity);
  return c;
}

std::vector<FixStep> render(const farm::Environment& env, const std::vector<Change>& changes) {
  return analysis::render_steps(env, changes);
}

}  // namespace

TEST_CASE("setspn -D and -S run on the account's domain's first DC, guarded by the account's servicePrincipalName",
          "[commands]") {
  const auto env = world();
  const auto steps = render(env, {spn_change(Action::RemoveSpn, "CORP\\WEB1$", "HTTP/app.corp.contoso.com"),
                                  spn_change(Action::AddSpn, "CORP\\svc-app", "HTTP/reports.corp.contoso.com")});
  REQUIRE(steps.size() == 2);
  CHECK(steps[0].host == "dc1");
  CHECK(steps[0].phase == "spn");
  CHECK(has(steps[0].needs, "servicePrincipalName on CORP\\WEB1$"));
  CHECK(steps[0].command == "setspn -D HTTP/app.corp.contoso.com 'CORP\\WEB1$'");
  CHECK(steps[0].program == "setspn");
  CHECK(steps[0].arguments == std::vector<std::string>{"-D", "HTTP/app.corp.contoso.com", "CORP\\WEB1$"});
  // A computer is named without its "$" by Get-ADComputer; the guard reads the attribute setspn writes.
  CHECK(steps[0].guard ==
        "(Get-ADComputer -Identity 'WEB1' -Properties servicePrincipalName).servicePrincipalName -contains "
        "'HTTP/app.corp.contoso.com'");
  CHECK(steps[0].check == "setspn -Q HTTP/app.corp.contoso.com");
  CHECK(steps[1].command == "setspn -S HTTP/reports.corp.contoso.com 'CORP\\svc-app'");
  CHECK(steps[1].guard ==
        "(Get-ADUser -Identity 'svc-app' -Properties servicePrincipalName).servicePrincipalName -notcontains "
        "'HTTP/reports.corp.contoso.com'");
}

TEST_CASE("constrained delegation adds to msDS-AllowedToDelegateTo and needs SeEnableDelegationPrivilege",
          "[commands]") {
  const auto env = world();
  Change c = make(Action::SetDelegation);
  c.account = "CORP\\svc-app";
  c.allowed_to_delegate_to = std::vector<std::string>{"MSSQLSvc/sql1.corp.contoso.com:1433"};
  c.trusted_to_auth_for_delegation = true;
  const auto steps = render(env, {c});
  REQUIRE(steps.size() == 2);
  CHECK(steps[0].host == "dc1");
  CHECK(steps[0].needs == "Domain Admins (SeEnableDelegationPrivilege)");
  CHECK(steps[0].phase == "delegation");
  CHECK(steps[0].command ==
        "Set-ADUser -Identity 'svc-app' -Add @{'msDS-AllowedToDelegateTo' = 'MSSQLSvc/sql1.corp.contoso.com:1433'}");
  CHECK(steps[0].guard ==
        "(Get-ADUser -Identity 'svc-app' -Properties msDS-AllowedToDelegateTo).'msDS-AllowedToDelegateTo' "
        "-notcontains 'MSSQLSvc/sql1.corp.contoso.com:1433'");
  CHECK(steps[1].command == "Set-ADAccountControl -Identity 'svc-app' -TrustedToAuthForDelegation $true");
  CHECK(steps[1].needs == "Domain Admins (SeEnableDelegationPrivilege)");
  CHECK(has(steps[1].guard, "-Properties TrustedToAuthForDelegation).TrustedToAuthForDelegation -ne $true"));
}

TEST_CASE(
    "a list that drops an entry replaces msDS-AllowedToDelegateTo; Set-ADAccountControl takes the computer's "
    "sAMAccountName",
    "[commands]") {
  auto env = world();
  const auto id = env.directory.find_account("CORP\\WEB1$");
  env.directory.account(*id).allowed_to_delegate_to = {"MSSQLSvc/old.corp.contoso.com:1433"};
  Change c = make(Action::SetDelegation);
  c.account = "CORP\\WEB1$";
  c.allowed_to_delegate_to = std::vector<std::string>{"MSSQLSvc/sql1.corp.contoso.com:1433"};
  c.trusted_for_delegation = false;
  const auto steps = render(env, {c});
  REQUIRE(steps.size() == 2);
  CHECK(steps[0].command ==
        "Set-ADComputer -Identity 'WEB1' -Replace @{'msDS-AllowedToDelegateTo' = "
        "@('MSSQLSvc/sql1.corp.contoso.com:1433')}");
  CHECK(has(steps[0].guard, "'msDS-AllowedToDelegateTo'"));
  CHECK(steps[1].command == "Set-ADAccountControl -Identity 'WEB1$' -TrustedForDelegation $false");
}

TEST_CASE("resource-based delegation is written on the target and needs only write access on it", "[commands]") {
  const auto env = world();
  Change c = make(Action::SetDelegation);
  c.account = "CORP\\SQL1$";
  c.allowed_to_act = std::vector<std::string>{"CORP\\svc-app"};
  const auto steps = render(env, {c});
  REQUIRE(steps.size() == 1);
  CHECK(steps[0].host == "dc1");
  CHECK(steps[0].needs == "write access on CORP\\SQL1$ (its security descriptor)");
  CHECK(steps[0].command ==
        "Set-ADComputer -Identity 'SQL1' -PrincipalsAllowedToDelegateToAccount @((Get-ADUser -Identity 'svc-app'))");
  CHECK(steps[0].guard ==
        "@((Get-ADComputer -Identity 'SQL1' -Properties PrincipalsAllowedToDelegateToAccount)."
        "PrincipalsAllowedToDelegateToAccount) -notcontains (Get-ADUser -Identity 'svc-app').DistinguishedName");
}

TEST_CASE(
    "a gMSA for a farm: a KDS root key first when the forest has none, then New-ADServiceAccount with the "
    "nodes that run as it, then the AD module and Install-ADServiceAccount on each node, before any runs as it",
    "[commands]") {
  const auto env = world(false);
  const auto steps =
      render(env, {create(gmsa({"HTTP/reports.corp.contoso.com"}, {"MSSQLSvc/sql1.corp.contoso.com:1433"})),
                   pool("web1", "CORP\\gmsa-reports$"), pool("web2", "CORP\\gmsa-reports$")});
  REQUIRE(steps.size() == 10);
  CHECK(steps[0].command == "Add-KdsRootKey -EffectiveImmediately");
  CHECK(steps[0].host == "dc1");
  CHECK(steps[0].wait == "10h");
  CHECK(steps[0].guard == "-not (Get-KdsRootKey)");
  CHECK(steps[0].phase == "prerequisites");
  CHECK(steps[1].program == "New-ADServiceAccount");
  CHECK(steps[1].command ==
        "New-ADServiceAccount -Name 'gmsa-reports' -DNSHostName 'gmsa-reports.corp.contoso.com' "
        "-PrincipalsAllowedToRetrieveManagedPassword @('WEB1$', 'WEB2$') -ServicePrincipalNames "
        "@('HTTP/reports.corp.contoso.com') -OtherAttributes @{'msDS-AllowedToDelegateTo' = "
        "@('MSSQLSvc/sql1.corp.contoso.com:1433')}");
  CHECK(steps[1].needs == "Domain Admins (SeEnableDelegationPrivilege)");
  CHECK(steps[1].guard == "-not (Get-ADServiceAccount -Filter 'Name -eq \"gmsa-reports\"')");
  CHECK(steps[1].parameters.size() == 5);
  CHECK(steps[2].host == "web1");
  CHECK(steps[2].command == "Install-WindowsFeature -Name 'RSAT-AD-PowerShell'");
  CHECK(steps[2].guard == "-not (Get-WindowsFeature -Name 'RSAT-AD-PowerShell').Installed");
  CHECK(steps[3].command == "Install-ADServiceAccount -Identity 'gmsa-reports'");
  CHECK(steps[3].guard == "-not (Test-ADServiceAccount -Identity 'gmsa-reports')");
  CHECK(steps[3].check == "Test-ADServiceAccount -Identity 'gmsa-reports'");
  CHECK(steps[4].host == "web2");
  CHECK(steps[5].host == "web2");
  CHECK(steps[5].command == "Install-ADServiceAccount -Identity 'gmsa-reports'");
  // appcmd is not on the PATH: each node's session gets the alias before its first appcmd.
  CHECK(steps[6].host == "web1");
  CHECK(steps[6].command == R"(Set-Alias -Name appcmd -Value "$env:windir\system32\inetsrv\appcmd.exe")");
  CHECK(steps[7].command ==
        "appcmd set apppool Reports /processModel.identityType:SpecificUser "
        "'/processModel.userName:CORP\\gmsa-reports$' /processModel.password:");
  CHECK(steps[7].guard == "(appcmd list apppool 'Reports' /text:processModel.userName) -ne 'CORP\\gmsa-reports$'");
  CHECK(steps[7].needs == "local Administrators on web1");
  CHECK(steps[8].host == "web2");
  CHECK(steps[8].program == "Set-Alias");
  CHECK(steps[9].host == "web2");
  CHECK(steps[9].program == "appcmd");
}

TEST_CASE("the KDS root key and its wait come before every other step of the rollout", "[commands]") {
  const auto env = world(false);
  const auto steps = render(env, {spn_change(Action::RemoveSpn, "CORP\\svc-app", "HTTP/app.corp.contoso.com"),
                                  create(gmsa({"HTTP/app.corp.contoso.com"}))});
  REQUIRE(steps.size() == 3);
  CHECK(steps[0].program == "Add-KdsRootKey");
  CHECK(steps[0].wait == "10h");
  CHECK(steps[1].program == "setspn");
  CHECK(steps[2].program == "New-ADServiceAccount");
}

TEST_CASE(
    "a gMSA in a forest with a usable KDS root key, without SPNs or delegation, has neither the key step "
    "nor -ServicePrincipalNames and -OtherAttributes",
    "[commands]") {
  const auto env = world(true);
  const auto steps = render(env, {create(gmsa({}))});
  REQUIRE(steps.size() == 1);
  CHECK(steps[0].command == "New-ADServiceAccount -Name 'gmsa-reports' -DNSHostName 'gmsa-reports.corp.contoso.com'");
  CHECK(steps[0].needs != "Domain Admins (SeEnableDelegationPrivilege)");
}

TEST_CASE("a new computer account is pre-staged with New-ADComputer, not created as a user", "[commands]") {
  const auto steps = render(world(), {create(test::corp_computer("WEB3", {"HTTP/web3.corp.contoso.com"}))});
  REQUIRE(steps.size() == 1);
  CHECK(steps[0].program == "New-ADComputer");
  CHECK(has(steps[0].command,
            "New-ADComputer -Name 'WEB3' -SAMAccountName 'WEB3$' -DNSHostName "
            "'web3.corp.contoso.com' -ServicePrincipalNames @('HOST/WEB3'"));
  CHECK(!has(steps[0].command, "AccountPassword"));
  CHECK(steps[0].guard == "-not (Get-ADComputer -Filter 'Name -eq \"WEB3\"')");
}

TEST_CASE("an explicit add_kds_root_key is rendered once, and not again before the gMSA", "[commands]") {
  const auto env = world(false);
  Change key = make(Action::AddKdsRootKey);
  key.domain = "corp.contoso.com";
  const auto steps = render(env, {key, create(gmsa({}))});
  REQUIRE(steps.size() == 2);
  CHECK(steps[0].program == "Add-KdsRootKey");
  CHECK(steps[1].program == "New-ADServiceAccount");
}

TEST_CASE("useAppPoolCredentials and useKernelMode: appcmd set config on the node, guarded by the same attribute",
          "[commands]") {
  const auto env = world();
  Change c = make(Action::SetUseAppPoolCredentials);
  c.host = "web2";
  c.site = "Default Web Site";
  c.value = true;
  Change k = make(Action::SetKernelMode);
  k.host = "web1";
  k.site = "Reports";
  k.value = false;
  const auto steps = render(env, {c, k});
  REQUIRE(steps.size() == 4);  // each after appcmd's alias on its node
  CHECK(steps[0].program == "Set-Alias");
  CHECK(steps[2].program == "Set-Alias");
  CHECK(steps[2].host == "web1");
  CHECK(steps[1].host == "web2");
  CHECK(steps[1].needs == "local Administrators on web2");
  CHECK(steps[1].phase == "servers");
  CHECK(steps[1].command ==
        "appcmd set config 'Default Web Site' "
        "-section:system.webServer/security/authentication/windowsAuthentication /useAppPoolCredentials:true "
        "/commit:apphost");
  CHECK(steps[1].guard ==
        "(Get-WebConfigurationProperty -PSPath 'MACHINE/WEBROOT/APPHOST' -Location 'Default Web Site' -Filter "
        "'system.webServer/security/authentication/windowsAuthentication' -Name useAppPoolCredentials).Value -ne "
        "$true");
  CHECK(has(steps[3].command, "/useKernelMode:false /commit:apphost"));
  CHECK(has(steps[3].guard, "-Name useKernelMode).Value -ne $false"));
}

TEST_CASE("an app pool back to a built-in identity sets identityType and is guarded by it", "[commands]") {
  const auto steps = render(world(), {pool("web1", "NetworkService")});
  REQUIRE(steps.size() == 2);
  CHECK(steps[1].command == "appcmd set apppool Reports /processModel.identityType:NetworkService");
  CHECK(steps[1].guard == "(appcmd list apppool 'Reports' /text:processModel.identityType) -ne 'NetworkService'");
}

TEST_CASE(
    "an app pool on a domain user asks for its password when the command runs (a gMSA has none to give), and "
    "the alias comes again after steps on another machine",
    "[commands]") {
  const auto steps =
      render(world(), {pool("web1", "CORP\\svc-app"), make(Action::PurgeTickets), pool("web1", "NetworkService")});
  REQUIRE(steps.size() == 5);
  CHECK(steps[1].command ==
        "appcmd set apppool Reports /processModel.identityType:SpecificUser '/processModel.userName:CORP\\svc-app' "
        "\"/processModel.password:$(Read-Host -Prompt 'Password for CORP\\svc-app')\"");
  CHECK(steps[2].host == "ws1");
  CHECK(steps[3].program == "Set-Alias");
  CHECK(steps[3].host == "web1");
}

TEST_CASE(
    "the report server's account: SetWindowsServiceIdentity through the SSRS WMI provider, guarded by the "
    "service's logon account",
    "[commands]") {
  auto env = world(true);
  env.directory.add_account(gmsa({}));
  Change c = make(Action::SetSsrsServiceAccount);
  c.host = "rs1";
  c.identity = web::parse_identity("CORP\\gmsa-reports$");
  const auto steps = render(env, {c});
  REQUIRE(steps.size() == 3);  // the AD module and Install-ADServiceAccount first
  CHECK(steps[1].program == "Install-ADServiceAccount");
  CHECK(steps[2].host == "rs1");
  // The provider reports a failure in its result, which the command turns into an error.
  CHECK(steps[2].command ==
        "Invoke-CimMethod -InputObject (Get-CimInstance -Namespace "
        "'root\\Microsoft\\SqlServer\\ReportServer\\RS_SSRS\\v15\\Admin' -ClassName "
        "MSReportServer_ConfigurationSetting) -MethodName 'SetWindowsServiceIdentity' -Arguments @{UseBuiltInAccount = "
        "$false; Account = 'CORP\\gmsa-reports$'; Password = ''} | ForEach-Object { if ($_.HRESULT -ne 0) { throw "
        "\"SetWindowsServiceIdentity failed: HRESULT $($_.HRESULT) $($_.ExtendedErrors)\" } }");
  CHECK(steps[2].guard ==
        "(Get-CimInstance -ClassName Win32_Service -Filter 'Name=''SQLServerReportingServices''').StartName -ne "
        "'CORP\\gmsa-reports$'");
}

TEST_CASE("the report server back to NetworkService: the WMI call's built-in name, the service's own in the guard",
          "[commands]") {
  Change c = make(Action::SetSsrsServiceAccount);
  c.host = "rs1";
  c.identity = web::parse_identity("NetworkService");
  const auto steps = render(world(), {c});
  REQUIRE(steps.size() == 1);
  CHECK(has(steps[0].command, "@{UseBuiltInAccount = $true; Account = 'Builtin\\NetworkService'; Password = ''}"));
  CHECK(has(steps[0].guard, ".StartName -ne 'NT AUTHORITY\\NetworkService'"));
}

TEST_CASE(
    "the report server's authentication types: an XML edit of rsreportserver.config and a restart, guarded by "
    "the same element",
    "[commands]") {
  Change c = make(Action::SetSsrsAuthenticationTypes);
  c.host = "rs1";
  c.authentication_types = {backend::SsrsAuthType::RSWindowsNegotiate, backend::SsrsAuthType::RSWindowsNTLM};
  const auto steps = render(world(), {c});
  REQUIRE(steps.size() == 1);
  CHECK(steps[0].host == "rs1");
  CHECK(steps[0].program.empty());
  CHECK(has(steps[0].command, "foreach ($name in @('RSWindowsNegotiate', 'RSWindowsNTLM'))"));
  CHECK(has(steps[0].command, "Restart-Service -Name SQLServerReportingServices"));
  CHECK(has(steps[0].guard,
            ".Configuration.Authentication.AuthenticationTypes.ChildNodes.Name) -join ',') -ne "
            "'RSWindowsNegotiate,RSWindowsNTLM'"));
}

TEST_CASE("a static port for a named instance: TcpPort and an empty TcpDynamicPorts under IPAll, then a restart",
          "[commands]") {
  Change c = make(Action::SetSqlPort);
  c.host = "sql1";
  c.instance = "REPORTS";
  c.port = 1435;
  const auto steps = render(world(), {c});
  REQUIRE(steps.size() == 3);
  const std::string key =
      R"("HKLM:\SOFTWARE\Microsoft\Microsoft SQL Server\$((Get-ItemProperty -Path 'HKLM:\SOFTWARE\Microsoft\)"
      R"(Microsoft SQL Server\Instance Names\SQL').'REPORTS')\MSSQLServer\SuperSocketNetLib\Tcp\IPAll")";
  CHECK(steps[0].host == "sql1");
  CHECK(steps[0].needs == "local Administrators on sql1");
  CHECK(steps[0].command == "Set-ItemProperty -Path " + key + " -Name 'TcpPort' -Value '1435'");
  CHECK(steps[0].guard == "(Get-ItemProperty -Path " + key + ").TcpPort -ne '1435'");
  CHECK(steps[1].command == "Set-ItemProperty -Path " + key + " -Name 'TcpDynamicPorts' -Value ''");
  CHECK(steps[1].guard == "(Get-ItemProperty -Path " + key + ").TcpDynamicPorts -ne ''");
  CHECK(steps[2].command == "Restart-Service -Name 'MSSQL$REPORTS' -Force");
  CHECK(has(steps[2].guard, "Get-NetTCPConnection -LocalPort 1435 -State Listen"));
}

TEST_CASE("klist purge runs on each client in the user's own session", "[commands]") {
  const auto steps = render(world(), {make(Action::PurgeTickets)});
  REQUIRE(steps.size() == 1);
  CHECK(steps[0].host == "ws1");
  CHECK(steps[0].command == "klist purge");
  CHECK(has(steps[0].needs, "CORP\\alice"));
  CHECK(steps[0].phase == "clients");
}

TEST_CASE("a user's password: Set-ADAccountPassword on a DC, prompting for the password", "[commands]") {
  Change c = make(Action::PasswordChange);
  c.account = "CORP\\svc-app";
  const auto steps = render(world(), {c});
  REQUIRE(steps.size() == 1);
  CHECK(steps[0].host == "dc1");
  CHECK(steps[0].command ==
        "Set-ADAccountPassword -Identity 'svc-app' -Reset -NewPassword (Read-Host -AsSecureString -Prompt 'New "
        "password for CORP\\svc-app')");
}

TEST_CASE("no step has a placeholder, and every step has a host and a right", "[commands]") {
  const auto env = world(false);
  Change del = make(Action::SetDelegation);
  del.account = "CORP\\gmsa-reports$";
  del.trusted_to_auth_for_delegation = true;
  const auto steps = render(env, {spn_change(Action::RemoveSpn, "CORP\\svc-app", "HTTP/app.corp.contoso.com"),
                                  create(gmsa({"HTTP/app.corp.contoso.com"})), pool("web1", "CORP\\gmsa-reports$"), del,
                                  make(Action::PurgeTickets)});
  REQUIRE(steps.size() == 9);
  for (const auto& s : steps) {
    INFO(s.command);
    CHECK(!s.host.empty());
    CHECK(!s.needs.empty());
    CHECK(!s.command.empty());
    CHECK(!has(s.command, "<"));
    CHECK(!has(s.command, "\n"));
  }
  // The gMSA's delegation flag goes through its sAMAccountName.
  CHECK(steps[7].command == "Set-ADAccountControl -Identity 'gmsa-reports$' -TrustedToAuthForDelegation $true");
}

// Every kind of change in one fix script, for the PowerShell grammar test (tests/report/ps1/run.sh runs
// this hidden test with KERBSIM_PS1_SAMPLE set to the file to write), so that the grammar and the table
// of cmdlets see every command render_steps writes, not only those of the bundled scenarios' fixes.
TEST_CASE("every kind of change, as a fix script", "[.ps1-sample]") {
  auto env = world(false);
  Change key = make(Action::AddKdsRootKey);
  key.domain = "corp.contoso.com";
  Change kcd = make(Action::SetDelegation);
  kcd.account = "CORP\\svc-app";
  kcd.allowed_to_delegate_to = std::vector<std::string>{"MSSQLSvc/sql1.corp.contoso.com:1433"};
  kcd.trusted_to_auth_for_delegation = true;
  kcd.trusted_for_delegation = false;
  kcd.sensitive = false;
  Change replace = make(Action::SetDelegation);
  replace.account = "CORP\\WEB1$";
  replace.allowed_to_delegate_to = std::vector<std::string>{};
  Change rbcd = make(Action::SetDelegation);
  rbcd.account = "CORP\\SQL1$";
  rbcd.allowed_to_act = std::vector<std::string>{"CORP\\svc-app", "CORP\\WEB1$"};
  Change uapc = make(Action::SetUseAppPoolCredentials);
  uapc.host = "web1";
  uapc.site = "Reports";
  uapc.value = true;
  Change kernel = make(Action::SetKernelMode);
  kernel.host = "web2";
  kernel.site = "Default Web Site";
  Change recycle = make(Action::AppPoolRestart);
  recycle.host = "web1";
  recycle.app_pool = "Reports";
  Change rs = make(Action::SetSsrsServiceAccount);
  rs.host = "rs1";
  rs.identity = web::parse_identity("CORP\\gmsa-reports$");
  Change rs_user = make(Action::SetSsrsServiceAccount);
  rs_user.host = "rs1";
  rs_user.identity = web::parse_identity("CORP\\svc-app");
  Change rs_builtin = make(Action::SetSsrsServiceAccount);
  rs_builtin.host = "rs1";
  rs_builtin.identity = web::parse_identity("NetworkService");
  Change types = make(Action::SetSsrsAuthenticationTypes);
  types.host = "rs1";
  types.authentication_types = {backend::SsrsAuthType::RSWindowsNegotiate, backend::SsrsAuthType::RSWindowsNTLM};
  Change port = make(Action::SetSqlPort);
  port.host = "sql1";
  port.instance = "REPORTS";
  port.port = 1435;
  Change dynamic = port;
  dynamic.value = true;
  Change user_password = make(Action::PasswordChange);
  user_password.account = "CORP\\svc-app";
  Change machine_password = make(Action::PasswordChange);
  machine_password.account = "CORP\\WEB1$";
  directory::Account user = test::corp_user("svc-new", {"HTTP/new.corp.contoso.com"});
  directory::Account computer = test::corp_computer("WEB3", {"HTTP/web3.corp.contoso.com"});
  Fix fix;
  fix.change = "every kind of change";
  fix.steps = analysis::render_steps(
      env, {key,
            spn_change(Action::RemoveSpn, "CORP\\svc-app", "HTTP/app.corp.contoso.com"),
            create(gmsa({"HTTP/app.corp.contoso.com"}, {"MSSQLSvc/sql1.corp.contoso.com:1433"})),
            create(user),
            create(computer),
            pool("web1", "CORP\\gmsa-reports$"),
            pool("web2", "CORP\\svc-app"),
            pool("web2", "ApplicationPoolIdentity"),
            uapc,
            kernel,
            recycle,
            rs,
            rs_user,
            rs_builtin,
            types,
            port,
            dynamic,
            spn_change(Action::AddSpn, "CORP\\gmsa-reports$", "MSSQLSvc/sql1.corp.contoso.com:1435"),
            kcd,
            replace,
            rbcd,
            user_password,
            machine_password,
            make(Action::PurgeTickets)});
  REQUIRE(fix.steps.size() > 20);
  PathOutcome path;
  path.fixes = {fix};
  FlowOutcome flow;
  flow.flow = "every change";
  flow.paths = {path};
  TraceReport report;
  report.scenario = "every-change";
  report.flows = {flow};
  const char* file = std::getenv("KERBSIM_PS1_SAMPLE");
  REQUIRE(file);
  std::ofstream out(file);
  print_fix_script(report, "fix.ps1", out);
  REQUIRE(out.good());
}
