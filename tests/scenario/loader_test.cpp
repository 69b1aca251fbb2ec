// Loading scenario text: a complete scenario with every key, the documented defaults, and one test per
// kind of mistake, each checking the message and where it points.
#include <catch2/catch.hpp>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>
#include <string>
#include <vector>

#include "kerbsim/diagnostic.h"
#include "scenario/loader.h"
#include "scenario/spec.h"

using kerbsim::Diagnostic;
using kerbsim::ScenarioError;
using kerbsim::scenario::load_file;
using kerbsim::scenario::load_text;

namespace {

std::vector<Diagnostic> problems(const std::string& json) {
  try {
    load_text(json, "t.json");
  } catch (const ScenarioError& e) {
    return e.diagnostics();
  }
  return {};
}

// The one problem a text has (fails the test when it has none or several).
Diagnostic problem(const std::string& json) {
  const auto found = problems(json);
  INFO(json);
  for (const auto& d : found) INFO(d.to_string());
  std::string all;
  for (const auto& d : found) all += d.to_string() + "\n";
  INFO(all);
  REQUIRE(found.size() == 1);
  return found.front();
}

const char* const kFull = R"__({
  // A farm with every part of the format.
  "format": "kerbsim/1",
  "name": "full-farm",
  "title": "Full farm",
  "description": "Every key.",
  "settings": { "max_clock_skew": "5m", "tgt_lifetime": "10h", "service_ticket_lifetime": 36000,
                "spn_negative_cache": "15m", "protected_users_tgt_lifetime": "4h",
                "http_max_field_length": 65534, "http_max_request_bytes": 16777216,
                "default_enctypes": ["aes256", "aes128", "rc4"], "duplicate_spn_error": 8 },
  "domains": [
    { "dns": "corp.contoso.com", "netbios": "CORP", "functional_level": "2016", "dcs": ["dc1"] },
    { "dns": "child.corp.contoso.com", "netbios": "CHILD", "forest": "CORP.contoso.com", "kdc": "windows-2012r2" },
    { "dns": "partner.fabrikam.com", "kdc": "samba-4.17" }
  ],
  "trusts": [ { "from": "corp.contoso.com", "to": "partner.fabrikam.com", "kind": "forest", "direction": "outbound", "tgt_delegation": true } ],
  "accounts": [
    { "name": "corp\\alice", "groups": ["Protected Users"], "token_groups": 40, "foreign_token_groups": 3 },
    { "name": "CORP\\svc-web", "spns": ["HTTP/reports.corp.contoso.com", "HTTP/reports"],
      "trusted_to_auth_for_delegation": true, "allowed_to_delegate_to": ["MSSQLSvc/sql1.corp.contoso.com:1433", "MSSQLSvc/sql1.corp.contoso.com:SALES"],
      "enctypes": ["aes256"], "aes_keys": false, "password_version": 3 },
    { "name": "CORP\\gmsa-web$", "type": "gmsa", "allowed_to_act": ["corp\\svc-web", "CORP\\web1$"], "sensitive": true, "enabled": false },
    { "name": "PARTNER\\bob" }
  ],
  "hosts": [
    { "name": "dc1", "ip": "10.0.0.1" },
    { "name": "web1", "domain": "corp.contoso.com", "ip": "10.0.0.11", "os": "2022", "clock_offset": "-2m30s", "credential_guard": true,
      "account": { "spns": ["HTTP/web1"], "trusted_for_delegation": true },
      "http_max_field_length": 32768, "back_connection_host_names": ["reports.corp.contoso.com"],
      "iis": { "app_pools": [ { "name": "Reports", "identity": "corp\\SVC-WEB" }, { "name": "Other" } ],
               "sites": [ { "name": "Reports", "bindings": ["http://*", "https://reports.corp.contoso.com:443"], "app_pool": "reports",
                            "anonymous": { "enabled": false, "user": "" },
                            "windows": { "enabled": true, "providers": ["Negotiate:Kerberos", "NTLM"], "kernel_mode": false, "use_app_pool_credentials": true },
                            "basic": { "enabled": true }, "impersonate": true, "content_readers": ["IUSR", "IIS_IUSRS"],
                            "calls": [ { "to": "sql1", "as": "caller" }, { "to": "sql1.corp.contoso.com", "instance": "sales", "as": "corp\\alice" } ] },
                          { "name": "Second", "bindings": ["http://*:8080"] } ] } },
    { "name": "web2", "ip": "10.0.0.12", "iis": { "version": "6.0", "isolation_mode": "iis5",
      "sites": [ { "name": "Old", "app_isolation": "pooled", "anonymous": { "user": "web2\\guest" } }, { "name": "Old2", "bindings": ["http://*:81"] } ] } },
    { "name": "sql1", "ip": "10.0.0.21", "sql": { "instances": [ { "port": 1433 }, { "name": "SALES", "service_account": "corp\\svc-web",
         "calls": [ { "to": "sql1", "instance": "MSSQLSERVER", "as": "process" } ] }, { "name": "HR", "port": 1500, "service_account": "nt service\\MSSQL$HR" } ] } },
    { "name": "rs1", "ip": "10.0.0.31", "ssrs": { "service_account": "NetworkService", "authentication_types": ["RSWindowsNegotiate", "RSWindowsNTLM"],
         "hostname": "reports.corp.contoso.com", "calls": [ { "to": "sql1", "instance": "MSSQLSERVER" } ] } },
    { "name": "ws1", "ip": "10.0.0.101", "client": { "user": "CORP\\alice", "browser": "chrome", "intranet_sites": ["*.corp.contoso.com"],
         "auth_server_allowlist": ["*.corp.contoso.com"], "delegate_allowlist": ["reports.corp.contoso.com"], "disable_cname_lookup": true,
         "include_port": true, "firefox_trusted_uris": ["corp.contoso.com"], "firefox_delegation_uris": [], "try_ip_spn": true } },
    { "name": "ws2", "domain": null, "client": { "user": "WS2\\kiosk", "browser": "firefox" } },
    { "name": "pweb", "domain": "partner.fabrikam.com", "ip": "10.1.0.5", "iis": { "app_pools": [ { "name": "DefaultAppPool", "identity": "PARTNER\\bob" } ], "sites": [ { "name": "P" } ] } }
  ],
  "dns": { "reports.corp.contoso.com": { "a": "10.0.0.100" },
           "portal.corp.contoso.com": { "cname": "reports.corp.contoso.com" },
           "sqlalias.corp.contoso.com": { "cname": "sql1.corp.contoso.com" } },
  "load_balancers": [ { "name": "lb1", "vip": "10.0.0.100", "members": ["WEB1", "rs1"], "algorithm": "source_ip_hash", "affinity": "cookie", "layer": 7 } ],
  "flows": [ { "name": "alice opens the sales report", "client": "WS1", "url": "http://reports.corp.contoso.com/Reports" },
             { "name": "sql direct", "client": "ws1", "url": "mssql://sql1/SALES:1500" } ],
  "workload": { "duration": "8h", "seed": 18446744073709551615, "users": 500, "requests_per_user_per_hour": 12.5, "connection_reuse": 5,
                "kdc_capacity_per_s": 2000, "netlogon_max_concurrent_api": 10,
                "events": [ { "at": "2h", "action": "add_spn", "account": "corp\\svc-web", "spn": "HTTP/portal.corp.contoso.com" },
                            { "at": "3h", "action": "purge_tickets", "clients": "all" },
                            { "at": "4h", "action": "change_app_pool_identity", "host": "WEB1", "app_pool": "other", "identity": "NetworkService" },
                            { "at": "5h", "action": "clock_step", "host": "web1", "offset": "-10m" },
                            { "at": "6h", "action": "dc_down", "dc": "DC1" },
                            { "at": "6h", "action": "set_delegation", "account": "CORP\\gmsa-web$", "allowed_to_act": ["CORP\\alice"] },
                            { "at": 0, "action": "purge_tickets", "clients": ["ws1"] } ] },
  "expect": [ { "flow": "alice opens the sales report", "via": "web1",
                "outcome": { "front": { "protocol": "kerberos", "error": "KRB_AP_ERR_MODIFIED", "ticket": { "etype": "aes256", "flags": ["forwardable"] } },
                             "hops": [ { "to": "sql1", "delegation": "constrained", "hops": [ { "result": "login_failed" } ] } ],
                             "verdict": "failed" } } ]
})__";

