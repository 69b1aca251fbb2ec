#include <catch2/catch.hpp>

#include <set>
#include <string>

#include "kerbsim/outcome.h"

namespace kerbsim::test {

// The SSRS farm of the project's founding question: both nodes run the Reports app pool as
// NetworkService and HTTP/reports.corp.contoso.com sits on CORP\WEB1$, so web1 works and web2 cannot
// decrypt. Shared by the flow and report tests (declared there, defined here).
TraceReport ssrs_farm_example() {
  const auto step = [](int seq, StepKind kind, std::string from, std::string to, std::string message,
                       std::string result, std::string why, std::string rule) {
    Step s;
    s.seq = seq;
    s.kind = kind;
    s.from = std::move(from);
    s.to = std::move(to);
    s.message = std::move(message);
    s.result = std::move(result);
    s.why = std::move(why);
    s.rule = std::move(rule);
    return s;
  };
  // Steps 1-5 are the same whichever node the balancer picks.
  const auto common = [&](const std::string& node) {
    std::vector<Step> steps;
    steps.push_back(step(1, StepKind::Dns, "ws1", "dns", "A? reports.corp.contoso.com", "A 10.0.0.100",
                         "reports.corp.contoso.com has an A record 10.0.0.100, the virtual address of "
                         "load balancer lb1, which picks " +
                             node + ".",
                         "iis-rules 5.5"));
    steps.push_back(step(2, StepKind::Http, "ws1", node, "GET /Reports (anonymous)",
                         "401, WWW-Authenticate: Negotiate, NTLM",
                         "The first request carries no credentials; anonymous access is off, so the "
                         "server offers the Windows authentication providers.",
                         "iis-rules 4.1"));
    steps.push_back(step(3, StepKind::Decision, "ws1", "ws1", "zone of reports.corp.contoso.com",
                         "Local Intranet: log on silently",
                         "The host matches *.corp.contoso.com in the intranet site list, so Edge answers "
                         "Negotiate with alice's logon credentials.",
                         "iis-rules 4.9"));
    steps.push_back(step(4, StepKind::Decision, "ws1", "ws1", "SPN for reports.corp.contoso.com",
                         "HTTP/reports.corp.contoso.com",
                         "Edge builds the SPN from the canonical name; reports.corp.contoso.com is an A "
                         "record, so the name is used as typed.",
                         "iis-rules 4.8"));
    steps.push_back(step(5, StepKind::TgsExchange, "ws1", "dc1", "TGS-REQ HTTP/reports.corp.contoso.com",
                         "TGS-REP, ticket for CORP\\WEB1$ (aes256)",
                         "HTTP/reports.corp.contoso.com is registered on CORP\\WEB1$, so the KDC encrypts "
                         "the ticket with WEB1$'s key.",
                         "kerberos-rules R1.3"));
    return steps;
  };

  TicketSummary ticket{"CORP\\WEB1$", {"forwardable"}, "aes256"};

  PathOutcome web1;
  web1.via = "web1";
  web1.spn = "HTTP/reports.corp.contoso.com";
  web1.front.protocol = Protocol::Kerberos;
  web1.front.http_status = 200;
  web1.front.identity = "CORP\\alice";
  web1.front.process_identity = "NT AUTHORITY\\NETWORK SERVICE";
  web1.front.ticket = ticket;
  web1.front.decrypted_with = "CORP\\WEB1$";
  web1.verdict = Verdict::Ok;
  web1.summary = "Kerberos end to end: web1 decrypts with CORP\\WEB1$, the account that holds the SPN.";
  web1.steps = common("web1");
  web1.steps.push_back(step(6, StepKind::ApExchange, "ws1", "web1",
                            "AP-REQ in Authorization: Negotiate (ticket for CORP\\WEB1$)", "accepted: CORP\\alice",
                            "Kernel-mode authentication decrypts with the computer key CORP\\WEB1$ "
                            "(app pool as NetworkService); it is the key the ticket was encrypted with.",
                            "iis-rules 3.5"));
  web1.steps.push_back(step(7, StepKind::TgsExchange, "web1", "dc1",
                            "S4U2Proxy TGS-REQ MSSQLSvc/sql1.corp.contoso.com:1433 for CORP\\alice",
                            "TGS-REP, ticket for CORP\\svc-sql",
                            "CORP\\WEB1$ may delegate to MSSQLSvc/sql1.corp.contoso.com:1433 and alice's "
                            "ticket is forwardable.",
                            "kerberos-rules R3.2.3"));
  web1.steps.push_back(step(8, StepKind::Sql, "web1", "sql1", "TDS login (Kerberos) as CORP\\alice",
                            "login ok: CORP\\alice",
                            "The data source uses Windows integrated security, so SSRS connects as the "
                            "caller.",
                            "iis-rules 7.7"));
  web1.steps.push_back(step(9, StepKind::Http, "ws1", "web1", "GET /Reports as CORP\\alice", "200 OK",
                            "SSRS authorizes CORP\\alice on the report folder.", "iis-rules 7.1"));
  HopOutcome sql;
  sql.to = "sql1";
  sql.service = "MSSQLSvc/sql1.corp.contoso.com:1433";
  sql.as = "caller";
  sql.protocol = Protocol::Kerberos;
  sql.identity = "CORP\\alice";
  sql.delegation = Delegation::Constrained;
  web1.hops.push_back(sql);

  PathOutcome web2;
  web2.via = "web2";
  web2.spn = "HTTP/reports.corp.contoso.com";
  web2.front.protocol = Protocol::Kerberos;
  web2.front.http_status = 401;
  web2.front.process_identity = "NT AUTHORITY\\NETWORK SERVICE";
  web2.front.ticket = ticket;
  web2.front.decrypted_with = "CORP\\WEB2$";
  web2.front.prompt = true;
  web2.front.error = Error::kerberos(41);
  web2.verdict = Verdict::Failed;
  web2.summary =
      "web2 cannot decrypt a ticket encrypted for CORP\\WEB1$; alice sees credential prompts, "
      "then 401.";
  web2.steps = common("web2");
  Step ap = step(6, StepKind::ApExchange, "ws1", "web2", "AP-REQ in Authorization: Negotiate (ticket for CORP\\WEB1$)",
                 "401, KRB_AP_ERR_MODIFIED",
                 "The ticket is encrypted with the key of CORP\\WEB1$, but web2 decrypts with the key of its "
                 "own computer account CORP\\WEB2$ (app pool as NetworkService, kernel mode).",
                 "kerberos-rules R2.6");
  ap.failed = true;
  ap.details = {"ws1 System log: Kerberos event 4, KRB_AP_ERR_MODIFIED from the server web2$",
                "web2 Reports site: useKernelMode=true, useAppPoolCredentials=false"};
  web2.steps.push_back(ap);
  web2.steps.push_back(step(7, StepKind::Http, "ws1", "web2", "GET /Reports after the credential prompt",
                            "401 Unauthorized",
                            "A rejected ticket does not fall back to NTLM: Edge prompts for credentials "
                            "and sends the same ticket again.",
                            "kerberos-rules R2.6"));
  web2.fixes.push_back(
      {"Run the Reports app pool on every node as one domain account, move the SPN to it "
       "and set useAppPoolCredentials=true.",
       "setspn -D HTTP/reports.corp.contoso.com CORP\\WEB1$ && setspn -S "
       "HTTP/reports.corp.contoso.com CORP\\svc-reports",
       {},
       ""});

  FlowOutcome flow;
  flow.flow = "alice opens the sales report";
  flow.client = "ws1";
  flow.user = "CORP\\alice";
  flow.url = "http://reports.corp.contoso.com/Reports";
  flow.browser = "Edge";
  flow.balancer = "lb1";
  flow.paths = {web1, web2};

  TraceReport report;
  report.scenario = "ssrs-farm-networkservice";
  report.title = "SSRS scale-out behind a load balancer, app pools as NetworkService";
  report.flows = {flow};
  return report;
}

}  // namespace kerbsim::test

