// `kerbsim diff`: the design diff of the two environments, their traced outcomes compared, and their
// simulations side by side when both have a workload.
#include "analysis/commands.h"
#include "analysis/design_diff.h"
#include "analysis/outcome_diff.h"
#include "analysis/rollout.h"
#include "api/scenario_impl.h"
#include "farm/change.h"
#include "flow/tracer.h"

namespace kerbsim {
namespace {

Value strings(const std::vector<std::string>& v) {
  Value out = Value::array();
  for (const auto& x : v) out.push(x);
  return out;
}

// The keys a change sets, named as a workload event names them; only those its action uses.
Value keys(const farm::Change& c) {
  Value out = Value::object();
  const auto text = [&](const char* key, const std::string& v) {
    if (!v.empty()) out.set(key, v);
  };
  text("account", c.account);
  if (c.action == farm::Action::AddSpn || c.action == farm::Action::RemoveSpn) out.set("spn", c.spn.to_string());
  text("host", c.host);
  text("app_pool", c.app_pool);
  text("site", c.site);
  text("domain", c.domain);
  text("instance", c.instance);
  switch (c.action) {
    case farm::Action::ChangeAppPoolIdentity:
    case farm::Action::SetSsrsServiceAccount:
      out.set("identity", c.identity.describe());
      break;
    case farm::Action::SetUseAppPoolCredentials:
    case farm::Action::SetKernelMode:
      out.set("value", c.value);
      break;
    case farm::Action::SetSqlPort:
      out.set("dynamic_port", c.value);
      if (!c.value) out.set("port", c.port);
      break;
    case farm::Action::SetSsrsAuthenticationTypes: {
      std::vector<std::string> names;
      for (const auto t : c.authentication_types) names.push_back(backend::auth_type_name(t));
      out.set("authentication_types", strings(names));
      break;
    }
    case farm::Action::CreateAccount:
      if (c.new_account) {
        out.set("spns", strings(c.new_account->spns));
        out.set("allowed_to_delegate_to", strings(c.new_account->allowed_to_delegate_to));
      }
      break;
    default:
      break;
  }
  if (c.trusted_for_delegation) out.set("trusted_for_delegation", *c.trusted_for_delegation);
  if (c.trusted_to_auth_for_delegation) out.set("trusted_to_auth_for_delegation", *c.trusted_to_auth_for_delegation);
  if (c.sensitive) out.set("sensitive", *c.sensitive);
  if (c.allowed_to_delegate_to) out.set("allowed_to_delegate_to", strings(*c.allowed_to_delegate_to));
  if (c.allowed_to_act) out.set("allowed_to_act", strings(*c.allowed_to_act));
  return out;
}

}  // namespace

DiffReport diff(const Scenario& a, const Scenario& b, const DiffRequest& request) {
  DiffReport report;
  report.before = a.name();
  report.after = b.name();
  const analysis::DesignDiff design = analysis::design_diff(a.impl_->env, b.impl_->env);
  for (const auto& c : design.changes)
    report.changes.push_back({farm::action_name(c.action), farm::describe(c), keys(c)});
  // The commands in the order they are rolled out, not the order the diff lists the changes in.
  report.steps = analysis::render_steps(a.impl_->env, analysis::in_rollout_order(a.impl_->env, design.changes));
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
