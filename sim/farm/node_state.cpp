#include "farm/node_state.h"

namespace kerbsim::farm {

namespace {
const NodeState kAsConfigured{};
}

const NodeState& FarmState::of(const Environment& env, const Host& host) const {
  if (env.hosts.empty() || &host < env.hosts.data() || &host >= env.hosts.data() + env.hosts.size())
    return kAsConfigured;
  const auto i = static_cast<std::size_t>(&host - env.hosts.data());
  return i < hosts.size() ? hosts[i] : kAsConfigured;
}

engine::SimTime clock_offset(const Host& host, const NodeState& state) {
  return state.clock_offset.value_or(host.clock_offset);
}

kerberos::ServiceKey service_key(const Environment& env, const std::string& account, const NodeState& state) {
  kerberos::ServiceKey key{account, {}};
  if (const auto held = state.held_kvnos.find(account); held != state.held_kvnos.end())
    key.kvnos = held->second;
  else if (const auto id = env.directory.find_account(account))
    key.kvnos = {env.directory.account(*id).kvno};
  return key;
}

kerberos::ApReqResult accept_ap_req(const Environment& env, const kerberos::Ticket& ticket,
                                    const std::string& key_account, engine::SimTime client_offset, const Host& server,
                                    const NodeState& state) {
  return kerberos::accept_ap_req(ticket, service_key(env, key_account, state), 0, client_offset,
                                 clock_offset(server, state), env.kdc_policy.max_clock_skew);
}

}  // namespace kerbsim::farm
