// Engine throughput against a bare std::priority_queue loop of (time, seq, id) holding the same number
// of pending events: each popped event schedules one successor at a random future time, so the
// queue size stays constant. Prints events per second for both and their ratio (measured in the same
// run, on the same machine). Both loops draw the same random delays from the same generator; each
// side runs kRounds times, alternating, and its best round is reported.
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <queue>
#include <tuple>
#include <vector>

#include "engine/event_queue.h"
#include "engine/random.h"

namespace {

using Clock = std::chrono::steady_clock;
using kerbsim::engine::Rng;
using kerbsim::engine::SimTime;
using kerbsim::engine::Simulation;

double bare_loop(std::size_t pending, std::uint64_t events) {
  using Entry = std::tuple<SimTime, std::uint64_t, std::uint32_t>;
  std::priority_queue<Entry, std::vector<Entry>, std::greater<>> q;
  Rng rng(1);
  std::uint64_t seq = 0;
  for (std::size_t i = 0; i < pending; ++i) q.emplace(static_cast<SimTime>(rng.below(1'000'000)), seq++, 0);
  std::uint64_t sink = 0;
  const auto start = Clock::now();
  for (std::uint64_t n = 0; n < events; ++n) {
    const auto [t, s, id] = q.top();
    q.pop();
    sink += id + static_cast<std::uint64_t>(t & 1);
    q.emplace(t + 1 + static_cast<SimTime>(rng.below(1'000'000)), seq++, static_cast<std::uint32_t>(s & 0xff));
  }
  const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
  if (sink == 42) std::puts("");
  return static_cast<double>(events) / seconds;
}

struct EngineState {
  Rng rng{1};
  std::uint64_t remaining = 0;
  std::uint64_t sink = 0;
};

// Each event schedules its successor, as a workload's clients do, and finds its state as the
// workload's callbacks find their simulator: through the Simulation's context.
void tick(Simulation& s, std::uint64_t arg) {
  EngineState& state = s.context<EngineState>();
  state.sink += static_cast<std::uint64_t>(s.now() & 1) + arg;
  if (state.remaining == 0) return;
  --state.remaining;
  s.schedule(1 + static_cast<SimTime>(state.rng.below(1'000'000)), tick, arg);
}

double engine_loop(std::size_t pending, std::uint64_t events) {
  Simulation sim;
  EngineState state;
  state.remaining = events;
  sim.set_context(&state);
  for (std::size_t i = 0; i < pending; ++i)
    sim.schedule_at(static_cast<SimTime>(state.rng.below(1'000'000)), tick, i & 0xff);
  const auto start = Clock::now();
  while (state.remaining > 0 && sim.step()) {
  }
  const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
  if (state.sink == 42) std::puts("");
  return static_cast<double>(events) / seconds;
}

}  // namespace

int main(int argc, char** argv) {
  // Pending-event counts from the command line (e.g. `engine_bench 1000`), or the standard three.
  std::vector<std::size_t> sizes;
  for (int i = 1; i < argc; ++i) sizes.push_back(static_cast<std::size_t>(std::strtoull(argv[i], nullptr, 10)));
  if (sizes.empty()) sizes = {1'000, 100'000, 1'000'000};
  constexpr std::uint64_t kEvents = 3'000'000;
  constexpr int kRounds = 3;  // alternating rounds; the best of each side is reported
  std::printf("%-10s %16s %16s %8s\n", "pending", "bare events/s", "engine events/s", "ratio");
  for (const std::size_t pending : sizes) {
    double bare = 0, engine = 0;
    for (int round = 0; round < kRounds; ++round) {
      bare = std::max(bare, bare_loop(pending, kEvents));
      engine = std::max(engine, engine_loop(pending, kEvents));
    }
    std::printf("%-10zu %16.0f %16.0f %7.2fx\n", pending, bare, engine, engine / bare);
  }
  return 0;
}
