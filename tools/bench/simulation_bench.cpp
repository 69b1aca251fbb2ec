// The full simulation through the library (Scenario::load, Scenario::simulate) of a four-node farm
// with 100,000 users and about 1,000,000 requests (scenarios/sim-farm-round-robin.json, with the
// users logging on over 10 minutes instead of an hour), against baselines measured in the same run on
// the same machine:
//   - engine events per second against a bare std::priority_queue loop of (time, seq, id) holding the
//     same number of pending events (one per user) and processing the same number of events;
//   - requests per second and events per request (one thread: per core);
//   - peak memory per simulated user: peak RSS of a child process simulating 100,000 users minus that
//     of one simulating 1,000, divided by 99,000;
//   - requests per second against the same workload written in SimPy (tools/bench/simpy_peer.py), if
//     a python3 with SimPy 3 or later is installed.
// Usage: simulation_bench [--no-simpy]. (`--memory-child USERS FILE` is the child process's mode.)
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <fstream>
#include <functional>
#include <memory>
#include <optional>
#include <queue>
#include <sstream>
#include <stdexcept>
#include <string>
#include <tuple>
#include <vector>

#include "engine/random.h"
#include "engine/time.h"
#include "kerbsim/kerbsim.h"

#ifndef KERBSIM_SCENARIO_DIR
#error "KERBSIM_SCENARIO_DIR must name the scenarios folder"
#endif
#ifndef KERBSIM_BENCH_DIR
#error "KERBSIM_BENCH_DIR must name tools/bench"
#endif

