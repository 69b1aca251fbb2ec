// The hops behind a front end: which identity reaches SQL Server, by which mechanism, and where it
// stops (kerberos-rules sections 3-4, iis-rules 2.1-2.6, 3.12, 6.5-6.10), on hand-built worlds.
#include <catch2/catch.hpp>

#include "flow/hops.h"
#include "kerberos/kdc.h"
#include "support/corp.h"

using namespace kerbsim;
using namespace kerbsim::flow;
using farm::Environment;
using farm::Host;

namespace {

constexpr const char* kSql1Spn = "MSSQLSvc/sql1.corp.contoso.com:1433";
constexpr const char* kSql2Spn = "MSSQLSvc/sql2.corp.contoso.com:1433";
constexpr const char* kAnonymous = "NT AUTHORITY\\ANONYMOUS LOGON";

directory::Account user(const std::string& sam) { return test::corp_user(sam); }
directory::Account computer(const std::string& name) { return test::corp_computer(name); }
Host member(const std::string& name, const std::string& ip) { return test::corp_member(name, ip); }

backend::SqlServer default_instance(std::vector<base::Call> calls = {}) {
  backend::SqlInstance inst;
  inst.service_account = web::parse_identity("NT SERVICE\\MSSQLSERVER");
  inst.calls = std::move(calls);
  backend::SqlServer sql;
  sql.instances.push_back(inst);
  return sql;
}

// web1 (the front tier) -> sql1 (default instance, virtual account) [-> sql2 by a linked server].
// SQL Server registers MSSQLSvc/<fqdn>:1433 on its computer account at startup; a hand-built world
// has no startup, so sql_spn_owner names the account the SPN is written on ("" = none).
struct Options {
  std::string sql_spn_owner = "CORP\\SQL1$";
  std::vector<base::Call> linked_server_calls;
};

Environment world(const Options& o = {}) {
  Environment env;
  env.name = "hops";
  env.directory.add_domain({"corp.contoso.com", "CORP", "", "2016", {"dc1"}});
  env.directory.add_account(user("alice"));
  env.directory.add_account(user("svc-web"));
  env.directory.add_account(user("svc-report"));
  env.directory.add_account(user("svc-sql"));
  for (const auto* name : {"web1", "sql1", "sql2"}) env.directory.add_account(computer(name));
  if (!o.sql_spn_owner.empty())
    env.directory.add_spn(*env.directory.find_account(o.sql_spn_owner), kerbsim::test::spn(kSql1Spn));
  env.directory.add_spn(*env.directory.find_account("CORP\\SQL2$"), kerbsim::test::spn(kSql2Spn));

  env.hosts.push_back(member("web1", "10.0.0.11"));
  Host sql1 = member("sql1", "10.0.0.21");
  sql1.sql = default_instance(o.linked_server_calls);
  env.hosts.push_back(sql1);
  Host sql2 = member("sql2", "10.0.0.22");
  sql2.sql = default_instance();
  env.hosts.push_back(sql2);
  for (const auto& h : env.hosts) env.dns.add_a(h.fqdn, h.ip);
  return env;
}

directory::Account& account(Environment& env, const std::string& name) {
  return env.directory.account(*env.directory.find_account(name));
}

// An IIS site on `host` running as `identity`, making one call.
farm::Service site_on(const Environment& env, const std::string& host, web::ProcessIdentity identity, base::Call call,
                      bool impersonates = false) {
  static const web::Site orders = [] {
    web::Site s;
    s.name = "Orders";
    return s;
  }();
  farm::Service tier;
  tier.kind = farm::ServerKind::IisSite;
  tier.host = env.host(host);
  tier.site = &orders;
  tier.process = identity;
  tier.process_name = identity.local_name("Orders");
  tier.key.account = identity.key_account(tier.host->computer_account);
  tier.outbound_account = farm::outbound_account(*tier.host, identity);
  tier.impersonates = impersonates;
  tier.calls = {std::move(call)};
  return tier;
}

base::Call to_sql1(const std::string& as) { return {"sql1", "", "", as}; }

const farm::FarmState kAsConfigured{};

const web::ProcessIdentity kPoolIdentity{web::IdentityType::ApplicationPoolIdentity, ""};

// Alice's TGT from the corp KDC.
kerberos::Ticket alice_tgt(const Environment& env) {
  kerberos::Kdc kdc(env.directory, *env.directory.domain_by_dns("corp.contoso.com"), env.kdc_policy);
  const auto r = kdc.as_exchange("CORP\\alice", 0, 0);
  REQUIRE(r.ok());
  return r.ticket;
}

// Alice's service ticket to spn: the evidence a front end holds after she signed on with Kerberos.
kerberos::Ticket alice_ticket_to(const Environment& env, const std::string& spn) {
  kerberos::Kdc kdc(env.directory, *env.directory.domain_by_dns("corp.contoso.com"), env.kdc_policy);
  const auto r = kdc.tgs_exchange(alice_tgt(env), kerbsim::test::spn(spn), 0);
  REQUIRE(r.kind == kerberos::KdcReply::Kind::Ticket);
  return r.ticket;
}

CallerContext kerberos_caller(const Environment& env) {
  CallerContext c;
  c.user = "CORP\\alice";
  c.protocol = Protocol::Kerberos;
  c.evidence = alice_ticket_to(env, "HTTP/web1.corp.contoso.com");
  return c;
}

CallerContext ntlm_caller() {
  CallerContext c;
  c.user = "CORP\\alice";
  c.protocol = Protocol::Ntlm;
  return c;
}

// Traces the tier's calls and returns the single hop.
HopOutcome one_hop(const Environment& env, const farm::Service& tier, const CallerContext& caller,
                   std::vector<Step>& steps) {
  StepLog log(steps);
  const auto hops = trace_calls(env, kAsConfigured, tier, caller, log);
  REQUIRE(hops.size() == 1);
  return hops.front();
}

HopOutcome one_hop(const Environment& env, const farm::Service& tier, const CallerContext& caller = {}) {
  std::vector<Step> steps;
  return one_hop(env, tier, caller, steps);
}

bool has_step(const std::vector<Step>& steps, const std::string& message_part, const std::string& rule) {
  for (const auto& s : steps)
    if (s.message.find(message_part) != std::string::npos && s.rule == rule) return true;
  return false;
}

}  // namespace

