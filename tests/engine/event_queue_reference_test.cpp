// Differential test of the event queue: the engine's Simulation and a naive reference model run the
// same random script (scheduling with handlers and with plain callbacks that find their driver as
// the context, ties, cancellation of live, finished and cancelled events, step() and run_until()
// called from inside events, pending()), and must write the same log.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdint>
#include <functional>
#include <utility>
#include <vector>

#include "engine/event_queue.h"
#include "engine/random.h"

using namespace kerbsim::engine;

namespace {

// The reference: a flat list of events; the next one is found by scanning for the least
// (time, sequence) among those still alive. Too slow for a simulation, too simple to be wrong.
class Reference {
 public:
  using Handler = std::function<void(Reference&)>;
  using Callback = void (*)(Reference&, std::uint64_t arg);

  SimTime now() const { return now_; }
  std::uint64_t executed() const { return executed_; }
  std::size_t pending() const {
    std::size_t n = 0;
    for (const auto& e : events_) n += e.alive;
    return n;
  }

  EventId schedule_at(SimTime when, Handler handler) {
    events_.push_back({when, next_seq_, true, std::move(handler)});
    return next_seq_++;
  }
  EventId schedule(SimTime delay, Handler handler) { return schedule_at(now_ + delay, std::move(handler)); }
  EventId schedule(SimTime delay, Callback callback, std::uint64_t arg) {
    return schedule(delay, [callback, arg](Reference& r) { callback(r, arg); });
  }

  template <class T>
  void set_context(T* context) {
    context_ = context;
  }
  template <class T>
  T& context() const {
    return *static_cast<T*>(context_);
  }

  bool cancel(EventId id) {
    for (auto& e : events_)
      if (e.seq == id && e.alive) {
        e.alive = false;
        return true;
      }
    return false;
  }

  bool step() {
    Event* next = front();
    if (!next) return false;
    next->alive = false;
    now_ = next->time;
    ++executed_;
    Handler handler = std::move(next->handler);  // events_ may grow while it runs
    handler(*this);
    return true;
  }

  void run_until(SimTime end) {
    for (Event* next = front(); next && next->time <= end; next = front()) step();
    if (end > now_) now_ = end;
  }

 private:
  struct Event {
    SimTime time;
    std::uint64_t seq;
    bool alive;
    Handler handler;
  };
  Event* front() {
    Event* best = nullptr;
    for (auto& e : events_)
      if (e.alive && (!best || e.time < best->time || (e.time == best->time && e.seq < best->seq))) best = &e;
    return best;
  }

  std::vector<Event> events_;
  SimTime now_ = 0;
  std::uint64_t next_seq_ = 0;
  std::uint64_t executed_ = 0;
  void* context_ = nullptr;
};

// What a run did, to show that the script really exercised each feature.
struct Coverage {
  std::uint64_t events = 0, cancelled = 0, cancel_refused = 0, nested_steps = 0, nested_runs = 0;
  std::size_t max_pending = 0;
};

// The script, for either simulator S. Every random draw depends only on the seed and on what S
// reported so far, so two simulators that agree draw the same numbers. Ids are kept in the order
// they were issued, so both sides cancel "the same" event by its index.
template <class S>
class Driver {
 public:
  explicit Driver(std::uint64_t seed) : rng_(seed) { sim_.set_context(this); }
  Driver(const Driver&) = delete;
  Driver& operator=(const Driver&) = delete;

  // Some events at the start, then rounds of run_until to random ends, an occasional step() from
  // outside, and finally the queue drained.
  std::vector<std::uint64_t> run(int initial, Coverage& coverage) {
    for (int i = 0; i < initial; ++i) spawn();
    for (int round = 0; round < 40; ++round) {
      sim_.run_until(sim_.now() + static_cast<SimTime>(rng_.below(400)));
      log_.push_back(sim_.pending());
      log_.push_back(sim_.executed());
      if (round % 7 == 3) log_.push_back(sim_.step());
    }
    while (sim_.step()) {
    }
    log_.push_back(sim_.pending());
    log_.push_back(sim_.executed());
    coverage_.events = sim_.executed();
    coverage = coverage_;
    return std::move(log_);
  }

