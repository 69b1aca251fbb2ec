#include "analysis/delegation_graph.h"

#include <algorithm>
#include <utility>

#include "directory/names.h"
#include "farm/resolver.h"
#include "farm/service.h"

namespace kerbsim {

std::string to_string(GraphNodeKind k) {
  switch (k) {
    case GraphNodeKind::User:
      return "user";
    case GraphNodeKind::Computer:
      return "computer";
    case GraphNodeKind::Gmsa:
      return "gmsa";
    case GraphNodeKind::Group:
      return "group";
    case GraphNodeKind::Spn:
      return "spn";
    case GraphNodeKind::Service:
      return "service";
    case GraphNodeKind::AnyService:
      return "any-service";
    case GraphNodeKind::Url:
      return "url";
  }
  return "";
}

std::string to_string(GraphEdgeKind k) {
  switch (k) {
    case GraphEdgeKind::MemberOf:
      return "member-of";
    case GraphEdgeKind::HoldsSpn:
      return "holds-spn";
    case GraphEdgeKind::RunsAs:
      return "runs-as";
    case GraphEdgeKind::Unconstrained:
      return "unconstrained";
    case GraphEdgeKind::Constrained:
      return "constrained";
    case GraphEdgeKind::ProtocolTransition:
      return "protocol-transition";
    case GraphEdgeKind::ResourceBased:
      return "resource-based";
    case GraphEdgeKind::Reaches:
      return "reaches";
    case GraphEdgeKind::Calls:
      return "calls";
  }
  return "";
}

std::string condition_name(GraphCondition c) {
  switch (c) {
    case kKerberosFrontEnd:
      return "kerberos-front-end";
    case kClientDelegates:
      return "client-delegates";
    case kDelegableUser:
      return "delegable-user";
    case kSameDomain:
      return "same-domain";
    case kNoForestTgt:
      return "no-forest-tgt";
    case kAsCaller:
      return "as-caller";
  }
  return "";
}

}  // namespace kerbsim

namespace kerbsim::analysis {

namespace {

NodeKind node_kind(directory::AccountKind k) {
  switch (k) {
    case directory::AccountKind::User:
      return NodeKind::User;
    case directory::AccountKind::Computer:
      return NodeKind::Computer;
    case directory::AccountKind::Gmsa:
      return NodeKind::Gmsa;
  }
  return NodeKind::User;
}

// The vertices and edges as they are found, before the compressed graph is built from them.
struct Builder {
  const farm::Environment& env;
  std::vector<Node> nodes;
  std::vector<std::pair<Vertex, Vertex>> ends;
  std::vector<Edge> edges;
  std::unordered_map<std::string, Vertex> by_name;
  std::vector<Vertex> by_account;
  std::unordered_map<std::string, std::vector<Vertex>> by_host;
  std::vector<std::pair<Vertex, farm::Service>> served;  // every service vertex, for its calls

  Vertex add_node(Node n, const std::string& key) {
    const auto v = static_cast<Vertex>(nodes.size());
    nodes.push_back(std::move(n));
    by_name.emplace(directory::to_lower(key), v);
    return v;
  }

  Vertex named(NodeKind kind, const std::string& name) {
    if (const auto it = by_name.find(directory::to_lower(name)); it != by_name.end()) return it->second;
    return add_node({kind, name, std::nullopt}, name);
  }

  void add_edge(Vertex from, Vertex to, EdgeKind kind, std::uint32_t conditions, const char* rule) {
    ends.emplace_back(from, to);
    edges.push_back({kind, conditions, rule});
  }

  // The accounts whose key encrypts the SPN's tickets, as the KDC looks it up: the SPN's own forest
  // first, then the others, which a referral reaches (kerberos-rules R1.3, R1.4, R1.12).
  std::vector<directory::AccountId> owners(const directory::Spn& spn, const std::string& forest) const {
    if (auto found = env.directory.spn_owners(spn, forest); !found.empty()) return found;
    for (const auto& d : env.directory.domains()) {
      if (d.dns != d.forest || directory::iequals(d.forest, forest)) continue;
      if (auto found = env.directory.spn_owners(spn, d.forest); !found.empty()) return found;
    }
    return {};
  }

