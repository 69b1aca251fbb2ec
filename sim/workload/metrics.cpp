// The simulation's metrics: what one request adds to the totals, the timeline, the nodes and the
// probes; the report the counters make at the end, with the settings it rests on; the metrics a
// simulation expectation can name and their values.
#include "workload/metrics.h"

#include <algorithm>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "workload/simulator_run.h"

namespace kerbsim::workload {

using engine::kMillisecond;
using engine::SimTime;

double measure(const ProbeRun& p) {
  const Metric m = p.probe.metric;
  const auto frac = [](std::uint64_t a, std::uint64_t b) { return b ? static_cast<double>(a) / b : 0.0; };
  double v = 0;
  std::uint64_t active_users = 0, always = 0, sometimes = 0, never = 0;
  for (const auto s : p.users) {
    if (!s) continue;
    ++active_users;
    always += s == 2;
    sometimes += s == 3;
    never += s == 1;
  }
  switch (m) {
    case Metric::Requests:
      v = static_cast<double>(p.tally.requests);
      break;
    case Metric::Failures:
      v = static_cast<double>(p.tally.failed);
      break;
    case Metric::FailureFraction:
      v = frac(p.tally.failed, p.tally.requests);
      break;
    case Metric::DegradedFraction:
      v = frac(p.tally.degraded, p.tally.requests);
      break;
    case Metric::OkFraction:
      v = frac(p.tally.ok, p.tally.requests);
      break;
    case Metric::KerberosFraction:
      v = frac(p.kerberos, p.tally.requests);
      break;
    case Metric::NtlmFraction:
      v = frac(p.ntlm, p.tally.requests);
      break;
    case Metric::Connections:
      v = static_cast<double>(p.connections);
      break;
    case Metric::ConnectionFailureFraction:
      v = frac(p.failed_connections, p.connections);
      break;
    case Metric::UsersAlwaysFailingFraction:
      v = frac(always, active_users);
      break;
    case Metric::UsersSometimesFailingFraction:
      v = frac(sometimes, active_users);
      break;
    case Metric::UsersNeverFailingFraction:
      v = frac(never, active_users);
      break;
    case Metric::NetlogonCalls:
      v = static_cast<double>(p.netlogon_calls);
      break;
    case Metric::NetlogonTimeouts:
      v = static_cast<double>(p.netlogon_timeouts);
      break;
    case Metric::PeakNetlogonQueue:
      v = static_cast<double>(p.peak_netlogon_queue);
      break;
    case Metric::KdcRequests:
      v = static_cast<double>(p.kdc_requests);
      break;
    case Metric::PeakKdcQueue:
      v = static_cast<double>(p.peak_kdc_queue);
      break;
    case Metric::PeakKdcRequestsPerS:
      v = static_cast<double>(p.kdc_rate.peak);
      break;
    case Metric::LatencyP50Ms:
      v = p.latency.percentile_ms(0.50);
      break;
    case Metric::LatencyP95Ms:
      v = p.latency.percentile_ms(0.95);
      break;
    case Metric::LatencyP99Ms:
      v = p.latency.percentile_ms(0.99);
      break;
  }
  return v;
}

// One request as its user saw it: counted in the totals, the timeline, its node and every probe whose
// window and filters it falls in.
void Simulator::record(std::uint32_t u, const FlowRun& f, std::uint16_t node, Protocol protocol, Verdict verdict,
                       std::uint16_t error, SimTime latency, bool new_connection) {
  const SimTime t = now();
  const bool failed = verdict == Verdict::Failed;
  const auto add = [&](Tally& tally) {
    ++tally.requests;
    if (verdict == Verdict::Ok) ++tally.ok;
    if (verdict == Verdict::Degraded) ++tally.degraded;
    if (failed) ++tally.failed;
  };
  add(report_.requests);
  auto& iv = report_.timeline[interval_index(t)];
  add(iv.requests);
  ++protocol_counts_[static_cast<std::size_t>(protocol)];
  if (protocol == Protocol::Kerberos) ++iv.kerberos;
  if (protocol == Protocol::Ntlm) ++iv.ntlm;
  if (error && verdict != Verdict::Ok) {
    if (error_counts_.size() <= error) error_counts_.resize(error + 1U, 0);
    ++error_counts_[error];
  }
  if (new_connection) {
    ++iv.new_connections;
    ++report_.connections;
    report_.failed_connections += failed;
  }
  if (node != kNone) {
    NodeLoad& load = nodes_[node].load;
    add(load.requests);
    if (new_connection) {
      ++load.connections;
      load.failed_connections += failed;
    }
  }
  users_[u].seen |= failed ? 2 : 1;
  latency_.add(latency);
  const int flow_index = static_cast<int>(&f - flows_.data());
  for (auto& p : probes_) {
    if (!p.in(t) || (p.flow != -1 && p.flow != flow_index)) continue;
    if (p.node != -1 && p.node != static_cast<int>(node)) continue;
    if (p.dc != -1) continue;  // a DC probe counts KDC requests only
    add(p.tally);
    p.kerberos += protocol == Protocol::Kerberos;
    p.ntlm += protocol == Protocol::Ntlm;
    if (new_connection) {
      ++p.connections;
      p.failed_connections += failed;
    }
    if (p.wants_users) p.users[u] |= failed ? 2 : 1;
    p.latency.add(latency);
  }
}

// The report and the probes' numbers, from the counters, once the run has ended.
RunResult Simulator::results() {
  RunResult out;
  SimulationReport& r = report_;
  r.scenario = env_.name;
  r.title = env_.title;
  r.seed = w_.seed;
  r.duration = w_.duration;
  r.interval = interval_;
  r.users = users_.size();
  r.events = sim_.executed();
  r.traces = auths_.size();
  const char* protocol_names[] = {"kerberos", "ntlm", "basic", "anonymous", "none"};
  for (std::size_t p = 0; p < 5; ++p)
    if (protocol_counts_[p]) r.protocols.push_back({protocol_names[p], protocol_counts_[p]});
  for (std::size_t e = 1; e < error_counts_.size(); ++e)
    if (error_counts_[e]) r.errors.push_back({to_string(errors_[e]), error_counts_[e]});
  std::stable_sort(r.errors.begin(), r.errors.end(),
                   [](const CountByName& a, const CountByName& b) { return a.count > b.count; });
  for (auto& n : nodes_)
    if (n.listed || n.load.netlogon_calls) {
      n.load.peak_netlogon_per_s = n.netlogon_rate.peak;
      r.nodes.push_back(n.load);
    }
  for (auto& dc : dcs_) {
    if (dc.name.empty()) continue;
    dc.load.peak_per_s = dc.rate.peak;
    dc.load.mean_wait_ms = dc.served ? dc.wait_sum / static_cast<double>(dc.served) / 1000.0 : 0.0;
    r.dcs.push_back(dc.load);
  }
  for (const auto& u : users_) {
    if (!u.seen) continue;
    ++r.user_spread.active;
    if (u.seen == 2) ++r.user_spread.always_failing;
    if (u.seen == 3) ++r.user_spread.sometimes_failing;
    if (u.seen == 1) ++r.user_spread.never_failing;
  }
  r.latency = {latency_.percentile_ms(0.50), latency_.percentile_ms(0.95), latency_.percentile_ms(0.99),
               latency_.max_ms()};
  r.notes.push_back("users are cloned from the flows' clients; each keeps its own ticket cache (TGT renewed " +
                    engine::format_duration(kTgtRenewalTime) +
                    " before expiry, a service ticket counts as expired 5m before its end) and negative SPN cache "
                    "[kerberos-rules R2.8, R2.9, R1.6]");
  r.notes.push_back(
      "Kerberos authenticates once per connection where the site's authPersistNonNTLM is true (the default from "
      "IIS 8.5 on, UNCONFIRMED), else on every request; NTLM once per connection; a "
      "connection carries up to " +
      std::to_string(w_.connection_reuse) + " requests and closes after " + engine::format_duration(w_.idle_timeout) +
      " idle [iis-rules 3.8, 5.6, 5.7]");
  r.notes.push_back("directory changes reach the first DC of the account's domain at once and the others after " +
                    engine::format_duration(w_.replication_delay) + " [kerberos-rules R8.4]");
  r.notes.push_back("Netlogon pass-through: " + std::to_string(w_.netlogon_max_concurrent_api) +
                    " MaxConcurrentApi slots per server, " + std::to_string(w_.netlogon_call_time / kMillisecond) +
                    " ms per call, timeout " + engine::format_duration(w_.netlogon_timeout) +
                    " (call time and timeout UNCONFIRMED defaults; workload settings)");
  r.notes.push_back(std::string("a user account's service keeps its old key until its app pool restarts; after the "
                                "restart it ") +
                    (w_.restart_keeps_previous_key ? "still accepts" : "no longer accepts") +
                    " the previous key (UNCONFIRMED; workload.restart_keeps_previous_key) [kerberos-rules R2.7]");
  out.report = std::move(r);

  for (const auto& p : probes_) out.probes.push_back(measure(p));
  return out;
}

}  // namespace kerbsim::workload