// A scenario with one domain and one web server, to which tests add the part they are about.
std::string with_hosts(const std::string& hosts) {
  return R"({ "format": "kerbsim/1", "name": "t",
  "domains": [ { "dns": "corp.contoso.com" } ],
  "hosts": [ )" +
         hosts + " ] }";
}

}  // namespace

TEST_CASE("a complete scenario loads with every field, canonical name and filled default") {
  const auto s = load_text(kFull, "full.json");
  CHECK(s.file == "full.json");
  CHECK(s.format == "kerbsim/1");
  CHECK(s.name == "full-farm");
  CHECK(s.title == "Full farm");
  CHECK(s.description == "Every key.");

  CHECK(s.settings.max_clock_skew == 300);
  CHECK(s.settings.tgt_lifetime == 36000);
  CHECK(s.settings.service_ticket_lifetime == 36000);
  CHECK(s.settings.spn_negative_cache == 900);
  CHECK(s.settings.protected_users_tgt_lifetime == 14400);
  CHECK(s.settings.http_max_field_length == 65534);
  CHECK(s.settings.http_max_request_bytes == 16777216);
  CHECK(s.settings.default_enctypes == std::vector<std::string>{"aes256", "aes128", "rc4"});
  CHECK(s.settings.duplicate_spn_error == 8);

  REQUIRE(s.domains.size() == 3);
  CHECK(s.domains[0].dns == "corp.contoso.com");
  CHECK(s.domains[0].netbios == "CORP");
  CHECK(s.domains[0].forest == "corp.contoso.com");
  CHECK(s.domains[0].functional_level == "2016");
  CHECK(s.domains[0].dcs == std::vector<std::string>{"dc1"});
  CHECK(s.domains[0].kdc == "windows-2016");
  CHECK(s.domains[0].at == "/domains/0");
  CHECK(s.domains[1].netbios == "CHILD");
  CHECK(s.domains[1].forest == "corp.contoso.com");
  CHECK(s.domains[1].kdc == "windows-2012r2");
  CHECK(s.domains[2].netbios == "PARTNER");
  CHECK(s.domains[2].forest == "partner.fabrikam.com");
  CHECK(s.domains[2].kdc == "samba-4.17");

  REQUIRE(s.trusts.size() == 1);
  CHECK(s.trusts[0].from == "corp.contoso.com");
  CHECK(s.trusts[0].to == "partner.fabrikam.com");
  CHECK(s.trusts[0].kind == "forest");
  CHECK(s.trusts[0].direction == "outbound");
  CHECK(s.trusts[0].tgt_delegation);

  REQUIRE(s.accounts.size() == 4);
  const auto& alice = s.accounts[0];
  CHECK(alice.name == "CORP\\alice");
  CHECK(alice.type == "user");
  CHECK(alice.groups == std::vector<std::string>{"Protected Users"});
  CHECK(alice.token_groups == 40);
  CHECK(alice.foreign_token_groups == 3);
  CHECK_FALSE(alice.enctypes.has_value());
  CHECK(alice.aes_keys);
  CHECK(alice.password_version == 1);
  CHECK(alice.enabled);
  CHECK_FALSE(alice.sensitive);
  const auto& svc = s.accounts[1];
  CHECK(svc.name == "CORP\\svc-web");
  CHECK(svc.delegation.spns == std::vector<std::string>{"HTTP/reports.corp.contoso.com", "HTTP/reports"});
  CHECK(svc.delegation.trusted_to_auth_for_delegation);
  CHECK_FALSE(svc.delegation.trusted_for_delegation);
  CHECK(svc.delegation.allowed_to_delegate_to ==
        std::vector<std::string>{"MSSQLSvc/sql1.corp.contoso.com:1433", "MSSQLSvc/sql1.corp.contoso.com:SALES"});
  CHECK(svc.enctypes == std::vector<std::string>{"aes256"});
  CHECK_FALSE(svc.aes_keys);
  CHECK(svc.password_version == 3);
  const auto& gmsa = s.accounts[2];
  CHECK(gmsa.name == "CORP\\gmsa-web$");
  CHECK(gmsa.type == "gmsa");
  CHECK(gmsa.delegation.allowed_to_act == std::vector<std::string>{"CORP\\svc-web", "CORP\\WEB1$"});
  CHECK(gmsa.sensitive);
  CHECK_FALSE(gmsa.enabled);
  CHECK(s.accounts[3].name == "PARTNER\\bob");

  REQUIRE(s.hosts.size() == 8);
  const auto& dc1 = s.hosts[0];
  CHECK(dc1.domain == "corp.contoso.com");
  CHECK(dc1.ip == "10.0.0.1");
  CHECK(dc1.os == "2019");
  CHECK_FALSE(dc1.iis.has_value());

  const auto& web1 = s.hosts[1];
  CHECK(web1.name == "web1");
  CHECK(web1.os == "2022");
  CHECK(web1.clock_offset == -150);
  CHECK(web1.credential_guard);
  CHECK(web1.account.spns == std::vector<std::string>{"HTTP/web1"});
  CHECK(web1.account.trusted_for_delegation);
  CHECK(web1.http_max_field_length == 32768);
  CHECK_FALSE(web1.http_max_request_bytes.has_value());
  CHECK(web1.back_connection_host_names == std::vector<std::string>{"reports.corp.contoso.com"});
  REQUIRE(web1.iis.has_value());
  CHECK(web1.iis->version == "10.0");
  CHECK(web1.iis->isolation_mode == "worker_process");
  REQUIRE(web1.iis->app_pools.size() == 2);
  CHECK(web1.iis->app_pools[0].name == "Reports");
  CHECK(web1.iis->app_pools[0].identity == "CORP\\svc-web");
  CHECK(web1.iis->app_pools[1].identity == "ApplicationPoolIdentity");
  REQUIRE(web1.iis->sites.size() == 2);
  const auto& reports = web1.iis->sites[0];
  CHECK(reports.bindings == std::vector<std::string>{"http://*:80", "https://reports.corp.contoso.com:443"});
  CHECK(reports.app_pool == "Reports");
  CHECK_FALSE(reports.anonymous.enabled);
  CHECK(reports.anonymous.user.empty());
  CHECK(reports.windows.enabled);
  CHECK(reports.windows.providers == std::vector<std::string>{"Negotiate:Kerberos", "NTLM"});
  CHECK_FALSE(reports.windows.kernel_mode);
  CHECK(reports.windows.use_app_pool_credentials);
  CHECK(reports.basic);
  CHECK(reports.impersonate);
  CHECK(reports.content_readers == std::vector<std::string>{"IUSR", "IIS_IUSRS"});
  CHECK(reports.app_isolation == "in_process");
  REQUIRE(reports.calls.size() == 2);
  CHECK(reports.calls[0].to == "sql1");
  CHECK(reports.calls[0].instance == "MSSQLSERVER");
  CHECK(reports.calls[0].as == "caller");
  CHECK(reports.calls[0].at == "/hosts/1/iis/sites/0/calls/0");
  CHECK(reports.calls[1].to == "sql1.corp.contoso.com");
  CHECK(reports.calls[1].instance == "SALES");
  CHECK(reports.calls[1].as == "CORP\\alice");
  const auto& second = web1.iis->sites[1];
  CHECK(second.app_pool == "Reports");
  CHECK(second.anonymous.enabled);
  CHECK(second.anonymous.user == "IUSR");
  CHECK_FALSE(second.windows.enabled);
  CHECK(second.windows.providers == std::vector<std::string>{"Negotiate", "NTLM"});
  CHECK_FALSE(second.content_readers.has_value());

  const auto& web2 = s.hosts[2];
  REQUIRE(web2.iis.has_value());
  CHECK(web2.iis->version == "6.0");
  CHECK(web2.iis->isolation_mode == "iis5");
  REQUIRE(web2.iis->app_pools.size() == 1);
  CHECK(web2.iis->app_pools[0].name == "DefaultAppPool");
  CHECK(web2.iis->app_pools[0].identity == "NetworkService");
  CHECK(web2.iis->sites[0].app_isolation == "pooled");
  CHECK(web2.iis->sites[0].app_pool == "DefaultAppPool");
  CHECK(web2.iis->sites[0].anonymous.user == "WEB2\\guest");
  CHECK(web2.iis->sites[1].anonymous.user == "WEB2\\IUSR_WEB2");

  const auto& sql1 = s.hosts[3];
  REQUIRE(sql1.sql.has_value());
  REQUIRE(sql1.sql->instances.size() == 3);
  CHECK(sql1.sql->instances[0].name == "MSSQLSERVER");
  CHECK(sql1.sql->instances[0].port == 1433);
  CHECK_FALSE(sql1.sql->instances[0].dynamic_port);
  CHECK(sql1.sql->instances[0].service_account == "NT SERVICE\\MSSQLSERVER");
  CHECK(sql1.sql->instances[1].name == "SALES");
  CHECK(sql1.sql->instances[1].dynamic_port);
  CHECK(sql1.sql->instances[1].service_account == "CORP\\svc-web");
  REQUIRE(sql1.sql->instances[1].calls.size() == 1);
  CHECK(sql1.sql->instances[1].calls[0].as == "process");
  CHECK(sql1.sql->instances[2].port == 1500);
  CHECK_FALSE(sql1.sql->instances[2].dynamic_port);
  CHECK(sql1.sql->instances[2].service_account == "NT SERVICE\\MSSQL$HR");

  const auto& rs1 = s.hosts[4];
  REQUIRE(rs1.ssrs.has_value());
  CHECK(rs1.ssrs->service_account == "NetworkService");
  CHECK(rs1.ssrs->authentication_types == std::vector<std::string>{"RSWindowsNegotiate", "RSWindowsNTLM"});
  CHECK(rs1.ssrs->hostname == "reports.corp.contoso.com");
  REQUIRE(rs1.ssrs->calls.size() == 1);
  CHECK(rs1.ssrs->calls[0].as == "caller");

  const auto& ws1 = s.hosts[5];
  REQUIRE(ws1.client.has_value());
  CHECK(ws1.client->user == "CORP\\alice");
  CHECK(ws1.client->browser == "chrome");
  CHECK(ws1.client->intranet_sites == std::vector<std::string>{"*.corp.contoso.com"});
  CHECK(ws1.client->auth_server_allowlist == std::vector<std::string>{"*.corp.contoso.com"});
  CHECK(ws1.client->delegate_allowlist == std::vector<std::string>{"reports.corp.contoso.com"});
  CHECK(ws1.client->disable_cname_lookup);
  CHECK(ws1.client->include_port);
  CHECK(ws1.client->firefox_trusted_uris == std::vector<std::string>{"corp.contoso.com"});
  CHECK(ws1.client->firefox_delegation_uris.empty());
  CHECK(ws1.client->try_ip_spn);
  const auto& ws2 = s.hosts[6];
  CHECK_FALSE(ws2.domain.has_value());
  CHECK(ws2.ip.empty());
  CHECK(ws2.client->user == "WS2\\kiosk");
  CHECK_FALSE(ws2.client->try_ip_spn);
  CHECK(s.hosts[7].domain == "partner.fabrikam.com");
  CHECK(s.hosts[7].iis->app_pools[0].identity == "PARTNER\\bob");
  CHECK(s.hosts[7].iis->sites[0].app_pool == "DefaultAppPool");

  REQUIRE(s.dns.size() == 3);
  CHECK(s.dns[0].name == "reports.corp.contoso.com");
  CHECK(s.dns[0].a == "10.0.0.100");
  CHECK(s.dns[1].cname == "reports.corp.contoso.com");
  CHECK(s.dns[1].at == "/dns/portal.corp.contoso.com");

  REQUIRE(s.load_balancers.size() == 1);
  CHECK(s.load_balancers[0].members == std::vector<std::string>{"web1", "rs1"});
  CHECK(s.load_balancers[0].algorithm == "source_ip_hash");
  CHECK(s.load_balancers[0].affinity == "cookie");
  CHECK(s.load_balancers[0].layer == 7);

  REQUIRE(s.flows.size() == 2);
  CHECK(s.flows[0].client == "ws1");
  CHECK(s.flows[0].url == "http://reports.corp.contoso.com/Reports");
  CHECK(s.flows[1].url == "mssql://sql1/SALES:1500");

  REQUIRE(s.workload.has_value());
  const auto& w = *s.workload;
  CHECK(w.duration == 8 * 3600);
  CHECK(w.seed == UINT64_MAX);
  CHECK(w.users == 500);
  CHECK(w.requests_per_user_per_hour == 12.5);
  CHECK(w.connection_reuse == 5);
  CHECK(w.kdc_capacity_per_s == 2000);
  CHECK(w.netlogon_max_concurrent_api == 10);
  REQUIRE(w.events.size() == 7);
  CHECK(w.events[0].at_time == 7200);
  CHECK(w.events[0].action == "add_spn");
  CHECK(w.events[0].fields.dump() == R"({"account": "CORP\\svc-web", "spn": "HTTP/portal.corp.contoso.com"})");
  CHECK(w.events[1].fields.dump() == R"({"clients": "all"})");
  CHECK(w.events[2].fields.dump() == R"({"host": "web1", "app_pool": "Other", "identity": "NetworkService"})");
  CHECK(w.events[3].fields.dump() == R"({"host": "web1", "offset": -600})");
  CHECK(w.events[4].fields.dump() == R"({"dc": "dc1"})");
  CHECK(w.events[5].fields.dump() == R"({"account": "CORP\\gmsa-web$", "allowed_to_act": ["CORP\\alice"]})");
  CHECK(w.events[6].at_time == 0);
  CHECK(w.events[6].fields.dump() == R"({"clients": ["ws1"]})");

  REQUIRE(s.expect.size() == 1);
  CHECK(s.expect[0].flow == "alice opens the sales report");
  CHECK(s.expect[0].via == "web1");
  CHECK(
      s.expect[0].outcome.dump() ==
      R"({"front": {"protocol": "kerberos", "error": "KRB_AP_ERR_MODIFIED", "ticket": {"etype": "aes256", "flags": ["forwardable"]}}, )"
      R"("hops": [{"to": "sql1", "delegation": "constrained", "hops": [{"result": "login_failed"}]}], "verdict": "failed"})");
}

