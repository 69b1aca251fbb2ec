// Rehearsals on the seed farm (two report servers as NetworkService, the SPN on WEB1$), moved to a
// shared service account in orders written out here: the failure fraction of each step's window, the
// outage of moving the SPN first, the cost of switching the node that works today too early, and when
// failures stop (the purge, or the tickets' expiry). Then the library call on every bundled scenario.
#include <algorithm>
#include <catch2/catch.hpp>
#include <filesystem>
#include <string>
#include <vector>

#include "kerbsim/kerbsim.h"
#include "scenario/builder.h"
#include "scenario/loader.h"
#include "support/corp.h"
#include "workload/rehearsal.h"

using namespace kerbsim;
using engine::kHour;
using engine::kMinute;
using engine::SimTime;
using farm::Action;

namespace {

const std::string kSpn = "HTTP/reports.corp.contoso.com";
const std::string kAccount = "CORP\\svc-reports";
constexpr SimTime kStep = 30 * kMinute;

// The seed farm, with the service account the fix moves the farm to already in the directory.
farm::Environment seed_farm() {
  farm::Environment env = scenario::build(
      scenario::load_file(std::string(KERBSIM_SOURCE_DIR) + "/scenarios/ssrs-farm-networkservice.json"));
  env.directory.add_account(test::corp_user("svc-reports"));
  return env;
}

farm::Change report_server_runs_as_account(const std::string& host) {
  farm::Change c;
  c.action = Action::SetSsrsServiceAccount;
  c.host = host;
  c.identity = {web::IdentityType::DomainAccount, kAccount};
  return c;
}

farm::Change spn(Action action, const std::string& account) {
  farm::Change c;
  c.action = action;
  c.account = account;
  c.spn = test::spn(kSpn);
  return c;
}

farm::Change purge() {
  farm::Change c;
  c.action = Action::PurgeTickets;
  return c;
}

// web2 (failing today) first, then the SPN, the clients' purge, and web1 (working today) last.
std::vector<farm::Change> failing_node_first() {
  return {report_server_runs_as_account("web2"), spn(Action::RemoveSpn, "CORP\\WEB1$"), spn(Action::AddSpn, kAccount),
          purge(), report_server_runs_as_account("web1")};
}

workload::Workload small_workload() {
  workload::Workload w;
  w.users = 200;
  w.seed = 3;
  return w;
}

RehearsalReport rehearse(const std::vector<farm::Change>& ordered) {
  const farm::Environment env = seed_farm();
  RehearsalReport r;
  workload::rehearse(env, small_workload(), ordered, kStep, {}, r);
  return r;
}

double fraction(const RehearsalStep& s) { return s.requests.failure_fraction(); }

double node_fraction(const RehearsalStep& s, const std::string& node) {
  for (const auto& n : s.nodes)
    if (n.node == node) return n.requests.failure_fraction();
  FAIL("no requests reached " << node);
  return 0;
}

bool has_error(const RehearsalReport& r, const std::string& name) {
  return std::any_of(r.errors.begin(), r.errors.end(), [&](const CountByName& e) { return e.name == name; });
}

}  // namespace

TEST_CASE("a rehearsal measures the window before the first step and after each step, overall and per node",
          "[rehearsal]") {
  const RehearsalReport r = rehearse(failing_node_first());
  // Before the fix the balancer sends half the connections to web2, which cannot decrypt.
  CHECK(fraction(r.before) > 0.4);
  CHECK(fraction(r.before) < 0.6);
  CHECK(node_fraction(r.before, "web1") == 0.0);
  CHECK(node_fraction(r.before, "web2") == 1.0);
  REQUIRE(r.steps.size() == 5);
  for (std::size_t i = 0; i < r.steps.size(); ++i) {
    const auto& s = r.steps[i];
    CHECK(s.number == static_cast<int>(i) + 1);
    CHECK(s.at == kHour + kStep + static_cast<SimTime>(i) * kStep);
    CHECK(s.end == s.at + kStep);
    CHECK(s.requests.requests > 1000);
    CHECK(s.nodes.size() == 2);
  }
  CHECK(r.steps[0].action == "set_ssrs_service_account");
  CHECK(r.steps[0].change == "the report server on web2 runs as CORP\\svc-reports");
  CHECK(r.steps[1].change == kSpn + " removed from CORP\\WEB1$");
}

