// `kerbsim check`: match each expectation's partial outcome against the traced paths of its flow
// (scenario-format.md, "expect").
#include "kerbsim/check.h"

#include "engine/time.h"

#include <algorithm>
#include <cctype>
#include <sstream>

namespace kerbsim {

namespace {

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

std::string quoted(const std::string& s) { return '"' + s + '"'; }

std::string join_key(const std::string& prefix, const std::string& key) {
  return prefix.empty() ? key : prefix + "." + key;
}

bool scalars_equal(const Value& expected, const Value& actual) {
  if (expected.is_number() && actual.is_number()) {
    if (expected.is_int() && actual.is_int()) return expected.as_int() == actual.as_int();
    return expected.as_number() == actual.as_number();
  }
  return expected == actual;  // same type and value; null only equals null
}

const FlowOutcome* find_flow(const TraceReport& trace, const std::string& name) {
  for (const auto& flow : trace.flows)
    if (flow.flow == name) return &flow;
  return nullptr;
}

std::string flow_names(const TraceReport& trace) {
  std::string out;
  for (const auto& flow : trace.flows) out += (out.empty() ? "" : ", ") + quoted(flow.flow);
  return out;
}

std::string via_names(const FlowOutcome& flow) {
  std::string out;
  for (const auto& path : flow.paths)
    if (path.via) out += (out.empty() ? "" : ", ") + *path.via;
  return out;
}

ExpectationResult check_one(const TraceReport& trace, const Expectation& expectation) {
  ExpectationResult result;
  result.expectation = expectation;

  const FlowOutcome* flow = find_flow(trace, expectation.flow);
  if (!flow) {
    result.problem = "no flow named " + quoted(expectation.flow);
    if (!trace.flows.empty()) result.problem += " (flows: " + flow_names(trace) + ")";
    return result;
  }

  std::vector<const PathOutcome*> paths;
  for (const auto& path : flow->paths) {
    if (expectation.via.empty() || (path.via && lower(*path.via) == lower(expectation.via))) paths.push_back(&path);
  }
  if (paths.empty()) {
    if (flow->paths.empty()) {
      result.problem = "flow " + quoted(flow->flow) + " has no traced path";
    } else {
      const std::string vias = via_names(*flow);
      result.problem = "flow " + quoted(flow->flow) + " has no path via " + expectation.via +
                       (vias.empty() ? " (it reaches no load balancer)" : " (paths via " + vias + ")");
    }
    return result;
  }

  const bool several = paths.size() > 1;
  for (const PathOutcome* path : paths) {
    result.paths_checked.push_back(path->via.value_or(""));
    std::vector<Mismatch> found;
    partial_match(expectation.outcome, to_value(*path), "", found);
    for (auto& m : found) {
      if (several) m.path = "via " + path->via.value_or("?") + ": " + m.path;
      result.mismatches.push_back(std::move(m));
    }
  }
  result.passed = result.mismatches.empty();
  return result;
}

}  // namespace

int CheckReport::passed() const {
  return static_cast<int>(
      std::count_if(results.begin(), results.end(), [](const ExpectationResult& r) { return r.passed; }) +
      std::count_if(simulation.begin(), simulation.end(), [](const SimulationResult& r) { return r.passed; }));
}

int CheckReport::failed() const { return static_cast<int>(results.size() + simulation.size()) - passed(); }

std::string SimulationExpectation::describe() const {
  const auto number = [](double v) {
    std::ostringstream o;
    o << v;
    return o.str();
  };
  std::string out = metric;
  if (!node.empty()) out += " on " + node;
  if (!flow.empty()) out += " for flow \"" + flow + "\"";
  if (from_s > 0 || until_s) {
    out += " from " + engine::format_duration(engine::seconds(from_s));
    if (until_s) out += " to " + engine::format_duration(engine::seconds(*until_s));
  }
  if (min && max)
    out += " in [" + number(*min) + ", " + number(*max) + "]";
  else if (min)
    out += " >= " + number(*min);
  else if (max)
    out += " <= " + number(*max);
  return out;
}

// Objects: every expected key must be present and match. Arrays: same length, element by element
// (a length difference is reported once, as "<path>.length"). Scalars: equal; numbers compare by
// value (401 matches 401.0); null matches only null.
bool partial_match(const Value& expected, const Value& actual, const std::string& prefix,
                   std::vector<Mismatch>& mismatches) {
  const auto mismatch = [&](const std::string& path, std::string want, std::string got) {
    mismatches.push_back(Mismatch{path, std::move(want), std::move(got)});
    return false;
  };

  if (expected.is_object()) {
    if (!actual.is_object()) return mismatch(prefix, expected.dump(), actual.dump());
    bool ok = true;
    for (const auto& [key, want] : expected.as_object()) {
      const std::string path = join_key(prefix, key);
      const Value* got = actual.find(key);
      if (!got) {
        mismatch(path, want.dump(), "(absent)");
        ok = false;
      } else if (!partial_match(want, *got, path, mismatches)) {
        ok = false;
      }
    }
    return ok;
  }

  if (expected.is_array()) {
    if (!actual.is_array()) return mismatch(prefix, expected.dump(), actual.dump());
    const auto& want = expected.as_array();
    const auto& got = actual.as_array();
    if (want.size() != got.size())
      return mismatch(join_key(prefix, "length"), std::to_string(want.size()), std::to_string(got.size()));
    bool ok = true;
    for (std::size_t i = 0; i < want.size(); ++i) {
      const std::string path = prefix + "[" + std::to_string(i) + "]";
      if (!partial_match(want[i], got[i], path, mismatches)) ok = false;
    }
    return ok;
  }

  if (!scalars_equal(expected, actual)) return mismatch(prefix, expected.dump(), actual.dump());
  return true;
}

CheckReport check_expectations(const TraceReport& trace, const std::vector<Expectation>& expectations) {
  CheckReport report;
  report.scenario = trace.scenario;
  for (const auto& expectation : expectations) report.results.push_back(check_one(trace, expectation));
  return report;
}

}  // namespace kerbsim
