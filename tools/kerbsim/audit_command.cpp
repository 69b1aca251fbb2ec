#include <boost/program_options.hpp>
#include <iostream>
#include <sstream>

#include "command.h"

namespace kerbsim::cli {

namespace po = boost::program_options;

namespace {

int audit(const std::string& name, const Args& args) {
  return run_guarded(name, [&] {
    std::string scenario, format = "text", output, fail_on = "high";
    po::options_description visible(
        "Usage: kerbsim " + name +
        " SCENARIO [options]\n\n"
        "What is wrong or dangerous in a design, worst first. Every path of the trace that fails or is\n"
        "degraded, named by the step where it went wrong and that step's rule; and the design's risks:\n"
        "delegation to a domain controller, unconstrained delegation, protocol transition, Kerberoastable\n"
        "accounts, RC4-only accounts, unprotected administrators, duplicate SPNs, stale delegation\n"
        "entries, LocalSystem pools, clock skew, calls \"as caller\" that run as the pool. Each finding has\n"
        "its rule, the path that makes it dangerous and a fix as commands, verified against the trace.\n\n"
        "Severity: critical (domain compromise), high (fails today, or any user's identity exposed),\n"
        "medium (degraded, or breaks under a coming change), low (hygiene), info (worth knowing).\n"
        "Exit code 1 when a finding is at or above --fail-on, 2 on a bad file." +
        (name == "lint" ? std::string("\n`kerbsim lint` is another name for `kerbsim audit`.") : std::string()) +
        "\n\nOptions");
    visible.add_options()("help,h", "show this help")("format", po::value(&format), "text (default) or json")(
        "fail-on", po::value(&fail_on),
        "high (default: critical and high fail), medium (medium and above), any (every finding but info)")(
        "output,o", po::value(&output),
        "write to this file, '-' for standard output; a regular file is replaced atomically");
    if (!parse_options(args, visible, po::value(&scenario), 1)) return kExitOk;
    if (scenario.empty()) throw po::error("a SCENARIO is required");
    if (format != "text" && format != "json") throw po::error("--format must be text or json, not '" + format + "'");
    const auto threshold = fail_on_by_name(fail_on);
    if (!threshold) throw po::error("--fail-on must be high, medium or any, not '" + fail_on + "'");
    const auto loaded = load_or_report(scenario);
    if (!loaded) return kExitUsage;
    const AuditReport report = loaded->audit();
    std::ostringstream text;
    if (format == "json")
      print_audit_json(report, text);
    else
      print_audit_text(report, {is_standard_output(output) && use_color(), false}, text);
    const int written = emit(output, text.str());
    if (written != kExitOk) return written;
    return fails(report, *threshold) ? kExitFailed : kExitOk;
  });
}

}  // namespace

int audit_command(const Args& args) { return audit("audit", args); }
int lint_command(const Args& args) { return audit("lint", args); }

}  // namespace kerbsim::cli
