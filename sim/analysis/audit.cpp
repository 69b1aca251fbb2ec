#include "analysis/audit.h"

#include <algorithm>
#include <map>
#include <set>
#include <tuple>

#include "analysis/delegation_graph.h"
#include "analysis/risks.h"
#include "analysis/rollout.h"
#include "directory/names.h"

namespace kerbsim {

std::string to_string(Severity s) {
  switch (s) {
    case Severity::Critical:
      return "critical";
    case Severity::High:
      return "high";
    case Severity::Medium:
      return "medium";
    case Severity::Low:
      return "low";
    case Severity::Info:
      return "info";
  }
  return "info";
}

std::optional<Severity> severity_by_name(const std::string& s) {
  for (const Severity v : {Severity::Critical, Severity::High, Severity::Medium, Severity::Low, Severity::Info})
    if (to_string(v) == s) return v;
  return std::nullopt;
}

std::optional<FailOn> fail_on_by_name(const std::string& s) {
  if (s == "high") return FailOn::High;
  if (s == "medium") return FailOn::Medium;
  if (s == "any") return FailOn::Any;
  return std::nullopt;
}

bool fails(const AuditReport& report, FailOn threshold) {
  const Severity least = threshold == FailOn::High     ? Severity::High
                         : threshold == FailOn::Medium ? Severity::Medium
                                                       : Severity::Low;
  return std::any_of(report.findings.begin(), report.findings.end(),
                     [&](const Finding& f) { return f.severity <= least; });
}

}  // namespace kerbsim

