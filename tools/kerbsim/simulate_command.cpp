#include <unistd.h>

#include <boost/program_options.hpp>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <optional>
#include <sstream>

#include "command.h"
#include "engine/time.h"

namespace kerbsim::cli {

namespace po = boost::program_options;

namespace {

// --duration: the model's duration grammar (engine::parse_duration: "8h", "2h30m"), or a plain
// number of seconds, as the command has always taken; longer than zero. On failure returns nullopt
// and sets why to a clause saying what is wrong.
std::optional<Microseconds> parse_duration(const std::string& text, std::string& why) {
  engine::DurationParse parsed = engine::parse_duration(text);
  // The grammar leaves digits alone to the caller (DurationError::no_unit): here they are seconds.
  if (parsed.error == engine::DurationError::no_unit) parsed = engine::parse_duration(text + "s");
  switch (parsed.error) {
    case engine::DurationError::none:
      break;
    case engine::DurationError::empty:
    case engine::DurationError::no_unit:
    case engine::DurationError::not_a_duration:
      why = "write a number of seconds, or numbers each followed by d, h, m or s, such as 2h30m";
      return std::nullopt;
    case engine::DurationError::unit_order:
      why = "write each unit once, from days down to seconds, such as 2h30m";
      return std::nullopt;
    case engine::DurationError::too_long:
      why = "the longest duration is 36500d (100 years)";
      return std::nullopt;
  }
  if (parsed.negative) {
    why = "it cannot be negative";
    return std::nullopt;
  }
  if (parsed.value == 0) {
    why = "it must be longer than 0 seconds";
    return std::nullopt;
  }
  return parsed.value;
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

// Whether an option was given, as --name VALUE or --name=VALUE.
bool given_option(const Args& args, const std::string& name) {
  for (const auto& a : args)
    if (a == name || a.rfind(name + "=", 0) == 0) return true;
  return false;
}

// Bounds of --replications and --jobs: each replication keeps a line of numbers until the end, and
// each job is a thread.
constexpr std::int64_t kMostReplications = 100000;
constexpr std::int64_t kMostJobs = 1024;

}  // namespace

int simulate_command(const Args& args) {
  return run_guarded("simulate", [&] {
    std::string scenario, duration, format = "text", output;
    std::uint64_t seed = 0, max_requests = SimulateRequest{}.max_requests;
    std::uint64_t max_memory_mib = SimulateRequest{}.max_memory_bytes >> 20;
    int users = 0;
    std::int64_t replications = 0, jobs = 1;
    po::options_description visible(
        "Usage: kerbsim simulate SCENARIO [options]\n\n"
        "Runs the scenario's workload: users cloned from the flows' clients make requests over\n"
        "simulated time, each with its own ticket cache, through the load balancer, against DCs\n"
        "and Netlogon channels of limited capacity, while the workload's events change things.\n"
        "Reports requests by verdict, protocol, node and error, KDC and Netlogon load, latency and\n"
        "a timeline. The same scenario and seed give the same output.\n\n"
        "With --replications N it runs the workload N times, replication k with seed S + k - 1 (S the\n"
        "--seed or the workload's), and reports each failure fraction's mean, 95% interval, min and\n"
        "max, and each replication's seed; the output is the same whatever --jobs is.\n\n"
        "SCENARIO is a file or the name of a bundled scenario (see 'kerbsim list').\n\nOptions");
    visible.add_options()("help,h", "show this help")("duration", po::value(&duration),
                                                      "simulated time, e.g. 8h, 90m, 2h30m (default: the workload's)")(
        "seed", po::value(&seed), "random seed (default: the workload's); with --replications, the first one's")(
        "users", po::value(&users), "number of users (default: the workload's)")(
        "replications", po::value(&replications), "run the workload N times with seeds S, S+1, ... (1 to 100000)")(
        "jobs", po::value(&jobs), "with --replications: run J replications at a time on J threads (default 1)")(
        "format", po::value(&format), "text (default), json, or csv (the timeline; with --replications, a row each)")(
        "output,o", po::value(&output),
        "write to this file, '-' for standard output; a regular file is replaced atomically")(
        "max-requests", po::value(&max_requests),
        "refuse a workload expected to make more requests than this (all replications together)")(
        "max-memory", po::value(&max_memory_mib),
        "refuse a workload expected to need more MiB than this (the replications running at once)");
    po::variables_map given;
    if (!parse_options(args, visible, po::value(&scenario), 1)) return kExitOk;
    if (scenario.empty()) throw po::error("a SCENARIO is required");
    if (format != "text" && format != "json" && format != "csv")
      throw po::error("--format must be text, json or csv, not '" + format + "'");
    SimulateRequest request;
    if (!duration.empty()) {
      std::string why;
      request.duration = parse_duration(duration, why);
      if (!request.duration)
        throw po::error("--duration must be like 8h, 90m, 30s or 2d, not '" + duration + "': " + why);
    }
    for (const auto& a : args)
      if (a == "--seed" || a.rfind("--seed=", 0) == 0) request.seed = seed;
    for (const auto& a : args)
      if (a == "--users" || a.rfind("--users=", 0) == 0) {
        if (users < 1) throw po::error("--users must be 1 or more");
        request.users = users;
      }
    const bool replicated = given_option(args, "--replications");
    if (replicated && (replications < 1 || replications > kMostReplications))
      throw po::error("--replications must be from 1 to " + std::to_string(kMostReplications) + ", not " +
                      std::to_string(replications));
    if (given_option(args, "--jobs")) {
      if (!replicated) throw po::error("--jobs runs replications at the same time; give --replications N too");
      if (jobs < 1 || jobs > kMostJobs)
        throw po::error("--jobs must be from 1 to " + std::to_string(kMostJobs) + ", not " + std::to_string(jobs));
    }
    request.max_requests = max_requests;
    request.max_memory_bytes = max_memory_mib << 20;

    const auto loaded = load_or_report(scenario);
    if (!loaded) return kExitUsage;
    ProgressBar bar;
    request.progress = [&bar](double f) { bar.update(f); };
    std::ostringstream text;
    const PrintOptions print{is_standard_output(output) && use_color(), false};
    try {
      if (replicated) {
        ReplicateRequest many;
        many.simulate = request;
        many.replications = static_cast<std::size_t>(replications);
        many.jobs = static_cast<std::size_t>(jobs);
        const ReplicationReport report = loaded->replicate(many);
        if (format == "json")
          print_replications_json(report, text);
        else if (format == "csv")
          print_replications_csv(report, text);
        else
          print_replications_text(report, print, text);
      } else {
        const SimulationReport report = loaded->simulate(request);
        if (format == "json")
          print_simulation_json(report, text);
        else if (format == "csv")
          print_simulation_csv(report, text);
        else
          print_simulation_text(report, print, text);
      }
    } catch (const ScenarioError& e) {  // the workload is over the budget
      print_diagnostics(e);
      return kExitUsage;
    }
    return emit(output, text.str());
  });
}

}  // namespace kerbsim::cli
