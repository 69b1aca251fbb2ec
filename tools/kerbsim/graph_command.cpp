#include <algorithm>
#include <boost/program_options.hpp>
#include <iostream>
#include <sstream>

#include "command.h"

namespace kerbsim::cli {

namespace po = boost::program_options;

int graph_command(const Args& args) {
  return run_guarded("graph", [&] {
    std::string scenario, from, to, user, as, format = "text", output;
    bool explain = false;
    po::options_description visible(
        "Usage: kerbsim graph SCENARIO [--from ACCOUNT | --to SPN|HOST | --user USER] [options]\n\n"
        "Who can impersonate whom: the chains of delegation the directory's settings allow (unconstrained,\n"
        "constrained with and without protocol transition, resource-based), hop by hop through every\n"
        "account that delegates onward, with the users each works for. Every chain is walked at the\n"
        "simulated KDCs for one user (--user or --as, or an ordinary user of the scenario), with the\n"
        "exchanges the tracer makes, and the answer is shown.\n\n"
        "Without a query: every chain. DOT and Mermaid draw the accounts, SPNs and services the chains\n"
        "run over.\n\nOptions");
    visible.add_options()("help,h", "show this help")("from", po::value(&from),
                                                      "whom this account can impersonate, to which services, and how")(
        "to", po::value(&to), "who can reach this SPN, account or host's services as a user")(
        "user", po::value(&user), "where this user's identity can travel, and where the KDC stops it")(
        "as", po::value(&as), "check the chains at the KDCs as this user (default: an ordinary user of the scenario)")(
        "format", po::value(&format),
        "text (default), json, dot, mermaid, or opengraph (a BloodHound OpenGraph payload for BloodHound CE)")(
        "explain", po::bool_switch(&explain), "also say how far a refused chain got")(
        "output,o", po::value(&output),
        "write to this file, '-' for standard output; a regular file is replaced atomically");
    if (!parse_options(args, visible, po::value(&scenario), 1)) return kExitOk;
    if (scenario.empty()) throw po::error("a SCENARIO is required");
    if (format != "text" && format != "json" && format != "dot" && format != "mermaid" && format != "opengraph")
      throw po::error("--format must be text, json, dot, mermaid or opengraph, not '" + format + "'");
    GraphRequest request;
    const auto given = [&](const char* option) { return std::find(args.begin(), args.end(), option) != args.end(); };
    if (given("--from") + given("--to") + given("--user") > 1) throw po::error("give one of --from, --to and --user");
    if ((given("--from") && from.empty()) || (given("--to") && to.empty()) || (given("--user") && user.empty()))
      throw po::error("--from, --to and --user take a name");
    if (given("--user") && given("--as"))
      throw po::error("--user checks the chains as that user; give --as without it");
    request.as = as;
    if (!from.empty()) request = {GraphQuery::From, from, as};
    if (!to.empty()) request = {GraphQuery::To, to, as};
    if (!user.empty()) request = {GraphQuery::User, user, ""};

    const auto loaded = load_or_report(scenario);
    if (!loaded) return kExitUsage;
    const GraphReport report = loaded->graph(request);
    if (!report.problem.empty()) {
      std::cerr << "kerbsim graph: " << report.problem << " in " << scenario << "\n";
      return kExitUsage;
    }
    std::ostringstream text;
    if (format == "json")
      print_graph_json(report, text);
    else if (format == "dot")
      print_graph_dot(report, text);
    else if (format == "mermaid")
      print_graph_mermaid(report, text);
    else if (format == "opengraph")
      print_graph_opengraph(report, text);
    else
      print_graph_text(report, {is_standard_output(output) && use_color(), explain}, text);
    return emit(output, text.str());
  });
}

}  // namespace kerbsim::cli
