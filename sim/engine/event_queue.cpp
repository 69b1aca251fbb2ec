#include "engine/event_queue.h"

#include <cassert>
#include <utility>

namespace kerbsim::engine {

std::uint32_t Simulation::take_slot() {
  if (!free_.empty()) {
    const std::uint32_t slot = free_.back();
    free_.pop_back();
    return slot;
  }
  assert(slots_.size() <= kSlotMask);
  slots_.emplace_back();
  return static_cast<std::uint32_t>(slots_.size() - 1);
}

EventId Simulation::enqueue(SimTime when, std::uint32_t slot) {
  assert(when >= now_);
  const std::uint64_t seq = next_seq_++;
  slots_[slot].seq = seq;
  slots_[slot].cancelled = false;
  const std::uint64_t order = (seq << kSlotBits) | slot;
  push({when, order});
  return order;
}

EventId Simulation::schedule(SimTime delay, Handler handler) {
  assert(delay >= 0);
  return schedule_at(now_ + delay, std::move(handler));
}

EventId Simulation::schedule_at(SimTime when, Handler handler) {
  const std::uint32_t slot = take_slot();
  slots_[slot].callback = nullptr;
  slots_[slot].handler = std::move(handler);
  return enqueue(when, slot);
}

EventId Simulation::schedule(SimTime delay, Callback callback, std::uint64_t arg) {
  assert(delay >= 0);
  return schedule_at(now_ + delay, callback, arg);
}

EventId Simulation::schedule_at(SimTime when, Callback callback, std::uint64_t arg) {
  const std::uint32_t slot = take_slot();
  slots_[slot].callback = callback;
  slots_[slot].arg = arg;
  return enqueue(when, slot);
}

bool Simulation::cancel(EventId id) {
  const auto slot = static_cast<std::size_t>(id & kSlotMask);
  if (slot >= slots_.size()) return false;
  Slot& s = slots_[slot];
  // A slot that ran is marked free, and may since hold a later event: the sequence number tells.
  if (s.seq != (id >> kSlotBits) || s.cancelled) return false;
  s.cancelled = true;
  ++cancelled_pending_;
  return true;
}

void Simulation::push(Entry e) {
  heap_.push_back(e);
  std::size_t i = heap_.size() - 1;
  while (i > 0) {
    const std::size_t parent = (i - 1) / 4;
    if (!before(e, heap_[parent])) break;
    heap_[i] = heap_[parent];
    i = parent;
  }
  heap_[i] = e;
}

Simulation::Entry Simulation::pop() {
  const Entry top = heap_.front();
  const Entry last = heap_.back();
  heap_.pop_back();
  const std::size_t n = heap_.size();
  if (n == 0) return top;
  std::size_t i = 0;
  for (;;) {
    const std::size_t first = 4 * i + 1;
    if (first >= n) break;
    std::size_t best = first;
    const std::size_t end = first + 4 < n ? first + 4 : n;
    for (std::size_t c = first + 1; c < end; ++c)
      if (before(heap_[c], heap_[best])) best = c;
    if (!before(heap_[best], last)) break;
    heap_[i] = heap_[best];
    i = best;
  }
  heap_[i] = last;
  return top;
}

bool Simulation::run_front() {
  const Entry e = pop();
  const auto slot = static_cast<std::uint32_t>(e.order & kSlotMask);
  Slot& s = slots_[slot];
  const bool cancelled = s.cancelled;
  const Callback callback = s.callback;
  const std::uint64_t arg = s.arg;
  Handler handler = callback ? Handler{} : std::move(s.handler);
  s.seq = ~std::uint64_t{0};  // no EventId matches a free slot
  free_.push_back(slot);
  if (cancelled) {
    --cancelled_pending_;
    return false;
  }
  now_ = e.time;
  ++executed_;
  if (callback)
    callback(*this, arg);
  else
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