TEST_CASE("outbound_account: built-in identities leave a domain member as its computer account", "[hops]") {
  const Host web1 = member("web1", "10.0.0.11");
  // iis-rules 2.1, 2.6: ApplicationPoolIdentity, NetworkService, LocalSystem and virtual accounts.
  CHECK(farm::outbound_account(web1, kPoolIdentity) == "CORP\\WEB1$");
  CHECK(farm::outbound_account(web1, {web::IdentityType::NetworkService, ""}) == "CORP\\WEB1$");
  CHECK(farm::outbound_account(web1, {web::IdentityType::LocalSystem, ""}) == "CORP\\WEB1$");
  CHECK(farm::outbound_account(web1, web::parse_identity("NT SERVICE\\MSSQLSERVER")) == "CORP\\WEB1$");
  // A domain account or gMSA is itself on the network.
  CHECK(farm::outbound_account(web1, web::parse_identity("CORP\\gmsa-web$")) == "CORP\\gmsa-web$");
  // iis-rules 2.1: LocalService is a null session; iis-rules 1.2: a local account is unknown elsewhere.
  CHECK(farm::outbound_account(web1, {web::IdentityType::LocalService, ""}).empty());
  CHECK(farm::outbound_account(web1, {web::IdentityType::LocalAccount, "WEB1\\IWAM_WEB1"}).empty());
}

TEST_CASE("outbound_account: a workgroup host has no computer account to present", "[hops]") {
  Host kiosk;
  kiosk.name = "kiosk";
  kiosk.fqdn = "kiosk";
  // iis-rules 2.5
  CHECK(farm::outbound_account(kiosk, kPoolIdentity).empty());
  CHECK(farm::outbound_account(kiosk, {web::IdentityType::NetworkService, ""}).empty());
  CHECK(farm::outbound_account(kiosk, web::parse_identity("CORP\\svc-web")) == "CORP\\svc-web");
}

