#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "engine/event_queue.h"
#include "engine/random.h"

using namespace kerbsim::engine;

TEST_CASE("events at the same time run in the order they were scheduled", "[engine]") {
  Simulation sim;
  std::vector<int> order;
  for (int i = 0; i < 10; ++i) sim.schedule(kSecond, [&order, i](Simulation&) { order.push_back(i); });
  sim.schedule(0, [&order](Simulation&) { order.push_back(-1); });
  sim.run_until(kHour);
  REQUIRE(order == std::vector<int>{-1, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9});
  REQUIRE(sim.now() == kHour);
}

TEST_CASE("a cancelled event never runs and run_until does not pass its end", "[engine]") {
  Simulation sim;
  int ran = 0;
  const EventId early = sim.schedule(kSecond, [&ran](Simulation&) { ran += 1; });
  sim.schedule(2 * kSecond, [&ran](Simulation&) { ran += 10; });
  sim.schedule(5 * kSecond, [&ran](Simulation&) { ran += 100; });
  REQUIRE(sim.cancel(early));
  REQUIRE_FALSE(sim.cancel(early));
  sim.run_until(3 * kSecond);
  REQUIRE(ran == 10);
  REQUIRE(sim.now() == 3 * kSecond);
  REQUIRE(sim.pending() == 1);
}

TEST_CASE("events scheduled from handlers run at their own times", "[engine]") {
  Simulation sim;
  std::vector<SimTime> times;
  sim.schedule(kSecond, [&times](Simulation& s) {
    times.push_back(s.now());
    s.schedule(kMinute, [&times](Simulation& s2) { times.push_back(s2.now()); });
  });
  sim.run_until(kHour);
  REQUIRE(times == std::vector<SimTime>{kSecond, kSecond + kMinute});
}

TEST_CASE("one seed gives one sequence, another seed another", "[engine]") {
  Rng a(42), b(42), c(43), d(42, 1);
  bool all_equal = true, any_differs_seed = false, any_differs_stream = false;
  for (int i = 0; i < 100; ++i) {
    const auto x = a.next();
    all_equal &= (x == b.next());
    any_differs_seed |= (x != c.next());
    any_differs_stream |= (x != d.next());
  }
  REQUIRE(all_equal);
  REQUIRE(any_differs_seed);
  REQUIRE(any_differs_stream);
  Rng e(7);
  for (int i = 0; i < 1000; ++i) {
    const double u = e.uniform();
    REQUIRE(u >= 0.0);
    REQUIRE(u < 1.0);
    REQUIRE(e.below(6) < 6);
  }
}

TEST_CASE("durations print as people write them", "[engine]") {
  REQUIRE(format_duration(90 * kSecond) == "1m30s");
  REQUIRE(format_duration(10 * kHour) == "10h");
  REQUIRE(format_duration(0) == "0s");
  REQUIRE(format_duration(-7 * kMinute) == "-7m");
}

namespace {
void record(Simulation& sim, std::uint64_t arg) { sim.context<std::vector<std::uint64_t>>().push_back(arg); }

// A context as a workload has one: the state its callbacks share, and what they schedule next.
struct Counter {
  std::uint64_t ticks = 0;
  std::uint64_t args = 0;
  std::vector<SimTime> times;
};
void tick(Simulation& sim, std::uint64_t arg) {
  Counter& counter = sim.context<Counter>();
  ++counter.ticks;
  counter.args += arg;
  counter.times.push_back(sim.now());
  if (arg > 1) sim.schedule(kSecond, tick, arg - 1);
}
}  // namespace

TEST_CASE("plain callbacks carry their argument and interleave with handlers in schedule order", "[engine]") {
  Simulation sim;
  std::vector<std::uint64_t> seen;
  sim.set_context(&seen);
  sim.schedule(kSecond, record, 1);
  sim.schedule(kSecond, [&seen](Simulation&) { seen.push_back(2); });
  const EventId third = sim.schedule(kSecond, record, 3);
  sim.schedule(0, record, 0);
  REQUIRE(sim.cancel(third));
  sim.run_until(kMinute);
  REQUIRE(seen == std::vector<std::uint64_t>{0, 1, 2});
}

TEST_CASE("a plain callback reaches its simulation's context, and each simulation has its own", "[engine]") {
  Simulation a, b;
  Counter first, second;
  a.set_context(&first);
  b.set_context(&second);
  REQUIRE(&a.context<Counter>() == &first);
  a.schedule(kSecond, tick, 3);  // runs at 1 s, 2 s and 3 s
  b.schedule(kMinute, tick, 1);
  a.run_until(kHour);
  b.run_until(kHour);
  REQUIRE(first.ticks == 3);
  REQUIRE(first.args == 3 + 2 + 1);
  REQUIRE(first.times == std::vector<SimTime>{kSecond, 2 * kSecond, 3 * kSecond});
  REQUIRE(second.ticks == 1);
  REQUIRE(second.times == std::vector<SimTime>{kMinute});
}

TEST_CASE("an event that already ran cannot be cancelled, even when its slot is reused", "[engine]") {
  Simulation sim;
  const EventId first = sim.schedule(kSecond, [](Simulation&) {});
  sim.run_until(2 * kSecond);
  int ran = 0;
  sim.schedule(kSecond, [&ran](Simulation&) { ++ran; });  // reuses the first event's slot
  REQUIRE_FALSE(sim.cancel(first));
  sim.run_until(kMinute);
  REQUIRE(ran == 1);
}