  Vertex spn_vertex(const directory::Spn& spn, const std::string& forest) {
    std::string key = spn.key();
    if (const auto it = by_name.find(key); it != by_name.end()) return it->second;
    const auto v = static_cast<Vertex>(nodes.size());
    nodes.push_back({NodeKind::Spn, spn.to_string(), std::nullopt});
    by_name.emplace(std::move(key), v);  // an SPN's key is lower-case already
    for (const auto owner : owners(spn, forest))
      add_edge(v, by_account[owner], EdgeKind::HoldsSpn, 0, "kerberos-rules R1.3");
    return v;
  }

  const std::string& forest_of(const directory::Account& a) const {
    const auto* d = env.directory.domain_by_dns(a.domain);
    return d ? d->forest : a.domain;
  }

  void accounts() {
    const auto& all = env.directory.accounts();
    by_account.resize(all.size());
    for (directory::AccountId id = 0; id < all.size(); ++id) {
      const auto& a = all[id];
      by_account[id] = add_node({node_kind(a.kind), a.name, id}, a.name);
      by_name.emplace(directory::to_lower(a.sam), by_account[id]);  // the first of a sAMAccountName wins
    }
    // Every SPN an account holds, once, with every holder (a duplicate has two).
    for (const auto& a : all)
      for (const auto& text : a.spns)
        if (const auto spn = directory::Spn::parse(text)) spn_vertex(*spn, forest_of(a));
  }

  void memberships() {
    const auto& all = env.directory.accounts();
    for (directory::AccountId id = 0; id < all.size(); ++id)
      for (const auto& group : all[id].groups)
        add_edge(by_account[id], named(NodeKind::Group, group), EdgeKind::MemberOf, 0, "kerberos-rules R3.4.2");
  }

  void delegation() {
    const auto& all = env.directory.accounts();
    const Vertex any = add_node({NodeKind::AnyService, "any service", std::nullopt}, "any service");
    for (directory::AccountId id = 0; id < all.size(); ++id) {
      const auto& a = all[id];
      const Vertex from = by_account[id];
      if (a.trusted_for_delegation)
        add_edge(from, any, EdgeKind::Unconstrained,
                 kKerberosFrontEnd | kClientDelegates | kDelegableUser | kNoForestTgt, "kerberos-rules R3.1.2");
      for (const auto& text : a.allowed_to_delegate_to) {
        const auto spn = directory::Spn::parse(text);
        if (!spn) continue;  // the loader refused a value that is no SPN
        const bool transition = a.trusted_to_auth_for_delegation;
        add_edge(from, spn_vertex(*spn, forest_of(a)),
                 transition ? EdgeKind::ProtocolTransition : EdgeKind::Constrained,
                 kSameDomain | kDelegableUser | (transition ? 0u : kKerberosFrontEnd),
                 transition ? "kerberos-rules R3.3.2" : "kerberos-rules R3.2.3");
      }
      // Resource-based: the back end names who may act for users to it (R3.4.1), a group too.
      for (const auto& principal : a.allowed_to_act) {
        const auto who = env.directory.find_account(principal);
        const Vertex source = who ? by_account[*who] : named(NodeKind::Group, principal);
        add_edge(source, from, EdgeKind::ResourceBased, kDelegableUser, "kerberos-rules R3.4.2");
      }
    }
  }

  std::optional<Vertex> service(const farm::Host& host, const std::optional<farm::Service>& s) {
    if (!s) return std::nullopt;
    const std::string label = host.name + ": " + s->label();
    if (const auto it = by_name.find(directory::to_lower(label)); it != by_name.end()) return it->second;
    const Vertex v = named(NodeKind::Service, label);
    served.emplace_back(v, *s);
    if (const auto id = env.directory.find_account(s->key.account)) {
      const char* rule = s->kind == farm::ServerKind::Sql    ? "iis-rules 6.1"
                         : s->kind == farm::ServerKind::Ssrs ? "iis-rules 7.6"
                                                             : "iis-rules 3.5";
      add_edge(v, by_account[*id], EdgeKind::RunsAs, 0, rule);
      by_host[directory::to_lower(host.name)].push_back(by_account[*id]);
    }
    return v;
  }

