// What `kerbsim simulate` reports: a user population run over simulated time, counted by verdict,
// protocol, node and error, with the load on each DC's KDC and each server's Netlogon channel,
// latency percentiles, a per-interval timeline and the changes applied on the way
// (scenarios/README.md, "kerbsim simulate --format json").
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "kerbsim/value.h"

namespace kerbsim {

using Microseconds = std::int64_t;

struct SimulateRequest {
  std::optional<Microseconds> duration;  // overrides workload.duration
  std::optional<std::uint64_t> seed;     // overrides workload.seed
  std::optional<int> users;              // overrides workload.users
  // Refuse, before starting, a workload expected to need more than this (bounded resources).
  std::uint64_t max_requests = 50'000'000;
  std::uint64_t max_memory_bytes = std::uint64_t{2} << 30;
  // Called now and then with the fraction of simulated time done.
  std::function<void(double)> progress;
};

// Requests by how they ended.
struct Tally {
  std::uint64_t requests = 0;
  std::uint64_t ok = 0;
  std::uint64_t degraded = 0;  // served, but not as designed (NTLM fallback, ...)
  std::uint64_t failed = 0;
  double failure_fraction() const { return requests ? static_cast<double>(failed) / requests : 0.0; }
  double degraded_fraction() const { return requests ? static_cast<double>(degraded) / requests : 0.0; }
};

struct NodeLoad {
  std::string node;
  Tally requests;
  std::uint64_t connections = 0;         // new connections (each authenticates)
  std::uint64_t failed_connections = 0;  // whose authentication failed
  std::uint64_t netlogon_calls = 0;      // NTLM pass-through validations sent to a DC
  std::uint64_t netlogon_timeouts = 0;   // waited longer than the timeout for a MaxConcurrentApi slot
  std::uint64_t peak_netlogon_queue = 0;
  std::uint64_t peak_netlogon_per_s = 0;
};

struct DcLoad {
  std::string dc;
  std::uint64_t as_requests = 0;
  std::uint64_t tgs_requests = 0;  // clients' service tickets and referrals
  std::uint64_t s4u_requests = 0;  // servers' S4U2Self / S4U2Proxy / own tickets for the next hop
  std::uint64_t ntlm_validations = 0;
  std::uint64_t peak_per_s = 0;
  std::uint64_t peak_queue = 0;
  double mean_wait_ms = 0;
};

// Users by what they saw: every request failed, some did, none did.
struct UserSpread {
  std::uint64_t active = 0;  // made at least one request
  std::uint64_t always_failing = 0;
  std::uint64_t sometimes_failing = 0;
  std::uint64_t never_failing = 0;
};

struct LatencySummary {
  double p50_ms = 0;
  double p95_ms = 0;
  double p99_ms = 0;
  double max_ms = 0;
};

struct TimelineInterval {
  Microseconds start = 0;
  Tally requests;
  std::uint64_t kerberos = 0;
  std::uint64_t ntlm = 0;
  std::uint64_t new_connections = 0;
  std::uint64_t kdc_requests = 0;
  std::uint64_t netlogon_calls = 0;
  std::uint64_t peak_netlogon_queue = 0;
};

struct CountByName {
  std::string name;
  std::uint64_t count = 0;
};

// A timeline change as it took effect: at a DC it reached after replication, on a host at once.
struct AppliedChange {
  Microseconds at = 0;
  std::string action;  // "add_spn"
  std::string what;    // "HTTP/reports.corp.contoso.com on CORP\\svc-reports"
  std::string where;   // "dc1", "dc2 (replicated)", "web1", "all clients"
};

struct SimulationReport {
  std::string scenario;
  std::string title;
  std::uint64_t seed = 0;
  Microseconds duration = 0;
  Microseconds interval = 0;
  std::uint64_t users = 0;
  Tally requests;
  std::uint64_t connections = 0;
  std::uint64_t failed_connections = 0;
  std::vector<CountByName> protocols;  // "kerberos", "ntlm", ... in that order
  std::vector<CountByName> errors;     // failing requests by root cause, most first
  std::vector<NodeLoad> nodes;
  std::vector<DcLoad> dcs;
  UserSpread user_spread;
  LatencySummary latency;
  std::vector<TimelineInterval> timeline;
  std::vector<AppliedChange> changes;
  std::vector<std::string> notes;  // settings in force, UNCONFIRMED defaults, approximations
  std::uint64_t events = 0;        // engine events executed
  std::uint64_t traces = 0;        // distinct authentication paths traced (the rest came from memory)
};

// {requests, ok, degraded, failed, failure_fraction}
Value to_value(const Tally& tally);
Value to_value(const SimulationReport& report);

}  // namespace kerbsim