TEST_CASE("a minimal scenario gets the documented product defaults") {
  const auto s = load_text(R"({
    "format": "kerbsim/1", "name": "minimal",
    "domains": [ { "dns": "corp.contoso.com" } ],
    "accounts": [ { "name": "alice" } ],
    "hosts": [ { "name": "web1", "iis": {}, "sql": {}, "ssrs": {} },
               { "name": "web7", "iis": { "version": "7.0", "app_pools": [ { "name": "A" } ], "sites": [ { "name": "S" } ] } },
               { "name": "sql2", "sql": { "instances": [ { "name": "Sales" } ] } },
               { "name": "ws1", "client": { "user": "ALICE" } } ],
    "workload": {} })",
                           "m.json");
  const kerbsim::spec::Settings defaults;
  CHECK(s.settings.max_clock_skew == 300);
  CHECK(s.settings.tgt_lifetime == 10 * 3600);
  CHECK(s.settings.service_ticket_lifetime == 600 * 60);
  CHECK(s.settings.default_enctypes == std::vector<std::string>{"aes256", "aes128"});
  CHECK(s.settings.duplicate_spn_error == 7);
  CHECK(s.settings.http_max_field_length == 16384);
  CHECK(s.domains[0].netbios == "CORP");
  CHECK(s.domains[0].forest == "corp.contoso.com");
  CHECK(s.domains[0].dcs.empty());
  CHECK(s.accounts[0].name == "CORP\\alice");
  CHECK(s.accounts[0].token_groups == 10);

  const auto& web1 = s.hosts[0];
  CHECK(web1.domain == "corp.contoso.com");
  REQUIRE(web1.iis->app_pools.size() == 1);
  CHECK(web1.iis->app_pools[0].name == "DefaultAppPool");
  CHECK(web1.iis->app_pools[0].identity == "ApplicationPoolIdentity");
  CHECK(web1.iis->sites.empty());
  REQUIRE(web1.sql->instances.size() == 1);
  CHECK(web1.sql->instances[0].name == "MSSQLSERVER");
  CHECK(web1.sql->instances[0].port == 1433);
  CHECK_FALSE(web1.sql->instances[0].dynamic_port);
  CHECK(web1.sql->instances[0].service_account == "NT SERVICE\\MSSQLSERVER");
  CHECK(web1.ssrs->service_account == "NT SERVICE\\SQLServerReportingServices");
  CHECK_FALSE(web1.ssrs->authentication_types.has_value());

  const auto& web7 = s.hosts[1];
  CHECK(web7.iis->app_pools[0].identity == "NetworkService");
  const auto& site = web7.iis->sites[0];
  CHECK(site.app_pool == "A");
  CHECK(site.bindings == std::vector<std::string>{"http://*:80"});
  CHECK(site.anonymous.enabled);
  CHECK(site.anonymous.user == "IUSR");
  CHECK_FALSE(site.windows.enabled);
  CHECK(site.windows.kernel_mode);
  CHECK_FALSE(site.basic);
  CHECK_FALSE(site.impersonate);

  const auto& named = s.hosts[2].sql->instances[0];
  CHECK(named.dynamic_port);
  CHECK(named.service_account == "NT SERVICE\\MSSQL$SALES");

  CHECK(s.hosts[3].client->user == "CORP\\alice");
  CHECK(s.hosts[3].client->browser == "edge");
  REQUIRE(s.workload.has_value());
  CHECK(s.workload->duration == 8 * 3600);
  CHECK(s.workload->seed == 1);
  CHECK(s.workload->users == 100);
}

