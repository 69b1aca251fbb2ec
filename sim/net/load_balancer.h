// A load balancer in front of a farm: a virtual IP and its members. Which member a request reaches
// is the question; a trace follows every member, the simulation asks choose_member (iis-rules 5.1-5.7).
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "engine/random.h"

namespace kerbsim::net {

enum class LbAlgorithm { RoundRobin, LeastConnections, SourceIpHash, Random };
enum class LbAffinity { None, SourceIp, Cookie };

struct LoadBalancer {
  std::string name;
  std::string vip;
  std::vector<std::string> members;  // host names
  LbAlgorithm algorithm = LbAlgorithm::RoundRobin;
  LbAffinity affinity = LbAffinity::None;
  int layer = 4;  // 4 keeps client connections intact; 7 re-pools them (breaks NTLM, iis-rules 5.7)
};

// A member in service, as a new connection finds it.
struct LbMember {
  std::uint16_t id = 0;                // the caller's name for the member (the simulation's host index)
  std::uint64_t open_connections = 0;  // what LbAlgorithm::LeastConnections compares
};

// What a running balancer remembers between connections.
struct LbState {
  std::uint64_t next = 0;  // round robin: the connections placed so far
};

// The client of a new connection, as the balancer tells clients apart.
struct LbClient {
  static constexpr std::uint16_t kNoCookie = 0xFFFF;
  std::uint64_t address = 0;         // what source-IP affinity and LbAlgorithm::SourceIpHash hash
  std::uint16_t cookie = kNoCookie;  // the member its affinity cookie names; set when the balancer pins it
};

// Which member a new connection reaches, by its id. `up`: the members in service, in the balancer's
// order; not empty. Affinity first (iis-rules 5.6): a cookie pins the client to the member it first
// reached while that member is up; a source-IP hash sends each address to the same member while the
// set of members is stable. Draws from `rng` only for LbAlgorithm::Random, once.
std::uint16_t choose_member(const LoadBalancer& lb, LbState& state, std::span<const LbMember> up, LbClient& client,
                            engine::Rng& rng);

}  // namespace kerbsim::net
