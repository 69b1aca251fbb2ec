#include "workload/simulator.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdlib>
#include <deque>
#include <functional>
#include <limits>
#include <map>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>

#include "directory/names.h"
#include "engine/event_queue.h"
#include "engine/random.h"
#include "farm/change.h"
#include "farm/service.h"
#include "flow/hops.h"
#include "flow/tracer.h"
#include "net/load_balancer.h"
#include "net/url.h"
#include "workload/exchanges.h"

namespace kerbsim::workload {
namespace {

using engine::kHour;
using engine::kMillisecond;
using engine::kMinute;
using engine::kSecond;
using engine::SimTime;
using kerberos::Ticket;

constexpr std::uint16_t kNone = 0xFFFF;
constexpr int kNoMatch = -2;                          // a probe filter that matches nothing
constexpr SimTime kTgtRenewalTime = 600 * kSecond;    // TgtRenewalTime (kerberos-rules R2.9)
constexpr SimTime kS4uTicketLifetime = 15 * kMinute;  // S4UTicketLifetime (kerberos-rules R8.3)

// ---- interned ticket identities ----------------------------------------------------------------

// Tickets differ between users only in their times, which the simulator keeps itself; the rest
// (whose key, which kvno, which flags) is interned once and named by a small number. 0 = none.
class TicketTable {
 public:
  std::uint32_t intern(const Ticket& t) {
    std::string key = t.client + '|' + t.server + '|' + t.encrypted_for + '|' + std::to_string(t.kvno) + '|' +
                      std::to_string(static_cast<int>(t.etype)) + '|';
    for (const auto& f : t.flags.names()) key += f + ',';
    key += '|' + std::to_string(t.pac_sids) + '|' + std::to_string(t.pac_foreign_sids);
    const auto [it, added] = ids_.try_emplace(key, static_cast<std::uint32_t>(tickets_.size() + 1));
    if (added) tickets_.push_back(t);
    return it->second;
  }
  const Ticket& at(std::uint32_t id) const { return tickets_[id - 1]; }

 private:
  std::vector<Ticket> tickets_;
  std::unordered_map<std::string, std::uint32_t> ids_;
};

// ---- remembered authentications -----------------------------------------------------------------

// One authentication at one node as the tracer decided it, reduced to what the simulation counts.
struct Auth {
  Verdict verdict = Verdict::Failed;
  Protocol protocol = Protocol::None;
  std::uint16_t error = 0;  // index into Simulator::errors_; 0 = none
  std::uint32_t gained_tgt = 0;
  std::uint32_t gained_ticket = 0;
  bool spn_not_found = false;
  std::uint8_t client_as = 0;
  std::uint8_t client_tgs = 0;
  std::uint8_t server_kdc = 0;  // the servers' own KDC requests for the hops (S4U, service logons)
  std::uint8_t round_trips = 1;
  std::uint8_t hops = 0;  // calls behind the front end that every request makes (SSRS data source, SQL, ...)
  std::vector<std::uint16_t> passthrough;  // host index of each NTLM pass-through, in order
};

// Everything a traced authentication depends on that changes while the simulation runs.
struct AuthKey {
  std::uint64_t a = 0;  // flow << 48 | node << 32 | dc view << 16 | flags
  std::uint64_t b = 0;  // view version << 32 | node key version
  std::uint64_t c = 0;  // cached TGT << 32 | cached service ticket
  std::uint64_t d = 0;  // every host's key version << 32 | which of the flow's calls cross a clock skew
  bool operator==(const AuthKey& o) const { return a == o.a && b == o.b && c == o.c && d == o.d; }
};
struct AuthKeyHash {
  std::size_t operator()(const AuthKey& k) const {
    std::uint64_t h = k.a * 0x9E3779B97F4A7C15ULL;
    h ^= (k.b + 0x7F4A7C15ULL) * 0xBF58476D1CE4E5B9ULL;
    h ^= (k.c + 0x94D049BBULL) * 0x94D049BB133111EBULL;
    h ^= (k.d + 0x2545F491ULL) * 0xD6E8FEB86659FD93ULL;
    return static_cast<std::size_t>(h ^ (h >> 31));
  }
};

// ---- latency histogram ------------------------------------------------------------------------

// Log-scaled buckets: 64 per doubling from 1 µs, about 1 % wide.
class Histogram {
 public:
  void add(SimTime us) {
    const double v = static_cast<double>(std::max<SimTime>(us, 1));
    const auto b = static_cast<std::size_t>(std::log2(v) * kPerDoubling);
    if (b >= counts_.size()) counts_.resize(b + 1, 0);
    ++counts_[b];
    ++total_;
    max_ = std::max(max_, us);
  }
  double percentile_ms(double p) const {
    if (!total_) return 0;
    const auto want = static_cast<std::uint64_t>(std::ceil(p * static_cast<double>(total_)));
    std::uint64_t seen = 0;
    for (std::size_t b = 0; b < counts_.size(); ++b) {
      seen += counts_[b];
      if (seen >= want)
        return std::min(std::exp2((static_cast<double>(b) + 0.5) / kPerDoubling), static_cast<double>(max_)) / 1000.0;
    }
    return static_cast<double>(max_) / 1000.0;
  }
  double max_ms() const { return static_cast<double>(max_) / 1000.0; }

