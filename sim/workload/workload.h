// A workload as the simulator runs it: how many users, how often they ask, the capacities of the
// DCs and of each server's Netlogon channel, and the changes made while it runs. Built from a
// scenario's "workload" by sim/scenario; plain data, no parsing.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "engine/time.h"
#include "farm/change.h"
#include "workload/metric.h"

namespace kerbsim::workload {

using farm::Action;
using farm::action_name;

// One timeline change: an edit of the environment, or an event of the running farm, at a time.
struct Change : farm::Change {
  engine::SimTime at = 0;
};

struct Workload {
  engine::SimTime duration = 8 * engine::kHour;
  std::uint64_t seed = 1;
  int users = 100;
  double requests_per_user_per_hour = 30;
  int connection_reuse = 5;  // requests per keep-alive connection
  double kdc_capacity_per_s = 2000;
  int netlogon_max_concurrent_api = 10;
  std::vector<std::string> flows;                        // the flows users are cloned from; empty = all
  engine::SimTime logon_spread = engine::kHour;          // users start their day evenly over this
  engine::SimTime idle_timeout = 120 * engine::kSecond;  // IIS connectionTimeout (iis-rules 5.6)
  engine::SimTime replication_delay = 15 * engine::kSecond;
  engine::SimTime netlogon_call_time = 20 * engine::kMillisecond;  // one pass-through round trip to a DC
  engine::SimTime netlogon_timeout = 45 * engine::kSecond;
  engine::SimTime network_rtt = engine::kMillisecond;
  engine::SimTime server_time = 20 * engine::kMillisecond;  // the page's own work
  engine::SimTime interval = 0;                             // timeline bucket; 0 = chosen from the duration
  bool restart_keeps_previous_key = false;
  // How many groups users are in (their PAC and token size, kerberos-rules R6.3): each share of the
  // population has its count. Empty = every user has the flow client's account's count.
  struct GroupShare {
    int groups = 0;
    double share = 1;
  };
  std::vector<GroupShare> group_counts;
  std::vector<Change> changes;  // in time order
};

// One number a simulation expectation asks for, over a window and optionally one node or flow.
struct Probe {
  Metric metric = Metric::Requests;
  std::string node;  // "" = all
  std::string flow;  // "" = all
  engine::SimTime from = 0;
  std::optional<engine::SimTime> until;
};

}  // namespace kerbsim::workload
