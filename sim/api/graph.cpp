// `kerbsim graph`: the delegation graph of the scenario's environment, the chains a query asks for,
// each checked at the KDCs for one user, and the part of the graph they run over.
#include <algorithm>
#include <boost/range/iterator_range.hpp>
#include <map>
#include <set>

#include "analysis/delegation_chains.h"
#include "analysis/delegation_graph.h"
#include "api/graph_report.h"
#include "api/scenario_impl.h"
#include "directory/names.h"
#include "kerberos/errors.h"

namespace kerbsim {
namespace {

using analysis::DelegationGraph;
using analysis::Vertex;

bool is_account(const analysis::Node& n) {
  return n.kind == GraphNodeKind::User || n.kind == GraphNodeKind::Computer || n.kind == GraphNodeKind::Gmsa;
}

// The nodes and edges a report shows, each once, with ids in the order first met.
class Subgraph {
 public:
  Subgraph(const farm::Environment& env, const DelegationGraph& g) : env_(env), g_(g) {}

  std::string id(Vertex v) {
    const auto [it, added] = ids_.emplace(v, "n" + std::to_string(ids_.size()));
    if (added) nodes_.push_back(v);
    return it->second;
  }

  void edge(Vertex from, Vertex to, GraphEdgeKind kind) {
    const auto& graph = g_.graph();
    for (const auto e : boost::make_iterator_range(boost::out_edges(from, graph)))
      if (boost::target(e, graph) == to && graph[e].kind == kind && seen_.insert(e).second) {
        edges_.push_back({id(from), id(to), kind, graph[e].conditions, graph[e].rule});
        return;
      }
  }

  // A chain's hops, and the services that run as the accounts it passes through.
  void chain(const analysis::Chain& c) {
    for (const auto& h : c.hops) {
      edge(h.service, h.target, h.kind);
      if (h.owner && *h.owner != h.target) edge(h.target, *h.owner, GraphEdgeKind::HoldsSpn);
      runs_as(h.service);
      if (h.owner) runs_as(*h.owner);
    }
  }

  // What brings users to the services shown: the URLs that reach them and the services that call them.
  void farm_context() {
    const auto& graph = g_.graph();
    const std::vector<Vertex> shown = nodes_;
    for (const auto v : shown) {
      if (g_.node(v).kind != GraphNodeKind::Service) continue;
      for (const auto e : boost::make_iterator_range(boost::in_edges(v, graph)))
        if (graph[e].kind == GraphEdgeKind::Reaches || graph[e].kind == GraphEdgeKind::Calls)
          edge(boost::source(e, graph), v, graph[e].kind);
    }
  }

  void write(GraphReport& r) const {
    for (const auto v : nodes_) {
      const analysis::Node& n = g_.node(v);
      GraphNode out;
      out.id = ids_.at(v);
      out.kind = n.kind;
      out.name = n.name;
      if (n.account) {
        const auto& a = env_.directory.account(*n.account);
        out.domain = a.domain;
        out.enabled = a.enabled;
        out.sensitive = a.sensitive;
        out.protected_user = a.protected_user();
        out.domain_controller = a.domain_controller;
      }
      r.nodes.push_back(std::move(out));
    }
    r.edges = edges_;
  }

 private:
  void runs_as(Vertex account) {
    const auto& graph = g_.graph();
    for (const auto e : boost::make_iterator_range(boost::in_edges(account, graph)))
      if (graph[e].kind == GraphEdgeKind::RunsAs) edge(boost::source(e, graph), account, GraphEdgeKind::RunsAs);
  }

