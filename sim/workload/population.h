// The simulated users (internal to sim/workload): each is a copy of its flow's client with its own
// ticket cache, negative SPN cache and keep-alive connection. They log on spread over
// Workload::logon_spread and then ask as a Poisson process (Simulator::log_on, Simulator::think).
#pragma once

#include <cstdint>

#include "engine/time.h"
#include "kerbsim/outcome.h"
#include "workload/parties.h"

namespace kerbsim::workload {

// One simulated user. Kept small: a population of 100,000 is a few megabytes.
struct User {
  std::uint32_t tgt = 0;
  std::uint32_t ticket = 0;  // the service ticket for the front end's SPN
  engine::SimTime tgt_end = 0;
  engine::SimTime ticket_end = 0;
  engine::SimTime negative_until = 0;
  engine::SimTime last_used = 0;
  std::uint16_t error = 0;  // the connection's authentication: its root cause, if any
  Protocol protocol = Protocol::None;
  Verdict verdict = Verdict::Failed;
  bool ok = false;          // authenticated: later requests on the connection need no new authentication
  std::uint32_t epoch = 0;  // the node's epoch when the connection opened
  std::uint16_t node = kNone;
  std::uint16_t left = 0;        // requests the connection still takes
  std::uint16_t pinned = kNone;  // cookie affinity
  std::uint16_t flow = 0;
  std::uint8_t seen = 0;    // 1: had a request that did not fail, 2: had one that failed
  std::uint8_t groups = 0;  // index into Workload::group_counts
  std::uint8_t hops = 0;    // calls behind the front end on the connection's requests
};

}  // namespace kerbsim::workload
