// The fix script: sections per machine in rollout order, each step guarded, long cmdlets splatted,
// waits as a stop, the checks per machine; and which fixes a script runs.
#include <catch2/catch.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "kerbsim/kerbsim.h"
#include "kerbsim/report.h"

using namespace kerbsim;

namespace {

bool has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

// Where part first appears; npos fails every ordering check that uses it.
std::size_t at(const std::string& text, const std::string& part) { return text.find(part); }

std::size_t count(const std::string& text, const std::string& part) {
  std::size_t n = 0;
  for (auto i = text.find(part); i != std::string::npos; i = text.find(part, i + 1)) ++n;
  return n;
}

FixStep step(const std::string& host, const std::string& command, const std::string& guard = "",
             const std::string& check = "") {
  FixStep s;
  s.host = host;
  s.needs = host == "dc1" ? "Domain Admins" : "local Administrators on " + host;
  s.phase = "spn";
  s.command = command;
  s.guard = guard;
  s.check = check;
  s.why = "because of " + host;
  return s;
}

FixStep new_gmsa() {
  FixStep s = step("dc1",
                   "New-ADServiceAccount -Name 'gmsa-reports' -DNSHostName 'gmsa-reports.corp.contoso.com' "
                   "-PrincipalsAllowedToRetrieveManagedPassword @('WEB1$', 'WEB2$')",
                   "-not (Get-ADServiceAccount -Filter 'Name -eq \"gmsa-reports\"')");
  s.program = "New-ADServiceAccount";
  s.parameters = {{"Name", "'gmsa-reports'"},
                  {"DNSHostName", "'gmsa-reports.corp.contoso.com'"},
                  {"PrincipalsAllowedToRetrieveManagedPassword", "@('WEB1$', 'WEB2$')"}};
  return s;
}

FixStep kds_key() {
  FixStep s = step("dc1", "Add-KdsRootKey -EffectiveImmediately", "-not (Get-KdsRootKey)");
  s.program = "Add-KdsRootKey";
  s.parameters = {{"EffectiveImmediately", ""}};
  s.wait = "10h";
  s.ready = "Get-KdsRootKey | Where-Object { $_.EffectiveTime -le (Get-Date).AddHours(-10) }";
  return s;
}

// One flow through a balancer: web1's path failed and has two fixes (the first without steps),
// web2's path failed with the same fix, web3's path is ok with a fix that must not run.
TraceReport report(std::vector<FixStep> steps) {
  Fix none;
  none.change = "a fix without steps";
  Fix fix;
  fix.change = "move the SPN";
  fix.command = "setspn -D ...";
  fix.steps = std::move(steps);
  PathOutcome web1;
  web1.via = "web1";
  web1.verdict = Verdict::Failed;
  web1.fixes = {none, fix};
  PathOutcome web2 = web1;
  web2.via = "web2";
  web2.fixes = {fix};
  PathOutcome web3;
  web3.via = "web3";
  web3.verdict = Verdict::Ok;
  Fix other;
  other.change = "never run";
  other.steps = {step("web3", "klist purge")};
  web3.fixes = {other};
  FlowOutcome flow;
  flow.flow = "alice-reports";
  flow.paths = {web1, web2, web3};
  TraceReport r;
  r.scenario = "hand-built";
  r.title = "a farm";
  r.flows = {flow};
  return r;
}

std::string script(const TraceReport& r) {
  std::ostringstream out;
  print_fix_script(r, "fix.ps1", out);
  return out.str();
}

}  // namespace

TEST_CASE("a fix script runs, for each path that is not ok, its first fix with steps, and each fix once",
          "[powershell]") {
  const TraceReport r = report({step("dc1", "setspn -D HTTP/a 'CORP\\WEB1$'")});
  const auto fixes = fix_script_fixes(r);
  REQUIRE(fixes.size() == 1);
  CHECK(fixes[0]->change == "move the SPN");
  const std::string s = script(r);
  CHECK(has(s, "Fixes \"alice-reports\" via web1, \"alice-reports\" via web2: move the SPN"));
  CHECK(!has(s, "never run"));
  CHECK(!has(s, "klist purge"));
  CHECK(count(s, "setspn -D HTTP/a 'CORP\\WEB1$'") == 1);
}

