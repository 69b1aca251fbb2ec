// Each Change as the command an admin really types, on the machine where it runs, with the right it
// needs: setspn, the AD PowerShell module, appcmd, the report server's WMI provider, SQL Server's
// network configuration. A rollout also has steps that change nothing in the model but must happen
// for the change to work (a KDS root key, Install-ADServiceAccount on each node, klist purge); they
// are rendered here too, from the environment the fix starts from.
#pragma once

#include <vector>

#include "farm/change.h"
#include "farm/environment.h"
#include "kerbsim/outcome.h"

namespace kerbsim::analysis {

// The steps of an ordered list of changes, applied to env in that order: for each change its
// prerequisites first, then its own command. Every step has a host, the right it needs, a command
// with no placeholders, and (where the change can be queried) a guard and a check.
std::vector<FixStep> render_steps(const farm::Environment& env, const std::vector<farm::Change>& ordered);

}  // namespace kerbsim::analysis