 private:
  static constexpr double kPerDoubling = 64;
  std::vector<std::uint64_t> counts_;
  std::uint64_t total_ = 0;
  SimTime max_ = 0;
};

// A per-second counter that remembers its busiest second.
struct PerSecond {
  SimTime second = -1;
  std::uint64_t count = 0;
  std::uint64_t peak = 0;
  void add(SimTime now, std::uint64_t n = 1) {
    const SimTime s = now / kSecond;
    if (s != second) {
      second = s;
      count = 0;
    }
    count += n;
    peak = std::max(peak, count);
  }
};

// ---- the parties ------------------------------------------------------------------------------

struct Clock {
  SimTime base = 0;
  SimTime drift_per_hour = 0;
  SimTime since = 0;
  SimTime at(SimTime t) const {
    return base + static_cast<SimTime>(static_cast<double>(drift_per_hour) * static_cast<double>(t - since) /
                                       static_cast<double>(kHour));
  }
};

struct Node {
  bool up = true;
  std::uint32_t epoch = 0;        // bumped when the node goes down: its connections are gone
  std::uint32_t key_version = 0;  // bumped when the keys its processes hold change
  farm::NodeState state;          // held kvnos
  Clock clock;
  std::uint64_t open_connections = 0;
  std::vector<SimTime> slots;   // Netlogon MaxConcurrentApi slots: when each is free
  std::deque<SimTime> waiting;  // start times of pass-throughs still waiting for a slot
  PerSecond netlogon_rate;
  NodeLoad load;
  bool listed = false;        // shown in the report
  std::size_t domain_dc = 0;  // index of the DC its secure channel uses
  bool has_dc = false;
};

struct Dc {
  std::string name;
  std::string domain;  // dns
  farm::Environment view;
  std::uint32_t version = 0;
  bool up = true;
  SimTime next_free = 0;
  SimTime service = 0;
  PerSecond rate;
  double wait_sum = 0;
  std::uint64_t served = 0;
  DcLoad load;
};

struct FlowRun {
  const farm::FlowSpec* spec = nullptr;
  std::size_t index = 0;                           // in env.flows
  std::size_t client = 0;                          // host index of the client the users are cloned from
  std::vector<std::uint16_t> nodes;                // host indexes of the balancer's members, or the one node
  int balancer = -1;                               // index in env.load_balancers
  std::vector<std::uint8_t> kerberos_per_request;  // per host: its site re-authenticates every request
  std::vector<std::size_t> dcs;                    // DCs of the user's domain
  // The calls behind the front ends, as host indexes (caller, callee): whether the caller's clock
  // is within the skew of the callee's and the DCs' decides their AP and AS exchanges (R2.8).
  std::vector<std::pair<std::uint16_t, std::uint16_t>> calls;
};

// One simulated user. Kept small: a population of 100,000 is a few megabytes.
struct User {
  std::uint32_t tgt = 0;
  std::uint32_t ticket = 0;  // the service ticket for the front end's SPN
  SimTime tgt_end = 0;
  SimTime ticket_end = 0;
  SimTime negative_until = 0;
  SimTime last_used = 0;
  std::uint16_t error = 0;  // the connection's authentication: its root cause, if any
  Protocol protocol = Protocol::None;
  Verdict verdict = Verdict::Failed;
  bool ok = false;          // authenticated: later requests on the connection need no new authentication
  std::uint32_t epoch = 0;  // the node's epoch when the connection opened
  std::uint16_t node = kNone;
  std::uint16_t left = 0;        // requests the connection still takes
  std::uint16_t pinned = kNone;  // cookie affinity
  std::uint16_t flow = 0;
  std::uint8_t seen = 0;    // 1: had a request that did not fail, 2: had one that failed
  std::uint8_t groups = 0;  // index into Workload::group_counts
  std::uint8_t hops = 0;    // calls behind the front end on the connection's requests
};

// A probe: what one simulation expectation measures.
struct ProbeRun {
  Probe probe;
  int node = -1;  // host index; -1 = all
  int dc = -1;    // for the KDC metrics
  int flow = -1;
  SimTime until = 0;
  Tally tally;
  std::uint64_t kerberos = 0, ntlm = 0, connections = 0, failed_connections = 0;
  std::uint64_t netlogon_calls = 0, netlogon_timeouts = 0, peak_netlogon_queue = 0;
  std::uint64_t kdc_requests = 0, peak_kdc_queue = 0;
  PerSecond kdc_rate;
  Histogram latency;
  std::vector<std::uint8_t> users;  // seen bits per user, for the users_* metrics
  bool wants_users = false;
  bool in(SimTime t) const { return t >= probe.from && t < until; }
};

// A host's position in the environment (the simulator keeps per-host state by it); -1 if none.
int index_of(const farm::Environment& env, const std::string& name) {
  const farm::Host* h = env.host(name);
  return h ? static_cast<int>(h - env.hosts.data()) : -1;
}

class Simulator {
 public:
  Simulator(const farm::Environment& env, const Workload& w, const std::vector<Probe>& probes)
      : env_(env), w_(w), arrivals_(w.seed, 1), logons_(w.seed, 2), choices_(w.seed, 3) {
    errors_.emplace_back();
    setup_dcs();
    setup_nodes();
    setup_flows();
    setup_probes(probes);
  }

