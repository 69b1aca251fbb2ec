// The discrete-event core: a clock and a queue of pending events ordered by (time, sequence), so
// that events scheduled for the same instant run in the order they were scheduled. Cancelling
// marks an event; it is skipped when it reaches the front. Nothing here knows what an event means.
#pragma once

#include <cstdint>
#include <functional>
#include <vector>

#include "engine/time.h"

namespace kerbsim::engine {

// Identifies one scheduled event: its sequence number and its storage slot.
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
  std::size_t pending() const { return heap_.size() - cancelled_pending_; }
  std::uint64_t executed() const { return executed_; }

  // Schedules at now() + delay (delay >= 0), or at an absolute time >= now().
  EventId schedule(SimTime delay, Handler handler);
  EventId schedule_at(SimTime when, Handler handler);
  EventId schedule(SimTime delay, Callback callback, std::uint64_t arg);
  EventId schedule_at(SimTime when, Callback callback, std::uint64_t arg);
  // Returns false if the event already ran or was cancelled. Constant time.
  bool cancel(EventId id);

  // Runs events in (time, seq) order while their time is <= end; leaves now() == end.
  void run_until(SimTime end);
  // Runs one event; false when the queue is empty.
  bool step();

 private:
  // 16 bytes: the time, then the sequence number and the slot packed so that comparing the packed
  // word compares sequence numbers (they are unique).
  struct Entry {
    SimTime time;
    std::uint64_t order;  // seq << kSlotBits | slot
  };
  static constexpr int kSlotBits = 24;  // up to 16M events pending at once
  static constexpr std::uint64_t kSlotMask = (std::uint64_t{1} << kSlotBits) - 1;

  static bool before(const Entry& a, const Entry& b) {
    return a.time < b.time || (a.time == b.time && a.order < b.order);
  }
  std::uint32_t take_slot();
  EventId enqueue(SimTime when, std::uint32_t slot);
  void push(Entry e);
  Entry pop();
  bool run_front();  // pops the front event; runs it unless cancelled
  static void run_handler(Simulation& sim, std::uint64_t index);

  SimTime now_ = 0;
  std::uint64_t next_seq_ = 0;
  std::uint64_t executed_ = 0;
  std::size_t cancelled_pending_ = 0;
  std::vector<Entry> heap_;  // 4-ary min-heap
  // Event storage by slot, in parallel arrays so that the hot path touches 24 bytes per event; a
  // std::function handler lives in handlers_, and its index is then the slot's argument.
  std::vector<Callback> callbacks_;
  std::vector<std::uint64_t> args_;
  std::vector<std::uint64_t> seqs_;  // the owning event's sequence number; kCancelled bit when cancelled
  std::vector<std::uint32_t> free_;
  std::vector<Handler> handlers_;
  std::vector<std::uint32_t> free_handlers_;
  static constexpr std::uint64_t kCancelled = std::uint64_t{1} << 63;
  static constexpr std::uint64_t kFreeSlot = ~std::uint64_t{0};
};

}  // namespace kerbsim::engine
