// Static findings about a design, without tracing: duplicate and missing SPNs, SPNs a farm's nodes
// cannot all decrypt, and settings that are risky in themselves (kerberos-rules R1.6, R1.7, R3.1.2;
// iis-rules 2.1, 3.5, 3.10).
#include <catch2/catch.hpp>

#include <algorithm>

#include "analysis/lint.h"
#include "support/corp.h"

using namespace kerbsim;
using farm::Environment;
using farm::Host;

namespace {

constexpr const char* kFarmSpn = "HTTP/reports.corp.contoso.com";

using test::corp_client;
using test::corp_member;
using test::corp_user;

directory::Account account(const std::string& sam, std::vector<std::string> spns = {}) {
  return corp_user(sam, std::move(spns));
}

directory::Account computer(const std::string& name, const std::vector<std::string>& extra_spns = {}) {
  return test::corp_computer(name, extra_spns);
}

// A web node with one IIS site on *:80 in pool "Reports", Windows authentication only.
Host web_node(const std::string& name, const std::string& ip, const std::string& pool_identity,
              bool use_app_pool_credentials) {
  Host h = corp_member(name, ip);
  web::IisServer iis;
  iis.app_pools.push_back({"Reports", web::parse_identity(pool_identity)});
  web::Site site;
  site.name = "Reports";
  site.bindings = {{"http", "*", 80}};
  site.app_pool = "Reports";
  site.anonymous_enabled = false;
  site.windows_enabled = true;
  site.use_app_pool_credentials = use_app_pool_credentials;
  iis.sites.push_back(site);
  h.iis = iis;
  return h;
}

struct Design {
  std::string pool_identity = "CORP\\svc-web";
  bool use_app_pool_credentials = true;
  std::vector<std::string> svc_web_spns = {kFarmSpn};
  std::vector<std::string> web1_spns;
};

// ws1 (alice, Edge) -> reports.corp.contoso.com -> lb1 -> web1, web2. The default is the correct
// farm pattern: one shared domain account that holds the SPN and decrypts on every node (iis-rules 5.3).
Environment design_farm(const Design& d = {}) {
  Environment env;
  env.name = "lint-farm";
  env.directory.add_domain({"corp.contoso.com", "CORP", "", "2016", {"dc1"}});
  env.directory.add_account(account("alice"));
  env.directory.add_account(account("svc-web", d.svc_web_spns));
  env.directory.add_account(computer("web1", d.web1_spns));
  env.directory.add_account(computer("web2"));
  env.directory.add_account(computer("ws1"));
  env.hosts.push_back(web_node("web1", "10.0.0.11", d.pool_identity, d.use_app_pool_credentials));
  env.hosts.push_back(web_node("web2", "10.0.0.12", d.pool_identity, d.use_app_pool_credentials));
  env.hosts.push_back(corp_client("ws1", "10.0.1.21", "CORP\\alice"));
  for (const auto& h : env.hosts) env.dns.add_a(h.fqdn, h.ip);
  env.dns.add_a("reports.corp.contoso.com", "10.0.0.100");
  env.load_balancers.push_back({"lb1", "10.0.0.100", {"web1", "web2"}});
  env.flows.push_back({"report", "ws1", "http://reports.corp.contoso.com/Reports"});
  return env;
}

std::vector<Finding> with_code(const LintReport& r, const std::string& code) {
  std::vector<Finding> out;
  std::copy_if(r.findings.begin(), r.findings.end(), std::back_inserter(out),
               [&](const Finding& f) { return f.code == code; });
  return out;
}

std::string codes(const LintReport& r) {
  std::string s;
  for (const auto& f : r.findings) s += f.code + " " + f.subject + "; ";
  return s;
}

}  // namespace

TEST_CASE("a farm on one shared account that holds the SPN has no findings", "[lint]") {
  const LintReport r = analysis::lint(design_farm());
  INFO(codes(r));
  CHECK(r.scenario == "lint-farm");
  CHECK(r.findings.empty());
}

TEST_CASE("an SPN held by two accounts is a duplicate-spn error", "[lint]") {
  Design d;
  d.web1_spns = {kFarmSpn};  // also on svc-web
  const LintReport r = analysis::lint(design_farm(d));
  const auto found = with_code(r, "duplicate-spn");
  REQUIRE(found.size() == 1);
  CHECK(found[0].severity == Severity::Error);
  CHECK(found[0].subject == kFarmSpn);
  CHECK(found[0].message.find("CORP\\svc-web") != std::string::npos);
  CHECK(found[0].message.find("CORP\\WEB1$") != std::string::npos);
  // kerberos-rules R1.7
  CHECK(found[0].rule == "kerberos-rules R1.7");
  CHECK(found[0].command == "setspn -X -F");
  // The flow's SPN is a duplicate, not missing nor on a wrong account.
  INFO(codes(r));
  CHECK(r.findings.size() == 1);
}