  RunResult run(const std::function<void(double)>& progress);

 private:
  void setup_dcs();
  void setup_nodes();
  void setup_flows();
  void setup_probes(const std::vector<Probe>& probes);

  static void on_request(engine::Simulation& sim, std::uint64_t user);
  static void on_change(engine::Simulation& sim, std::uint64_t change);
  static void on_replicated(engine::Simulation& sim, std::uint64_t packed);
  void request(std::uint32_t u);
  void change(std::size_t i);
  void reach_dc(std::size_t change, std::size_t dc, bool replicated);

  std::uint16_t pick_node(FlowRun& f, User& user, std::uint32_t u);
  std::optional<std::size_t> user_dc(const FlowRun& f, std::uint32_t u) const;
  const Auth& authenticate(FlowRun& f, User& user, std::uint32_t u, std::uint16_t node, std::optional<std::size_t> dc,
                           std::uint32_t& auth_index);
  std::uint32_t trace(const FlowRun& f, std::uint16_t node, std::size_t view, const flow::ClientState& cs,
                      const farm::FarmState& hosts);
  SimTime kdc_call(std::size_t dc, std::uint64_t n, bool s4u, bool ntlm);
  SimTime client_load(const FlowRun& f, std::uint32_t u, std::uint16_t node, const Auth& a);
  std::optional<SimTime> netlogon_call(std::uint16_t host);
  void record(std::uint32_t u, const FlowRun& f, std::uint16_t node, Protocol protocol, Verdict verdict,
              std::uint16_t error, SimTime latency, bool new_connection);
  struct Attempt {
    std::uint32_t auth = 0;
    Protocol protocol = Protocol::None;
    Verdict verdict = Verdict::Failed;
    std::uint16_t error = 0;
    std::uint8_t hops = 0;
    SimTime latency = 0;
  };
  Attempt attempt(FlowRun& f, User& user, std::uint32_t u, std::uint16_t node);
  static void keep(User& user, const Attempt& a) {
    user.ok = a.verdict != Verdict::Failed;
    user.hops = a.hops;
    user.protocol = a.protocol;
    user.verdict = a.verdict;
    user.error = a.error;
  }
  std::uint16_t error_id(const Error& error);
  std::uint8_t group_class();
  SimTime client_offset(const FlowRun& f) const { return client_clocks_[f.client].at(now()); }
  SimTime now() const { return sim_.now(); }
  std::size_t interval_index(SimTime t) const { return static_cast<std::size_t>(t / interval_); }
  std::string host_name(std::size_t i) const { return env_.hosts[i].name; }

  const farm::Environment& env_;
  const Workload& w_;
  engine::Simulation sim_;
  engine::Rng arrivals_;
  engine::Rng logons_;
  engine::Rng choices_;
  SimTime interval_ = 0;
  double mean_think_ = 0;  // µs between a user's requests

  std::vector<Dc> dcs_;
  std::vector<Node> nodes_;           // one per host
  std::vector<Clock> client_clocks_;  // one per host (used for the clients users are cloned from)
  std::uint32_t keys_version_ = 0;    // bumped whenever the keys any host's processes hold change
  std::vector<net::LbState> balancers_;
  std::vector<net::LbMember> up_;  // pick_node's members in service, kept between calls
  std::vector<FlowRun> flows_;
  std::vector<User> users_;
  std::vector<ProbeRun> probes_;

  TicketTable tickets_;
  std::vector<Auth> auths_;
  std::unordered_map<AuthKey, std::uint32_t, AuthKeyHash> remembered_;
  std::unordered_map<std::uint64_t, SimTime> s4u_cache_;  // (node << 32 | user) -> expiry
  std::vector<Error> errors_;                             // [0] unused: 0 means no error

