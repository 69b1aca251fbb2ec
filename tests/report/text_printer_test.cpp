#include <catch2/catch.hpp>

#include <cctype>
#include <sstream>
#include <string>

#include "kerbsim/report.h"

namespace kerbsim::test {
TraceReport ssrs_farm_example();  // tests/flow/outcome_test.cpp
}

using namespace kerbsim;

namespace {

std::string trace_text(const TraceReport& report, PrintOptions options = {}) {
  std::ostringstream out;
  print_trace_text(report, options, out);
  return out.str();
}

// The text without ANSI SGR sequences (ESC [ digits-and-semicolons m).
std::string strip_ansi(const std::string& s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\x1b' && i + 1 < s.size() && s[i + 1] == '[') {
      std::size_t j = i + 2;
      while (j < s.size() && (std::isdigit(static_cast<unsigned char>(s[j])) || s[j] == ';')) ++j;
      if (j < s.size() && s[j] == 'm') {
        i = j;
        continue;
      }
    }
    out += s[i];
  }
  return out;
}

Value obj(std::initializer_list<std::pair<std::string, Value>> members) {
  Value v = Value::object();
  for (const auto& [k, m] : members) v.set(k, m);
  return v;
}

}  // namespace

TEST_CASE("the SSRS farm trace reads as a pinned narrative", "[report][text]") {
  const std::string expected =
      R"txt(ssrs-farm-networkservice — SSRS scale-out behind a load balancer, app pools as NetworkService

Flow "alice opens the sales report"
  ws1 (CORP\alice, Edge) → http://reports.corp.contoso.com/Reports
  reports.corp.contoso.com reaches load balancer lb1: traced once per member (web1, web2)

── via web1 ────────────────────────────────────────────────────────────
   1  ws1 → dns     A? reports.corp.contoso.com
                    ← A 10.0.0.100
                    reports.corp.contoso.com has an A record 10.0.0.100, the virtual address of load
                    balancer lb1, which picks web1.   [iis-rules 5.5]
   2  ws1 → web1    GET /Reports (anonymous)
                    ← 401, WWW-Authenticate: Negotiate, NTLM
                    The first request carries no credentials; anonymous access is off, so the server
                    offers the Windows authentication providers.   [iis-rules 4.1]
   3  ws1 decides   zone of reports.corp.contoso.com
                    ← Local Intranet: log on silently
                    The host matches *.corp.contoso.com in the intranet site list, so Edge answers
                    Negotiate with alice's logon credentials.   [iis-rules 4.9]
   4  ws1 decides   SPN for reports.corp.contoso.com
                    ← HTTP/reports.corp.contoso.com
                    Edge builds the SPN from the canonical name; reports.corp.contoso.com is an A
                    record, so the name is used as typed.   [iis-rules 4.8]
   5  ws1 → dc1     TGS-REQ HTTP/reports.corp.contoso.com
                    ← TGS-REP, ticket for CORP\WEB1$ (aes256)
                    HTTP/reports.corp.contoso.com is registered on CORP\WEB1$, so the KDC encrypts
                    the ticket with WEB1$'s key.   [kerberos-rules R1.3]
   6  ws1 → web1    AP-REQ in Authorization: Negotiate (ticket for CORP\WEB1$)
                    ← accepted: CORP\alice
                    Kernel-mode authentication decrypts with the computer key CORP\WEB1$ (app pool
                    as NetworkService); it is the key the ticket was encrypted with.
                    [iis-rules 3.5]
   7  web1 → dc1    S4U2Proxy TGS-REQ MSSQLSvc/sql1.corp.contoso.com:1433 for CORP\alice
                    ← TGS-REP, ticket for CORP\svc-sql
                    CORP\WEB1$ may delegate to MSSQLSvc/sql1.corp.contoso.com:1433 and alice's
                    ticket is forwardable.   [kerberos-rules R3.2.3]
   8  web1 → sql1   TDS login (Kerberos) as CORP\alice
                    ← login ok: CORP\alice
                    The data source uses Windows integrated security, so SSRS connects as the
                    caller.   [iis-rules 7.7]
   9  ws1 → web1    GET /Reports as CORP\alice
                    ← 200 OK
                    SSRS authorizes CORP\alice on the report folder.   [iis-rules 7.1]

  verdict: OK — Kerberos end to end: web1 decrypts with CORP\WEB1$, the account that holds the SPN.
  request identity: CORP\alice · process identity: NT AUTHORITY\NETWORK SERVICE
  → sql1 (MSSQLSvc/sql1.corp.contoso.com:1433) as caller: kerberos, CORP\alice, constrained
    delegation — ok

── via web2 ────────────────────────────────────────────────────────────
   1  ws1 → dns     A? reports.corp.contoso.com
                    ← A 10.0.0.100
                    reports.corp.contoso.com has an A record 10.0.0.100, the virtual address of load
                    balancer lb1, which picks web2.   [iis-rules 5.5]
   2  ws1 → web2    GET /Reports (anonymous)
                    ← 401, WWW-Authenticate: Negotiate, NTLM
                    The first request carries no credentials; anonymous access is off, so the server
                    offers the Windows authentication providers.   [iis-rules 4.1]
   3  ws1 decides   zone of reports.corp.contoso.com
                    ← Local Intranet: log on silently
                    The host matches *.corp.contoso.com in the intranet site list, so Edge answers
                    Negotiate with alice's logon credentials.   [iis-rules 4.9]
   4  ws1 decides   SPN for reports.corp.contoso.com
                    ← HTTP/reports.corp.contoso.com
                    Edge builds the SPN from the canonical name; reports.corp.contoso.com is an A
                    record, so the name is used as typed.   [iis-rules 4.8]
   5  ws1 → dc1     TGS-REQ HTTP/reports.corp.contoso.com
                    ← TGS-REP, ticket for CORP\WEB1$ (aes256)
                    HTTP/reports.corp.contoso.com is registered on CORP\WEB1$, so the KDC encrypts
                    the ticket with WEB1$'s key.   [kerberos-rules R1.3]
   6  ws1 → web2    AP-REQ in Authorization: Negotiate (ticket for CORP\WEB1$)
                  ✘ ← 401, KRB_AP_ERR_MODIFIED
                    The ticket is encrypted with the key of CORP\WEB1$, but web2 decrypts with the
                    key of its own computer account CORP\WEB2$ (app pool as NetworkService, kernel
                    mode).   [kerberos-rules R2.6]
   7  ws1 → web2    GET /Reports after the credential prompt
                    ← 401 Unauthorized
                    A rejected ticket does not fall back to NTLM: Edge prompts for credentials and
                    sends the same ticket again.   [kerberos-rules R2.6]

  verdict: FAILED — web2 cannot decrypt a ticket encrypted for CORP\WEB1$; alice sees credential
           prompts, then 401.
  request identity: none · process identity: NT AUTHORITY\NETWORK SERVICE
  fix: Run the Reports app pool on every node as one domain account, move the SPN to it and set
       useAppPoolCredentials=true.
    $ setspn -D HTTP/reports.corp.contoso.com CORP\WEB1$ && setspn -S HTTP/reports.corp.contoso.com CORP\svc-reports

Summary: web1 ok (kerberos) · web2 failed (KRB_AP_ERR_MODIFIED)
)txt";
  REQUIRE(trace_text(test::ssrs_farm_example()) == expected);
}