TEST_CASE("a scenario of workgroup machines may declare no domain") {
  const auto s = load_text(R"({ "format": "kerbsim/1", "name": "workgroup",
    "hosts": [ { "name": "web1", "iis": {} }, { "name": "ws1", "client": { "user": "WS1\\kiosk" } } ] })",
                           "w.json");
  CHECK(s.domains.empty());
  CHECK_FALSE(s.hosts[0].domain.has_value());
  CHECK(s.hosts[1].client->user == "WS1\\kiosk");
}

TEST_CASE("a scenario with accounts but no domain is refused") {
  const auto d = problem(R"({ "format": "kerbsim/1", "name": "t",
  "accounts": [ { "name": "alice" } ] })");
  CHECK(d.line == 1);
  CHECK(d.column == 1);
  CHECK(d.message ==
        "a scenario needs at least one domain in \"domains\" (only a scenario of workgroup machines, with no "
        "accounts or trusts, may have none)");
}

TEST_CASE("a syntax error names the line and column of the unexpected token") {
  const auto d = problem("{\n  \"format\": \"kerbsim/1\"\n  \"name\": \"x\"\n}");
  CHECK(d.line == 3);
  CHECK(d.column == 3);
  CHECK(d.path == "");
  CHECK(d.message ==
        "syntax error while parsing object - unexpected string literal; expected '}'; is a comma missing before it?");
  CHECK(d.to_string() == "t.json:3:3: /: " + d.message);
}