  // The calls each service makes next, to the service that answers them (iis-rules 3.12, 6.9), and
  // the services a flow's URL reaches, one per balancer member (iis-rules 5.1).
  void calls_and_urls() {
    // By index: a called service met for the first time is appended, and its calls followed too.
    for (std::size_t i = 0; i < served.size(); ++i) {  // NOLINT(modernize-loop-convert)
      const auto [v, s] = served[i];
      for (const auto& call : s.calls) {
        const farm::CallTarget to = farm::resolve_call(env, *s.host, call);
        if (!to.host) continue;
        const auto next = to.url ? farm::serve_web(*to.host, *to.url) : farm::serve_sql(*to.host, call.instance);
        const auto target = service(*to.host, next);
        if (!target) continue;
        const bool as_caller = call.as == "caller" && s.impersonates;
        add_edge(v, *target, EdgeKind::Calls, as_caller ? kAsCaller : 0u,
                 s.kind == farm::ServerKind::Sql ? "iis-rules 6.9" : "iis-rules 3.12");
      }
    }
    for (const auto& flow : env.flows) {
      const farm::Host* client = env.host(flow.client);
      const farm::UrlTarget target = farm::resolve_url(env, flow.url, client ? client->domain : "");
      if (!target.url) continue;
      const Vertex url = named(NodeKind::Url, flow.url);
      for (const farm::Host* node : target.nodes)
        if (const auto s = service(*node, farm::serve(*node, *target.url)))
          add_edge(url, *s, EdgeKind::Reaches, 0, "iis-rules 5.1");
    }
  }

  void services() {
    for (const auto& host : env.hosts) {
      for (const auto& s : farm::services_of(host)) service(host, s);
      if (!host.computer_account.empty())
        if (const auto id = env.directory.find_account(host.computer_account))
          by_host[directory::to_lower(host.name)].push_back(by_account[*id]);
    }
  }
};

}  // namespace

DelegationGraph::DelegationGraph(const farm::Environment& env) {
  Builder b{env, {}, {}, {}, {}, {}, {}, {}};
  b.accounts();
  b.memberships();
  b.delegation();
  b.services();
  b.calls_and_urls();
  graph_ = Csr(boost::edges_are_unsorted_multi_pass, b.ends.begin(), b.ends.end(), b.edges.begin(),
               static_cast<Vertex>(b.nodes.size()));
  for (Vertex v = 0; v < b.nodes.size(); ++v) graph_[v] = std::move(b.nodes[v]);
  by_name_ = std::move(b.by_name);
  by_account_ = std::move(b.by_account);
  by_host_ = std::move(b.by_host);
}

std::optional<Vertex> DelegationGraph::find(const std::string& name) const {
  if (const auto it = by_name_.find(directory::to_lower(name)); it != by_name_.end()) return it->second;
  if (const auto spn = directory::Spn::parse(name))
    if (const auto it = by_name_.find(spn->key()); it != by_name_.end()) return it->second;
  return std::nullopt;
}

std::optional<Vertex> DelegationGraph::account(directory::AccountId id) const {
  if (id >= by_account_.size()) return std::nullopt;
  return by_account_[id];
}

std::vector<Vertex> DelegationGraph::host_accounts(const std::string& host) const {
  const auto it = by_host_.find(directory::to_lower(host));
  if (it == by_host_.end()) return {};
  std::vector<Vertex> out;
  for (const auto v : it->second)
    if (std::find(out.begin(), out.end(), v) == out.end()) out.push_back(v);
  return out;
}

}  // namespace kerbsim::analysis
