#include "analysis/rollout.h"

#include <algorithm>

#include "directory/names.h"

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
    case Phase::CutOver:
      return "cut-over";
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

namespace {

// Does a service on this host decrypt with the key of one of these accounts today: its computer
// account (kernel mode, a built-in identity), an app pool's identity, the report server's account?
bool decrypts_for(const farm::Host& host, const std::vector<std::string>& owners) {
  const auto owned = [&](const std::string& account) {
    return std::any_of(owners.begin(), owners.end(),
                       [&](const std::string& o) { return directory::iequals(o, account); });
  };
  if (owned(host.computer_account)) return true;
  if (host.iis)
    for (const auto& pool : host.iis->app_pools)
      if (owned(pool.identity.key_account(host.computer_account))) return true;
  return host.ssrs && owned(host.ssrs->service_account.key_account(host.computer_account));
}

}  // namespace

Phase rollout_phase(const farm::Environment& env, const std::vector<farm::Change>& changes, const farm::Change& c) {
  const Phase p = phase_of(c);
  if (p != Phase::Servers || c.host.empty()) return p;
  std::vector<std::string> old_owners;  // the accounts an SPN is taken from
  for (const auto& x : changes)
    if (x.action == Action::RemoveSpn) old_owners.push_back(x.account);
  const farm::Host* h = env.host(c.host);
  return h && decrypts_for(*h, old_owners) ? Phase::CutOver : p;
}

std::vector<farm::Change> in_rollout_order(const farm::Environment& env, std::vector<farm::Change> changes) {
  std::vector<int> ranks;
  ranks.reserve(changes.size());
  // kerberos-rules R1.7: an SPN comes off its old owner before it is written on the new one.
  for (const auto& c : changes)
    ranks.push_back(static_cast<int>(rollout_phase(env, changes, c)) * 2 + (c.action == Action::AddSpn ? 1 : 0));
  std::vector<std::size_t> order(changes.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return ranks[a] < ranks[b]; });
  std::vector<farm::Change> out;
  out.reserve(changes.size());
  for (const auto i : order) out.push_back(std::move(changes[i]));
  return out;
}

std::optional<RefusedChange> apply_in_order(farm::Environment& env, const std::vector<farm::Change>& ordered) {
  for (std::size_t i = 0; i < ordered.size(); ++i) {
    farm::ChangeResult result = farm::apply_change(env, ordered[i]);
    if (result.refused()) return RefusedChange{i, std::move(result)};
  }
  return std::nullopt;
}

}  // namespace kerbsim::analysis
