// The discrete-event core: a clock and a queue of pending events ordered by (time, sequence), so
// that events scheduled for the same instant run in the order they were scheduled. Cancelling
// marks an event; it is skipped when it reaches the front. Nothing here knows what an event means.
#pragma once

#include <cassert>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <new>
#include <typeinfo>
#include <vector>

#include "engine/time.h"

namespace kerbsim::engine {

// Identifies one scheduled event: its sequence number and its storage slot (see Simulation::Key).
using EventId = std::uint64_t;

class Simulation {
 public:
  using Handler = std::function<void(Simulation&)>;
  // The cheap form: a plain function and one argument (a client index, say), no allocation. It
  // reaches the object that owns the run through context<T>().
  using Callback = void (*)(Simulation&, std::uint64_t arg);

  Simulation() = default;
  Simulation(const Simulation&) = delete;
  Simulation& operator=(const Simulation&) = delete;

  SimTime now() const { return now_; }
  std::size_t pending() const { return heap_.size() - kRoot - cancelled_pending_ - (front_taken_ ? 1 : 0); }
  std::uint64_t executed() const { return executed_; }

  // Schedules at now() + delay (delay >= 0), or at an absolute time >= now().
  EventId schedule(SimTime delay, Handler handler);
  EventId schedule_at(SimTime when, Handler handler);
  EventId schedule(SimTime delay, Callback callback, std::uint64_t arg);
  EventId schedule_at(SimTime when, Callback callback, std::uint64_t arg);
  // Returns false if the event already ran or was cancelled. Constant time: the event's key stays
  // in the heap, marked dead through its slot, and is dropped when it reaches the front.
  bool cancel(EventId id);

  // The object plain callbacks work on (a workload's simulator, say), held once for the whole run
  // so that an event stays a function pointer and an argument. The contract: set_context() before
  // the first event that reads it runs, and one type per Simulation: context<T>() must name the
  // type given to set_context(), since it is a static_cast (checked by an assert). The Simulation
  // does not own the context, which must outlive the events that read it.
  template <class T>
  void set_context(T* context) {
    context_ = context;
    context_type_ = &typeid(T);
  }
  template <class T>
  T& context() const {
    assert(context_ != nullptr && *context_type_ == typeid(T) && "context<T>() names the type given to set_context");
    return *static_cast<T*>(context_);
  }

  // Runs events in (time, seq) order while their time is <= end; leaves now() == end.
  void run_until(SimTime end);
  // Runs one event; false when the queue is empty.
  bool step();

 private:
  // Data layout. The heap holds only 16-byte keys; what an event does lives in a slot table that
  // the key points into, so sifting moves 16 bytes and never touches the payload.
  //
  //   Key  = { time ^ sign bit, seq << kSlotBits | slot }   compared as one unsigned 128-bit number:
  //          time first (the sign flip makes unsigned order match signed order), then the sequence
  //          number (unique, so the slot bits below it never decide anything).
  //   Slot = { callback, arg, id }   id is the EventId of the event occupying the slot, or a value
  //          no EventId has once the event has run or been cancelled; cancel() compares ids.
  //
  // The EventId is the key's second word, so cancel() finds the slot without searching the heap.
  struct Key {
    std::uint64_t time;   // SimTime with its sign bit flipped
    std::uint64_t order;  // seq << kSlotBits | slot
  };
  struct Slot {
    Callback callback;
    std::uint64_t arg;
    EventId id;
  };
  static constexpr int kSlotBits = 24;  // up to 16M events pending at once
  static constexpr std::uint64_t kSlotMask = (std::uint64_t{1} << kSlotBits) - 1;
  static constexpr std::uint64_t kMaxSeq = std::uint64_t{1} << (64 - kSlotBits);  // 1.1e12 events
  // Marks a slot with no live event; every EventId is smaller (the last sequence number is unused).
  static constexpr EventId kNoEvent = ~EventId{0};

  // The heap is 4-ary, laid out so that the four children of a node share one 64-byte cache line:
  // the root is at index 3 (indices 0..2 are padding), the children of node i are at 4 * (i - 2)
  // .. 4 * (i - 2) + 3, and the array starts on a 64-byte boundary.
  static constexpr std::size_t kRoot = 3;
  static std::size_t first_child(std::size_t i) { return 4 * (i - 2); }
  static std::size_t parent(std::size_t i) { return i / 4 + 2; }
  static constexpr std::size_t kPrefetchAbove = 4096;  // keys; a heap this small stays in L1

  template <class T>
  struct CacheLineAllocator {
    using value_type = T;
    CacheLineAllocator() = default;
    template <class U>
    explicit CacheLineAllocator(const CacheLineAllocator<U>&) {}
    T* allocate(std::size_t n) { return static_cast<T*>(::operator new (n * sizeof(T), std::align_val_t{64})); }
    void deallocate(T* p, std::size_t) { ::operator delete (p, std::align_val_t{64}); }
    bool operator==(const CacheLineAllocator&) const { return true; }
  };

  // One 128-bit comparison (cmp + sbb) rather than two branches: heap comparisons are coin flips
  // that a branch predictor cannot learn.
  __extension__ using Wide = unsigned __int128;
  static Wide wide(const Key& k) { return (static_cast<Wide>(k.time) << 64) | k.order; }
  static bool before(const Key& a, const Key& b) { return wide(a) < wide(b); }
  static std::uint64_t biased(SimTime t) { return static_cast<std::uint64_t>(t) ^ (std::uint64_t{1} << 63); }
  static SimTime unbiased(std::uint64_t t) { return static_cast<SimTime>(t ^ (std::uint64_t{1} << 63)); }

  std::uint32_t take_slot();
  void push(Key key);
  void pop_front();
  void replace_front(Key key);  // removes the front key and inserts this one, in one pass
  void settle();                // pops the front key if its event has run
  bool run_front();             // runs the front event unless cancelled; removes it either way
  static void run_handler(Simulation& sim, std::uint64_t index);
  void release_handler(std::uint64_t index);

  SimTime now_ = 0;
  std::uint64_t next_seq_ = 0;
  std::uint64_t executed_ = 0;
  std::size_t cancelled_pending_ = 0;  // cancelled events whose keys are still in the heap
  bool front_taken_ = false;           // the front key's event is running (see run_front)
  std::vector<Key, CacheLineAllocator<Key>> heap_ = std::vector<Key, CacheLineAllocator<Key>>(kRoot);
  std::vector<Slot> slots_;                // indexed by the key's slot bits
  std::vector<std::uint32_t> free_slots_;  // reused last-in first-out, so a reused slot is warm
  std::vector<Handler> handlers_;          // std::function handlers, run through run_handler
  std::vector<std::uint32_t> free_handlers_;
  void* context_ = nullptr;
  const std::type_info* context_type_ = nullptr;  // for context()'s assert
};

}  // namespace kerbsim::engine
