// A fix's changes as the commands an admin types: the renderer's walk over the ordered changes, and
// the dispatch of each change to the commands of its concept.
#include "analysis/commands.h"

#include "analysis/command_renderer.h"
#include "analysis/rollout.h"

namespace kerbsim::analysis {

std::string local_admin(const std::string& host) { return "local Administrators on " + host; }

CommandRenderer::CommandRenderer(const farm::Environment& env, const std::vector<farm::Change>& ordered)
    : start(env), ordered(ordered) {}

farm::Environment& CommandRenderer::changing() {
  if (!changed) changed = start.clone();
  return *changed;
}

void CommandRenderer::add(FixStep step, std::string guard, std::string check, std::string why) {
  step.guard = std::move(guard);
  step.check = std::move(check);
  step.why = std::move(why);
  // A session on another machine in between: the next appcmd on this one needs its alias again.
  if (!out.empty() && out.back().host != step.host) appcmd_ready.clear();
  out.push_back(std::move(step));
}

void CommandRenderer::render(const farm::Change& c) {
  switch (c.action) {
    case farm::Action::AddSpn:
      spn(c, true);
      break;
    case farm::Action::RemoveSpn:
      spn(c, false);
      break;
    case farm::Action::SetDelegation:
      delegation(c);
      break;
    case farm::Action::CreateAccount:
      create_account(c);
      break;
    case farm::Action::PasswordChange:
      password_change(c);
      break;
    case farm::Action::AddKdsRootKey:
      if (const auto* d = env().directory.domain_by_dns(c.domain); !d || !d->kds_root_key) kds_root_key(c.domain);
      break;
    case farm::Action::ChangeAppPoolIdentity:
      pool_identity(c);
      break;
    case farm::Action::SetUseAppPoolCredentials:
      windows_authentication(c, "useAppPoolCredentials",
                             "kernel-mode authentication on site " + c.site + " of " + c.host +
                                 " decrypts with the app pool identity's key (iis-rules 3.4)");
      break;
    case farm::Action::SetKernelMode:
      windows_authentication(c, "useKernelMode",
                             "kernel-mode authentication on site " + c.site + " of " + c.host +
                                 (c.value ? " on" : " off: the worker process decrypts (iis-rules 3.3)"));
      break;
    case farm::Action::AppPoolRestart:
      pool_recycle(c);
      break;
    case farm::Action::SetSsrsServiceAccount:
      ssrs_account(c);
      break;
    case farm::Action::SetSsrsAuthenticationTypes:
      ssrs_authentication(c);
      break;
    case farm::Action::SetSqlPort:
      sql_port(c);
      break;
    case farm::Action::PurgeTickets:
      purge(c);
      break;
    case farm::Action::NodeDown:
    case farm::Action::NodeUp:
    case farm::Action::DcDown:
    case farm::Action::DcUp:
    case farm::Action::ClockStep:
    case farm::Action::ClockDrift:
      break;  // events of a running farm, not something an admin types
  }
}

std::vector<FixStep> render_steps(const farm::Environment& env, const std::vector<farm::Change>& ordered) {
  CommandRenderer r(env, ordered);
  // A gMSA's KDS root key comes before every other step: it changes nothing users see, and its wait
  // (kerberos-rules R7.1) should not fall between two steps that must follow each other closely.
  r.phase = phase_name(Phase::Prerequisites);
  for (const auto& c : ordered) {
    if (c.action != farm::Action::CreateAccount || !c.new_account ||
        c.new_account->kind != directory::AccountKind::Gmsa)
      continue;
    const auto* d = r.env().directory.domain_by_dns(c.new_account->domain);
    if (!d || d->kds_root_key) continue;
    r.kds_root_key(d->dns);
    r.changing().directory.add_kds_root_key(std::string(d->forest));
  }
  for (std::size_t i = 0; i < ordered.size(); ++i) {
    const farm::Change& c = ordered[i];
    // The phase as the rollout order has it, from the environment the rollout starts from: a server
    // change on a node that decrypts today's tickets is a cut-over.
    r.phase = phase_name(rollout_phase(env, ordered, c));
    r.render(c);
    // The change is applied for the steps after it, and for a new gMSA's installs on its retrievers.
    const bool creates_gmsa =
        c.action == farm::Action::CreateAccount && c.new_account && c.new_account->kind == directory::AccountKind::Gmsa;
    if (i + 1 < ordered.size() || creates_gmsa) farm::apply_change(r.changing(), c);
    r.install_created(c);
  }
  return std::move(r.out);
}

}  // namespace kerbsim::analysis