using namespace kerbsim;

TEST_CASE("enum names are the strings of the traced-outcome contract", "[flow][outcome]") {
  REQUIRE(to_string(Protocol::Kerberos) == "kerberos");
  REQUIRE(to_string(Protocol::Ntlm) == "ntlm");
  REQUIRE(to_string(Protocol::Basic) == "basic");
  REQUIRE(to_string(Protocol::Anonymous) == "anonymous");
  REQUIRE(to_string(Protocol::None) == "none");
  REQUIRE(to_string(Verdict::Ok) == "ok");
  REQUIRE(to_string(Verdict::Degraded) == "degraded");
  REQUIRE(to_string(Verdict::Failed) == "failed");
  REQUIRE(to_string(Delegation::None) == "none");
  REQUIRE(to_string(Delegation::Unconstrained) == "unconstrained");
  REQUIRE(to_string(Delegation::Constrained) == "constrained");
  REQUIRE(to_string(Delegation::ProtocolTransition) == "protocol_transition");
  REQUIRE(to_string(Delegation::ResourceBased) == "resource_based");
  REQUIRE(to_string(HopResult::Ok) == "ok");
  REQUIRE(to_string(HopResult::LoginFailed) == "login_failed");
  REQUIRE(to_string(HopResult::AuthFailed) == "auth_failed");
  REQUIRE(to_string(HopResult::AccessDenied) == "access_denied");
  REQUIRE(to_string(StepKind::Dns) == "dns");
  REQUIRE(to_string(StepKind::Http) == "http");
  REQUIRE(to_string(StepKind::AsExchange) == "as");
  REQUIRE(to_string(StepKind::TgsExchange) == "tgs");
  REQUIRE(to_string(StepKind::ApExchange) == "ap");
  REQUIRE(to_string(StepKind::Ntlm) == "ntlm");
  REQUIRE(to_string(StepKind::Decision) == "decision");
  REQUIRE(to_string(StepKind::Sql) == "sql");
}