namespace {

using Clock = std::chrono::steady_clock;
using kerbsim::engine::kHour;
using kerbsim::engine::kMinute;
using kerbsim::engine::Rng;
using kerbsim::engine::SimTime;

constexpr const char* kScenario = KERBSIM_SCENARIO_DIR "/sim-farm-round-robin.json";
constexpr const char* kSimpyPeer = KERBSIM_BENCH_DIR "/simpy_peer.py";

// The big run. The scenario's users make 30 requests an hour as a Poisson process once they have
// logged on; the benchmark's copy of the scenario has them log on evenly over the first 10 minutes
// (workload.logon_spread, an hour in the file), so that every user has its one pending event, its
// next request, from the start: 100,000 pending until requests start falling past the end. A user
// who logs on at s makes 1 + 30 * (d - s) requests by d (in hours), about 1 + 30 * (23 - 5) / 60 = 10
// by d = 23 minutes: 1.0 million requests.
constexpr int kUsers = 100'000;
constexpr SimTime kDuration = 23 * kMinute;
constexpr SimTime kLogonSpread = 10 * kMinute;
constexpr const char* kLogonSpreadText = "10m";
constexpr double kMeanThink = 3600.0 * 1e6 / 30.0;  // µs between a user's requests (30 per hour)
constexpr int kMemoryBaselineUsers = 1'000;

// The SimPy comparison: small enough for SimPy to finish in a few seconds.
constexpr int kPeerUsers = 10'000;
constexpr int kPeerHours = 2;

constexpr int kRounds = 5;  // after one warm-up; the best round of each side is reported

// Targets.
constexpr double kTargetRatio = 0.2;
constexpr double kTargetRequestsPerSecond = 100'000;
constexpr double kTargetBytesPerUser = 512;

double seconds_since(Clock::time_point start) { return std::chrono::duration<double>(Clock::now() - start).count(); }

// Writes the scenario with the benchmark's logon spread to a temporary file and removes it at the end.
// (sim/scenario is the only layer that reads JSON, so this inserts the key as text.)
class BenchScenario {
 public:
  BenchScenario() {
    std::ifstream in(kScenario, std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    std::string json = text.str();
    const std::string marker = "\"workload\": {";
    const auto at = json.find(marker);
    if (!in || at == std::string::npos)
      throw std::runtime_error(std::string(kScenario) + ": no \"workload\" object to adjust");
    json.insert(at + marker.size(), std::string("\"logon_spread\": \"") + kLogonSpreadText + "\", ");
    path_ =
        (std::filesystem::temp_directory_path() / ("kerbsim-simulation-bench-" + std::to_string(getpid()) + ".json"))
            .string();
    std::ofstream out(path_, std::ios::binary);
    out << json;
    if (!out.flush()) throw std::runtime_error("cannot write " + path_);
  }
  ~BenchScenario() {
    std::error_code ec;
    std::filesystem::remove(path_, ec);
  }
  BenchScenario(const BenchScenario&) = delete;
  BenchScenario& operator=(const BenchScenario&) = delete;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

// ---- the bare loop ----------------------------------------------------------------------------

// The same shape of work without the simulation: `pending` events at uniform times over the logon
// spread, and each popped event schedules its successor an exponential think time later, drawn from
// the same generator the simulator uses. Times only the loop (not the initial fill).
double bare_loop(std::size_t pending, std::uint64_t events) {
  using Entry = std::tuple<SimTime, std::uint64_t, std::uint32_t>;
  std::priority_queue<Entry, std::vector<Entry>, std::greater<>> q;
  Rng rng(1, 1);
  std::uint64_t seq = 0;
  for (std::size_t i = 0; i < pending; ++i)
    q.emplace(static_cast<SimTime>(rng.uniform() * static_cast<double>(kLogonSpread)), seq++,
              static_cast<std::uint32_t>(i));
  std::uint64_t sink = 0;
  const auto start = Clock::now();
  for (std::uint64_t n = 0; n < events; ++n) {
    const auto [t, s, id] = q.top();
    q.pop();
    sink += id + static_cast<std::uint64_t>(t & 1) + (s & 1);
    q.emplace(t + 1 + static_cast<SimTime>(rng.exponential(kMeanThink)), seq++, id);
  }
  const double seconds = seconds_since(start);
  if (sink == 42) std::puts("");
  return static_cast<double>(events) / seconds;
}

// ---- the simulation ---------------------------------------------------------------------------

struct Run {
  double seconds = 0;
  std::uint64_t requests = 0;
  std::uint64_t failed = 0;
  std::uint64_t events = 0;
};

// Times Scenario::simulate as a caller sees it: building the run, the run and the report.
Run simulate(const kerbsim::Scenario& scenario, int users, SimTime duration) {
  kerbsim::SimulateRequest request;
  request.users = users;
  request.duration = duration;
  const auto start = Clock::now();
  const kerbsim::SimulationReport report = scenario.simulate(request);
  Run r;
  r.seconds = seconds_since(start);
  r.requests = report.requests.requests;
  r.failed = report.requests.failed;
  r.events = report.events;
  return r;
}

// ---- peak memory ------------------------------------------------------------------------------

// Peak resident set size of this process in bytes: VmHWM, or ru_maxrss where /proc is missing.
std::uint64_t peak_rss_bytes() {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line))
    if (line.rfind("VmHWM:", 0) == 0) return std::strtoull(line.c_str() + 6, nullptr, 10) * 1024;
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<std::uint64_t>(usage.ru_maxrss) * 1024;
}

// The child's side: load, simulate, print the peak.
int memory_child(int users, const std::string& file) {
  const auto scenario = kerbsim::Scenario::load(file);
  const Run r = simulate(*scenario, users, kDuration);
  std::printf("%llu %llu\n", static_cast<unsigned long long>(peak_rss_bytes()),
              static_cast<unsigned long long>(r.requests));
  return 0;
}

std::string self_path() {
  std::array<char, 4096> buf{};
  const ssize_t n = readlink("/proc/self/exe", buf.data(), buf.size() - 1);
  return n > 0 ? std::string(buf.data(), static_cast<std::size_t>(n)) : std::string();
}

// Runs `command` and returns everything it printed, or nullopt if it failed.
std::optional<std::string> capture(const std::string& command) {
  FILE* pipe = popen(command.c_str(), "r");
  if (!pipe) return std::nullopt;
  std::string out;
  std::array<char, 512> buf{};
  while (std::fgets(buf.data(), static_cast<int>(buf.size()), pipe)) out += buf.data();
  const int status = pclose(pipe);
  if (status != 0) return std::nullopt;
  return out;
}

std::string quoted(const std::string& s) {
  std::string q = "'";
  for (const char c : s) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return q + "'";
}

// Peak RSS of a fresh process simulating `users`, the lower of two runs; 0 if the child failed.
std::uint64_t child_peak(const std::string& self, int users, const std::string& file) {
  std::uint64_t best = 0;
  for (int i = 0; i < 2 && !self.empty(); ++i) {
    const auto out = capture(quoted(self) + " --memory-child " + std::to_string(users) + " " + quoted(file));
    if (!out) return 0;
    const std::uint64_t peak = std::strtoull(out->c_str(), nullptr, 10);
    if (best == 0 || peak < best) best = peak;
  }
  return best;
}

// ---- the SimPy peer ---------------------------------------------------------------------------

// A python3 that has SimPy 3 or later (simpy.Environment), or "" if none. Debian installs its
// python3-simpy3 for /usr/bin/python3, which may not be the python3 first on PATH.
std::string python_with_simpy() {
  for (const char* python : {"python3", "/usr/bin/python3"}) {
    const std::string command = std::string(python) +
                                " -c 'import simpy, sys; sys.exit(0 if hasattr(simpy, \"Environment\") else 1)'" +
                                " >/dev/null 2>&1";
    if (std::system(command.c_str()) == 0) return python;
  }
  return "";
}

// The value after "key=" in the peer's output.
std::optional<double> field(const std::string& out, const std::string& key) {
  const auto at = out.find(key + "=");
  if (at == std::string::npos) return std::nullopt;
  return std::strtod(out.c_str() + at + key.size() + 1, nullptr);
}

const char* verdict(bool pass) { return pass ? "PASS" : "MISS"; }

std::string si(double v) {
  char buf[32];
  if (v >= 1e6)
    std::snprintf(buf, sizeof buf, "%.2fM", v / 1e6);
  else if (v >= 1e3)
    std::snprintf(buf, sizeof buf, "%.1fk", v / 1e3);
  else
    std::snprintf(buf, sizeof buf, "%.2f", v);
  return buf;
}

int run(bool with_simpy) {
  const BenchScenario file;
  const auto scenario = kerbsim::Scenario::load(file.path());
  std::printf("simulation_bench: %s, %d users logging on over %s, %s simulated; best of %d rounds after a warm-up\n",
              scenario->name().c_str(), kUsers, kLogonSpreadText, kerbsim::engine::format_duration(kDuration).c_str(),
              kRounds);
  std::fflush(stdout);

  // Warm-up (page faults, caches, the tracer's first traces are per run anyway) and the event count
  // the bare loop has to match.
  const Run warm = simulate(*scenario, kUsers, kDuration);
  bare_loop(kUsers, warm.events);
  Run best = warm;
  best.seconds = 1e300;
  double bare = 0;
  for (int round = 0; round < kRounds; ++round) {
    bare = std::max(bare, bare_loop(kUsers, warm.events));
    const Run r = simulate(*scenario, kUsers, kDuration);
    if (r.events != warm.events || r.requests != warm.requests) {
      std::fprintf(stderr, "simulation_bench: the runs differ (%llu vs %llu events): not deterministic\n",
                   static_cast<unsigned long long>(r.events), static_cast<unsigned long long>(warm.events));
      return 1;
    }
    if (r.seconds < best.seconds) best = r;
  }
  const double events_per_s = static_cast<double>(best.events) / best.seconds;
  const double requests_per_s = static_cast<double>(best.requests) / best.seconds;
  const double ratio = events_per_s / bare;
  const double events_per_request = static_cast<double>(best.events) / static_cast<double>(best.requests);

  // Peak memory per user, from two fresh processes.
  const std::string self = self_path();
  const std::uint64_t big = child_peak(self, kUsers, file.path());
  const std::uint64_t small = child_peak(self, kMemoryBaselineUsers, file.path());

  std::printf("  requests %llu (%.1f%% failed), engine events %llu, %.3f s per run\n",
              static_cast<unsigned long long>(best.requests),
              100.0 * static_cast<double>(best.failed) / static_cast<double>(best.requests),
              static_cast<unsigned long long>(best.events), best.seconds);
  std::printf("\n%-34s %14s %14s %10s   %-14s %s\n", "metric", "kerbsim", "baseline", "ratio", "target", "");
  std::printf("%-34s %14s %14s %9.2fx   %-14s %s\n", "events/s (vs bare priority_queue)", si(events_per_s).c_str(),
              si(bare).c_str(), ratio, ">= 0.20x", verdict(ratio >= kTargetRatio));
  std::printf("%-34s %14s %14s %10s   %-14s %s\n", "requests/s (one core)", si(requests_per_s).c_str(), "", "",
              ">= 100k", verdict(requests_per_s >= kTargetRequestsPerSecond));
  std::printf("%-34s %14.3f %14s %10s   %-14s\n", "events/request", events_per_request, "", "", "");
  if (big && small) {
    const double bytes_per_user =
        (static_cast<double>(big) - static_cast<double>(small)) / (kUsers - kMemoryBaselineUsers);
    std::printf("%-34s %14.0f %14s %10s   %-14s %s\n", "peak memory bytes/user", bytes_per_user, "", "", "<= 512",
                verdict(bytes_per_user <= kTargetBytesPerUser));
    std::printf("  (peak RSS %.1f MiB with %d users, %.1f MiB with %d)\n", static_cast<double>(big) / 1048576.0, kUsers,
                static_cast<double>(small) / 1048576.0, kMemoryBaselineUsers);
  } else {
    std::printf("%-34s %14s   (could not run the child processes)\n", "peak memory bytes/user", "?");
  }
  std::fflush(stdout);

  // The SimPy peer: the same small workload in SimPy and in kerbsim (the scenario as written: users
  // log on over the first hour).
  const auto as_written = kerbsim::Scenario::load(kScenario);
  std::printf("\nSimPy peer: %d users, %dh simulated, round robin over 4 nodes, ticket accepted by one\n", kPeerUsers,
              kPeerHours);
  const std::string python = with_simpy ? python_with_simpy() : "";
  if (!with_simpy) {
    std::printf("  skipped (--no-simpy)\n");
    return 0;
  }
  if (python.empty()) {
    std::printf("  skipped: no python3 with SimPy 3+ (Debian: apt-get install python3-simpy3)\n");
    return 0;
  }
  std::fflush(stdout);
  const auto out = capture(python + " " + quoted(kSimpyPeer) + " --users " + std::to_string(kPeerUsers) + " --hours " +
                           std::to_string(kPeerHours) + " --repeat 2");
  const auto simpy_rps = out ? field(*out, "requests_per_second") : std::nullopt;
  if (!simpy_rps || *simpy_rps <= 0) {
    std::printf("  skipped: %s %s failed\n", python.c_str(), kSimpyPeer);
    return 0;
  }
  Run peer;
  peer.seconds = 1e300;
  for (int round = 0; round < 3; ++round) {
    const Run r = simulate(*as_written, kPeerUsers, kPeerHours * kHour);
    if (r.seconds < peer.seconds) peer = r;
  }
  const double kerbsim_rps = static_cast<double>(peer.requests) / peer.seconds;
  const double simpy_requests = field(*out, "requests").value_or(0);
  const double simpy_failed = field(*out, "failed").value_or(0);
  std::printf("%-34s %14s %14s %10s\n", "", "kerbsim", "SimPy", "speed-up");
  std::printf("%-34s %14s %14s %9.1fx\n", "requests/s", si(kerbsim_rps).c_str(), si(*simpy_rps).c_str(),
              kerbsim_rps / *simpy_rps);
  std::printf("%-34s %14llu %14.0f\n", "requests", static_cast<unsigned long long>(peer.requests), simpy_requests);
  std::printf("%-34s %13.1f%% %13.1f%%\n", "failed", 100.0 * static_cast<double>(peer.failed) / peer.requests,
              simpy_requests > 0 ? 100.0 * simpy_failed / simpy_requests : 0.0);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    bool with_simpy = true;
    for (int i = 1; i < argc; ++i) {
      const std::string arg = argv[i];
      if (arg == "--memory-child" && i + 2 < argc) return memory_child(std::atoi(argv[i + 1]), argv[i + 2]);
      if (arg == "--no-simpy") {
        with_simpy = false;
      } else {
        std::fprintf(stderr, "usage: simulation_bench [--no-simpy]\n");
        return 2;
      }
    }
    return run(with_simpy);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "simulation_bench: %s\n", e.what());
    return 1;
  }
}
