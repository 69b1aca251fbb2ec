#include "workload/replications.h"

#include <algorithm>
#include <atomic>
#include <cassert>
#include <exception>
#include <limits>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "workload/simulator.h"
#include "workload/statistics.h"

namespace kerbsim {

std::uint64_t replication_seed(std::uint64_t base_seed, std::size_t replication) {
  return base_seed + static_cast<std::uint64_t>(replication) - 1;  // unsigned: wraps modulo 2^64
}

}  // namespace kerbsim

namespace kerbsim::workload {

namespace {

// One replication's numbers with its node tallies one per host, and which hosts its report listed.
struct Finished {
  ReplicationRun run;
  std::vector<bool> listed;
  SimulationReport first;  // the whole report, kept for replication 1 only (names, duration, users)
};

Finished run_one(const farm::Environment& env, const Workload& base, std::size_t replication) {
  const farm::Environment own = env.clone();  // this replication's alone
  Workload w = base;
  w.seed = replication_seed(base.seed, replication);
  SimulationReport r = simulate(own, w, {}).report;
  Finished f;
  f.run.replication = replication;
  f.run.seed = r.seed;
  f.run.requests = r.requests;
  f.run.user_spread = r.user_spread;
  f.run.nodes.resize(env.hosts.size());
  f.listed.assign(env.hosts.size(), false);
  for (const auto& n : r.nodes)
    for (std::size_t h = 0; h < env.hosts.size(); ++h)
      if (env.hosts[h].name == n.node) {
        f.run.nodes[h] = n.requests;
        f.listed[h] = true;
      }
  if (replication == 1) f.first = std::move(r);
  return f;
}

// The summary of one number taken from every run, in replication order.
template <typename Get>
SampleSummary over_runs(const std::vector<ReplicationRun>& runs, double floor, double ceiling, Get get) {
  std::vector<double> values;
  values.reserve(runs.size());
  for (const auto& r : runs) values.push_back(get(r));
  return summarize(values, floor, ceiling);
}

ReplicationReport report_of(const farm::Environment& env, std::vector<Finished> done) {
  ReplicationReport out;
  const SimulationReport& first = done.front().first;
  out.scenario = first.scenario;
  out.title = first.title;
  out.base_seed = first.seed;
  out.duration = first.duration;
  out.users = first.users;
  // The nodes any replication's report listed, in the environment's order.
  std::vector<std::size_t> hosts;
  for (std::size_t h = 0; h < env.hosts.size(); ++h)
    for (const auto& f : done)
      if (f.listed[h]) {
        hosts.push_back(h);
        out.nodes.push_back(env.hosts[h].name);
        break;
      }
  out.runs.reserve(done.size());
  for (auto& f : done) {
    std::vector<Tally> nodes;
    nodes.reserve(hosts.size());
    for (const auto h : hosts) nodes.push_back(f.run.nodes[h]);
    f.run.nodes = std::move(nodes);
    out.runs.push_back(std::move(f.run));
  }
  const auto& runs = out.runs;
  const double users = static_cast<double>(out.users);
  out.t_quantile = runs.size() > 1 ? t_quantile_975(runs.size() - 1) : 0.0;
  out.requests = over_runs(runs, 0, std::numeric_limits<double>::max(),
                           [](const ReplicationRun& r) { return double(r.requests.requests); });
  out.failure_fraction = over_runs(runs, 0, 1, [](const ReplicationRun& r) { return r.requests.failure_fraction(); });
  out.degraded_fraction = over_runs(runs, 0, 1, [](const ReplicationRun& r) { return r.requests.degraded_fraction(); });
  out.users_never_failing =
      over_runs(runs, 0, users, [](const ReplicationRun& r) { return double(r.user_spread.never_failing); });
  out.users_sometimes_failing =
      over_runs(runs, 0, users, [](const ReplicationRun& r) { return double(r.user_spread.sometimes_failing); });
  out.users_always_failing =
      over_runs(runs, 0, users, [](const ReplicationRun& r) { return double(r.user_spread.always_failing); });
  // A node's fractions over the replications in which it served a request: a node no request reached
  // has no fraction to average in.
  for (std::size_t i = 0; i < out.nodes.size(); ++i) {
    std::vector<double> failed, degraded;
    for (const auto& r : runs)
      if (r.nodes[i].requests) {
        failed.push_back(r.nodes[i].failure_fraction());
        degraded.push_back(r.nodes[i].degraded_fraction());
      }
    if (failed.empty()) continue;
    out.node_summaries.push_back({out.nodes[i], summarize(failed, 0, 1), summarize(degraded, 0, 1)});
  }
  return out;
}

}  // namespace

ReplicationReport replicate(const farm::Environment& env, const Workload& workload, std::size_t replications,
                            std::size_t jobs, const std::function<void(double)>& progress) {
  assert(replications >= 1 && jobs >= 1);
  std::vector<std::optional<Finished>> done(replications);
  std::vector<std::exception_ptr> failures(replications);
  std::atomic<std::size_t> next{0};
  std::atomic<bool> stop{false};
  std::mutex progress_lock;
  std::size_t finished = 0;  // under progress_lock
  // Each thread takes the next replication not yet started; only its own slot of done is written.
  const auto work = [&] {
    for (std::size_t i = next++; i < replications && !stop; i = next++) {
      try {
        done[i] = run_one(env, workload, i + 1);
      } catch (...) {
        failures[i] = std::current_exception();
        stop = true;
      }
      if (progress) {
        const std::lock_guard<std::mutex> hold(progress_lock);
        progress(static_cast<double>(++finished) / static_cast<double>(replications));
      }
    }
  };
  {
    std::vector<std::jthread> threads;  // joined when the block ends, before anything is read
    const std::size_t threads_wanted = std::min(jobs, replications);
    try {
      for (std::size_t t = 1; t < threads_wanted; ++t) threads.emplace_back(work);
    } catch (...) {  // no thread for it: the ones started finish what they run, and start nothing more
      stop = true;
      throw;
    }
    work();
  }
  for (const auto& e : failures)
    if (e) std::rethrow_exception(e);
  std::vector<Finished> runs;
  runs.reserve(replications);
  for (auto& d : done) runs.push_back(std::move(*d));
  return report_of(env, std::move(runs));
}

}  // namespace kerbsim::workload