TEST_CASE("text from the report cannot end the script's comment block", "[powershell]") {
  TraceReport r = report({step("dc1", "setspn -Q HTTP/a")});
  r.title = "a farm #> Remove-Item C:\\";
  const std::string s = script(r);
  CHECK(count(s, "#>") == 1);
}

TEST_CASE("a report whose paths have no fix with steps has no fix script", "[powershell]") {
  TraceReport r = report({});
  CHECK(fix_script_fixes(r).empty());
}

TEST_CASE("consecutive steps on one machine make a section; a machine comes back when the order requires",
          "[powershell]") {
  const std::string s =
      script(report({step("dc1", "setspn -D HTTP/a 'CORP\\WEB1$'"), step("dc1", "setspn -Q HTTP/a"),
                     step("web1", "appcmd set apppool Reports /processModel.identityType:SpecificUser"),
                     step("dc1", "setspn -S HTTP/a 'CORP\\gmsa-reports$'")}));
  CHECK(has(s, "[ValidateRange(1, 3)]"));
  CHECK(has(s, "# ---- section 1 of 3: on dc1\n    1 {\n        Assert-Machine 'dc1'\n"));
  CHECK(has(s, "# ---- section 2 of 3: on web1\n    2 {\n        Assert-Machine 'web1'\n"));
  CHECK(has(s, "# ---- section 3 of 3: on dc1\n    3 {\n        Assert-Machine 'dc1'\n"));
  CHECK(at(s, "setspn -D HTTP/a") < at(s, "section 2 of 3"));
  CHECK(at(s, "section 2 of 3") < at(s, "appcmd set apppool"));
  CHECK(at(s, "appcmd set apppool") < at(s, "section 3 of 3"));
  CHECK(at(s, "section 3 of 3") < at(s, "setspn -S HTTP/a"));
  CHECK(has(s, "Write-Host 'Section 1 done. Next: section 2 on web1.'"));
  CHECK(has(s, "Write-Host 'Section 3 done. Next: -Check on each machine.'"));
  // The usage names each section's machine; appcmd, not on the PATH, gets an alias where it is used.
  CHECK(has(s, ".\\fix.ps1 -Section 2   on web1"));
  CHECK(count(s, "Set-Alias -Name appcmd") == 1);
  CHECK(at(s, "Set-Alias -Name appcmd") > at(s, "Assert-Machine 'web1'"));
}

TEST_CASE("each step runs only while its guard says it is needed; a step without a guard runs as is", "[powershell]") {
  const std::string s = script(report({step("dc1", "setspn -D HTTP/a 'CORP\\WEB1$'",
                                            "(Get-ADComputer -Identity 'WEB1' -Properties servicePrincipalName)."
                                            "servicePrincipalName -contains 'HTTP/a'"),
                                       step("ws1", "klist purge")}));
  CHECK(has(s,
            "        if ((Get-ADComputer -Identity 'WEB1' -Properties servicePrincipalName).servicePrincipalName "
            "-contains 'HTTP/a') {\n            setspn -D HTTP/a 'CORP\\WEB1$'\n        }\n"));
  CHECK(has(s, "        #    needs local Administrators on ws1\n        klist purge\n"));
  // Directory sections load the AD module; the client's does not.
  CHECK(count(s, "Import-Module ActiveDirectory") == 1);
}

TEST_CASE("a native program's exit code is checked, since its failure would not stop the script", "[powershell]") {
  FixStep s = step("dc1", "setspn -S HTTP/a 'CORP\\svc'", "$true");
  s.program = "setspn";
  s.arguments = {"-S", "HTTP/a", "CORP\\svc"};
  CHECK(has(script(report({s})),
            "            setspn -S HTTP/a 'CORP\\svc'\n"
            "            if ($LASTEXITCODE -ne 0) { throw \"setspn failed (exit $LASTEXITCODE)\" }\n"));
}

