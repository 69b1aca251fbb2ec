// What answers a request on a host: the IIS site, SSRS or SQL Server instance, whose key decrypts, the
// process identity and the account it presents off the machine; and the farm's static call graph.
#include <catch2/catch.hpp>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "farm/service.h"
#include "support/corp.h"

using namespace kerbsim;
using farm::Host;
using farm::ServerKind;
using farm::Service;

namespace {

const std::string kWeb1 = "CORP\\WEB1$";

net::Url url(const std::string& text) {
  const auto u = net::parse_url(text);
  REQUIRE(u);
  return *u;
}

std::optional<Service> serve(const Host& host, const std::string& text) { return farm::serve(host, url(text)); }

// web1 running IIS: pool and site "Portal" as `identity`, kernel mode as given.
Host iis_node(const std::string& identity, bool kernel_mode, bool use_app_pool_credentials) {
  Host h = test::corp_iis_node("web1", "10.0.0.11", identity, use_app_pool_credentials);
  h.iis->sites[0].kernel_mode = kernel_mode;
  return h;
}

// The key the Portal site on web1 decrypts with.
std::string site_key(const std::string& identity, bool kernel_mode, bool use_app_pool_credentials) {
  const Host h = iis_node(identity, kernel_mode, use_app_pool_credentials);
  const auto s = serve(h, "http://portal.corp.contoso.com/");
  REQUIRE(s);
  CHECK(s->key.rule == "iis-rules 3.5");
  return s->key.account;
}

backend::SsrsServer ssrs_as(const std::string& identity) {
  backend::SsrsServer ssrs;
  ssrs.service_account = web::parse_identity(identity);
  ssrs.authentication_types = backend::SsrsServer::default_authentication_types(ssrs.service_account);
  return ssrs;
}

backend::SqlInstance sql_instance(const std::string& name, int port, const std::string& account) {
  backend::SqlInstance i;
  i.name = name;
  i.port = port;
  i.service_account = web::parse_identity(account);
  return i;
}

// sql1 with the default instance as its virtual account and the named instance SALES as CORP\svc-sql.
Host sql_node() {
  Host h = test::corp_member("sql1", "10.0.0.41");
  h.sql = backend::SqlServer{};
  h.sql->instances.push_back(sql_instance("MSSQLSERVER", 1433, "NT SERVICE\\MSSQLSERVER"));
  h.sql->instances.push_back(sql_instance("SALES", 49800, "CORP\\svc-sql"));
  return h;
}

const std::vector<std::string> kBuiltIn = {"ApplicationPoolIdentity", "NetworkService", "LocalService", "LocalSystem"};
const std::vector<std::string> kAccounts = {"CORP\\svc-portal", "CORP\\gmsa-portal$"};

}  // namespace

// ---- IIS sites: the decryption-key table (iis-rules 3.5) ----

TEST_CASE("kernel-mode authentication without useAppPoolCredentials decrypts with the computer account", "[farm]") {
  // iis-rules 3.3, 3.5: whatever the pool identity, http.sys uses the machine key.
  for (const auto& identity : kBuiltIn) {
    INFO(identity);
    CHECK(site_key(identity, true, false) == kWeb1);
  }
  for (const auto& identity : kAccounts) {
    INFO(identity);
    CHECK(site_key(identity, true, false) == kWeb1);
  }
}

TEST_CASE("kernel mode with useAppPoolCredentials decrypts with a domain account's or gMSA's own key", "[farm]") {
  // iis-rules 3.4, 3.5; kerberos-rules R7.4
  CHECK(site_key("CORP\\svc-portal", true, true) == "CORP\\svc-portal");
  CHECK(site_key("CORP\\gmsa-portal$", true, true) == "CORP\\gmsa-portal$");
}

TEST_CASE("with useAppPoolCredentials the built-in and virtual pool identities still give the computer key", "[farm]") {
  // iis-rules 3.5: "built-in/virtual give the computer key".
  for (const auto& identity : {"ApplicationPoolIdentity", "NetworkService", "LocalSystem"}) {
    INFO(identity);
    CHECK(site_key(identity, true, true) == kWeb1);
  }
}

