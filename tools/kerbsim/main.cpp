// kerbsim: simulate Kerberos, SPNs and delegation in Windows web farms. main() only dispatches.
#include <iostream>
#include <map>

#include "command.h"

namespace {

constexpr const char* kUsage =
    "Usage: kerbsim COMMAND [options]\n"
    "\n"
    "Simulates Kerberos, SPNs and delegation in Windows web farms: which SPN a browser asks for,\n"
    "which account's key encrypts the ticket, which node can decrypt it, and why.\n"
    "\n"
    "Commands:\n"
    "  trace SCENARIO     follow each request message by message, with the rule behind each decision\n"
    "  simulate SCENARIO  run a user population over simulated time: intermittent failures, load\n"
    "  check SCENARIO...  verify every expectation of the scenarios (exit 1 on a mismatch)\n"
    "  kdc SCENARIO KIND  ask the simulated KDC one question: as, tgs, s4u2self, s4u2proxy, forward-tgt\n"
    "  audit SCENARIO     what is wrong or dangerous, worst first, with verified fixes (lint: the same)\n"
    "  explain SCENARIO   the scenario's teaching text, then its trace with every detail\n"
    "  diff A B           what changed between two designs, and whether anything got worse (exit 1)\n"
    "  graph SCENARIO     who can impersonate whom: the chains of delegation, checked at the KDCs\n"
    "  list               the bundled scenarios\n"
    "\n"
    "Options: --help, --version. Every command has --help.\n"
    "Exit codes: 0 success, 1 a check or expectation failed, 2 bad usage or bad input.\n";

}  // namespace

int main(int argc, char** argv) {
  using namespace kerbsim::cli;
  const std::map<std::string, int (*)(const Args&)> commands = {
      {"trace", trace_command}, {"check", check_command}, {"simulate", simulate_command}, {"kdc", kdc_command},
      {"audit", audit_command}, {"lint", lint_command},   {"explain", explain_command},   {"list", list_command},
      {"diff", diff_command},   {"graph", graph_command}};
  if (argc < 2) {
    std::cerr << kUsage;
    return kExitUsage;
  }
  const std::string command = argv[1];
  if (command == "--help" || command == "-h" || command == "help") {
    std::cout << kUsage;
    return kExitOk;
  }
  if (command == "--version") {
    std::cout << "kerbsim " << kerbsim::version() << "\n";
    return kExitOk;
  }
  const auto it = commands.find(command);
  if (it == commands.end()) {
    std::cerr << "kerbsim: unknown command '" << command << "'\n\n" << kUsage;
    return kExitUsage;
  }
  return it->second(Args(argv + 2, argv + argc));
}
