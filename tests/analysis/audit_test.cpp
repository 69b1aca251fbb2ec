// The audit: each failing or degraded path by the step where it went wrong and that step's rule, and
// the design's risks with fixes verified against the trace (kerberos-rules R1.7, R2.2-R2.8, R3.1-R3.5;
// iis-rules 2.1, 3.10, 3.12).
#include <catch2/catch.hpp>

#include <algorithm>

#include "analysis/audit.h"
#include "flow/tracer.h"
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
  env.name = "audit-farm";
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

FlowOutcome retrace(const Environment& env, const std::string& flow) {
  TraceReport again = flow::trace(env, {flow, ""});
  return again.flows.empty() ? FlowOutcome{} : std::move(again.flows.front());
}

AuditReport audit(const Environment& env) {
  TraceReport traced = flow::trace(env);
  analysis::attach_fixes(env, traced, retrace);
  return analysis::audit(env, traced, retrace);
}

std::vector<Finding> with_code(const AuditReport& r, const std::string& code) {
  std::vector<Finding> out;
  std::copy_if(r.findings.begin(), r.findings.end(), std::back_inserter(out),
               [&](const Finding& f) { return f.code == code; });
  return out;
}

std::string codes(const AuditReport& r) {
  std::string s;
  for (const auto& f : r.findings) s += to_string(f.severity) + " " + f.code + " " + f.subject + "; ";
  return s;
}

bool names(const std::vector<std::string>& list, const std::string& name) {
  return std::find(list.begin(), list.end(), name) != list.end();
}

// A domain controller's computer account, with the SPNs promotion registers (the LDAP service among them).
directory::Account domain_controller() {
  directory::Account dc = computer("dc1", {"ldap/dc1.corp.contoso.com", "ldap/dc1.corp.contoso.com/corp.contoso.com"});
  dc.domain_controller = true;
  dc.trusted_for_delegation = true;
  return dc;
}

}  // namespace

TEST_CASE("a farm on one shared account that holds the SPN has nothing above low", "[audit]") {
  const AuditReport r = audit(design_farm());
  INFO(codes(r));
  CHECK(r.scenario == "audit-farm");
  CHECK(!fails(r, FailOn::Medium));
  // svc-web is a user account with an SPN: Kerberoastable, AES only (kerberos-rules R2.3).
  const auto roast = with_code(r, "kerberoastable");
  REQUIRE(roast.size() == 1);
  CHECK(roast[0].severity == Severity::Low);
}

TEST_CASE("a failing path is a high finding named by its failing step's rule and the accounts involved", "[audit]") {
  // The SPN on WEB1$ in a NetworkService farm: web2 decrypts with its own key (iis-rules 3.5).
  Design d;
  d.pool_identity = "NetworkService";
  d.use_app_pool_credentials = false;
  d.svc_web_spns = {};
  d.web1_spns = {kFarmSpn};
  const Environment env = design_farm(d);
  const TraceReport traced = flow::trace(env);
  const AuditReport r = audit(env);
  INFO(codes(r));
  for (const auto& path : traced.flows.at(0).paths) {
    if (path.verdict != Verdict::Failed) continue;
    const auto step = std::find_if(path.steps.begin(), path.steps.end(), [](const Step& s) { return s.failed; });
    REQUIRE(step != path.steps.end());
    const auto found = with_code(r, "krb-ap-err-modified");
    REQUIRE(found.size() == 1);
    CHECK(found[0].severity == Severity::High);
    CHECK(found[0].rule == step->rule);
    CHECK(found[0].subject == kFarmSpn);
    CHECK(names(found[0].accounts, "CORP\\WEB1$"));
    CHECK(names(found[0].accounts, "CORP\\WEB2$"));
    CHECK(found[0].path.at(0).find("via web2: step " + std::to_string(step->seq)) != std::string::npos);
    CHECK(!found[0].fixes.empty());  // the trace's verified fixes
  }
  CHECK(fails(r, FailOn::High));
}

TEST_CASE("an SPN held by two accounts is a high duplicate-spn, kept on the account the servers run as", "[audit]") {
  Design d;
  d.web1_spns = {kFarmSpn};  // also on svc-web, which both nodes' pools run as
  const auto found = with_code(audit(design_farm(d)), "duplicate-spn");
  REQUIRE(found.size() == 1);
  CHECK(found[0].severity == Severity::High);
  CHECK(found[0].subject == kFarmSpn);
  CHECK(names(found[0].accounts, "CORP\\svc-web"));
  CHECK(names(found[0].accounts, "CORP\\WEB1$"));
  // kerberos-rules R1.7
  CHECK(found[0].rule == "kerberos-rules R1.7");
  REQUIRE(found[0].fixes.size() == 1);
  CHECK(found[0].fixes[0].none.empty());
  CHECK(found[0].fixes[0].change == "keep HTTP/reports.corp.contoso.com on CORP\\svc-web only");
  CHECK(found[0].fixes[0].command.find("WEB1") != std::string::npos);
}