TEST_CASE("a trailing comma is pointed out") {
  const auto d = problem("{ \"format\": \"kerbsim/1\",\n  \"name\": \"x\",\n}");
  CHECK(d.line == 3);
  CHECK(d.column == 1);
  CHECK(d.message ==
        "syntax error while parsing object key - unexpected '}'; expected string literal; JSON allows no comma "
        "after the last item");
}

TEST_CASE("a string left open points at its opening quote") {
  const auto d = problem("{ \"format\": \"kerbsim/1\",\n  \"name\": \"x\n}");
  CHECK(d.line == 2);
  CHECK(d.column == 11);
  CHECK(d.path == "/name");
  CHECK(d.message ==
        "syntax error while parsing value - this string runs past the end of its line; is its closing \" missing?");
}

TEST_CASE("a key given twice in one object names both lines") {
  const auto d = problem(with_hosts(R"({ "name": "web1",
    "name": "web2" })"));
  CHECK(d.line == 4);
  CHECK(d.column == 5);
  CHECK(d.path == "/hosts/0/name");
  CHECK(d.message == "the key \"name\" appears twice in this object (first at line 3); keep one");
}

TEST_CASE("JSON nested deeper than 64 levels is refused without recursing") {
  const std::string deep = "{ \"format\": " + std::string(100000, '[') + std::string(100000, ']') + " }";
  const auto d = problem(deep);
  CHECK(d.line == 1);
  CHECK(d.column == 13 + 63);
  CHECK(d.message == "the JSON is nested more than 64 levels deep; a scenario never needs that many");
}

TEST_CASE("an empty file is refused as a whole") {
  const auto d = problem("");
  CHECK(d.line == 0);
  CHECK(d.to_string() == "t.json: /: the file is empty; a scenario is a JSON object");
}

// The one problem of a text too large to print in a failure message.
Diagnostic big_problem(const std::string& json) {
  const auto found = problems(json);
  REQUIRE(found.size() == 1);
  return found.front();
}

TEST_CASE("a file with more than 32 MiB outside its accounts is refused with its size and the limit") {
  const std::string big(32u * 1024 * 1024 + 1, ' ');
  const std::string expected =
      "the text holds 33554433 bytes outside its \"accounts\" array; a scenario file may be "
      "at most 32 MiB (33554432 bytes) apart from its directory data";
  CHECK(big_problem(big).message == expected);
  // The same with a small "accounts" array: what lies outside it still counts.
  std::string padded = R"({ "format": "kerbsim/1", "name": "t", "accounts": [ { "name": "CORP\\a" } ],
                                  "description": ")";
  padded.append(32u * 1024 * 1024, 'x');
  padded += "\" }";
  CHECK(big_problem(padded).message.find(
            " bytes outside its \"accounts\" array; a scenario file may be at most 32 MiB") != std::string::npos);
  const auto path = std::filesystem::temp_directory_path() / "kerbsim-loader-test-big.json";
  {
    std::ofstream out(path, std::ios::binary);
    out << big;
  }
  try {
    load_file(path.string());
    FAIL("a 32 MiB + 1 file loaded");
  } catch (const ScenarioError& e) {
    REQUIRE(e.diagnostics().size() == 1);
    CHECK(e.diagnostics()[0].line == 0);
    CHECK(e.diagnostics()[0].message == expected);
  }
  std::filesystem::remove(path);
}

