// `kerbsim graph` against the traces of the whole bundled library: every hop a trace delegates for a
// user is a chain the graph finds and the KDCs issue for that user, to the account the hop reached;
// every delegation the trace sees refused is refused in the graph too.
#include <algorithm>
#include <catch2/catch.hpp>
#include <filesystem>
#include <functional>
#include <string>

#include "kerbsim/kerbsim.h"

using namespace kerbsim;

namespace {

std::string scenario_file(const std::string& name) {
  return std::string(KERBSIM_SOURCE_DIR) + "/scenarios/" + name + ".json";
}

// Does the graph's delegation kind stand for the trace's? With a Kerberos front end the trace calls a
// protocol-transition account's S4U2Proxy plain constrained delegation (the evidence is the user's ticket).
bool same_kind(Delegation traced, GraphEdgeKind edge) {
  switch (traced) {
    case Delegation::Unconstrained:
      return edge == GraphEdgeKind::Unconstrained;
    case Delegation::Constrained:
      return edge == GraphEdgeKind::Constrained || edge == GraphEdgeKind::ProtocolTransition;
    case Delegation::ProtocolTransition:
      return edge == GraphEdgeKind::ProtocolTransition;
    case Delegation::ResourceBased:
      return edge == GraphEdgeKind::ResourceBased;
    case Delegation::None:
      break;
  }
  return false;
}

// Is there a chain to the SPN the KDCs issued for the user, with a hop of this kind?
bool issued(const GraphReport& r, Delegation kind) {
  for (const auto& c : r.chains) {
    if (!c.check || !c.check->ok) continue;
    for (const auto& h : c.hops)
      if (same_kind(kind, h.kind)) return true;
  }
  return false;
}

void each_hop(const std::vector<HopOutcome>& hops, const std::function<void(const HopOutcome&)>& visit) {
  for (const auto& h : hops) {
    visit(h);
    each_hop(h.hops, visit);
  }
}

}  // namespace

TEST_CASE("every delegated hop of every bundled trace is a chain the graph finds and the KDCs issue", "[graph]") {
  int delegated = 0;
  for (const auto& entry : std::filesystem::directory_iterator(std::string(KERBSIM_SOURCE_DIR) + "/scenarios")) {
    if (entry.path().extension() != ".json") continue;
    const auto scenario = Scenario::load(entry.path().string());
    for (const auto& flow : scenario->trace().flows)
      for (const auto& path : flow.paths) {
        if (!path.front.identity || path.front.identity->find('\\') == std::string::npos) continue;
        const std::string user = *path.front.identity;
        each_hop(path.hops, [&](const HopOutcome& hop) {
          if (hop.delegation == Delegation::None || hop.result != HopResult::Ok) return;
          INFO(entry.path().filename().string()
               << ": \"" << flow.flow << "\" via " << path.via.value_or("-") << ", hop to " << hop.to << " ("
               << to_string(hop.delegation) << ") as " << user);
          ++delegated;
          const GraphReport graph = scenario->graph({GraphQuery::To, hop.service, user});
          REQUIRE(graph.problem.empty());
          CHECK(issued(graph, hop.delegation));
        });
      }
  }
  CHECK(delegated >= 8);
}

TEST_CASE("graph --from follows a linked-server chain through the middle tier, as the trace does", "[graph]") {
  const auto s = Scenario::load(scenario_file("double-hop-linked-server"));
  const GraphReport r = s->graph({GraphQuery::From, "svc-web", ""});
  REQUIRE(r.problem.empty());
  CHECK(r.subject == "CORP\\svc-web");
  REQUIRE(r.chains.size() == 1);
  const auto& c = r.chains.front();
  REQUIRE(c.hops.size() == 2);
  CHECK(c.hops[0].owner == "CORP\\svc-sql1");
  CHECK(c.hops[1].service == "CORP\\svc-sql1");
  CHECK(c.hops[1].target == "MSSQLSvc/sql2.corp.contoso.com:1433");
  CHECK((c.conditions & kKerberosFrontEnd) != 0);
  REQUIRE(c.check);
  CHECK(c.check->ok);
  CHECK(c.check->user == "CORP\\alice");
}

