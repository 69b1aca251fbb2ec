// The delegation graph (analysis/delegation_graph) and its chains (analysis/delegation_chains) on a
// forest written for them: the edges each setting makes, the names a query may use, chains through a
// middle tier, cycles, SPNs nobody holds, chains to a target, and the KDC's check of each.
#include "analysis/delegation_graph.h"

#include <algorithm>
#include <boost/range/iterator_range.hpp>
#include <catch2/catch.hpp>

#include "analysis/delegation_chains.h"
#include "support/delegation_world.h"

using namespace kerbsim;
using namespace kerbsim::analysis;

namespace {

// The kinds of the edges from the vertex named `from` to the one named `to`.
std::vector<EdgeKind> edges(const DelegationGraph& g, const std::string& from, const std::string& to) {
  std::vector<EdgeKind> out;
  const auto f = g.find(from);
  const auto t = g.find(to);
  REQUIRE(f);
  REQUIRE(t);
  for (const auto e : boost::make_iterator_range(boost::out_edges(*f, g.graph())))
    if (boost::target(e, g.graph()) == *t) out.push_back(g.graph()[e].kind);
  return out;
}

const Chain* chain_to(const std::vector<Chain>& chains, const DelegationGraph& g, const std::string& last_target) {
  for (const auto& c : chains)
    if (g.node(c.hops.back().target).name == last_target) return &c;
  return nullptr;
}

}  // namespace

TEST_CASE("each delegation setting is an edge of its kind, with its rule and conditions", "[graph]") {
  const auto env = test::delegation_world();
  const DelegationGraph g(env);
  CHECK(edges(g, "CORP\\svc-kcd", "MSSQLSvc/sql.corp.contoso.com:1433") == std::vector{EdgeKind::Constrained});
  CHECK(edges(g, "CORP\\svc-pt", "MSSQLSvc/sql.corp.contoso.com:1433") == std::vector{EdgeKind::ProtocolTransition});
  CHECK(edges(g, "CORP\\svc-unc", "any service") == std::vector{EdgeKind::Unconstrained});
  CHECK(edges(g, "CORP\\svc-front", "CORP\\svc-rbcd") == std::vector{EdgeKind::ResourceBased});
  CHECK(edges(g, "MSSQLSvc/sql.corp.contoso.com:1433", "CORP\\svc-sql") == std::vector{EdgeKind::HoldsSpn});
  CHECK(edges(g, "CORP\\dave", "Protected Users") == std::vector{EdgeKind::MemberOf});
  // Every DC's account is trusted for unconstrained delegation (kerberos-rules R3.0).
  CHECK(edges(g, "CORP\\DC1$", "any service") == std::vector{EdgeKind::Unconstrained});

  const auto kcd = g.find("CORP\\svc-kcd");
  for (const auto e : boost::make_iterator_range(boost::out_edges(*kcd, g.graph()))) {
    CHECK(std::string(g.graph()[e].rule) == "kerberos-rules R3.2.3");
    CHECK((g.graph()[e].conditions & kKerberosFrontEnd) != 0);
    CHECK((g.graph()[e].conditions & kSameDomain) != 0);
  }
  const auto pt = g.find("CORP\\svc-pt");
  for (const auto e : boost::make_iterator_range(boost::out_edges(*pt, g.graph())))
    CHECK((g.graph()[e].conditions & kKerberosFrontEnd) == 0);
}

TEST_CASE("a query finds an account by its canonical name or sAMAccountName, an SPN in any case", "[graph]") {
  const auto env = test::delegation_world();
  const DelegationGraph g(env);
  CHECK(g.find("CORP\\svc-kcd") == g.find("svc-kcd"));
  CHECK(g.find("corp\\SVC-KCD") == g.find("svc-kcd"));
  CHECK(g.find("mssqlsvc/SQL.corp.contoso.com:1433") == g.find("MSSQLSvc/sql.corp.contoso.com:1433"));
  CHECK(!g.find("CORP\\nobody"));
  // An SPN nobody holds but a delegation setting names is a vertex with no holder.
  const auto orphan = g.find("HTTP/nobody.corp.contoso.com");
  REQUIRE(orphan);
  CHECK(boost::out_degree(*orphan, g.graph()) == 0);
}

