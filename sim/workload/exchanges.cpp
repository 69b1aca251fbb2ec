#include "workload/exchanges.h"

#include "directory/names.h"

namespace kerbsim::workload {

namespace {

int working_calls(const std::vector<HopOutcome>& hops) {
  int n = 0;
  for (const auto& h : hops) n += (h.result == HopResult::Ok ? 1 : 0) + working_calls(h.hops);
  return n;
}

}  // namespace

ExchangeCounts count_exchanges(const PathOutcome& path, const std::string& client) {
  ExchangeCounts c;
  for (const auto& s : path.steps) {
    const bool from_client = directory::iequals(s.from, client);
    if (s.kind == StepKind::AsExchange) ++(from_client ? c.client_as : c.server_kdc);
    if (s.kind == StepKind::TgsExchange) ++(from_client ? c.client_tgs : c.server_kdc);
    if (s.action == StepAction::NetlogonPassThrough) c.passthrough.push_back(s.from);
    if (from_client && (s.kind == StepKind::Http || s.kind == StepKind::ApExchange || s.kind == StepKind::Sql ||
                        (s.kind == StepKind::Ntlm && !directory::iequals(s.to, s.from))))
      ++c.round_trips;
  }
  c.hops_ok = working_calls(path.hops);
  return c;
}

}  // namespace kerbsim::workload