TEST_CASE("a long cmdlet is splatted, a switch as $true; a short one stays on its line", "[powershell]") {
  const std::string s = script(report({kds_key(), new_gmsa()}));
  CHECK(has(s, "            Add-KdsRootKey -EffectiveImmediately\n"));
  CHECK(has(s,
            "            $params = @{\n"
            "                Name = 'gmsa-reports'\n"
            "                DNSHostName = 'gmsa-reports.corp.contoso.com'\n"
            "                PrincipalsAllowedToRetrieveManagedPassword = @('WEB1$', 'WEB2$')\n"
            "            }\n"
            "            New-ADServiceAccount @params\n"));
  CHECK(!has(s, "New-ADServiceAccount -Name"));
}

TEST_CASE("a wait stops the script until it is over, and says how long and what to run then", "[powershell]") {
  const std::string s = script(report({kds_key(), new_gmsa()}));
  const std::string stop =
      "        if (-not (Get-KdsRootKey | Where-Object { $_.EffectiveTime -le (Get-Date).AddHours(-10) })) {\n"
      "            Write-Warning 'Wait 10h (see step 1), then run section 1 again.'\n"
      "            return\n"
      "        }\n";
  CHECK(has(s, stop));
  CHECK(at(s, "Add-KdsRootKey -EffectiveImmediately") < at(s, stop));
  CHECK(at(s, stop) < at(s, "New-ADServiceAccount @params"));
}

TEST_CASE("a wait with nothing to query stops once", "[powershell]") {
  FixStep wait = step("ws1", "");
  wait.wait = "10h";
  const std::string s = script(report({step("dc1", "setspn -S HTTP/a 'CORP\\svc'"), wait}));
  CHECK(has(s, "        Write-Warning 'Wait 10h (see step 2), then run -Check on each machine.'\n        return\n"));
}

TEST_CASE("-Check runs the checks of the machine it runs on, each once", "[powershell]") {
  const std::string s = script(report({step("dc1", "setspn -D HTTP/a 'CORP\\WEB1$'", "", "setspn -Q HTTP/a"),
                                       step("web1", "Install-ADServiceAccount -Identity 'gmsa-reports'", "",
                                            "Test-ADServiceAccount -Identity 'gmsa-reports'"),
                                       step("dc1", "setspn -S HTTP/a 'CORP\\gmsa-reports$'", "", "setspn -Q HTTP/a")}));
  CHECK(has(s, "if ($Check) {\n    switch ($env:COMPUTERNAME) {\n        'dc1' {\n"));
  CHECK(count(s, "setspn -Q HTTP/a") == 1);
  CHECK(has(s, "        'web1' {\n            Test-ADServiceAccount -Identity 'gmsa-reports'\n        }\n"));
  CHECK(at(s, "if ($Check)") < at(s, "switch ($Section)"));
}

TEST_CASE("the fix script of a bundled farm: the gMSA on a DC, then each node installs it and runs as it",
          "[powershell][scenarios]") {
  const auto scenario = Scenario::load(std::string(KERBSIM_SOURCE_DIR) + "/scenarios/ssrs-farm-networkservice.json");
  const TraceReport r = scenario->trace();
  REQUIRE(!fix_script_fixes(r).empty());
  const std::string s = script(r);
  CHECK(has(s, "New-ADServiceAccount @params"));
  for (const auto* node : {"web1", "web2"}) {
    INFO(node);
    const std::size_t section = at(s, std::string("Assert-Machine '") + node + "'");
    REQUIRE(section != std::string::npos);
    CHECK(at(s, "New-ADServiceAccount @params") < section);
    CHECK(s.find("Install-ADServiceAccount -Identity 'gmsa-reports'", section) != std::string::npos);
    CHECK(s.find("SetWindowsServiceIdentity", section) != std::string::npos);
  }
  CHECK(has(s, "Test-ADServiceAccount -Identity 'gmsa-reports'"));
  CHECK(!has(s, "<pool>"));
}
