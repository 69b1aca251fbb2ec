// Building the model from scenario text: computer accounts, generated addresses, enctypes, SQL Server's
// SPN self-registration, named-instance ports, SSRS defaults and IIS bindings (kerberos-rules R1.5,
// R1.11, R2.4; iis-rules 3.14, 6.3, 6.4, 7.3).
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdint>

#include "scenario/builder.h"
#include "scenario/loader.h"
#include "support/corp.h"

using namespace kerbsim;

namespace {

farm::Environment built(const std::string& json) { return scenario::build(scenario::load_text(json, "t.json")); }

// One domain, CORP, with the hosts and accounts given.
std::string scenario_with(const std::string& hosts, const std::string& accounts = "") {
  return R"({ "format": "kerbsim/1", "name": "t",
  "domains": [ { "dns": "corp.contoso.com", "netbios": "CORP", "dcs": ["dc1"] } ],
  "accounts": [ )" +
         accounts + R"( ],
  "hosts": [ { "name": "dc1", "ip": "10.0.0.1" }, )" +
         hosts + " ] }";
}

const directory::Account& account(const farm::Environment& env, const std::string& name) {
  const auto id = env.directory.find_account(name);
  INFO(name);
  REQUIRE(id.has_value());
  return env.directory.account(*id);
}

bool holds(const directory::Account& a, const std::string& spn) {
  return std::any_of(a.spns.begin(), a.spns.end(), [&](const std::string& s) { return s == spn; });
}

const backend::SqlInstance& instance(const farm::Environment& env, const std::string& host, const std::string& name) {
  const farm::Host* h = env.host(host);
  REQUIRE(h);
  REQUIRE(h->sql.has_value());
  const backend::SqlInstance* i = h->sql->instance(name);
  REQUIRE(i);
  return *i;
}

constexpr std::uint32_t kComputerEnctypes = kerberos::kAes256Bit | kerberos::kAes128Bit | kerberos::kRc4Bit;

}  // namespace

TEST_CASE("a domain-joined host gets a computer account with HOST/<name> and HOST/<fqdn>", "[builder]") {
  const auto env = built(scenario_with(R"({ "name": "web1", "ip": "10.0.0.11" })"));
  const farm::Host* web1 = env.host("web1");
  REQUIRE(web1);
  CHECK(web1->domain == "corp.contoso.com");
  CHECK(web1->fqdn == "web1.corp.contoso.com");
  CHECK(web1->computer_account == "CORP\\WEB1$");
  const auto& computer = account(env, "CORP\\WEB1$");
  CHECK(computer.kind == directory::AccountKind::Computer);
  CHECK(computer.sam == "WEB1$");
  CHECK(computer.domain == "corp.contoso.com");
  // kerberos-rules R1.5
  CHECK(computer.spns == std::vector<std::string>{"HOST/web1", "HOST/web1.corp.contoso.com"});
  // The host's own A record.
  const auto dns = env.dns.resolve("web1.corp.contoso.com", "");
  CHECK(dns.found);
  CHECK(dns.ip == "10.0.0.11");
}

TEST_CASE("a host's account settings land on its computer account", "[builder]") {
  const auto env = built(scenario_with(
      R"({ "name": "web1", "account": { "spns": ["HTTP/reports.corp.contoso.com"], "trusted_for_delegation": true } })"));
  const auto& computer = account(env, "CORP\\WEB1$");
  CHECK(computer.spns ==
        std::vector<std::string>{"HOST/web1", "HOST/web1.corp.contoso.com", "HTTP/reports.corp.contoso.com"});
  CHECK(computer.trusted_for_delegation);
}

TEST_CASE("a workgroup host has no computer account and its name alone as FQDN", "[builder]") {
  const auto env = built(scenario_with(R"({ "name": "kiosk", "domain": null, "ip": "10.0.5.5" })"));
  const farm::Host* kiosk = env.host("kiosk");
  REQUIRE(kiosk);
  CHECK_FALSE(kiosk->domain_joined());
  CHECK(kiosk->fqdn == "kiosk");
  CHECK(kiosk->computer_account.empty());
  CHECK_FALSE(env.directory.find_account("CORP\\KIOSK$").has_value());
}

