// The rehearsal printers: a line per step (when it ran, requests, failed and degraded in its window,
// the change), the nodes' failure fractions under it, and when failures stopped. Commands are printed
// whole on their own line; everything else fits the page width.
#include <cstdio>
#include <string>

#include "engine/time.h"
#include "kerbsim/report.h"
#include "report/text_layout.h"

namespace kerbsim {
namespace {

using layout::pad_left;
using layout::Painter;
using layout::spaces;
using layout::write_wrapped;

constexpr int kChangeColumn = 45;

// Simulated time from the start of the rehearsal, as a clock: 01:30.
std::string clock(Microseconds us) {
  const long long m = us / 60000000;
  char buf[32];
  std::snprintf(buf, sizeof buf, "%02lld:%02lld", m / 60, m % 60);
  return buf;
}

std::string percent(std::uint64_t part, std::uint64_t whole) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f%%",
                whole ? 100.0 * static_cast<double>(part) / static_cast<double>(whole) : 0.0);
  return buf;
}

// 12345 -> "12,345"
std::string grouped(std::uint64_t n) {
  std::string digits = std::to_string(n);
  for (int i = static_cast<int>(digits.size()) - 3; i > 0; i -= 3) digits.insert(static_cast<std::size_t>(i), ",");
  return digits;
}

std::string duration(Microseconds us) { return engine::format_duration(us); }

void step_lines(const RehearsalStep& s, const Painter& paint, std::ostream& out) {
  const std::string failed = pad_left(percent(s.requests.failed, s.requests.requests), 7);
  out << "  " << pad_left(s.number ? std::to_string(s.number) : std::string("-"), 4) << "  " << clock(s.at) << "  "
      << pad_left(grouped(s.requests.requests), 9) << "  " << (s.requests.failed ? paint.red(failed) : failed) << "  "
      << pad_left(percent(s.requests.degraded, s.requests.requests), 8) << "  ";
  write_wrapped(out, "", kChangeColumn, s.number ? s.change : std::string("(before the first step)"));
  for (const auto& c : s.commands) out << spaces(kChangeColumn) << "$ " << c << '\n';
  // The nodes, each "web1 0.0% of 1,531" kept whole, packed into the change column.
  std::string line;
  for (const auto& n : s.nodes) {
    const std::string item =
        n.node + " " + percent(n.requests.failed, n.requests.requests) + " of " + grouped(n.requests.requests);
    const std::string joined = line.empty() ? item : line + " · " + item;
    if (!line.empty() && kChangeColumn + layout::display_width(joined) + 2 > layout::kWidth) {  // room for " ·"
      out << spaces(kChangeColumn) << line << " ·\n";
      line = item;
    } else {
      line = joined;
    }
  }
  if (!line.empty()) out << spaces(kChangeColumn) << line << '\n';
}

}  // namespace

void print_rehearsal_text(const RehearsalReport& r, const PrintOptions& options, std::ostream& out) {
  const Painter paint(options.color);
  write_wrapped(out, paint.bold(r.scenario) + (r.title.empty() ? "" : " — "), layout::display_width(r.scenario) + 3,
                r.title);
  if (!r.rehearsed) {
    write_wrapped(out, "nothing to rehearse: ", 21, r.none);
    return;
  }
  out << '\n';
  write_wrapped(out, "", 0,
                "Rehearsal of the first fix kerbsim prints, for \"" + r.flow + "\"" +
                    (r.via ? " via " + *r.via : std::string()) + ": " + r.fix + ".");
  write_wrapped(
      out, "", 0,
      "order: " + to_string(r.order) + (r.order == RolloutOrder::Given ? " (the fix's rollout order)" : std::string()) +
          " · one change every " + duration(r.step_interval) + " · " + std::to_string(r.users) + " users, seed " +
          std::to_string(r.seed) + (r.default_workload ? " (default workload)" : " (the scenario's workload)"));
  out << '\n';
  out << paint.bold("  step     at   requests   failed  degraded  change (failed per node below)") << '\n';
  step_lines(r.before, paint, out);
  for (const auto& s : r.steps) step_lines(s, paint, out);
  out << '\n';

  const Microseconds last_end = r.steps.empty() ? r.before.end : r.steps.back().end;
  write_wrapped(out, "", 0,
                "After the last step's window (" + clock(last_end) + " to " + clock(r.duration) + "): " +
                    grouped(r.after.requests) + " requests, " + percent(r.after.failed, r.after.requests) + " failed.");
  const Microseconds last_step = r.steps.empty() ? r.before.end : r.steps.back().at;
  if (!r.last_failure) {
    write_wrapped(out, "", 0, "No request failed during the rehearsal.");
  } else if (r.failures_stopped) {
    const Microseconds stop = *r.last_failure + 60000000;
    std::string when = "Failures stopped by " + clock(stop) + ", ";
    // Failures end at a step when none happens from its minute on; otherwise in the window of the last
    // step before they ended.
    const RehearsalStep* in = &r.before;
    for (const auto& step : r.steps)
      if (step.at <= stop) in = &step;
    if (stop <= last_step && in->at == stop)
      when += "as step " + std::to_string(in->number) + " ran.";
    else if (stop <= last_step)
      when += in->number ? "in the window of step " + std::to_string(in->number) + "." : "before the first step.";
    else
      when += duration(stop - last_step) + " after the last step (the last failing minute began at " +
              clock(*r.last_failure) + ")" +
              (stop > last_end ? ": a client keeps a cached ticket until it expires (up to the ticket lifetime) or "
                                 "klist purge, and a negative SPN cache entry for its lifetime "
                                 "[kerberos-rules R2.9, R1.6]."
                               : ".");
    write_wrapped(out, "", 0, when);
  } else {
    write_wrapped(out, "", 0,
                  paint.red("Failures had not stopped") + " by the end of the rehearsal (" + clock(r.duration) +
                      "), well after every ticket cached before the last step expired: in this order the "
                      "rollout leaves requests failing.");
  }
  if (!r.errors.empty()) {
    std::string errors;
    for (const auto& e : r.errors) errors += (errors.empty() ? "" : " · ") + e.name + " " + grouped(e.count);
    write_wrapped(out, paint.bold("Errors") + "  ", 8, errors);
  }
  out << '\n' << paint.bold("Notes") << '\n';
  for (const auto& n : r.notes) write_wrapped(out, "  - ", 4, n);
}

void print_rehearsal_json(const RehearsalReport& report, std::ostream& out) { out << to_value(report).dump(2) << '\n'; }

}  // namespace kerbsim
