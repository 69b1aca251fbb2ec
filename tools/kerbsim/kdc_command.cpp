#include <boost/program_options.hpp>
#include <iostream>
#include <sstream>

#include "command.h"

namespace kerbsim::cli {

namespace po = boost::program_options;

int kdc_command(const Args& args) {
  return run_guarded("kdc", [&] {
    std::vector<std::string> words;
    std::string format = "text", evidence = "s4u2self";
    bool not_forwardable = false, explain = false;
    po::options_description visible(
        "Usage: kerbsim kdc SCENARIO KIND ARG... [options]\n\n"
        "Asks the scenario's simulated KDC one question and shows the exchanges, each with its reason\n"
        "and rule. KIND and its arguments:\n"
        "  as USER                             a TGT (kinit)\n"
        "  tgs USER SPN                        a service ticket (kvno SPN)\n"
        "  s4u2self SERVICE USER               a ticket to SERVICE for USER (kvno -U USER)\n"
        "  s4u2proxy SERVICE USER TARGET-SPN   a ticket to TARGET-SPN for USER, on SERVICE's behalf\n"
        "  forward-tgt USER                    a forwarded TGT (unconstrained delegation)\n"
        "USER and SERVICE are account names: CORP\\alice, alice, WEB1$ or alice@corp.contoso.com.\n"
        "The KDC behaves as the domain's \"kdc\" profile says (windows-2016, windows-2012r2, samba-4.17).\n\n"
        "Options");
    visible.add_options()("help,h", "show this help")("format", po::value(&format), "text (default) or json")(
        "evidence", po::value(&evidence),
        "s4u2proxy: s4u2self (default) or user-ticket (the user's own ticket to SERVICE: \"Kerberos only\")")(
        "not-forwardable", po::bool_switch(&not_forwardable), "request the client's TGT without forwardable")(
        "explain", po::bool_switch(&explain), "also show each step's details: DC events, settings");
    if (!parse_options(args, visible, po::value(&words), -1)) return kExitOk;
    if (words.size() < 2) throw po::error("a SCENARIO and a KIND are required (see --help)");
    if (format != "text" && format != "json") throw po::error("--format must be text or json, not '" + format + "'");
    if (evidence != "s4u2self" && evidence != "user-ticket")
      throw po::error("--evidence must be s4u2self or user-ticket, not '" + evidence + "'");

    KdcQuestion q;
    const std::string& kind = words[1];
    const std::vector<std::string> rest(words.begin() + 2, words.end());
    const auto want = [&](std::size_t n, const char* usage) {
      if (rest.size() != n) throw po::error(std::string("usage: kerbsim kdc SCENARIO ") + usage);
    };
    if (kind == "as") {
      want(1, "as USER");
      q.kind = KdcQuestionKind::As;
      q.user = rest[0];
    } else if (kind == "tgs") {
      want(2, "tgs USER SPN");
      q.kind = KdcQuestionKind::Tgs;
      q.user = rest[0];
      q.spn = rest[1];
    } else if (kind == "s4u2self") {
      want(2, "s4u2self SERVICE USER");
      q.kind = KdcQuestionKind::S4u2Self;
      q.service = rest[0];
      q.user = rest[1];
    } else if (kind == "s4u2proxy") {
      want(3, "s4u2proxy SERVICE USER TARGET-SPN");
      q.kind = KdcQuestionKind::S4u2Proxy;
      q.service = rest[0];
      q.user = rest[1];
      q.spn = rest[2];
    } else if (kind == "forward-tgt") {
      want(1, "forward-tgt USER");
      q.kind = KdcQuestionKind::ForwardTgt;
      q.user = rest[0];
    } else {
      throw po::error("unknown KIND '" + kind + "': as, tgs, s4u2self, s4u2proxy or forward-tgt");
    }
    q.forwardable = !not_forwardable;
    q.user_ticket_evidence = evidence == "user-ticket";

    const auto loaded = load_or_report(words[0]);
    if (!loaded) return kExitUsage;
    const KdcAnswer answer = loaded->ask_kdc(q);
    if (!answer.problem.empty()) {
      std::cerr << "kerbsim kdc: " << answer.problem << "\n";
      return kExitUsage;
    }
    if (format == "json")
      print_kdc_json(answer, std::cout);
    else
      print_kdc_text(answer, {use_color(), explain}, std::cout);
    return kExitOk;
  });
}

}  // namespace kerbsim::cli
