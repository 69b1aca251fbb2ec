// The delegation graph at directory scale: a directory of N accounts (1,000,000 unless given) built in
// memory, its delegation graph built once, then single-source reachability (analysis::reachable_from,
// which follows only delegation and holds-spn edges) against one bare Boost breadth-first search over
// every edge of the same compressed sparse row graph, from the same source. Best of alternating rounds
// (5 unless given) and the ratio; target: reachable_from at most 2x the bare BFS.
//
// The directory: 90% users, each a member of two of 1,000 groups; 10% service accounts, each holding
// HTTP/ and MSSQLSvc/ SPNs and a member of one group; four in five with constrained delegation to two
// other service accounts' SPNs (one in ten with protocol transition), one in a hundred named by another's
// resource-based delegation. Random but seeded: the same N gives the same graph.
// Usage: graph_bench [ACCOUNTS [ROUNDS]]
#include <algorithm>
#include <boost/graph/breadth_first_search.hpp>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>
#include <vector>

#include "analysis/delegation_chains.h"
#include "analysis/delegation_graph.h"
#include "farm/environment.h"

namespace {

using Clock = std::chrono::steady_clock;
using kerbsim::analysis::DelegationGraph;
using kerbsim::analysis::Vertex;

double seconds_since(Clock::time_point start) { return std::chrono::duration<double>(Clock::now() - start).count(); }

std::string service_name(std::size_t i) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "svc%07zu", i);
  return buf;
}

kerbsim::farm::Environment directory(std::size_t accounts) {
  kerbsim::farm::Environment env;
  kerbsim::directory::Domain d;
  d.dns = "corp.contoso.com";
  d.netbios = "CORP";
  d.forest = d.dns;
  env.directory.add_domain(d);
  std::mt19937_64 random(20261207);
  const std::size_t services = accounts / 10;
  const auto group = [&](std::size_t g) { return "group" + std::to_string(g % 1000); };
  for (std::size_t i = 0; i < services; ++i) {
    kerbsim::directory::Account a;
    a.sam = service_name(i);
    a.name = "CORP\\" + a.sam;
    a.domain = d.dns;
    a.spns = {"HTTP/" + a.sam + ".corp.contoso.com", "MSSQLSvc/" + a.sam + ".corp.contoso.com:1433"};
    a.groups = {group(random())};
    if (i % 5 != 4)
      for (int k = 0; k < 2; ++k) {
        const std::size_t to = random() % services;
        a.allowed_to_delegate_to.push_back((k ? "HTTP/" : "MSSQLSvc/") + service_name(to) + ".corp.contoso.com" +
                                           (k ? "" : ":1433"));
      }
    a.trusted_to_auth_for_delegation = i % 20 == 0;
    if (i % 100 == 1) a.allowed_to_act = {"CORP\\" + service_name(random() % services)};
    env.directory.add_account(std::move(a));
  }
  for (std::size_t i = services; i < accounts; ++i) {
    kerbsim::directory::Account a;
    char buf[32];
    std::snprintf(buf, sizeof buf, "user%07zu", i);
    a.sam = buf;
    a.name = "CORP\\" + a.sam;
    a.domain = d.dns;
    a.groups = {group(random()), group(random())};
    env.directory.add_account(std::move(a));
  }
  return env;
}

}  // namespace

int main(int argc, char** argv) {
  const std::size_t accounts = argc > 1 ? std::max<long long>(1000, std::atoll(argv[1])) : 1000000;
  const int rounds = argc > 2 ? std::max(1, std::atoi(argv[2])) : 5;

  auto start = Clock::now();
  const kerbsim::farm::Environment env = directory(accounts);
  const double directory_s = seconds_since(start);
  start = Clock::now();
  const DelegationGraph g(env);
  const double graph_s = seconds_since(start);
  std::printf("directory: %zu accounts in %.2f s; delegation graph: %zu nodes, %zu edges in %.2f s\n", accounts,
              directory_s, g.node_count(), g.edge_count(), graph_s);

  // The source: of the first 50 delegating service accounts, the one whose delegation reaches furthest.
  Vertex source = 0;
  std::size_t reach = 0;
  for (std::size_t i = 0; i < 100; i += 2) {
    const auto v = g.find("CORP\\" + service_name(i));
    if (!v) continue;
    const std::size_t n = kerbsim::analysis::reachable_from(g, *v).size();
    if (n > reach) {
      reach = n;
      source = *v;
    }
  }

  const auto& graph = g.graph();
  std::vector<boost::default_color_type> colors(g.node_count());
  std::size_t bare_reach = 0;
  struct Counter : boost::default_bfs_visitor {
    std::size_t* count;
    explicit Counter(std::size_t* c) : count(c) {}
    void discover_vertex(Vertex, const kerbsim::analysis::Csr&) const { ++*count; }
  };
  const auto bare = [&] {
    std::fill(colors.begin(), colors.end(), boost::white_color);
    bare_reach = 0;
    const auto t = Clock::now();
    boost::breadth_first_search(
        graph, source,
        boost::visitor(Counter(&bare_reach))
            .color_map(boost::make_iterator_property_map(colors.begin(), boost::get(boost::vertex_index, graph))));
    return seconds_since(t);
  };
  std::size_t ours_reach = 0;
  const auto ours = [&] {
    const auto t = Clock::now();
    ours_reach = kerbsim::analysis::reachable_from(g, source).size();
    return seconds_since(t);
  };
  bare();
  ours();  // warm-up
  double best_bare = 1e30, best_ours = 1e30;
  for (int r = 0; r < rounds; ++r) {
    best_bare = std::min(best_bare, bare());
    best_ours = std::min(best_ours, ours());
  }
  std::printf(
      "single source %s: reachable_from %zu vertices in %.5f s; bare BFS over every edge %zu vertices in "
      "%.5f s; ratio %.2fx (target <= 2x)\n",
      g.node(source).name.c_str(), ours_reach, best_ours, bare_reach, best_bare, best_ours / best_bare);
  return 0;
}
