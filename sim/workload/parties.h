// The parties as the simulation runs them (internal to sim/workload): each host (up or down, its
// clock, the keys its processes hold, its connections and its Netlogon channel), each DC (its replica
// of the environment and its KDC queue), and each flow the users are cloned from.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <string>
#include <utility>
#include <vector>

#include "engine/time.h"
#include "farm/environment.h"
#include "farm/node_state.h"
#include "kerbsim/simulation.h"
#include "workload/metrics.h"

namespace kerbsim::workload {

constexpr std::uint16_t kNone = 0xFFFF;  // no host

// A host's clock against the DCs': an offset that drifts from the time it was last set.
struct Clock {
  engine::SimTime base = 0;
  engine::SimTime drift_per_hour = 0;
  engine::SimTime since = 0;
  engine::SimTime at(engine::SimTime t) const {
    return base + static_cast<engine::SimTime>(static_cast<double>(drift_per_hour) * static_cast<double>(t - since) /
                                               static_cast<double>(engine::kHour));
  }
};

struct Node {
  bool up = true;
  std::uint32_t epoch = 0;        // bumped when the node goes down: its connections are gone
  std::uint32_t key_version = 0;  // bumped when the keys its processes hold change
  farm::NodeState state;          // held kvnos
  Clock clock;
  std::uint64_t open_connections = 0;
  std::vector<engine::SimTime> slots;   // Netlogon MaxConcurrentApi slots: when each is free
  std::deque<engine::SimTime> waiting;  // start times of pass-throughs still waiting for a slot
  PerSecond netlogon_rate;
  NodeLoad load;
  bool listed = false;        // shown in the report
  std::size_t domain_dc = 0;  // index of the DC its secure channel uses
  bool has_dc = false;
};

struct Dc {
  std::string name;
  std::string domain;  // dns
  farm::Environment view;
  std::uint32_t version = 0;
  bool up = true;
  engine::SimTime next_free = 0;
  engine::SimTime service = 0;
  PerSecond rate;
  double wait_sum = 0;
  std::uint64_t served = 0;
  DcLoad load;
};

struct FlowRun {
  const farm::FlowSpec* spec = nullptr;
  std::size_t index = 0;                           // in env.flows
  std::size_t client = 0;                          // host index of the client the users are cloned from
  std::vector<std::uint16_t> nodes;                // host indexes of the balancer's members, or the one node
  int balancer = -1;                               // index in env.load_balancers
  std::vector<std::uint8_t> kerberos_per_request;  // per host: its site re-authenticates every request
  std::vector<std::size_t> dcs;                    // DCs of the user's domain
  // The calls behind the front ends, as host indexes (caller, callee): whether the caller's clock
  // is within the skew of the callee's and the DCs' decides their AP and AS exchanges (R2.8).
  std::vector<std::pair<std::uint16_t, std::uint16_t>> calls;
};

// A host's position in the environment (the simulator keeps per-host state by it); -1 if none.
inline int index_of(const farm::Environment& env, const std::string& name) {
  const farm::Host* h = env.host(name);
  return h ? static_cast<int>(h - env.hosts.data()) : -1;
}

}  // namespace kerbsim::workload
