#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>

#include "analysis/fixes.h"
#include "analysis/rollout.h"
#include "flow/tracer.h"
#include "scenario/builder.h"
#include "scenario/loader.h"

using namespace kerbsim;

namespace {

FlowOutcome retrace(const farm::Environment& env, const std::string& flow) {
  return flow::trace(env, {flow, ""}).flows.at(0);
}

farm::Environment bundled(const std::string& name) {
  return scenario::build(scenario::load_file(std::string(KERBSIM_SOURCE_DIR) + "/scenarios/" + name + ".json"));
}

TraceReport traced_with_fixes(const farm::Environment& env) {
  TraceReport report = flow::trace(env);
  analysis::attach_fixes(env, report, retrace);
  return report;
}

TraceReport traced_with_fixes(const std::string& name) { return traced_with_fixes(bundled(name)); }

std::vector<std::string> bundled_names() {
  std::vector<std::string> out;
  for (const auto& entry : std::filesystem::directory_iterator(std::string(KERBSIM_SOURCE_DIR) + "/scenarios"))
    if (entry.path().extension() == ".json") out.push_back(entry.path().stem().string());
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<std::string> commands(const Fix& fix) {
  std::vector<std::string> out;
  for (const auto& s : fix.steps)
    if (!s.command.empty()) out.push_back(s.command);
  return out;
}

// The position of the first step whose command starts with `prefix`; steps.size() when none does.
std::size_t step_at(const Fix& fix, const std::string& prefix) {
  for (std::size_t i = 0; i < fix.steps.size(); ++i)
    if (fix.steps[i].command.rfind(prefix, 0) == 0) return i;
  return fix.steps.size();
}

}  // namespace

TEST_CASE("the founding farm gets one shared gMSA, rolled out in an order every DC accepts", "[fixes]") {
  const TraceReport r = traced_with_fixes("ssrs-farm-networkservice-double-hop");
  for (const auto& p : r.flows.at(0).paths) {
    REQUIRE(p.verdict != Verdict::Ok);
    REQUIRE(p.fixes.size() == 1);
    const Fix& fix = p.fixes[0];
    CHECK(fix.none.empty());
    const std::size_t key = step_at(fix, "Add-KdsRootKey");
    const std::size_t create = step_at(fix, "New-ADServiceAccount -Name 'gmsa-reports'");
    const std::size_t install = step_at(fix, "Install-ADServiceAccount");
    const std::size_t identity = step_at(fix, "Invoke-CimMethod");
    const std::size_t removed = step_at(fix, "setspn -D HTTP/reports.corp.contoso.com 'CORP\\WEB1$'");
    const std::size_t added = step_at(fix, "setspn -S HTTP/reports.corp.contoso.com 'CORP\\gmsa-reports$'");
    const std::size_t delegation = step_at(fix, "Set-ADServiceAccount -Identity 'gmsa-reports' -Add");
    const std::size_t purge = step_at(fix, "klist purge");
    REQUIRE(purge < fix.steps.size());
    CHECK(fix.steps[key].wait == "10h");
    CHECK(key < create);
    CHECK(create < install);
    CHECK(install < identity);
    CHECK(identity < removed);
    CHECK(removed < added);
    CHECK(added < delegation);
    CHECK(delegation < purge);
    // The gMSA is created without the SPN, which is written only once WEB1$ no longer holds it.
    CHECK(fix.steps[create].command.find("ServicePrincipalNames") == std::string::npos);
    CHECK(fix.steps[create].command.find("-PrincipalsAllowedToRetrieveManagedPassword @('WEB1$', 'WEB2$')") !=
          std::string::npos);
    // Fix::command is the steps' commands, one per line, with no prose and no placeholder.
    std::string joined;
    for (const auto& c : commands(fix)) joined += (joined.empty() ? "" : "\n") + c;
    CHECK(fix.command == joined);
    CHECK(fix.command.find('<') == std::string::npos);
    CHECK(fix.command.find("on each node") == std::string::npos);
  }
}

TEST_CASE("a fix that repairs one node is not offered when another repairs the whole farm", "[fixes]") {
  const TraceReport r = traced_with_fixes("iis-farm-shared-account-kernel-mode");
  for (const auto& p : r.flows.at(0).paths)
    for (const auto& f : p.fixes)
      CHECK(f.command.find("setspn -S HTTP/portal.corp.contoso.com 'CORP\\WEB") == std::string::npos);
}

TEST_CASE("a missing delegation gets constrained and resource-based alternatives, each with the right it needs",
          "[fixes]") {
  const TraceReport r = traced_with_fixes("double-hop-not-trusted");
  const auto& fixes = r.flows.at(0).paths.at(0).fixes;
  REQUIRE(fixes.size() == 2);
  REQUIRE(fixes[0].steps.size() == 1);
  CHECK(fixes[0].command ==
        "Set-ADUser -Identity 'svc-web' -Add @{'msDS-AllowedToDelegateTo' = 'MSSQLSvc/sql1.corp.contoso.com:1433'}");
  CHECK(fixes[0].steps[0].needs == "Domain Admins (SeEnableDelegationPrivilege)");
  CHECK(fixes[0].steps[0].host == "dc1");
  CHECK(fixes[1].command.rfind("Set-ADComputer -Identity 'SQL1' -PrincipalsAllowedToDelegateToAccount", 0) == 0);
  CHECK(fixes[1].steps.at(0).needs.find("SeEnableDelegationPrivilege") == std::string::npos);
}

TEST_CASE("paths that work get no fixes; a sensitive user gets the reason instead of a fix", "[fixes]") {
  const TraceReport ok = traced_with_fixes("ssrs-farm-double-hop");
  for (const auto& p : ok.flows.at(0).paths) CHECK(p.fixes.empty());
  const TraceReport sensitive = traced_with_fixes("double-hop-sensitive-user");
  const auto& fixes = sensitive.flows.at(0).paths.at(0).fixes;
  REQUIRE(fixes.size() == 1);
  CHECK(fixes[0].steps.empty());
  CHECK(fixes[0].none.find("sensitive and cannot be delegated") != std::string::npos);
}

TEST_CASE("SQL Server's SPN on the wrong account is moved off it before it is written on the right one", "[fixes]") {
  const TraceReport r = traced_with_fixes("sql-client-logins");
  const PathOutcome* wrong = nullptr;
  for (const auto& f : r.flows)
    if (f.flow == "SPN on the wrong account") wrong = &f.paths.at(0);
  REQUIRE(wrong);
  REQUIRE(wrong->front.error == std::optional<Error>(Error{ErrorKind::SspiContext}));
  REQUIRE(wrong->fixes.size() == 1);
  const auto lines = commands(wrong->fixes[0]);
  REQUIRE(lines.size() >= 2);
  CHECK(lines[0] == "setspn -D MSSQLSvc/sql3.corp.contoso.com:1433 'CORP\\svc-sql3-old'");
  CHECK(lines[1] == "setspn -S MSSQLSvc/sql3.corp.contoso.com:1433 'CORP\\svc-sql3'");
}

TEST_CASE("an SPN with a named instance's dynamic port is registered only after the port is made static", "[fixes]") {
  const auto env = bundled("sql-named-instance-dynamic-port");
  const TraceReport r = traced_with_fixes(env);
  const PathOutcome& sql2 = r.flows.at(1).paths.at(0);
  REQUIRE(sql2.fixes.size() == 1);
  // iis-rules 6.4: the instance keeps port 51433 as a static one before an SPN names it.
  const auto changes = analysis::verified_fixes(env, r.flows.at(1), sql2, retrace).at(0).changes;
  REQUIRE(changes.size() >= 2);
  CHECK(changes[0].action == farm::Action::SetSqlPort);
  CHECK(changes[0].port == 51433);
  CHECK_FALSE(changes[0].value);
  CHECK(changes[1].action == farm::Action::AddSpn);
  CHECK(step_at(sql2.fixes[0], "Set-ItemProperty") < step_at(sql2.fixes[0], "setspn -S"));
}

TEST_CASE("constrained delegation to an instance on a dynamic port first makes that port static", "[fixes]") {
  auto env = bundled("double-hop-not-trusted");
  for (auto& h : env.hosts)
    if (h.sql)
      for (auto& inst : h.sql->instances) inst.dynamic_port = true;  // today on 1433, by chance
  const TraceReport before = flow::trace(env);
  const auto fixes = analysis::verified_fixes(env, before.flows.at(0), before.flows.at(0).paths.at(0), retrace);
  REQUIRE_FALSE(fixes.empty());
  const auto& changes = fixes[0].changes;
  REQUIRE(changes.size() == 2);
  CHECK(changes[0].action == farm::Action::SetSqlPort);  // iis-rules 6.4
  CHECK(changes[0].port == 1433);
  CHECK(changes[1].action == farm::Action::SetDelegation);
  CHECK(changes[1].allowed_to_delegate_to->back() == "MSSQLSvc/sql1.corp.contoso.com:1433");
}

TEST_CASE("a candidate with a change the write-time rules refuse is never shown", "[fixes]") {
  const auto env = bundled("ssrs-farm-networkservice-double-hop");
  const TraceReport before = flow::trace(env);
  const auto& flow = before.flows.at(0);
  const auto fixes = analysis::verified_fixes(env, flow, flow.paths.at(1), retrace);
  REQUIRE(fixes.size() == 1);
  analysis::Candidate with_key{"the gMSA fix", fixes[0].changes};
  REQUIRE(with_key.changes.front().action == farm::Action::AddKdsRootKey);
  CHECK(analysis::verify_candidates(env, flow, flow.paths.at(1), {with_key}, retrace).size() == 1);
  // Without its KDS root key, New-ADServiceAccount fails (kerberos-rules R7.1): the same fix is dropped.
  analysis::Candidate without_key = with_key;
  without_key.changes.erase(without_key.changes.begin());
  CHECK(analysis::verify_candidates(env, flow, flow.paths.at(1), {without_key}, retrace).empty());
  // Nor is one whose SPN the writing DC refuses as a duplicate (kerberos-rules R1.7): the SPN written on
  // the gMSA while WEB1$ still holds it.
  analysis::Candidate duplicate = with_key;
  std::erase_if(duplicate.changes, [](const farm::Change& c) { return c.action == farm::Action::RemoveSpn; });
  CHECK(analysis::verify_candidates(env, flow, flow.paths.at(1), {duplicate}, retrace).empty());
}

TEST_CASE("every bundled fix, applied in its printed order through the write-time rules, makes its path pass",
          "[fixes][library]") {
  int fixes = 0;
  for (const auto& name : bundled_names()) {
    const auto env = bundled(name);
    const TraceReport before = flow::trace(env);
    for (const auto& flow : before.flows)
      for (const auto& path : flow.paths) {
        if (path.verdict == Verdict::Ok) continue;
        for (const auto& fix : analysis::verified_fixes(env, flow, path, retrace)) {
          INFO(name << " / " << flow.flow << " / " << path.via.value_or("") << ": " << fix.fix.change);
          ++fixes;
          auto fixed = env.clone();
          const auto refused = analysis::apply_in_order(fixed, fix.changes);
          CHECK_FALSE(refused);
          CHECK(analysis::in_rollout_order(env, fix.changes).size() == fix.changes.size());
          const FlowOutcome again = retrace(fixed, flow.flow);
          for (const auto& p : again.paths)
            if (p.via == path.via) CHECK(p.verdict != Verdict::Failed);
        }
      }
  }
  CHECK(fixes > 30);
}

TEST_CASE("every path of the bundled library that is not ok gets a verified fix or the reason none exists",
          "[fixes][library]") {
  for (const auto& name : bundled_names()) {
    const TraceReport r = traced_with_fixes(name);
    for (const auto& flow : r.flows)
      for (const auto& path : flow.paths) {
        if (path.verdict == Verdict::Ok) continue;
        INFO(name << " / " << flow.flow << " / " << path.via.value_or(""));
        REQUIRE_FALSE(path.fixes.empty());
        for (const auto& fix : path.fixes) {
          const bool verified = !fix.steps.empty() && !fix.command.empty() && fix.none.empty();
          const bool none = fix.steps.empty() && fix.command.empty() && !fix.none.empty();
          CHECK((verified || none));
        }
      }
  }
}
