// `kerbsim check`: compare traced outcomes with the outcomes a scenario's author expects. Each
// expectation is a partial outcome: every key it lists must match; arrays match element by element
// and must have the same length (scenario-format.md, "expect").
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "kerbsim/outcome.h"
#include "kerbsim/value.h"

namespace kerbsim {

struct Expectation {
  std::string flow;
  std::string via;    // "" = every path of the flow must match
  Value outcome;      // partial path outcome
  std::string where;  // "scenarios/x.json:120:7", for messages
};

struct Mismatch {
  std::string path;      // "front.error", "steps[3].rule"
  std::string expected;  // JSON text
  std::string actual;    // JSON text, or "(absent)"
};

struct ExpectationResult {
  Expectation expectation;
  bool passed = false;
  std::vector<std::string> paths_checked;  // the vias compared ("" when no balancer)
  std::vector<Mismatch> mismatches;        // for a path: prefixed "via web2: " when several were checked
  std::string problem;                     // e.g. "no flow named ..." / "flow has no path via web3"
};

// A number a simulation must produce: metric over [from, until), for one node or flow or all.
struct SimulationExpectation {
  std::string metric;  // "failure_fraction", "peak_netlogon_queue", ... (scenarios/README.md)
  std::string node;    // "" = every node
  std::string flow;    // "" = every flow
  std::int64_t from_s = 0;
  std::optional<std::int64_t> until_s;
  std::optional<double> min;
  std::optional<double> max;
  std::string where;
  std::string describe() const;  // "failure_fraction on web2 from 0s to 4h in [0.7, 0.8]"
};

struct SimulationResult {
  SimulationExpectation expectation;
  double actual = 0;
  bool passed = false;
};

struct CheckReport {
  std::string scenario;
  std::string file;
  std::vector<ExpectationResult> results;
  std::vector<SimulationResult> simulation;  // run only when the scenario has simulation expectations
  int passed() const;
  int failed() const;
};

CheckReport check_expectations(const TraceReport& trace, const std::vector<Expectation>& expectations);

// Does actual match the partial expected (the rules above)? Appends mismatches under prefix.
bool partial_match(const Value& expected, const Value& actual, const std::string& prefix,
                   std::vector<Mismatch>& mismatches);

}  // namespace kerbsim
