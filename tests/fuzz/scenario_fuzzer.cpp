// libFuzzer target: arbitrary bytes into the scenario loader, twice: as a small file is read and with its
// accounts streamed as a file over 32 MiB is read, which must agree; when a file loads, every flow is traced,
// expectations checked, the audit and the delegation graph run, a short simulation of the workload run (at
// most 20 users for at most 10 minutes, refused like `kerbsim simulate` when even that would exceed a
// small budget) with the simulation expectations as probes, and every printer exercised. Any crash, hang, leak or
// sanitizer report is a bug. Run with tools/fuzz.sh.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <sstream>
#include <string_view>
#include <vector>

#include "analysis/audit.h"
#include "api/graph_report.h"
#include "flow/tracer.h"
#include "kerbsim/check.h"
#include "kerbsim/report.h"
#include "scenario/builder.h"
#include "scenario/loader.h"
#include "workload/simulator.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  kerbsim::spec::Scenario spec;
  bool loads = true;
  try {
    spec = kerbsim::scenario::load_text(text, "fuzz.json");
  } catch (const kerbsim::ScenarioError& e) {
    for (const auto& d : e.diagnostics()) (void)d.to_string();
    loads = false;
  }
  // Read again with its accounts streamed, as a file over 32 MiB is: it loads exactly when the whole
  // tree does, with the same accounts.
  try {
    const kerbsim::spec::Scenario streamed = kerbsim::scenario::load_text(text, "fuzz.json", 0);
    if (!loads || streamed.accounts.size() != spec.accounts.size()) __builtin_trap();
  } catch (const kerbsim::ScenarioError& e) {
    for (const auto& d : e.diagnostics()) (void)d.to_string();
    if (loads) __builtin_trap();
  }
  if (!loads) return 0;
  const kerbsim::farm::Environment env = kerbsim::scenario::build(spec);
  const kerbsim::TraceReport report = kerbsim::flow::trace(env);
  std::vector<kerbsim::Expectation> expectations;
  for (const auto& e : spec.expect) expectations.push_back({e.flow, e.via, e.outcome, e.at});
  const kerbsim::CheckReport check = kerbsim::check_expectations(report, expectations);
  // The audit, its risks' fixes verified by tracing the changed environment again.
  const kerbsim::analysis::Retrace retrace = [](const kerbsim::farm::Environment& changed, const std::string& flow) {
    kerbsim::TraceReport again = kerbsim::flow::trace(changed, {flow, ""});
    return again.flows.empty() ? kerbsim::FlowOutcome{} : std::move(again.flows.front());
  };
  const kerbsim::AuditReport audit = kerbsim::analysis::audit(env, report, retrace);
  std::ostringstream sink;
  kerbsim::print_trace_text(report, {true, true}, sink);
  kerbsim::print_trace_json(report, sink);
  kerbsim::print_trace_mermaid(report, sink);
  kerbsim::print_check_text(check, {}, sink);
  kerbsim::print_audit_text(audit, {true, false}, sink);
  kerbsim::print_audit_json(audit, sink);
  // The delegation graph: every chain, and where the scenario's ordinary user's identity travels.
  const kerbsim::GraphReport graph = kerbsim::api::graph_report(env, spec.name, spec.title, {});
  kerbsim::print_graph_text(graph, {true, true}, sink);
  kerbsim::print_graph_json(graph, sink);
  kerbsim::print_graph_dot(graph, sink);
  kerbsim::print_graph_mermaid(graph, sink);
  kerbsim::print_graph_opengraph(graph, sink);
  if (!graph.chains.empty() && graph.chains.front().check) {
    const kerbsim::GraphReport user = kerbsim::api::graph_report(
        env, spec.name, spec.title, {kerbsim::GraphQuery::User, graph.chains.front().check->user, ""});
    kerbsim::print_graph_text(user, {}, sink);
  }

  // A short simulation. Every input has its own workload (or the defaults), shrunk so that one run
  // stays within a few milliseconds; what still exceeds the budget is refused, as the facade does.
  kerbsim::workload::Workload w = kerbsim::scenario::build_workload(spec);
  w.users = std::min(w.users, 20);
  w.duration = std::min<kerbsim::engine::SimTime>(w.duration, 10 * kerbsim::engine::kMinute);
  const kerbsim::workload::Estimate need = kerbsim::workload::estimate(env, w);
  if (need.requests > 5000 || need.bytes > (std::uint64_t{64} << 20)) return 0;
  std::vector<kerbsim::workload::Probe> probes;
  kerbsim::CheckReport simulated;
  for (const auto& e : spec.expect) {
    if (!e.simulation) continue;
    const auto& s = *e.simulation;
    kerbsim::workload::Probe p;
    p.metric = *kerbsim::workload::metric_by_name(s.metric);
    p.node = s.node;
    p.flow = s.flow;
    p.from = kerbsim::engine::seconds(s.from);
    if (s.until) p.until = kerbsim::engine::seconds(*s.until);
    probes.push_back(p);
    kerbsim::SimulationResult r;
    r.expectation = {s.metric, s.node, s.flow, s.from, s.until, s.min, s.max, s.at};
    simulated.simulation.push_back(r);
  }
  const kerbsim::workload::RunResult run = kerbsim::workload::simulate(env, w, probes);
  if (run.probes.size() != probes.size()) __builtin_trap();
  for (std::size_t i = 0; i < probes.size(); ++i) simulated.simulation[i].actual = run.probes[i];
  kerbsim::print_check_text(simulated, {}, sink);
  kerbsim::print_simulation_text(run.report, {true, true}, sink);
  kerbsim::print_simulation_json(run.report, sink);
  kerbsim::print_simulation_csv(run.report, sink);
  return 0;
}
