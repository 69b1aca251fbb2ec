#include <unistd.h>

#include <boost/program_options.hpp>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <optional>
#include <sstream>

#include "command.h"

namespace kerbsim::cli {

namespace po = boost::program_options;

namespace {

// "8h", "90m", "30s", "2d", or a number of seconds.
std::optional<Microseconds> parse_duration(const std::string& text) {
  if (text.empty()) return std::nullopt;
  std::size_t used = 0;
  long long n = 0;
  try {
    n = std::stoll(text, &used);
  } catch (...) {
    return std::nullopt;
  }
  const std::string unit = text.substr(used);
  long long scale = 0;
  if (unit.empty() || unit == "s") scale = 1;
  if (unit == "m") scale = 60;
  if (unit == "h") scale = 3600;
  if (unit == "d") scale = 86400;
  if (!scale || n <= 0 || n > 36500LL * 86400 / scale) return std::nullopt;
  return static_cast<Microseconds>(n * scale) * 1000000;
}

// A progress bar on standard error, drawn only on a terminal and only once the run has taken a second.
class ProgressBar {
 public:
  ProgressBar() : start_(std::chrono::steady_clock::now()), enabled_(isatty(STDERR_FILENO) != 0) {}
  ~ProgressBar() {
    if (drawn_) std::cerr << "\r" << std::string(60, ' ') << "\r" << std::flush;
  }
  ProgressBar(const ProgressBar&) = delete;
  ProgressBar& operator=(const ProgressBar&) = delete;
  void update(double fraction) {
    if (!enabled_) return;
    const auto elapsed = std::chrono::steady_clock::now() - start_;
    if (elapsed < std::chrono::seconds(1)) return;
    constexpr int kWidth = 40;
    const int filled = static_cast<int>(fraction * kWidth);
    std::cerr << "\rsimulating [" << std::string(static_cast<std::size_t>(filled), '#')
              << std::string(static_cast<std::size_t>(kWidth - filled), ' ') << "] " << static_cast<int>(fraction * 100)
              << "%" << std::flush;
    drawn_ = true;
  }

 private:
  std::chrono::steady_clock::time_point start_;
  bool enabled_;
  bool drawn_ = false;
};

}  // namespace

int simulate_command(const Args& args) {
  return run_guarded("simulate", [&] {
    std::string scenario, duration, format = "text", output;
    std::uint64_t seed = 0, max_requests = SimulateRequest{}.max_requests;
    std::uint64_t max_memory_mib = SimulateRequest{}.max_memory_bytes >> 20;
    int users = 0;
    po::options_description visible(
        "Usage: kerbsim simulate SCENARIO [options]\n\n"
        "Runs the scenario's workload: users cloned from the flows' clients make requests over\n"
        "simulated time, each with its own ticket cache, through the load balancer, against DCs\n"
        "and Netlogon channels of limited capacity, while the workload's events change things.\n"
        "Reports requests by verdict, protocol, node and error, KDC and Netlogon load, latency and\n"
        "a timeline. The same scenario and seed give the same output.\n\n"
        "SCENARIO is a file or the name of a bundled scenario (see 'kerbsim list').\n\nOptions");
    visible.add_options()("help,h", "show this help")("duration", po::value(&duration),
                                                      "simulated time, e.g. 8h, 90m (default: the workload's)")(
        "seed", po::value(&seed), "random seed (default: the workload's)")("users", po::value(&users),
                                                                           "number of users (default: the workload's)")(
        "format", po::value(&format), "text (default), json, or csv (the timeline)")(
        "output,o", po::value(&output),
        "write to this file, '-' for standard output; a regular file is replaced atomically")(
        "max-requests", po::value(&max_requests), "refuse a workload expected to make more requests than this")(
        "max-memory", po::value(&max_memory_mib), "refuse a workload expected to need more MiB than this");
    po::variables_map given;
    if (!parse_options(args, visible, po::value(&scenario), 1)) return kExitOk;
    if (scenario.empty()) throw po::error("a SCENARIO is required");
    if (format != "text" && format != "json" && format != "csv")
      throw po::error("--format must be text, json or csv, not '" + format + "'");
    SimulateRequest request;
    if (!duration.empty()) {
      request.duration = parse_duration(duration);
      if (!request.duration) throw po::error("--duration must be like 8h, 90m, 30s or 2d, not '" + duration + "'");
    }
    for (const auto& a : args)
      if (a == "--seed" || a.rfind("--seed=", 0) == 0) request.seed = seed;
    for (const auto& a : args)
      if (a == "--users" || a.rfind("--users=", 0) == 0) {
        if (users < 1) throw po::error("--users must be 1 or more");
        request.users = users;
      }
    request.max_requests = max_requests;
    request.max_memory_bytes = max_memory_mib << 20;

    const auto loaded = load_or_report(scenario);
    if (!loaded) return kExitUsage;
    ProgressBar bar;
    request.progress = [&bar](double f) { bar.update(f); };
    SimulationReport report;
    try {
      report = loaded->simulate(request);
    } catch (const ScenarioError& e) {  // the workload is over the budget
      print_diagnostics(e);
      return kExitUsage;
    }
    std::ostringstream text;
    if (format == "json")
      print_simulation_json(report, text);
    else if (format == "csv")
      print_simulation_csv(report, text);
    else
      print_simulation_text(report, {is_standard_output(output) && use_color(), false}, text);
    return emit(output, text.str());
  });
}

}  // namespace kerbsim::cli
