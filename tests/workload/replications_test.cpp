// Replications on a small farm built in C++: the seeds, the same report whatever the number of
// threads, each replication equal to a plain run with its seed, the summary over them in order, the
// progress, and a node no request reached.
#include <catch2/catch.hpp>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "kerbsim/kerbsim.h"
#include "support/corp.h"
#include "workload/replications.h"
#include "workload/simulator.h"
#include "workload/statistics.h"

using namespace kerbsim;
using engine::kHour;
using engine::kMinute;
using workload::Workload;

namespace {

// Two IIS nodes behind a round-robin balancer, HTTP/portal.corp.contoso.com on WEB1$, two clients.
farm::Environment make_farm() {
  farm::Environment env;
  env.name = "farm";
  env.title = "test farm";
  env.directory.add_domain({"corp.contoso.com", "CORP", "corp.contoso.com", "2016", {"dc1"}});
  net::LoadBalancer lb{"lb1", "10.0.0.100", {}, net::LbAlgorithm::RoundRobin, net::LbAffinity::None, 4};
  for (int i = 1; i <= 2; ++i) {
    const std::string name = "web" + std::to_string(i);
    env.directory.add_account(test::corp_computer(name));
    env.hosts.push_back(
        test::corp_iis_node(name, "10.0.0." + std::to_string(10 + i), "ApplicationPoolIdentity", false));
    lb.members.push_back(name);
  }
  const char* const users[] = {"alice", "bob"};
  for (int i = 1; i <= 2; ++i) {
    const std::string name = "ws" + std::to_string(i);
    env.directory.add_account(test::corp_user(users[i - 1]));
    env.directory.add_account(test::corp_computer(name));
    env.hosts.push_back(
        test::corp_client(name, "10.0.1." + std::to_string(20 + i), "CORP\\" + std::string(users[i - 1])));
    env.flows.push_back({name, name, "http://portal.corp.contoso.com/"});
  }
  env.directory.add_spn(*env.directory.find_account("CORP\\WEB1$"), test::spn("HTTP/portal.corp.contoso.com"));
  for (const auto& h : env.hosts) env.dns.add_a(h.fqdn, h.ip);
  env.dns.add_a("portal.corp.contoso.com", lb.vip);
  env.load_balancers.push_back(lb);
  return env;
}

Workload small() {
  Workload w;
  w.users = 40;
  w.duration = kHour;
  w.seed = 11;
  w.logon_spread = 10 * kMinute;
  return w;
}

}  // namespace

TEST_CASE("replication k runs with the base seed + k - 1, modulo 2^64", "[replications]") {
  CHECK(replication_seed(1, 1) == 1);
  CHECK(replication_seed(1, 8) == 8);
  CHECK(replication_seed(100, 3) == 102);
  CHECK(replication_seed(std::numeric_limits<std::uint64_t>::max(), 2) == 0);
}

TEST_CASE("replications give the same report on 1, 2, 3 or more threads than replications", "[replications]") {
  const farm::Environment env = make_farm();
  const std::string one = to_value(workload::replicate(env, small(), 5, 1)).dump(2);
  for (const std::size_t jobs : {2, 3, 8}) {
    INFO("jobs " << jobs);
    CHECK(to_value(workload::replicate(env, small(), 5, jobs)).dump(2) == one);
  }
}

TEST_CASE("each replication's numbers are those of a plain run with its seed", "[replications]") {
  const farm::Environment env = make_farm();
  const ReplicationReport r = workload::replicate(env, small(), 3, 2);
  REQUIRE(r.runs.size() == 3);
  CHECK(r.base_seed == 11);
  REQUIRE(r.nodes == std::vector<std::string>{"web1", "web2"});
  for (std::size_t k = 1; k <= 3; ++k) {
    INFO("replication " << k);
    const ReplicationRun& run = r.runs[k - 1];
    CHECK(run.replication == k);
    CHECK(run.seed == 10 + k);
    Workload w = small();
    w.seed = run.seed;
    const SimulationReport plain = workload::simulate(env, w, {}).report;
    CHECK(run.requests.requests == plain.requests.requests);
    CHECK(run.requests.failed == plain.requests.failed);
    CHECK(run.requests.degraded == plain.requests.degraded);
    CHECK(run.user_spread.always_failing == plain.user_spread.always_failing);
    CHECK(run.user_spread.never_failing == plain.user_spread.never_failing);
    REQUIRE(plain.nodes.size() == 2);
    for (std::size_t i = 0; i < 2; ++i) CHECK(run.nodes[i].failed == plain.nodes[i].requests.failed);
  }
  // The seeds differ, and so do the runs.
  CHECK(r.runs[0].requests.requests != r.runs[1].requests.requests);
}

TEST_CASE("the summary is over the replications' own numbers", "[replications]") {
  const farm::Environment env = make_farm();
  const ReplicationReport r = workload::replicate(env, small(), 4, 2);
  std::vector<double> failed;
  for (const auto& run : r.runs) failed.push_back(run.requests.failure_fraction());
  const SampleSummary expected = workload::summarize(failed, 0, 1);
  CHECK(r.failure_fraction.mean == expected.mean);
  CHECK(r.failure_fraction.low == expected.low);
  CHECK(r.failure_fraction.n == 4);
  CHECK(r.t_quantile == workload::t_quantile_975(3));
  // Round robin over two nodes, the SPN on one: web1 never fails, web2 always does, about half overall.
  REQUIRE(r.node_summaries.size() == 2);
  CHECK(r.node_summaries[0].failure_fraction.max == 0);
  CHECK(r.node_summaries[1].failure_fraction.min == 1);
  CHECK(r.failure_fraction.mean == Approx(0.5).margin(0.05));
  CHECK(r.degraded_fraction.max == 0);
}

TEST_CASE("one replication has no interval", "[replications]") {
  const ReplicationReport r = workload::replicate(make_farm(), small(), 1, 4);
  REQUIRE(r.runs.size() == 1);
  CHECK(r.t_quantile == 0);
  CHECK_FALSE(r.failure_fraction.low);
  CHECK(r.failure_fraction.mean == r.runs[0].requests.failure_fraction());
}

TEST_CASE("the progress is told once per replication, up to all of them", "[replications]") {
  std::vector<double> told;
  workload::replicate(make_farm(), small(), 4, 2, [&](double f) { told.push_back(f); });
  CHECK(told == std::vector<double>{0.25, 0.5, 0.75, 1.0});
}

TEST_CASE("a node no request reached in any replication has no fractions", "[replications]") {
  Workload w = small();
  workload::Change down;
  down.at = 0;
  down.action = workload::Action::NodeDown;
  down.host = "web2";
  w.changes.push_back(down);
  const ReplicationReport r = workload::replicate(make_farm(), w, 3, 2);
  REQUIRE(r.nodes == std::vector<std::string>{"web1", "web2"});
  for (const auto& run : r.runs) CHECK(run.nodes[1].requests == 0);
  REQUIRE(r.node_summaries.size() == 1);
  CHECK(r.node_summaries[0].node == "web1");
  CHECK(r.failure_fraction.max == 0);
}