TEST_CASE("as=process on a domain member reaches SQL Server as the computer account over Kerberos", "[hops]") {
  const Environment env = world();
  std::vector<Step> steps;
  const HopOutcome hop = one_hop(env, site_on(env, "web1", kPoolIdentity, to_sql1("process")), {}, steps);
  CHECK(hop.to == "sql1");
  CHECK(hop.as == "process");
  // iis-rules 6.5: the driver builds MSSQLSvc/<fqdn>:<port>.
  CHECK(hop.service == kSql1Spn);
  CHECK(hop.protocol == Protocol::Kerberos);
  // iis-rules 2.6
  CHECK(hop.identity == std::optional<std::string>("CORP\\WEB1$"));
  CHECK(hop.delegation == Delegation::None);
  CHECK(hop.result == HopResult::Ok);
  CHECK_FALSE(hop.error.has_value());
  CHECK(has_step(steps, "call SQL Server MSSQLSERVER on sql1", "iis-rules 2.6"));
  for (const auto& s : steps) CHECK_FALSE(s.failed);
}

TEST_CASE("a LocalService process reaches SQL Server as ANONYMOUS LOGON", "[hops]") {
  const Environment env = world();
  std::vector<Step> steps;
  const HopOutcome hop =
      one_hop(env, site_on(env, "web1", {web::IdentityType::LocalService, ""}, to_sql1("process")), {}, steps);
  // iis-rules 2.1: a null session; kerberos-rules R4.1: SQL Server refuses it with 18456.
  CHECK(hop.identity == std::optional<std::string>(kAnonymous));
  CHECK(hop.protocol == Protocol::Anonymous);
  CHECK(hop.result == HopResult::LoginFailed);
  CHECK(hop.error.has_value());
  CHECK(to_string(*hop.error) == "SQL_18456");
  CHECK(has_step(steps, "call SQL Server", "iis-rules 2.1"));
}

TEST_CASE("a process running as a domain account reaches SQL Server as that account", "[hops]") {
  const Environment env = world();
  const HopOutcome hop = one_hop(env, site_on(env, "web1", web::parse_identity("CORP\\svc-web"), to_sql1("process")));
  CHECK(hop.identity == std::optional<std::string>("CORP\\svc-web"));
  CHECK(hop.protocol == Protocol::Kerberos);
  CHECK(hop.result == HopResult::Ok);
}

TEST_CASE("a workgroup process reaches SQL Server anonymously", "[hops]") {
  Environment env = world();
  Host kiosk;
  kiosk.name = "kiosk";
  kiosk.fqdn = "kiosk";
  kiosk.ip = "10.0.9.9";
  env.hosts.push_back(kiosk);
  const HopOutcome hop = one_hop(env, site_on(env, "kiosk", kPoolIdentity, to_sql1("process")));
  // iis-rules 2.5
  CHECK(hop.identity == std::optional<std::string>(kAnonymous));
  CHECK(hop.result == HopResult::LoginFailed);
  CHECK(hop.error.has_value());
  CHECK(to_string(*hop.error) == "SQL_18456");
}

TEST_CASE("a local account of the calling machine is refused by a remote SQL Server with 18452", "[hops]") {
  const Environment env = world();
  const HopOutcome hop =
      one_hop(env, site_on(env, "web1", {web::IdentityType::LocalAccount, "WEB1\\IWAM_WEB1"}, to_sql1("process")));
  // iis-rules 1.2, 6.11
  CHECK(hop.identity == std::optional<std::string>("WEB1\\IWAM_WEB1"));
  CHECK(hop.protocol == Protocol::Ntlm);
  CHECK(hop.result == HopResult::LoginFailed);
  CHECK(hop.error.has_value());
  CHECK(to_string(*hop.error) == "SQL_18452");
}

TEST_CASE("as=anonymous arrives as ANONYMOUS LOGON and fails with 18456", "[hops]") {
  const Environment env = world();
  std::vector<Step> steps;
  const HopOutcome hop =
      one_hop(env, site_on(env, "web1", kPoolIdentity, to_sql1("anonymous"), true), kerberos_caller(env), steps);
  // iis-rules 6.9: "made without using a security context".
  CHECK(hop.identity == std::optional<std::string>(kAnonymous));
  CHECK(hop.protocol == Protocol::Anonymous);
  CHECK(hop.result == HopResult::LoginFailed);
  CHECK(hop.error.has_value());
  CHECK(to_string(*hop.error) == "SQL_18456");
  CHECK(has_step(steps, "as NT AUTHORITY\\ANONYMOUS LOGON", "kerberos-rules R4.1"));
}

