// The replications printers: each fraction's mean, 95 % interval, min and max over the replications,
// the users' spread likewise, then a line per replication with its seed; JSON as
// to_value(ReplicationReport); CSV a row per replication, then the summary rows.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>

#include "engine/time.h"
#include "kerbsim/report.h"
#include "report/text_layout.h"

namespace kerbsim {
namespace {

using layout::pad_left;
using layout::pad_right;
using layout::Painter;
using layout::spaces;
using layout::write_wrapped;

constexpr int kLabel = 20;  // the row names' column

std::string fixed(double v, int decimals) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  return buf;
}

std::string percent(double fraction) { return fixed(100.0 * fraction, 2) + "%"; }

int digits(std::uint64_t n) { return static_cast<int>(std::to_string(n).size()); }

// 12345 -> "12,345"
std::string grouped(std::uint64_t n) {
  std::string digits = std::to_string(n);
  for (int i = static_cast<int>(digits.size()) - 3; i > 0; i -= 3) digits.insert(static_cast<std::size_t>(i), ",");
  return digits;
}

std::string clock_time(Microseconds us) {
  const long long s = us / 1000000;
  char buf[32];
  std::snprintf(buf, sizeof buf, "%02lld:%02lld:%02lld", s / 3600, s / 60 % 60, s % 60);
  return buf;
}

// How a row's numbers are written: the mean and the interval, then min and max (whole for a count).
struct Format {
  int mean_decimals = 2;
  int range_decimals = 2;
  bool percent = true;
  std::string operator()(double v, bool range) const {
    const int decimals = range ? range_decimals : mean_decimals;
    return percent ? fixed(100.0 * v, decimals) + "%" : fixed(v, decimals);
  }
};
constexpr Format kFraction{2, 2, true};
constexpr Format kCount{1, 0, false};

// One summary as a row: mean, interval, min, max; "(n of N)" when some replications did not measure it.
void summary_row(std::ostream& out, const std::string& label, const SampleSummary& s, std::size_t runs,
                 const Format& show) {
  out << "  " << pad_right(label, kLabel - 2) << pad_left(show(s.mean, false), 10) << "  ";
  if (s.low && s.high)
    out << pad_left(show(*s.low, false), 9) << " to " << pad_left(show(*s.high, false), 9);
  else
    out << pad_left("none", 9) << spaces(13);
  out << pad_left(show(s.min, true), 10) << pad_left(show(s.max, true), 10);
  if (s.n < runs) out << "  (" << s.n << " of " << runs << ")";
  out << '\n';
}

void header(std::ostream& out, const Painter& paint, const std::string& title) {
  out << paint.bold(title) << pad_left("mean", kLabel + 10 - layout::display_width(title)) << "  "
      << pad_left("95% interval of the mean", 22) << pad_left("min", 10) << pad_left("max", 10) << '\n';
}

}  // namespace

