// The simulation counts what each traced path costs from the steps' kinds and actions: rewording
// every sentence of every step, in every bundled scenario, changes none of the counts.
#include <catch2/catch.hpp>

#include <filesystem>
#include <string>
#include <vector>

#include "kerbsim/kerbsim.h"
#include "workload/exchanges.h"

using namespace kerbsim;

namespace {

void reword(PathOutcome& path) {
  for (auto& s : path.steps) {
    s.message = "reworded " + std::to_string(s.seq);
    s.result = "reworded";
    s.why = "reworded";
    s.rule = "reworded";
    for (auto& d : s.details) d = "reworded";
  }
}

bool same(const workload::ExchangeCounts& a, const workload::ExchangeCounts& b) {
  return a.client_as == b.client_as && a.client_tgs == b.client_tgs && a.server_kdc == b.server_kdc &&
         a.round_trips == b.round_trips && a.passthrough == b.passthrough && a.hops_ok == b.hops_ok;
}

}  // namespace

TEST_CASE("rewording every step of every bundled scenario changes no count the simulation takes", "[workload]") {
  std::size_t passthroughs = 0, server_kdc = 0, client_tgs = 0, paths = 0;
  for (const auto& e : std::filesystem::directory_iterator(std::string(KERBSIM_SOURCE_DIR) + "/scenarios")) {
    if (e.path().extension() != ".json") continue;
    const auto scenario = Scenario::load(e.path().string());
    for (auto& flow : scenario->trace().flows)
      for (auto& path : flow.paths) {
        INFO(e.path().filename().string() << ", flow " << flow.flow << (path.via ? " via " + *path.via : ""));
        const auto before = workload::count_exchanges(path, flow.client);
        reword(path);
        CHECK(same(before, workload::count_exchanges(path, flow.client)));
        passthroughs += before.passthrough.size();
        server_kdc += static_cast<std::size_t>(before.server_kdc);
        client_tgs += static_cast<std::size_t>(before.client_tgs);
        ++paths;
      }
  }
  // The library exercises every count, so the comparison above is not vacuous.
  CHECK(paths > 20);
  CHECK(passthroughs > 0);
  CHECK(server_kdc > 0);
  CHECK(client_tgs > 0);
}

TEST_CASE("a Netlogon pass-through is counted by its action, whatever its message says", "[workload]") {
  PathOutcome p;
  Step s;
  s.kind = StepKind::Ntlm;
  s.from = "web1";
  s.to = "dc1";
  s.message = "NetLogon pass-through validation for CORP\\alice";
  p.steps.push_back(s);
  CHECK(workload::count_exchanges(p, "ws1").passthrough.empty());  // the sentence alone counts nothing
  p.steps[0].action = StepAction::NetlogonPassThrough;
  CHECK(workload::count_exchanges(p, "ws1").passthrough == std::vector<std::string>{"web1"});
}
