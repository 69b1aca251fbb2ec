// Scenario::replicate on a bundled scenario: replication 1 is the plain simulation of the base seed,
// --seed moves every replication's seed, and the budget counts requests over all replications and
// memory over those running at once, before any runs.
#include <catch2/catch.hpp>
#include <string>

#include "engine/time.h"
#include "kerbsim/kerbsim.h"

using namespace kerbsim;

namespace {

std::unique_ptr<Scenario> round_robin() {
  return Scenario::load(std::string(KERBSIM_SOURCE_DIR) + "/scenarios/sim-farm-round-robin.json");
}

ReplicateRequest short_run(std::size_t replications, std::size_t jobs) {
  ReplicateRequest r;
  r.simulate.duration = 10 * engine::kMinute;
  r.simulate.users = 20;
  r.replications = replications;
  r.jobs = jobs;
  return r;
}

// The budget's message, or "" when the request is within it.
std::string refusal(const Scenario& s, const ReplicateRequest& r) {
  try {
    s.replicate(r);
  } catch (const ScenarioError& e) {
    return e.diagnostics().front().message;
  }
  return "";
}

}  // namespace

TEST_CASE("replication 1 is the plain simulation of the base seed; --seed moves them all", "[replications]") {
  const auto s = round_robin();
  ReplicateRequest r = short_run(3, 2);
  const ReplicationReport report = s->replicate(r);
  const SimulationReport plain = s->simulate(r.simulate);
  CHECK(report.runs[0].seed == plain.seed);
  CHECK(report.runs[0].requests.requests == plain.requests.requests);
  CHECK(report.runs[0].requests.failed == plain.requests.failed);
  CHECK(report.scenario == "sim-farm-round-robin");
  CHECK(report.users == 20);
  CHECK(report.duration == 10 * engine::kMinute);

  r.simulate.seed = 41;
  const ReplicationReport moved = s->replicate(r);
  CHECK(moved.base_seed == 41);
  CHECK(moved.runs[2].seed == 43);
  SimulateRequest third = r.simulate;
  third.seed = 43;
  CHECK(moved.runs[2].requests.requests == s->simulate(third).requests.requests);
}

TEST_CASE("the request budget counts every replication's requests", "[replications]") {
  const auto s = round_robin();
  ReplicateRequest r = short_run(4, 1);
  r.simulate.max_requests = 300;  // about 100 requests each, 400 in all
  CHECK(refusal(*s, short_run(4, 1)).empty());
  CHECK(refusal(*s, r) ==
        "these 4 replications would make about 400 requests in all (100 each), more than the budget of 300; lower "
        "--replications, \"users\", \"requests_per_user_per_hour\" or \"duration\" (or --users, --duration), or raise "
        "the budget with --max-requests");
  r.replications = 2;
  CHECK(refusal(*s, r).empty());
}

TEST_CASE("the memory budget counts the replications running at once, never more than there are", "[replications]") {
  const auto s = round_robin();
  ReplicateRequest r = short_run(8, 8);
  r.simulate.users = 100000;
  r.simulate.max_memory_bytes = std::uint64_t{12} << 20;  // about 8 MiB each
  const std::string eight = refusal(*s, r);
  CHECK(eight.rfind("8 replications at a time would need about ", 0) == 0);
  CHECK(eight.find("more than the budget of 12 MiB; lower --jobs or \"users\" (or --users)") != std::string::npos);
  r.replications = 2;  // --jobs 8, but only 2 run
  CHECK(refusal(*s, r).rfind("2 replications at a time would need about 17 MiB (8 MiB each)", 0) == 0);
  r.jobs = 1;  // one at a time fits (and runs: a second of simulated time)
  r.simulate.duration = engine::kSecond;
  CHECK(refusal(*s, r).empty());
}