TEST_CASE("as=<account> uses the stored credentials of that account, with no delegation", "[hops]") {
  const Environment env = world();
  const HopOutcome hop =
      one_hop(env, site_on(env, "web1", kPoolIdentity, to_sql1("CORP\\svc-report"), true), ntlm_caller());
  // iis-rules 7.7: stored credentials need no delegation.
  CHECK(hop.as == "CORP\\svc-report");
  CHECK(hop.identity == std::optional<std::string>("CORP\\svc-report"));
  CHECK(hop.protocol == Protocol::Kerberos);
  CHECK(hop.delegation == Delegation::None);
  CHECK(hop.result == HopResult::Ok);
}

TEST_CASE("as=caller without impersonation runs as the process identity", "[hops]") {
  const Environment env = world();
  const HopOutcome hop =
      one_hop(env, site_on(env, "web1", kPoolIdentity, to_sql1("caller"), false), kerberos_caller(env));
  // iis-rules 3.12
  CHECK(hop.identity == std::optional<std::string>("CORP\\WEB1$"));
  CHECK(hop.delegation == Delegation::None);
  CHECK(hop.result == HopResult::Ok);
}

TEST_CASE("an anonymous request impersonated off the machine arrives as ANONYMOUS LOGON", "[hops]") {
  const Environment env = world();
  CallerContext anonymous;
  anonymous.anonymous_identity = "NT AUTHORITY\\IUSR";
  std::vector<Step> steps;
  const HopOutcome hop = one_hop(env, site_on(env, "web1", kPoolIdentity, to_sql1("caller"), true), anonymous, steps);
  // iis-rules 1.6
  CHECK(hop.identity == std::optional<std::string>(kAnonymous));
  CHECK(hop.result == HopResult::LoginFailed);
  CHECK(has_step(steps, "call SQL Server", "iis-rules 1.6"));
}

TEST_CASE("a Kerberos caller is delegated by S4U2Proxy when msDS-AllowedToDelegateTo lists the SQL SPN", "[hops]") {
  Environment env = world();
  account(env, "CORP\\WEB1$").allowed_to_delegate_to = {kSql1Spn};
  const CallerContext caller = kerberos_caller(env);
  REQUIRE(caller.evidence->encrypted_for == "CORP\\WEB1$");
  REQUIRE(caller.evidence->flags.forwardable);
  std::vector<Step> steps;
  const HopOutcome hop = one_hop(env, site_on(env, "web1", kPoolIdentity, to_sql1("caller"), true), caller, steps);
  // kerberos-rules R3.2.2-R3.2.4
  CHECK(hop.delegation == Delegation::Constrained);
  CHECK(hop.protocol == Protocol::Kerberos);
  CHECK(hop.identity == std::optional<std::string>("CORP\\alice"));
  CHECK(hop.result == HopResult::Ok);
  CHECK_FALSE(hop.error.has_value());
  CHECK(has_step(steps, "evidence for S4U2Proxy", "kerberos-rules R3.2.2"));
  // No S4U2Self: the user's own ticket is the evidence.
  for (const auto& s : steps) CHECK(s.message.find("S4U2Self") == std::string::npos);
}

TEST_CASE("a refused S4U2Proxy gives KDC_ERR_BADOPTION and the back end sees ANONYMOUS LOGON", "[hops]") {
  Environment env = world();
  // The list names another port: the match is literal (kerberos-rules R3.2.3).
  account(env, "CORP\\WEB1$").allowed_to_delegate_to = {"MSSQLSvc/sql1.corp.contoso.com:1500"};
  std::vector<Step> steps;
  const HopOutcome hop =
      one_hop(env, site_on(env, "web1", kPoolIdentity, to_sql1("caller"), true), kerberos_caller(env), steps);
  CHECK(hop.error.has_value());
  CHECK(to_string(*hop.error) == "KDC_ERR_BADOPTION");
  // kerberos-rules R4.2
  CHECK(hop.identity == std::optional<std::string>(kAnonymous));
  CHECK(hop.protocol == Protocol::Anonymous);
  CHECK(hop.delegation == Delegation::None);
  CHECK(hop.result == HopResult::LoginFailed);
  // kerberos-rules R3.2.3: the list is not empty but lacks the SPN.
  bool refused = false;
  for (const auto& s : steps)
    refused |= s.message.rfind("S4U2Proxy: ", 0) == 0 && s.failed &&
               s.result == "KRB-ERROR KDC_ERR_BADOPTION (13), STATUS_NO_MATCH";
  CHECK(refused);
}

