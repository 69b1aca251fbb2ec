// A fix's commands on the nodes: appcmd for IIS, the report server's WMI provider and
// rsreportserver.config, SQL Server's network configuration, klist on the clients; each on its
// machine as one of its local Administrators (a client's purge in the user's own session).
#include <utility>

#include "analysis/command_renderer.h"
#include "analysis/powershell.h"
#include "directory/names.h"

namespace kerbsim::analysis {

using powershell::boolean;
using powershell::cmdlet_step;
using powershell::native_step;
using powershell::quote;
using powershell::snippet_step;

// -- IIS: appcmd on the node (iis-rules 3.3, 3.4) --

// appcmd.exe is in %windir%\system32\inetsrv, which is not on the PATH: the session gets an alias
// before its first appcmd on the node.
void CommandRenderer::appcmd_alias(const std::string& node) {
  if (!appcmd_ready.insert(directory::to_lower(node)).second) return;
  add(cmdlet_step(node, local_admin(node), phase, "Set-Alias",
                  {{"Name", "appcmd"}, {"Value", R"("$env:windir\system32\inetsrv\appcmd.exe")"}}),
      "", "", "appcmd is in %windir%\\system32\\inetsrv, which is not on the PATH");
}

void CommandRenderer::pool_identity(const farm::Change& c) {
  install_gmsa(c.host, c.identity);
  appcmd_alias(c.host);
  std::vector<std::string> args = {"set", "apppool", c.app_pool};
  std::string guard, password;
  const std::string current = "(appcmd list apppool " + quote(c.app_pool) + " /text:processModel.";
  switch (c.identity.type) {
    case web::IdentityType::DomainAccount:
    case web::IdentityType::LocalAccount: {
      args.push_back("/processModel.identityType:SpecificUser");
      args.push_back("/processModel.userName:" + c.identity.account);
      // A gMSA has no password to give: Windows fetches it (kerberos-rules R7.2). Any other account's
      // password is asked for when the command runs, never written into it.
      const auto id = env().directory.find_account(c.identity.account);
      if (id && env().directory.account(*id).kind == directory::AccountKind::Gmsa)
        args.push_back("/processModel.password:");
      else
        password =
            "\"/processModel.password:$(Read-Host -Prompt " + quote("Password for " + c.identity.account) + ")\"";
      guard = current + "userName) -ne " + quote(c.identity.account);
      break;
    }
    case web::IdentityType::ApplicationPoolIdentity:
    case web::IdentityType::NetworkService:
    case web::IdentityType::LocalService:
    case web::IdentityType::LocalSystem:
    case web::IdentityType::VirtualAccount:
      args.push_back("/processModel.identityType:" + c.identity.describe());
      guard = current + "identityType) -ne " + quote(c.identity.describe());
      break;
  }
  FixStep step = native_step(c.host, local_admin(c.host), phase, "appcmd", std::move(args));
  if (!password.empty()) {  // an expandable argument, which argument() would quote as literal text
    step.command += " " + password;
    step.arguments.push_back(password);
  }
  add(std::move(step), guard, "appcmd list apppool " + quote(c.app_pool) + " /text:processModel.userName",
      "the app pool " + c.app_pool + " on " + c.host + " runs as " + c.identity.describe() +
          ", whose key decrypts the tickets for the site's SPN (iis-rules 2.1)");
}

void CommandRenderer::pool_recycle(const farm::Change& c) {
  appcmd_alias(c.host);
  add(native_step(c.host, local_admin(c.host), phase, "appcmd", {"recycle", "apppool", c.app_pool}), "", "",
      "a new worker process for " + c.app_pool + " on " + c.host);
}

void CommandRenderer::windows_authentication(const farm::Change& c, const std::string& attribute,
                                             const std::string& why) {
  const std::string section = "system.webServer/security/authentication/windowsAuthentication";
  const std::string value = c.value ? "true" : "false";
  appcmd_alias(c.host);
  add(native_step(c.host, local_admin(c.host), phase, "appcmd",
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

void CommandRenderer::ssrs_account(const farm::Change& c) {
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
  const auto id = env().directory.find_account(c.identity.account);
  const bool gmsa = id && env().directory.account(*id).kind == directory::AccountKind::Gmsa;
  const std::string password =
      built_in || gmsa ? "''" : "(Read-Host -Prompt " + quote("Password for " + c.identity.account) + ")";
  const std::string setting = std::string("(Get-CimInstance -Namespace ") + quote(kSsrsNamespace) +
                              " -ClassName MSReportServer_ConfigurationSetting)";
  const std::string service = std::string("(Get-CimInstance -ClassName Win32_Service -Filter ") +
                              quote(std::string("Name='") + kSsrsService + "'") + ").StartName";
  // The WMI provider reports a failure in the result's HRESULT, not as an error PowerShell would stop
  // on, so the command checks it.
  const std::string arguments =
      "@{UseBuiltInAccount = " + boolean(built_in) + "; Account = " + quote(account) + "; Password = " + password + "}";
  add(snippet_step(c.host, local_admin(c.host), phase,
                   "Invoke-CimMethod -InputObject " + setting + " -MethodName 'SetWindowsServiceIdentity' -Arguments " +
                       arguments +
                       " | ForEach-Object { if ($_.HRESULT -ne 0) { throw \"SetWindowsServiceIdentity failed: "
                       "HRESULT $($_.HRESULT) $($_.ExtendedErrors)\" } }"),
      service + " -ne " + quote(start_name), service,
      "the report server on " + c.host + " runs as " + c.identity.describe() +
          " (the Reporting Services Configuration Manager's own call, which also re-ACLs its URLs; iis-rules 7.4)");
}

void CommandRenderer::ssrs_authentication(const farm::Change& c) {
  std::string names, list;
  for (const auto t : c.authentication_types) {
    names += (names.empty() ? "" : ", ") + quote(backend::auth_type_name(t));
    list += (list.empty() ? "" : ",") + backend::auth_type_name(t);
  }
  const std::string types = "([xml](Get-Content -Path " + quote(kSsrsConfig) +
                            " -Raw)).Configuration.Authentication.AuthenticationTypes.ChildNodes.Name";
  add(snippet_step(c.host, local_admin(c.host), phase,
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

void CommandRenderer::sql_port(const farm::Change& c) {
  const std::string key = R"("HKLM:\SOFTWARE\Microsoft\Microsoft SQL Server\$((Get-ItemProperty -Path )"
                          R"('HKLM:\SOFTWARE\Microsoft\Microsoft SQL Server\Instance Names\SQL').)" +
                          quote(c.instance) + R"()\MSSQLServer\SuperSocketNetLib\Tcp\IPAll")";
  const std::string port = c.value ? "" : std::to_string(c.port);
  const std::string dynamic = c.value ? "0" : "";
  add(cmdlet_step(c.host, local_admin(c.host), phase, "Set-ItemProperty",
                  {{"Path", key}, {"Name", quote("TcpPort")}, {"Value", quote(port)}}),
      "(Get-ItemProperty -Path " + key + ").TcpPort -ne " + quote(port),
      "Get-ItemProperty -Path " + key + " | Format-List -Property 'TcpPort', 'TcpDynamicPorts'",
      c.value ? "the instance " + c.instance + " on " + c.host + " takes a dynamic port at its next start"
              : "a static port, so that the MSSQLSvc SPN with the port stays right after restarts (iis-rules 6.4)");
  add(cmdlet_step(c.host, local_admin(c.host), phase, "Set-ItemProperty",
                  {{"Path", key}, {"Name", quote("TcpDynamicPorts")}, {"Value", quote(dynamic)}}),
      "(Get-ItemProperty -Path " + key + ").TcpDynamicPorts -ne " + quote(dynamic), "",
      c.value ? "TcpDynamicPorts 0: a port from the operating system at each start"
              : "an empty TcpDynamicPorts, or the instance keeps listening on a dynamic port too");
  const std::string service = c.instance == "MSSQLSERVER" ? c.instance : "MSSQL$" + c.instance;
  FixStep restart =
      cmdlet_step(c.host, local_admin(c.host), phase, "Restart-Service", {{"Name", quote(service)}, {"Force", ""}});
  add(std::move(restart),
      c.value ? "" : "-not (Get-NetTCPConnection -LocalPort " + port + " -State Listen -ErrorAction SilentlyContinue)",
      c.value ? "" : "Get-NetTCPConnection -LocalPort " + port + " -State Listen",
      "SQL Server reads its port only when it starts; -Force restarts SQL Server Agent with it");
}

// -- clients: tickets and the negative SPN cache are per logon session (kerberos-rules R1.6) --

void CommandRenderer::purge(const farm::Change& c) {
  std::vector<std::string> clients = c.clients;
  if (clients.empty())
    for (const auto& h : env().hosts)
      if (h.client) clients.push_back(h.name);
  for (const auto& client : clients) {
    const farm::Host* h = env().host(client);
    const std::string user = h && h->client ? h->client->user : "the user";
    add(native_step(client, user + "'s own logon session, not elevated", phase, "klist", {"purge"}), "", "klist",
        "tickets cached before the change (up to 10 hours) stay in " + user + "'s session until purged");
  }
}

}  // namespace kerbsim::analysis
