#include "engine/event_queue.h"

#include <cassert>
#include <utility>

namespace kerbsim::engine {

std::uint64_t Simulation::callback_index(Callback callback) {
  for (std::size_t i = 0; i < callbacks_.size(); ++i)
    if (callbacks_[i] == callback) return i;
  assert(callbacks_.size() <= kCallbackMask);
  callbacks_.push_back(callback);
  return callbacks_.size() - 1;
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
  assert(when >= now_);
  const std::uint64_t seq = next_seq_++;
  push({when, (seq << kCallbackBits) | callback_index(callback), arg});
  return seq;
}

bool Simulation::cancel(EventId id) {
  if (id >= next_seq_ || cancelled_.count(id)) return false;
  // Only a queued event can be cancelled; cancellation is rare, so a scan is acceptable.
  for (const Entry& e : heap_)
    if ((e.order >> kCallbackBits) == id) return cancelled_.insert(id).second;
  return false;
}

void Simulation::push(const Entry& e) {
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
  const Callback callback = callbacks_[e.order & kCallbackMask];
  if (!cancelled_.empty() && cancelled_.erase(e.order >> kCallbackBits) != 0) {
    if (callback == &Simulation::run_handler) {  // release the handler without running it
      handlers_[e.arg] = nullptr;
      free_handlers_.push_back(static_cast<std::uint32_t>(e.arg));
    }
    return false;
  }
  now_ = e.time;
  ++executed_;
  callback(*this, e.arg);
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