  // Totals.
  SimulationReport report_;
  std::vector<std::uint64_t> protocol_counts_ = std::vector<std::uint64_t>(5, 0);
  std::vector<std::uint64_t> error_counts_;
  Histogram latency_;
};

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
        if (host.ssrs_answers(url->path) || !host.iis) continue;
        if (const auto* site = host.iis->site_for(url->scheme, url->host, url->port))
          f.kerberos_per_request[n] = host.iis->kerberos_per_connection(*site) ? 0 : 1;
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
    r.wants_users = p.metric.rfind("users_", 0) == 0;
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
  mean_think_ = static_cast<double>(kHour) / w_.requests_per_user_per_hour;

  if (!flows_.empty()) {
    users_.resize(static_cast<std::size_t>(w_.users));
    for (auto& p : probes_)
      if (p.wants_users) p.users.assign(users_.size(), 0);
    for (std::size_t u = 0; u < users_.size(); ++u) {
      users_[u].flow = static_cast<std::uint16_t>(u % flows_.size());
      users_[u].groups = group_class();
      const auto start = static_cast<SimTime>(logons_.uniform() * static_cast<double>(w_.logon_spread));
      if (start < d) sim_.schedule_at(start, &Simulator::on_request, u);
    }
  }
  for (std::size_t i = 0; i < w_.changes.size(); ++i)
    if (w_.changes[i].at <= d) sim_.schedule_at(w_.changes[i].at, &Simulator::on_change, i);

  constexpr int kSlices = 200;
  for (int k = 1; k <= kSlices; ++k) {
    sim_.run_until(d * k / kSlices);
    if (progress) progress(static_cast<double>(k) / kSlices);
  }

  // The report.
  RunResult out;
  SimulationReport& r = report_;
  r.scenario = env_.name;
  r.title = env_.title;
  r.seed = w_.seed;
  r.duration = d;
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