  const farm::Environment& env_;
  const DelegationGraph& g_;
  std::map<Vertex, std::string> ids_;
  std::vector<Vertex> nodes_;
  std::set<analysis::Csr::edge_descriptor> seen_;
  std::vector<GraphEdge> edges_;
};

ChainCheck checked(const analysis::Chain& chain, const farm::Environment& env, const DelegationGraph& g,
                   const std::string& user) {
  const flow::WalkResult w = analysis::check_chain(env, g, chain, user);
  ChainCheck c;
  c.user = user;
  c.ok = w.ok;
  c.hops_done = w.hops_done;
  if (w.error != kerberos::KrbError::None) c.error = kerberos::error_name(w.error);
  if (w.status != kerberos::NtStatus::None) c.status = kerberos::status_name(w.status);
  c.failed_at = w.failed_at;
  c.why = w.why;
  c.rule = w.rule;
  return c;
}

DelegationChain chain_out(const analysis::Chain& chain, const farm::Environment& env, const DelegationGraph& g) {
  DelegationChain out;
  out.conditions = chain.conditions;
  for (const auto& h : chain.hops) {
    ChainHop hop;
    hop.service = g.node(h.service).name;
    if (const auto& id = g.node(h.service).account)
      hop.domain_controller = env.directory.account(*id).domain_controller;
    hop.kind = h.kind;
    hop.target = g.node(h.target).name;
    if (h.owner) hop.owner = g.node(*h.owner).name;
    const auto& graph = g.graph();
    for (const auto e : boost::make_iterator_range(boost::out_edges(h.service, graph)))
      if (boost::target(e, graph) == h.target && graph[e].kind == h.kind) hop.rule = graph[e].rule;
    out.hops.push_back(std::move(hop));
  }
  return out;
}

}  // namespace

namespace api {

GraphReport graph_report(const farm::Environment& env, const std::string& scenario, const std::string& title,
                         const GraphRequest& request) {
  GraphReport report;
  report.scenario = scenario;
  report.title = title;
  report.request = request;
  const DelegationGraph g(env);
  report.graph_nodes = g.node_count();
  report.graph_edges = g.edge_count();

  const auto subject = g.find(request.subject);
  std::vector<analysis::Chain> chains;
  std::optional<std::string> user;
  switch (request.query) {
    case GraphQuery::All:
      chains = analysis::all_chains(g);
      user = analysis::ordinary_user(env);
      if (chains.empty()) report.none = "no account of " + report.scenario + " is trusted for any kind of delegation";
      break;
    case GraphQuery::From:
      if (!subject || !is_account(g.node(*subject))) {
        report.problem = "no account named \"" + request.subject + "\" (give DOMAIN\\name or a sAMAccountName)";
        return report;
      }
      report.subject = g.node(*subject).name;
      chains = analysis::chains_from(g, *subject);
      user = analysis::ordinary_user(env);
      if (chains.empty())
        report.none = report.subject + " has no delegation setting: it can impersonate nobody to another service";
      break;
    case GraphQuery::To: {
      std::vector<Vertex> targets;
      if (subject && (g.node(*subject).kind == GraphNodeKind::Spn || is_account(g.node(*subject)))) {
        targets.push_back(*subject);
        report.subject = g.node(*subject).name;
        // A ticket for one SPN of an account serves all of them: the Ticket's sname lies outside its
        // encrypted part (RFC 4120 5.3), so a holder can rewrite it. Reaching the owner reaches the SPN.
        for (const auto e : boost::make_iterator_range(boost::out_edges(*subject, g.graph())))
          if (g.graph()[e].kind == GraphEdgeKind::HoldsSpn) targets.push_back(boost::target(e, g.graph()));
      } else if (env.host(request.subject)) {
        targets = g.host_accounts(request.subject);
        report.subject = env.host(request.subject)->name;
      } else {
        report.problem = "no SPN, account or host named \"" + request.subject + "\"";
        return report;
      }
      chains = analysis::chains_to(g, targets);
      user = analysis::ordinary_user(env);
      if (chains.empty()) report.none = "no delegation setting reaches " + report.subject;
      break;
    }
    case GraphQuery::User:
      if (!subject || g.node(*subject).kind != GraphNodeKind::User) {
        report.problem = "no user account named \"" + request.subject + "\"";
        return report;
      }
      report.subject = g.node(*subject).name;
      user = report.subject;
      chains = analysis::all_chains(g);
      if (chains.empty())
        report.none = "no account is trusted for delegation, so " + report.subject +
                      "'s identity goes no further than the services it signs in to";
      break;
  }

  // Domain controllers are trusted for unconstrained delegation by default (kerberos-rules R3.0): their
  // chains come after the ones an admin configured.
  const auto dc_first_hop = [&](const analysis::Chain& c) {
    const auto& n = g.node(c.hops.front().service);
    return n.account && env.directory.account(*n.account).domain_controller;
  };
  std::stable_partition(chains.begin(), chains.end(), [&](const analysis::Chain& c) { return !dc_first_hop(c); });
  if (request.query != GraphQuery::User && !request.as.empty()) {
    const auto as = g.find(request.as);
    if (!as || g.node(*as).kind != GraphNodeKind::User) {
      report.problem = "no user account named \"" + request.as + "\" to check the chains with";
      return report;
    }
    user = g.node(*as).name;
  }
  Subgraph shown(env, g);
  for (const auto& c : chains) {
    if (report.chains.size() == kMaxListedChains) {
      ++report.more;
      continue;
    }
    DelegationChain out = chain_out(c, env, g);
    if (user) out.check = checked(c, env, g, *user);
    shown.chain(c);
    report.chains.push_back(std::move(out));
  }
  // A user's report lists first where the identity travels, then where the KDC stops it.
  if (request.query == GraphQuery::User)
    std::stable_partition(report.chains.begin(), report.chains.end(),
                          [](const DelegationChain& c) { return c.check && c.check->ok; });
  shown.farm_context();
  shown.write(report);
  return report;
}

}  // namespace api

GraphReport Scenario::graph(const GraphRequest& request) const {
  return api::graph_report(impl_->env, impl_->spec.name, impl_->spec.title, request);
}

}  // namespace kerbsim