TEST_CASE("user-mode authentication decrypts with the pool identity and ignores useAppPoolCredentials", "[farm]") {
  // iis-rules 3.5, last row: useKernelMode=false, useAppPoolCredentials ignored.
  for (const bool uapc : {false, true}) {
    INFO("useAppPoolCredentials " << uapc);
    CHECK(site_key("CORP\\svc-portal", false, uapc) == "CORP\\svc-portal");
    CHECK(site_key("CORP\\gmsa-portal$", false, uapc) == "CORP\\gmsa-portal$");
    CHECK(site_key("ApplicationPoolIdentity", false, uapc) == kWeb1);
    CHECK(site_key("NetworkService", false, uapc) == kWeb1);
  }
}

// ---- IIS sites: the process identity and the outbound account (iis-rules 2.1, 2.6, 6.1) ----

TEST_CASE("each pool identity runs under its local name", "[farm]") {
  const std::vector<std::pair<std::string, std::string>> names = {
      {"ApplicationPoolIdentity", "IIS APPPOOL\\Portal"}, {"NetworkService", "NT AUTHORITY\\NETWORK SERVICE"},
      {"LocalService", "NT AUTHORITY\\LOCAL SERVICE"},    {"LocalSystem", "NT AUTHORITY\\SYSTEM"},
      {"CORP\\svc-portal", "CORP\\svc-portal"},           {"CORP\\gmsa-portal$", "CORP\\gmsa-portal$"},
  };
  for (const auto& [identity, local] : names) {
    INFO(identity);
    const Host h = iis_node(identity, true, false);
    const auto s = serve(h, "http://web1/");
    REQUIRE(s);
    CHECK(s->process_name == local);
    CHECK(s->process.type == web::parse_identity(identity).type);
  }
}

TEST_CASE("built-in pool identities present the computer account off the machine, LocalService none", "[farm]") {
  // iis-rules 2.1: ApplicationPoolIdentity, NetworkService and LocalSystem are DOMAIN\HOST$ on the network;
  // LocalService is a null session.
  const std::vector<std::pair<std::string, std::string>> outbound = {
      {"ApplicationPoolIdentity", kWeb1},
      {"NetworkService", kWeb1},
      {"LocalSystem", kWeb1},
      {"LocalService", ""},
  };
  for (const auto& [identity, account] : outbound) {
    INFO(identity);
    const Host h = iis_node(identity, true, false);
    const auto s = serve(h, "http://web1/");
    REQUIRE(s);
    CHECK(s->outbound_account == account);
  }
}

TEST_CASE("a domain account or gMSA pool identity presents itself off the machine", "[farm]") {
  // iis-rules 2.1 (SpecificUser), 2.6: "A domain account appears as itself".
  for (const auto& identity : kAccounts) {
    INFO(identity);
    for (const bool uapc : {false, true}) {
      const Host h = iis_node(identity, true, uapc);
      const auto s = serve(h, "http://web1/");
      REQUIRE(s);
      CHECK(s->outbound_account == identity);
    }
  }
}

TEST_CASE("an IIS site's service names the site and carries its impersonation setting and calls", "[farm]") {
  Host h = iis_node("CORP\\svc-portal", true, true);
  auto s = serve(h, "http://web1/orders");
  REQUIRE(s);
  CHECK(s->kind == ServerKind::IisSite);
  CHECK(s->host == &h);
  CHECK(s->site == &h.iis->sites[0]);
  CHECK(s->ssrs == nullptr);
  CHECK(s->sql == nullptr);
  CHECK(s->label() == "IIS site Portal");
  CHECK_FALSE(s->impersonates);  // <identity impersonate> defaults to false (iis-rules 3.12)
  CHECK(s->impersonation_rule == "iis-rules 3.12");
  CHECK(s->calls.empty());

  h.iis->sites[0].impersonate = true;
  h.iis->sites[0].calls.push_back({"sql1", "SALES", "", "caller"});
  s = serve(h, "http://web1/orders");
  REQUIRE(s);
  CHECK(s->impersonates);
  REQUIRE(s->calls.size() == 1);
  CHECK(s->calls[0].to == "sql1");
  CHECK(s->calls[0].instance == "SALES");
}

