#include <algorithm>
#include <boost/program_options.hpp>
#include <filesystem>
#include <iostream>

#include "command.h"

namespace kerbsim::cli {

namespace po = boost::program_options;

int list_command(const Args& args) {
  return run_guarded("list", [&] {
    po::options_description visible(
        "Usage: kerbsim list\n\nLists the bundled scenarios, one line each: name and title.\n"
        "Any of these names can be given where a SCENARIO is expected.\n\nOptions");
    visible.add_options()("help,h", "show this help");
    po::variables_map vm;
    po::store(po::command_line_parser(args).options(visible).run(), vm);
    po::notify(vm);
    if (vm.count("help")) {
      std::cout << visible << "\n";
      return kExitOk;
    }
    namespace fs = std::filesystem;
    std::vector<fs::path> files;
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(bundled_scenario_dir(), ec))
      if (entry.path().extension() == ".json") files.push_back(entry.path());
    if (ec) {
      std::cerr << "kerbsim list: cannot read " << bundled_scenario_dir() << ": " << ec.message() << "\n";
      return kExitUsage;
    }
    std::sort(files.begin(), files.end());
    std::size_t width = 0;
    for (const auto& f : files) width = std::max(width, f.stem().string().size());
    int code = kExitOk;
    for (const auto& f : files) {
      try {
        const auto s = Scenario::load(f.string());
        std::cout << s->name() << std::string(width + 2 - s->name().size(), ' ') << s->title() << "\n";
      } catch (const ScenarioError& e) {
        std::cout << f.stem().string() << std::string(width + 2 - f.stem().string().size(), ' ')
                  << "(does not load: " << e.diagnostics().size() << " problems)\n";
        code = kExitUsage;
      }
    }
    return code;
  });
}

}  // namespace kerbsim::cli
