#include <catch2/catch.hpp>

#include "analysis/fixes.h"
#include "flow/tracer.h"
#include "scenario/builder.h"
#include "scenario/loader.h"

using namespace kerbsim;

namespace {

FlowOutcome retrace(const farm::Environment& env, const std::string& flow) {
  return flow::trace(env, {flow, ""}).flows.at(0);
}

TraceReport traced_with_fixes(const std::string& name) {
  const auto env =
      scenario::build(scenario::load_file(std::string(KERBSIM_SOURCE_DIR) + "/scenarios/" + name + ".json"));
  TraceReport report = flow::trace(env);
  analysis::attach_fixes(env, report, retrace);
  return report;
}

}  // namespace

TEST_CASE("the founding farm gets one shared gMSA with the SPN and the delegation, on every node", "[fixes]") {
  const TraceReport r = traced_with_fixes("ssrs-farm-networkservice-double-hop");
  for (const auto& p : r.flows.at(0).paths) {
    REQUIRE(p.verdict != Verdict::Ok);
    REQUIRE(p.fixes.size() == 1);
    CHECK(p.fixes[0].command.find("New-ADServiceAccount -Name gmsa-reports") != std::string::npos);
    CHECK(p.fixes[0].command.find("'msDS-AllowedToDelegateTo'='MSSQLSvc/sql1.corp.contoso.com:1433'") !=
          std::string::npos);
    CHECK(p.fixes[0].command.find("setspn -D HTTP/reports.corp.contoso.com CORP\\WEB1$") != std::string::npos);
  }
}

TEST_CASE("a fix that repairs one node is not offered when another repairs the whole farm", "[fixes]") {
  const TraceReport r = traced_with_fixes("iis-farm-shared-account-kernel-mode");
  for (const auto& p : r.flows.at(0).paths)
    for (const auto& f : p.fixes)
      CHECK(f.command.find("setspn -S HTTP/portal.corp.contoso.com CORP\\WEB") == std::string::npos);
}

TEST_CASE("a missing delegation gets constrained and resource-based alternatives", "[fixes]") {
  const TraceReport r = traced_with_fixes("double-hop-not-trusted");
  const auto& fixes = r.flows.at(0).paths.at(0).fixes;
  REQUIRE(fixes.size() == 2);
  CHECK(fixes[0].command ==
        "Set-ADUser -Identity svc-web -Add @{'msDS-AllowedToDelegateTo'='MSSQLSvc/sql1.corp.contoso.com:1433'}");
  CHECK(fixes[1].command == "Set-ADComputer -Identity SQL1 -PrincipalsAllowedToDelegateToAccount svc-web");
}

TEST_CASE("paths that work get no fixes, and fixes are never offered without verification", "[fixes]") {
  const TraceReport ok = traced_with_fixes("ssrs-farm-double-hop");
  for (const auto& p : ok.flows.at(0).paths) CHECK(p.fixes.empty());
  // A sensitive user cannot be delegated by design: no configuration change verifies.
  const TraceReport sensitive = traced_with_fixes("double-hop-sensitive-user");
  CHECK(sensitive.flows.at(0).paths.at(0).fixes.empty());
}

TEST_CASE("applying the fix printed for the broken founding farm makes every node reach SQL Server as the user",
          "[fixes]") {
  const auto env = scenario::build(
      scenario::load_file(std::string(KERBSIM_SOURCE_DIR) + "/scenarios/ssrs-farm-networkservice-double-hop.json"));
  const TraceReport before = flow::trace(env);
  const auto& flow = before.flows.at(0);
  const auto fixes = analysis::verified_fixes(env, flow, flow.paths.at(1), retrace);
  REQUIRE(fixes.size() == 1);
  auto fixed = env.clone();
  for (const auto& change : fixes[0].changes) farm::apply_change(fixed, change);
  const TraceReport after = flow::trace(fixed);
  for (const auto& p : after.flows.at(0).paths) {
    CHECK(p.verdict == Verdict::Ok);
    REQUIRE(p.hops.size() == 1);
    CHECK(p.hops[0].identity == std::optional<std::string>("CORP\\alice"));
    CHECK(p.hops[0].delegation == Delegation::Constrained);
  }
}
