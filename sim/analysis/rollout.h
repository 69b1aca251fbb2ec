// The order a fix's changes are rolled out in, so that users keep working and every write is accepted:
// prerequisites (the KDS root key), the new identity created, the servers moved to it (pools, the
// report server, useAppPoolCredentials, a static SQL port) where they do not decrypt the SPN's tickets
// today, the SPN moved (taken off its old owner before it is written on the new one: a DC of 2012 R2 or
// later refuses a duplicate, kerberos-rules R1.7), delegation, then the cut-over of the servers that
// decrypt today's tickets, right before the clients (klist purge, or the wait for cached tickets).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "farm/change.h"
#include "farm/environment.h"

namespace kerbsim::analysis {

enum class Phase { Prerequisites, Identity, Servers, Spn, Delegation, CutOver, Clients };
std::string phase_name(Phase p);  // "prerequisites", "identity", ... (FixStep::phase)
Phase phase_of(const farm::Change& c);

// The changes in rollout order: by phase, an SPN's removals before its additions, otherwise as given.
// A server change on a host whose service decrypts with the key of an account the SPN is taken from
// (it serves the users today) is a cut-over: moving it earlier would fail every ticket clients hold
// for the old owner until they are purged (kerberos-rules R2.6, R2.7), so it comes last, just before
// the clients' purge.
std::vector<farm::Change> in_rollout_order(const farm::Environment& env, std::vector<farm::Change> changes);
// The phase a change of this list is rolled out in: phase_of, or CutOver for such a server change.
Phase rollout_phase(const farm::Environment& env, const std::vector<farm::Change>& changes, const farm::Change& c);

// A change the write-time rules refused, and where it stood in the order.
struct RefusedChange {
  std::size_t index = 0;
  farm::ChangeResult result;
};

// Applies the changes to env in the given order through the write-time rules, and stops at the first
// refusal (a rollout does not go on past a failed command).
std::optional<RefusedChange> apply_in_order(farm::Environment& env, const std::vector<farm::Change>& ordered);

}  // namespace kerbsim::analysis