namespace kerbsim::analysis {
namespace {

using directory::iequals;

// "KDC_ERR_BADOPTION" -> "kdc-err-badoption": a finding's code from the error that ended the path, or
// from the decision that degraded it.
std::string error_code(const std::optional<Error>& e, StepAction action) {
  if (action == StepAction::CredentialPrompt) return "credential-prompt";
  if (action == StepAction::KerberosNotTried) return "kerberos-not-tried";
  if (action == StepAction::WeakerScheme) return "weaker-scheme";
  if (!e) return "path-failed";
  std::string code = directory::to_lower(to_string(*e));
  std::replace(code.begin(), code.end(), '_', '-');
  return code;
}

void add_unique(std::vector<std::string>& list, const std::optional<std::string>& name) {
  if (!name || name->empty()) return;
  if (std::none_of(list.begin(), list.end(), [&](const std::string& s) { return iequals(s, *name); }))
    list.push_back(*name);
}

// The step where the path went wrong, and the error it ended with. A path that failed behind a working
// front end went wrong in the hop (root_cause); its front end may have failed first and recovered
// (Kerberos, then NTLM), which is a cause of its own and comes first.
struct Cause {
  const Step* step = nullptr;
  std::optional<Error> error;
  const HopOutcome* hop = nullptr;  // when the cause is a call behind the front end
  Severity severity = Severity::High;
};

std::vector<Cause> causes(const FlowOutcome& flow, const PathOutcome& path) {
  const auto& steps = path.steps;
  std::size_t front_end = 0;  // one past the last step the client takes part in
  for (std::size_t i = 0; i < steps.size(); ++i)
    if (steps[i].from == flow.client || steps[i].to == flow.client) front_end = i + 1;
  const Step* first = nullptr;
  const Step* in_hop = nullptr;
  for (std::size_t i = 0; i < steps.size(); ++i) {
    if (!steps[i].failed) continue;
    if (!first) first = &steps[i];
    if (i >= front_end && !in_hop) in_hop = &steps[i];
  }
  const HopOutcome* hop = path.front.identity ? first_failed_hop(path.hops) : nullptr;
  const Severity severity = path.verdict == Verdict::Failed ? Severity::High : Severity::Medium;
  std::vector<Cause> out;
  if (hop && in_hop) {
    if (first != in_hop) out.push_back({first, path.front.error, nullptr, Severity::Medium});
    out.push_back({in_hop, hop->error, hop, Severity::High});
  } else if (first) {
    out.push_back({first, root_cause(path), nullptr, severity});
  } else {
    // Degraded with nothing failed: the decisions that left Kerberos or asked for a password.
    for (const auto& s : steps)
      if (s.action == StepAction::CredentialPrompt || s.action == StepAction::KerberosNotTried ||
          s.action == StepAction::WeakerScheme)
        out.push_back({&s, std::nullopt, nullptr, severity});
  }
  return out;
}

std::string path_line(const FlowOutcome& flow, const PathOutcome& path, const Step& step) {
  return "flow \"" + flow.flow + "\"" + (path.via ? " via " + *path.via : std::string()) + ": step " +
         std::to_string(step.seq) + " " + step.from + (step.to == step.from ? " decides " : " → " + step.to + " ") +
         step.message + (step.failed ? " ✘ " : " ← ") + step.result;
}

// A finding for each cause of each path that is not ok, paths with the same cause (code, rule and
// reason) gathered into one, in trace order.
std::vector<Finding> trace_findings(const TraceReport& traced) {
  std::vector<Finding> out;
  std::map<std::tuple<std::string, std::string, std::string>, std::size_t> seen;
  for (const auto& flow : traced.flows)
    for (const auto& path : flow.paths) {
      if (path.verdict == Verdict::Ok) continue;
      for (const auto& cause : causes(flow, path)) {
        const Step& step = *cause.step;
        const std::string code = error_code(cause.error, cause.step->action);
        const auto key = std::make_tuple(code, step.rule, step.why);
        if (const auto it = seen.find(key); it != seen.end()) {
          Finding& f = out[it->second];
          f.path.push_back(path_line(flow, path, step));
          if (path.via) add_unique(f.hosts, path.via);
          f.severity = std::min(f.severity, cause.severity);
          continue;
        }
        Finding f;
        f.severity = cause.severity;
        f.code = code;
        f.rule = step.rule;
        f.message = step.why + (path.summary.empty() ? "" : " — " + path.summary);
        f.path.push_back(path_line(flow, path, step));
        if (cause.hop) {
          f.subject = cause.hop->service.empty() ? cause.hop->to : cause.hop->service;
          add_unique(f.spns, cause.hop->service);
          add_unique(f.accounts, path.front.process_identity);
          add_unique(f.accounts, cause.hop->identity);
          add_unique(f.hosts, cause.hop->to);
        } else {
          f.subject = path.spn.value_or(flow.url);
          add_unique(f.spns, path.spn);
          add_unique(f.accounts, flow.user);
          if (path.front.ticket) add_unique(f.accounts, path.front.ticket->encrypted_for);
          add_unique(f.accounts, path.front.decrypted_with);
        }
        add_unique(f.hosts, path.via);
        for (const auto& fix : path.fixes) f.fixes.push_back(fix);
        seen.emplace(key, out.size());
        out.push_back(std::move(f));
      }
    }
  return out;
}

// Who and what the traced paths involve: a change to anything else cannot change a traced outcome.
struct Involved {
  std::set<std::string> accounts;  // lower case
  std::set<std::string> hosts;
  std::set<std::string> spns;  // spn keys

  void account(const std::optional<std::string>& a) {
    if (a && !a->empty()) accounts.insert(directory::to_lower(*a));
  }
  void host(const std::string& h) {
    if (!h.empty()) hosts.insert(directory::to_lower(h));
  }
  void spn(const farm::Environment& env, const std::string& text) {
    const auto s = directory::Spn::parse(text);
    if (!s) return;
    spns.insert(s->key());
    for (const auto& d : env.directory.domains()) {  // every holder, in every forest, the HOST alias too
      if (d.dns != d.forest) continue;
      for (const auto id : env.directory.lookup_spn(*s, d.forest).owners) account(env.directory.account(id).name);
    }
  }
  void hops(const farm::Environment& env, const std::vector<HopOutcome>& list) {
    for (const auto& h : list) {
      account(h.identity);
      host(h.to);
      spn(env, h.service);
      hops(env, h.hops);
    }
  }

