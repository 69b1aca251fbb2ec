#include <boost/program_options.hpp>
#include <iostream>

#include "command.h"

namespace kerbsim::cli {

namespace po = boost::program_options;

int explain_command(const Args& args) {
  return run_guarded("explain", [&] {
    std::string scenario;
    po::options_description visible(
        "Usage: kerbsim explain SCENARIO\n\n"
        "Prints what the scenario teaches, then its trace with every step's details.\n\nOptions");
    visible.add_options()("help,h", "show this help");
    if (!parse_options(args, visible, po::value(&scenario), 1)) return kExitOk;
    if (scenario.empty()) throw po::error("a SCENARIO is required");
    const auto loaded = load_or_report(scenario);
    if (!loaded) return kExitUsage;
    std::cout << "# " << (loaded->title().empty() ? loaded->name() : loaded->title()) << "\n\n";
    if (!loaded->description().empty()) std::cout << loaded->description() << "\n\n";
    print_trace_text(loaded->trace(), {use_color(), true}, std::cout);
    return kExitOk;
  });
}

}  // namespace kerbsim::cli
