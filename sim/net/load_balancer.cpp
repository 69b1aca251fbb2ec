// A balancer's choice of member for a new connection: affinity (cookie, source IP), then the
// algorithm (round robin, least connections, source-IP hash, random) (iis-rules 5.6).
#include "net/load_balancer.h"

#include <cassert>

namespace kerbsim::net {

std::uint16_t choose_member(const LoadBalancer& lb, LbState& state, std::span<const LbMember> up, LbClient& client,
                            engine::Rng& rng) {
  assert(!up.empty());
  if (lb.affinity == LbAffinity::Cookie && client.cookie != LbClient::kNoCookie)
    for (const auto& m : up)
      if (m.id == client.cookie) return m.id;
  std::uint16_t chosen = up.front().id;
  if (lb.affinity == LbAffinity::SourceIp || lb.algorithm == LbAlgorithm::SourceIpHash) {
    std::uint64_t h = client.address * 0x9E3779B97F4A7C15ULL;
    h ^= h >> 29;
    chosen = up[h % up.size()].id;
  } else if (lb.algorithm == LbAlgorithm::RoundRobin) {
    chosen = up[state.next++ % up.size()].id;
  } else if (lb.algorithm == LbAlgorithm::LeastConnections) {
    std::uint64_t fewest = up.front().open_connections;
    for (const auto& m : up)
      if (m.open_connections < fewest) {
        chosen = m.id;
        fewest = m.open_connections;
      }
  } else {
    chosen = up[rng.below(up.size())].id;
  }
  if (lb.affinity == LbAffinity::Cookie) client.cookie = chosen;
  return chosen;
}

}  // namespace kerbsim::net
