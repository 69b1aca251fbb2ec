// The discrete-event core: a clock and a queue of pending events ordered by (time, sequence), so
// that events scheduled for the same instant run in the order they were scheduled. Cancelling
// marks an event; it is skipped when it reaches the front. Nothing here knows what an event means.
#pragma once

#include <cstdint>
#include <functional>
#include <vector>

#include "engine/time.h"

namespace kerbsim::engine {

using EventId = std::uint64_t;  // the event's sequence number; unique within one Simulation

class Simulation {
 public:
  using Handler = std::function<void(Simulation&)>;

  Simulation() = default;
  Simulation(const Simulation&) = delete;
  Simulation& operator=(const Simulation&) = delete;

  SimTime now() const { return now_; }
  std::size_t pending() const { return heap_.size() - cancelled_pending_; }
  std::uint64_t executed() const { return executed_; }

  // Schedules handler at now() + delay (delay >= 0).
  EventId schedule(SimTime delay, Handler handler);
  EventId schedule_at(SimTime when, Handler handler);
  // Returns false if the event already ran or was cancelled.
  bool cancel(EventId id);

  // Runs events in (time, seq) order while their time is <= end; leaves now() == end.
  void run_until(SimTime end);
  // Runs one event; false when the queue is empty.
  bool step();

 private:
  struct Entry {
    SimTime time;
    EventId seq;
    std::uint32_t slot;
  };
  static bool before(const Entry& a, const Entry& b) { return a.time < b.time || (a.time == b.time && a.seq < b.seq); }
  void push(Entry e);
  Entry pop();
  bool run_front();  // pops the front event; runs it unless cancelled

  SimTime now_ = 0;
  EventId next_seq_ = 0;
  std::uint64_t executed_ = 0;
  std::size_t cancelled_pending_ = 0;
  std::vector<Entry> heap_;        // 4-ary min-heap
  std::vector<Handler> slots_;     // handler storage, reused through free_
  std::vector<EventId> slot_seq_;  // which event owns a slot (for cancel)
  std::vector<bool> slot_cancelled_;
  std::vector<std::uint32_t> free_;
};

}  // namespace kerbsim::engine
