// The delegation graph as a BloodHound OpenGraph payload, for upload into BloodHound CE: a node per
// account, group, SPN and service with its kinds and properties, an edge per relation, every kind
// prefixed KS_ (kerbsim) so that it sits beside SharpHound's own without colliding. The payload's
// shape is OpenGraph's generic ingest format (metadata.source_kind; graph.nodes with id, kinds and
// primitive properties; graph.edges with start and end matched by id, a kind of letters, digits and
// underscores, and properties).
#include <string>

#include "kerbsim/report.h"
#include "kerbsim/value.h"

namespace kerbsim {
namespace {

std::string node_kind(GraphNodeKind k) {
  switch (k) {
    case GraphNodeKind::User:
      return "KS_User";
    case GraphNodeKind::Computer:
      return "KS_Computer";
    case GraphNodeKind::Gmsa:
      return "KS_Gmsa";
    case GraphNodeKind::Group:
      return "KS_Group";
    case GraphNodeKind::Spn:
      return "KS_Spn";
    case GraphNodeKind::Service:
      return "KS_Service";
    case GraphNodeKind::AnyService:
      return "KS_AnyService";
    case GraphNodeKind::Url:
      return "KS_Url";
  }
  return "KS_Node";
}

std::string edge_kind(GraphEdgeKind k) {
  switch (k) {
    case GraphEdgeKind::MemberOf:
      return "KS_MemberOf";
    case GraphEdgeKind::HoldsSpn:
      return "KS_HoldsSpn";
    case GraphEdgeKind::RunsAs:
      return "KS_RunsAs";
    case GraphEdgeKind::Unconstrained:
      return "KS_UnconstrainedDelegation";
    case GraphEdgeKind::Constrained:
      return "KS_ConstrainedDelegation";
    case GraphEdgeKind::ProtocolTransition:
      return "KS_ProtocolTransition";
    case GraphEdgeKind::ResourceBased:
      return "KS_ResourceBasedDelegation";
    case GraphEdgeKind::Reaches:
      return "KS_Reaches";
    case GraphEdgeKind::Calls:
      return "KS_Calls";
  }
  return "KS_Edge";
}

// A node's id in the payload: its kind and name, the same in every export of the same directory.
std::string node_id(const GraphNode& n) { return to_string(n.kind) + ":" + n.name; }

}  // namespace

void print_graph_opengraph(const GraphReport& r, std::ostream& out) {
  Value nodes = Value::array();
  std::vector<std::pair<std::string, std::string>> ids;  // report id -> payload id
  for (const auto& n : r.nodes) {
    ids.emplace_back(n.id, node_id(n));
    Value node = Value::object();
    node.set("id", node_id(n));
    Value kinds = Value::array();
    kinds.push(node_kind(n.kind));
    kinds.push("KS_Base");
    node.set("kinds", std::move(kinds));
    Value properties = Value::object();
    properties.set("name", n.name);
    properties.set("displayname", n.name);
    if (n.kind == GraphNodeKind::User || n.kind == GraphNodeKind::Computer || n.kind == GraphNodeKind::Gmsa) {
      properties.set("domain", n.domain);
      properties.set("enabled", n.enabled);
      properties.set("sensitive", n.sensitive);
      properties.set("protected_user", n.protected_user);
      properties.set("domain_controller", n.domain_controller);
    }
    node.set("properties", std::move(properties));
    nodes.push(std::move(node));
  }
  const auto payload_id = [&](const std::string& id) {
    for (const auto& [report, payload] : ids)
      if (report == id) return payload;
    return id;
  };
  Value edges = Value::array();
  for (const auto& e : r.edges) {
    Value edge = Value::object();
    Value start = Value::object();
    start.set("match_by", "id");
    start.set("value", payload_id(e.from));
    Value end = Value::object();
    end.set("match_by", "id");
    end.set("value", payload_id(e.to));
    edge.set("start", std::move(start));
    edge.set("end", std::move(end));
    edge.set("kind", edge_kind(e.kind));
    Value properties = Value::object();
    properties.set("rule", e.rule);
    Value conditions = Value::array();
    for (const auto bit : kGraphConditions)
      if (e.conditions & bit) conditions.push(condition_name(bit));
    properties.set("conditions", std::move(conditions));
    edge.set("properties", std::move(properties));
    edges.push(std::move(edge));
  }
  Value graph = Value::object();
  graph.set("nodes", std::move(nodes));
  graph.set("edges", std::move(edges));
  Value metadata = Value::object();
  metadata.set("source_kind", "KS_Base");
  Value doc = Value::object();
  doc.set("metadata", std::move(metadata));
  doc.set("graph", std::move(graph));
  out << doc.dump(2) << "\n";
}

}  // namespace kerbsim