TEST_CASE("a file larger than 1024 MiB is refused with its size and the limits, unread") {
  const auto path = std::filesystem::temp_directory_path() / "kerbsim-loader-test-huge.json";
  { std::ofstream out(path, std::ios::binary); }
  std::filesystem::resize_file(path, 1024ull * 1024 * 1024 + 1);  // sparse: nothing is written
  try {
    load_file(path.string());
    FAIL("a 1 GiB + 1 file loaded");
  } catch (const ScenarioError& e) {
    REQUIRE(e.diagnostics().size() == 1);
    CHECK(e.diagnostics()[0].message ==
          "the file is 1073741825 bytes; a scenario file may be at most 1024 MiB (1073741824 bytes), and at most "
          "32 MiB outside its \"accounts\" array");
  }
  std::filesystem::remove(path);
}

// A scenario whose "accounts" array spans more than 32 MiB: the accounts stream as they are read.
std::string directory_data(const std::string& second_account) {
  std::string text = R"({ "format": "kerbsim/1", "name": "t", "domains": [ { "dns": "corp.contoso.com" } ],
  "accounts": [
    { "name": "CORP\\svc-web", "spns": ["HTTP/web.corp.contoso.com"] },)";
  text.append(33u * 1024 * 1024, ' ');
  text += "\n    " + second_account + "\n  ]\n}";
  return text;
}

TEST_CASE("directory data over 32 MiB loads, its accounts read in order as they stream") {
  const auto s = load_text(
      directory_data(R"({ "name": "CORP\\svc-sql", "spns": ["MSSQLSvc/sql.corp.contoso.com:1433"] })"), "big.json");
  REQUIRE(s.accounts.size() == 2);
  CHECK(s.accounts[0].name == "CORP\\svc-web");
  CHECK(s.accounts[0].at == "/accounts/0");
  CHECK(s.accounts[1].name == "CORP\\svc-sql");
  CHECK(s.accounts[1].delegation.spns == std::vector<std::string>{"MSSQLSvc/sql.corp.contoso.com:1433"});
}

TEST_CASE("every bundled scenario reads the same with its accounts streamed") {
  for (const auto& e : std::filesystem::directory_iterator(std::string(KERBSIM_SOURCE_DIR) + "/scenarios")) {
    if (e.path().extension() != ".json") continue;
    INFO(e.path().filename().string());
    std::ifstream in(e.path(), std::ios::binary);
    const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    const auto whole = load_text(text, "s.json");
    const auto streamed = load_text(text, "s.json", 0);
    REQUIRE(streamed.accounts.size() == whole.accounts.size());
    for (std::size_t i = 0; i < whole.accounts.size(); ++i) {
      CHECK(streamed.accounts[i].name == whole.accounts[i].name);
      CHECK(streamed.accounts[i].at == whole.accounts[i].at);
      CHECK(streamed.accounts[i].delegation.spns == whole.accounts[i].delegation.spns);
      CHECK(streamed.accounts[i].groups == whole.accounts[i].groups);
    }
    CHECK(streamed.hosts.size() == whole.hosts.size());
  }
}

// The same directory small, streamed as load_text is told to (as a file over 32 MiB is).
Diagnostic streamed_problem(const std::string& second_account) {
  const std::string text = R"({ "format": "kerbsim/1", "name": "t", "domains": [ { "dns": "corp.contoso.com" } ],
  "accounts": [
    { "name": "CORP\\svc-web", "spns": ["HTTP/web.corp.contoso.com"] },
    )" + second_account + "\n  ]\n}";
  try {
    load_text(text, "t.json", 0);
  } catch (const ScenarioError& e) {
    REQUIRE(e.diagnostics().size() == 1);
    return e.diagnostics().front();
  }
  FAIL("it loaded");
  return {};
}

TEST_CASE("a streamed account's mistakes point at the value, and cross-references at the account") {
  // Read while it streams: the unknown key's own line and column.
  const auto d = streamed_problem(R"({ "name": "CORP\\svc-sql", "spnz": [] })");
  CHECK(d.line == 4);
  CHECK(d.column == 32);
  CHECK(d.path == "/accounts/1/spnz");
  // Checked after the file is read, when the account's tree is gone: at the account.
  const auto dup = streamed_problem(R"({ "name": "corp\\SVC-WEB" })");
  CHECK(dup.line == 4);
  CHECK(dup.column == 5);
  CHECK(dup.path == "/accounts/1");
  CHECK(dup.message.find("a second account named") == 0);
  CHECK(dup.message.find("(the first is at line 3)") != std::string::npos);
}

TEST_CASE("a missing file is reported without a position") {
  try {
    load_file("/nonexistent/kerbsim/none.json");
    FAIL("a missing file loaded");
  } catch (const ScenarioError& e) {
    CHECK(std::string(e.what()) == "/nonexistent/kerbsim/none.json: /: cannot open the file: it does not exist");
  }
}

TEST_CASE("bytes that are not UTF-8 give a message, not a crash") {
  const auto d = problem("{ \"format\": \"kerbsim/1\", \"name\": \"caf\xE9\" }");
  CHECK(d.column == 38);
  CHECK(d.message ==
        "syntax error while parsing value - this string is not valid UTF-8 (byte 0xE9); save the file as UTF-8");
  CHECK(problem("\xFF\xFE{\0}").message == "the file is saved as UTF-16; save it as UTF-8");
}

TEST_CASE("a top level that is not an object is refused") {
  CHECK(problem("[1, 2]").message == "a scenario file holds one JSON object { ... }, not an array");
}

TEST_CASE("an unknown key suggests the allowed key it is closest to") {
  const auto d = problem(with_hosts(R"({ "name": "web1", "iis": { "sites": [ { "name": "S",
    "app_pol": "DefaultAppPool" } ] } })"));
  CHECK(d.line == 4);
  CHECK(d.column == 5);
  CHECK(d.path == "/hosts/0/iis/sites/0/app_pol");
  CHECK(d.message == "unknown key \"app_pol\" in a site; did you mean \"app_pool\"?");
}

