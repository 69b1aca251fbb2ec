// Timeline changes as the simulation applies them: a directory change is written on one DC of the
// account's domain and reaches the others after replication; a farm event (restart, node or DC down,
// clock step) changes the running parties at once; every one is listed in the report.
#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "directory/names.h"
#include "farm/change.h"
#include "workload/simulator_run.h"

namespace kerbsim::workload {

using engine::SimTime;

namespace {

// The DC a directory change reaches, as a writer: its own version decides the write-time rules of
// an originating write; a replicated write is never refused (kerberos-rules R1.7).
farm::Writer writer_at(const farm::Environment& env, const Change& c, const std::string& dc, bool replicated) {
  farm::Writer w = farm::writing_dc(env, c);
  if (!dc.empty()) w.dc = dc;
  if (const auto* h = env.host(w.dc)) w.os = h->os;
  w.replicated = replicated;
  return w;
}

}  // namespace

void Simulator::on_change(engine::Simulation& sim, std::uint64_t change) { sim.context<Simulator>().change(change); }
void Simulator::on_replicated(engine::Simulation& sim, std::uint64_t packed) {
  sim.context<Simulator>().reach_dc(packed >> 32, packed & 0xFFFFFFFFULL, true);
}

void Simulator::change(std::size_t i) {
  const Change& c = w_.changes[i];
  const SimTime t = now();
  const auto applied = [&](const std::string& where) {
    report_.changes.push_back({t, action_name(c.action), farm::describe(c), where});
  };
  if (c.in_directory()) {
    // Written on the first DC of the account's domain that answers; the others see it after
    // replication (kerberos-rules R8.4).
    const auto split = directory::split_account(c.account);
    const auto* dom = env_.directory.domain_by_netbios(split.domain);
    std::optional<std::size_t> writer;
    for (std::size_t d = 0; d < dcs_.size(); ++d)
      if (dom && directory::iequals(dcs_[d].domain, dom->dns) && dcs_[d].up && !writer) writer = d;
    if (!writer) writer = 0;
    // The keys that running services hold, before the change moves the kvno (kerberos-rules R2.7).
    if (c.action == Action::PasswordChange) {
      const auto& dir = dcs_[*writer].view.directory;
      if (const auto id = dir.find_account(c.account)) {
        const auto& acct = dir.account(*id);
        const int old = acct.kvno;
        for (std::size_t h = 0; h < nodes_.size(); ++h) {
          std::vector<int> held;
          if (acct.kind == directory::AccountKind::Computer) {
            if (!directory::iequals(env_.hosts[h].computer_account, c.account)) continue;
            held = {old + 1, old};  // the machine changed its own password and keeps the previous one
          } else if (acct.kind == directory::AccountKind::Gmsa) {
            held = {old + 1, old};  // gMSA hosts retrieve current and previous passwords
          } else {
            const auto it = nodes_[h].state.held_kvnos.find(c.account);
            held = it == nodes_[h].state.held_kvnos.end() ? std::vector<int>{old} : it->second;
          }
          nodes_[h].state.held_kvnos[c.account] = held;
          ++nodes_[h].key_version;
          ++keys_version_;
        }
      }
    }
    // The originating write, where the writing DC's rules may refuse it: then it never replicates.
    auto& dc = dcs_[*writer];
    const auto result = farm::apply_change(dc.view, c, writer_at(dc.view, c, dc.name, false));
    if (result.refused()) {
      report_.changes.push_back(
          {t, action_name(c.action), farm::describe(c),
           (dc.name.empty() ? std::string("the DC") : dc.name) + ": refused, " + to_string(result.refusal->reason)});
      return;
    }
    ++dc.version;
    report_.changes.push_back({t, action_name(c.action), farm::describe(c), dc.name});
    for (std::size_t d = 0; d < dcs_.size(); ++d)
      if (d != *writer && !dcs_[d].name.empty())
        sim_.schedule_at(t + w_.replication_delay, &Simulator::on_replicated, static_cast<std::uint64_t>(i) << 32 | d);
    return;
  }
  const int h = c.host.empty() ? -1 : index_of(env_, c.host);
  switch (c.action) {
    case Action::ChangeAppPoolIdentity:
    case Action::SetUseAppPoolCredentials:
    case Action::SetKernelMode:
    case Action::SetSsrsServiceAccount:
    case Action::SetSsrsAuthenticationTypes:
    case Action::SetSqlPort:
    case Action::AddKdsRootKey: {
      for (auto& dc : dcs_) {
        farm::apply_change(dc.view, c);
        ++dc.version;
      }
      if (h >= 0) {
        ++nodes_[static_cast<std::size_t>(h)].key_version;
        ++keys_version_;
        // A new identity starts a new worker process, which logs on with the current password.
        if (c.action == Action::ChangeAppPoolIdentity || c.action == Action::SetSsrsServiceAccount)
          nodes_[static_cast<std::size_t>(h)].state.held_kvnos.erase(c.identity.account);
      }
      applied(c.host.empty() ? c.domain : c.host);
      break;
    }
    case Action::AppPoolRestart: {
      if (h >= 0 && env_.hosts[static_cast<std::size_t>(h)].iis) {
        Node& n = nodes_[static_cast<std::size_t>(h)];
        const auto& host = dcs_.front().view.hosts[static_cast<std::size_t>(h)];
        if (const auto* pool = host.iis->pool(c.app_pool)) {
          const std::string account = pool->identity.key_account(host.computer_account);
          const auto it = n.state.held_kvnos.find(account);
          // Only a user account's service is stuck with its old key; gMSA hosts and computers
          // keep the current and previous keys across restarts (kerberos-rules R2.7).
          bool user_account = false;
          if (const auto id = dcs_.front().view.directory.find_account(account))
            user_account = dcs_.front().view.directory.account(*id).kind == directory::AccountKind::User;
          if (it != n.state.held_kvnos.end() && user_account) {
            int current = it->second.front();
            for (const auto& dc : dcs_)
              if (const auto id = dc.view.directory.find_account(account))
                current = std::max(current, dc.view.directory.account(*id).kvno);
            if (w_.restart_keeps_previous_key)
              it->second = {current, it->second.front()};
            else
              n.state.held_kvnos.erase(it);
          }
        }
        ++n.key_version;
        ++keys_version_;
      }
      applied(c.host);
      break;
    }
    case Action::PurgeTickets: {
      for (auto& user : users_) {
        const auto& client = env_.hosts[flows_[user.flow].client].name;
        const bool chosen = c.clients.empty() || std::any_of(c.clients.begin(), c.clients.end(), [&](const auto& x) {
                              return directory::iequals(x, client);
                            });
        if (!chosen) continue;
        user.tgt = 0;
        user.ticket = 0;
        user.negative_until = 0;
      }
      applied(c.clients.empty() ? "every client" : "the listed clients");
      break;
    }
    case Action::NodeDown:
    case Action::NodeUp:
      if (h >= 0) {
        Node& n = nodes_[static_cast<std::size_t>(h)];
        n.up = c.action == Action::NodeUp;
        if (!n.up) {
          ++n.epoch;
          n.open_connections = 0;
        }
      }
      applied(c.host);
      break;
    case Action::DcDown:
    case Action::DcUp:
      for (auto& dc : dcs_)
        if (directory::iequals(dc.name, c.dc)) dc.up = c.action == Action::DcUp;
      applied(c.dc);
      break;
    case Action::ClockStep:
    case Action::ClockDrift:
      if (h >= 0) {
        for (Clock* clock :
             {&nodes_[static_cast<std::size_t>(h)].clock, &client_clocks_[static_cast<std::size_t>(h)]}) {
          clock->base = clock->at(t) + (c.action == Action::ClockStep ? c.offset : 0);
          clock->since = t;
          if (c.action == Action::ClockDrift) clock->drift_per_hour = c.offset;
        }
      }
      applied(c.host);
      break;
    default:
      break;
  }
}

void Simulator::reach_dc(std::size_t change, std::size_t d, bool replicated) {
  const Change& c = w_.changes[change];
  farm::apply_change(dcs_[d].view, c, writer_at(dcs_[d].view, c, dcs_[d].name, replicated));
  ++dcs_[d].version;
  report_.changes.push_back(
      {now(), action_name(c.action), farm::describe(c), dcs_[d].name + (replicated ? " (replicated)" : "")});
}

}  // namespace kerbsim::workload
