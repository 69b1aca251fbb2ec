// The rollout order of a fix, and why it matters: the seed farm's SPN written on the new gMSA before
// it is taken off WEB1$ is refused by a DC of 2012 R2 or later (8467) and accepted, leaving a
// duplicate, by a 2012 DC (kerberos-rules R1.7, MS-ADTS 3.1.1.5.1.3).
#include <algorithm>
#include <catch2/catch.hpp>

#include "analysis/fixes.h"
#include "analysis/rollout.h"
#include "flow/tracer.h"
#include "scenario/builder.h"
#include "scenario/loader.h"

using namespace kerbsim;
using farm::Action;

namespace {

FlowOutcome retrace(const farm::Environment& env, const std::string& flow) {
  return flow::trace(env, {flow, ""}).flows.at(0);
}

farm::Environment seed_farm() {
  return scenario::build(
      scenario::load_file(std::string(KERBSIM_SOURCE_DIR) + "/scenarios/ssrs-farm-networkservice-double-hop.json"));
}

// The seed farm's verified fix, in its printed (rollout) order.
std::vector<farm::Change> seed_fix(const farm::Environment& env) {
  const TraceReport before = flow::trace(env);
  const auto fixes = analysis::verified_fixes(env, before.flows.at(0), before.flows.at(0).paths.at(1), retrace);
  REQUIRE(fixes.size() == 1);
  return fixes[0].changes;
}

// The order the fix used to print: the SPN added to the gMSA first, then removed from WEB1$.
std::vector<farm::Change> add_before_remove(std::vector<farm::Change> changes) {
  const auto removal =
      std::find_if(changes.begin(), changes.end(), [](const farm::Change& c) { return c.action == Action::RemoveSpn; });
  REQUIRE(removal != changes.end());
  const farm::Change remove = *removal;
  changes.erase(removal);
  const auto addition =
      std::find_if(changes.begin(), changes.end(), [](const farm::Change& c) { return c.action == Action::AddSpn; });
  REQUIRE(addition != changes.end());
  changes.insert(addition + 1, remove);
  for (auto& c : changes)
    if (c.action == Action::AddSpn) c.spn_tool = farm::SpnTool::Directory;  // as New-ADServiceAccount writes it
  return changes;
}

void set_dc_os(farm::Environment& env, const std::string& os) {
  for (auto& h : env.hosts)
    if (h.name == env.dc_name("corp.contoso.com")) h.os = os;
}

}  // namespace

TEST_CASE("rollout order: prerequisites, identity, servers, SPN off then on, delegation, clients", "[rollout]") {
  const auto env = seed_farm();
  const auto changes = seed_fix(env);
  std::vector<analysis::Phase> phases;
  phases.reserve(changes.size());
  for (const auto& c : changes) phases.push_back(analysis::rollout_phase(env, changes, c));
  CHECK(std::is_sorted(phases.begin(), phases.end()));
  CHECK(phases.front() == analysis::Phase::Prerequisites);
  CHECK(phases.back() == analysis::Phase::Clients);
  CHECK(analysis::in_rollout_order(env, add_before_remove(changes)).size() == changes.size());
  // Sorting restores remove-before-add.
  const auto sorted = analysis::in_rollout_order(env, add_before_remove(changes));
  const auto first_spn = std::find_if(sorted.begin(), sorted.end(), [](const farm::Change& c) {
    return c.action == Action::AddSpn || c.action == Action::RemoveSpn;
  });
  REQUIRE(first_spn != sorted.end());
  CHECK(first_spn->action == Action::RemoveSpn);
}

TEST_CASE("the seed farm's fix in its printed order is accepted by a 2016 DC and by a 2012 DC", "[rollout]") {
  for (const std::string os : {"2012", "2016"}) {
    INFO(os);
    auto env = seed_farm();
    set_dc_os(env, os);
    const auto changes = seed_fix(env);
    auto fixed = env.clone();
    CHECK_FALSE(analysis::apply_in_order(fixed, changes));
    CHECK(fixed.directory.duplicate_spns().empty());
    for (const auto& p : retrace(fixed, "alice runs the sales report").paths) CHECK(p.verdict == Verdict::Ok);
  }
}

TEST_CASE("the old order, add before remove, is refused with 8467 by a 2016 DC and leaves a duplicate on 2012",
          "[rollout]") {
  auto env = seed_farm();
  REQUIRE(env.host(env.dc_name("corp.contoso.com")));
  const auto old_order = add_before_remove(seed_fix(env));

  set_dc_os(env, "2016");
  auto on_2016 = env.clone();
  const auto refused = analysis::apply_in_order(on_2016, old_order);
  REQUIRE(refused);
  CHECK(old_order[refused->index].action == Action::AddSpn);
  CHECK(refused->result.refusal->reason == directory::WriteRefusal::SpnNotUniqueInForest);
  CHECK(directory::windows_error(refused->result.refusal->reason) == 8467);

  set_dc_os(env, "2012");
  auto on_2012 = env.clone();
  std::size_t duplicates_seen = 0;
  for (const auto& c : old_order) {
    CHECK_FALSE(farm::apply_change(on_2012, c).refused());
    duplicates_seen = std::max(duplicates_seen, on_2012.directory.duplicate_spns().size());
  }
  CHECK(duplicates_seen == 1);  // between the two writes, HTTP/reports is on WEB1$ and on the gMSA
}
