// `kerbsim diff`: the design diff of the two environments, their traced outcomes compared, and their
// simulations side by side when both have a workload.
#include "analysis/design_diff.h"
#include "analysis/outcome_diff.h"
#include "api/scenario_impl.h"
#include "farm/change.h"
#include "flow/tracer.h"
#ifdef KERBSIM_HAVE_RENDER_STEPS
#include "analysis/commands.h"
#endif

namespace kerbsim {

DiffReport diff(const Scenario& a, const Scenario& b, const DiffRequest& request) {
  DiffReport report;
  report.before = a.name();
  report.after = b.name();
  const analysis::DesignDiff design = analysis::design_diff(a.impl_->env, b.impl_->env);
  for (const auto& c : design.changes) report.changes.push_back({farm::action_name(c.action), farm::describe(c)});
#ifdef KERBSIM_HAVE_RENDER_STEPS
  report.steps = analysis::render_steps(a.impl_->env, design.changes);
#endif
  for (const auto& d : design.other)
    report.other.push_back({analysis::to_string(d.subject), d.object, d.field, d.before, d.after});
  // The outcomes without fix searches: a review compares what happens, not what could be done.
  report.flows = analysis::outcome_diff(flow::trace(a.impl_->env, {}), flow::trace(b.impl_->env, {}));
  if (request.simulate && a.impl_->spec.workload && b.impl_->spec.workload) {
    report.simulated = true;
    report.metrics = analysis::metrics_diff(a.simulate(), b.simulate());
  }
  return report;
}

}  // namespace kerbsim