TEST_CASE("an unknown key far from every allowed key lists the allowed keys") {
  const auto d = problem(R"({ "format": "kerbsim/1", "name": "t", "domains": [ { "dns": "corp.contoso.com",
    "colour": "blue" } ] })");
  CHECK(d.message ==
        "unknown key \"colour\" in a domain; the keys allowed here are: dns, netbios, forest, functional_level, dcs, "
        "kdc, kds_root_key, spn_uniqueness_check");
}

TEST_CASE("a value of the wrong type says what was expected") {
  const auto d = problem(with_hosts(R"({ "name": "sql1", "sql": { "instances": [ { "port": "1433" } ] } })"));
  CHECK(d.line == 3);
  CHECK(d.column == 66);
  CHECK(d.message == "\"port\" must be a whole number, not a string");
  CHECK(problem(with_hosts(R"({ "name": "sql1", "sql": { "instances": [ { "port": 70000 } ] } })")).message ==
        "\"port\" must be a whole number from 1 to 65535, not 70000");
  CHECK(problem(with_hosts(R"({ "name": "web1", "credential_guard": "yes" })")).message ==
        "\"credential_guard\" must be true or false, not a string");
}

TEST_CASE("an unknown choice suggests the closest allowed value") {
  const auto d = problem(with_hosts(R"({ "name": "ws1", "client": { "user": "CORP\\bob", "browser": "Edge" } }],
  "accounts": [{ "name": "bob" })"));
  CHECK(d.path == "/hosts/0/client/browser");
  CHECK(
      d.message ==
      "\"browser\" must be one of edge, chrome, ie, firefox, sqlclient, dotnet, not \"Edge\"; did you mean \"edge\"?");
}

TEST_CASE("a malformed duration is explained") {
  const auto d = problem(R"({ "format": "kerbsim/1", "name": "t", "domains": [ { "dns": "corp.contoso.com" } ],
  "settings": { "tgt_lifetime": "10 hours" } })");
  CHECK(d.line == 2);
  CHECK(d.column == 33);
  CHECK(d.message ==
        "\"tgt_lifetime\": \"10 hours\" is not a duration; write a number followed by d, h, m or s, such as \"90s\", "
        "\"5m\", \"10h\", \"7d\" or \"2h30m\"");
  CHECK(problem(R"({ "format": "kerbsim/1", "name": "t", "domains": [ { "dns": "corp.contoso.com" } ],
  "settings": { "max_clock_skew": "-5m" } })")
            .message == "\"max_clock_skew\": \"-5m\" cannot be negative");
}

TEST_CASE("addresses must be IPv4 dotted quads, unique among hosts and VIPs") {
  CHECK(problem(with_hosts(R"({ "name": "web1", "ip": "10.0.0.300" })")).message ==
        "\"10.0.0.300\" is not an IPv4 address (four numbers from 0 to 255 with dots, such as 10.0.0.11): 300 is more "
        "than 255");
  const auto d = problem(with_hosts(R"({ "name": "web1", "ip": "10.0.0.11" },
    { "name": "web2", "ip": "10.0.0.11" })"));
  CHECK(d.line == 4);
  CHECK(d.message == "host web2 has the IP address 10.0.0.11 of host web1 (line 3)");
}

TEST_CASE("a malformed SPN says what is wrong with it") {
  const auto d = problem(R"({ "format": "kerbsim/1", "name": "t", "domains": [ { "dns": "corp.contoso.com" } ],
  "accounts": [ { "name": "svc", "spns": [ "HTTP/web1:80", "HTTP/web1:eighty" ] } ] })");
  CHECK(d.path == "/accounts/0/spns/1");
  CHECK(d.column == 60);
  CHECK(d.message ==
        "in SPN \"HTTP/web1:eighty\", the port \"eighty\" is not a number (only MSSQLSvc SPNs carry an instance name "
        "after \":\")");
}

