#include "analysis/delegation_chains.h"

#include <algorithm>
#include <boost/range/iterator_range.hpp>
#include <functional>

namespace kerbsim::analysis {
namespace {

// After the first hop the service holds a ticket the KDC issued by S4U2Proxy, which is forwardable
// (kerberos-rules R3.2.4): how the user reached the front end no longer matters.
constexpr std::uint32_t kFirstHopOnly = kKerberosFrontEnd | kClientDelegates;

class ChainWalk {
 public:
  // stop: does this hop reach what is asked for (the chain ends there)? Empty: follow every chain to its end.
  ChainWalk(const DelegationGraph& g, int max_hops, std::function<bool(const DelegationHop&)> stop)
      : g_(g), max_hops_(max_hops), stop_(std::move(stop)) {}

  void from(Vertex account) {
    on_path_.push_back(account);
    walk(account);
    on_path_.pop_back();
  }

  std::vector<Chain> take() { return std::move(out_); }

 private:
  // Follows the delegation edges of `account`; true when some chain was emitted below it.
  bool walk(Vertex account) {
    const Csr& graph = g_.graph();
    bool emitted = false;
    for (const auto e : boost::make_iterator_range(boost::out_edges(account, graph))) {
      const Edge& edge = graph[e];
      if (!is_delegation(edge.kind)) continue;
      // Only the service the user reached first can hold the user's TGT (kerberos-rules R3.1.2).
      if (edge.kind == EdgeKind::Unconstrained && !path_.empty()) continue;
      const Vertex target = boost::target(e, graph);
      std::vector<std::optional<Vertex>> owners;
      if (edge.kind == EdgeKind::ResourceBased) {
        owners.emplace_back(target);
      } else if (edge.kind != EdgeKind::Unconstrained) {
        for (const auto h : boost::make_iterator_range(boost::out_edges(target, graph)))
          if (graph[h].kind == EdgeKind::HoldsSpn) owners.emplace_back(boost::target(h, graph));
      }
      if (owners.empty()) owners.emplace_back(std::nullopt);  // any service, or an SPN nobody holds
      for (const auto& owner : owners) {
        path_.push_back({account, edge.kind, target, owner});
        conditions_.push_back(edge.conditions & (path_.size() == 1 ? ~0u : ~kFirstHopOnly));
        if (stop_ && stop_(path_.back())) {
          emit();
          emitted = true;
        } else {
          const bool onward = owner && static_cast<int>(path_.size()) < max_hops_ &&
                              std::find(on_path_.begin(), on_path_.end(), *owner) == on_path_.end();
          bool below = false;
          if (onward) {
            on_path_.push_back(*owner);
            below = walk(*owner);
            on_path_.pop_back();
          }
          if (!below && !stop_) emit();
          emitted |= below || !stop_;
        }
        path_.pop_back();
        conditions_.pop_back();
      }
    }
    return emitted;
  }

  void emit() {
    Chain c;
    c.hops = path_;
    for (const auto bits : conditions_) c.conditions |= bits;
    out_.push_back(std::move(c));
  }