TEST_CASE("delegation of any kind to a domain controller's service is critical", "[audit]") {
  Environment env = design_farm();
  env.directory.add_account(domain_controller());
  auto& svc = env.directory.account(*env.directory.find_account("CORP\\svc-web"));
  SECTION("constrained delegation to ldap/ of the DC") {
    svc.allowed_to_delegate_to = {"ldap/dc1.corp.contoso.com"};
    const auto found = with_code(audit(env), "kcd-to-dc");
    REQUIRE(found.size() == 1);
    CHECK(found[0].severity == Severity::Critical);
    CHECK(names(found[0].accounts, "CORP\\DC1$"));
    CHECK(found[0].rule == "kerberos-rules R3.2.3");
    REQUIRE(found[0].fixes.size() == 1);
    CHECK(found[0].fixes[0].command.find("msDS-AllowedToDelegateTo") != std::string::npos);
  }
  SECTION("a DC's HOST SPN, with protocol transition") {
    svc.allowed_to_delegate_to = {"HOST/dc1.corp.contoso.com", "MSSQLSvc/sql1.corp.contoso.com:1433"};
    svc.trusted_to_auth_for_delegation = true;
    const AuditReport r = audit(env);
    const auto found = with_code(r, "protocol-transition-to-dc");
    REQUIRE(found.size() == 1);
    CHECK(found[0].spns == std::vector<std::string>{"HOST/dc1.corp.contoso.com"});
    CHECK(found[0].rule == "kerberos-rules R3.3.2");
    CHECK(with_code(r, "kcd-orphan-spn").size() == 1);  // nobody holds the MSSQLSvc SPN
    CHECK(with_code(r, "protocol-transition").size() == 1);
  }
  SECTION("krbtgt") {
    svc.allowed_to_delegate_to = {"krbtgt/CORP.CONTOSO.COM"};
    CHECK(with_code(audit(env), "kcd-to-dc").size() == 1);
  }
  SECTION("resource-based delegation on the DC's own account") {
    env.directory.account(*env.directory.find_account("CORP\\DC1$")).allowed_to_act = {"CORP\\svc-web"};
    const auto found = with_code(audit(env), "rbcd-to-dc");
    REQUIRE(found.size() == 1);
    CHECK(found[0].severity == Severity::Critical);
    CHECK(found[0].subject == "CORP\\DC1$");
    CHECK(found[0].rule == "kerberos-rules R3.4.2");
  }
  SECTION("a DC's own unconstrained delegation is its role, not a finding") {
    CHECK(with_code(audit(env), "unconstrained-delegation").empty());
  }
}

TEST_CASE("unconstrained delegation on a member is high, and turning it off is verified", "[audit]") {
  Environment env = design_farm();
  env.directory.account(*env.directory.find_account("CORP\\WEB2$")).trusted_for_delegation = true;
  const auto found = with_code(audit(env), "unconstrained-delegation");
  REQUIRE(found.size() == 1);
  CHECK(found[0].severity == Severity::High);
  CHECK(found[0].subject == "CORP\\WEB2$");
  // kerberos-rules R3.1.2
  CHECK(found[0].rule == "kerberos-rules R3.1.2");
  REQUIRE(found[0].fixes.size() == 1);
  CHECK(found[0].fixes[0].change == "turn off unconstrained delegation on CORP\\WEB2$");
  CHECK(found[0].fixes[0].command.find("-TrustedForDelegation $false") != std::string::npos);
}

TEST_CASE("accounts: Kerberoastable with RC4, no AES keys, RC4 only, privileged and unprotected", "[audit]") {
  Environment env = design_farm();
  directory::Account admin = account("adm-bob", {"MSSQLSvc/sql9.corp.contoso.com:1433"});
  admin.groups = {"Domain Admins"};
  admin.supported_enctypes = kerberos::kRc4Bit | kerberos::kAes256Bit;
  env.directory.add_account(admin);
  directory::Account old = account("svc-old", {"HTTP/old.corp.contoso.com"});
  old.aes_keys = false;
  env.directory.add_account(old);
  directory::Account rc4 = account("svc-rc4", {"HTTP/rc4.corp.contoso.com"});
  rc4.supported_enctypes = kerberos::kRc4Bit;
  env.directory.add_account(rc4);
  const AuditReport r = audit(env);
  INFO(codes(r));
  const auto roast = with_code(r, "kerberoastable");
  const auto bob =
      std::find_if(roast.begin(), roast.end(), [](const Finding& f) { return f.subject == "CORP\\adm-bob"; });
  REQUIRE(bob != roast.end());
  CHECK(bob->severity == Severity::High);
  CHECK(bob->message.find("RC4 is allowed") != std::string::npos);
  CHECK(bob->fixes.at(0).none.find("-KerberosEncryptionType AES128,AES256") != std::string::npos);

  const auto no_aes = with_code(r, "no-aes-keys");
  REQUIRE(no_aes.size() == 1);
  CHECK(no_aes[0].subject == "CORP\\svc-old");
  CHECK(no_aes[0].severity == Severity::Medium);
  CHECK(no_aes[0].fixes.at(0).command.find("Set-ADAccountPassword") != std::string::npos);

  const auto only = with_code(r, "rc4-only");
  REQUIRE(only.size() == 1);
  CHECK(only[0].subject == "CORP\\svc-rc4");

  const auto admins = with_code(r, "privileged-unprotected");
  REQUIRE(admins.size() == 1);
  CHECK(admins[0].subject == "CORP\\adm-bob");
  CHECK(admins[0].severity == Severity::High);
  CHECK(admins[0].fixes.at(0).command.find("-AccountNotDelegated $true") != std::string::npos);
}

