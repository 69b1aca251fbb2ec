// The rehearsal report as a document: the shape of `kerbsim trace --rehearse --format json`
// (scenarios/README.md). Times are in seconds from the start of the rehearsal.
#include <cmath>

#include "kerbsim/rehearsal.h"

namespace kerbsim {
namespace {

Value count(std::uint64_t n) { return Value(static_cast<std::int64_t>(n)); }
Value seconds(Microseconds us) { return Value(static_cast<double>(us) / 1e6); }
Value fraction(double v) { return Value(std::round(v * 1e6) / 1e6); }

Value tally(const Tally& t) {
  Value v = Value::object();
  v.set("requests", count(t.requests));
  v.set("ok", count(t.ok));
  v.set("degraded", count(t.degraded));
  v.set("failed", count(t.failed));
  v.set("failure_fraction", fraction(t.failure_fraction()));
  return v;
}

Value step_value(const RehearsalStep& s) {
  Value v = Value::object();
  v.set("step", Value(static_cast<std::int64_t>(s.number)));
  v.set("at_s", seconds(s.at));
  v.set("until_s", seconds(s.end));
  v.set("action", s.action.empty() ? Value() : Value(s.action));
  v.set("change", s.change.empty() ? Value() : Value(s.change));
  Value commands = Value::array();
  for (const auto& c : s.commands) commands.push(Value(c));
  v.set("commands", std::move(commands));
  v.set("requests", tally(s.requests));
  Value nodes = Value::array();
  for (const auto& n : s.nodes) {
    Value x = Value::object();
    x.set("node", n.node);
    x.set("requests", tally(n.requests));
    nodes.push(std::move(x));
  }
  v.set("nodes", std::move(nodes));
  return v;
}

}  // namespace

std::string to_string(RolloutOrder order) {
  switch (order) {
    case RolloutOrder::Given:
      return "given";
    case RolloutOrder::Reverse:
      return "reverse";
    case RolloutOrder::SpnFirst:
      return "spn-first";
  }
  return "";
}

Value to_value(const RehearsalReport& r) {
  Value v = Value::object();
  v.set("scenario", r.scenario);
  v.set("title", r.title);
  v.set("rehearsed", Value(r.rehearsed));
  v.set("none", r.none.empty() ? Value() : Value(r.none));
  v.set("flow", r.flow);
  v.set("via", r.via ? Value(*r.via) : Value());
  v.set("fix", r.fix);
  v.set("order", to_string(r.order));
  v.set("default_workload", Value(r.default_workload));
  v.set("users", count(r.users));
  v.set("seed", Value(static_cast<std::int64_t>(r.seed)));
  v.set("step_interval_s", seconds(r.step_interval));
  v.set("duration_s", seconds(r.duration));
  v.set("before", step_value(r.before));
  Value steps = Value::array();
  for (const auto& s : r.steps) steps.push(step_value(s));
  v.set("steps", std::move(steps));
  v.set("after", tally(r.after));
  v.set("last_failure_s", r.last_failure ? seconds(*r.last_failure) : Value());
  v.set("failures_stopped", Value(r.failures_stopped));
  v.set("quiet_s", seconds(r.quiet));
  Value errors = Value::object();
  for (const auto& e : r.errors) errors.set(e.name, count(e.count));
  v.set("errors", std::move(errors));
  Value notes = Value::array();
  for (const auto& n : r.notes) notes.push(Value(n));
  v.set("notes", std::move(notes));
  return v;
}

}  // namespace kerbsim
