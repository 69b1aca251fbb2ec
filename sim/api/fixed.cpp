// The fixed design: the verified fixes applied to a copy of the model and, change for change, to the
// scenario's spec, which the one scenario writer then writes; the written file is loaded again and must
// build the same environment, or nothing is written.
#include <functional>

#include "analysis/design_diff.h"
#include "analysis/fixes.h"
#include "api/fixed_design.h"
#include "api/scenario_impl.h"
#include "directory/names.h"
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
    for (const char* key : {"protocol", "http_status", "identity", "prompt", "error"}) {
      const Value* x = front->find(key);
      // A request that never reached HTTP (a SQL Server login) has no status to pin.
      const bool no_status = std::string(key) == "http_status" && x && x->is_int() && x->as_int() == 0;
      if (x && !no_status) f.set(key, *x);
    }
    out.set("front", std::move(f));
  }
  pin_hops(v, out);
  if (const Value* verdict = v.find("verdict")) out.set("verdict", *verdict);
  return out;
}

// Is the change one that SQL Server makes itself: an SPN of one of its instances, added or removed on
// the account its service identity writes its own SPNs on (iis-rules 6.3)?
bool self_registered(const farm::Environment& env, const farm::Change& c) {
  if (c.action != farm::Action::AddSpn && c.action != farm::Action::RemoveSpn) return false;
  if (!directory::iequals(c.spn.service_class, "MSSQLSvc")) return false;
  for (const auto& h : env.hosts) {
    if (!h.sql || !directory::iequals(h.fqdn, c.spn.host)) continue;
    for (const auto& inst : h.sql->instances)
      if (directory::iequals(inst.self_registration_account(h.computer_account), c.account)) return true;
  }
  return false;
}

std::string difference_text(const analysis::Difference& d) {
  return analysis::to_string(d.subject) + " " + d.object + (d.field.empty() ? "" : " " + d.field) + ": " +
         (d.before.empty() ? "(none)" : d.before) + " -> " + (d.after.empty() ? "(none)" : d.after);
}

std::string fixed_description(const spec::Scenario& original, const std::vector<std::string>& changes,
                              bool simulation_dropped) {
  std::string out = "The design of `" + original.name +
                    "` with the verified fix of each failing or degraded path applied, in this order:\n\n";
  for (const auto& c : changes) out += "- " + c + "\n";
  out += "\nIts expectations pin the fixed outcome of every path.";
  if (simulation_dropped)
    out +=
        " The original's simulation expectations are left out: the fixed design simulates differently; run "
        "`kerbsim simulate` to pin new ones.";
  if (original.workload && !original.workload->events.empty())
    out += " Its workload keeps the original's timeline events, which may undo or repeat parts of the fix.";
  if (!original.description.empty()) out += "\n\nThe original scenario:\n\n" + original.description;
  return out;
}

}  // namespace