  Involved(const farm::Environment& env, const TraceReport& traced) {
    for (const auto& f : traced.flows) {
      account(f.user);
      host(f.client);
      for (const auto& p : f.paths) {
        if (p.via) host(*p.via);
        account(p.front.identity);
        account(p.front.process_identity);
        account(p.front.decrypted_with);
        if (p.front.ticket) account(p.front.ticket->encrypted_for);
        if (p.spn) spn(env, *p.spn);
        hops(env, p.hops);
        for (const auto& s : p.steps) {
          host(s.from);
          host(s.to);
        }
      }
    }
    // A host's computer account is involved with the host.
    for (const auto& h : env.hosts)
      if (hosts.count(directory::to_lower(h.name))) account(h.computer_account);
  }

  bool touches(const farm::Change& c) const {
    if (!c.account.empty() && accounts.count(directory::to_lower(c.account))) return true;
    if (!c.host.empty() && hosts.count(directory::to_lower(c.host))) return true;
    return (c.action == farm::Action::RemoveSpn || c.action == farm::Action::AddSpn) && spns.count(c.spn.key());
  }
};

// Verifies a risk's candidates against the trace and keeps the first that no traced path is worse for.
class RiskFixer {
 public:
  RiskFixer(const farm::Environment& env, const TraceReport& traced, const Retrace& retrace)
      : env_(env), traced_(traced), retrace_(retrace), involved_(env, traced) {}

  std::vector<Fix> fixes(const Risk& risk) {
    std::string rejected;  // the first candidate that makes a traced path worse, and how
    for (const auto& c : risk.candidates) {
      const std::vector<farm::Change> ordered = in_rollout_order(env_, c.changes);
      const bool touches =
          std::any_of(ordered.begin(), ordered.end(), [&](const farm::Change& x) { return involved_.touches(x); });
      if (!touches) return {render_fix(env_, c.change, ordered)};
      if (--budget_ < 0)
        return {Fix{"",
                    "",
                    {},
                    "not verified: the audit verifies at most " + std::to_string(kFixBudget) +
                        " fixes that touch a traced path"}};
      farm::Environment changed = env_.clone();
      if (apply_in_order(changed, ordered)) continue;  // a refused command: not a fix as printed
      const std::string worse = first_worse(changed);
      if (worse.empty()) return {render_fix(env_, c.change, ordered)};
      if (rejected.empty()) rejected = "\"" + c.change + "\" would make " + worse;
    }
    if (!rejected.empty())
      return {
          Fix{"", "", {}, rejected + "; " + (risk.no_fix.empty() ? "change that flow's design first" : risk.no_fix)}};
    if (!risk.no_fix.empty()) return {Fix{"", "", {}, risk.no_fix}};
    return {};
  }

 private:
  // The first traced path the changed environment makes worse, in words; "" when none is.
  std::string first_worse(const farm::Environment& changed) const {
    for (const auto& before : traced_.flows) {
      const FlowOutcome after = retrace_(changed, before.flow);
      for (const auto& p2 : after.paths)
        for (const auto& p1 : before.paths)
          if (p1.via == p2.via && verdict_rank(p2.verdict) < verdict_rank(p1.verdict))
            return "flow \"" + before.flow + "\"" + (p2.via ? " via " + *p2.via : std::string()) + " " +
                   to_string(p2.verdict) + " (" + p2.summary + ")";
    }
    return "";
  }

  const farm::Environment& env_;
  const TraceReport& traced_;
  const Retrace& retrace_;
  Involved involved_;
  int budget_ = kFixBudget;
};

}  // namespace

AuditReport audit(const farm::Environment& env, const TraceReport& traced, const Retrace& retrace) {
  AuditReport report;
  report.scenario = env.name;
  report.findings = trace_findings(traced);
  const DelegationGraph graph(env);
  RiskFixer fixer(env, traced, retrace);
  for (auto& risk : design_risks(env, graph, traced)) {
    risk.finding.fixes = fixer.fixes(risk);
    report.findings.push_back(std::move(risk.finding));
  }
  std::stable_sort(report.findings.begin(), report.findings.end(), [](const Finding& a, const Finding& b) {
    return std::tie(a.severity, a.code, a.subject) < std::tie(b.severity, b.code, b.subject);
  });
  return report;
}

}  // namespace kerbsim::analysis
