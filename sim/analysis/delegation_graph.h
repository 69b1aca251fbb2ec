// Who can impersonate whom: the directory's principals and SPNs, and the farm's services, as the
// vertices of one graph; the settings the KDC reads when it issues a ticket on a user's behalf
// (msDS-AllowedToDelegateTo, TRUSTED_TO_AUTH_FOR_DELEGATION, TRUSTED_FOR_DELEGATION,
// msDS-AllowedToActOnBehalfOfOtherIdentity), whose key decrypts an SPN's tickets, and which identity a
// service runs as, as its typed edges (kerberos-rules R1.3, R3.0-R3.5; iis-rules 3.5, 6.1, 7.6). A
// compressed sparse row graph (Boost.Graph), built once, so that a directory of a million accounts
// stays compact.
#pragma once

#include <boost/graph/compressed_sparse_row_graph.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "farm/environment.h"
#include "kerbsim/graph.h"

namespace kerbsim::analysis {

// The vertex and edge kinds and the conditions are the public ones (include/kerbsim/graph.h).
using NodeKind = GraphNodeKind;
using EdgeKind = GraphEdgeKind;

struct Node {
  NodeKind kind = NodeKind::Spn;
  std::string name;  // "CORP\\svc-web", "HTTP/web.corp.contoso.com", "web1: IIS site Orders", "Domain Admins"
  std::optional<directory::AccountId> account;  // User, Computer, Gmsa
};

struct Edge {
  EdgeKind kind = EdgeKind::MemberOf;
  std::uint32_t conditions = 0;
  const char* rule = "";
};

using Csr = boost::compressed_sparse_row_graph<boost::bidirectionalS, Node, Edge, boost::no_property, std::uint32_t,
                                               std::uint32_t>;
using Vertex = std::uint32_t;

class DelegationGraph {
 public:
  explicit DelegationGraph(const farm::Environment& env);
  DelegationGraph(const DelegationGraph&) = delete;
  DelegationGraph& operator=(const DelegationGraph&) = delete;

  const Csr& graph() const { return graph_; }
  const Node& node(Vertex v) const { return graph_[v]; }
  std::size_t node_count() const { return boost::num_vertices(graph_); }
  std::size_t edge_count() const { return boost::num_edges(graph_); }

  // An account by its canonical name or sAMAccountName, an SPN by its text, a service by its
  // label; case-insensitive. nullopt when nothing has that name.
  std::optional<Vertex> find(const std::string& name) const;
  std::optional<Vertex> account(directory::AccountId id) const;
  // The vertices of the accounts that run the services on a host (its computer account, its pool and
  // service identities), by host name.
  std::vector<Vertex> host_accounts(const std::string& host) const;

 private:
  Csr graph_;
  std::unordered_map<std::string, Vertex> by_name_;  // lower-case name
  std::vector<Vertex> by_account_;                   // AccountId -> vertex
  std::unordered_map<std::string, std::vector<Vertex>> by_host_;
};

}  // namespace kerbsim::analysis
