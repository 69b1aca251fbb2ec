// The audit's printers: findings worst first as given, each command whole on its own line, a count per
// severity; JSON with every list and a fix's steps.
#include <catch2/catch.hpp>

#include <sstream>

#include "kerbsim/report.h"

using namespace kerbsim;

namespace {

AuditReport example() {
  AuditReport r;
  r.scenario = "example";
  Finding dc;
  dc.severity = Severity::Critical;
  dc.code = "kcd-to-dc";
  dc.subject = "CORP\\svc-app";
  dc.accounts = {"CORP\\svc-app", "CORP\\DC1$"};
  dc.spns = {"ldap/dc1.corp.contoso.com"};
  dc.message = "CORP\\svc-app may delegate to ldap/dc1.corp.contoso.com.";
  dc.rule = "kerberos-rules R3.2.3";
  dc.path = {"CORP\\svc-app → S4U2Proxy → ldap/dc1.corp.contoso.com"};
  Fix fix;
  fix.change = "take ldap/dc1.corp.contoso.com off CORP\\svc-app's msDS-AllowedToDelegateTo";
  FixStep step;
  step.host = "dc1";
  step.needs = "Domain Admins (SeEnableDelegationPrivilege)";
  step.command = "Set-ADUser -Identity 'svc-app' -Clear 'msDS-AllowedToDelegateTo'";
  fix.steps = {step};
  fix.command = step.command;
  dc.fixes = {fix};
  Finding info;
  info.severity = Severity::Info;
  info.code = "anonymous-and-windows";
  info.subject = "web1/Portal";
  info.message = "Both enabled.";
  info.rule = "iis-rules 3.10";
  info.hosts = {"web1"};
  info.fixes = {Fix{"", "", {}, "turn anonymous off"}};
  r.findings = {dc, info};
  return r;
}

}  // namespace

TEST_CASE("audit text: severity, code and subject, the message with its rule, the path, the fix, the count",
          "[report][audit]") {
  std::ostringstream out;
  print_audit_text(example(), {}, out);
  REQUIRE(out.str() ==
          "critical kcd-to-dc  CORP\\svc-app\n"
          "  CORP\\svc-app may delegate to ldap/dc1.corp.contoso.com. [kerberos-rules R3.2.3]\n"
          "  path: CORP\\svc-app → S4U2Proxy → ldap/dc1.corp.contoso.com\n"
          "  fix: take ldap/dc1.corp.contoso.com off CORP\\svc-app's msDS-AllowedToDelegateTo\n"
          "    on dc1, needs Domain Admins (SeEnableDelegationPrivilege):\n"
          "      $ Set-ADUser -Identity 'svc-app' -Clear 'msDS-AllowedToDelegateTo'\n"
          "\n"
          "info     anonymous-and-windows  web1/Portal\n"
          "  Both enabled. [iis-rules 3.10]\n"
          "  fix: none — turn anonymous off\n"
          "\n"
          "2 findings: 1 critical, 1 info\n");
  std::ostringstream colored;
  print_audit_text(example(), {true, false}, colored);
  CHECK(colored.str().find("\x1b[") != std::string::npos);
  std::ostringstream none;
  print_audit_text(AuditReport{"clean", {}}, {}, none);
  CHECK(none.str() == "no findings\n");
}

TEST_CASE("audit JSON: counts per severity, and each finding's lists and fixes", "[report][audit]") {
  std::ostringstream out;
  print_audit_json(example(), out);
  const std::string s = out.str();
  CHECK(s.rfind("{\n  \"scenario\": \"example\",\n  \"counts\": {\n    \"critical\": 1,\n    \"high\": 0,\n"
                "    \"medium\": 0,\n    \"low\": 0,\n    \"info\": 1\n  },\n  \"findings\": [",
                0) == 0);
  CHECK(s.find("\"accounts\": [\n        \"CORP\\\\svc-app\",\n        \"CORP\\\\DC1$\"\n      ]") !=
        std::string::npos);
  CHECK(s.find("\"command\": \"Set-ADUser -Identity 'svc-app' -Clear 'msDS-AllowedToDelegateTo'\"") !=
        std::string::npos);
  CHECK(s.find("\"none\": \"turn anonymous off\"") != std::string::npos);
}

TEST_CASE("the severity scale and --fail-on", "[report][audit]") {
  CHECK(severity_by_name("critical") == Severity::Critical);
  CHECK(!severity_by_name("error"));
  CHECK(fail_on_by_name("any") == FailOn::Any);
  CHECK(!fail_on_by_name("low"));
  AuditReport r = example();
  CHECK(fails(r, FailOn::High));
  r.findings.erase(r.findings.begin());
  CHECK(!fails(r, FailOn::Any));  // info never fails
  r.findings.front().severity = Severity::Low;
  CHECK(!fails(r, FailOn::Medium));
  CHECK(fails(r, FailOn::Any));
  r.findings.front().severity = Severity::Medium;
  CHECK(fails(r, FailOn::Medium));
  CHECK(!fails(r, FailOn::High));
}
