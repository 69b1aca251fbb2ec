// One simulation run, as a class (internal to sim/workload): the engine, the parties, the users, the
// remembered authentications and the counters, with one member per step of a request. Its parts live
// in their own files: simulator.cpp (setup, run, the request path), auth_memo.cpp, capacity.cpp,
// population.cpp, metrics.cpp and timeline.cpp.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "engine/event_queue.h"
#include "engine/random.h"
#include "engine/time.h"
#include "farm/environment.h"
#include "farm/node_state.h"
#include "flow/tracer.h"
#include "kerbsim/outcome.h"
#include "kerbsim/simulation.h"
#include "net/load_balancer.h"
#include "workload/auth_memo.h"
#include "workload/metrics.h"
#include "workload/parties.h"
#include "workload/population.h"
#include "workload/simulator.h"
#include "workload/workload.h"

namespace kerbsim::workload {

constexpr engine::SimTime kTgtRenewalTime = 600 * engine::kSecond;    // TgtRenewalTime (kerberos-rules R2.9)
constexpr engine::SimTime kS4uTicketLifetime = 15 * engine::kMinute;  // S4UTicketLifetime (kerberos-rules R8.3)

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

  void log_on();
  void think(std::uint32_t u, engine::SimTime t);
  std::uint8_t group_class();

  std::uint16_t pick_node(FlowRun& f, User& user, std::uint32_t u);
  std::optional<std::size_t> user_dc(const FlowRun& f, std::uint32_t u) const;
  const Auth& authenticate(FlowRun& f, User& user, std::uint32_t u, std::uint16_t node, std::optional<std::size_t> dc,
                           std::uint32_t& auth_index);
  std::uint32_t trace(const FlowRun& f, std::uint16_t node, std::size_t view, const flow::ClientState& cs,
                      const farm::FarmState& hosts);
  engine::SimTime kdc_call(std::size_t dc, std::uint64_t n, bool s4u, bool ntlm);
  engine::SimTime client_load(const FlowRun& f, std::uint32_t u, std::uint16_t node, const Auth& a);
  std::optional<engine::SimTime> netlogon_call(std::uint16_t host);
  void record(std::uint32_t u, const FlowRun& f, std::uint16_t node, Protocol protocol, Verdict verdict,
              std::uint16_t error, engine::SimTime latency, bool new_connection);
  RunResult results();
  struct Attempt {
    std::uint32_t auth = 0;
    Protocol protocol = Protocol::None;
    Verdict verdict = Verdict::Failed;
    std::uint16_t error = 0;
    std::uint8_t hops = 0;
    engine::SimTime latency = 0;
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
  engine::SimTime client_offset(const FlowRun& f) const { return client_clocks_[f.client].at(now()); }
  engine::SimTime now() const { return sim_.now(); }
  std::size_t interval_index(engine::SimTime t) const { return static_cast<std::size_t>(t / interval_); }
  std::string host_name(std::size_t i) const { return env_.hosts[i].name; }

  const farm::Environment& env_;
  const Workload& w_;
  engine::Simulation sim_;
  engine::Rng arrivals_;
  engine::Rng logons_;
  engine::Rng choices_;
  engine::SimTime interval_ = 0;
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
  std::unordered_map<std::uint64_t, engine::SimTime> s4u_cache_;  // (node << 32 | user) -> expiry
  std::vector<Error> errors_;                                     // [0] unused: 0 means no error

  // Totals.
  SimulationReport report_;
  std::vector<std::uint64_t> protocol_counts_ = std::vector<std::uint64_t>(5, 0);
  std::vector<std::uint64_t> error_counts_;
  Histogram latency_;
};

}  // namespace kerbsim::workload