TEST_CASE("no line of the narrative is wider than 100 columns except a command", "[report][text]") {
  std::istringstream in(trace_text(test::ssrs_farm_example()));
  for (std::string line; std::getline(in, line);) {
    if (line.find("$ ") != std::string::npos) continue;
    int width = 0;
    for (const char c : line) width += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
    INFO(line);
    CHECK(width <= 100);
  }
}

TEST_CASE("colour adds ANSI codes only when enabled and changes nothing else", "[report][text]") {
  const auto report = test::ssrs_farm_example();
  const std::string plain = trace_text(report);
  REQUIRE(plain.find('\x1b') == std::string::npos);

  PrintOptions color;
  color.color = true;
  const std::string colored = trace_text(report, color);
  REQUIRE(colored != plain);
  REQUIRE(strip_ansi(colored) == plain);
  CHECK(colored.find("verdict: \x1b[32mOK\x1b[0m") != std::string::npos);
  CHECK(colored.find("verdict: \x1b[31mFAILED\x1b[0m") != std::string::npos);
  CHECK(colored.find("\x1b[31m✘ ← 401, KRB_AP_ERR_MODIFIED\x1b[0m") != std::string::npos);
  CHECK(colored.find("\x1b[2m[kerberos-rules R2.6]\x1b[0m") != std::string::npos);
}

