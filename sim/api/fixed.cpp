// The fixed design: the verified fixes applied to a copy of the model and, change for change, to the
// scenario's spec, which the one scenario writer then writes; the written file is loaded again and must
// build the same environment, or nothing is written.
#include <functional>

#include "analysis/design_diff.h"
#include "analysis/fixes.h"
#include "api/scenario_impl.h"
#include "flow/tracer.h"
#include "scenario/apply_change.h"
#include "scenario/builder.h"
#include "scenario/loader.h"
#include "scenario/writer.h"

namespace kerbsim {
namespace {

// A failing path whose fix repairs the nodes of a farm is fixed once; each round traces again.
constexpr int kMaxRounds = 16;

FlowOutcome retrace(const farm::Environment& env, const std::string& flow) {
  TraceReport again = flow::trace(env, {flow, ""});
  return again.flows.empty() ? FlowOutcome{} : std::move(again.flows.front());
}

// The keys of a traced outcome that a review reads, as the bundled scenarios pin them. Hops nest: a
// pinned list has as many elements as the traced one (scenario-format.md, "expect").
void pin_hops(const Value& outcome, Value& out) {
  const Value* hops = outcome.find("hops");
  if (!hops || !hops->is_array() || hops->as_array().empty()) return;
  Value list = Value::array();
  for (const auto& hop : hops->as_array()) {
    Value h = Value::object();
    for (const char* key : {"to", "protocol", "identity", "delegation", "result", "error"})
      if (const Value* v = hop.find(key)) h.set(key, *v);
    pin_hops(hop, h);
    list.push(std::move(h));
  }
  out.set("hops", std::move(list));
}

Value pinned_outcome(const PathOutcome& path) {
  const Value v = to_value(path);
  Value out = Value::object();
  if (const Value* spn = v.find("spn")) out.set("spn", *spn);
  if (const Value* front = v.find("front")) {
    Value f = Value::object();
    for (const char* key : {"protocol", "http_status", "identity", "prompt", "error"})
      if (const Value* x = front->find(key)) f.set(key, *x);
    out.set("front", std::move(f));
  }
  pin_hops(v, out);
  if (const Value* verdict = v.find("verdict")) out.set("verdict", *verdict);
  return out;
}

std::string difference_text(const analysis::Difference& d) {
  return analysis::to_string(d.subject) + " " + d.object + (d.field.empty() ? "" : " " + d.field) + ": " +
         (d.before.empty() ? "(none)" : d.before) + " -> " + (d.after.empty() ? "(none)" : d.after);
}

std::string fixed_description(const spec::Scenario& original, const std::vector<std::string>& changes,
                              bool simulation_dropped) {
  std::string out =
      "The design of `" + original.name + "` with the verified fix of each failing path applied, in this order:\n\n";
  for (const auto& c : changes) out += "- " + c + "\n";
  out += "\nIts expectations pin the fixed outcome of every path.";
  if (simulation_dropped)
    out +=
        " The original's simulation expectations are left out: the fixed design simulates differently; run "
        "`kerbsim simulate` to pin new ones.";
  if (!original.description.empty()) out += "\n\nThe original scenario:\n\n" + original.description;
  return out;
}

}  // namespace

FixedScenario Scenario::fix() const {
  FixedScenario result;
  spec::Scenario spec = impl_->spec;
  farm::Environment env = impl_->env.clone();
  std::vector<farm::Change> applied;
  std::vector<std::string> unwritable;
  bool any_failed = false;
  for (int round = 0; round < kMaxRounds; ++round) {
    const TraceReport report = flow::trace(env, {});
    for (const auto& f : report.flows)
      for (const auto& p : f.paths) any_failed |= p.verdict == Verdict::Failed;
    const analysis::VerifiedFix* chosen = nullptr;
    std::vector<analysis::VerifiedFix> fixes;
    for (const auto& f : report.flows) {
      for (const auto& p : f.paths) {
        if (p.verdict != Verdict::Failed) continue;
        fixes = analysis::verified_fixes(env, f, p, retrace);
        if (!fixes.empty()) {
          chosen = &fixes.front();
          break;
        }
      }
      if (chosen) break;
    }
    if (!chosen) break;
    for (const auto& c : chosen->changes) {
      // A change that finds its setting already so changes nothing: it is not part of the fixed design.
      farm::Environment next = env.clone();
      static_cast<void>(farm::apply_change(next, c));
      if (analysis::design_diff(env, next).empty()) continue;
      env = std::move(next);
      const scenario::SpecEdit edit = scenario::apply_change(spec, c);
      if (edit == scenario::SpecEdit::NoTarget || edit == scenario::SpecEdit::NotInFormat)
        unwritable.push_back(farm::describe(c));
      applied.push_back(c);
    }
  }
  if (applied.empty()) {
    result.problem = any_failed ? "no failing path of " + impl_->spec.name + " has a verified fix"
                                : "every path of " + impl_->spec.name + " is ok or degraded: nothing to fix";
    return result;
  }
  if (!unwritable.empty()) {
    result.problem =
        "the fix cannot be written as a scenario: the format has no key for \"" + unwritable.front() + "\"";
    return result;
  }
  // The format states no KDS root key: a forest with a gMSA has one (kerberos-rules R7.1). A fix that
  // creates a gMSA without adding the key first gets it here, ahead of its changes, as the file will.
  analysis::DesignDiff lost = analysis::design_diff(env, scenario::build(spec));
  std::vector<farm::Change> keys;
  std::erase_if(lost.changes, [&](const farm::Change& c) {
    if (c.action != farm::Action::AddKdsRootKey) return false;
    keys.push_back(c);
    return true;
  });
  for (const auto& c : keys) static_cast<void>(farm::apply_change(env, c));
  applied.insert(applied.begin(), keys.begin(), keys.end());
  for (const auto& c : applied) result.changes.push_back(farm::describe(c));

  // The fixed outcome, traced on the design as the file will build it.
  spec.name = impl_->spec.name + "-fixed";
  if (!spec.title.empty()) spec.title += " (fixed)";
  bool simulation_dropped = false;
  for (const auto& e : spec.expect) simulation_dropped |= e.simulation.has_value();
  spec.description = fixed_description(impl_->spec, result.changes, simulation_dropped);
  spec.expect.clear();
  const farm::Environment built = scenario::build(spec);
  if (!lost.empty()) {
    result.problem =
        "the fix cannot be written as a scenario: written, it would differ from the verified design (" +
        (lost.changes.empty() ? difference_text(lost.other.front()) : farm::describe(lost.changes.front())) + ")";
    return result;
  }
  for (const auto& f : flow::trace(built, {}).flows)
    for (const auto& p : f.paths) {
      spec::Expectation e;
      e.flow = f.flow;
      e.via = p.via.value_or("");
      e.outcome = pinned_outcome(p);
      spec.expect.push_back(std::move(e));
    }
  const std::string text = scenario::write_scenario(spec);
  const std::string file = impl_->spec.file + " (fixed)";
  auto impl = std::make_unique<Impl>();
  impl->spec = scenario::load_text(text, file);  // the writer's output always reads back
  impl->env = scenario::build(impl->spec);
  result.scenario = std::unique_ptr<Scenario>(new Scenario(std::move(impl)));
  result.text = text;
  return result;
}

std::string Scenario::write_fixed() const { return fix().text; }

}  // namespace kerbsim
