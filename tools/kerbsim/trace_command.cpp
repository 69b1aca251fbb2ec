#include <algorithm>
#include <boost/program_options.hpp>
#include <iostream>
#include <sstream>

#include "command.h"

namespace kerbsim::cli {

namespace po = boost::program_options;

int trace_command(const Args& args) {
  return run_guarded("trace", [&] {
    std::string scenario, flow, via, format = "text", output, write_fixed;
    bool explain = false;
    po::options_description visible(
        "Usage: kerbsim trace SCENARIO [options]\n\n"
        "Follows each flow of the scenario message by message: DNS, the SPN the client builds, the\n"
        "KDC exchanges, the AP-REQ at the node the balancer picked, NTLM fallback; every decision\n"
        "with its reason and rule. A request to a load balancer is traced once per member.\n\n"
        "SCENARIO is a file or the name of a bundled scenario (see 'kerbsim list').\n\n"
        "With --write-fixed FILE.json, also writes the scenario with the verified fix of each failing path\n"
        "applied, its expectations pinned to the fixed outcome; when no path can be fixed, no file is\n"
        "written and the exit code is 1.\n\nOptions");
    visible.add_options()("help,h", "show this help")("flow", po::value(&flow), "trace only the flow with this name")(
        "via", po::value(&via), "trace only the path through this load-balancer member")(
        "format", po::value(&format), "text (default), json or mermaid")(
        "explain", po::bool_switch(&explain), "also show each step's details: DC events, settings")(
        "write-fixed", po::value(&write_fixed), "write the fixed scenario to this file (replaced atomically)")(
        "output,o", po::value(&output),
        "write to this file, '-' for standard output; a regular file is replaced atomically");
    if (!parse_options(args, visible, po::value(&scenario), 1)) return kExitOk;
    if (scenario.empty()) throw po::error("a SCENARIO is required");
    if (format != "text" && format != "json" && format != "mermaid")
      throw po::error("--format must be text, json or mermaid, not '" + format + "'");

    const auto loaded = load_or_report(scenario);
    if (!loaded) return kExitUsage;
    if (!flow.empty()) {
      const auto names = loaded->flow_names();
      if (std::find(names.begin(), names.end(), flow) == names.end()) {
        std::cerr << "kerbsim trace: no flow named \"" << flow << "\" in " << scenario << "; flows:";
        for (const auto& n : names) std::cerr << "\n  " << n;
        std::cerr << "\n";
        return kExitUsage;
      }
    }
    const TraceReport report = loaded->trace({flow, via});
    if (!via.empty()) {
      bool any = false;
      for (const auto& f : report.flows) any |= !f.paths.empty();
      if (!any) {
        std::cerr << "kerbsim trace: no path goes through \"" << via << "\" (it is not a load-balancer member "
                  << "behind the traced flows)\n";
        return kExitUsage;
      }
    }
    std::ostringstream text;
    if (format == "json")
      print_trace_json(report, text);
    else if (format == "mermaid")
      print_trace_mermaid(report, text);
    else
      print_trace_text(report, {is_standard_output(output) && use_color(), explain}, text);
    if (!write_fixed.empty()) {
      const FixedScenario fixed = loaded->fix();
      if (fixed.text.empty()) {
        std::cerr << "kerbsim trace: no fixed scenario written: " << fixed.problem << "\n";
        const int printed = emit(output, text.str());
        return printed == kExitOk ? kExitFailed : printed;
      }
      if (!write_file_atomically(write_fixed, fixed.text)) return kExitUsage;
      std::cerr << "kerbsim trace: wrote " << write_fixed << ", the design with " << fixed.changes.size()
                << (fixed.changes.size() == 1 ? " change" : " changes") << " applied\n";
    }
    return emit(output, text.str());
  });
}

}  // namespace kerbsim::cli