  const DelegationGraph& g_;
  int max_hops_;
  std::function<bool(const DelegationHop&)> stop_;
  std::vector<DelegationHop> path_;
  std::vector<std::uint32_t> conditions_;
  std::vector<Vertex> on_path_;
  std::vector<Chain> out_;
};

bool delegates(const DelegationGraph& g, Vertex v) {
  for (const auto e : boost::make_iterator_range(boost::out_edges(v, g.graph())))
    if (is_delegation(g.graph()[e].kind)) return true;
  return false;
}

bool is_account(const Node& n) {
  return n.kind == NodeKind::User || n.kind == NodeKind::Computer || n.kind == NodeKind::Gmsa;
}

}  // namespace

std::vector<Chain> chains_from(const DelegationGraph& g, Vertex account, int max_hops) {
  ChainWalk walk(g, max_hops, {});
  walk.from(account);
  return walk.take();
}

std::vector<Chain> chains_to(const DelegationGraph& g, const std::vector<Vertex>& targets, int max_hops) {
  const auto wanted = [&](Vertex v) { return std::find(targets.begin(), targets.end(), v) != targets.end(); };
  ChainWalk walk(g, max_hops, [&](const DelegationHop& h) {
    return h.kind == EdgeKind::Unconstrained || wanted(h.target) || (h.owner && wanted(*h.owner));
  });
  for (Vertex v = 0; v < g.node_count(); ++v)
    if (is_account(g.node(v)) && delegates(g, v)) walk.from(v);
  return walk.take();
}

std::vector<Chain> all_chains(const DelegationGraph& g, int max_hops) {
  std::vector<Chain> out;
  for (Vertex v = 0; v < g.node_count(); ++v)
    if (is_account(g.node(v)) && delegates(g, v))
      for (auto& c : chains_from(g, v, max_hops)) out.push_back(std::move(c));
  return out;
}

std::vector<Vertex> reachable_from(const DelegationGraph& g, Vertex account) {
  const Csr& graph = g.graph();
  std::vector<std::uint8_t> seen(g.node_count(), 0);
  std::vector<Vertex> out{account};
  seen[account] = 1;
  for (std::size_t next = 0; next < out.size(); ++next) {
    const auto [first, last] = boost::out_edges(out[next], graph);
    for (auto e = first; e != last; ++e) {
      const EdgeKind k = graph[*e].kind;
      if (k != EdgeKind::HoldsSpn && !is_delegation(k)) continue;
      const Vertex t = boost::target(*e, graph);
      if (seen[t]) continue;
      seen[t] = 1;
      out.push_back(t);
    }
  }
  return out;
}

flow::WalkResult check_chain(const farm::Environment& env, const DelegationGraph& g, const Chain& chain,
                             const std::string& user) {
  std::vector<flow::WalkHop> hops;
  for (const auto& h : chain.hops) {
    flow::WalkHop hop;
    hop.service = g.node(h.service).name;
    if (h.kind == EdgeKind::Unconstrained) {
      hop.mechanism = flow::WalkMechanism::ForwardedTgt;
    } else if (h.kind == EdgeKind::ResourceBased) {
      // Resource-based delegation opens every SPN of the back end (kerberos-rules R3.4.1): its first.
      const auto& back_end = env.directory.account(*g.node(h.target).account);
      std::optional<directory::Spn> spn;
      for (const auto& text : back_end.spns)
        if (!spn) spn = directory::Spn::parse(text);
      if (!spn) {
        flow::WalkResult r;
        r.failed_at = "a ticket to " + back_end.name;
        r.error = kerberos::KrbError::KDC_ERR_S_PRINCIPAL_UNKNOWN;
        r.why = back_end.name + " holds no SPN, so no ticket can name it";
        r.rule = "kerberos-rules R1.3";
        return r;
      }
      hop.target = *spn;
    } else {
      hop.target = directory::Spn::parse(g.node(h.target).name).value_or(directory::Spn{});
    }
    hops.push_back(std::move(hop));
  }
  const bool kerberos = !chain.hops.empty() && (chain.hops.front().kind == EdgeKind::Constrained ||
                                                chain.hops.front().kind == EdgeKind::Unconstrained);
  return flow::walk_delegation(
      env, user, kerberos ? flow::WalkStart::KerberosFrontEnd : flow::WalkStart::ProtocolTransition, hops);
}

std::optional<std::string> ordinary_user(const farm::Environment& env) {
  const auto ordinary = [&](const directory::Account& a) {
    return a.kind == directory::AccountKind::User && a.enabled && !a.sensitive && !a.protected_user() && a.spns.empty();
  };
  for (const auto& f : env.flows)
    if (const farm::Host* h = env.host(f.client); h && h->client)
      if (const auto id = env.directory.find_account(h->client->user))
        if (ordinary(env.directory.account(*id))) return env.directory.account(*id).name;
  for (const auto& a : env.directory.accounts())
    if (ordinary(a)) return a.name;
  return std::nullopt;
}

}  // namespace kerbsim::analysis
