// The discrete-event core: a clock and a queue of pending events ordered by (time, sequence), so
// that events scheduled for the same instant run in the order they were scheduled. Cancelling
// marks an event; it is skipped when it reaches the front. Nothing here knows what an event means.
#pragma once

#include <cstdint>
#include <functional>
#include <unordered_set>
#include <vector>

#include "engine/time.h"

namespace kerbsim::engine {

// Identifies one scheduled event: its sequence number.
using EventId = std::uint64_t;

class Simulation {
 public:
  using Handler = std::function<void(Simulation&)>;
  // The cheap form: a plain function and one argument (a client index, say), no allocation.
  using Callback = void (*)(Simulation&, std::uint64_t arg);

  Simulation() = default;
  Simulation(const Simulation&) = delete;
  Simulation& operator=(const Simulation&) = delete;

  SimTime now() const { return now_; }
  std::size_t pending() const { return heap_.size() - cancelled_.size(); }
  std::uint64_t executed() const { return executed_; }

  // Schedules at now() + delay (delay >= 0), or at an absolute time >= now().
  EventId schedule(SimTime delay, Handler handler);
  EventId schedule_at(SimTime when, Handler handler);
  EventId schedule(SimTime delay, Callback callback, std::uint64_t arg);
  EventId schedule_at(SimTime when, Callback callback, std::uint64_t arg);
  // Returns false if the event already ran or was cancelled.
  bool cancel(EventId id);

  // Runs events in (time, seq) order while their time is <= end; leaves now() == end.
  void run_until(SimTime end);
  // Runs one event; false when the queue is empty.
  bool step();

 private:
  // 24 bytes: the time; the sequence number with the callback's index packed below it (comparing
  // the packed word compares sequence numbers, which are unique); the argument.
  struct Entry {
    SimTime time;
    std::uint64_t order;  // seq << kCallbackBits | callback index
    std::uint64_t arg;
  };
  static constexpr int kCallbackBits = 8;  // up to 256 distinct callbacks
  static constexpr std::uint64_t kCallbackMask = (std::uint64_t{1} << kCallbackBits) - 1;

  static bool before(const Entry& a, const Entry& b) {
    return a.time < b.time || (a.time == b.time && a.order < b.order);
  }
  std::uint64_t callback_index(Callback callback);
  void push(const Entry& e);
  Entry pop();
  bool run_front();  // pops the front event; runs it unless cancelled
  static void run_handler(Simulation& sim, std::uint64_t index);

  SimTime now_ = 0;
  std::uint64_t next_seq_ = 0;
  std::uint64_t executed_ = 0;
  std::vector<Entry> heap_;                      // 4-ary min-heap
  std::vector<Callback> callbacks_;              // the distinct callbacks seen, by index
  std::unordered_set<std::uint64_t> cancelled_;  // sequence numbers still queued but cancelled
  std::vector<Handler> handlers_;                // std::function handlers, run through run_handler
  std::vector<std::uint32_t> free_handlers_;
};

}  // namespace kerbsim::engine
