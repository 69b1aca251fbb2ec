// Which member a load balancer sends a new connection to: affinity first (cookie, source IP), then
// round robin, least connections, source-IP hash or a random member (iis-rules 5.6).
#include <catch2/catch.hpp>

#include <vector>

#include "engine/random.h"
#include "net/load_balancer.h"

using namespace kerbsim::net;
using kerbsim::engine::Rng;

namespace {

LoadBalancer balancer(LbAlgorithm algorithm, LbAffinity affinity = LbAffinity::None) {
  LoadBalancer lb;
  lb.name = "web-vip";
  lb.algorithm = algorithm;
  lb.affinity = affinity;
  return lb;
}

const std::vector<LbMember> kThree = {{11, 0}, {12, 0}, {13, 0}};

}  // namespace

TEST_CASE("round robin takes the members in turn, counting connections across changes of the set", "[lb]") {
  const auto lb = balancer(LbAlgorithm::RoundRobin);
  LbState state;
  Rng rng(1);
  LbClient client;
  std::vector<std::uint16_t> got(4);
  for (auto& member : got) member = choose_member(lb, state, kThree, client, rng);
  CHECK(got == std::vector<std::uint16_t>{11, 12, 13, 11});
  const std::vector<LbMember> two = {{11, 0}, {13, 0}};     // 12 went down
  CHECK(choose_member(lb, state, two, client, rng) == 11);  // the fifth connection: 4 % 2
  CHECK(state.next == 5);
}

TEST_CASE("least connections takes the first member holding the fewest", "[lb]") {
  const auto lb = balancer(LbAlgorithm::LeastConnections);
  LbState state;
  Rng rng(1);
  LbClient client;
  CHECK(choose_member(lb, state, std::vector<LbMember>{{11, 3}, {12, 1}, {13, 1}}, client, rng) == 12);
  CHECK(choose_member(lb, state, std::vector<LbMember>{{11, 0}, {12, 0}}, client, rng) == 11);
}

TEST_CASE("a source-IP hash sends one address to one member, whatever the algorithm's state", "[lb]") {
  for (const auto& lb :
       {balancer(LbAlgorithm::SourceIpHash), balancer(LbAlgorithm::RoundRobin, LbAffinity::SourceIp)}) {
    LbState state;
    Rng rng(1);
    LbClient client{.address = 42};
    const auto first = choose_member(lb, state, kThree, client, rng);
    for (int i = 0; i < 5; ++i) CHECK(choose_member(lb, state, kThree, client, rng) == first);
    CHECK(state.next == 0);
    CHECK(client.cookie == LbClient::kNoCookie);
  }
}

TEST_CASE("a cookie pins the client to the member it first reached while that member is up", "[lb]") {
  const auto lb = balancer(LbAlgorithm::RoundRobin, LbAffinity::Cookie);
  LbState state;
  Rng rng(1);
  LbClient client;
  CHECK(choose_member(lb, state, kThree, client, rng) == 11);
  CHECK(client.cookie == 11);
  CHECK(choose_member(lb, state, kThree, client, rng) == 11);
  CHECK(state.next == 1);  // a pinned connection is not the algorithm's
  const std::vector<LbMember> without_11 = {{12, 0}, {13, 0}};
  CHECK(choose_member(lb, state, without_11, client, rng) == 13);  // round robin's second connection: 1 % 2
  CHECK(client.cookie == 13);
}

TEST_CASE("a random balancer draws once per unpinned connection, and the others never draw", "[lb]") {
  Rng rng(7), same(7);
  LbState state;
  LbClient client;
  const auto chosen = choose_member(balancer(LbAlgorithm::Random), state, kThree, client, rng);
  CHECK(chosen == kThree[same.below(3)].id);
  for (const auto algorithm : {LbAlgorithm::RoundRobin, LbAlgorithm::LeastConnections, LbAlgorithm::SourceIpHash})
    choose_member(balancer(algorithm), state, kThree, client, rng);
  CHECK(rng.next() == same.next());
}
