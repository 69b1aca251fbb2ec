// A farm::Change applied to a scenario's spec rather than to the model built from it, so that a fixed
// design can be written back by the one scenario writer (scenario/writer.h). Building the changed spec
// gives the environment that farm::apply_change gives on the built one.
#pragma once

#include "farm/change.h"
#include "scenario/spec.h"

namespace kerbsim::scenario {

enum class SpecEdit {
  Applied,
  Implied,      // nothing to write: the builder derives it (a KDS root key, from a gMSA in the forest)
  NotInFormat,  // the format has no key for it (an SPN the domain join registers, a computer's password)
  NoTarget,     // no account, host, pool, site or instance of that name
  NotADesign,   // an event of a running farm (a restart, an outage): it changes no design
};

// Applies the change to the spec; the spec is left as it was unless the answer is Applied.
SpecEdit apply_change(spec::Scenario& scenario, const farm::Change& change);

}  // namespace kerbsim::scenario
