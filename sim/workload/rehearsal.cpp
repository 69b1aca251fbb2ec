// A rollout as timeline changes: the changes in the order asked for, the workload that runs them a step
// interval apart, and the probes that measure each step's window overall and per node.
#include "workload/rehearsal.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "flow/tracer.h"
#include "workload/parties.h"
#include "workload/simulator.h"

namespace kerbsim::workload {

using engine::kMinute;
using engine::SimTime;

namespace {

// Changes of the key a server decrypts with or the identity it runs as (iis-rules 3.5, 7.6).
bool changes_server_identity(farm::Action a) {
  return a == farm::Action::ChangeAppPoolIdentity || a == farm::Action::SetSsrsServiceAccount ||
         a == farm::Action::SetUseAppPoolCredentials || a == farm::Action::SetKernelMode;
}

// The changes the wrong order runs first: the SPN's move and the clients' purge that makes them ask
// for tickets to its new owner.
bool moves_spn(farm::Action a) {
  return a == farm::Action::AddSpn || a == farm::Action::RemoveSpn || a == farm::Action::PurgeTickets;
}

// The front-end nodes the workload's users reach, in host order, each once.
std::vector<std::string> front_nodes(const farm::Environment& env, const Workload& w) {
  std::vector<bool> wanted(env.hosts.size(), false);
  for (const auto& spec : env.flows) {
    if (!w.flows.empty() && std::find(w.flows.begin(), w.flows.end(), spec.name) == w.flows.end()) continue;
    for (const auto* n : flow::flow_target(env, spec).nodes)
      if (const int h = index_of(env, n->name); h >= 0) wanted[static_cast<std::size_t>(h)] = true;
  }
  std::vector<std::string> out;
  for (std::size_t h = 0; h < env.hosts.size(); ++h)
    if (wanted[h]) out.push_back(env.hosts[h].name);
  return out;
}

// The probes that measure one window: requests, failures and the degraded fraction, overall and
// per node.
struct Window {
  SimTime from = 0;
  SimTime until = 0;
  std::size_t first_probe = 0;
};

void add_probes(std::vector<Probe>& probes, Window& window, const std::vector<std::string>& nodes) {
  window.first_probe = probes.size();
  for (std::size_t k = 0; k <= nodes.size(); ++k)
    for (const Metric m : {Metric::Requests, Metric::Failures, Metric::DegradedFraction}) {
      Probe p;
      p.metric = m;
      p.node = k == 0 ? std::string() : nodes[k - 1];
      p.from = window.from;
      p.until = window.until;
      probes.push_back(p);
    }
}

Tally tally_at(const std::vector<double>& values, std::size_t i) {
  Tally t;
  t.requests = static_cast<std::uint64_t>(std::llround(values[i]));
  t.failed = static_cast<std::uint64_t>(std::llround(values[i + 1]));
  t.degraded = static_cast<std::uint64_t>(std::llround(values[i + 2] * static_cast<double>(t.requests)));
  t.ok = t.requests - t.failed - t.degraded;
  return t;
}

void measure(const std::vector<double>& values, const Window& window, const std::vector<std::string>& nodes,
             RehearsalStep& step) {
  step.at = window.from;
  step.end = window.until;
  step.requests = tally_at(values, window.first_probe);
  for (std::size_t k = 0; k < nodes.size(); ++k) {
    const Tally t = tally_at(values, window.first_probe + 3 * (k + 1));
    if (t.requests) step.nodes.push_back({nodes[k], t});
  }
}

}  // namespace

std::vector<std::size_t> rollout_permutation(const std::vector<farm::Change>& given, RolloutOrder order) {
  std::vector<std::size_t> out(given.size());
  for (std::size_t i = 0; i < out.size(); ++i) out[i] = i;
  switch (order) {
    case RolloutOrder::Given:
      break;
    case RolloutOrder::Reverse:
      std::reverse(out.begin(), out.end());
      break;
    case RolloutOrder::SpnFirst: {
      // The SPN moves, and clients ask for tickets to its new owner, before any server runs as that
      // owner: the order the issue warns about (every node then fails the new tickets with
      // KRB_AP_ERR_MODIFIED, kerberos-rules R2.6).
      const auto first =
          std::find_if(out.begin(), out.end(), [&](std::size_t i) { return changes_server_identity(given[i].action); });
      std::stable_partition(first, out.end(), [&](std::size_t i) { return moves_spn(given[i].action); });
      break;
    }
  }
  return out;
}

std::vector<farm::Change> in_order(const std::vector<farm::Change>& given, RolloutOrder order) {
  std::vector<farm::Change> out;
  for (const std::size_t i : rollout_permutation(given, order)) out.push_back(given[i]);
  return out;
}

SimTime first_step_at(const Workload& base, SimTime step_interval) { return base.logon_spread + step_interval; }

SimTime rehearsal_duration(const farm::Environment& env, const Workload& base, std::size_t steps,
                           SimTime step_interval) {
  const SimTime cached = std::max(env.kdc_policy.tgt_lifetime, env.kdc_policy.service_ticket_lifetime);
  return first_step_at(base, step_interval) + static_cast<SimTime>(steps) * step_interval + cached +
         env.spn_negative_cache + step_interval;
}

void rehearse(const farm::Environment& env, const Workload& base, const std::vector<farm::Change>& ordered,
              SimTime step_interval, const RenderChange& render, RehearsalReport& report) {
  Workload w = base;
  w.duration = rehearsal_duration(env, base, ordered.size(), step_interval);
  w.interval = kMinute;  // the timeline finds the last failing minute
  w.changes.clear();
  const SimTime first = first_step_at(base, step_interval);
  for (std::size_t i = 0; i < ordered.size(); ++i) {
    Change c;
    static_cast<farm::Change&>(c) = ordered[i];
    c.at = first + static_cast<SimTime>(i) * step_interval;
    w.changes.push_back(std::move(c));
  }

  const std::vector<std::string> nodes = front_nodes(env, w);
  std::vector<Probe> probes;
  std::vector<Window> windows(ordered.size() + 2);
  windows.front() = {first - step_interval, first, 0};
  for (std::size_t i = 0; i < ordered.size(); ++i)
    windows[i + 1] = {w.changes[i].at, w.changes[i].at + step_interval, 0};
  const SimTime last_end = first + static_cast<SimTime>(ordered.size()) * step_interval;
  windows.back() = {last_end, w.duration, 0};
  for (auto& window : windows) add_probes(probes, window, nodes);

  const RunResult run = simulate(env, w, probes);

  measure(run.probes, windows.front(), nodes, report.before);
  farm::Environment so_far = env.clone();
  report.steps.clear();
  for (std::size_t i = 0; i < ordered.size(); ++i) {
    RehearsalStep step;
    step.number = static_cast<int>(i) + 1;
    step.action = farm::action_name(ordered[i].action);
    step.change = farm::describe(ordered[i]);
    if (render) step.commands = render(so_far, ordered[i]);
    farm::apply_change(so_far, ordered[i]);
    measure(run.probes, windows[i + 1], nodes, step);
    report.steps.push_back(std::move(step));
  }
  report.after = tally_at(run.probes, windows.back().first_probe);

  report.users = run.report.users;
  report.seed = w.seed;
  report.step_interval = step_interval;
  report.duration = w.duration;
  report.quiet = step_interval;
  report.errors = run.report.errors;
  report.last_failure.reset();
  for (const auto& i : run.report.timeline)
    if (i.requests.failed) report.last_failure = i.start;
  report.failures_stopped = !report.last_failure || *report.last_failure + kMinute <= w.duration - report.quiet;

  report.notes.push_back("one change per step, " + engine::format_duration(step_interval) +
                         " apart; each step's window runs from it to the next step; the first step comes " +
                         engine::format_duration(first) + " after the start, once every user has logged on (over " +
                         engine::format_duration(base.logon_spread) + ") and one window has passed unchanged");
  report.notes.push_back(
      "the run goes on " +
      engine::format_duration(std::max(env.kdc_policy.tgt_lifetime, env.kdc_policy.service_ticket_lifetime)) +
      " (ticket lifetime) + " + engine::format_duration(env.spn_negative_cache) + " (negative SPN cache) + " +
      engine::format_duration(report.quiet) +
      " after the last step's window: a cached ticket or negative entry from before the last step is gone by "
      "then [kerberos-rules R2.9, R1.6]");
  if (!base.changes.empty())
    report.notes.push_back("the workload's own " + std::to_string(base.changes.size()) +
                           " events are left out: only the fix's changes run");
  for (const auto& n : run.report.notes) report.notes.push_back(n);
}

}  // namespace kerbsim::workload
