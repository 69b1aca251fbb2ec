#include <algorithm>
#include <boost/program_options.hpp>
#include <filesystem>
#include <iostream>
#include <sstream>

#include "command.h"
#include "engine/time.h"

namespace kerbsim::cli {

namespace po = boost::program_options;

namespace {

// The options of --rehearse, as given on the command line.
struct RehearseOptions {
  std::string order = "given";
  std::string step_interval = "30m";
  std::uint64_t seed = 0;
  int users = 0;
  std::uint64_t max_requests = RehearseRequest{}.max_requests;
  std::uint64_t max_memory_mib = RehearseRequest{}.max_memory_bytes >> 20;
};

bool given(const Args& args, const std::string& option) {
  return std::any_of(args.begin(), args.end(),
                     [&](const std::string& a) { return a == option || a.rfind(option + "=", 0) == 0; });
}

RehearseRequest rehearse_request(const Args& args, const RehearseOptions& o) {
  RehearseRequest r;
  if (o.order == "given")
    r.order = RolloutOrder::Given;
  else if (o.order == "reverse")
    r.order = RolloutOrder::Reverse;
  else if (o.order == "spn-first")
    r.order = RolloutOrder::SpnFirst;
  else
    throw po::error("--order must be given, reverse or spn-first, not '" + o.order + "'");
  const engine::DurationParse parsed = engine::parse_duration(o.step_interval);
  if (!parsed.ok() || parsed.negative || parsed.value < engine::kMinute || parsed.value > engine::kDay)
    throw po::error("--step-interval must be a duration from 1m to 1d, such as 30m or 1h, not '" + o.step_interval +
                    "'");
  r.step_interval = parsed.value;
  if (given(args, "--seed")) r.seed = o.seed;
  if (given(args, "--users")) {
    if (o.users < 1) throw po::error("--users must be 1 or more");
    r.users = o.users;
  }
  r.max_requests = o.max_requests;
  r.max_memory_bytes = o.max_memory_mib << 20;
  return r;
}

std::string report_text(const TraceReport& report, const std::string& format, const std::string& output, bool explain) {
  std::ostringstream text;
  if (format == "json")
    print_trace_json(report, text);
  else if (format == "mermaid")
    print_trace_mermaid(report, text);
  else
    print_trace_text(report, {is_standard_output(output) && use_color(), explain}, text);
  return text.str();
}

}  // namespace

int trace_command(const Args& args) {
  return run_guarded("trace", [&] {
    std::string scenario, flow, via, format = "text", output, write_fixed, fix_script;
    bool explain = false, rehearse = false;
    RehearseOptions ro;
    po::options_description visible(
        "Usage: kerbsim trace SCENARIO [options]\n\n"
        "Follows each flow of the scenario message by message: DNS, the SPN the client builds, the\n"
        "KDC exchanges, the AP-REQ at the node the balancer picked, NTLM fallback; every decision\n"
        "with its reason and rule. A request to a load balancer is traced once per member.\n\n"
        "SCENARIO is a file or the name of a bundled scenario (see 'kerbsim list').\n\n"
        "With --write-fixed FILE.json, also writes the scenario with the verified fix of each failing or\n"
        "degraded path applied, its expectations pinned to the fixed outcome; when no path can be fixed, no\n"
        "file is written and the exit code is 1.\n\n"
        "With --rehearse, rolls out the first fix shown as timeline changes on the scenario's\n"
        "workload: exit 0 when it ran, 2 when no traced path has a verified fix to rehearse.\n\nOptions");
    visible.add_options()("help,h", "show this help")("flow", po::value(&flow), "trace only the flow with this name")(
        "via", po::value(&via), "trace only the path through this load-balancer member")(
        "format", po::value(&format), "text (default), json or mermaid")(
        "explain", po::bool_switch(&explain), "also show each step's details: DC events, settings")(
        "write-fixed", po::value(&write_fixed), "write the fixed scenario to this file (replaced atomically)")(
        "output,o", po::value(&output),
        "write to this file, '-' for standard output; a regular file is replaced atomically")(
        "rehearse", po::bool_switch(&rehearse),
        "roll out the first fix shown, one change per step, on the scenario's workload (or 200 users on its "
        "flows); show each step's failure fraction, overall and per node, and when failures stop")(
        "order", po::value(&ro.order),
        "with --rehearse: given (default), reverse, or spn-first (the SPN moved "
        "and clients purged before any server runs as its new owner)")(
        "step-interval", po::value(&ro.step_interval), "with --rehearse: time between steps, 1m to 1d (default 30m)")(
        "users", po::value(&ro.users), "with --rehearse: number of users (default: the workload's, or 200)")(
        "seed", po::value(&ro.seed), "with --rehearse: random seed (default: the workload's)")(
        "max-requests", po::value(&ro.max_requests), "with --rehearse: refuse a rehearsal expected to make more")(
        "max-memory", po::value(&ro.max_memory_mib), "with --rehearse: refuse a rehearsal expected to need more MiB")(
        "fix-script", po::value(&fix_script),
        "also write the verified fixes as a PowerShell script to this file (replaced atomically): one section "
        "per machine in rollout order, each step guarded, then the checks. When no traced path has a fix, no "
        "file is written and the exit code is 1");
    if (!parse_options(args, visible, po::value(&scenario), 1)) return kExitOk;
    if (scenario.empty()) throw po::error("a SCENARIO is required");
    if (format != "text" && format != "json" && format != "mermaid")
      throw po::error("--format must be text, json or mermaid, not '" + format + "'");

    check_distinct_outputs({{"--output", is_standard_output(output) ? "" : output},
                            {"--fix-script", fix_script},
                            {"--write-fixed", write_fixed}});
    RehearseRequest rehearsal;
    if (rehearse) {
      if (format == "mermaid") throw po::error("--rehearse prints text or json, not mermaid");
      if (!write_fixed.empty() || !fix_script.empty())
        throw po::error("--rehearse is a run of its own; give --write-fixed or --fix-script without it");
      rehearsal = rehearse_request(args, ro);
    } else {
      for (const char* only : {"--order", "--step-interval", "--users", "--seed", "--max-requests", "--max-memory"})
        if (given(args, only)) throw po::error(std::string(only) + " goes with --rehearse");
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
        std::cerr << "kerbsim trace: --rehearse: nothing to rehearse in " << scenario << ":\n  " << rehearsed.none
                  << "\n";
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
    // Every file is written, or none: the report, the fix script and the fixed scenario together.
    std::vector<Output> outputs;
    if (!fix_script.empty()) {
      if (fix_script_fixes(report).empty()) {
        std::cerr << "kerbsim trace: no traced path has a verified fix; " << fix_script << " not written\n";
        const int printed = emit(output, report_text(report, format, output, explain));
        return printed == kExitOk ? kExitFailed : printed;
      }
      std::ostringstream script;
      print_fix_script(report, std::filesystem::path(fix_script).filename().string(), script);
      outputs.push_back({fix_script, script.str()});
    }
    std::string wrote;
    if (!write_fixed.empty()) {
      const FixedScenario fixed = loaded->fix();
      if (fixed.text.empty()) {
        std::cerr << "kerbsim trace: no fixed scenario written: " << fixed.problem << "\n";
        const int printed = emit(output, report_text(report, format, output, explain));
        return printed == kExitOk ? kExitFailed : printed;
      }
      outputs.push_back({write_fixed, fixed.text});
      wrote = "kerbsim trace: wrote " + write_fixed + ", the design with " + std::to_string(fixed.changes.size()) +
              (fixed.changes.size() == 1 ? " change" : " changes") + " applied\n";
    }
    outputs.push_back({output, report_text(report, format, output, explain)});
    const int written = emit_all(outputs);
    if (written == kExitOk) std::cerr << wrote;
    return written;
  });
}

}  // namespace kerbsim::cli
