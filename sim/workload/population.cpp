// The population: users spread over the flows, each in a share of the group counts, logging on
// evenly over Workload::logon_spread and then asking as a Poisson process at
// Workload::requests_per_user_per_hour.
#include <cstddef>
#include <cstdint>

#include "workload/simulator_run.h"

namespace kerbsim::workload {

using engine::kHour;
using engine::SimTime;

// Every user's flow and group share, and its first request.
void Simulator::log_on() {
  const SimTime d = w_.duration;
  mean_think_ = static_cast<double>(kHour) / w_.requests_per_user_per_hour;
  if (!flows_.empty()) {
    users_.resize(static_cast<std::size_t>(w_.users));
    for (auto& p : probes_)
      if (p.wants_users) p.users.assign(users_.size(), 0);
    for (std::size_t u = 0; u < users_.size(); ++u) {
      users_[u].flow = static_cast<std::uint16_t>(u % flows_.size());
      users_[u].groups = group_class();
      const auto start = static_cast<SimTime>(logons_.uniform() * static_cast<double>(w_.logon_spread));
      if (start < d) sim_.schedule_at(start, &Simulator::on_request, u);
    }
  }
}

// The user's next request, one exponential think time after `t`, if it falls before the end.
void Simulator::think(std::uint32_t u, SimTime t) {
  // The gap is compared as a number before it becomes a time, so no rate can overflow the clock.
  const double gap = arrivals_.exponential(mean_think_) + 1;
  if (gap < static_cast<double>(w_.duration - t))
    sim_.schedule_at(t + static_cast<SimTime>(gap), &Simulator::on_request, u);
}

// Which share of the population a new user falls in (Workload::group_counts).
std::uint8_t Simulator::group_class() {
  if (w_.group_counts.size() < 2) return 0;
  double total = 0;
  for (const auto& g : w_.group_counts) total += g.share;
  double x = logons_.uniform() * total;
  for (std::size_t i = 0; i < w_.group_counts.size(); ++i) {
    x -= w_.group_counts[i].share;
    if (x < 0) return static_cast<std::uint8_t>(i);
  }
  return static_cast<std::uint8_t>(w_.group_counts.size() - 1);
}

}  // namespace kerbsim::workload