TEST_CASE("a front end with no delegation setting at all cannot take the caller to SQL Server", "[hops]") {
  const Environment env = world();
  const HopOutcome hop =
      one_hop(env, site_on(env, "web1", kPoolIdentity, to_sql1("caller"), true), kerberos_caller(env));
  // kerberos-rules R3.2.3 (STATUS_NOT_SUPPORTED), R4.2
  CHECK(hop.error.has_value());
  CHECK(to_string(*hop.error) == "KDC_ERR_BADOPTION");
  CHECK(hop.identity == std::optional<std::string>(kAnonymous));
  CHECK(hop.result == HopResult::LoginFailed);
}

TEST_CASE("resource-based delegation on the SQL computer account carries the Kerberos caller", "[hops]") {
  Environment env = world();
  account(env, "CORP\\SQL1$").allowed_to_act = {"CORP\\WEB1$"};
  const HopOutcome hop =
      one_hop(env, site_on(env, "web1", kPoolIdentity, to_sql1("caller"), true), kerberos_caller(env));
  // kerberos-rules R3.4.2
  CHECK(hop.delegation == Delegation::ResourceBased);
  CHECK(hop.identity == std::optional<std::string>("CORP\\alice"));
  CHECK(hop.protocol == Protocol::Kerberos);
  CHECK(hop.result == HopResult::Ok);
}

TEST_CASE("resource-based delegation also carries an NTLM caller, by protocol transition", "[hops]") {
  Environment env = world();
  account(env, "CORP\\SQL1$").allowed_to_act = {"CORP\\WEB1$"};
  const HopOutcome hop = one_hop(env, site_on(env, "web1", kPoolIdentity, to_sql1("caller"), true), ntlm_caller());
  // kerberos-rules R3.4.3
  CHECK(hop.delegation == Delegation::ResourceBased);
  CHECK(hop.identity == std::optional<std::string>("CORP\\alice"));
  CHECK(hop.result == HopResult::Ok);
}

TEST_CASE("an NTLM caller is delegated by protocol transition when the front end is TRUSTED_TO_AUTH", "[hops]") {
  Environment env = world();
  auto& web1 = account(env, "CORP\\WEB1$");
  web1.allowed_to_delegate_to = {kSql1Spn};
  web1.trusted_to_auth_for_delegation = true;
  std::vector<Step> steps;
  const HopOutcome hop =
      one_hop(env, site_on(env, "web1", kPoolIdentity, to_sql1("caller"), true), ntlm_caller(), steps);
  // kerberos-rules R3.3.2, R4.6 (NTLM + KCD + TRUSTED_TO_AUTH -> the user via Kerberos)
  CHECK(hop.delegation == Delegation::ProtocolTransition);
  CHECK(hop.identity == std::optional<std::string>("CORP\\alice"));
  CHECK(hop.protocol == Protocol::Kerberos);
  CHECK(hop.result == HopResult::Ok);
  bool s4u2self = false;
  for (const auto& s : steps) s4u2self |= s.message == "S4U2Self: ticket to CORP\\WEB1$ for CORP\\alice" && !s.failed;
  CHECK(s4u2self);
}

TEST_CASE("an NTLM caller with Kerberos-only constrained delegation arrives as ANONYMOUS LOGON", "[hops]") {
  Environment env = world();
  account(env, "CORP\\WEB1$").allowed_to_delegate_to = {kSql1Spn};
  const HopOutcome hop = one_hop(env, site_on(env, "web1", kPoolIdentity, to_sql1("caller"), true), ntlm_caller());
  // kerberos-rules R3.2.5: the S4U2Self ticket is not forwardable, so S4U2Proxy fails with 13.
  CHECK(hop.error.has_value());
  CHECK(to_string(*hop.error) == "KDC_ERR_BADOPTION");
  CHECK(hop.identity == std::optional<std::string>(kAnonymous));
  CHECK(hop.result == HopResult::LoginFailed);
}