TEST_CASE("malformed URLs and bindings say what is wrong with them") {
  CHECK(
      problem(with_hosts(
                  R"({ "name": "web1", "iis": { "sites": [ { "name": "S", "bindings": [ "http://*:80/app" ] } ] } })"))
          .message ==
      "the binding \"http://*:80/app\" has a path; a binding is scheme://host:port, such as http://*:80 or "
      "https://reports.corp.contoso.com:443");
  CHECK(problem(with_hosts(R"({ "name": "ws1", "client": { "user": "WS1\\u" } } ],
  "flows": [ { "name": "f", "client": "ws1", "url": "http://web1:99999/" })"))
            .message == "in URL \"http://web1:99999/\", the port 99999 is not between 1 and 65535");
}

TEST_CASE("a site naming an app pool its host lacks lists the pools the host has") {
  const auto d = problem(with_hosts(R"({ "name": "web1", "iis": {
      "app_pools": [ { "name": "DefaultAppPool" }, { "name": "Reports" } ],
      "sites": [ { "name": "Reports", "app_pool": "Report" } ] } })"));
  CHECK(d.line == 5);
  CHECK(d.column == 51);
  CHECK(d.path == "/hosts/0/iis/sites/0/app_pool");
  CHECK(d.message ==
        "site \"Reports\" uses app pool \"Report\", but host web1 has no app pool of that name (it has: "
        "DefaultAppPool, Reports)");
}

TEST_CASE("a second thing of the same name points to the first") {
  const auto d = problem(with_hosts(R"({ "name": "web1" },
    { "name": "WEB1" })"));
  CHECK(d.line == 4);
  CHECK(d.column == 15);
  CHECK(d.message == "a second host named \"WEB1\" (the first is at line 3)");
}

TEST_CASE("an account reference must name a declared account") {
  const auto d = problem(
      with_hosts(R"({ "name": "web1", "iis": { "app_pools": [ { "name": "P", "identity": "CORP\\gmsa-web" } ] } } ],
  "accounts": [ { "name": "gmsa-web$", "type": "gmsa" })"));
  CHECK(d.path == "/hosts/0/iis/app_pools/0/identity");
  CHECK(d.message ==
        "app pool \"P\" runs as \"CORP\\gmsa-web\", but domain CORP has no account of that name; a gMSA is "
        "written with its trailing \"$\": \"CORP\\gmsa-web$\"");
}

TEST_CASE("a bare account name needs its domain when the scenario has several") {
  const auto d = problem(R"({ "format": "kerbsim/1", "name": "t",
  "domains": [ { "dns": "corp.contoso.com" }, { "dns": "fabrikam.com" } ],
  "accounts": [ { "name": "alice" } ] })");
  CHECK(
      d.message ==
      "account \"alice\" must name its domain, since the scenario has several: \"CORP\\alice\" or \"FABRIKAM\\alice\"");
}

TEST_CASE("a CNAME loop lists the chain") {
  const auto d = problem(R"({ "format": "kerbsim/1", "name": "t", "domains": [ { "dns": "corp.contoso.com" } ],
  "dns": { "a.corp.contoso.com": { "cname": "b.corp.contoso.com" },
           "b.corp.contoso.com": { "cname": "a.corp.contoso.com" } } })");
  CHECK(d.line == 2);
  CHECK(d.column == 45);
  CHECK(d.message == "CNAME loop: a.corp.contoso.com -> b.corp.contoso.com -> a.corp.contoso.com");
}

TEST_CASE("calls that lead back to where they started are reported as a loop") {
  const auto d =
      problem(with_hosts(R"({ "name": "sql1", "sql": { "instances": [ { "calls": [ { "to": "sql2" } ] } ] } },
    { "name": "sql2", "sql": { "instances": [ { "calls": [ { "to": "sql1" } ] } ] } })"));
  CHECK(d.line == 4);
  CHECK(d.message ==
        "these calls go round in a loop, so a request would never finish: sql1\\MSSQLSERVER -> "
        "sql2\\MSSQLSERVER -> sql1\\MSSQLSERVER");
}

TEST_CASE("a load balancer needs members that run IIS or SSRS") {
  const auto d = problem(with_hosts(R"({ "name": "web3" } ],
  "load_balancers": [ { "name": "lb1", "vip": "10.0.0.100", "members": [ "web3" ] })"));
  CHECK(d.path == "/load_balancers/0/members/0");
  CHECK(d.message == "load balancer lb1 lists web3, but web3 has no IIS or SSRS");
  CHECK(problem(with_hosts(R"({ "name": "web3" } ],
  "load_balancers": [ { "name": "lb1", "vip": "10.0.0.100", "members": [] })"))
            .message == "load balancer lb1 has no members; list at least one host");
}

TEST_CASE("an expected outcome is checked against the traced outcome's keys and values") {
  const auto found = problems(with_hosts(R"({ "name": "ws1", "client": { "user": "WS1\\u" } } ],
  "flows": [ { "name": "f", "client": "ws1", "url": "http://web1/" } ],
  "expect": [ { "flow": "f", "outcome": { "frnt": {}, "hops": [ { "hops": [ { "result": "denied" } ] } ] } })"));
  REQUIRE(found.size() == 2);
  CHECK(found[0].message == "unknown key \"frnt\" in an outcome; did you mean \"front\"?");
  CHECK(found[1].path == "/expect/0/outcome/hops/0/hops/0/result");
  CHECK(found[1].message == "\"result\" must be one of ok, login_failed, auth_failed, access_denied, not \"denied\"");
}

TEST_CASE("a workload event takes only the keys of its action") {
  const auto d = problem(with_hosts(R"({ "name": "web1" } ],
  "workload": { "events": [ { "at": "1h", "action": "node_down", "host": "web1", "account": "x" } ] },
  "flows": [ )"));
  CHECK(d.path == "/workload/events/0/account");
  CHECK(d.message ==
        "unknown key \"account\" in a workload event with \"action\": \"node_down\"; the keys allowed here are: at, "
        "action, host");
}

TEST_CASE("a host name longer than 15 characters cites the NetBIOS limit") {
  CHECK(problem(with_hosts(R"({ "name": "webserver-prod-01" })")).message ==
        "the host name \"webserver-prod-01\" has 17 characters; a Windows computer name has at most 15 (the NetBIOS "
        "name limit)");
}

TEST_CASE("every problem is reported, sorted by position") {
  try {
    load_text(R"({ "format": "kerbsim/1", "name": "Bad",
  "domains": [ { "dns": "corp.contoso.com", "dcs": [ "dc9" ] } ],
  "hosts": [ { "name": "web1", "ip": "10.0.0.1", "iis": { "sites": [ { "name": "S", "app_pool": "X" } ] } } ],
  "extra": 1 })",
              "s.json");
    FAIL("the scenario loaded");
  } catch (const ScenarioError& e) {
    CHECK(
        std::string(e.what()) ==
        "s.json:1:34: /name: \"name\" must be lowercase letters, digits and \"-\" only (like \"ssrs-farm\"), not "
        "\"Bad\"\n"
        "s.json:2:54: /domains/0/dcs/0: domain corp.contoso.com lists the DC dc9, but there is no host of that name "
        "(hosts: web1)\n"
        "s.json:3:97: /hosts/0/iis/sites/0/app_pool: site \"S\" uses app pool \"X\", but host web1 has no app pool of "
        "that name (it has: DefaultAppPool)\n"
        "s.json:4:3: /extra: unknown key \"extra\" at the top level; the keys allowed here are: format, name, title, "
        "description, settings, domains, trusts, accounts, hosts, dns, load_balancers, flows, workload, expect");
    CHECK(e.diagnostics().size() == 4);
  }
}

TEST_CASE("whatever bytes are given, loading ends in a scenario or a ScenarioError") {
  std::mt19937 random(20240601);
  const std::string base = kFull;
  for (int i = 0; i < 1500; ++i) {
    std::string text = base;
    const int edits = 1 + static_cast<int>(random() % 4);
    for (int e = 0; e < edits && !text.empty(); ++e) {
      const std::size_t at = random() % text.size();
      switch (random() % 4) {
        case 0:
          text[at] = static_cast<char>(random() % 256);
          break;
        case 1:
          text.erase(at, 1 + random() % 40);
          break;
        case 2:
          text.insert(at, std::string(1 + random() % 3, "{}[]\",:\\/*0a\xC3"[random() % 14]));
          break;
        default:
          text.resize(at);
          break;
      }
    }
    try {
      load_text(text, "fuzz.json");
    } catch (const ScenarioError& e) {
      CHECK_FALSE(e.diagnostics().empty());
    }
  }
}