namespace api {

std::vector<farm::Change> fix_search(const farm::Environment& original, bool& any_to_fix) {
  farm::Environment env = original.clone();
  std::vector<farm::Change> applied;
  any_to_fix = false;
  for (int round = 0; round < kMaxRounds; ++round) {
    const TraceReport report = flow::trace(env, {});
    std::vector<analysis::VerifiedFix> fixes;
    // A failing path first; then one that works only degraded (NTLM after Kerberos failed, a prompt),
    // whose fix the trace shows too.
    for (const Verdict verdict : {Verdict::Failed, Verdict::Degraded})
      for (const auto& f : report.flows)
        for (const auto& p : f.paths) {
          if (p.verdict != verdict) continue;
          any_to_fix = true;
          if (fixes.empty()) fixes = analysis::verified_fixes(env, f, p, retrace);
        }
    if (fixes.empty()) break;
    for (const auto& c : fixes.front().changes) {
      // A change that finds its setting already so changes nothing: it is not part of the fixed design.
      farm::Environment next = env.clone();
      static_cast<void>(farm::apply_change(next, c));
      if (analysis::design_diff(env, next).empty()) continue;
      env = std::move(next);
      applied.push_back(c);
    }
  }
  return applied;
}

FixedDesign write_fixed_design(const spec::Scenario& original, const farm::Environment& original_env,
                               std::vector<farm::Change> changes) {
  FixedDesign result;
  spec::Scenario spec = original;
  farm::Environment env = original_env.clone();
  for (const auto& c : changes) {
    static_cast<void>(farm::apply_change(env, c));
    const scenario::SpecEdit edit = scenario::apply_change(spec, c);
    if (edit == scenario::SpecEdit::NoTarget || edit == scenario::SpecEdit::NotInFormat) {
      result.problem =
          "the fix cannot be written as a scenario: the format has no key for \"" + farm::describe(c) + "\"";
      return result;
    }
  }
  // What the file's builder derives rather than reads, the fixed design gets as the file will: the
  // forest's KDS root key, from a gMSA (kerberos-rules R7.1), ahead of the fix's changes; and the SPNs a
  // SQL Server instance registers at its restart on a new port (iis-rules 6.3), after them.
  const farm::Environment written = scenario::build(spec);
  analysis::DesignDiff lost = analysis::design_diff(env, written);
  std::vector<farm::Change> keys, registrations;
  std::erase_if(lost.changes, [&](const farm::Change& c) {
    if (c.action == farm::Action::AddKdsRootKey) {
      keys.push_back(c);
      return true;
    }
    if (!self_registered(written, c)) return false;
    registrations.push_back(c);
    return true;
  });
  if (!lost.empty()) {
    result.problem =
        "the fix cannot be written as a scenario: written, it would differ from the verified design (" +
        (lost.changes.empty() ? difference_text(lost.other.front()) : farm::describe(lost.changes.front())) + ")";
    return result;
  }
  changes.insert(changes.begin(), keys.begin(), keys.end());
  changes.insert(changes.end(), registrations.begin(), registrations.end());
  for (const auto& c : changes) result.changes.push_back(farm::describe(c));

  // The fixed outcome, traced on the design as the file builds it.
  spec.name = original.name + "-fixed";
  if (!spec.title.empty()) spec.title += " (fixed)";
  bool simulation_dropped = false;
  for (const auto& e : spec.expect) simulation_dropped |= e.simulation.has_value();
  spec.description = fixed_description(original, result.changes, simulation_dropped);
  spec.expect.clear();
  for (const auto& f : flow::trace(written, {}).flows)
    for (const auto& p : f.paths) {
      spec::Expectation e;
      e.flow = f.flow;
      e.via = p.via.value_or("");
      e.outcome = pinned_outcome(p);
      spec.expect.push_back(std::move(e));
    }
  result.text = scenario::write_scenario(spec);
  return result;
}

}  // namespace api

FixedScenario Scenario::fix() const {
  FixedScenario result;
  bool any_to_fix = false;
  const std::vector<farm::Change> changes = api::fix_search(impl_->env, any_to_fix);
  if (changes.empty()) {
    result.problem = any_to_fix ? "no failing or degraded path of " + impl_->spec.name + " has a verified fix"
                                : "every path of " + impl_->spec.name + " is ok: nothing to fix";
    return result;
  }
  api::FixedDesign design = api::write_fixed_design(impl_->spec, impl_->env, changes);
  result.changes = std::move(design.changes);
  result.problem = std::move(design.problem);
  if (design.text.empty()) return result;
  auto impl = std::make_unique<Impl>();
  impl->spec = scenario::load_text(design.text, impl_->spec.file + " (fixed)");  // the writer's text reads back
  impl->env = scenario::build(impl->spec);
  result.scenario = std::unique_ptr<Scenario>(new Scenario(std::move(impl)));
  result.text = std::move(design.text);
  return result;
}

std::string Scenario::write_fixed() const { return fix().text; }

}  // namespace kerbsim