TEST_CASE("the site bound to the request's host header answers before the wildcard site", "[farm]") {
  // iis-rules 3.14: the request reaches a site by its host header, and that site's pool decides the key.
  Host h = iis_node("ApplicationPoolIdentity", true, false);
  h.iis->app_pools.push_back({"Orders", web::parse_identity("CORP\\svc-orders")});
  web::Site orders = h.iis->sites[0];
  orders.name = "Orders";
  orders.app_pool = "Orders";
  orders.bindings = {{"http", "orders.corp.contoso.com", 80}};
  orders.use_app_pool_credentials = true;
  h.iis->sites.push_back(orders);

  const auto o = serve(h, "http://ORDERS.corp.contoso.com/");
  REQUIRE(o);
  CHECK(o->label() == "IIS site Orders");
  CHECK(o->key.account == "CORP\\svc-orders");
  CHECK(o->process_name == "CORP\\svc-orders");
  const auto p = serve(h, "http://web1.corp.contoso.com/");
  REQUIRE(p);
  CHECK(p->label() == "IIS site Portal");
  CHECK(p->key.account == kWeb1);
  CHECK(p->process_name == "IIS APPPOOL\\Portal");
}

TEST_CASE("nothing answers a URL whose scheme, port or host header no binding has", "[farm]") {
  Host h = iis_node("ApplicationPoolIdentity", true, false);  // http://*:80 only
  CHECK_FALSE(serve(h, "http://web1:8080/"));
  CHECK_FALSE(serve(h, "https://web1/"));
  h.iis->sites[0].bindings = {{"http", "portal.corp.contoso.com", 80}};
  CHECK_FALSE(serve(h, "http://web1.corp.contoso.com/"));
  CHECK(serve(h, "http://portal.corp.contoso.com/"));
}

TEST_CASE("an IIS 6 out-of-process application runs as the local IWAM account, which has no network identity",
          "[farm]") {
  // iis-rules 1.2, 1.3: in IIS 5.0 isolation mode out-of-process apps run in dllhost.exe as IWAM_<MACHINE>,
  // in-process ones in inetinfo.exe as LocalSystem; a local account is unknown to every other machine.
  Host h = iis_node("NetworkService", true, false);
  h.iis->version = "6.0";
  h.iis->iis5_isolation = true;
  h.iis->sites[0].app_isolation = "pooled";
  auto s = serve(h, "http://web1/");
  REQUIRE(s);
  CHECK(s->process.type == web::IdentityType::LocalAccount);
  CHECK(s->process_name == "WEB1\\IWAM_WEB1");
  CHECK(s->outbound_account.empty());
  CHECK(s->key.account == kWeb1);  // inetinfo.exe authenticates as LocalSystem (iis-rules 1.3)

  h.iis->sites[0].app_isolation = "in_process";
  s = serve(h, "http://web1/");
  REQUIRE(s);
  CHECK(s->process_name == "NT AUTHORITY\\SYSTEM");
  CHECK(s->outbound_account == kWeb1);
}

// ---- SSRS (iis-rules 7.1, 7.6, 7.7) ----

TEST_CASE("SSRS answers every path on a host without IIS", "[farm]") {
  Host rs1 = test::corp_member("rs1", "10.0.0.31");
  rs1.ssrs = ssrs_as("CORP\\svc-rs");
  for (const auto& path : {"/", "/Reports", "/ReportServer", "/anything/else"}) {
    INFO(path);
    const auto s = serve(rs1, std::string("http://rs1") + path);
    REQUIRE(s);
    CHECK(s->kind == ServerKind::Ssrs);
    CHECK(s->ssrs == &*rs1.ssrs);
    CHECK(s->site == nullptr);
    CHECK(s->label() == "SSRS");
  }
}

TEST_CASE("on a host with IIS, SSRS answers its own URL reservations and IIS every other path", "[farm]") {
  Host h = iis_node("ApplicationPoolIdentity", true, false);
  h.ssrs = ssrs_as("NetworkService");
  for (const auto& path : {"/ReportServer", "/reports", "/Reports/browse/Sales", "/ReportServer?/Sales"}) {
    INFO(path);
    const auto s = serve(h, std::string("http://web1") + path);
    REQUIRE(s);
    CHECK(s->kind == ServerKind::Ssrs);
  }
  for (const auto& path : {"/", "/ReportsArchive", "/orders"}) {
    INFO(path);
    const auto s = serve(h, std::string("http://web1") + path);
    REQUIRE(s);
    CHECK(s->kind == ServerKind::IisSite);
  }
}

