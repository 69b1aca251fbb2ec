#include "api/effective_workload.h"

#include <cmath>
#include <string>
#include <vector>

#include "kerbsim/diagnostic.h"
#include "scenario/builder.h"
#include "workload/simulator.h"

namespace kerbsim {

namespace {

// 18000000000 -> "18,000,000,000"
std::string rounded(double v) {
  if (v >= 9e18) return "more than 9,000,000,000,000,000,000";
  std::string digits = std::to_string(std::llround(v));
  for (int i = static_cast<int>(digits.size()) - 3; i > 0; i -= 3) digits.insert(static_cast<std::size_t>(i), ",");
  return digits;
}

// A size in MiB, or in bytes when it is under one.
std::string mebibytes(double bytes) {
  if (bytes < 1048576) return rounded(bytes) + " bytes";
  return rounded(bytes / 1048576.0) + " MiB";
}

}  // namespace

workload::Workload effective_workload(const spec::Scenario& spec, const farm::Environment& env,
                                      const SimulateRequest& request, std::size_t probes, Copies copies) {
  workload::Workload w = scenario::build_workload(spec);
  const std::string at = spec.workload ? spec.workload->at : std::string("/workload");
  const int line = spec.workload ? spec.workload->line : 0;
  const int column = spec.workload ? spec.workload->column : 0;
  std::vector<Diagnostic> problems;
  if (request.duration) w.duration = *request.duration;
  if (request.seed) w.seed = *request.seed;
  if (request.users) w.users = *request.users;
  if (w.users < 1) problems.push_back({spec.file, line, column, at, "the number of users must be 1 or more"});
  if (w.duration <= 0) problems.push_back({spec.file, line, column, at, "the duration must be longer than 0"});
  if (w.interval > 0 && w.duration / w.interval > 100000)
    problems.push_back(
        {spec.file, line, column, at, "\"interval\" cuts the duration into more than 100,000 parts; make it longer"});
  // Refuse what would not fit before spending anything on it (bounded resources). In doubles: the
  // copies' totals saturate rather than wrap.
  const workload::Estimate need = workload::estimate(env, w, probes);
  const double requests = static_cast<double>(need.requests) * static_cast<double>(copies.in_all);
  const double bytes = static_cast<double>(need.bytes) * static_cast<double>(copies.at_once);
  const std::string each_requests = rounded(static_cast<double>(need.requests)) + " each";
  const std::string each_bytes = mebibytes(static_cast<double>(need.bytes)) + " each";
  if (requests > static_cast<double>(request.max_requests)) {
    const std::string budget = rounded(static_cast<double>(request.max_requests));
    problems.push_back(
        {spec.file, line, column, at,
         copies.in_all == 1
             ? "this workload would make about " + rounded(requests) + " requests, more than the budget of " + budget +
                   "; lower \"users\", \"requests_per_user_per_hour\" or \"duration\" (or --users, --duration), or "
                   "raise the budget with --max-requests"
             : "these " + std::to_string(copies.in_all) + " replications would make about " + rounded(requests) +
                   " requests in all (" + each_requests + "), more than the budget of " + budget +
                   "; lower --replications, \"users\", \"requests_per_user_per_hour\" or \"duration\" (or --users, "
                   "--duration), or raise the budget with --max-requests"});
  }
  if (bytes > static_cast<double>(request.max_memory_bytes)) {
    const std::string budget = mebibytes(static_cast<double>(request.max_memory_bytes));
    problems.push_back({spec.file, line, column, at,
                        copies.at_once == 1
                            ? "this workload would need about " + mebibytes(bytes) + ", more than the budget of " +
                                  budget + "; lower \"users\" (or --users), or raise the budget with --max-memory"
                            : std::to_string(copies.at_once) + " replications at a time would need about " +
                                  mebibytes(bytes) + " (" + each_bytes + "), more than the budget of " + budget +
                                  "; lower --jobs or \"users\" (or --users), or raise the budget with --max-memory"});
  }
  if (!problems.empty()) throw ScenarioError(std::move(problems));
  return w;
}

}  // namespace kerbsim
