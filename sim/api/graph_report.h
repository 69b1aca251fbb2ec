// The graph report of an environment, for Scenario::graph and for the fuzz target, which has the
// environment without a Scenario.
#pragma once

#include <string>

#include "farm/environment.h"
#include "kerbsim/graph.h"

namespace kerbsim::api {

GraphReport graph_report(const farm::Environment& env, const std::string& scenario, const std::string& title,
                         const GraphRequest& request);

}  // namespace kerbsim::api