TEST_CASE(
    "moving the farm with the failing node first never fails more than before the fix, and the last step "
    "ends the failures",
    "[rehearsal]") {
  const RehearsalReport r = rehearse(failing_node_first());
  for (const auto& s : r.steps) CHECK(fraction(s) <= fraction(r.before) + 0.05);
  // After the purge every client holds a ticket for svc-reports: web2 works, web1 does not, until it moves too.
  CHECK(node_fraction(r.steps[3], "web2") == 0.0);
  CHECK(node_fraction(r.steps[3], "web1") > 0.9);
  CHECK(r.steps[4].requests.failed < r.steps[4].requests.requests / 20);
  CHECK(r.after.failed == 0);
  REQUIRE(r.last_failure);
  CHECK(*r.last_failure < r.steps[4].at + 5 * kMinute);
  CHECK(r.failures_stopped);
}

TEST_CASE(
    "moving the SPN and purging before any node runs as the new owner fails every node with "
    "KRB_AP_ERR_MODIFIED",
    "[rehearsal]") {
  const std::vector<farm::Change> wrong = workload::in_order(failing_node_first(), RolloutOrder::SpnFirst);
  REQUIRE(wrong.size() == 5);
  CHECK(wrong[0].action == Action::RemoveSpn);
  CHECK(wrong[1].action == Action::AddSpn);
  CHECK(wrong[2].action == Action::PurgeTickets);
  CHECK(wrong[3].host == "web2");
  CHECK(wrong[4].host == "web1");
  const RehearsalReport right = rehearse(failing_node_first());
  const RehearsalReport r = rehearse(wrong);
  CHECK(fraction(r.before) == fraction(right.before));  // same seed, same morning
  // The purge (step 3) makes every client ask for a ticket to svc-reports, which no node decrypts yet
  // (only connections authenticated before it still carry requests).
  CHECK(node_fraction(r.steps[2], "web1") > 0.9);
  CHECK(node_fraction(r.steps[2], "web2") > 0.99);
  CHECK(fraction(r.steps[2]) > fraction(right.steps[2]) + 0.4);
  CHECK(has_error(r, "KRB_AP_ERR_MODIFIED"));
  // Once both nodes run as svc-reports the new tickets work everywhere.
  CHECK(r.after.failed == 0);
}

TEST_CASE("switching the node that works today before the SPN moves fails its clients' cached tickets", "[rehearsal]") {
  // The order for a farm: every node's identity first, then the SPN, then the clients.
  const RehearsalReport r = rehearse({report_server_runs_as_account("web1"), report_server_runs_as_account("web2"),
                                      spn(Action::RemoveSpn, "CORP\\WEB1$"), spn(Action::AddSpn, kAccount), purge()});
  // Cached tickets are for WEB1$; web1 now decrypts with svc-reports' key (kerberos-rules R2.6, R2.7).
  CHECK(node_fraction(r.steps[0], "web1") > 0.9);
  CHECK(fraction(r.steps[0]) > fraction(r.before) + 0.3);
  // The purge ends it.
  CHECK(r.steps[4].requests.failed < r.steps[4].requests.requests / 20);
  CHECK(r.after.failed == 0);
}

TEST_CASE("without a purge, cached tickets keep failing until they expire", "[rehearsal]") {
  std::vector<farm::Change> no_purge = failing_node_first();
  no_purge.erase(no_purge.begin() + 3);
  const RehearsalReport r = rehearse(no_purge);
  const SimTime last_step = r.steps.back().at;
  // Every user got a ticket for WEB1$ at logon, in the first hour; it lives 10h (kerberos-rules R2.9).
  CHECK(fraction(r.steps.back()) > 0.9);
  REQUIRE(r.last_failure);
  CHECK(*r.last_failure > last_step + 5 * kHour);
  CHECK(*r.last_failure < 11 * kHour);
  CHECK(*r.last_failure <= last_step + 10 * kHour + 15 * kMinute);
  CHECK(r.failures_stopped);
  CHECK(r.duration == kHour + kStep + 4 * kStep + 10 * kHour + 15 * kMinute + kStep);
}

