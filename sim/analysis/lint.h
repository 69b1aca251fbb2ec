// Static findings about a modelled environment, without tracing any request end to end: duplicate
// SPNs, the SPN each flow's client will ask for and whether every node that can receive it holds
// the key, and settings that are risky in themselves.
#pragma once

#include "farm/environment.h"
#include "kerbsim/lint.h"

namespace kerbsim::analysis {

LintReport lint(const farm::Environment& env);

}  // namespace kerbsim::analysis
