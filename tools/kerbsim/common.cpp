#include <unistd.h>

#include <boost/program_options.hpp>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <new>

#include "command.h"

namespace kerbsim::cli {

bool use_color() {
  const char* no_color = std::getenv("NO_COLOR");
  if (no_color && *no_color) return false;
  return ::isatty(STDOUT_FILENO) == 1;
}

std::string bundled_scenario_dir() {
  if (const char* dir = std::getenv("KERBSIM_SCENARIOS"); dir && *dir) return dir;
  return KERBSIM_SCENARIO_DIR;
}

std::string resolve_scenario(const std::string& arg) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (fs::exists(arg, ec)) return arg;
  if (arg.find('/') == std::string::npos && arg.find('.') == std::string::npos) {
    const fs::path bundled = fs::path(bundled_scenario_dir()) / (arg + ".json");
    if (fs::exists(bundled, ec)) return bundled.string();
  }
  return arg;  // the loader reports the missing file
}

void print_diagnostics(const ScenarioError& e) {
  for (const auto& d : e.diagnostics()) std::cerr << d.to_string() << "\n";
}

std::unique_ptr<Scenario> load_or_report(const std::string& arg) {
  try {
    return Scenario::load(resolve_scenario(arg));
  } catch (const ScenarioError& e) {
    print_diagnostics(e);
    const auto n = e.diagnostics().size();
    std::cerr << "kerbsim: " << n << (n == 1 ? " problem" : " problems") << " in " << arg << "\n";
    return nullptr;
  }
}

bool parse_options(const Args& args, const boost::program_options::options_description& visible,
                   boost::program_options::value_semantic* value, int count) {
  namespace po = boost::program_options;
  po::options_description all;
  all.add(visible);
  all.add_options()("scenario", value);
  po::positional_options_description positional;
  positional.add("scenario", count);
  po::variables_map vm;
  po::store(po::command_line_parser(args).options(all).positional(positional).run(), vm);
  po::notify(vm);
  if (vm.count("help")) {
    std::cout << visible << "\n";
    return false;
  }
  return true;
}

int run_guarded(const std::string& command, const std::function<int()>& body) {
  try {
    return body();
  } catch (const boost::program_options::error& e) {
    std::cerr << "kerbsim " << command << ": " << e.what() << "\n"
              << "Try 'kerbsim " << command << " --help'.\n";
    return kExitUsage;
  } catch (const std::bad_alloc&) {
    std::cerr << "kerbsim " << command << ": out of memory; ask for less (fewer users, a shorter duration)\n";
    return kExitUsage;
  }
}

}  // namespace kerbsim::cli
