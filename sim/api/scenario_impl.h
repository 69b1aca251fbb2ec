// What a loaded Scenario holds: the spec read from its file and the environment built from it.
#pragma once

#include "farm/environment.h"
#include "kerbsim/kerbsim.h"
#include "scenario/spec.h"

namespace kerbsim {

struct Scenario::Impl {
  spec::Scenario spec;
  farm::Environment env;
};

}  // namespace kerbsim