TEST_CASE("SSRS decrypts in user mode with its service account's key", "[farm]") {
  // iis-rules 7.6: SSRS authenticates in user mode under its service account; built-in and virtual
  // accounts hold the computer key (iis-rules 2.1).
  const std::vector<std::pair<std::string, std::string>> keys = {
      {"CORP\\svc-rs", "CORP\\svc-rs"},
      {"CORP\\gmsa-rs$", "CORP\\gmsa-rs$"},
      {"NetworkService", "CORP\\RS1$"},
      {"NT SERVICE\\SQLServerReportingServices", "CORP\\RS1$"},
  };
  for (const auto& [identity, key] : keys) {
    INFO(identity);
    Host rs1 = test::corp_member("rs1", "10.0.0.31");
    rs1.ssrs = ssrs_as(identity);
    const auto s = serve(rs1, "http://rs1/Reports");
    REQUIRE(s);
    CHECK(s->key.account == key);
    CHECK(s->key.rule == "iis-rules 7.6");
    CHECK(s->outbound_account == key);  // the same account on the network (iis-rules 2.6)
  }
}

TEST_CASE("SSRS runs as its service account and passes the user's token to its data sources", "[farm]") {
  Host rs1 = test::corp_member("rs1", "10.0.0.31");
  rs1.ssrs = ssrs_as("NT SERVICE\\SQLServerReportingServices");
  rs1.ssrs->calls.push_back({"sql1", "", "", "caller"});
  const auto s = serve(rs1, "http://rs1/ReportServer");
  REQUIRE(s);
  CHECK(s->process.type == web::IdentityType::VirtualAccount);
  CHECK(s->process_name == "NT SERVICE\\SQLServerReportingServices");
  CHECK(s->impersonates);  // Windows integrated security passes the user's token (iis-rules 7.7)
  CHECK(s->impersonation_rule == "iis-rules 7.7");
  REQUIRE(s->calls.size() == 1);
  CHECK(s->calls[0].to == "sql1");
}

// ---- SQL Server (iis-rules 6.1, 6.9) ----

TEST_CASE("the default instance as its virtual account decrypts with, and presents, the computer account", "[farm]") {
  const Host sql1 = sql_node();
  const auto s = serve(sql1, "mssql://sql1.corp.contoso.com");
  REQUIRE(s);
  CHECK(s->kind == ServerKind::Sql);
  CHECK(s->sql == &sql1.sql->instances[0]);
  CHECK(s->label() == "SQL Server MSSQLSERVER");
  CHECK(s->process.type == web::IdentityType::VirtualAccount);
  CHECK(s->process_name == "NT SERVICE\\MSSQLSERVER");
  CHECK(s->key.account == "CORP\\SQL1$");  // iis-rules 6.1: a virtual account reaches the network as HOST$
  CHECK(s->key.rule == "iis-rules 6.1");
  CHECK(s->outbound_account == "CORP\\SQL1$");
  CHECK(s->impersonates);  // a self-mapped linked-server login (iis-rules 6.9)
  CHECK(s->impersonation_rule == "iis-rules 6.9");
}

TEST_CASE("a named instance with a domain service account decrypts with, and presents, that account", "[farm]") {
  const Host sql1 = sql_node();
  const auto s = serve(sql1, "mssql://sql1.corp.contoso.com/SALES");
  REQUIRE(s);
  CHECK(s->sql == &sql1.sql->instances[1]);
  CHECK(s->label() == "SQL Server SALES");
  CHECK(s->process_name == "CORP\\svc-sql");
  CHECK(s->key.account == "CORP\\svc-sql");
  CHECK(s->outbound_account == "CORP\\svc-sql");
}

TEST_CASE("serve_sql finds the instance by name, and the empty name is the default instance", "[farm]") {
  const Host sql1 = sql_node();
  const auto def = farm::serve_sql(sql1, "");
  REQUIRE(def);
  CHECK(def->sql->name == "MSSQLSERVER");
  const auto sales = farm::serve_sql(sql1, "sales");
  REQUIRE(sales);
  CHECK(sales->sql->name == "SALES");
  CHECK(sales->sql->port == 49800);
}

TEST_CASE("nothing answers an instance the host does not run, or SQL on a host without SQL Server", "[farm]") {
  const Host sql1 = sql_node();
  CHECK_FALSE(serve(sql1, "mssql://sql1.corp.contoso.com/HR"));
  CHECK_FALSE(farm::serve_sql(sql1, "HR"));
  CHECK_FALSE(serve(sql1, "http://sql1/"));  // no web server there

  Host web = iis_node("ApplicationPoolIdentity", true, false);
  web.ssrs = ssrs_as("NetworkService");
  CHECK_FALSE(serve(web, "mssql://web1.corp.contoso.com"));
  CHECK_FALSE(farm::serve_sql(web, ""));
}