  for (const auto& p : probes_) {
    const std::string& m = p.probe.metric;
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
    if (m == "requests")
      v = static_cast<double>(p.tally.requests);
    else if (m == "failures")
      v = static_cast<double>(p.tally.failed);
    else if (m == "failure_fraction")
      v = frac(p.tally.failed, p.tally.requests);
    else if (m == "degraded_fraction")
      v = frac(p.tally.degraded, p.tally.requests);
    else if (m == "ok_fraction")
      v = frac(p.tally.ok, p.tally.requests);
    else if (m == "kerberos_fraction")
      v = frac(p.kerberos, p.tally.requests);
    else if (m == "ntlm_fraction")
      v = frac(p.ntlm, p.tally.requests);
    else if (m == "connections")
      v = static_cast<double>(p.connections);
    else if (m == "connection_failure_fraction")
      v = frac(p.failed_connections, p.connections);
    else if (m == "users_always_failing_fraction")
      v = frac(always, active_users);
    else if (m == "users_sometimes_failing_fraction")
      v = frac(sometimes, active_users);
    else if (m == "users_never_failing_fraction")
      v = frac(never, active_users);
    else if (m == "netlogon_calls")
      v = static_cast<double>(p.netlogon_calls);
    else if (m == "netlogon_timeouts")
      v = static_cast<double>(p.netlogon_timeouts);
    else if (m == "peak_netlogon_queue")
      v = static_cast<double>(p.peak_netlogon_queue);
    else if (m == "kdc_requests")
      v = static_cast<double>(p.kdc_requests);
    else if (m == "peak_kdc_queue")
      v = static_cast<double>(p.peak_kdc_queue);
    else if (m == "peak_kdc_requests_per_s")
      v = static_cast<double>(p.kdc_rate.peak);
    else if (m == "latency_p50_ms")
      v = p.latency.percentile_ms(0.50);
    else if (m == "latency_p95_ms")
      v = p.latency.percentile_ms(0.95);
    else if (m == "latency_p99_ms")
      v = p.latency.percentile_ms(0.99);
    out.probes.push_back(v);
  }
  return out;
}

void Simulator::on_request(engine::Simulation& sim, std::uint64_t user) {
  sim.context<Simulator>().request(static_cast<std::uint32_t>(user));
}
void Simulator::on_change(engine::Simulation& sim, std::uint64_t change) { sim.context<Simulator>().change(change); }
void Simulator::on_replicated(engine::Simulation& sim, std::uint64_t packed) {
  sim.context<Simulator>().reach_dc(packed >> 32, packed & 0xFFFFFFFFULL, true);
}

// ---- one request ------------------------------------------------------------------------------

std::optional<std::size_t> Simulator::user_dc(const FlowRun& f, std::uint32_t u) const {
  // The DC locator spreads clients over their domain's DCs and fails over to one that answers.
  const std::size_t n = f.dcs.size();
  for (std::size_t k = 0; k < n; ++k) {
    const std::size_t d = f.dcs[(u + k) % n];
    if (dcs_[d].up) return d;
  }
  return std::nullopt;
}

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

// Which share of the population a new user falls in (Workload::group_counts).
std::uint8_t Simulator::group_class() {
  if (w_.group_counts.size() < 2) return 0;
  double total = 0;
  for (const auto& g : w_.group_counts) total += g.share;
  double x = logons_.uniform() * total;
  for (std::size_t i = 0; i < w_.group_counts.size(); ++i) {
    x -= w_.group_counts[i].share;
    if (x < 0) return static_cast<std::uint8_t>(i);
  }
  return static_cast<std::uint8_t>(w_.group_counts.size() - 1);
}

std::uint16_t Simulator::error_id(const Error& error) {
  for (std::size_t i = 1; i < errors_.size(); ++i)
    if (errors_[i] == error) return static_cast<std::uint16_t>(i);
  errors_.push_back(error);
  return static_cast<std::uint16_t>(errors_.size() - 1);
}

std::uint32_t Simulator::trace(const FlowRun& f, std::uint16_t node, std::size_t view, const flow::ClientState& cs,
                               const farm::FarmState& hosts) {
  flow::ClientGains gains;
  const farm::Environment& env = dcs_[view].view;
  const std::string node_name = node == kNone ? "" : host_name(node);
  const PathOutcome p = flow::trace_path(env, *f.spec, node_name, cs, hosts, &gains);
  Auth a;
  a.verdict = p.verdict;
  a.protocol = p.front.protocol;
  if (p.verdict != Verdict::Ok)
    if (const auto cause = root_cause(p)) a.error = error_id(*cause);
  if (gains.tgt) a.gained_tgt = tickets_.intern(*gains.tgt);
  if (gains.service_ticket) a.gained_ticket = tickets_.intern(*gains.service_ticket);
  a.spn_not_found = gains.spn_not_found;
  const ExchangeCounts counts = count_exchanges(p, env_.hosts[f.client].name);
  a.client_as = static_cast<std::uint8_t>(counts.client_as);
  a.client_tgs = static_cast<std::uint8_t>(counts.client_tgs);
  a.server_kdc = static_cast<std::uint8_t>(counts.server_kdc);
  for (const auto& server : counts.passthrough)
    if (const int h = index_of(env_, server); h >= 0) a.passthrough.push_back(static_cast<std::uint16_t>(h));
  a.round_trips = static_cast<std::uint8_t>(std::clamp(counts.round_trips, 1, 255));
  a.hops = static_cast<std::uint8_t>(std::min(counts.hops_ok, 255));
  auths_.push_back(std::move(a));
  return static_cast<std::uint32_t>(auths_.size() - 1);
}

const Auth& Simulator::authenticate(FlowRun& f, User& user, std::uint32_t u, std::uint16_t node,
                                    std::optional<std::size_t> dc, std::uint32_t& auth_index) {
  const SimTime t = now();
  const std::size_t view = dc ? *dc : (f.dcs.empty() ? 0 : f.dcs.front());
  const SimTime skew = dcs_[view].view.kdc_policy.max_clock_skew;
  // What the client's caches hold now (kerberos-rules R2.8, R2.9, R1.6).
  if (user.tgt && user.tgt_end - kTgtRenewalTime <= t) user.tgt = 0;
  if (user.ticket && user.ticket_end - skew <= t) user.ticket = 0;
  const bool negative = user.negative_until > t;
  const SimTime c_off = client_offset(f);
  const SimTime n_off = node == kNone ? 0 : nodes_[node].clock.at(t);
  const bool client_dc_skewed = std::llabs(c_off) > skew;
  const bool client_node_skewed = std::llabs(c_off - n_off) > skew;

  AuthKey key;
  const std::uint64_t flags = (negative ? 1U : 0U) | (dc ? 2U : 0U) | (client_dc_skewed ? 4U : 0U) |
                              (client_node_skewed ? 8U : 0U) | static_cast<std::uint64_t>(user.groups) << 4;
  key.a = static_cast<std::uint64_t>(f.index) << 48 | static_cast<std::uint64_t>(node) << 32 |
          static_cast<std::uint64_t>(view) << 16 | flags;
  key.b = static_cast<std::uint64_t>(dcs_[view].version) << 32 | (node == kNone ? 0U : nodes_[node].key_version);
  key.c = static_cast<std::uint64_t>(user.tgt) << 32 | user.ticket;
  std::uint64_t skewed_calls = 0;
  for (std::size_t i = 0; i < f.calls.size() && i < 16; ++i) {
    const SimTime from = nodes_[f.calls[i].first].clock.at(t), to = nodes_[f.calls[i].second].clock.at(t);
    skewed_calls |=
        static_cast<std::uint64_t>((std::llabs(from - to) > skew ? 1U : 0U) | (std::llabs(from) > skew ? 2U : 0U))
        << (2 * i);
  }
  key.d = static_cast<std::uint64_t>(keys_version_) << 32 | skewed_calls;
  const auto found = remembered_.find(key);
  if (found != remembered_.end()) {
    auth_index = found->second;
  } else {
    flow::ClientState cs;
    if (user.tgt) cs.tgt = tickets_.at(user.tgt);
    if (user.ticket) cs.service_ticket = tickets_.at(user.ticket);
    cs.spn_not_found = negative;
    cs.kdc_reachable = dc.has_value();
    cs.clock_offset = c_off;
    if (!w_.group_counts.empty()) cs.token_groups = w_.group_counts[user.groups].groups;
    // Every host as it is now: the back ends' keys and clocks decide their hops (kerberos-rules R2.6-R2.8).
    farm::FarmState hosts;
    hosts.hosts.reserve(nodes_.size());
    for (const Node& n : nodes_) {
      hosts.hosts.push_back(n.state);
      hosts.hosts.back().clock_offset = n.clock.at(t);
    }
    auth_index = trace(f, node, view, cs, hosts);
    remembered_.emplace(key, auth_index);
  }
  const Auth& a = auths_[auth_index];
  // What the client keeps.
  if (a.gained_tgt) {
    const Ticket& tgt = tickets_.at(a.gained_tgt);
    user.tgt = a.gained_tgt;
    user.tgt_end = t + (tgt.end - tgt.start);
  }
  if (a.gained_ticket) {
    const Ticket& st = tickets_.at(a.gained_ticket);
    user.ticket = a.gained_ticket;
    user.ticket_end = std::min(t + (st.end - st.start), user.tgt ? user.tgt_end : t + (st.end - st.start));
  }
  if (a.spn_not_found && !negative) {
    user.negative_until = t + dcs_[view].view.spn_negative_cache;
    user.ticket = 0;
  }
  (void)u;
  return a;
}

SimTime Simulator::kdc_call(std::size_t d, std::uint64_t n, bool s4u, bool ntlm) {
  Dc& dc = dcs_[d];
  const SimTime t = now();
  SimTime waited = 0;
  for (std::uint64_t i = 0; i < n; ++i) {
    const SimTime start = std::max(t, dc.next_free);
    const auto queue = static_cast<std::uint64_t>((start - t) / dc.service);
    dc.load.peak_queue = std::max(dc.load.peak_queue, queue);
    dc.next_free = start + dc.service;
    waited += start - t + dc.service;
    dc.wait_sum += static_cast<double>(start - t);
    ++dc.served;
    for (auto& p : probes_)
      if (p.in(t) && (p.dc == -1 || p.dc == static_cast<int>(d)) && p.node == -1) {
        ++p.kdc_requests;
        p.kdc_rate.add(t);
        p.peak_kdc_queue = std::max(p.peak_kdc_queue, queue);
      }
  }
  dc.rate.add(t, n);
  if (ntlm)
    dc.load.ntlm_validations += n;
  else if (s4u)
    dc.load.s4u_requests += n;
  report_.timeline[interval_index(t)].kdc_requests += ntlm ? 0 : n;
  return waited + static_cast<SimTime>(n) * w_.network_rtt;
}

// One NTLM pass-through from a server: wait for a free MaxConcurrentApi slot, then the round trip
// to the DC. nullopt = timed out waiting (Netlogon events 5816-5819; UNCONFIRMED timeout).
std::optional<SimTime> Simulator::netlogon_call(std::uint16_t host) {
  Node& n = nodes_[host];
  const SimTime t = now();
  if (n.slots.empty()) n.slots.assign(static_cast<std::size_t>(w_.netlogon_max_concurrent_api), 0);
  while (!n.waiting.empty() && n.waiting.front() <= t) n.waiting.pop_front();
  auto slot = std::min_element(n.slots.begin(), n.slots.end());
  const SimTime start = std::max(t, *slot);
  ++n.load.netlogon_calls;
  n.netlogon_rate.add(t);
  ++report_.timeline[interval_index(t)].netlogon_calls;
  const bool timed_out = start - t > w_.netlogon_timeout;
  if (!timed_out && start > t) n.waiting.push_back(start);
  const auto queue = static_cast<std::uint64_t>(n.waiting.size());
  n.load.peak_netlogon_queue = std::max(n.load.peak_netlogon_queue, queue);
  auto& iv = report_.timeline[interval_index(t)];
  iv.peak_netlogon_queue = std::max(iv.peak_netlogon_queue, queue);
  for (auto& p : probes_)
    if (p.in(t) && p.dc == -1 && (p.node == -1 || p.node == static_cast<int>(host))) {
      ++p.netlogon_calls;
      p.netlogon_timeouts += timed_out;
      p.peak_netlogon_queue = std::max(p.peak_netlogon_queue, queue);
    }
  if (timed_out) {
    ++n.load.netlogon_timeouts;
    return std::nullopt;
  }
  SimTime dc_wait = 0;
  if (n.has_dc && dcs_[n.domain_dc].up) dc_wait = kdc_call(n.domain_dc, 1, false, true) - w_.network_rtt;
  *slot = start + w_.netlogon_call_time + dc_wait;
  return start - t + w_.netlogon_call_time + dc_wait;
}

// The load one authentication puts on the DCs and on Netlogon, as the time it adds; negative when a
// pass-through timed out waiting for a MaxConcurrentApi slot.
SimTime Simulator::client_load(const FlowRun& f, std::uint32_t u, std::uint16_t node, const Auth& a) {
  SimTime latency = 0;
  const std::optional<std::size_t> dc = user_dc(f, u);
  if (dc && (a.client_as || a.client_tgs)) {
    latency += kdc_call(*dc, a.client_as + a.client_tgs, false, false);
    dcs_[*dc].load.as_requests += a.client_as;
    dcs_[*dc].load.tgs_requests += a.client_tgs;
  }
  if (a.server_kdc && node != kNone && nodes_[node].has_dc) {
    auto& until = s4u_cache_[static_cast<std::uint64_t>(node) << 32 | u];
    if (until <= now()) {  // the server keeps the tickets it got for this user (S4UTicketLifetime)
      latency += kdc_call(nodes_[node].domain_dc, a.server_kdc, true, false);
      until = now() + kS4uTicketLifetime;
    }
  }
  for (const auto h : a.passthrough) {
    const auto waited = netlogon_call(h);
    if (!waited) return -1;
    latency += *waited;
  }
  return latency;
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
  // The gap is compared as a number before it becomes a time, so no rate can overflow the clock.
  const double gap = arrivals_.exponential(mean_think_) + 1;
  if (gap < static_cast<double>(w_.duration - t))
    sim_.schedule_at(t + static_cast<SimTime>(gap), &Simulator::on_request, u);
}

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

// ---- timeline changes -------------------------------------------------------------------------

void Simulator::change(std::size_t i) {
  const Change& c = w_.changes[i];
  const SimTime t = now();
  const auto applied = [&](const std::string& where) {
    report_.changes.push_back({t, action_name(c.action), farm::describe(c), where});
  };
  if (c.in_directory()) {
    // Written on the first DC of the account's domain that answers; the others see it after
    // replication (kerberos-rules R8.4).
    const auto split = directory::split_account(c.account);
    const auto* dom = env_.directory.domain_by_netbios(split.domain);
    std::optional<std::size_t> writer;
    for (std::size_t d = 0; d < dcs_.size(); ++d)
      if (dom && directory::iequals(dcs_[d].domain, dom->dns) && dcs_[d].up && !writer) writer = d;
    if (!writer) writer = 0;
    // The keys that running services hold, before the change moves the kvno (kerberos-rules R2.7).
    if (c.action == Action::PasswordChange) {
      const auto& dir = dcs_[*writer].view.directory;
      if (const auto id = dir.find_account(c.account)) {
        const auto& acct = dir.account(*id);
        const int old = acct.kvno;
        for (std::size_t h = 0; h < nodes_.size(); ++h) {
          std::vector<int> held;
          if (acct.kind == directory::AccountKind::Computer) {
            if (!directory::iequals(env_.hosts[h].computer_account, c.account)) continue;
            held = {old + 1, old};  // the machine changed its own password and keeps the previous one
          } else if (acct.kind == directory::AccountKind::Gmsa) {
            held = {old + 1, old};  // gMSA hosts retrieve current and previous passwords
          } else {
            const auto it = nodes_[h].state.held_kvnos.find(c.account);
            held = it == nodes_[h].state.held_kvnos.end() ? std::vector<int>{old} : it->second;
          }
          nodes_[h].state.held_kvnos[c.account] = held;
          ++nodes_[h].key_version;
          ++keys_version_;
        }
      }
    }
    reach_dc(i, *writer, false);
    for (std::size_t d = 0; d < dcs_.size(); ++d)
      if (d != *writer && !dcs_[d].name.empty())
        sim_.schedule_at(t + w_.replication_delay, &Simulator::on_replicated, static_cast<std::uint64_t>(i) << 32 | d);
    return;
  }
  const int h = c.host.empty() ? -1 : index_of(env_, c.host);
  switch (c.action) {
    case Action::ChangeAppPoolIdentity:
    case Action::SetUseAppPoolCredentials:
    case Action::SetKernelMode: {
      for (auto& dc : dcs_) {
        farm::apply_change(dc.view, c);
        ++dc.version;
      }
      if (h >= 0) {
        ++nodes_[static_cast<std::size_t>(h)].key_version;
        ++keys_version_;
        // A new identity starts a new worker process, which logs on with the current password.
        if (c.action == Action::ChangeAppPoolIdentity)
          nodes_[static_cast<std::size_t>(h)].state.held_kvnos.erase(c.identity.account);
      }
      applied(c.host);
      break;
    }
    case Action::AppPoolRestart: {
      if (h >= 0 && env_.hosts[static_cast<std::size_t>(h)].iis) {
        Node& n = nodes_[static_cast<std::size_t>(h)];
        const auto& host = dcs_.front().view.hosts[static_cast<std::size_t>(h)];
        if (const auto* pool = host.iis->pool(c.app_pool)) {
          const std::string account = pool->identity.key_account(host.computer_account);
          const auto it = n.state.held_kvnos.find(account);
          // Only a user account's service is stuck with its old key; gMSA hosts and computers
          // keep the current and previous keys across restarts (kerberos-rules R2.7).
          bool user_account = false;
          if (const auto id = dcs_.front().view.directory.find_account(account))
            user_account = dcs_.front().view.directory.account(*id).kind == directory::AccountKind::User;
          if (it != n.state.held_kvnos.end() && user_account) {
            int current = it->second.front();
            for (const auto& dc : dcs_)
              if (const auto id = dc.view.directory.find_account(account))
                current = std::max(current, dc.view.directory.account(*id).kvno);
            if (w_.restart_keeps_previous_key)
              it->second = {current, it->second.front()};
            else
              n.state.held_kvnos.erase(it);
          }
        }
        ++n.key_version;
        ++keys_version_;
      }
      applied(c.host);
      break;
    }
    case Action::PurgeTickets: {
      for (auto& user : users_) {
        const auto& client = env_.hosts[flows_[user.flow].client].name;
        const bool chosen = c.clients.empty() || std::any_of(c.clients.begin(), c.clients.end(), [&](const auto& x) {
                              return directory::iequals(x, client);
                            });
        if (!chosen) continue;
        user.tgt = 0;
        user.ticket = 0;
        user.negative_until = 0;
      }
      applied(c.clients.empty() ? "every client" : "the listed clients");
      break;
    }
    case Action::NodeDown:
    case Action::NodeUp:
      if (h >= 0) {
        Node& n = nodes_[static_cast<std::size_t>(h)];
        n.up = c.action == Action::NodeUp;
        if (!n.up) {
          ++n.epoch;
          n.open_connections = 0;
        }
      }
      applied(c.host);
      break;
    case Action::DcDown:
    case Action::DcUp:
      for (auto& dc : dcs_)
        if (directory::iequals(dc.name, c.dc)) dc.up = c.action == Action::DcUp;
      applied(c.dc);
      break;
    case Action::ClockStep:
    case Action::ClockDrift:
      if (h >= 0) {
        for (Clock* clock :
             {&nodes_[static_cast<std::size_t>(h)].clock, &client_clocks_[static_cast<std::size_t>(h)]}) {
          clock->base = clock->at(t) + (c.action == Action::ClockStep ? c.offset : 0);
          clock->since = t;
          if (c.action == Action::ClockDrift) clock->drift_per_hour = c.offset;
        }
      }
      applied(c.host);
      break;
    default:
      break;
  }
}

void Simulator::reach_dc(std::size_t change, std::size_t d, bool replicated) {
  const Change& c = w_.changes[change];
  farm::apply_change(dcs_[d].view, c);
  ++dcs_[d].version;
  report_.changes.push_back(
      {now(), action_name(c.action), farm::describe(c), dcs_[d].name + (replicated ? " (replicated)" : "")});
}

}  // namespace

const std::vector<std::string>& metric_names() {
  static const std::vector<std::string> names = {"requests",
                                                 "failures",
                                                 "failure_fraction",
                                                 "degraded_fraction",
                                                 "ok_fraction",
                                                 "kerberos_fraction",
                                                 "ntlm_fraction",
                                                 "connections",
                                                 "connection_failure_fraction",
                                                 "users_always_failing_fraction",
                                                 "users_sometimes_failing_fraction",
                                                 "users_never_failing_fraction",
                                                 "netlogon_calls",
                                                 "netlogon_timeouts",
                                                 "peak_netlogon_queue",
                                                 "kdc_requests",
                                                 "peak_kdc_queue",
                                                 "peak_kdc_requests_per_s",
                                                 "latency_p50_ms",
                                                 "latency_p95_ms",
                                                 "latency_p99_ms"};
  return names;
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
