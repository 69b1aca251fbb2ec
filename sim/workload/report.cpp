// The simulation report as a document: the shape of `kerbsim simulate --format json`
// (scenarios/README.md). Times are in seconds, latencies in milliseconds.
#include "kerbsim/simulation.h"

#include <cmath>

namespace kerbsim {
namespace {

Value count(std::uint64_t n) { return Value(static_cast<std::int64_t>(n)); }
Value seconds(Microseconds us) { return Value(static_cast<double>(us) / 1e6); }
Value ms(double v) { return Value(std::round(v * 1000.0) / 1000.0); }
Value fraction(double v) { return Value(std::round(v * 1e6) / 1e6); }

Value counts(const std::vector<CountByName>& list) {
  Value v = Value::object();
  for (const auto& c : list) v.set(c.name, count(c.count));
  return v;
}

}  // namespace

Value to_value(const Tally& t) {
  Value v = Value::object();
  v.set("requests", count(t.requests));
  v.set("ok", count(t.ok));
  v.set("degraded", count(t.degraded));
  v.set("failed", count(t.failed));
  v.set("failure_fraction", fraction(t.failure_fraction()));
  return v;
}

Value to_value(const SimulationReport& r) {
  Value v = Value::object();
  v.set("scenario", r.scenario);
  v.set("title", r.title);
  v.set("seed", Value(static_cast<std::int64_t>(r.seed)));
  v.set("duration_s", seconds(r.duration));
  v.set("interval_s", seconds(r.interval));
  v.set("users", count(r.users));
  v.set("requests", to_value(r.requests));
  Value conn = Value::object();
  conn.set("opened", count(r.connections));
  conn.set("failed", count(r.failed_connections));
  v.set("connections", std::move(conn));
  v.set("protocols", counts(r.protocols));
  v.set("errors", counts(r.errors));
  Value spread = Value::object();
  spread.set("active", count(r.user_spread.active));
  spread.set("always_failing", count(r.user_spread.always_failing));
  spread.set("sometimes_failing", count(r.user_spread.sometimes_failing));
  spread.set("never_failing", count(r.user_spread.never_failing));
  v.set("user_spread", std::move(spread));
  Value nodes = Value::array();
  for (const auto& n : r.nodes) {
    Value x = Value::object();
    x.set("node", n.node);
    x.set("requests", to_value(n.requests));
    x.set("connections", count(n.connections));
    x.set("failed_connections", count(n.failed_connections));
    x.set("netlogon_calls", count(n.netlogon_calls));
    x.set("netlogon_timeouts", count(n.netlogon_timeouts));
    x.set("peak_netlogon_queue", count(n.peak_netlogon_queue));
    x.set("peak_netlogon_per_s", count(n.peak_netlogon_per_s));
    nodes.push(std::move(x));
  }
  v.set("nodes", std::move(nodes));
  Value dcs = Value::array();
  for (const auto& d : r.dcs) {
    Value x = Value::object();
    x.set("dc", d.dc);
    x.set("as_requests", count(d.as_requests));
    x.set("tgs_requests", count(d.tgs_requests));
    x.set("s4u_requests", count(d.s4u_requests));
    x.set("ntlm_validations", count(d.ntlm_validations));
    x.set("peak_per_s", count(d.peak_per_s));
    x.set("peak_queue", count(d.peak_queue));
    x.set("mean_wait_ms", ms(d.mean_wait_ms));
    dcs.push(std::move(x));
  }
  v.set("dcs", std::move(dcs));
  Value lat = Value::object();
  lat.set("p50_ms", ms(r.latency.p50_ms));
  lat.set("p95_ms", ms(r.latency.p95_ms));
  lat.set("p99_ms", ms(r.latency.p99_ms));
  lat.set("max_ms", ms(r.latency.max_ms));
  v.set("latency", std::move(lat));
  Value timeline = Value::array();
  for (const auto& i : r.timeline) {
    Value x = Value::object();
    x.set("start_s", seconds(i.start));
    x.set("requests", count(i.requests.requests));
    x.set("ok", count(i.requests.ok));
    x.set("degraded", count(i.requests.degraded));
    x.set("failed", count(i.requests.failed));
    x.set("kerberos", count(i.kerberos));
    x.set("ntlm", count(i.ntlm));
    x.set("new_connections", count(i.new_connections));
    x.set("kdc_requests", count(i.kdc_requests));
    x.set("netlogon_calls", count(i.netlogon_calls));
    x.set("peak_netlogon_queue", count(i.peak_netlogon_queue));
    timeline.push(std::move(x));
  }
  v.set("timeline", std::move(timeline));
  Value changes = Value::array();
  for (const auto& c : r.changes) {
    Value x = Value::object();
    x.set("at_s", seconds(c.at));
    x.set("action", c.action);
    x.set("what", c.what);
    x.set("where", c.where);
    changes.push(std::move(x));
  }
  v.set("changes", std::move(changes));
  Value notes = Value::array();
  for (const auto& n : r.notes) notes.push(Value(n));
  v.set("notes", std::move(notes));
  v.set("events", count(r.events));
  v.set("traces", count(r.traces));
  return v;
}

}  // namespace kerbsim