TEST_CASE("generated addresses start at 10.0.0.11 and skip those hosts, balancers and DNS records use", "[builder]") {
  const auto env = built(R"({ "format": "kerbsim/1", "name": "t",
    "domains": [ { "dns": "corp.contoso.com" } ],
    "hosts": [ { "name": "a", "ip": "10.0.0.11" }, { "name": "b", "iis": {} }, { "name": "c", "iis": {} },
               { "name": "d" },
               { "name": "e", "ip": "10.0.0.15" }, { "name": "f" } ],
    "dns": { "portal.corp.contoso.com": { "a": "10.0.0.13" } },
    "load_balancers": [ { "name": "lb1", "vip": "10.0.0.12", "members": ["b", "c"] } ] })");
  CHECK(env.host("a")->ip == "10.0.0.11");
  CHECK(env.host("b")->ip == "10.0.0.14");
  CHECK(env.host("c")->ip == "10.0.0.16");
  CHECK(env.host("d")->ip == "10.0.0.17");
  CHECK(env.host("e")->ip == "10.0.0.15");
  CHECK(env.host("f")->ip == "10.0.0.18");
}

TEST_CASE("computer accounts and gMSAs get AES and RC4 enctypes; users keep the domain default", "[builder]") {
  const auto env = built(scenario_with(R"({ "name": "web1" })", R"({ "name": "CORP\\gmsa-web$", "type": "gmsa" },
         { "name": "CORP\\svc-web" }, { "name": "CORP\\svc-aes", "enctypes": ["aes256"] })"));
  // kerberos-rules R2.4: computers keep msDS-SupportedEncryptionTypes in sync with local policy.
  CHECK(account(env, "CORP\\WEB1$").supported_enctypes == std::optional<std::uint32_t>(kComputerEnctypes));
  const auto& gmsa = account(env, "CORP\\gmsa-web$");
  CHECK(gmsa.kind == directory::AccountKind::Gmsa);
  CHECK(gmsa.supported_enctypes == std::optional<std::uint32_t>(kComputerEnctypes));
  // kerberos-rules R2.5: a user without the attribute uses DefaultDomainSupportedEncTypes.
  CHECK_FALSE(account(env, "CORP\\svc-web").supported_enctypes.has_value());
  CHECK(account(env, "CORP\\svc-aes").supported_enctypes == std::optional<std::uint32_t>(kerberos::kAes256Bit));
}

TEST_CASE("SQL Server on its default virtual account registers its SPNs on the computer account", "[builder]") {
  const auto env = built(scenario_with(R"({ "name": "sql1", "sql": { "instances": [ {} ] } })"));
  const auto& computer = account(env, "CORP\\SQL1$");
  // iis-rules 6.3, kerberos-rules R1.11
  CHECK(holds(computer, "MSSQLSvc/sql1.corp.contoso.com:1433"));
  CHECK(holds(computer, "MSSQLSvc/sql1.corp.contoso.com"));
  const auto& inst = instance(env, "sql1", "MSSQLSERVER");
  CHECK(inst.service_account.type == web::IdentityType::VirtualAccount);
  CHECK(inst.spn_registration.find("successfully registered") != std::string::npos);
  CHECK(inst.spn_registration.find("on CORP\\SQL1$") != std::string::npos);
  const auto found =
      env.directory.lookup_spn(kerbsim::test::spn("MSSQLSvc/sql1.corp.contoso.com:1433"), "corp.contoso.com");
  CHECK(found.status == directory::SpnLookup::Status::Found);
}

TEST_CASE("SQL Server running as a gMSA registers its SPNs on the gMSA", "[builder]") {
  const auto env =
      built(scenario_with(R"({ "name": "sql1", "sql": { "instances": [ { "service_account": "CORP\\gmsa-sql$" } ] } })",
                          R"({ "name": "CORP\\gmsa-sql$", "type": "gmsa" })"));
  // iis-rules 6.3
  CHECK(holds(account(env, "CORP\\gmsa-sql$"), "MSSQLSvc/sql1.corp.contoso.com:1433"));
  CHECK(holds(account(env, "CORP\\gmsa-sql$"), "MSSQLSvc/sql1.corp.contoso.com"));
  CHECK_FALSE(holds(account(env, "CORP\\SQL1$"), "MSSQLSvc/sql1.corp.contoso.com:1433"));
  CHECK(instance(env, "sql1", "MSSQLSERVER").spn_registration.find("on CORP\\gmsa-sql$") != std::string::npos);
}

TEST_CASE("SQL Server running as a plain domain user registers nothing and logs error 26037", "[builder]") {
  const auto env =
      built(scenario_with(R"({ "name": "sql1", "sql": { "instances": [ { "service_account": "CORP\\svc-sql" } ] } })",
                          R"({ "name": "CORP\\svc-sql" })"));
  // iis-rules 6.3
  CHECK(account(env, "CORP\\svc-sql").spns.empty());
  CHECK_FALSE(holds(account(env, "CORP\\SQL1$"), "MSSQLSvc/sql1.corp.contoso.com:1433"));
  const std::string& note = instance(env, "sql1", "MSSQLSERVER").spn_registration;
  CHECK(note.find("error 26037") != std::string::npos);
  CHECK(note.find("MSSQLSvc/sql1.corp.contoso.com:1433") != std::string::npos);
  CHECK(note.find("0x2098") != std::string::npos);
  const auto found =
      env.directory.lookup_spn(kerbsim::test::spn("MSSQLSvc/sql1.corp.contoso.com:1433"), "corp.contoso.com");
  CHECK(found.status == directory::SpnLookup::Status::NotFound);
}

TEST_CASE("SQL Server does not register an SPN another account already holds", "[builder]") {
  const auto env =
      built(scenario_with(R"({ "name": "sql1", "sql": { "instances": [ {} ] } })",
                          R"({ "name": "CORP\\svc-sql", "spns": ["MSSQLSvc/sql1.corp.contoso.com:1433"] })"));
  // kerberos-rules R1.7: the DC refuses to create a duplicate; the other SPN is still registered.
  CHECK_FALSE(holds(account(env, "CORP\\SQL1$"), "MSSQLSvc/sql1.corp.contoso.com:1433"));
  CHECK(holds(account(env, "CORP\\SQL1$"), "MSSQLSvc/sql1.corp.contoso.com"));
  CHECK(env.directory.duplicate_spns().empty());
  const auto found =
      env.directory.lookup_spn(kerbsim::test::spn("MSSQLSvc/sql1.corp.contoso.com:1433"), "corp.contoso.com");
  REQUIRE(found.status == directory::SpnLookup::Status::Found);
  CHECK(env.directory.account(found.owners.front()).name == "CORP\\svc-sql");
}

TEST_CASE("when every SPN is held elsewhere the startup note says so", "[builder]") {
  const auto env = built(scenario_with(
      R"({ "name": "sql1", "sql": { "instances": [ {} ] } })",
      R"({ "name": "CORP\\svc-sql", "spns": ["MSSQLSvc/sql1.corp.contoso.com:1433", "MSSQLSvc/sql1.corp.contoso.com"] })"));
  CHECK(instance(env, "sql1", "MSSQLSERVER").spn_registration ==
        "SQL Server startup: its SPNs are already registered on another account");
}

TEST_CASE("a named instance on a dynamic port gets the port it picked, and SPNs for it", "[builder]") {
  const auto env = built(scenario_with(
      R"({ "name": "sql1", "sql": { "instances": [ {}, { "name": "SALES" }, { "name": "HR", "port": 1500 } ] } })"));
  const auto& sales = instance(env, "sql1", "SALES");
  // iis-rules 6.4: a named instance uses a dynamic port by default.
  CHECK(sales.dynamic_port);
  CHECK(sales.port != 1433);
  CHECK(sales.port == 49801);
  CHECK(sales.service_account.account == "NT SERVICE\\MSSQL$SALES");
  CHECK(holds(account(env, "CORP\\SQL1$"), "MSSQLSvc/sql1.corp.contoso.com:49801"));
  CHECK(holds(account(env, "CORP\\SQL1$"), "MSSQLSvc/sql1.corp.contoso.com:SALES"));
  const auto& hr = instance(env, "sql1", "HR");
  CHECK_FALSE(hr.dynamic_port);
  CHECK(hr.port == 1500);
  CHECK(instance(env, "sql1", "MSSQLSERVER").port == 1433);
}

TEST_CASE("SSRS without AuthenticationTypes gets setup's default for its service account", "[builder]") {
  using backend::SsrsAuthType;
  const auto env = built(scenario_with(R"({ "name": "rs1", "ssrs": { "service_account": "NetworkService" } },
      { "name": "rs2", "ssrs": { "service_account": "CORP\\svc-rs" } },
      { "name": "rs3", "ssrs": { "service_account": "NetworkService", "authentication_types": ["RSWindowsKerberos"] } },
      { "name": "rs4", "ssrs": {} })",
                                       R"({ "name": "CORP\\svc-rs" })"));
  // iis-rules 7.3
  const auto& rs1 = *env.host("rs1")->ssrs;
  CHECK(rs1.authentication_types ==
        std::vector<SsrsAuthType>{SsrsAuthType::RSWindowsNegotiate, SsrsAuthType::RSWindowsNTLM});
  CHECK(rs1.authentication_types_defaulted);
  CHECK(rs1.hostname == "rs1.corp.contoso.com");
  const auto& rs2 = *env.host("rs2")->ssrs;
  CHECK(rs2.authentication_types == std::vector<SsrsAuthType>{SsrsAuthType::RSWindowsNTLM});
  CHECK(rs2.authentication_types_defaulted);
  const auto& rs3 = *env.host("rs3")->ssrs;
  CHECK(rs3.authentication_types == std::vector<SsrsAuthType>{SsrsAuthType::RSWindowsKerberos});
  CHECK_FALSE(rs3.authentication_types_defaulted);
  // The default service account is the virtual account, treated like NetworkService (UNCONFIRMED, 7.3).
  const auto& rs4 = *env.host("rs4")->ssrs;
  CHECK(rs4.service_account.type == web::IdentityType::VirtualAccount);
  CHECK(rs4.authentication_types ==
        std::vector<SsrsAuthType>{SsrsAuthType::RSWindowsNegotiate, SsrsAuthType::RSWindowsNTLM});
}

