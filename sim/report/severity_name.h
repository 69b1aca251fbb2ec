// The printed name of a lint severity, shared by the text and JSON printers. (include/kerbsim/lint.h
// declares to_string(Severity) for the linter's own use; the printers do not depend on the linter.)
#pragma once

#include <string>

#include "kerbsim/lint.h"

namespace kerbsim::report {

inline std::string severity_name(Severity s) {
  switch (s) {
    case Severity::Error: return "error";
    case Severity::Warning: return "warning";
    case Severity::Info: return "info";
  }
  return "info";
}

}  // namespace kerbsim::report
