// Capacity: each DC's KDC serves one request at a time at Workload::kdc_capacity_per_s, and each
// server's Netlogon channel has MaxConcurrentApi slots for NTLM pass-through; waiting is latency, and a
// pass-through that waits past the timeout fails. Which DC a user's client finds (the DC locator).
#include <algorithm>
#include <cstdint>
#include <optional>

#include "workload/simulator_run.h"

namespace kerbsim::workload {

using engine::SimTime;

std::optional<std::size_t> Simulator::user_dc(const FlowRun& f, std::uint32_t u) const {
  // The DC locator spreads clients over their domain's DCs and fails over to one that answers.
  const std::size_t n = f.dcs.size();
  for (std::size_t k = 0; k < n; ++k) {
    const std::size_t d = f.dcs[(u + k) % n];
    if (dcs_[d].up) return d;
  }
  return std::nullopt;
}

// `n` requests from one client to DC `d`'s KDC, each queued behind those it is serving: the time they
// add, round trips included. `s4u`, `ntlm`: what the DC's load counts them as.
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

}  // namespace kerbsim::workload
