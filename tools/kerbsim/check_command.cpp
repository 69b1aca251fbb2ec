#include <boost/program_options.hpp>
#include <iostream>

#include "command.h"

namespace kerbsim::cli {

namespace po = boost::program_options;

int check_command(const Args& args) {
  return run_guarded("check", [&] {
    std::vector<std::string> scenarios;
    po::options_description visible(
        "Usage: kerbsim check SCENARIO...\n\n"
        "Traces every flow and compares the outcome with the scenario's \"expect\" blocks.\n"
        "Exit code 0 when every expectation holds, 1 when one does not, 2 on a bad file.\n\nOptions");
    visible.add_options()("help,h", "show this help");
    if (!parse_options(args, visible, po::value(&scenarios), -1)) return kExitOk;
    if (scenarios.empty()) throw po::error("at least one SCENARIO is required");

    int code = kExitOk;
    for (const auto& s : scenarios) {
      const auto loaded = load_or_report(s);
      if (!loaded) {
        code = kExitUsage;
        continue;
      }
      CheckReport report;
      try {
        report = loaded->check();
      } catch (const ScenarioError& e) {  // the simulation expectations need a workload over the budget
        print_diagnostics(e);
        code = kExitUsage;
        continue;
      }
      print_check_text(report, {use_color(), false}, std::cout);
      if (report.failed() > 0 && code == kExitOk) code = kExitFailed;
    }
    return code;
  });
}

}  // namespace kerbsim::cli