TEST_CASE("explain adds each step's details under its reason", "[report][text]") {
  PrintOptions explain;
  explain.explain = true;
  const std::string text = trace_text(test::ssrs_farm_example(), explain);
  const std::string details =
      "                    mode).   [kerberos-rules R2.6]\n"
      "                    · ws1 System log: Kerberos event 4, KRB_AP_ERR_MODIFIED from the server web2$\n"
      "                    · web2 Reports site: useKernelMode=true, useAppPoolCredentials=false\n"
      "   7  ws1 → web2    GET /Reports after the credential prompt\n";
  REQUIRE(text.find(details) != std::string::npos);
  REQUIRE(trace_text(test::ssrs_farm_example()).find("· ws1 System log") == std::string::npos);
}

TEST_CASE("a flow without a load balancer has one path and no summary line", "[report][text]") {
  TraceReport report = test::ssrs_farm_example();
  report.title.clear();
  auto& flow = report.flows[0];
  flow.balancer.reset();
  flow.paths.resize(1);
  flow.paths[0].via.reset();
  flow.paths[0].steps.resize(1);
  flow.paths[0].hops.clear();
  flow.paths[0].summary.clear();
  flow.paths[0].steps[0].why.clear();
  REQUIRE(trace_text(report) ==
          "ssrs-farm-networkservice\n"
          "\n"
          "Flow \"alice opens the sales report\"\n"
          "  ws1 (CORP\\alice, Edge) → http://reports.corp.contoso.com/Reports\n"
          "\n"
          "── path ────────────────────────────────────────────────────────────────\n"
          "   1  ws1 → dns     A? reports.corp.contoso.com\n"
          "                    ← A 10.0.0.100\n"
          "                    [iis-rules 5.5]\n"
          "\n"
          "  verdict: OK\n"
          "  request identity: CORP\\alice · process identity: NT AUTHORITY\\NETWORK SERVICE\n");
}

TEST_CASE("check results print one line per expectation and a closing count", "[report][text]") {
  const auto trace = test::ssrs_farm_example();
  std::vector<Expectation> expectations = {
      {"alice opens the sales report", "web1", obj({{"verdict", "ok"}}), "farm.json:40:7"},
      {"alice opens the sales report", "web2",
       obj({{"front", obj({{"error", "KRB_AP_ERR_SKEW"}, {"prompt", true}})}, {"verdit", "failed"}}), "farm.json:44:7"},
      {"alice opens the sales report", "", obj({{"spn", "HTTP/reports.corp.contoso.com"}}), "farm.json:50:7"},
      {"bob opens the portal", "", obj({}), "farm.json:55:7"},
  };
  CheckReport report = check_expectations(trace, expectations);
  report.file = "scenarios/ssrs-farm-networkservice.json";
  std::ostringstream out;
  print_check_text(report, {}, out);
  REQUIRE(out.str() ==
          "ssrs-farm-networkservice (scenarios/ssrs-farm-networkservice.json)\n"
          "✔ \"alice opens the sales report\" via web1\n"
          "✘ \"alice opens the sales report\" via web2  (farm.json:44:7)\n"
          "    front.error: expected \"KRB_AP_ERR_SKEW\", got \"KRB_AP_ERR_MODIFIED\"\n"
          "    verdit: expected \"failed\", got (absent)\n"
          "✔ \"alice opens the sales report\" (every path: web1, web2)\n"
          "✘ \"bob opens the portal\"  (farm.json:55:7)\n"
          "    no flow named \"bob opens the portal\" (flows: \"alice opens the sales report\")\n"
          "2 passed, 2 failed\n");

  PrintOptions color;
  color.color = true;
  std::ostringstream colored;
  print_check_text(report, color, colored);
  REQUIRE(colored.str().find("\x1b[31m✘\x1b[0m") != std::string::npos);
  REQUIRE(strip_ansi(colored.str()) == out.str());
  REQUIRE(colored.str().substr(colored.str().rfind('\n', colored.str().size() - 2) + 1) == "2 passed, 2 failed\n");
}

