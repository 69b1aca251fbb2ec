#include <algorithm>
#include <boost/program_options.hpp>
#include <iostream>
#include <sstream>

#include "command.h"

namespace kerbsim::cli {

namespace po = boost::program_options;

int diff_command(const Args& args) {
  return run_guarded("diff", [&] {
    std::vector<std::string> scenarios;
    std::string format = "text", fail_on = "worse", output;
    bool fix = false, no_simulate = false;
    po::options_description visible(
        "Usage: kerbsim diff A B [options]\n"
        "       kerbsim diff A --fix [options]\n\n"
        "Compares two designs for a change review: first what changed in the environment, as the\n"
        "changes that turn A into B (accounts, SPNs, delegation, app pools, sites, SSRS, SQL Server,\n"
        "balancers, DNS, clients); then what changed in the traced outcome, per flow, path and hop\n"
        "(verdict, protocol, the identity the back end sees, error); then, when both have a workload,\n"
        "the simulation metrics side by side. With --fix, B is A with the fix kerbsim would apply\n"
        "(as 'kerbsim trace --write-fixed' writes it).\n\n"
        "A and B are files or names of bundled scenarios (see 'kerbsim list').\n\n"
        "Exit codes: 0 nothing got worse, 1 a path or a metric got worse (with --fail-on any: anything\n"
        "in the outcome changed), 2 bad usage or bad input.\n\nOptions");
    visible.add_options()("help,h", "show this help")(
        "fix", po::bool_switch(&fix), "compare A with A fixed, instead of with B")("format", po::value(&format),
                                                                                   "text (default) or json")(
        "fail-on", po::value(&fail_on), "worse (default): exit 1 when something got worse; any: when anything changed")(
        "no-simulate", po::bool_switch(&no_simulate), "do not run the workloads")(
        "output,o", po::value(&output),
        "write to this file, '-' for standard output; a regular file is replaced atomically");
    if (!parse_options(args, visible, po::value(&scenarios), -1)) return kExitOk;
    if (scenarios.size() != (fix ? 1u : 2u))
      throw po::error(fix ? "--fix takes one SCENARIO" : "two scenarios are required: A and B (or A --fix)");
    if (format != "text" && format != "json") throw po::error("--format must be text or json, not '" + format + "'");
    if (fail_on != "worse" && fail_on != "any")
      throw po::error("--fail-on must be worse or any, not '" + fail_on + "'");

    const auto a = load_or_report(scenarios[0]);
    if (!a) return kExitUsage;
    std::unique_ptr<Scenario> b;
    if (fix) {
      FixedScenario fixed = a->fix();
      if (!fixed.scenario) {
        std::cerr << "kerbsim diff: nothing to compare: " << fixed.problem << "\n";
        return kExitFailed;
      }
      b = std::move(fixed.scenario);
    } else {
      b = load_or_report(scenarios[1]);
      if (!b) return kExitUsage;
    }
    DiffReport report;
    try {
      report = diff(*a, *b, {!no_simulate});
    } catch (const ScenarioError& e) {
      print_diagnostics(e);
      return kExitUsage;
    }
    // Two designs of one farm share their flows; none in common means two different farms, whose
    // outcomes have nothing to compare.
    const bool shared = std::any_of(report.flows.begin(), report.flows.end(),
                                    [](const FlowDiff& f) { return f.in_before && f.in_after; });
    if (!fix && !report.flows.empty() && !shared) {
      std::cerr << "kerbsim diff: " << scenarios[0] << " and " << scenarios[1]
                << " have no flow in common (by name), so their outcomes cannot be compared; compare two "
                   "designs of the same farm\n";
      return kExitUsage;
    }
    std::ostringstream text;
    if (format == "json")
      print_diff_json(report, text);
    else
      print_diff_text(report, {is_standard_output(output) && use_color(), false}, text);
    const int written = emit(output, text.str());
    if (written != kExitOk) return written;
    const bool failed = fail_on == "any" ? report.outcome_changed() : report.worse();
    return failed ? kExitFailed : kExitOk;
  });
}

}  // namespace kerbsim::cli
