// The fixed design of every bundled scenario that has a fix: it checks, every path works, and the diff
// against the original lists exactly the fix's changes.
#include <algorithm>
#include <catch2/catch.hpp>
#include <filesystem>
#include <string>

#include "analysis/design_diff.h"
#include "api/fixed_design.h"
#include "kerbsim/kerbsim.h"
#include "scenario/builder.h"
#include "scenario/loader.h"

using namespace kerbsim;

TEST_CASE("the fixed design of every fixable bundled scenario works, checks and differs only by its fix", "[fixed]") {
  int fixed_count = 0;
  for (const auto& entry : std::filesystem::directory_iterator(std::string(KERBSIM_SOURCE_DIR) + "/scenarios")) {
    if (entry.path().extension() != ".json") continue;
    INFO(entry.path().filename().string());
    const auto original = Scenario::load(entry.path().string());
    const FixedScenario fixed = original->fix();
    if (!fixed.scenario) {
      CHECK(fixed.text.empty());
      CHECK(!fixed.problem.empty());
      continue;
    }
    ++fixed_count;
    const CheckReport check = fixed.scenario->check();
    CHECK(check.failed() == 0);
    CHECK(check.passed() > 0);
    for (const auto& f : fixed.scenario->trace().flows)
      for (const auto& p : f.paths) CHECK(p.verdict != Verdict::Failed);
    const DiffReport d = diff(*original, *fixed.scenario, {false});
    std::vector<std::string> listed;
    for (const auto& c : d.changes) listed.push_back(c.change);
    std::vector<std::string> applied = fixed.changes;
    std::sort(listed.begin(), listed.end());
    std::sort(applied.begin(), applied.end());
    CHECK(listed == applied);
    CHECK(d.other.empty());
    CHECK(!d.worse());
    // No failing path is left, so the fixed design has nothing more to fix.
    CHECK(fixed.scenario->write_fixed().empty());
  }
  CHECK(fixed_count >= 10);
}

TEST_CASE("diff of the founding farm and its fixed design: better one way, worse the other", "[fixed]") {
  const auto broken = Scenario::load(std::string(KERBSIM_SOURCE_DIR) + "/scenarios/ssrs-farm-networkservice.json");
  const FixedScenario fixed = broken->fix();
  REQUIRE(fixed.scenario);
  const DiffReport forward = diff(*broken, *fixed.scenario);
  CHECK(!forward.worse());
  CHECK(forward.outcome_changed());
  REQUIRE(forward.flows.size() == 1);
  CHECK(forward.flows.front().direction == Direction::Better);
  const DiffReport back = diff(*fixed.scenario, *broken);
  CHECK(back.worse());
  CHECK(back.flows.front().direction == Direction::Worse);
}

TEST_CASE("a scenario whose every path is ok gets no fixed design", "[fixed]") {
  const auto ok = Scenario::load(std::string(KERBSIM_SOURCE_DIR) + "/scenarios/iis-farm-shared-account.json");
  const FixedScenario fixed = ok->fix();
  CHECK(!fixed.scenario);
  CHECK(fixed.text.empty());
  CHECK(fixed.problem == "every path of iis-farm-shared-account is ok: nothing to fix");
}

TEST_CASE("a path that works only degraded (NTLM after Kerberos failed) is fixed too, as the trace shows", "[fixed]") {
  const auto degraded = Scenario::load(std::string(KERBSIM_SOURCE_DIR) + "/scenarios/iis-farm-spn-on-nobody.json");
  const FixedScenario fixed = degraded->fix();
  REQUIRE(fixed.scenario);
  for (const auto& f : fixed.scenario->trace({}).flows)
    for (const auto& p : f.paths) {
      INFO(f.flow << " via " << p.via.value_or(""));
      CHECK(p.verdict == Verdict::Ok);
    }
  CHECK(!diff(*degraded, *fixed.scenario).worse());
}

TEST_CASE("a scenario whose paths fail with no change that fixes them gets no fixed design, and says so", "[fixed]") {
  const auto stuck = Scenario::load(std::string(KERBSIM_SOURCE_DIR) + "/scenarios/double-hop-sensitive-user.json");
  const FixedScenario fixed = stuck->fix();
  CHECK(!fixed.scenario);
  CHECK(fixed.problem == "no failing or degraded path of double-hop-sensitive-user has a verified fix");
}

namespace {

std::string scenario_file(const std::string& name) {
  return std::string(KERBSIM_SOURCE_DIR) + "/scenarios/" + name + ".json";
}

}  // namespace

TEST_CASE("a static port written for an instance that registers its own SPNs carries the SPNs of its restart",
          "[fixed]") {
  const spec::Scenario original = scenario::load_file(scenario_file("sql-named-instance-dynamic-port"));
  const farm::Environment env = scenario::build(original);
  farm::Change port;
  port.action = farm::Action::SetSqlPort;
  port.host = "sql1";
  port.instance = "SALES";
  port.port = 1500;
  const api::FixedDesign design = api::write_fixed_design(original, env, {port});
  INFO(design.problem);
  REQUIRE(!design.text.empty());
  // iis-rules 6.3: NT SERVICE\MSSQL$SALES writes MSSQLSvc/sql1.corp.contoso.com:1500 on CORP\SQL1$ at start.
  const auto has = [&](const std::string& s) {
    return std::find(design.changes.begin(), design.changes.end(), s) != design.changes.end();
  };
  CHECK(design.changes.front() == farm::describe(port));
  CHECK(has("MSSQLSvc/sql1.corp.contoso.com:1500 added to CORP\\SQL1$"));
  const spec::Scenario written = scenario::load_text(design.text, "fixed.json");
  std::vector<std::string> listed;
  for (const auto& c : analysis::design_diff(env, scenario::build(written)).changes)
    listed.push_back(farm::describe(c));
  std::vector<std::string> applied = design.changes;
  std::sort(listed.begin(), listed.end());
  std::sort(applied.begin(), applied.end());
  CHECK(listed == applied);
}

TEST_CASE("a change the format cannot hold writes no fixed design", "[fixed]") {
  const spec::Scenario original = scenario::load_file(scenario_file("ssrs-farm-networkservice"));
  const farm::Environment env = scenario::build(original);
  farm::Change host_spn;
  host_spn.action = farm::Action::RemoveSpn;
  host_spn.account = "CORP\\WEB1$";
  host_spn.spn = directory::Spn::parse("HOST/web1.corp.contoso.com").value();  // the domain join's SPN
  const api::FixedDesign design = api::write_fixed_design(original, env, {host_spn});
  CHECK(design.text.empty());
  CHECK(design.problem.find("HOST/web1.corp.contoso.com") != std::string::npos);
}
