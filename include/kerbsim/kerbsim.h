// The kerbsim library as the command line and tests use it: load a scenario file, then trace its
// flows, check its expectations, or audit its design. Loading throws ScenarioError on a bad file;
// everything after returns data.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "kerbsim/audit.h"
#include "kerbsim/check.h"
#include "kerbsim/diagnostic.h"
#include "kerbsim/diff.h"
#include "kerbsim/graph.h"
#include "kerbsim/kdc_question.h"
#include "kerbsim/outcome.h"
#include "kerbsim/rehearsal.h"
#include "kerbsim/replications.h"
#include "kerbsim/simulation.h"

namespace kerbsim {

std::string version();

struct TraceRequest {
  std::string flow;  // "" = every flow
  std::string via;   // "" = every load-balancer member
};

class Scenario;

// A scenario with the verified fix of each failing path applied, ready to write.
struct FixedScenario {
  std::unique_ptr<Scenario> scenario;  // nullptr when nothing was fixed
  std::string text;                    // the scenario file; "" when nothing was fixed
  std::vector<std::string> changes;    // what each applied change does, in the order applied
  std::string problem;                 // why nothing was written: no path has a fix, or the fix cannot be written
};

struct DiffRequest {
  bool simulate = true;  // when both scenarios have a workload, run both and compare their metrics
};

class Scenario {
 public:
  // Reads, validates and builds a scenario file. Throws ScenarioError.
  static std::unique_ptr<Scenario> load(const std::string& path);
  ~Scenario();
  Scenario(const Scenario&) = delete;
  Scenario& operator=(const Scenario&) = delete;

  const std::string& file() const;
  const std::string& name() const;
  const std::string& title() const;
  const std::string& description() const;
  std::vector<std::string> flow_names() const;
  std::vector<std::string> host_names() const;

  TraceReport trace(const TraceRequest& request = {}) const;
  // Runs the scenario's workload. Throws ScenarioError, before starting, when the workload would
  // exceed the request's budget.
  SimulationReport simulate(const SimulateRequest& request = {}) const;
  // Runs the workload request.replications times, replication k with replication_seed(base, k), on up
  // to request.jobs threads; the report is the same whatever the number of threads. Throws
  // ScenarioError, before starting, when the replications would exceed the budget: requests over all
  // of them, memory over those running at once. Requires replications and jobs of 1 or more.
  ReplicationReport replicate(const ReplicateRequest& request) const;
  // Trace expectations; simulation expectations too when there are any (one simulation run). Throws
  // ScenarioError, before that run, when the workload would exceed the default budget.
  CheckReport check() const;
  // The design's findings (`kerbsim audit`): every failing or degraded path by the step where it went
  // wrong, and the design's risks, each fix verified against the trace.
  AuditReport audit() const;
  // Who can impersonate whom: the chains of delegation the request asks for, each checked at the KDCs.
  GraphReport graph(const GraphRequest& request = {}) const;
  // Rolls out the verified fix of the first traced path that has one, a change per step, on the
  // scenario's workload (or RehearseRequest::kDefaultUsers users on its flows). A report with
  // rehearsed = false says why there was nothing to rehearse. Throws ScenarioError, before starting,
  // when the rehearsal would exceed the request's budget.
  RehearsalReport rehearse(const RehearseRequest& request = {}) const;
  // One question to the simulated KDC of the account's domain (`kerbsim kdc`).
  KdcAnswer ask_kdc(const KdcQuestion& question) const;

  // The fixed design (`kerbsim trace --write-fixed`): the verified fix of a failing path applied, the
  // flows traced again, and again until no failing path has a fix. Written by the scenario writer, with
  // its `expect` blocks pinning the fixed outcome of every path, its simulation expectations left out
  // (the fixed design simulates differently), and a description that lists the changes.
  FixedScenario fix() const;
  // fix().text: the fixed scenario file, "" when nothing can be fixed.
  std::string write_fixed() const;

  friend DiffReport diff(const Scenario& a, const Scenario& b, const DiffRequest& request);

 private:
  struct Impl;
  explicit Scenario(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// `kerbsim diff A B`: the changes that turn A's environment into B's, the traced outcomes compared per
// flow, path and hop, and (when both have a workload) the simulation metrics side by side. Throws
// ScenarioError when a workload would exceed the default budget.
DiffReport diff(const Scenario& a, const Scenario& b, const DiffRequest& request = {});

}  // namespace kerbsim
