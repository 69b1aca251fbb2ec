// A rollout rehearsed on a running workload: the changes of a fix run as timeline changes, one change
// per step, the steps spaced by an interval after a period with the environment as it is, and the run
// goes on until every cached ticket obtained before the last step has expired. Each step's window
// (from the step to the next) is measured overall and per node.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "engine/time.h"
#include "farm/change.h"
#include "farm/environment.h"
#include "kerbsim/rehearsal.h"
#include "workload/workload.h"

namespace kerbsim::workload {

// The fix's changes in the order asked for (RolloutOrder): for each position, the index of the given
// change that runs there; and the changes in that order.
std::vector<std::size_t> rollout_permutation(const std::vector<farm::Change>& given, RolloutOrder order);
std::vector<farm::Change> in_order(const std::vector<farm::Change>& given, RolloutOrder order);

// When the steps run: the first after every user has logged on and one step interval has passed
// with the environment unchanged (the window measured before the first step).
engine::SimTime first_step_at(const Workload& base, engine::SimTime step_interval);

// How long a rehearsal of `steps` steps simulates: the period before the first step, the steps, then
// the longest a ticket obtained before the last step stays cached (the longer of the TGT and service
// ticket lifetimes, kerberos-rules R2.9) plus a negative SPN cache entry's life (R1.6), then one
// more step interval in which no failure may happen for the failures to count as stopped.
engine::SimTime rehearsal_duration(const farm::Environment& env, const Workload& base, std::size_t steps,
                                   engine::SimTime step_interval);

// The commands an admin types for one change, on the environment as the steps before it left it.
using RenderChange = std::function<std::vector<std::string>(const farm::Environment& env, const farm::Change& c)>;

// Runs the rollout on `base` (its own events are left out, its duration replaced by
// rehearsal_duration) and fills the report's steps, windows, last failure and notes; the caller
// fills what was rehearsed (scenario, flow, fix, order, workload kind).
void rehearse(const farm::Environment& env, const Workload& base, const std::vector<farm::Change>& ordered,
              engine::SimTime step_interval, const RenderChange& render, RehearsalReport& report);

}  // namespace kerbsim::workload
