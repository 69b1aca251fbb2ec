// Remembered authentications: a traced path reduced to an Auth, and the lookup that traces only
// when something the result depends on has changed; what the client's caches keep afterwards.
#include "workload/auth_memo.h"

#include <algorithm>
#include <cstdlib>
#include <optional>
#include <string>
#include <utility>

#include "flow/tracer.h"
#include "workload/exchanges.h"
#include "workload/simulator_run.h"

namespace kerbsim::workload {

using engine::SimTime;
using kerberos::Ticket;

std::uint32_t TicketTable::intern(const Ticket& t) {
  std::string key = t.client + '|' + t.server + '|' + t.encrypted_for + '|' + std::to_string(t.kvno) + '|' +
                    std::to_string(static_cast<int>(t.etype)) + '|';
  for (const auto& f : t.flags.names()) key += f + ',';
  key += '|' + std::to_string(t.pac_sids) + '|' + std::to_string(t.pac_foreign_sids);
  const auto [it, added] = ids_.try_emplace(key, static_cast<std::uint32_t>(tickets_.size() + 1));
  if (added) tickets_.push_back(t);
  return it->second;
}

// Root causes are interned as tickets are: an Auth and a User hold a small number (0 = none).
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

}  // namespace kerbsim::workload
