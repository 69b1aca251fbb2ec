// What `kerbsim trace --rehearse` reports: a verified fix rolled out one change at a time on a
// running workload, with the failure fraction in the interval after each step, overall and per node,
// and how long failures go on after the last step (cached tickets, negative SPN cache entries).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "kerbsim/simulation.h"
#include "kerbsim/value.h"

namespace kerbsim {

// The order the fix's changes run in.
enum class RolloutOrder {
  Given,    // the fix's own rollout order, as kerbsim prints it
  Reverse,  // the last change first
  // The SPN's changes (remove_spn, add_spn) and the clients' purge_tickets moved before the first
  // change of a server's identity or key (pool identity, report server account, useAppPoolCredentials,
  // kernel mode): the SPN moved before the servers run as its new owner.
  SpnFirst,
};
std::string to_string(RolloutOrder order);  // "given", "reverse", "spn-first"

struct RehearseRequest {
  std::string flow;  // "" = every flow; the fix rehearsed is the first one of the traced paths
  std::string via;   // "" = every load-balancer member
  RolloutOrder order = RolloutOrder::Given;
  Microseconds step_interval = 30LL * 60 * 1000000;  // time between two steps, and the window measured after each
  std::optional<std::uint64_t> seed;                 // overrides the workload's
  std::optional<int> users;  // overrides the workload's; without a workload the default is kDefaultUsers
  // Refuse, before starting, a rehearsal expected to need more than this (as `simulate` does).
  std::uint64_t max_requests = SimulateRequest{}.max_requests;
  std::uint64_t max_memory_bytes = SimulateRequest{}.max_memory_bytes;

  static constexpr int kDefaultUsers = 200;  // the workload of a scenario that has none
};

// One node's requests in a step's window.
struct NodeTally {
  std::string node;
  Tally requests;
};

// One step of the rollout and the requests in the window after it (until the next step).
struct RehearsalStep {
  int number = 0;                     // 1, 2, ...; 0 is the period before the first step
  Microseconds at = 0;                // when the step runs (simulated time from the start)
  Microseconds end = 0;               // the end of its window
  std::string action;                 // "add_spn"; "" for the period before the first step
  std::string change;                 // "HTTP/reports.corp.contoso.com added to CORP\\gmsa-reports$"
  std::vector<std::string> commands;  // the commands an admin types for it, when they are known
  Tally requests;
  std::vector<NodeTally> nodes;  // nodes that served requests in the window, in host order
};

struct RehearsalReport {
  std::string scenario;
  std::string title;
  // What was rehearsed: set when a traced path has a verified fix; otherwise `none` says why not.
  bool rehearsed = false;
  std::string none;
  std::string flow;                // the flow of the path whose fix is rehearsed
  std::optional<std::string> via;  // its load-balancer member
  std::string fix;                 // the fix, in words (Fix::change)
  RolloutOrder order = RolloutOrder::Given;
  bool default_workload = false;  // the scenario has no workload: kDefaultUsers users on its flows
  std::uint64_t users = 0;
  std::uint64_t seed = 0;
  Microseconds step_interval = 0;
  Microseconds duration = 0;  // simulated in all
  RehearsalStep before;       // the period before the first step
  std::vector<RehearsalStep> steps;
  Tally after;                               // requests from the end of the last step's window to the end
  std::optional<Microseconds> last_failure;  // the start of the last minute in which a request failed
  bool failures_stopped = false;             // no request failed in the last `quiet` before the end
  Microseconds quiet = 0;
  std::vector<CountByName> errors;  // failing requests by root cause over the whole rehearsal, most first
  std::vector<std::string> notes;
};

Value to_value(const RehearsalReport& report);

}  // namespace kerbsim
