// The kerbsim library as the command line and tests use it: load a scenario file, then trace its
// flows, check its expectations, or lint its design. Loading throws ScenarioError on a bad file;
// everything after returns data.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "kerbsim/check.h"
#include "kerbsim/diagnostic.h"
#include "kerbsim/kdc_question.h"
#include "kerbsim/lint.h"
#include "kerbsim/outcome.h"
#include "kerbsim/rehearsal.h"
#include "kerbsim/simulation.h"

namespace kerbsim {

std::string version();

struct TraceRequest {
  std::string flow;  // "" = every flow
  std::string via;   // "" = every load-balancer member
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
  // Trace expectations; simulation expectations too when there are any (one simulation run). Throws
  // ScenarioError, before that run, when the workload would exceed the default budget.
  CheckReport check() const;
  LintReport lint() const;
  // Rolls out the verified fix of the first traced path that has one, a change per step, on the
  // scenario's workload (or RehearseRequest::kDefaultUsers users on its flows). A report with
  // rehearsed = false says why there was nothing to rehearse. Throws ScenarioError, before starting,
  // when the rehearsal would exceed the request's budget.
  RehearsalReport rehearse(const RehearseRequest& request = {}) const;
  // One question to the simulated KDC of the account's domain (`kerbsim kdc`).
  KdcAnswer ask_kdc(const KdcQuestion& question) const;

 private:
  struct Impl;
  explicit Scenario(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace kerbsim