TEST_CASE("IIS bindings are parsed into scheme, host and port; an IP binding acts like *", "[builder]") {
  const auto env = built(scenario_with(R"({ "name": "web1", "ip": "10.0.0.11", "iis": { "sites": [
      { "name": "A", "bindings": ["http://*:8080"] },
      { "name": "B", "bindings": ["https://reports.corp.contoso.com:443", "http://reports.corp.contoso.com"] },
      { "name": "C", "bindings": ["http://10.0.0.11:81"] } ] } })"));
  const auto& iis = *env.host("web1")->iis;
  REQUIRE(iis.sites.size() == 3);
  const auto& a = iis.sites[0].bindings.at(0);
  CHECK(a.scheme == "http");
  CHECK(a.host == "*");
  CHECK(a.port == 8080);
  const auto& b = iis.sites[1].bindings;
  REQUIRE(b.size() == 2);
  CHECK(b[0].scheme == "https");
  CHECK(b[0].host == "reports.corp.contoso.com");
  CHECK(b[0].port == 443);
  CHECK(b[1].scheme == "http");
  CHECK(b[1].port == 80);
  const auto& c = iis.sites[2].bindings.at(0);
  CHECK(c.host == "*");
  CHECK(c.port == 81);
  // iis-rules 3.14: the site is chosen by binding; an IP binding answers any name sent to it.
  REQUIRE(iis.site_for("http", "anything.corp.contoso.com", 81));
  CHECK(iis.site_for("http", "anything.corp.contoso.com", 81)->name == "C");
  REQUIRE(iis.site_for("https", "reports.corp.contoso.com", 443));
  CHECK(iis.site_for("https", "reports.corp.contoso.com", 443)->name == "B");
  CHECK(iis.site_for("http", "web1", 8080)->name == "A");
}

