// `kerbsim audit` (and its alias `kerbsim lint`): what is wrong or dangerous in a design. Two sources,
// one severity scale: the failing and degraded paths of the trace, each named by the step where it went
// wrong and that step's rule, and the design's risks in themselves (delegation to a domain controller,
// unconstrained delegation, Kerberoastable accounts, RC4-only accounts, unprotected administrators,
// duplicate SPNs, stale constrained-delegation entries, LocalSystem pools, clock skew, ...), each with
// the path that makes it dangerous and its fix as the commands an admin runs, verified against the trace.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "kerbsim/outcome.h"

namespace kerbsim {

// One scale for every finding, worst first. Critical: a path to domain compromise. High: authentication
// fails today, or any user's identity is exposed. Medium: works only degraded, or breaks under a change
// that is coming (RC4 disabled, a port that moves). Low: hygiene. Info: worth knowing, not a problem.
enum class Severity { Critical, High, Medium, Low, Info };
std::string to_string(Severity s);                               // "critical", "high", ...
std::optional<Severity> severity_by_name(const std::string& s);  // "high" -> High

// A finding: what is wrong (code and message), where (the accounts, SPNs and hosts it names), why it is
// dangerous (the traced path or the delegation chain), the rule, and the fix.
struct Finding {
  Severity severity = Severity::Medium;
  std::string code;                   // stable identifier: "kdc-err-badoption", "unconstrained-delegation", ...
  std::string subject;                // what it is about, first: an SPN, an account, a host/pool
  std::vector<std::string> accounts;  // every account it names, canonical ("CORP\\svc-web")
  std::vector<std::string> spns;      // every SPN it names
  std::vector<std::string> hosts;     // every host it names ("web1", "web1/Orders" for an app pool)
  std::string message;                // what is wrong, in plain sentences
  std::string rule;                   // "kerberos-rules R3.2.3"
  // What makes it dangerous, a line each: a traced path's failing step ("flow \"x\" via web1: step 12 …"),
  // or the chain of delegation a setting opens.
  std::vector<std::string> path;
  // The fixes, best first, each verified against the trace (no traced path gets worse), with its steps
  // in rollout order. A fix whose `none` is set says why kerbsim shows no change (and what to do instead).
  std::vector<Fix> fixes;
};

struct AuditReport {
  std::string scenario;
  std::vector<Finding> findings;  // worst first; then by code and subject
};

// `--fail-on`: the least severe finding that fails the audit. high (the default) fails on critical and
// high; medium on medium too; any on every finding but info.
enum class FailOn { High, Medium, Any };
std::optional<FailOn> fail_on_by_name(const std::string& s);  // "high", "medium", "any"
bool fails(const AuditReport& report, FailOn threshold);

}  // namespace kerbsim