TEST_CASE("chains from a front end follow a middle tier that delegates onward", "[graph]") {
  const auto env = test::delegation_world();
  const DelegationGraph g(env);
  const auto chains = chains_from(g, *g.find("svc-web"));
  REQUIRE(chains.size() == 1);
  const Chain& c = chains.front();
  REQUIRE(c.hops.size() == 2);
  CHECK(g.node(*c.hops[0].owner).name == "CORP\\svc-mid");
  CHECK(g.node(c.hops[1].service).name == "CORP\\svc-mid");
  CHECK(g.node(*c.hops[1].owner).name == "CORP\\svc-sql2");
  // The front end's Kerberos-only setting decides how the user must arrive; the middle tier holds
  // a forwardable S4U2Proxy ticket (kerberos-rules R3.2.4).
  CHECK((c.conditions & kKerberosFrontEnd) != 0);
  CHECK(check_chain(env, g, c, "CORP\\alice").ok);
  CHECK(!check_chain(env, g, c, "CORP\\carol").ok);
}

TEST_CASE("two accounts that delegate to each other make a chain that ends, not a loop", "[graph]") {
  const auto env = test::delegation_world();
  const DelegationGraph g(env);
  const auto chains = chains_from(g, *g.find("svc-a"));
  REQUIRE(chains.size() == 1);
  // svc-a to svc-b, and svc-b back to svc-a, where it stops: svc-a already delegated in this chain.
  REQUIRE(chains.front().hops.size() == 2);
  CHECK(g.node(*chains.front().hops[0].owner).name == "CORP\\svc-b");
  CHECK(g.node(*chains.front().hops[1].owner).name == "CORP\\svc-a");
}

TEST_CASE("a delegation to an SPN nobody holds is a chain with no owner, which the KDC refuses", "[graph]") {
  const auto env = test::delegation_world();
  const DelegationGraph g(env);
  const auto chains = chains_from(g, *g.find("svc-orphan"));
  REQUIRE(chains.size() == 1);
  CHECK(!chains.front().hops.front().owner);
  const auto r = check_chain(env, g, chains.front(), "CORP\\alice");
  CHECK(!r.ok);
  CHECK(r.error == kerberos::KrbError::KDC_ERR_S_PRINCIPAL_UNKNOWN);
}

TEST_CASE("chains to an account: every setting that reaches it, unconstrained delegation included", "[graph]") {
  const auto env = test::delegation_world();
  const DelegationGraph g(env);
  const auto chains = chains_to(g, {*g.find("CORP\\svc-sql")});
  std::vector<std::string> fronts;
  fronts.reserve(chains.size());
  for (const auto& c : chains) fronts.push_back(g.node(c.hops.front().service).name);
  CHECK(std::count(fronts.begin(), fronts.end(), "CORP\\svc-kcd") == 1);
  CHECK(std::count(fronts.begin(), fronts.end(), "CORP\\svc-pt") == 1);
  CHECK(std::count(fronts.begin(), fronts.end(), "CORP\\svc-unc") == 1);
  CHECK(std::count(fronts.begin(), fronts.end(), "CORP\\svc-web") == 0);  // it reaches svc-sql2, not svc-sql
  const auto* pt = chain_to(chains, g, "MSSQLSvc/sql.corp.contoso.com:1433");
  REQUIRE(pt);
}

TEST_CASE("the KDC decides each chain: KCD into a child domain is refused, resource-based is not", "[graph]") {
  const auto env = test::delegation_world();
  const DelegationGraph g(env);
  const auto child = chains_from(g, *g.find("svc-child"));
  REQUIRE(child.size() == 1);
  CHECK(!check_chain(env, g, child.front(), "CORP\\alice").ok);
  const auto rbcd = chains_from(g, *g.find("svc-front"));
  REQUIRE(rbcd.size() == 1);
  CHECK(rbcd.front().hops.front().kind == EdgeKind::ResourceBased);
  CHECK(check_chain(env, g, rbcd.front(), "CORP\\alice").ok);
  CHECK(!check_chain(env, g, rbcd.front(), "CORP\\dave").ok);
}

TEST_CASE("the ordinary user to check chains with is enabled, delegable and holds no SPN", "[graph]") {
  const auto env = test::delegation_world();
  CHECK(ordinary_user(env) == "CORP\\alice");
}

TEST_CASE("reachable_from: the accounts and SPNs a front end's delegation reaches, through a middle tier", "[graph]") {
  const auto env = test::delegation_world();
  const DelegationGraph g(env);
  std::vector<std::string> names;
  for (const auto v : reachable_from(g, *g.find("svc-web"))) names.push_back(g.node(v).name);
  CHECK(names == std::vector<std::string>{"CORP\\svc-web", "HTTP/mid.corp.contoso.com", "CORP\\svc-mid",
                                          "MSSQLSvc/sql2.corp.contoso.com:1433", "CORP\\svc-sql2"});
  CHECK(reachable_from(g, *g.find("alice")).size() == 1);  // alice delegates nothing
}