TEST_CASE("app pools and site settings are carried over from the scenario", "[builder]") {
  const auto env = built(scenario_with(R"({ "name": "web1", "iis": {
      "app_pools": [ { "name": "Reports", "identity": "CORP\\svc-web" } ],
      "sites": [ { "name": "Reports", "app_pool": "Reports", "anonymous": { "enabled": false },
                   "windows": { "enabled": true, "providers": ["Negotiate:Kerberos"], "use_app_pool_credentials": true },
                   "impersonate": true, "calls": [ { "to": "sql1", "as": "process" } ] } ] } },
      { "name": "sql1", "sql": { "instances": [ {} ] } })",
                                       R"({ "name": "CORP\\svc-web" })"));
  const auto& iis = *env.host("web1")->iis;
  REQUIRE(iis.pool("Reports"));
  CHECK(iis.pool("Reports")->identity.type == web::IdentityType::DomainAccount);
  CHECK(iis.pool("Reports")->identity.account == "CORP\\svc-web");
  const auto& site = iis.sites.at(0);
  CHECK_FALSE(site.anonymous_enabled);
  CHECK(site.windows_enabled);
  CHECK(site.providers == std::vector<web::Provider>{web::Provider::NegotiateKerberos});
  CHECK(site.use_app_pool_credentials);
  CHECK(site.impersonate);
  REQUIRE(site.calls.size() == 1);
  CHECK(site.calls[0].to == "sql1");
  CHECK(site.calls[0].as == "process");
}

TEST_CASE("a domain's kds_root_key and spn_uniqueness_check reach the directory's write-time rules", "[builder]") {
  const auto plain = built(scenario_with(R"({ "name": "web1", "ip": "10.0.0.11" })"));
  CHECK_FALSE(plain.directory.domain_by_dns("corp.contoso.com")->kds_root_key);
  CHECK(plain.directory.domain_by_dns("corp.contoso.com")->spn_uniqueness_check);
  const auto set = built(R"({ "format": "kerbsim/1", "name": "t",
    "domains": [ { "dns": "corp.contoso.com", "dcs": ["dc1"], "kds_root_key": true, "spn_uniqueness_check": false } ],
    "hosts": [ { "name": "dc1", "ip": "10.0.0.1" } ] })");
  CHECK(set.directory.domain_by_dns("corp.contoso.com")->kds_root_key);
  CHECK_FALSE(set.directory.domain_by_dns("corp.contoso.com")->spn_uniqueness_check);
}
