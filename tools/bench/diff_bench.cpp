// `kerbsim diff` of two large designs against loading and tracing both, through the library as the
// command line does it: two scenarios of 10,000 accounts each (no workload), written by the benchmark
// to a temporary folder, that differ in a few SPNs and delegation settings. One round of `diff` is
// Scenario::load of both and kerbsim::diff (the design diff, both traced, the outcomes compared); one
// round of the baseline is Scenario::load of both and Scenario::trace of both. Warm-up, then rounds
// alternating the two; the best round of each and their ratio (target: diff at most 2x the baseline).
// Usage: diff_bench [ROUNDS]
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "kerbsim/kerbsim.h"

namespace {

using Clock = std::chrono::steady_clock;

constexpr int kAccounts = 10000;

// A farm behind a balancer with one shared service account holding the SPN, so every path works and
// tracing does no fix search; then 10,000 users and service accounts, every tenth with two SPNs and
// every fiftieth with constrained delegation to the SQL Server. `changed` edits a few of them.
std::string scenario(const std::string& name, bool changed) {
  std::string s = "{\n  \"format\": \"kerbsim/1\",\n  \"name\": \"" + name + "\",\n";
  s += "  \"domains\": [ { \"dns\": \"corp.contoso.com\", \"netbios\": \"CORP\", \"dcs\": [\"dc1\"] } ],\n";
  s += "  \"accounts\": [\n";
  s += "    { \"name\": \"CORP\\\\alice\" },\n";
  s += "    { \"name\": \"CORP\\\\svc-web\", \"spns\": [\"HTTP/portal.corp.contoso.com\"] }";
  for (int i = 0; i < kAccounts - 2; ++i) {
    char sam[32];
    std::snprintf(sam, sizeof sam, "svc%05d", i);
    const std::string host = std::string("app") + (sam + 3) + ".corp.contoso.com";
    s += ",\n    { \"name\": \"CORP\\\\" + std::string(sam) + "\"";
    const bool edited = changed && (i == 10 || i == 500 || i == 4000);
    if (i % 10 == 0 && !edited) s += ", \"spns\": [\"HTTP/" + host + "\", \"HTTP/" + host + ":8080\"]";
    if (edited) s += ", \"spns\": [\"HTTP/" + host + "\", \"HTTP/" + host + ":8443\"]";
    const bool delegates = i % 50 == 0;
    if (delegates != (changed && (i == 100 || i == 150 || i == 7001)))
      s += ", \"allowed_to_delegate_to\": [\"MSSQLSvc/sql1.corp.contoso.com:1433\"]";
    s += " }";
  }
  s += "\n  ],\n  \"hosts\": [\n";
  s += "    { \"name\": \"dc1\", \"domain\": \"corp.contoso.com\", \"ip\": \"10.0.0.10\" },\n";
  for (const char* web : {"web1", "web2"})
    s += std::string("    { \"name\": \"") + web +
         "\", \"domain\": \"corp.contoso.com\", \"iis\": { \"app_pools\": [ { \"name\": \"Portal\", \"identity\": "
         "\"CORP\\\\svc-web\" } ], \"sites\": [ { \"name\": \"Portal\", \"app_pool\": \"Portal\", \"anonymous\": { "
         "\"enabled\": false }, \"windows\": { \"enabled\": true, \"use_app_pool_credentials\": true } } ] } },\n";
  s += "    { \"name\": \"ws1\", \"domain\": \"corp.contoso.com\", \"client\": { \"user\": \"CORP\\\\alice\", "
       "\"browser\": \"edge\", \"intranet_sites\": [\"*.corp.contoso.com\"] } }\n  ],\n";
  s += "  \"dns\": { \"portal.corp.contoso.com\": { \"a\": \"10.0.0.100\" } },\n";
  s += "  \"load_balancers\": [ { \"name\": \"lb1\", \"vip\": \"10.0.0.100\", \"members\": [\"web1\", \"web2\"] } ],\n";
  s += "  \"flows\": [ { \"name\": \"alice opens the portal\", \"client\": \"ws1\", \"url\": "
       "\"http://portal.corp.contoso.com/\" } ]\n}\n";
  return s;
}

double seconds_since(Clock::time_point start) { return std::chrono::duration<double>(Clock::now() - start).count(); }

}  // namespace

int main(int argc, char** argv) {
  const int rounds = argc > 1 ? std::max(1, std::atoi(argv[1])) : 5;
  namespace fs = std::filesystem;
  const fs::path dir = fs::temp_directory_path() / ("kerbsim-diff-bench-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  const std::string a_file = (dir / "a.json").string();
  const std::string b_file = (dir / "b.json").string();
  std::ofstream(a_file) << scenario("bench-a", false);
  std::ofstream(b_file) << scenario("bench-b", true);

  std::size_t changes = 0;
  const auto diff_round = [&] {
    const auto start = Clock::now();
    const auto a = kerbsim::Scenario::load(a_file);
    const auto b = kerbsim::Scenario::load(b_file);
    const kerbsim::DiffReport report = kerbsim::diff(*a, *b);
    changes = report.changes.size() + report.other.size();
    return seconds_since(start);
  };
  std::size_t paths = 0;
  const auto trace_round = [&] {
    const auto start = Clock::now();
    const auto a = kerbsim::Scenario::load(a_file);
    const auto b = kerbsim::Scenario::load(b_file);
    paths = a->trace().flows.front().paths.size() + b->trace().flows.front().paths.size();
    return seconds_since(start);
  };

  diff_round();
  trace_round();
  double best_diff = 1e9, best_trace = 1e9;
  for (int r = 0; r < rounds; ++r) {
    best_trace = std::min(best_trace, trace_round());
    best_diff = std::min(best_diff, diff_round());
  }
  fs::remove_all(dir);
  std::printf("two scenarios of %d accounts: %zu differences, %zu paths traced\n", kAccounts, changes, paths);
  std::printf("load + trace both: %.3f s (best of %d)\n", best_trace, rounds);
  std::printf("load + diff:       %.3f s (best of %d)\n", best_diff, rounds);
  std::printf("ratio diff / (load + trace): %.2fx (target <= 2x)\n", best_diff / best_trace);
  return 0;
}