TEST_CASE("a rollout that leaves the farm broken has failures that never stop", "[rehearsal]") {
  // The SPN moves to svc-reports but no node runs as it.
  const RehearsalReport r = rehearse({spn(Action::RemoveSpn, "CORP\\WEB1$"), spn(Action::AddSpn, kAccount), purge()});
  CHECK(r.after.failed > 0);
  CHECK_FALSE(r.failures_stopped);
}

TEST_CASE("reverse runs the last change first", "[rehearsal]") {
  const auto given = failing_node_first();
  const auto reversed = workload::in_order(given, RolloutOrder::Reverse);
  REQUIRE(reversed.size() == given.size());
  CHECK(reversed.front().host == "web1");
  CHECK(reversed.back().host == "web2");
  CHECK(workload::rollout_permutation(given, RolloutOrder::Given) == std::vector<std::size_t>{0, 1, 2, 3, 4});
}

TEST_CASE("the same rehearsal twice gives the same report", "[rehearsal]") {
  CHECK(to_value(rehearse(failing_node_first())).dump() == to_value(rehearse(failing_node_first())).dump());
}

// ---- the library call ---------------------------------------------------------------------------

namespace {

std::string bundled(const std::string& name) {
  return std::string(KERBSIM_SOURCE_DIR) + "/scenarios/" + name + ".json";
}

}  // namespace

TEST_CASE("Scenario::rehearse rolls out the seed farm's first fix on a default workload", "[rehearsal]") {
  const auto s = Scenario::load(bundled("ssrs-farm-networkservice"));
  RehearseRequest request;
  request.users = 50;
  const RehearsalReport r = s->rehearse(request);
  REQUIRE(r.rehearsed);
  CHECK(r.default_workload);
  CHECK(r.users == 50);
  CHECK(r.flow == "alice opens the sales report");
  CHECK(r.via == std::optional<std::string>("web2"));
  CHECK_FALSE(r.fix.empty());
  CHECK_FALSE(r.steps.empty());
  CHECK(fraction(r.before) > 0.3);
  CHECK(r.failures_stopped);
  CHECK(to_value(r).dump() == to_value(s->rehearse(request)).dump());
}

TEST_CASE("Scenario::rehearse says why there is nothing to rehearse", "[rehearsal]") {
  const RehearsalReport r = Scenario::load(bundled("ssrs-farm-double-hop"))->rehearse({});
  CHECK_FALSE(r.rehearsed);
  CHECK(r.none == "every traced path works: there is no fix to rehearse");
  CHECK(r.steps.empty());
}

TEST_CASE("Scenario::rehearse refuses a rehearsal over the budget before starting", "[rehearsal]") {
  RehearseRequest request;
  request.max_requests = 1000;
  CHECK_THROWS_AS(Scenario::load(bundled("ssrs-farm-networkservice"))->rehearse(request), ScenarioError);
}

TEST_CASE("every bundled scenario with a fix rehearses", "[rehearsal]") {
  int rehearsed = 0;
  for (const auto& entry : std::filesystem::directory_iterator(std::string(KERBSIM_SOURCE_DIR) + "/scenarios")) {
    if (entry.path().extension() != ".json") continue;
    INFO(entry.path().filename().string());
    const auto s = Scenario::load(entry.path().string());
    RehearseRequest request;
    request.users = 20;
    request.step_interval = 15 * kMinute;
    const RehearsalReport r = s->rehearse(request);
    if (!r.rehearsed) {
      CHECK_FALSE(r.none.empty());
      continue;
    }
    ++rehearsed;
    CHECK_FALSE(r.fix.empty());
    CHECK(r.users == 20);
    REQUIRE_FALSE(r.steps.empty());
    CHECK(r.before.requests.requests > 0);
    for (const auto& step : r.steps) CHECK_FALSE(step.change.empty());
  }
  CHECK(rehearsed >= 10);
}
