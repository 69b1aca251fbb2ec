// `kerbsim check`: compare traced outcomes with the outcomes a scenario's author expects. Each
// expectation is a partial outcome: every key it lists must match; arrays match element by element
// and must have the same length (scenario-format.md, "expect").
#pragma once

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

struct CheckReport {
  std::string scenario;
  std::string file;
  std::vector<ExpectationResult> results;
  int passed() const;
  int failed() const;
};

CheckReport check_expectations(const TraceReport& trace, const std::vector<Expectation>& expectations);

// Does actual match the partial expected (the rules above)? Appends mismatches under prefix.
bool partial_match(const Value& expected, const Value& actual, const std::string& prefix,
                   std::vector<Mismatch>& mismatches);

}  // namespace kerbsim
