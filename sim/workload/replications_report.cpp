// The replications report as a document: the shape of `kerbsim simulate --replications N --format json`
// (scenarios/README.md). Fractions and means are rounded to six decimals, times are in seconds.
#include "kerbsim/replications.h"

#include <cmath>

namespace kerbsim {
namespace {

Value count(std::uint64_t n) { return Value(static_cast<std::int64_t>(n)); }
Value rounded(double v) { return Value(std::round(v * 1e6) / 1e6); }
Value rounded(const std::optional<double>& v) { return v ? rounded(*v) : Value(); }

// {n, mean, ci95_low, ci95_high, min, max}; the interval is null from fewer than two values.
Value summary(const SampleSummary& s) {
  Value v = Value::object();
  v.set("n", count(s.n));
  v.set("mean", rounded(s.mean));
  v.set("ci95_low", rounded(s.low));
  v.set("ci95_high", rounded(s.high));
  v.set("min", rounded(s.min));
  v.set("max", rounded(s.max));
  return v;
}

}  // namespace

Value to_value(const ReplicationReport& r) {
  Value v = Value::object();
  v.set("scenario", r.scenario);
  v.set("title", r.title);
  v.set("replications", count(r.runs.size()));
  v.set("base_seed", Value(static_cast<std::int64_t>(r.base_seed)));
  v.set("duration_s", Value(static_cast<double>(r.duration) / 1e6));
  v.set("users", count(r.users));
  Value confidence = Value::object();
  confidence.set("level", Value(0.95));
  confidence.set("degrees_of_freedom", r.runs.size() > 1 ? count(r.runs.size() - 1) : Value());
  confidence.set("t", r.runs.size() > 1 ? rounded(r.t_quantile) : Value());
  v.set("confidence", std::move(confidence));

  Value s = Value::object();
  s.set("requests", summary(r.requests));
  s.set("failure_fraction", summary(r.failure_fraction));
  s.set("degraded_fraction", summary(r.degraded_fraction));
  Value spread = Value::object();
  spread.set("never_failing", summary(r.users_never_failing));
  spread.set("sometimes_failing", summary(r.users_sometimes_failing));
  spread.set("always_failing", summary(r.users_always_failing));
  s.set("user_spread", std::move(spread));
  Value nodes = Value::array();
  for (const auto& n : r.node_summaries) {
    Value x = Value::object();
    x.set("node", n.node);
    x.set("failure_fraction", summary(n.failure_fraction));
    x.set("degraded_fraction", summary(n.degraded_fraction));
    nodes.push(std::move(x));
  }
  s.set("nodes", std::move(nodes));
  v.set("summary", std::move(s));

  Value runs = Value::array();
  for (const auto& run : r.runs) {
    Value x = Value::object();
    x.set("replication", count(run.replication));
    x.set("seed", Value(static_cast<std::int64_t>(run.seed)));
    x.set("requests", to_value(run.requests));
    Value users = Value::object();
    users.set("active", count(run.user_spread.active));
    users.set("always_failing", count(run.user_spread.always_failing));
    users.set("sometimes_failing", count(run.user_spread.sometimes_failing));
    users.set("never_failing", count(run.user_spread.never_failing));
    x.set("user_spread", std::move(users));
    Value per_node = Value::array();
    for (std::size_t i = 0; i < r.nodes.size(); ++i) {
      Value n = Value::object();
      n.set("node", r.nodes[i]);
      n.set("requests", to_value(run.nodes[i]));
      per_node.push(std::move(n));
    }
    x.set("nodes", std::move(per_node));
    runs.push(std::move(x));
  }
  v.set("runs", std::move(runs));
  return v;
}

}  // namespace kerbsim