TEST_CASE("a path document has the contract's keys in the contract's order", "[flow][outcome]") {
  PathOutcome path;
  path.via = "web2";
  path.spn = "HTTP/reports.corp.contoso.com";
  path.front.protocol = Protocol::Kerberos;
  path.front.http_status = 401;
  path.front.process_identity = "NT AUTHORITY\\NETWORK SERVICE";
  path.front.ticket = TicketSummary{"CORP\\WEB1$", {"forwardable"}, "aes256"};
  path.front.decrypted_with = "CORP\\WEB2$";
  path.front.prompt = true;
  path.front.error = Error::kerberos(41);
  HopOutcome inner;
  inner.to = "sql2";
  inner.service = "MSSQLSvc/sql2.corp.contoso.com:1433";
  inner.as = "caller";
  inner.protocol = Protocol::Ntlm;
  inner.identity = "NT AUTHORITY\\ANONYMOUS LOGON";
  inner.result = HopResult::LoginFailed;
  inner.error = Error{ErrorKind::SqlLoginFailed};
  HopOutcome hop;
  hop.to = "sql1";
  hop.service = "MSSQLSvc/sql1.corp.contoso.com:1433";
  hop.as = "caller";
  hop.protocol = Protocol::Kerberos;
  hop.identity = "CORP\\alice";
  hop.delegation = Delegation::ResourceBased;
  hop.hops = {inner};
  path.hops = {hop};
  path.verdict = Verdict::Failed;
  path.summary = "web2 cannot decrypt";
  Step s;
  s.seq = 6;
  s.kind = StepKind::ApExchange;
  s.from = "ws1";
  s.to = "web2";
  s.message = "AP-REQ";
  s.result = "401, KRB_AP_ERR_MODIFIED";
  s.why = "wrong key";
  s.rule = "kerberos-rules R2.6";
  s.failed = true;
  s.details = {"event 4"};
  path.steps = {s};
  FixStep setspn;
  setspn.host = "dc1";
  setspn.needs = "write access on the account";
  setspn.phase = "spn";
  setspn.command = "setspn -S HTTP/reports CORP\\svc";
  setspn.check = "setspn -Q HTTP/reports";
  setspn.why = "the SPN on the account that decrypts it";
  path.fixes = {Fix{"move the SPN", "setspn -S HTTP/reports CORP\\svc", {setspn}, ""}};

  const std::string expected =
      R"({"via": "web2", "spn": "HTTP/reports.corp.contoso.com", )"
      R"("front": {"protocol": "kerberos", "http_status": 401, "identity": null, )"
      R"("process_identity": "NT AUTHORITY\\NETWORK SERVICE", )"
      R"("ticket": {"encrypted_for": "CORP\\WEB1$", "flags": ["forwardable"], "etype": "aes256"}, )"
      R"("decrypted_with": "CORP\\WEB2$", "prompt": true, "error": "KRB_AP_ERR_MODIFIED"}, )"
      R"("hops": [{"to": "sql1", "service": "MSSQLSvc/sql1.corp.contoso.com:1433", "as": "caller", )"
      R"("protocol": "kerberos", "identity": "CORP\\alice", "delegation": "resource_based", "result": "ok", )"
      R"("error": null, "hops": [{"to": "sql2", "service": "MSSQLSvc/sql2.corp.contoso.com:1433", )"
      R"("as": "caller", "protocol": "ntlm", "identity": "NT AUTHORITY\\ANONYMOUS LOGON", )"
      R"("delegation": "none", "result": "login_failed", "error": "SQL_18456", "hops": []}]}], )"
      R"("verdict": "failed", )"
      R"("steps": [{"seq": 6, "from": "ws1", "to": "web2", "message": "AP-REQ", )"
      R"("result": "401, KRB_AP_ERR_MODIFIED", "why": "wrong key", "rule": "kerberos-rules R2.6", )"
      R"("kind": "ap", "failed": true, "details": ["event 4"]}], )"
      R"("fixes": [{"change": "move the SPN", "command": "setspn -S HTTP/reports CORP\\svc", )"
      R"("steps": [{"host": "dc1", "needs": "write access on the account", "command": )"
      R"("setspn -S HTTP/reports CORP\\svc", "phase": "spn", "guard": "", "check": "setspn -Q HTTP/reports", )"
      R"("wait": "", "why": "the SPN on the account that decrypts it"}], "none": null}], )"
      R"("summary": "web2 cannot decrypt"})";
  REQUIRE(to_value(path).dump() == expected);
}

