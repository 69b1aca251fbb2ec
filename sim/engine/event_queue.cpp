#include "engine/event_queue.h"

#include <cassert>
#include <utility>

namespace kerbsim::engine {

EventId Simulation::schedule(SimTime delay, Handler handler) {
  assert(delay >= 0);
  return schedule_at(now_ + delay, std::move(handler));
}

EventId Simulation::schedule_at(SimTime when, Handler handler) {
  assert(when >= now_);
  std::uint32_t slot;
  if (!free_.empty()) {
    slot = free_.back();
    free_.pop_back();
    slots_[slot] = std::move(handler);
  } else {
    slot = static_cast<std::uint32_t>(slots_.size());
    slots_.push_back(std::move(handler));
    slot_seq_.push_back(0);
    slot_cancelled_.push_back(false);
  }
  const EventId seq = next_seq_++;
  slot_seq_[slot] = seq;
  slot_cancelled_[slot] = false;
  push({when, seq, slot});
  return seq;
}

bool Simulation::cancel(EventId id) {
  // Linear in the heap size; cancellation is rare next to scheduling.
  for (const Entry& e : heap_) {
    if (e.seq == id) {
      if (slot_cancelled_[e.slot]) return false;
      slot_cancelled_[e.slot] = true;
      ++cancelled_pending_;
      return true;
    }
  }
  return false;
}

void Simulation::push(Entry e) {
  heap_.push_back(e);
  std::size_t i = heap_.size() - 1;
  while (i > 0) {
    const std::size_t parent = (i - 1) / 4;
    if (!before(heap_[i], heap_[parent])) break;
    std::swap(heap_[i], heap_[parent]);
    i = parent;
  }
}

Simulation::Entry Simulation::pop() {
  const Entry top = heap_.front();
  heap_.front() = heap_.back();
  heap_.pop_back();
  const std::size_t n = heap_.size();
  std::size_t i = 0;
  for (;;) {
    const std::size_t first = 4 * i + 1;
    if (first >= n) break;
    std::size_t best = first;
    const std::size_t last = first + 4 < n ? first + 4 : n;
    for (std::size_t c = first + 1; c < last; ++c)
      if (before(heap_[c], heap_[best])) best = c;
    if (!before(heap_[best], heap_[i])) break;
    std::swap(heap_[i], heap_[best]);
    i = best;
  }
  return top;
}

bool Simulation::run_front() {
  const Entry e = pop();
  Handler handler = std::move(slots_[e.slot]);
  const bool cancelled = slot_cancelled_[e.slot];
  free_.push_back(e.slot);
  if (cancelled) {
    --cancelled_pending_;
    return false;
  }
  now_ = e.time;
  ++executed_;
  handler(*this);
  return true;
}

bool Simulation::step() {
  while (!heap_.empty())
    if (run_front()) return true;
  return false;
}

void Simulation::run_until(SimTime end) {
  while (!heap_.empty() && heap_.front().time <= end) run_front();
  if (end > now_) now_ = end;
}

}  // namespace kerbsim::engine
