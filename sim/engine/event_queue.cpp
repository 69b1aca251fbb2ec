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
  assert(seqs_.size() <= kSlotMask);
  callbacks_.push_back(nullptr);
  args_.push_back(0);
  seqs_.push_back(kFreeSlot);
  return static_cast<std::uint32_t>(seqs_.size() - 1);
}

EventId Simulation::enqueue(SimTime when, std::uint32_t slot) {
  assert(when >= now_);
  const std::uint64_t seq = next_seq_++;
  seqs_[slot] = seq;
  const std::uint64_t order = (seq << kSlotBits) | slot;
  push({when, order});
  return order;
}

void Simulation::run_handler(Simulation& sim, std::uint64_t index) {
  Handler handler = std::move(sim.handlers_[index]);
  sim.handlers_[index] = nullptr;
  sim.free_handlers_.push_back(static_cast<std::uint32_t>(index));
  handler(sim);
}

EventId Simulation::schedule(SimTime delay, Handler handler) {
  assert(delay >= 0);
  return schedule_at(now_ + delay, std::move(handler));
}

EventId Simulation::schedule_at(SimTime when, Handler handler) {
  std::uint32_t index;
  if (!free_handlers_.empty()) {
    index = free_handlers_.back();
    free_handlers_.pop_back();
    handlers_[index] = std::move(handler);
  } else {
    index = static_cast<std::uint32_t>(handlers_.size());
    handlers_.push_back(std::move(handler));
  }
  return schedule_at(when, &Simulation::run_handler, index);
}

EventId Simulation::schedule(SimTime delay, Callback callback, std::uint64_t arg) {
  assert(delay >= 0);
  return schedule_at(now_ + delay, callback, arg);
}

EventId Simulation::schedule_at(SimTime when, Callback callback, std::uint64_t arg) {
  const std::uint32_t slot = take_slot();
  callbacks_[slot] = callback;
  args_[slot] = arg;
  return enqueue(when, slot);
}

bool Simulation::cancel(EventId id) {
  const auto slot = static_cast<std::size_t>(id & kSlotMask);
  // A slot that ran is marked free, and may since hold a later event: the sequence number tells.
  if (slot >= seqs_.size() || seqs_[slot] != (id >> kSlotBits)) return false;
  seqs_[slot] |= kCancelled;
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
  const bool cancelled = (seqs_[slot] & kCancelled) != 0;
  const Callback callback = callbacks_[slot];
  const std::uint64_t arg = args_[slot];
  seqs_[slot] = kFreeSlot;  // no EventId matches a free slot
  free_.push_back(slot);
  if (cancelled) {
    --cancelled_pending_;
    if (callback == &Simulation::run_handler) {  // release the handler without running it
      handlers_[arg] = nullptr;
      free_handlers_.push_back(static_cast<std::uint32_t>(arg));
    }
    return false;
  }
  now_ = e.time;
  ++executed_;
  callback(*this, arg);
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