TEST_CASE("absent optional fields of an outcome are null, never empty strings", "[flow][outcome]") {
  PathOutcome path;  // no balancer, Kerberos never tried, refused before any identity
  const Value v = to_value(path);
  REQUIRE(v.find("via")->is_null());
  REQUIRE(v.find("spn")->is_null());
  const Value& front = *v.find("front");
  REQUIRE(front.dump() == R"({"protocol": "none", "http_status": 0, "identity": null, "process_identity": null, )"
                          R"("ticket": null, "decrypted_with": null, "prompt": false, "error": null})");
  REQUIRE(v.find("hops")->dump() == "[]");
  REQUIRE(v.find("steps")->dump() == "[]");
  REQUIRE(v.find("fixes")->dump() == "[]");

  FlowOutcome flow;
  flow.flow = "bob opens the portal";
  flow.client = "ws2";
  flow.user = "CORP\\bob";
  flow.url = "http://portal/";
  flow.browser = "chrome";
  REQUIRE(to_value(flow).dump() ==
          R"({"flow": "bob opens the portal", "client": "ws2", "user": "CORP\\bob", "paths": [], )"
          R"("url": "http://portal/", "browser": "chrome", "balancer": null})");
}

TEST_CASE("a trace report document lists the scenario and its flows in order", "[flow][outcome]") {
  const TraceReport report = test::ssrs_farm_example();
  const Value v = to_value(report);
  const auto& keys = v.as_object();
  REQUIRE(keys.size() == 2);
  REQUIRE(keys[0].first == "scenario");
  REQUIRE(keys[1].first == "flows");
  REQUIRE(v.find("scenario")->as_string() == "ssrs-farm-networkservice");

  const Value& flow = v.find("flows")->as_array().at(0);
  std::vector<std::string> flow_keys;
  for (const auto& [k, _] : flow.as_object()) flow_keys.push_back(k);
  REQUIRE(flow_keys == std::vector<std::string>{"flow", "client", "user", "paths", "url", "browser", "balancer"});
  REQUIRE(flow.find("balancer")->as_string() == "lb1");

  const auto& paths = flow.find("paths")->as_array();
  REQUIRE(paths.size() == 2);
  REQUIRE(paths[0].find("via")->as_string() == "web1");
  REQUIRE(paths[0].find("verdict")->as_string() == "ok");
  REQUIRE(paths[1].find("front")->find("error")->as_string() == "KRB_AP_ERR_MODIFIED");
  REQUIRE(paths[1].find("front")->find("identity")->is_null());
  std::vector<std::string> path_keys;
  for (const auto& [k, _] : paths[1].as_object()) path_keys.push_back(k);
  REQUIRE(path_keys == std::vector<std::string>{"via", "spn", "front", "hops", "verdict", "steps", "fixes", "summary"});
}

TEST_CASE("an error's name is the one the JSON and the text show: Kerberos errors by their RFC 4120 name",
          "[outcome]") {
  CHECK(to_string(Error::kerberos(41)) == "KRB_AP_ERR_MODIFIED");
  CHECK(to_string(Error::kerberos(68)) == "KDC_ERR_WRONG_REALM");
  CHECK(to_string(Error{ErrorKind::Http401_3}) == "HTTP_401_3");
  CHECK(to_string(Error{ErrorKind::SqlLoginFailed}) == "SQL_18456");
  CHECK(to_string(Error{ErrorKind::SqlUntrustedDomain}) == "SQL_18452");
  CHECK(to_string(Error{ErrorKind::NetlogonTimeout}) == "NETLOGON_TIMEOUT");
  // Every kind has its own name.
  std::set<std::string> names;
  for (int k = static_cast<int>(ErrorKind::DnsNameNotFound); k <= static_cast<int>(ErrorKind::NetlogonTimeout); ++k)
    CHECK(names.insert(to_string(Error{static_cast<ErrorKind>(k)})).second);
}

TEST_CASE("root_cause: a failing hop behind a working front end, else the front end's first failure", "[outcome]") {
  PathOutcome p;
  p.front.error = Error::kerberos(7);  // Kerberos failed first: no SPN
  HopOutcome ok, failed, deeper;
  ok.result = HopResult::Ok;
  deeper.result = HopResult::LoginFailed;
  deeper.error = Error{ErrorKind::SqlLoginFailed};
  ok.hops = {deeper};
  failed.result = HopResult::AuthFailed;
  failed.error = Error::kerberos(13);
  p.hops = {ok, failed};
  SECTION("the front end failed: its error, whatever the hops") { CHECK(root_cause(p) == Error::kerberos(7)); }
  SECTION("the front end worked (NTLM): the first failing hop, depth first in call order") {
    p.front.identity = "CORP\\alice";
    CHECK(root_cause(p) == Error{ErrorKind::SqlLoginFailed});
    CHECK(first_failed_hop(p.hops) == &p.hops[0].hops[0]);
  }
  SECTION("every hop worked: the recovered front-end error explains a degraded verdict") {
    p.front.identity = "CORP\\alice";
    p.hops = {};
    CHECK(root_cause(p) == Error::kerberos(7));
  }
}