TEST_CASE("an SPN no account holds is missing-spn, with the setspn command when every node shares a key", "[lint]") {
  Design d;
  d.svc_web_spns = {};
  const LintReport r = analysis::lint(design_farm(d));
  const auto found = with_code(r, "missing-spn");
  INFO(codes(r));
  REQUIRE(found.size() == 1);
  CHECK(r.findings.size() == 1);
  CHECK(found[0].severity == Severity::Warning);
  CHECK(found[0].subject == kFarmSpn);
  CHECK(found[0].message.find("flow \"report\"") != std::string::npos);
  // kerberos-rules R1.6
  CHECK(found[0].rule == "kerberos-rules R1.6");
  CHECK(found[0].command == "setspn -S HTTP/reports.corp.contoso.com CORP\\svc-web");
}

TEST_CASE("a missing SPN on a farm whose nodes decrypt with different keys gets no setspn command", "[lint]") {
  Design d;
  d.pool_identity = "NetworkService";
  d.use_app_pool_credentials = false;
  d.svc_web_spns = {};
  const LintReport r = analysis::lint(design_farm(d));
  const auto found = with_code(r, "missing-spn");
  REQUIRE(found.size() == 1);
  CHECK(found[0].command.empty());
  CHECK(found[0].message.find("different keys") != std::string::npos);
}

TEST_CASE("a node that decrypts with another key than the SPN's owner is an spn-key-mismatch", "[lint]") {
  SECTION("the SPN on one node's computer account in a NetworkService farm") {
    Design d;
    d.pool_identity = "NetworkService";
    d.use_app_pool_credentials = false;
    d.svc_web_spns = {};
    d.web1_spns = {kFarmSpn};
    const LintReport r = analysis::lint(design_farm(d));
    const auto found = with_code(r, "spn-key-mismatch");
    INFO(codes(r));
    REQUIRE(found.size() == 1);
    CHECK(r.findings.size() == 1);
    CHECK(found[0].severity == Severity::Error);
    CHECK(found[0].subject == kFarmSpn);
    CHECK(found[0].message.find("encrypted for CORP\\WEB1$, but web2 decrypts with CORP\\WEB2$") != std::string::npos);
    CHECK(found[0].message.find("KRB_AP_ERR_MODIFIED") != std::string::npos);
    // The rule of the key decision on that node: iis-rules 3.5.
    CHECK(found[0].rule == "iis-rules 3.5");
    CHECK(found[0].command == "setspn -Q HTTP/reports.corp.contoso.com");
  }
  SECTION("the SPN on the shared account while kernel mode decrypts with each computer key") {
    Design d;
    d.use_app_pool_credentials = false;
    const LintReport r = analysis::lint(design_farm(d));
    // iis-rules 3.5: kernel mode without useAppPoolCredentials uses the computer key on both nodes.
    CHECK(with_code(r, "spn-key-mismatch").size() == 2);
  }
}

TEST_CASE("an account trusted for unconstrained delegation is a warning", "[lint]") {
  Environment env = design_farm();
  env.directory.account(*env.directory.find_account("CORP\\WEB2$")).trusted_for_delegation = true;
  const auto found = with_code(analysis::lint(env), "unconstrained-delegation");
  REQUIRE(found.size() == 1);
  CHECK(found[0].severity == Severity::Warning);
  CHECK(found[0].subject == "CORP\\WEB2$");
  // kerberos-rules R3.1.2
  CHECK(found[0].rule == "kerberos-rules R3.1.2");
}

TEST_CASE("an app pool running as LocalSystem is a warning", "[lint]") {
  Environment env = design_farm();
  env.hosts[1].iis->app_pools.push_back({"Legacy", web::parse_identity("LocalSystem")});
  const auto found = with_code(analysis::lint(env), "localsystem-app-pool");
  REQUIRE(found.size() == 1);
  CHECK(found[0].severity == Severity::Warning);
  CHECK(found[0].subject == "web2/Legacy");
  // iis-rules 2.1
  CHECK(found[0].rule == "iis-rules 2.1");
}

TEST_CASE("a site with anonymous and Windows authentication both enabled is reported for information", "[lint]") {
  Environment env = design_farm();
  env.hosts[0].iis->sites[0].anonymous_enabled = true;
  const auto found = with_code(analysis::lint(env), "anonymous-and-windows");
  REQUIRE(found.size() == 1);
  CHECK(found[0].severity == Severity::Info);
  CHECK(found[0].subject == "web1/Reports");
  // iis-rules 3.10
  CHECK(found[0].rule == "iis-rules 3.10");
}

TEST_CASE("flows to the same SPN are reported once, and mssql flows are not linted", "[lint]") {
  Design d;
  d.svc_web_spns = {};
  Environment env = design_farm(d);
  env.flows.push_back({"again", "ws1", "http://REPORTS.corp.contoso.com/ReportServer"});
  env.flows.push_back({"sql", "ws1", "mssql://sql9.corp.contoso.com"});
  const LintReport r = analysis::lint(env);
  INFO(codes(r));
  CHECK(with_code(r, "missing-spn").size() == 1);
  CHECK(r.findings.size() == 1);
}
