// `kerbsim lint`: static findings about a scenario's design, before anything is traced: missing and
// duplicate SPNs, SPNs that a farm's nodes cannot all decrypt, risky delegation settings.
#pragma once

#include <string>
#include <vector>

namespace kerbsim {

enum class Severity { Error, Warning, Info };
std::string to_string(Severity s);  // "error", "warning", "info"

struct Finding {
  Severity severity = Severity::Warning;
  std::string code;     // stable identifier: "duplicate-spn", "missing-spn", ...
  std::string subject;  // what it is about: an SPN, an account, a site
  std::string message;  // one or two plain sentences
  std::string rule;     // "kerberos-rules R1.7"
  std::string command;  // a command that shows or fixes it, e.g. "setspn -X -F"; may be empty
};

struct LintReport {
  std::string scenario;
  std::vector<Finding> findings;
};

}  // namespace kerbsim
