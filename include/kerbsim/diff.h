// What `kerbsim diff A B` reports for a change review: what changed in the environment, as the changes
// that turn A into B; what changed in the traced outcome, per flow, path and hop; and, when both
// scenarios have a workload, their simulation metrics side by side. Whether anything got worse is
// decided here, once, for every printer and for the exit code.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "kerbsim/outcome.h"
#include "kerbsim/value.h"

namespace kerbsim {

// How something compares from A to B.
enum class Direction {
  Same,     // no difference
  Better,   // a better verdict, a lower failure fraction
  Worse,    // a worse verdict, a higher failure fraction
  Changed,  // different, neither better nor worse (another identity, more KDC requests, a flow added)
};
std::string to_string(Direction d);  // "same", "better", "worse", "changed"

// One change to the environment: its action as a scenario names it, what it does in words, and the
// keys it sets, named as a workload event names them ({"account": "CORP\\svc", "spn": "HTTP/x"}).
struct DesignChange {
  std::string action;  // "add_spn", "set_delegation", ...
  std::string change;  // "HTTP/reports.corp.contoso.com added to CORP\\svc-reports"
  Value keys = Value::object();
};

// A difference no change expresses (a host added, a DNS record, a balancer's members).
struct DesignDifference {
  std::string subject;  // "host", "site", "dns", "load_balancer", ...
  std::string object;   // "web1", "web1/Reports", "reports.corp.contoso.com"
  std::string field;    // the scenario key; "" when the object itself was added or removed
  std::string before;   // "" = absent
  std::string after;
};

// One compared value of a path: "verdict", "spn", "front.protocol", "front.identity", "front.error",
// "hops/0/identity" (the first hop; nested hops as "hops/0/hops/1/protocol"). A hop on one side only
// is "hops/1", its value the hop's "to".
struct FieldChange {
  std::string field;
  Value before;  // as the traced outcome's JSON has it; null for none or absent
  Value after;
};

struct PathDiff {
  std::optional<std::string> via;  // the load-balancer member, when there is one
  std::optional<Verdict> before;   // nullopt: the path exists only in B
  std::optional<Verdict> after;    // nullopt: the path exists only in A
  Direction direction = Direction::Same;
  std::vector<FieldChange> fields;  // only those that differ
};

// Flows are matched by name; paths by their member.
struct FlowDiff {
  std::string flow;
  bool in_before = true;                  // false: the flow is new in B
  bool in_after = true;                   // false: B no longer has it
  Direction direction = Direction::Same;  // the worst of its paths (worse over better over changed)
  std::vector<PathDiff> paths;
};

// One headline number of a simulation, in A and in B.
struct MetricDiff {
  std::string metric;  // "failed_fraction", "users_always_failing", "kdc_requests", "netlogon_calls", ...
  std::string node;    // "" = the whole farm; else a node or a DC
  double before = 0;
  double after = 0;
  Direction direction = Direction::Same;
};

struct DiffReport {
  std::string before;  // the scenarios' names, as their files give them
  std::string after;
  std::vector<DesignChange> changes;  // in canonical order (directory, then servers)
  std::vector<FixStep> steps;         // the changes as the commands an admin types, when they can be rendered
  std::vector<DesignDifference> other;
  std::vector<FlowDiff> flows;
  bool simulated = false;  // both had a workload, and both ran
  std::vector<MetricDiff> metrics;

  bool worse() const;            // a path or a metric got worse
  bool outcome_changed() const;  // any difference in a traced outcome or a metric
};

// The document of `kerbsim diff --format json`.
Value to_value(const DiffReport& report);

}  // namespace kerbsim
