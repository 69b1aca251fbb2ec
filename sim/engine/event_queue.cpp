#include "engine/event_queue.h"

#include <cassert>
#include <stdexcept>
#include <utility>

namespace kerbsim::engine {

std::uint32_t Simulation::take_slot() {
  if (!free_slots_.empty()) {
    const std::uint32_t slot = free_slots_.back();
    free_slots_.pop_back();
    return slot;
  }
  if (slots_.size() > kSlotMask) throw std::length_error("kerbsim engine: too many pending events");
  slots_.push_back({nullptr, 0, kNoEvent});
  return static_cast<std::uint32_t>(slots_.size() - 1);
}

void Simulation::release_handler(std::uint64_t index) {
  handlers_[index] = nullptr;
  free_handlers_.push_back(static_cast<std::uint32_t>(index));
}

void Simulation::run_handler(Simulation& sim, std::uint64_t index) {
  Handler handler = std::move(sim.handlers_[index]);
  sim.release_handler(index);
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
  assert(when >= now_);
  // The last sequence number is held back so that no EventId equals kNoEvent.
  if (next_seq_ == kMaxSeq - 1) throw std::length_error("kerbsim engine: sequence numbers exhausted");
  const std::uint32_t slot = take_slot();
  const EventId id = (next_seq_++ << kSlotBits) | slot;
  slots_[slot] = {callback, arg, id};
  push({biased(when), id});
  return id;
}

bool Simulation::cancel(EventId id) {
  const auto slot = static_cast<std::size_t>(id & kSlotMask);
  // A slot whose event ran or was cancelled holds kNoEvent, or a later event's id.
  if (slot >= slots_.size() || slots_[slot].id != id) return false;
  Slot& s = slots_[slot];
  s.id = kNoEvent;  // the key stays in the heap until it reaches the front, then is skipped
  ++cancelled_pending_;
  if (s.callback == &Simulation::run_handler) release_handler(s.arg);
  return true;
}

void Simulation::push(Key key) {
  if (front_taken_) {  // the running event's key is still at the front: let this one take its place
    front_taken_ = false;
    replace_front(key);
    return;
  }
  // Sift up: move the hole from the new last position towards the root, then fill it.
  std::size_t hole = heap_.size();
  heap_.push_back(key);
  Key* const h = heap_.data();
  while (hole > kRoot) {
    const std::size_t p = parent(hole);
    if (!before(key, h[p])) break;
    h[hole] = h[p];
    hole = p;
  }
  h[hole] = key;
}

void Simulation::pop_front() {
  const Key last = heap_.back();
  heap_.pop_back();
  if (heap_.size() > kRoot) replace_front(last);
}

void Simulation::replace_front(Key key) {
  Key* const h = heap_.data();
  const std::size_t n = heap_.size();
  // Move the hole from the root down to a leaf, pulling up the least child at each level (the
  // new key usually belongs near the bottom, so comparing it on the way down is wasted).
  std::size_t hole = kRoot;
  const bool large = n > kPrefetchAbove;
  for (;;) {
    const std::size_t c = first_child(hole);
    if (c + 3 >= n) {  // no full family below: at most a partial last one, whose members are leaves
      if (c < n) {
        std::size_t least = c;
        for (std::size_t i = c + 1; i < n; ++i)
          if (before(h[i], h[least])) least = i;
        h[hole] = h[least];
        hole = least;
      }
      break;
    }
    // The children's children (the next level's candidates) are 16 consecutive keys: start
    // loading them while this level is compared.
    const std::size_t g = first_child(c);
    if (large && g < n) {
      __builtin_prefetch(h + g);
      __builtin_prefetch(h + g + 4);
      __builtin_prefetch(h + g + 8);
      __builtin_prefetch(h + g + 12);
    }
    // A two-round tournament among the four children.
    const std::size_t a = c + before(h[c + 1], h[c]);
    const std::size_t b = c + 2 + before(h[c + 3], h[c + 2]);
    const std::size_t best = a ^ ((a ^ b) & (std::size_t{0} - before(h[b], h[a])));  // a select, not a branch
    h[hole] = h[best];
    // The key just moved to the root is almost surely the next event: start loading its slot.
    if (large && hole == kRoot) __builtin_prefetch(&slots_[h[kRoot].order & kSlotMask]);
    hole = best;
  }
  // Then sift the key up from that leaf. (The same loop as in push(): a shared helper measured about
  // 10% slower at 1k pending events with GCC 12, so the hot path keeps its own copy.)
  while (hole > kRoot) {
    const std::size_t p = parent(hole);
    if (!before(key, h[p])) break;
    h[hole] = h[p];
    hole = p;
  }
  h[hole] = key;
}

void Simulation::settle() {
  if (front_taken_) {
    front_taken_ = false;
    pop_front();
  }
}

bool Simulation::run_front() {
  const Key key = heap_[kRoot];
  const auto slot = static_cast<std::uint32_t>(key.order & kSlotMask);
  Slot& s = slots_[slot];
  const bool live = s.id == key.order;
  const Callback callback = s.callback;
  const std::uint64_t arg = s.arg;
  s.id = kNoEvent;
  free_slots_.push_back(slot);
  if (!live) {  // cancelled: its handler, if any, was released by cancel()
    --cancelled_pending_;
    pop_front();
    return false;
  }
  now_ = unbiased(key.time);
  ++executed_;
  // The key stays at the front while the event runs: the first event it schedules replaces it
  // (one pass through the heap instead of a pop and a push). Otherwise it is popped afterwards.
  front_taken_ = true;
  callback(*this, arg);
  settle();
  return true;
}

bool Simulation::step() {
  settle();  // in case the running event's callback calls step()
  while (heap_.size() > kRoot)
    if (run_front()) return true;
  return false;
}

void Simulation::run_until(SimTime end) {
  settle();  // in case the running event's callback calls run_until()
  const std::uint64_t limit = biased(end);
  while (heap_.size() > kRoot && heap_[kRoot].time <= limit) run_front();
  if (end > now_) now_ = end;
}

}  // namespace kerbsim::engine