 private:
  // Schedules one event: after 0-2 (ties are common) or 0-999 time units; with a std::function
  // handler, a plain callback, or at an absolute time.
  void spawn() {
    const SimTime delay = static_cast<SimTime>(rng_.below(3) == 0 ? rng_.below(3) : rng_.below(1000));
    const std::uint64_t tag = rng_.next() % 1000;
    switch (rng_.below(3)) {
      case 0:
        ids_.push_back(sim_.schedule(delay, [this, tag](S&) { act(tag); }));
        break;
      case 1:
        ids_.push_back(sim_.schedule(delay, &Driver::plain, tag));
        break;
      default:
        ids_.push_back(sim_.schedule_at(sim_.now() + delay, [this, tag](S&) { act(tag); }));
        break;
    }
  }

  // A plain callback cannot capture, so it finds its driver as the simulation's context.
  static void plain(S& sim, std::uint64_t tag) { sim.template context<Driver>().act(tag); }

  // What every event does: log when it ran, schedule 0-2 successors (fewer when the queue is
  // long, so its size wanders), sometimes cancel a recent or any earlier event (live, run or
  // already cancelled), and rarely step() or run_until() from inside the event.
  void act(std::uint64_t tag) {
    log_.push_back(static_cast<std::uint64_t>(sim_.now()));
    log_.push_back(tag);
    log_.push_back(sim_.pending());
    const auto successors = rng_.below(sim_.pending() > 400 ? 2 : 3);
    for (std::uint64_t i = 0; i < successors; ++i) spawn();
    if (rng_.below(4) == 0 && !ids_.empty()) {
      const std::size_t recent = ids_.size() < 20 ? ids_.size() : 20;
      const std::size_t pick = rng_.below(2) == 0 ? ids_.size() - 1 - rng_.below(recent) : rng_.below(ids_.size());
      const bool cancelled = sim_.cancel(ids_[pick]);
      ++(cancelled ? coverage_.cancelled : coverage_.cancel_refused);
      log_.push_back(cancelled ? 7 : 8);
    }
    if (sim_.pending() > coverage_.max_pending) coverage_.max_pending = sim_.pending();
    if (rng_.below(50) == 0 && depth_ < 3) {
      ++depth_;
      ++coverage_.nested_steps;
      log_.push_back(sim_.step() ? 5 : 6);
      --depth_;
    }
    if (rng_.below(80) == 0 && depth_ < 3) {
      ++depth_;
      ++coverage_.nested_runs;
      sim_.run_until(sim_.now() + static_cast<SimTime>(rng_.below(50)));
      --depth_;
    }
  }

  S sim_;
  Rng rng_;
  std::vector<EventId> ids_;
  std::vector<std::uint64_t> log_;
  Coverage coverage_;
  int depth_ = 0;  // of nested step()/run_until() calls
};

// The index of the first entry where the logs differ, or -1 when they are equal.
long first_difference(const std::vector<std::uint64_t>& a, const std::vector<std::uint64_t>& b) {
  for (std::size_t i = 0; i < a.size() && i < b.size(); ++i)
    if (a[i] != b[i]) return static_cast<long>(i);
  return a.size() == b.size() ? -1 : static_cast<long>(std::min(a.size(), b.size()));
}

}  // namespace

TEST_CASE("the event queue runs a random script exactly as a naive reference queue does", "[engine]") {
  Coverage total;
  for (std::uint64_t seed = 1; seed <= 100; ++seed) {
    const int initial = 1 + static_cast<int>(seed * 37 % 300);  // 1 to 300 events to start with
    Coverage engine, reference;
    const auto engine_log = Driver<Simulation>(seed).run(initial, engine);
    const auto reference_log = Driver<Reference>(seed).run(initial, reference);
    INFO("seed " << seed << ": " << engine_log.size() << " log entries from the engine, " << reference_log.size()
                 << " from the reference");
    REQUIRE(first_difference(engine_log, reference_log) == -1);
    total.events += engine.events;
    total.cancelled += engine.cancelled;
    total.cancel_refused += engine.cancel_refused;
    total.nested_steps += engine.nested_steps;
    total.nested_runs += engine.nested_runs;
    total.max_pending = std::max(total.max_pending, engine.max_pending);
  }
  // The script reached every feature it is meant to compare.
  CHECK(total.events > 100000);
  CHECK(total.cancelled > 1000);
  CHECK(total.cancel_refused > 1000);
  CHECK(total.nested_steps > 100);
  CHECK(total.nested_runs > 100);
  CHECK(total.max_pending > 250);
}
