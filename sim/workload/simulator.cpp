// The population simulation's run: setup of the parties from the environment, the event loop, and
// the request path (which node a connection reaches, whether it authenticates, what it costs).
#include "workload/simulator.h"

#include <algorithm>
#include <cstdint>
#include <functional>
#include <limits>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "directory/names.h"
#include "farm/service.h"
#include "flow/hops.h"
#include "flow/tracer.h"
#include "net/url.h"
#include "workload/simulator_run.h"

namespace kerbsim::workload {

using engine::kHour;
using engine::kMinute;
using engine::kSecond;
using engine::SimTime;

// ---- setup ------------------------------------------------------------------------------------

void Simulator::setup_dcs() {
  for (const auto& d : env_.directory.domains()) {
    std::vector<std::string> names = d.dcs;
    if (names.empty()) names.push_back(env_.dc_name(d.dns));
    for (const auto& name : names) {
      Dc dc;
      dc.name = name;
      dc.domain = d.dns;
      dc.view = env_.clone();
      dc.service = std::max<SimTime>(1, static_cast<SimTime>(static_cast<double>(kSecond) / w_.kdc_capacity_per_s));
      dc.load.dc = name;
      dcs_.push_back(std::move(dc));
    }
  }
  if (dcs_.empty()) {  // a workgroup scenario: one view, no KDC
    Dc dc;
    dc.name = "";
    dc.view = env_.clone();
    dc.up = false;
    dcs_.push_back(std::move(dc));
  }
}

void Simulator::setup_nodes() {
  nodes_.resize(env_.hosts.size());
  client_clocks_.resize(env_.hosts.size());
  for (std::size_t i = 0; i < env_.hosts.size(); ++i) {
    const auto& h = env_.hosts[i];
    nodes_[i].clock.base = h.clock_offset;
    client_clocks_[i].base = h.clock_offset;
    nodes_[i].load.node = h.name;
    std::vector<std::size_t> own;  // the DCs of its domain; its secure channel uses one of them
    for (std::size_t d = 0; d < dcs_.size(); ++d)
      if (!h.domain.empty() && directory::iequals(dcs_[d].domain, h.domain)) own.push_back(d);
    if (!own.empty()) {
      nodes_[i].has_dc = true;
      nodes_[i].domain_dc = own[i % own.size()];
    }
  }
  balancers_.resize(env_.load_balancers.size());
}

void Simulator::setup_flows() {
  for (std::size_t i = 0; i < env_.flows.size(); ++i) {
    const auto& spec = env_.flows[i];
    if (!w_.flows.empty() && std::find(w_.flows.begin(), w_.flows.end(), spec.name) == w_.flows.end()) continue;
    const int client = index_of(env_, spec.client);
    if (client < 0 || !env_.hosts[static_cast<std::size_t>(client)].client) continue;
    FlowRun f;
    f.spec = &spec;
    f.index = i;
    f.client = static_cast<std::size_t>(client);
    const flow::FlowTarget target = flow::flow_target(env_, spec);
    for (const auto* n : target.nodes) {
      const int h = index_of(env_, n->name);
      f.nodes.push_back(static_cast<std::uint16_t>(h));
      nodes_[static_cast<std::size_t>(h)].listed = true;
    }
    for (std::size_t b = 0; b < env_.load_balancers.size(); ++b)
      if (target.balancer == &env_.load_balancers[b]) f.balancer = static_cast<int>(b);
    // authPersistNonNTLM per node (iis-rules 3.8); SSRS authenticates the connection (iis-rules 7).
    f.kerberos_per_request.assign(env_.hosts.size(), 0);
    if (const auto url = net::parse_url(spec.url))
      for (const auto n : f.nodes) {
        const auto& host = env_.hosts[n];
        if (const auto web = farm::serve_web(host, *url); web && web->kind == farm::ServerKind::IisSite)
          f.kerberos_per_request[n] = host.iis->kerberos_per_connection(*web->site) ? 0 : 1;
      }
    if (const auto url = net::parse_url(spec.url))
      for (const auto n : f.nodes)
        if (const auto service = farm::serve(env_.hosts[n], *url))
          for (const auto& e : farm::call_graph(env_, *service, flow::kMaxHopDepth)) {
            const std::pair<std::uint16_t, std::uint16_t> call{static_cast<std::uint16_t>(index_of(env_, e.from->name)),
                                                               static_cast<std::uint16_t>(index_of(env_, e.to->name))};
            if (std::find(f.calls.begin(), f.calls.end(), call) == f.calls.end()) f.calls.push_back(call);
          }
    const auto split = directory::split_account(env_.hosts[f.client].client->user);
    if (const auto* d = env_.directory.domain_by_netbios(split.domain))
      for (std::size_t k = 0; k < dcs_.size(); ++k)
        if (directory::iequals(dcs_[k].domain, d->dns)) f.dcs.push_back(k);
    flows_.push_back(std::move(f));
  }
}

void Simulator::setup_probes(const std::vector<Probe>& probes) {
  for (const auto& p : probes) {
    ProbeRun r;
    r.probe = p;
    r.until = p.until.value_or(w_.duration + 1);
    if (!p.node.empty()) {
      // A DC named for the KDC metrics counts that DC's requests; any other host, its requests.
      for (std::size_t d = 0; d < dcs_.size(); ++d)
        if (directory::iequals(dcs_[d].name, p.node)) r.dc = static_cast<int>(d);
      if (r.dc < 0) r.node = index_of(env_, p.node);
      if (r.dc < 0 && r.node < 0) r.node = kNoMatch;
    }
    if (!p.flow.empty()) {
      r.flow = kNoMatch;  // a flow the workload does not run counts nothing
      for (std::size_t i = 0; i < flows_.size(); ++i)
        if (flows_[i].spec->name == p.flow) r.flow = static_cast<int>(i);
    }
    r.wants_users = counts_users(p.metric);
    probes_.push_back(std::move(r));
  }
}

// ---- the run ----------------------------------------------------------------------------------

RunResult Simulator::run(const std::function<void(double)>& progress) {
  sim_.set_context(this);  // on_request, on_change and on_replicated find the simulator there
  const SimTime d = w_.duration;
  interval_ = w_.interval;
  if (interval_ <= 0) {
    for (const SimTime c : {kMinute, 5 * kMinute, 10 * kMinute, 15 * kMinute, 30 * kMinute, kHour, 2 * kHour, 6 * kHour,
                            12 * kHour, 24 * kHour}) {
      interval_ = c;
      if (d / c <= 60) break;
    }
  }
  report_.timeline.resize(static_cast<std::size_t>((d + interval_ - 1) / interval_));
  for (std::size_t i = 0; i < report_.timeline.size(); ++i)
    report_.timeline[i].start = static_cast<SimTime>(i) * interval_;

  log_on();
  for (std::size_t i = 0; i < w_.changes.size(); ++i)
    if (w_.changes[i].at <= d) sim_.schedule_at(w_.changes[i].at, &Simulator::on_change, i);

  constexpr int kSlices = 200;
  for (int k = 1; k <= kSlices; ++k) {
    sim_.run_until(d * k / kSlices);
    if (progress) progress(static_cast<double>(k) / kSlices);
  }

  return results();
}

void Simulator::on_request(engine::Simulation& sim, std::uint64_t user) {
  sim.context<Simulator>().request(static_cast<std::uint32_t>(user));
}

// ---- one request ------------------------------------------------------------------------------

// Which node a new connection reaches: the flow's one node, or its balancer's choice among the members
// in service (net::choose_member); kNone when none is up.
std::uint16_t Simulator::pick_node(FlowRun& f, User& user, std::uint32_t u) {
  up_.clear();
  for (const auto n : f.nodes)
    if (nodes_[n].up) up_.push_back({n, nodes_[n].open_connections});
  if (up_.empty()) return kNone;
  if (f.balancer < 0) return up_.front().id;
  const auto b = static_cast<std::size_t>(f.balancer);
  static_assert(kNone == net::LbClient::kNoCookie, "a user without a cookie names no node");
  net::LbClient client{static_cast<std::uint64_t>(u) + 1, user.pinned};  // the user's own address
  const std::uint16_t chosen = net::choose_member(env_.load_balancers[b], balancers_[b], up_, client, choices_);
  user.pinned = client.cookie;
  return chosen;
}

// One authentication at a node and the load it causes: the remembered trace, then the DCs and
// Netlogon, which may still fail it (a pass-through that timed out waiting for a slot).
Simulator::Attempt Simulator::attempt(FlowRun& f, User& user, std::uint32_t u, std::uint16_t node) {
  Attempt out;
  const Auth& a = authenticate(f, user, u, node, user_dc(f, u), out.auth);
  out.protocol = a.protocol;
  out.hops = a.hops;
  out.verdict = a.verdict;
  out.error = a.error;
  if (node == kNone && !f.nodes.empty()) {
    out.verdict = Verdict::Failed;
    out.error = error_id(Error{ErrorKind::NoNodeInService});
  }
  const SimTime load = client_load(f, u, node, a);
  if (load < 0) {
    out.verdict = Verdict::Failed;
    out.error = error_id(Error{ErrorKind::NetlogonTimeout});
    out.latency = w_.netlogon_timeout;
  } else {
    out.latency = load;
  }
  out.latency += static_cast<SimTime>(a.round_trips) * w_.network_rtt;
  return out;
}

void Simulator::request(std::uint32_t u) {
  User& user = users_[u];
  FlowRun& f = flows_[user.flow];
  const SimTime t = now();
  const bool layer7 = f.balancer >= 0 && env_.load_balancers[static_cast<std::size_t>(f.balancer)].layer == 7;
  // A request: one round trip and the page's work, plus one round trip and the work of each tier
  // it calls behind the front end.
  const auto work = [&](std::uint8_t hops) { return (1 + hops) * (w_.network_rtt + w_.server_time); };

  // An open connection carries the request, unless it is used up, idle too long, its node went
  // down, or a layer-7 balancer re-pools it (iis-rules 5.6, 5.7).
  const bool open = user.node != kNone && user.left > 0 && t - user.last_used <= w_.idle_timeout &&
                    nodes_[user.node].up && nodes_[user.node].epoch == user.epoch && !layer7;
  if (open) {
    --user.left;
    user.last_used = t;
    const bool again = user.protocol == Protocol::Kerberos && f.kerberos_per_request[user.node];
    if (user.ok && !again) {  // authenticated once for the connection (authPersistNonNTLM; NTLM per connection)
      record(u, f, user.node, user.protocol, user.verdict, user.error, work(user.hops), false);
    } else {
      // The connection never authenticated, or the site authenticates every Kerberos request: the
      // browser sends a ticket again, with whatever its caches hold now (a ticket purged or
      // expired meanwhile is asked for again).
      const Attempt a = attempt(f, user, u, user.node);
      keep(user, a);
      record(u, f, user.node, a.protocol, a.verdict, a.error, work(a.hops) + a.latency, false);
    }
  } else {
    if (user.node != kNone && nodes_[user.node].open_connections) --nodes_[user.node].open_connections;
    const std::uint16_t node = pick_node(f, user, u);
    const Attempt a = attempt(f, user, u, node);
    user.node = node;
    user.left = static_cast<std::uint16_t>(std::max(0, w_.connection_reuse - 1));
    user.last_used = t;
    keep(user, a);
    if (node != kNone) {
      user.epoch = nodes_[node].epoch;
      ++nodes_[node].open_connections;
    }
    record(u, f, node, a.protocol, a.verdict, a.error, work(a.hops) + a.latency, true);
  }
  think(u, t);
}

Estimate estimate(const farm::Environment& env, const Workload& w, std::size_t probes) {
  // In doubles, saturating: a rate of 1e300 must give a huge estimate, not a wrapped-around one.
  const auto saturate = [](double v) {
    return v >= 1.8e19 ? std::numeric_limits<std::uint64_t>::max() : static_cast<std::uint64_t>(std::max(v, 0.0));
  };
  Estimate e;
  const double hours = static_cast<double>(w.duration) / static_cast<double>(kHour);
  const double users = static_cast<double>(w.users);
  e.requests = saturate(users * w.requests_per_user_per_hour * hours);
  const double intervals = w.interval > 0 ? static_cast<double>(w.duration) / static_cast<double>(w.interval) + 1 : 61;
  e.bytes =
      saturate(users * static_cast<double>(sizeof(User) + 16 + probes) +
               static_cast<double>(env.hosts.size()) *
                   static_cast<double>(sizeof(Node) + 8 * static_cast<std::uint64_t>(w.netlogon_max_concurrent_api)) +
               intervals * static_cast<double>(sizeof(TimelineInterval)));
  return e;
}

RunResult simulate(const farm::Environment& env, const Workload& workload, const std::vector<Probe>& probes,
                   const std::function<void(double)>& progress) {
  Simulator s(env, workload, probes);
  return s.run(progress);
}

}  // namespace kerbsim::workload