TEST_CASE("an mssql URL reaches SQL Server on a host that also runs IIS and SSRS", "[farm]") {
  Host h = iis_node("ApplicationPoolIdentity", true, false);
  h.ssrs = ssrs_as("NetworkService");
  h.sql = sql_node().sql;
  const auto s = serve(h, "mssql://web1.corp.contoso.com");
  REQUIRE(s);
  CHECK(s->kind == ServerKind::Sql);
  CHECK(s->key.account == kWeb1);
  const auto web = serve(h, "http://web1/");
  REQUIRE(web);
  CHECK(web->kind == ServerKind::IisSite);
}

TEST_CASE("services_of lists each site, SSRS and each SQL Server instance a host runs, in order", "[farm]") {
  Host h = iis_node("ApplicationPoolIdentity", true, false);
  web::Site orders = h.iis->sites[0];
  orders.name = "Orders";
  orders.bindings = {{"http", "orders.corp.contoso.com", 80}};
  h.iis->sites.push_back(orders);
  h.ssrs = ssrs_as("NetworkService");
  h.sql = sql_node().sql;
  std::vector<std::string> labels;
  for (const auto& s : farm::services_of(h)) labels.push_back(s.label());
  CHECK(labels == std::vector<std::string>{"IIS site Portal", "IIS site Orders", "SSRS", "SQL Server MSSQLSERVER",
                                           "SQL Server SALES"});
}

TEST_CASE("services_of leaves out a site that another site's binding shadows", "[farm]") {
  // Two sites on the same binding: a request reaches the first (iis-rules 3.14), so the second never answers.
  Host h = iis_node("ApplicationPoolIdentity", true, false);
  web::Site shadow = h.iis->sites[0];
  shadow.name = "Shadow";
  h.iis->sites.push_back(shadow);
  const auto services = farm::services_of(h);
  REQUIRE(services.size() == 1);
  CHECK(services[0].label() == "IIS site Portal");
  CHECK(farm::services_of(test::corp_member("app1", "10.0.0.51")).empty());
}

// ---- outbound_account ----

TEST_CASE("a workgroup host's built-in identities present no domain account", "[farm]") {
  // iis-rules 2.5: without a computer account there is no DOMAIN\HOST$ to present, and no Kerberos key.
  Host wg = test::corp_iis_node("wg1", "10.0.9.1", "NetworkService");
  wg.domain = "";
  wg.fqdn = "wg1";
  wg.computer_account = "";
  for (const auto& identity : {"ApplicationPoolIdentity", "NetworkService", "LocalSystem", "LocalService"}) {
    INFO(identity);
    CHECK(farm::outbound_account(wg, web::parse_identity(identity)).empty());
  }
  const auto s = serve(wg, "http://wg1/");
  REQUIRE(s);
  CHECK(s->key.account.empty());
  CHECK(s->outbound_account.empty());
}

TEST_CASE("a local account is unknown off its machine; a domain account is itself on any member", "[farm]") {
  const Host web1 = test::corp_member("web1", "10.0.0.11");
  CHECK(farm::outbound_account(web1, {web::IdentityType::LocalAccount, "WEB1\\IWAM_WEB1"}).empty());
  CHECK(farm::outbound_account(web1, {web::IdentityType::LocalService, ""}).empty());
  CHECK(farm::outbound_account(web1, {web::IdentityType::VirtualAccount, "NT SERVICE\\MSSQLSERVER"}) == kWeb1);
  CHECK(farm::outbound_account(web1, web::parse_identity("CORP\\svc-portal")) == "CORP\\svc-portal");
}

// ---- call_graph ----

