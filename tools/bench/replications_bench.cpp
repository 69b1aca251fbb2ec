// Replications on two threads against one: `Scenario::replicate` of scenarios/sim-farm-round-robin.json
// with 8 replications (10,000 users, 2 simulated hours each) run with jobs = 1 and jobs = 2, in
// alternating rounds after one warm-up of each; the median of each and their ratio (target ≥ 1.6× on
// two cores). Every round must give the same report, whatever the number of threads.
// Usage: replications_bench [ROUNDS] (default 5).
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <thread>
#include <vector>

#include "engine/time.h"
#include "kerbsim/kerbsim.h"

#ifndef KERBSIM_SCENARIO_DIR
#error "KERBSIM_SCENARIO_DIR must name the scenarios folder"
#endif

namespace {

using Clock = std::chrono::steady_clock;

constexpr const char* kScenario = KERBSIM_SCENARIO_DIR "/sim-farm-round-robin.json";
constexpr std::size_t kReplications = 8;

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const std::size_t n = v.size();
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

}  // namespace

int main(int argc, char** argv) {
  const int rounds = argc > 1 ? std::max(1, std::atoi(argv[1])) : 5;
  const auto scenario = kerbsim::Scenario::load(kScenario);
  kerbsim::ReplicateRequest request;
  request.simulate.users = 10000;
  request.simulate.duration = 2 * kerbsim::engine::kHour;
  request.replications = kReplications;

  std::string first;
  std::uint64_t requests = 0;
  bool same = true;
  const auto round = [&](std::size_t jobs) {
    request.jobs = jobs;
    const auto start = Clock::now();
    const kerbsim::ReplicationReport report = scenario->replicate(request);
    const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
    const std::string text = kerbsim::to_value(report).dump(2);
    if (first.empty()) first = text;
    same &= text == first;
    requests = 0;
    for (const auto& run : report.runs) requests += run.requests.requests;
    return seconds;
  };

  round(1);  // warm-up of each
  round(2);
  std::vector<double> one, two;
  for (int r = 0; r < rounds; ++r) {
    one.push_back(round(1));
    two.push_back(round(2));
  }
  const double m1 = median(one), m2 = median(two);
  std::printf("%zu replications of sim-farm-round-robin, 10,000 users, 2 h: %llu requests in all; %u cores\n",
              kReplications, static_cast<unsigned long long>(requests), std::thread::hardware_concurrency());
  std::printf("jobs 1: median %.3f s (min %.3f, max %.3f) of %d rounds\n", m1,
              *std::min_element(one.begin(), one.end()), *std::max_element(one.begin(), one.end()), rounds);
  std::printf("jobs 2: median %.3f s (min %.3f, max %.3f) of %d rounds\n", m2,
              *std::min_element(two.begin(), two.end()), *std::max_element(two.begin(), two.end()), rounds);
  std::printf("ratio jobs 1 / jobs 2: %.2fx (target >= 1.6x)\n", m1 / m2);
  std::printf("reports identical in every round: %s\n", same ? "yes" : "NO");
  return same ? 0 : 1;
}