TEST_CASE("a forwarded TGT takes the caller to SQL Server by unconstrained delegation", "[hops]") {
  const Environment env = world();
  CallerContext caller = kerberos_caller(env);
  caller.forwarded_tgt = alice_tgt(env);
  std::vector<Step> steps;
  const HopOutcome hop = one_hop(env, site_on(env, "web1", kPoolIdentity, to_sql1("caller"), true), caller, steps);
  // kerberos-rules R3.1.2
  CHECK(hop.delegation == Delegation::Unconstrained);
  CHECK(hop.identity == std::optional<std::string>("CORP\\alice"));
  CHECK(hop.protocol == Protocol::Kerberos);
  CHECK(hop.result == HopResult::Ok);
  CHECK(has_step(steps, std::string("TGS-REQ ") + kSql1Spn + " as CORP\\alice", "kerberos-rules R1.3"));
}

TEST_CASE("a back end on the same machine is reached locally with NTLM and the local identity", "[hops]") {
  const Environment env = world();
  SECTION("the process identity keeps its local name") {
    std::vector<Step> steps;
    const HopOutcome hop = one_hop(env, site_on(env, "sql1", kPoolIdentity, to_sql1("process")), {}, steps);
    // iis-rules 2.6, 6.10
    CHECK(hop.identity == std::optional<std::string>("IIS APPPOOL\\Orders"));
    CHECK(hop.protocol == Protocol::Ntlm);
    CHECK(hop.result == HopResult::Ok);
    CHECK(has_step(steps, "local connection as IIS APPPOOL\\Orders", "iis-rules 6.10"));
  }
  SECTION("an impersonated NTLM caller needs no delegation") {
    const HopOutcome hop = one_hop(env, site_on(env, "sql1", kPoolIdentity, to_sql1("caller"), true), ntlm_caller());
    // kerberos-rules R4.2: single hop works.
    CHECK(hop.identity == std::optional<std::string>("CORP\\alice"));
    CHECK(hop.protocol == Protocol::Ntlm);
    CHECK(hop.delegation == Delegation::None);
    CHECK(hop.result == HopResult::Ok);
  }
}

TEST_CASE("a linked server carries the user on to a second SQL Server when each hop may delegate", "[hops]") {
  Options o;
  o.linked_server_calls = {{"sql2", "", "", "caller"}};
  Environment env = world(o);
  account(env, "CORP\\WEB1$").allowed_to_delegate_to = {kSql1Spn};
  SECTION("SQL1$ is allowed to delegate to sql2") {
    account(env, "CORP\\SQL1$").allowed_to_delegate_to = {kSql2Spn};
    const HopOutcome hop =
        one_hop(env, site_on(env, "web1", kPoolIdentity, to_sql1("caller"), true), kerberos_caller(env));
    CHECK(hop.delegation == Delegation::Constrained);
    CHECK(hop.result == HopResult::Ok);
    REQUIRE(hop.hops.size() == 1);
    const HopOutcome& linked = hop.hops[0];
    // iis-rules 6.9, kerberos-rules R3.7.1: the S4U2Proxy ticket is the evidence for the next hop.
    CHECK(linked.to == "sql2");
    CHECK(linked.service == kSql2Spn);
    CHECK(linked.identity == std::optional<std::string>("CORP\\alice"));
    CHECK(linked.delegation == Delegation::Constrained);
    CHECK(linked.protocol == Protocol::Kerberos);
    CHECK(linked.result == HopResult::Ok);
  }
  SECTION("SQL1$ is not trusted for delegation") {
    const HopOutcome hop =
        one_hop(env, site_on(env, "web1", kPoolIdentity, to_sql1("caller"), true), kerberos_caller(env));
    CHECK(hop.result == HopResult::Ok);
    REQUIRE(hop.hops.size() == 1);
    // iis-rules 6.9, kerberos-rules R4.2
    CHECK(hop.hops[0].identity == std::optional<std::string>(kAnonymous));
    CHECK(hop.hops[0].error.has_value());
    CHECK(to_string(*hop.hops[0].error) == "KDC_ERR_BADOPTION");
    CHECK(hop.hops[0].result == HopResult::LoginFailed);
  }
}

