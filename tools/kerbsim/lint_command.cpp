#include <boost/program_options.hpp>
#include <iostream>

#include "command.h"

namespace kerbsim::cli {

namespace po = boost::program_options;

int lint_command(const Args& args) {
  return run_guarded("lint", [&] {
    std::string scenario, format = "text";
    po::options_description visible(
        "Usage: kerbsim lint SCENARIO [options]\n\n"
        "Validates the scenario and lists static findings: duplicate SPNs, SPNs no account holds,\n"
        "SPNs some farm nodes cannot decrypt, risky delegation and identities.\n"
        "Exit code 1 when there is an error-level finding, 2 on a bad file.\n\nOptions");
    visible.add_options()("help,h", "show this help")("format", po::value(&format), "text (default) or json");
    if (!parse_options(args, visible, po::value(&scenario), 1)) return kExitOk;
    if (scenario.empty()) throw po::error("a SCENARIO is required");
    if (format != "text" && format != "json") throw po::error("--format must be text or json, not '" + format + "'");
    const auto loaded = load_or_report(scenario);
    if (!loaded) return kExitUsage;
    const LintReport report = loaded->lint();
    if (format == "json")
      print_lint_json(report, std::cout);
    else
      print_lint_text(report, {use_color(), false}, std::cout);
    for (const auto& f : report.findings)
      if (f.severity == Severity::Error) return kExitFailed;
    return kExitOk;
  });
}

}  // namespace kerbsim::cli
