// The fixed design of every bundled scenario that has a fix: it checks, every path works, and the diff
// against the original lists exactly the fix's changes.
#include <algorithm>
#include <catch2/catch.hpp>
#include <filesystem>
#include <string>

#include "kerbsim/kerbsim.h"

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

TEST_CASE("a scenario without a failing path gets no fixed design", "[fixed]") {
  const auto ok = Scenario::load(std::string(KERBSIM_SOURCE_DIR) + "/scenarios/ssrs-farm-shared-account.json");
  const FixedScenario fixed = ok->fix();
  CHECK(!fixed.scenario);
  CHECK(fixed.text.empty());
  CHECK(!fixed.problem.empty());
}