void print_replications_text(const ReplicationReport& r, const PrintOptions& options, std::ostream& out) {
  const Painter paint(options.color);
  const std::size_t n = r.runs.size();
  out << paint.bold(r.scenario);
  if (!r.title.empty()) out << " — " << r.title;
  out << '\n';
  out << n << (n == 1 ? " replication" : " replications") << " of " << clock_time(r.duration) << " with " << r.users
      << " users, ";
  if (n == 1)
    out << "seed " << r.runs.front().seed;
  else
    out << "seeds " << r.runs.front().seed << " to " << r.runs.back().seed;
  const auto requests = static_cast<std::uint64_t>(std::llround(r.requests.mean));
  out << ": " << grouped(requests) << (requests == 1 ? " request" : " requests")
      << (n == 1 ? "\n\n" : " each on average\n\n");

  header(out, paint, "Failed requests");
  summary_row(out, "all", r.failure_fraction, n, kFraction);
  for (const auto& node : r.node_summaries) summary_row(out, node.node, node.failure_fraction, n, kFraction);
  out << '\n';
  if (r.degraded_fraction.max == 0) {
    out << paint.bold("Degraded requests") << "   none in any replication\n";
  } else {
    header(out, paint, "Degraded requests");
    summary_row(out, "all", r.degraded_fraction, n, kFraction);
    for (const auto& node : r.node_summaries) summary_row(out, node.node, node.degraded_fraction, n, kFraction);
  }
  out << '\n';
  header(out, paint, "Users");
  summary_row(out, "never failed", r.users_never_failing, n, kCount);
  summary_row(out, "sometimes failed", r.users_sometimes_failing, n, kCount);
  summary_row(out, "always failed", r.users_always_failing, n, kCount);
  out << '\n';

  int seed_width = 4;
  for (const auto& run : r.runs) seed_width = std::max(seed_width, digits(run.seed));
  out << paint.bold("Replication") << "  " << pad_left("seed", seed_width)
      << "  requests    failed  degraded  users who never / sometimes / always failed\n";
  for (const auto& run : r.runs)
    out << pad_left(std::to_string(run.replication), 11) << "  " << pad_left(std::to_string(run.seed), seed_width)
        << pad_left(grouped(run.requests.requests), 10) << pad_left(percent(run.requests.failure_fraction()), 10)
        << pad_left(percent(run.requests.degraded_fraction()), 10) << "  " << run.user_spread.never_failing << " / "
        << run.user_spread.sometimes_failing << " / " << run.user_spread.always_failing << '\n';

  out << '\n' << paint.bold("Notes") << '\n';
  const ReplicationRun& example = r.runs[n > 1 ? 1 : 0];
  write_wrapped(out, "  - ", 4,
                "replication k runs with seed " + std::to_string(r.base_seed) +
                    " + (k − 1), as a simulation of its own; replication " + std::to_string(example.replication) +
                    " alone:");
  out << "      $ kerbsim simulate " << r.scenario << " --duration " << engine::format_duration(r.duration)
      << " --users " << r.users << " --seed " << example.seed << '\n';
  if (n > 1)
    write_wrapped(out, "  - ", 4,
                  "the 95% interval of the mean is mean ± t · s / √n, with s the standard deviation of the n "
                  "replications and t = " +
                      fixed(r.t_quantile, 3) + ", Student's t for " + std::to_string(n - 1) +
                      (n == 2 ? " degree" : " degrees") + " of freedom, clipped to what can be: 0% to 100%, 0 to " +
                      std::to_string(r.users) + " users");
  else
    write_wrapped(out, "  - ", 4,
                  "one replication gives no interval: the spread of a mean needs two or more (--replications 2 "
                  "or more)");
  write_wrapped(out, "  - ", 4, "a node's fractions are over the replications in which it served a request");
}

void print_replications_json(const ReplicationReport& report, std::ostream& out) {
  out << to_value(report).dump(2) << '\n';
}

// replication,seed,requests,failure_fraction,degraded_fraction,users_never_failing,
// users_sometimes_failing,users_always_failing, then <node>_failure_fraction per node; a node with no
// request in a replication has empty cells. Then the rows mean, ci95_low, ci95_high, min and max
// (the interval rows empty for one replication).
void print_replications_csv(const ReplicationReport& r, std::ostream& out) {
  out << "replication,seed,requests,failure_fraction,degraded_fraction,users_never_failing,users_sometimes_failing,"
         "users_always_failing";
  for (const auto& node : r.nodes) out << ',' << node << "_failure_fraction";
  out << '\n';
  for (const auto& run : r.runs) {
    out << run.replication << ',' << run.seed << ',' << run.requests.requests << ','
        << fixed(run.requests.failure_fraction(), 6) << ',' << fixed(run.requests.degraded_fraction(), 6) << ','
        << run.user_spread.never_failing << ',' << run.user_spread.sometimes_failing << ','
        << run.user_spread.always_failing;
    for (const auto& t : run.nodes) out << ',' << (t.requests ? fixed(t.failure_fraction(), 6) : "");
    out << '\n';
  }
  using Pick = std::optional<double> (*)(const SampleSummary&);
  const std::pair<const char*, Pick> rows[] = {
      {"mean", [](const SampleSummary& s) -> std::optional<double> { return s.mean; }},
      {"ci95_low", [](const SampleSummary& s) { return s.low; }},
      {"ci95_high", [](const SampleSummary& s) { return s.high; }},
      {"min", [](const SampleSummary& s) -> std::optional<double> { return s.min; }},
      {"max", [](const SampleSummary& s) -> std::optional<double> { return s.max; }},
  };
  const auto cell = [](const std::optional<double>& v, int decimals) { return v ? fixed(*v, decimals) : ""; };
  for (const auto& [name, pick] : rows) {
    out << name << ",," << cell(pick(r.requests), 3) << ',' << cell(pick(r.failure_fraction), 6) << ','
        << cell(pick(r.degraded_fraction), 6) << ',' << cell(pick(r.users_never_failing), 3) << ','
        << cell(pick(r.users_sometimes_failing), 3) << ',' << cell(pick(r.users_always_failing), 3);
    for (const auto& node : r.nodes) {
      const NodeSummary* found = nullptr;
      for (const auto& s : r.node_summaries)
        if (s.node == node) found = &s;
      out << ',' << (found ? cell(pick(found->failure_fraction), 6) : "");
    }
    out << '\n';
  }
}

}  // namespace kerbsim
