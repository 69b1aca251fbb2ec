// Writes spec structs back as a `kerbsim/1` scenario file, in the style of the bundled scenarios: keys
// in the order of scenario-format.md, two-space indentation, short objects and arrays on one line, and a
// key left out when the loader would give it the same value. The one writer behind every command that
// produces a scenario (a fixed design, an import, a generated farm).
#pragma once

#include <string>

#include "scenario/spec.h"

namespace kerbsim::scenario {

// The scenario as JSON text, ending with a newline. Loading the text gives back the same spec (file
// positions aside), and writing that spec again gives the same text. Deterministic: the text depends
// only on the spec.
std::string write_scenario(const spec::Scenario& scenario);

}  // namespace kerbsim::scenario