TEST_CASE("an empty check report still closes with its count", "[report][text]") {
  std::ostringstream out;
  print_check_text(CheckReport{}, {}, out);
  REQUIRE(out.str() == "0 passed, 0 failed\n");
}

TEST_CASE("hops behind the front end are listed, and a back-end error names the path in the summary",
          "[report][text]") {
  TraceReport report = test::ssrs_farm_example();
  auto& web1 = report.flows[0].paths[0];
  web1.verdict = Verdict::Failed;
  auto& sql = web1.hops.at(0);
  sql.protocol = Protocol::Anonymous;
  sql.identity = "NT AUTHORITY\\ANONYMOUS LOGON";
  sql.delegation = Delegation::None;
  sql.result = HopResult::LoginFailed;
  sql.error = Error::kerberos(13);
  HopOutcome linked;
  linked.to = "sql2";
  linked.service = "MSSQLSvc/sql2.corp.contoso.com:1433";
  linked.as = "caller";
  linked.protocol = Protocol::None;
  linked.result = HopResult::AuthFailed;
  sql.hops = {linked};

  const std::string text = trace_text(report);
  REQUIRE(
      text.find("  → sql1 (MSSQLSvc/sql1.corp.contoso.com:1433) as caller: anonymous, NT AUTHORITY\\ANONYMOUS LOGON,\n"
                "    no delegation — login_failed (KDC_ERR_BADOPTION)\n"
                "    → sql2 (MSSQLSvc/sql2.corp.contoso.com:1433) as caller: none, no identity, no delegation\n"
                "      — auth_failed\n") != std::string::npos);
  REQUIRE(text.find("Summary: web1 failed (KDC_ERR_BADOPTION) · web2 failed (KRB_AP_ERR_MODIFIED)\n") !=
          std::string::npos);

  PrintOptions color;
  color.color = true;
  const std::string colored = trace_text(report, color);
  REQUIRE(colored.find("\x1b[31mlogin_failed (KDC_ERR_BADOPTION)\x1b[0m") != std::string::npos);
}

TEST_CASE("the summary names the verdict's cause: a failing hop, not the front end's recovered error",
          "[report][text]") {
  TraceReport report = test::ssrs_farm_example();
  auto& web1 = report.flows[0].paths[0];
  // Kerberos failed first and NTLM worked at the front end; the call behind it then fails.
  web1.verdict = Verdict::Failed;
  web1.front.protocol = Protocol::Ntlm;
  web1.front.error = Error::kerberos(7);
  auto& sql = web1.hops.at(0);
  sql.result = HopResult::LoginFailed;
  sql.error = Error{ErrorKind::SqlLoginFailed};
  const std::string text = trace_text(report);
  REQUIRE(text.find("Summary: web1 failed (SQL_18456) · web2 failed (KRB_AP_ERR_MODIFIED)\n") != std::string::npos);
}

TEST_CASE("a long title wraps under itself", "[report][text]") {
  TraceReport report;
  report.scenario = "iis-domain-pool-account";
  report.title = "An HTTP SPN on a domain app pool account: kernel mode, useAppPoolCredentials, user mode";
  REQUIRE(trace_text(report) ==
          "iis-domain-pool-account — An HTTP SPN on a domain app pool account: kernel mode,\n"
          "                          useAppPoolCredentials, user mode\n");
}