TEST_CASE("a linked server reached as ANONYMOUS LOGON passes on no user", "[hops]") {
  Options o;
  o.linked_server_calls = {{"sql2", "", "", "caller"}};
  const Environment env = world(o);
  const HopOutcome hop = one_hop(env, site_on(env, "web1", kPoolIdentity, to_sql1("anonymous")));
  CHECK(hop.result == HopResult::LoginFailed);
  // The linked call starts from the anonymous logon and stays anonymous (iis-rules 6.9).
  REQUIRE(hop.hops.size() == 1);
  CHECK(hop.hops[0].identity == std::optional<std::string>(kAnonymous));
  CHECK(hop.hops[0].result == HopResult::LoginFailed);
}

TEST_CASE("the SQL SPN on the wrong account fails with Cannot generate SSPI context, without NTLM", "[hops]") {
  Options o;
  o.sql_spn_owner = "CORP\\svc-sql";  // SQL Server runs as NT SERVICE\MSSQLSERVER: the key of SQL1$
  const Environment env = world(o);
  std::vector<Step> steps;
  const HopOutcome hop = one_hop(env, site_on(env, "web1", kPoolIdentity, to_sql1("process")), {}, steps);
  // iis-rules 6.6, kerberos-rules R1.11
  CHECK(hop.protocol == Protocol::Kerberos);
  CHECK(hop.result == HopResult::AuthFailed);
  CHECK(hop.error.has_value());
  CHECK(to_string(*hop.error) == "SSPI_CONTEXT");
  bool sspi = false;
  for (const auto& s : steps)
    sspi |= s.failed && s.result == "The target principal name is incorrect. Cannot generate SSPI context.";
  CHECK(sspi);
}

TEST_CASE("a missing SQL SPN makes a process identity fall back to NTLM, and the login still succeeds", "[hops]") {
  Options o;
  o.sql_spn_owner = "";
  const Environment env = world(o);
  const HopOutcome hop = one_hop(env, site_on(env, "web1", kPoolIdentity, to_sql1("process")));
  // iis-rules 6.6, kerberos-rules R1.6
  CHECK(hop.protocol == Protocol::Ntlm);
  CHECK(hop.identity == std::optional<std::string>("CORP\\WEB1$"));
  CHECK(hop.result == HopResult::Ok);
  CHECK(hop.error.has_value());
  CHECK(to_string(*hop.error) == "KDC_ERR_S_PRINCIPAL_UNKNOWN");
}

TEST_CASE("a call to a host or instance that does not exist stops before authentication", "[hops]") {
  const Environment env = world();
  SECTION("unknown host") {
    const HopOutcome hop = one_hop(env, site_on(env, "web1", kPoolIdentity, {"nosuch", "", "", "process"}));
    CHECK(hop.result == HopResult::AuthFailed);
    CHECK(hop.error.has_value());
    CHECK(to_string(*hop.error) == "HOST_UNREACHABLE");
  }
  SECTION("unknown instance") {
    const HopOutcome hop = one_hop(env, site_on(env, "web1", kPoolIdentity, {"sql1", "SALES", "", "process"}));
    // iis-rules 6.4
    CHECK(hop.result == HopResult::AuthFailed);
    CHECK(hop.error.has_value());
    CHECK(to_string(*hop.error) == "SQL_INSTANCE_NOT_FOUND");
  }
}

TEST_CASE("trace_calls follows every call in order and stops at the maximum depth", "[hops]") {
  const Environment env = world();
  farm::Service tier = site_on(env, "web1", kPoolIdentity, to_sql1("process"));
  tier.calls.push_back(to_sql1("anonymous"));
  std::vector<Step> steps;
  StepLog log(steps);
  const auto hops = trace_calls(env, kAsConfigured, tier, {}, log);
  REQUIRE(hops.size() == 2);
  CHECK(hops[0].result == HopResult::Ok);
  CHECK(hops[1].result == HopResult::LoginFailed);
  // Steps are numbered from 1 in the order they are logged.
  for (std::size_t i = 0; i < steps.size(); ++i) CHECK(steps[i].seq == static_cast<int>(i) + 1);
  std::vector<Step> none;
  StepLog deep(none);
  CHECK(trace_calls(env, kAsConfigured, tier, {}, deep, kMaxHopDepth).empty());
  CHECK(none.empty());
}
