// The fixed design behind Scenario::fix, in two parts a test can call on its own: the search that
// applies the verified fix of a failing path and traces again, and the writing of a list of changes
// into the scenario's spec, checked against the model the changes give.
#pragma once

#include <string>
#include <vector>

#include "farm/change.h"
#include "farm/environment.h"
#include "scenario/spec.h"

namespace kerbsim::api {

// The changes of the verified fixes, in the order applied, until no failing or degraded path has a fix
// (failing paths first); changes that find their setting already so are left out. any_to_fix: some
// path failed or was degraded at the start.
std::vector<farm::Change> fix_search(const farm::Environment& env, bool& any_to_fix);

struct FixedDesign {
  std::string text;                  // the scenario file; "" when the changes cannot be written
  std::vector<std::string> changes;  // what each change does, with those the file's builder derives
  std::string problem;               // why nothing was written
};

// The changes applied to the spec and written by the scenario writer, with expectations pinning the
// outcome of every path of the written design and a description listing the changes. Nothing is
// written unless the written file builds the environment the changes give on the model (what the
// builder derives aside: the KDS root key of a forest with a gMSA, SQL Server's own SPNs).
FixedDesign write_fixed_design(const spec::Scenario& original, const farm::Environment& env,
                               std::vector<farm::Change> changes);

}  // namespace kerbsim::api
