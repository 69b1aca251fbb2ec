// The rehearsal printers on a report written out here: a line per step with its nodes, commands whole on
// their own line, every other line within the page width, and the JSON keys of scenarios/README.md.
#include <catch2/catch.hpp>
#include <sstream>
#include <string>

#include "kerbsim/report.h"
#include "report/text_layout.h"

using namespace kerbsim;

namespace {

constexpr Microseconds kMinute = 60LL * 1000000;

Tally tally(std::uint64_t requests, std::uint64_t failed) { return {requests, requests - failed, 0, failed}; }

RehearsalStep step(int number, Microseconds at, const std::string& change, std::uint64_t web2_failed) {
  RehearsalStep s;
  s.number = number;
  s.at = at;
  s.end = at + 30 * kMinute;
  s.action = number ? "set_ssrs_service_account" : "";
  s.change = change;
  s.requests = tally(3000, web2_failed);
  for (const char* node : {"web1", "web2", "web3", "web4", "web5", "web6"})
    s.nodes.push_back({node, node == std::string("web2") ? tally(1500, web2_failed) : tally(1500, 0)});
  return s;
}

RehearsalReport example() {
  RehearsalReport r;
  r.scenario = "ssrs-farm-networkservice";
  r.title = "SSRS scale-out behind a load balancer, each node running as NetworkService";
  r.rehearsed = true;
  r.flow = "alice opens the sales report";
  r.via = "web2";
  r.fix =
      "run every node behind the name as one service account, CORP\\svc-reports, holding "
      "HTTP/reports.corp.contoso.com";
  r.default_workload = true;
  r.users = 200;
  r.seed = 1;
  r.step_interval = 30 * kMinute;
  r.duration = 15 * 60 * kMinute;
  r.before = step(0, 60 * kMinute, "", 1500);
  r.steps.push_back(step(1, 90 * kMinute, "the report server on web2 runs as CORP\\svc-reports", 1500));
  r.steps.back().commands = {
      "(Get-CimInstance -Namespace root\\Microsoft\\SqlServer\\ReportServer\\RS_SSRS\\v15\\Admin -ClassName "
      "MSReportServer_ConfigurationSetting | Invoke-CimMethod -MethodName SetWindowsServiceIdentity)"};
  r.steps.push_back(step(2, 120 * kMinute, "klist purge on every client", 0));
  r.after = tally(60000, 0);
  r.last_failure = 121 * kMinute;
  r.failures_stopped = true;
  r.quiet = 30 * kMinute;
  r.errors = {{"KRB_AP_ERR_MODIFIED", 4500}};
  r.notes = {"one change per step"};
  return r;
}

std::string text(const RehearsalReport& r) {
  std::ostringstream out;
  print_rehearsal_text(r, {}, out);
  return out.str();
}

}  // namespace

TEST_CASE("the rehearsal text has a line per step, its nodes, and its commands whole", "[rehearsal][report]") {
  const std::string t = text(example());
  CHECK(t.find("     -  01:00      3,000    50.0%      0.0%  (before the first step)\n") != std::string::npos);
  CHECK(t.find("     1  01:30      3,000    50.0%      0.0%  the report server on web2 runs as CORP\\svc-reports\n") !=
        std::string::npos);
  CHECK(t.find("web1 0.0% of 1,500 · web2 100.0% of 1,500 ·") != std::string::npos);
  CHECK(t.find("$ (Get-CimInstance -Namespace root\\Microsoft\\SqlServer\\ReportServer\\RS_SSRS\\v15\\Admin "
               "-ClassName MSReportServer_ConfigurationSetting | Invoke-CimMethod -MethodName "
               "SetWindowsServiceIdentity)\n") != std::string::npos);
  CHECK(t.find("Failures stopped by 02:02, 2m after the last step (the last failing minute began at 02:01)") !=
        std::string::npos);
  CHECK(t.find("Errors  KRB_AP_ERR_MODIFIED 4,500") != std::string::npos);
  std::istringstream lines(t);
  for (std::string line; std::getline(lines, line);) {
    if (line.find("$ ") != std::string::npos) continue;
    INFO(line);
    CHECK(layout::display_width(line) <= layout::kWidth);
  }
}

TEST_CASE(
    "the rehearsal text says at which step failures stopped, when they never did, and why nothing was "
    "rehearsed",
    "[rehearsal][report]") {
  RehearsalReport r = example();
  r.last_failure = 119 * kMinute;
  CHECK(text(r).find("Failures stopped by 02:00, as step 2 ran.\n") != std::string::npos);
  r.last_failure = 100 * kMinute;
  CHECK(text(r).find("Failures stopped by 01:41, in the window of step 1.\n") != std::string::npos);
  r.failures_stopped = false;
  CHECK(text(r).find("Failures had not stopped by the end of the rehearsal (15:00)") != std::string::npos);
  RehearsalReport none;
  none.scenario = "ssrs-farm-double-hop";
  none.none = "every traced path works: there is no fix to rehearse";
  CHECK(text(none) ==
        "ssrs-farm-double-hop\nnothing to rehearse: every traced path works: there is no fix to rehearse\n");
}

TEST_CASE("the rehearsal JSON has the keys of its contract", "[rehearsal][report]") {
  std::ostringstream out;
  print_rehearsal_json(example(), out);
  const std::string j = out.str();
  for (const char* key :
       {"\"rehearsed\": true", "\"via\": \"web2\"", "\"order\": \"given\"", "\"step_interval_s\": 1800",
        "\"last_failure_s\": 7260", "\"failures_stopped\": true", "\"failure_fraction\": 0.5", "\"commands\": [",
        "\"action\": null", "\"KRB_AP_ERR_MODIFIED\": 4500"}) {
    INFO(key);
    CHECK(j.find(key) != std::string::npos);
  }
}
