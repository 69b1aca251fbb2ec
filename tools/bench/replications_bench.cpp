// Replications on two threads against one: `Scenario::replicate` of scenarios/sim-farm-round-robin.json
// with 8 replications (10,000 users, 2 simulated hours each) run with jobs = 1 and jobs = 2, in
// alternating rounds after one warm-up of each; the median of each and their ratio (target ≥ 1.6× on
// two cores). Also the CPU time of a round (all threads): about the same for both when the replications
// share nothing that slows them (no lock, no allocator hot spot), and the wall time of the same 8
// replications as two processes of 4 (fork, jobs = 1 each), which share nothing by construction: jobs 2
// should take as long. Every round must give the same report, whatever the number of threads.
// Usage: replications_bench [ROUNDS] (default 5).
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
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
  request.simulate.seed = 1;  // the workload's own; the two processes below start at 1 and 5
  request.replications = kReplications;

  std::string first;
  std::uint64_t requests = 0;
  bool same = true;
  std::vector<double> cpu_one, cpu_two;
  const auto round = [&](std::size_t jobs) {
    request.jobs = jobs;
    const auto start = Clock::now();
    const std::clock_t cpu_start = std::clock();
    const kerbsim::ReplicationReport report = scenario->replicate(request);
    const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
    (jobs == 1 ? cpu_one : cpu_two).push_back(static_cast<double>(std::clock() - cpu_start) / CLOCKS_PER_SEC);
    const std::string text = kerbsim::to_value(report).dump(2);
    if (first.empty()) first = text;
    same &= text == first;
    requests = 0;
    for (const auto& run : report.runs) requests += run.requests.requests;
    return seconds;
  };

  // The same replications as two processes of four each, the second starting at seed S + 4.
  const auto processes = [&] {
    const auto start = Clock::now();
    pid_t children[2] = {-1, -1};
    for (int c = 0; c < 2; ++c) {
      children[c] = ::fork();
      if (children[c] == 0) {
        kerbsim::ReplicateRequest half = request;
        half.replications = kReplications / 2;
        half.jobs = 1;
        half.simulate.seed =
            kerbsim::replication_seed(*request.simulate.seed, 1 + static_cast<std::size_t>(c) * (kReplications / 2));
        const kerbsim::ReplicationReport report = scenario->replicate(half);
        ::_exit(report.runs.size() == half.replications ? 0 : 1);
      }
    }
    for (const pid_t child : children) {
      int status = 0;
      if (child < 0 || ::waitpid(child, &status, 0) < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        std::fprintf(stderr, "replications_bench: a child process failed\n");
        std::exit(1);
      }
    }
    return std::chrono::duration<double>(Clock::now() - start).count();
  };

  round(1);  // warm-up of each
  round(2);
  processes();
  cpu_one.clear();
  cpu_two.clear();
  std::vector<double> one, two, forked;
  for (int r = 0; r < rounds; ++r) {
    one.push_back(round(1));
    two.push_back(round(2));
    forked.push_back(processes());
  }
  const double m1 = median(one), m2 = median(two);
  std::printf("%zu replications of sim-farm-round-robin, 10,000 users, 2 h: %llu requests in all; %u cores\n",
              kReplications, static_cast<unsigned long long>(requests), std::thread::hardware_concurrency());
  std::printf("jobs 1: median %.3f s (min %.3f, max %.3f) of %d rounds\n", m1,
              *std::min_element(one.begin(), one.end()), *std::max_element(one.begin(), one.end()), rounds);
  std::printf("jobs 2: median %.3f s (min %.3f, max %.3f) of %d rounds\n", m2,
              *std::min_element(two.begin(), two.end()), *std::max_element(two.begin(), two.end()), rounds);
  std::printf(
      "two processes of 4, jobs 1 each: median %.3f s; jobs 2 / two processes: %.2fx (1.00x = as independent)\n",
      median(forked), m2 / median(forked));
  std::printf("ratio jobs 1 / jobs 2: %.2fx (target >= 1.6x)\n", m1 / m2);
  std::printf(
      "CPU time of a round, all threads: jobs 1 median %.3f s, jobs 2 median %.3f s: %.2fx (1.00x = no contention)\n",
      median(cpu_one), median(cpu_two), median(cpu_two) / median(cpu_one));
  std::printf("reports identical in every round: %s\n", same ? "yes" : "NO");
  return same ? 0 : 1;
}
