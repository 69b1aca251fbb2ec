#include <algorithm>
#include <boost/program_options.hpp>
#include <iostream>
#include <sstream>

#include "command.h"
#include "engine/time.h"

namespace kerbsim::cli {

namespace po = boost::program_options;

int trace_command(const Args& args) {
  return run_guarded("trace", [&] {
    std::string scenario, flow, via, format = "text", output, order = "given", step_interval = "30m";
    bool explain = false, rehearse = false;
    std::uint64_t seed = 0;
    int users = 0;
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
        "rehearse", po::bool_switch(&rehearse),
        "roll out the first fix shown, one change per step, on the scenario's workload (or 200 users on its "
        "flows) and show each step's failure fraction and when failures stop; exit 2 when no traced path has a "
        "verified fix")("order", po::value(&order),
                        "with --rehearse: given (default), reverse, or spn-first (the SPN moved before any server "
                        "runs as its new owner)")("step-interval", po::value(&step_interval),
                                                  "with --rehearse: time between steps, e.g. 30m (default), 1h")(
        "users", po::value(&users), "with --rehearse: number of users (default: the workload's, or 200)")(
        "seed", po::value(&seed), "with --rehearse: random seed (default: the workload's)");
    if (!parse_options(args, visible, po::value(&scenario), 1)) return kExitOk;
    if (scenario.empty()) throw po::error("a SCENARIO is required");
    if (format != "text" && format != "json" && format != "mermaid")
      throw po::error("--format must be text, json or mermaid, not '" + format + "'");

    RehearseRequest rehearsal;
    if (rehearse) {
      if (format == "mermaid") throw po::error("--rehearse prints text or json, not mermaid");
      if (order == "given")
        rehearsal.order = RolloutOrder::Given;
      else if (order == "reverse")
        rehearsal.order = RolloutOrder::Reverse;
      else if (order == "spn-first")
        rehearsal.order = RolloutOrder::SpnFirst;
      else
        throw po::error("--order must be given, reverse or spn-first, not '" + order + "'");
      const engine::DurationParse parsed = engine::parse_duration(step_interval);
      if (!parsed.ok() || parsed.negative || parsed.value < engine::kMinute || parsed.value > engine::kDay)
        throw po::error("--step-interval must be a duration from 1m to 1d, such as 30m or 1h, not '" + step_interval +
                        "'");
      rehearsal.step_interval = parsed.value;
      for (const auto& a : args) {
        if (a == "--seed" || a.rfind("--seed=", 0) == 0) rehearsal.seed = seed;
        if (a == "--users" || a.rfind("--users=", 0) == 0) {
          if (users < 1) throw po::error("--users must be 1 or more");
          rehearsal.users = users;
        }
      }
    } else {
      for (const auto& a : args)
        for (const char* only : {"--order", "--step-interval", "--users", "--seed"})
          if (a == only || a.rfind(std::string(only) + "=", 0) == 0)
            throw po::error(std::string(only) + " goes with --rehearse");
    }

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
    if (rehearse) {
      RehearsalReport rehearsed;
      rehearsal.flow = flow;
      rehearsal.via = via;
      try {
        rehearsed = loaded->rehearse(rehearsal);
      } catch (const ScenarioError& e) {  // the rehearsal is over the budget
        print_diagnostics(e);
        return kExitUsage;
      }
      if (!rehearsed.rehearsed) {
        std::cerr << "kerbsim trace: --rehearse: nothing to rehearse in " << scenario << ": " << rehearsed.none << "\n";
        return kExitUsage;
      }
      std::ostringstream text;
      if (format == "json")
        print_rehearsal_json(rehearsed, text);
      else
        print_rehearsal_text(rehearsed, {is_standard_output(output) && use_color(), explain}, text);
      return emit(output, text.str());
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
    return emit(output, text.str());
  });
}

}  // namespace kerbsim::cli