TEST_CASE("a password change gives an account without AES keys its AES keys (kerberos-rules R2.2)", "[audit]") {
  Environment env = design_farm();
  directory::Account old = account("svc-old");
  old.aes_keys = false;
  const auto id = env.directory.add_account(old);
  farm::Change c;
  c.action = farm::Action::PasswordChange;
  c.account = "CORP\\svc-old";
  REQUIRE(farm::apply_change(env, c).applied());
  CHECK(env.directory.account(id).aes_keys);
  CHECK(env.directory.account(id).kvno == 2);
}

TEST_CASE("hosts: a LocalSystem pool, a clock beyond the skew, anonymous with Windows", "[audit]") {
  Environment env = design_farm();
  env.hosts[1].iis->app_pools.push_back({"Legacy", web::parse_identity("LocalSystem")});
  env.hosts[0].iis->sites[0].anonymous_enabled = true;
  env.hosts[2].clock_offset = 7 * engine::kMinute;
  const AuditReport r = audit(env);
  INFO(codes(r));
  const auto pool = with_code(r, "localsystem-app-pool");
  REQUIRE(pool.size() == 1);
  CHECK(pool[0].severity == Severity::High);
  CHECK(pool[0].subject == "web2/Legacy");
  // iis-rules 2.1
  CHECK(pool[0].rule == "iis-rules 2.1");
  CHECK(pool[0].fixes.at(0).command.find("appcmd") != std::string::npos);
  const auto clock = with_code(r, "clock-skew");
  REQUIRE(clock.size() == 1);
  CHECK(clock[0].subject == "ws1");
  CHECK(clock[0].rule == "kerberos-rules R2.8");
  CHECK(clock[0].fixes.at(0).none.find("w32tm /resync") != std::string::npos);
  // The trace fails too, at the client's pre-authentication: a high finding of its own.
  CHECK(with_code(r, "krb-ap-err-skew").size() == 1);
  const auto both = with_code(r, "anonymous-and-windows");
  REQUIRE(both.size() == 1);
  CHECK(both[0].severity == Severity::Info);
  CHECK(both[0].rule == "iis-rules 3.10");
}

TEST_CASE("a call as caller from a site that does not impersonate runs as the pool", "[audit]") {
  Environment env = design_farm();
  env.hosts[0].iis->sites[0].calls.push_back({"sql1", "", "", "caller"});
  const auto found = with_code(audit(env), "caller-runs-as-pool");
  REQUIRE(found.size() == 1);
  CHECK(found[0].severity == Severity::Medium);
  CHECK(found[0].rule == "iis-rules 3.12");
  CHECK(names(found[0].accounts, "CORP\\svc-web"));
}

TEST_CASE("a risk's fix that would make a traced path worse is not shown", "[audit]") {
  // alice, the flow's user, is a Domain Admin: marking her sensitive leaves the front end working (no
  // delegation), so that fix is shown; with a hop that delegates her identity it would break it.
  Environment env = design_farm();
  env.directory.account(*env.directory.find_account("CORP\\alice")).groups = {"Domain Admins"};
  auto found = with_code(audit(env), "privileged-unprotected");
  REQUIRE(found.size() == 1);
  CHECK(found[0].fixes.at(0).none.empty());

  directory::Account sql = computer("sql1", {"MSSQLSvc/sql1.corp.contoso.com:1433"});
  env.directory.add_account(sql);
  Host sql1 = corp_member("sql1", "10.0.0.31");
  sql1.sql = backend::SqlServer{};
  sql1.sql->instances.push_back({});
  env.hosts.push_back(sql1);
  env.dns.add_a(sql1.fqdn, sql1.ip);
  auto& svc = env.directory.account(*env.directory.find_account("CORP\\svc-web"));
  svc.allowed_to_delegate_to = {"MSSQLSvc/sql1.corp.contoso.com:1433"};
  for (auto& h : env.hosts)
    if (h.iis) {
      h.iis->sites[0].impersonate = true;
      h.iis->sites[0].calls.push_back({"sql1", "", "", "caller"});
    }
  TraceReport traced = flow::trace(env);
  INFO(traced.flows[0].paths[0].summary);
  REQUIRE(traced.flows[0].paths[0].verdict == Verdict::Ok);
  found = with_code(audit(env), "privileged-unprotected");
  REQUIRE(found.size() == 1);
  REQUIRE(found[0].fixes.size() == 1);
  CHECK(found[0].fixes[0].none.find("would make flow \"report\"") != std::string::npos);
}
