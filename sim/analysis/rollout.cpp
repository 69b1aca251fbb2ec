#include "analysis/rollout.h"

#include <algorithm>

namespace kerbsim::analysis {

using farm::Action;

std::string phase_name(Phase p) {
  switch (p) {
    case Phase::Prerequisites:
      return "prerequisites";
    case Phase::Identity:
      return "identity";
    case Phase::Servers:
      return "servers";
    case Phase::Spn:
      return "spn";
    case Phase::Delegation:
      return "delegation";
    case Phase::Clients:
      return "clients";
  }
  return "";
}

Phase phase_of(const farm::Change& c) {
  switch (c.action) {
    case Action::AddKdsRootKey:  // kerberos-rules R7.1: no gMSA without it
      return Phase::Prerequisites;
    case Action::CreateAccount:
    case Action::PasswordChange:
      return Phase::Identity;
    case Action::ChangeAppPoolIdentity:
    case Action::SetUseAppPoolCredentials:
    case Action::SetKernelMode:
    case Action::SetSsrsServiceAccount:
    case Action::SetSsrsAuthenticationTypes:
    case Action::SetSqlPort:  // iis-rules 6.4: the port is static before an SPN or a delegation names it
    case Action::AppPoolRestart:
    case Action::NodeDown:
    case Action::NodeUp:
    case Action::DcDown:
    case Action::DcUp:
    case Action::ClockStep:
    case Action::ClockDrift:
      return Phase::Servers;
    case Action::AddSpn:
    case Action::RemoveSpn:
      return Phase::Spn;
    case Action::SetDelegation:
      return Phase::Delegation;
    case Action::PurgeTickets:  // kerberos-rules R2.7, R8.3: cached tickets outlive the change
      return Phase::Clients;
  }
  return Phase::Servers;
}

std::vector<farm::Change> in_rollout_order(std::vector<farm::Change> changes) {
  // kerberos-rules R1.7: an SPN comes off its old owner before it is written on the new one.
  const auto rank = [](const farm::Change& c) {
    return static_cast<int>(phase_of(c)) * 2 + (c.action == Action::AddSpn ? 1 : 0);
  };
  std::stable_sort(changes.begin(), changes.end(),
                   [&](const farm::Change& a, const farm::Change& b) { return rank(a) < rank(b); });
  return changes;
}

std::optional<RefusedChange> apply_in_order(farm::Environment& env, const std::vector<farm::Change>& ordered) {
  for (std::size_t i = 0; i < ordered.size(); ++i) {
    farm::ChangeResult result = farm::apply_change(env, ordered[i]);
    if (result.refused()) return RefusedChange{i, std::move(result)};
  }
  return std::nullopt;
}

}  // namespace kerbsim::analysis