TEST_CASE("classic constrained delegation into a child domain is refused by the KDC, resource-based works", "[graph]") {
  const auto s = Scenario::load(scenario_file("double-hop-cross-domain-kcd-vs-rbcd"));
  const GraphReport r = s->graph({GraphQuery::From, "CORP\\svc-web", ""});
  REQUIRE(r.chains.size() == 2);
  for (const auto& c : r.chains) {
    REQUIRE(c.check);
    if (c.hops.front().kind == GraphEdgeKind::Constrained) {
      CHECK(!c.check->ok);
      CHECK(c.check->error == "KDC_ERR_BADOPTION");
      CHECK(c.check->rule == "kerberos-rules R3.2.3");
    } else {
      CHECK(c.hops.front().kind == GraphEdgeKind::ResourceBased);
      CHECK(c.check->ok);
    }
  }
}

TEST_CASE("a sensitive user's identity travels nowhere: every chain is refused, with the KDC's reason", "[graph]") {
  const auto s = Scenario::load(scenario_file("double-hop-sensitive-user"));
  const GraphReport r = s->graph({GraphQuery::User, "alice", ""});
  REQUIRE(!r.chains.empty());
  for (const auto& c : r.chains) {
    REQUIRE(c.check);
    CHECK(!c.check->ok);
  }
  CHECK(r.chains.front().check->status == "STATUS_ACCOUNT_RESTRICTION");
}

TEST_CASE("graph --to a host lists the chains that reach its services, domain controllers last", "[graph]") {
  const auto s = Scenario::load(scenario_file("double-hop-protocol-transition"));
  const GraphReport r = s->graph({GraphQuery::To, "sql1", ""});
  REQUIRE(r.chains.size() == 2);
  CHECK(r.chains[0].hops.front().kind == GraphEdgeKind::ProtocolTransition);
  CHECK((r.chains[0].conditions & kKerberosFrontEnd) == 0);
  CHECK(r.chains[1].hops.front().domain_controller);
}

TEST_CASE("a graph query names nothing: a problem, not chains", "[graph]") {
  const auto s = Scenario::load(scenario_file("double-hop-rbcd"));
  CHECK(!s->graph({GraphQuery::From, "CORP\\nobody", ""}).problem.empty());
  CHECK(!s->graph({GraphQuery::To, "HTTP/nowhere.corp.contoso.com", ""}).problem.empty());
  CHECK(!s->graph({GraphQuery::User, "CORP\\SQL1$", ""}).problem.empty());  // a computer, not a user
}

TEST_CASE("the graph shows what brings users to a chain: the URL that reaches each node, the call to SQL Server",
          "[graph]") {
  const auto s = Scenario::load(scenario_file("ssrs-farm-double-hop"));
  const GraphReport r = s->graph({GraphQuery::From, "svc-reports", ""});
  REQUIRE(r.chains.size() == 1);
  const auto name = [&](const std::string& id) {
    for (const auto& n : r.nodes)
      if (n.id == id) return n.name;
    return std::string();
  };
  std::vector<std::string> reaches, calls;
  for (const auto& e : r.edges) {
    if (e.kind == GraphEdgeKind::Reaches) reaches.push_back(name(e.from) + " -> " + name(e.to));
    if (e.kind == GraphEdgeKind::Calls) {
      calls.push_back(name(e.from) + " -> " + name(e.to));
      CHECK((e.conditions & kAsCaller) != 0);
    }
  }
  std::sort(reaches.begin(), reaches.end());
  std::sort(calls.begin(), calls.end());
  CHECK(reaches == std::vector<std::string>{"http://reports.corp.contoso.com/Reports -> web1: SSRS",
                                            "http://reports.corp.contoso.com/Reports -> web2: SSRS"});
  CHECK(calls == std::vector<std::string>{"web1: SSRS -> sql1: SQL Server MSSQLSERVER",
                                          "web2: SSRS -> sql1: SQL Server MSSQLSERVER"});
}
