#include <algorithm>
#include <boost/program_options.hpp>
#include <iostream>
#include <sstream>

#include "command.h"

namespace kerbsim::cli {

namespace po = boost::program_options;

namespace {

int print_report(const TraceReport& report, const std::string& format, const std::string& output, bool explain) {
  std::ostringstream text;
  if (format == "json")
    print_trace_json(report, text);
  else if (format == "mermaid")
    print_trace_mermaid(report, text);
  else
    print_trace_text(report, {is_standard_output(output) && use_color(), explain}, text);
  return emit(output, text.str());
}

}  // namespace

int trace_command(const Args& args) {
  return run_guarded("trace", [&] {
    std::string scenario, flow, via, format = "text", output, fix_script;
    bool explain = false;
    po::options_description visible(
        "Usage: kerbsim trace SCENARIO [options]\n\n"
        "Follows each flow of the scenario message by message: DNS, the SPN the client builds, the\n"
        "KDC exchanges, the AP-REQ at the node the balancer picked, NTLM fallback; every decision\n"
        "with its reason and rule. A request to a load balancer is traced once per member.\n\n"
        "SCENARIO is a file or the name of a bundled scenario (see 'kerbsim list').\n\nOptions");
    visible.add_options()("help,h", "show this help")("flow", po::value(&flow), "trace only the flow with this name")(
        "via", po::value(&via), "trace only the path through this load-balancer member")(
        "format", po::value(&format), "text (default), json or mermaid")(
        "explain", po::bool_switch(&explain), "also show each step's details: DC events, settings")(
        "output,o", po::value(&output),
        "write to this file, '-' for standard output; a regular file is replaced atomically")(
        "fix-script", po::value(&fix_script),
        "also write the verified fixes as a PowerShell script to this file (replaced atomically): one section "
        "per machine in rollout order, each step guarded, then the checks. When no traced path has a fix, no "
        "file is written and the exit code is 1");
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
    if (!fix_script.empty()) {
      if (fix_script_fixes(report).empty()) {
        std::cerr << "kerbsim trace: no traced path has a verified fix; " << fix_script << " not written\n";
        const int printed = print_report(report, format, output, explain);
        return printed == kExitOk ? kExitFailed : printed;
      }
      std::ostringstream script;
      print_fix_script(report, script);
      if (!write_file_atomically(fix_script, script.str())) return kExitUsage;
    }
    return print_report(report, format, output, explain);
  });
}

}  // namespace kerbsim::cli