namespace {

// portal.corp.contoso.com -> lb1 -> web1, web2 (site Portal, calling `web_calls`); api.corp.contoso.com ->
// lb2 -> app1, app2 (site Api calling sql1); sql1 runs the default instance and SALES.
farm::Environment two_tier(const std::vector<base::Call>& web_calls) {
  farm::Environment env;
  env.directory.add_domain({"corp.contoso.com", "CORP", "corp.contoso.com", "2016", {"dc1"}});
  for (const auto& [name, ip] : std::vector<std::pair<std::string, std::string>>{
           {"web1", "10.0.0.11"}, {"web2", "10.0.0.12"}, {"app1", "10.0.0.21"}, {"app2", "10.0.0.22"}}) {
    Host h = test::corp_iis_node(name, ip, "CORP\\svc-portal", true, name.rfind("web", 0) == 0 ? "Portal" : "Api");
    h.iis->sites[0].impersonate = true;
    h.iis->sites[0].calls = name.rfind("web", 0) == 0 ? web_calls : std::vector<base::Call>{{"sql1", "", "", "caller"}};
    env.hosts.push_back(h);
  }
  env.hosts.push_back(sql_node());
  for (const auto& h : env.hosts) env.dns.add_a(h.fqdn, h.ip);
  env.dns.add_a("portal.corp.contoso.com", "10.0.0.100");
  env.dns.add_a("api.corp.contoso.com", "10.0.0.200");
  env.load_balancers.push_back({"lb1", "10.0.0.100", {"web1", "web2"}});
  env.load_balancers.push_back({"lb2", "10.0.0.200", {"app1", "app2"}});
  return env;
}

Service front(const farm::Environment& env, const std::string& host) {
  const Host* h = env.host(host);
  REQUIRE(h);
  auto s = farm::serve(*h, url("http://" + h->fqdn + "/"));
  REQUIRE(s);
  return *s;
}

// The edges as "from->to", in the order call_graph lists them.
std::vector<std::string> edges(const farm::Environment& env, const Service& service, int max_depth) {
  std::vector<std::string> out;
  for (const auto& e : farm::call_graph(env, service, max_depth)) {
    REQUIRE(e.from);
    REQUIRE(e.to);
    out.push_back(e.from->name + "->" + e.to->name);
  }
  return out;
}

using Edges = std::vector<std::string>;

}  // namespace

TEST_CASE("the call graph of a two-tier farm has one edge from the web node to SQL Server", "[farm]") {
  const auto env = two_tier({{"sql1", "", "", "caller"}});
  CHECK(edges(env, front(env, "web1"), 8) == Edges{"web1->sql1"});
  CHECK(edges(env, front(env, "web2"), 8) == Edges{"web2->sql1"});
  const Host* sql1 = env.host("sql1");
  REQUIRE(sql1);
  const auto db = farm::serve_sql(*sql1, "");
  REQUIRE(db);
  CHECK(farm::call_graph(env, *db, 8).empty());  // the database calls nothing
}

TEST_CASE("the call graph lists an edge once however many calls take it", "[farm]") {
  const auto env = two_tier(
      {{"sql1", "", "", "caller"}, {"sql1", "SALES", "", "caller"}, {"sql1.corp.contoso.com", "", "", "self"}});
  CHECK(edges(env, front(env, "web1"), 8) == Edges{"web1->sql1"});
}

TEST_CASE("the call graph follows a call through a balancer to its first member and on to the next tier", "[farm]") {
  // iis-rules 5.1: the calling tier keeps one connection, so the balancer is followed to one member.
  const auto env = two_tier({{"", "", "http://api.corp.contoso.com/orders", "caller"}, {"sql1", "", "", "caller"}});
  CHECK(edges(env, front(env, "web1"), 8) == Edges{"web1->app1", "app1->sql1", "web1->sql1"});
}

TEST_CASE("the call graph stops at the depth limit", "[farm]") {
  const auto env = two_tier({{"", "", "http://api.corp.contoso.com/orders", "caller"}});
  const Service web1 = front(env, "web1");
  CHECK(edges(env, web1, 2) == Edges{"web1->app1", "app1->sql1"});
  CHECK(edges(env, web1, 1) == Edges{"web1->app1"});
  CHECK(edges(env, web1, 0).empty());
}

TEST_CASE("the call graph of linked servers that call each other ends, each edge once", "[farm]") {
  auto env = two_tier({{"sql1", "", "", "caller"}});
  Host sql2 = test::corp_member("sql2", "10.0.0.42");
  sql2.sql = backend::SqlServer{};
  sql2.sql->instances.push_back(sql_instance("MSSQLSERVER", 1433, "NT SERVICE\\MSSQLSERVER"));
  sql2.sql->instances[0].calls.push_back({"sql1", "", "", "caller"});
  env.hosts.push_back(sql2);
  env.hosts[4].sql->instances[0].calls.push_back({"sql2", "", "", "caller"});
  REQUIRE(env.hosts[4].name == "sql1");
  CHECK(edges(env, front(env, "web1"), 8) == Edges{"web1->sql1", "sql1->sql2", "sql2->sql1"});
}

TEST_CASE("a call to a name no host answers for adds no edge", "[farm]") {
  const auto env = two_tier({{"sql9", "", "", "caller"}, {"", "", "http://nowhere.corp.contoso.com/", "caller"}});
  CHECK(edges(env, front(env, "web1"), 8).empty());
}
