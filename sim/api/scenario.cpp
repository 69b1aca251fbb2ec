// The library API of include/kerbsim/kerbsim.h: a loaded scenario, traced, simulated, checked and
// audited, with the fixes the analysis verifies against the tracer.
#include "kerbsim/kerbsim.h"

#include <algorithm>

#include "analysis/audit.h"
#include "analysis/fixes.h"
#include "api/effective_workload.h"
#include "api/scenario_impl.h"
#include "flow/kdc_question.h"
#include "flow/tracer.h"
#include "scenario/builder.h"
#include "scenario/loader.h"
#include "workload/rehearsal.h"
#include "workload/simulator.h"

namespace kerbsim {

std::string version() { return "0.1.0"; }

Scenario::Scenario(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Scenario::~Scenario() = default;

std::unique_ptr<Scenario> Scenario::load(const std::string& path) {
  auto impl = std::make_unique<Impl>();
  impl->spec = scenario::load_file(path);
  impl->env = scenario::build(impl->spec);
  return std::unique_ptr<Scenario>(new Scenario(std::move(impl)));
}

const std::string& Scenario::file() const { return impl_->spec.file; }
const std::string& Scenario::name() const { return impl_->spec.name; }
const std::string& Scenario::title() const { return impl_->spec.title; }
const std::string& Scenario::description() const { return impl_->spec.description; }

std::vector<std::string> Scenario::flow_names() const {
  std::vector<std::string> out;
  for (const auto& f : impl_->spec.flows) out.push_back(f.name);
  return out;
}

std::vector<std::string> Scenario::host_names() const {
  std::vector<std::string> out;
  for (const auto& h : impl_->spec.hosts) out.push_back(h.name);
  return out;
}

namespace {

// A candidate fix's verification: the flow traced again on the changed environment.
FlowOutcome retrace(const farm::Environment& env, const std::string& flow) {
  TraceReport again = flow::trace(env, {flow, ""});
  return again.flows.empty() ? FlowOutcome{} : std::move(again.flows.front());
}

}  // namespace

TraceReport Scenario::trace(const TraceRequest& request) const {
  TraceReport report = flow::trace(impl_->env, {request.flow, request.via});
  analysis::attach_fixes(impl_->env, report, retrace);
  return report;
}

SimulationReport Scenario::simulate(const SimulateRequest& request) const {
  const workload::Workload w = effective_workload(impl_->spec, impl_->env, request, 0);
  return workload::simulate(impl_->env, w, {}, request.progress).report;
}

CheckReport Scenario::check() const {
  std::vector<Expectation> expectations;
  std::vector<SimulationExpectation> wanted;
  std::vector<workload::Probe> probes;
  for (const auto& e : impl_->spec.expect) {
    if (e.simulation) {
      const auto& s = *e.simulation;
      SimulationExpectation x;
      x.metric = s.metric;
      x.node = s.node;
      x.flow = s.flow;
      x.from_s = s.from;
      x.until_s = s.until;
      x.min = s.min;
      x.max = s.max;
      x.where = impl_->spec.file + ": " + s.at;
      wanted.push_back(x);
      workload::Probe p;
      p.metric = *workload::metric_by_name(s.metric);  // the reader accepted only these names
      p.node = s.node;
      p.flow = s.flow;
      p.from = engine::seconds(s.from);
      if (s.until) p.until = engine::seconds(*s.until);
      probes.push_back(p);
      continue;
    }
    expectations.push_back({e.flow, e.via, e.outcome, impl_->spec.file + ": " + e.at});
  }
  CheckReport report = check_expectations(trace(), expectations);
  report.file = impl_->spec.file;
  if (!probes.empty()) {
    const workload::Workload w = effective_workload(impl_->spec, impl_->env, {}, probes.size());
    const workload::RunResult run = workload::simulate(impl_->env, w, probes);
    for (std::size_t i = 0; i < wanted.size(); ++i) {
      SimulationResult r;
      r.expectation = wanted[i];
      r.actual = run.probes[i];
      r.passed = (!r.expectation.min || r.actual >= *r.expectation.min) &&
                 (!r.expectation.max || r.actual <= *r.expectation.max);
      report.simulation.push_back(r);
    }
  }
  return report;
}

KdcAnswer Scenario::ask_kdc(const KdcQuestion& question) const { return flow::ask_kdc(impl_->env, question); }

AuditReport Scenario::audit() const { return analysis::audit(impl_->env, trace(), retrace); }

RehearsalReport Scenario::rehearse(const RehearseRequest& request) const {
  RehearsalReport report;
  report.scenario = impl_->spec.name;
  report.title = impl_->spec.title;
  report.order = request.order;
  // The fix kerbsim prints first: the first path, in trace order, that is not ok and has a verified fix.
  const TraceReport traced = flow::trace(impl_->env, {request.flow, request.via});
  const PathOutcome* chosen = nullptr;
  std::vector<farm::Change> changes;
  bool any_broken = false, any_path = false;
  for (const auto& f : traced.flows) {
    for (const auto& p : f.paths) {
      any_path = true;
      if (p.verdict == Verdict::Ok) continue;
      any_broken = true;
      auto fixes = analysis::verified_fixes(impl_->env, f, p, retrace);
      if (fixes.empty()) continue;
      chosen = &p;
      report.flow = f.flow;
      report.via = p.via;
      report.fix = fixes.front().fix.change;
      changes = std::move(fixes.front().changes);
      break;
    }
    if (chosen) break;
  }
  if (!chosen) {
    report.none = !any_path    ? "no path was traced"
                  : any_broken ? "no traced path that fails or is degraded has a verified fix"
                               : "every traced path works: there is no fix to rehearse";
    return report;
  }

  SimulateRequest simulate;
  simulate.seed = request.seed;
  simulate.users = request.users;
  report.default_workload = !impl_->spec.workload;
  if (report.default_workload && !simulate.users) simulate.users = RehearseRequest::kDefaultUsers;
  simulate.max_requests = request.max_requests;
  simulate.max_memory_bytes = request.max_memory_bytes;
  const std::vector<std::size_t> order = workload::rollout_permutation(changes, request.order);
  std::vector<farm::Change> ordered;
  bool same = true;
  for (std::size_t i = 0; i < order.size(); ++i) {
    ordered.push_back(changes[order[i]]);
    same &= order[i] == i;
  }
  const workload::Workload base = scenario::build_workload(impl_->spec);
  simulate.duration = workload::rehearsal_duration(impl_->env, base, ordered.size(), request.step_interval);
  // Each window measured keeps three numbers per node and overall; none keeps a byte per user.
  workload::Workload w = effective_workload(impl_->spec, impl_->env, simulate, 0);
  // The rehearsed flow runs even where the workload's users are cloned from other flows.
  if (!w.flows.empty() && std::find(w.flows.begin(), w.flows.end(), report.flow) == w.flows.end())
    w.flows.push_back(report.flow);
  report.rehearsed = true;
  workload::rehearse(impl_->env, w, ordered, request.step_interval, {}, report);
  if (report.default_workload)
    report.notes.insert(report.notes.begin(), "the scenario has no workload: " + std::to_string(report.users) +
                                                  " users on its flows, with the workload defaults "
                                                  "(scenarios/README.md, \"workload\")");
  if (request.order != RolloutOrder::Given && same)
    report.notes.insert(report.notes.begin(),
                        "the " + to_string(request.order) + " order of this fix is its given order: no change moved");
  return report;
}

}  // namespace kerbsim
