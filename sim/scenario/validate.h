// The checks a scenario must pass: how names, SPNs, URLs, addresses and durations are written
// (scenario/syntax.h), and the cross-references between parts of the file (accounts, hosts, pools, DNS,
// calls). Problems are collected by a Reporter that knows where every JSON path sits in the file.
#pragma once

#include "scenario/implied_defaults.h"
#include "scenario/reporter.h"
#include "scenario/spec.h"
#include "scenario/syntax.h"
#include "scenario/wording.h"

namespace kerbsim::scenario {

// Cross-references, duplicate names, canonical account names and the defaults that depend on other
// parts of the file. Runs on a fully read spec; every problem goes to the reporter.
void check_references(spec::Scenario& scenario, Reporter& reporter);

}  // namespace kerbsim::scenario
