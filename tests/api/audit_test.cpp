// The audit over the whole bundled library, against the trace: every failing path has a high finding
// named by one of its failing steps and that step's rule, every degraded path a finding at medium or
// above, each naming the accounts or SPNs involved; no finding contradicts what the trace shows.
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>

#include "kerbsim/kerbsim.h"

using namespace kerbsim;

namespace {

std::vector<std::string> bundled() {
  std::vector<std::string> out;
  for (const auto& entry : std::filesystem::directory_iterator(std::string(KERBSIM_SOURCE_DIR) + "/scenarios"))
    if (entry.path().extension() == ".json") out.push_back(entry.path().string());
  std::sort(out.begin(), out.end());
  return out;
}

std::string bundled(const std::string& name) {
  return std::string(KERBSIM_SOURCE_DIR) + "/scenarios/" + name + ".json";
}

// The finding that names this path by one of its failing steps, with that step's rule.
const Finding* finding_for(const AuditReport& audit, const FlowOutcome& flow, const PathOutcome& path) {
  const std::string where = "flow \"" + flow.flow + "\"" + (path.via ? " via " + *path.via : std::string()) + ": ";
  for (const auto& f : audit.findings)
    for (const auto& line : f.path) {
      if (line.rfind(where, 0) != 0) continue;
      for (const auto& step : path.steps)
        if ((step.failed || step.action == StepAction::CredentialPrompt ||
             step.action == StepAction::KerberosNotTried || step.action == StepAction::WeakerScheme) &&
            line.rfind(where + "step " + std::to_string(step.seq) + " ", 0) == 0 && f.rule == step.rule)
          return &f;
    }
  return nullptr;
}

}  // namespace

TEST_CASE("every failing path of the bundled library has a high finding with its failing step's rule", "[api][audit]") {
  int failed = 0, degraded = 0;
  for (const auto& file : bundled()) {
    const auto scenario = Scenario::load(file);
    const TraceReport traced = scenario->trace();
    const AuditReport audit = scenario->audit();
    INFO(file);
    for (const auto& flow : traced.flows)
      for (const auto& path : flow.paths) {
        if (path.verdict == Verdict::Ok) continue;
        INFO(flow.flow << " via " << path.via.value_or("-") << ": " << path.summary);
        (path.verdict == Verdict::Failed ? failed : degraded)++;
        const Finding* f = finding_for(audit, flow, path);
        REQUIRE(f);
        CHECK(f->severity <= (path.verdict == Verdict::Failed ? Severity::High : Severity::Medium));
        CHECK((!f->accounts.empty() || !f->spns.empty()));
        CHECK(f->code != "path-failed");  // named by the error that ended it
      }
    if (std::any_of(traced.flows.begin(), traced.flows.end(), [](const FlowOutcome& f) {
          return std::any_of(f.paths.begin(), f.paths.end(),
                             [](const PathOutcome& p) { return p.verdict == Verdict::Failed; });
        }))
      CHECK(fails(audit, FailOn::High));
  }
  // The library has failing and degraded designs to check (44 failing paths when this was written).
  CHECK(failed >= 40);
  CHECK(degraded >= 10);
}

TEST_CASE("no finding contradicts the trace", "[api][audit]") {
  SECTION("a scenario whose paths all work has no high finding about authentication") {
    for (const auto& name : {"double-hop-rbcd", "double-hop-kcd-kerberos-only", "iis-farm-shared-account",
                             "ssrs-farm-double-hop", "double-hop-linked-server"}) {
      INFO(name);
      const AuditReport audit = Scenario::load(bundled(name))->audit();
      CHECK(!fails(audit, FailOn::High));
    }
  }
  SECTION("resource-based delegation that works behind an NTLM front end is not called impossible") {
    const AuditReport audit = Scenario::load(bundled("double-hop-ntlm-rbcd"))->audit();
    for (const auto& f : audit.findings) {
      INFO(f.code << ": " << f.message);
      CHECK(f.message.find("no delegation possible") == std::string::npos);
      CHECK(f.severity >= Severity::Medium);
    }
  }
  SECTION("an SPN the trace resolves across a forest trust is not reported missing") {
    const AuditReport audit = Scenario::load(bundled("double-hop-cross-forest-unconstrained"))->audit();
    for (const auto& f : audit.findings) {
      INFO(f.code << ": " << f.message);
      CHECK(f.code != "kdc-err-s-principal-unknown");
      for (const auto& fix : f.fixes) CHECK(fix.command.find("setspn -S HTTP/web1.fabrikam.com") == std::string::npos);
    }
  }
}

TEST_CASE("a risk's fix in a bundled design is verified: unconstrained delegation becomes constrained",
          "[api][audit]") {
  const AuditReport audit = Scenario::load(bundled("double-hop-unconstrained-edge"))->audit();
  const auto f = std::find_if(audit.findings.begin(), audit.findings.end(),
                              [](const Finding& x) { return x.code == "unconstrained-delegation"; });
  REQUIRE(f != audit.findings.end());
  REQUIRE(!f->fixes.empty());
  CHECK(f->fixes[0].change.rfind("replace unconstrained delegation on CORP\\svc-web by constrained delegation to "
                                 "MSSQLSvc/sql1.corp.contoso.com:1433",
                                 0) == 0);
  CHECK(f->fixes[0].command.find("msDS-AllowedToDelegateTo") != std::string::npos);
}
