// The delegation graph's printers: the chains as text (each hop, who the users are, what the KDC
// answered for the user it was checked with), as JSON, and the part of the graph they run over as
// Graphviz DOT and a Mermaid flowchart.
#include <string>

#include "kerbsim/report.h"
#include "kerbsim/value.h"
#include "report/text_layout.h"

namespace kerbsim {
namespace {

using layout::Painter;
using layout::write_wrapped;

std::string mechanism(GraphEdgeKind k) {
  switch (k) {
    case GraphEdgeKind::Unconstrained:
      return "unconstrained delegation";
    case GraphEdgeKind::Constrained:
      return "constrained delegation, Kerberos only";
    case GraphEdgeKind::ProtocolTransition:
      return "constrained delegation with protocol transition";
    case GraphEdgeKind::ResourceBased:
      return "resource-based delegation";
    case GraphEdgeKind::MemberOf:
    case GraphEdgeKind::HoldsSpn:
    case GraphEdgeKind::RunsAs:
    case GraphEdgeKind::Reaches:
    case GraphEdgeKind::Calls:
      break;
  }
  return to_string(k);
}

// Who the chain works for, from its conditions, as one sentence.
std::string users(const DelegationChain& c) {
  const std::string first = c.hops.empty() ? std::string() : c.hops.front().service;
  std::string out = c.conditions & kKerberosFrontEnd ? "users who reach " + first + " with Kerberos"
                                                     : "any user, whatever protocol they signed in with";
  if (c.conditions & kClientDelegates) out += ", from a client that forwards their TGT";
  if (c.conditions & kDelegableUser) out += "; not sensitive, not in Protected Users";
  if (c.conditions & kSameDomain) out += "; classic constrained delegation stays in the service's own domain";
  if (c.conditions & kNoForestTgt) out += "; across a forest trust only with TGT delegation enabled on it";
  if (c.conditions & kAsCaller) out += "; called as the caller";
  return out;
}

std::string target_text(const ChainHop& h) {
  if (h.kind == GraphEdgeKind::Unconstrained) return "any service, with the user's TGT";
  if (h.kind == GraphEdgeKind::ResourceBased) return "every SPN of " + h.target;
  return h.target + (h.owner.empty() ? " (no account holds it)" : " (" + h.owner + ")");
}

std::string heading(const GraphReport& r) {
  switch (r.request.query) {
    case GraphQuery::All:
      return "every chain of delegation in " + r.scenario;
    case GraphQuery::From:
      return "whom " + r.subject + " can impersonate, and to which services";
    case GraphQuery::To:
      return "who can reach " + r.subject + " as a user";
    case GraphQuery::User:
      return "where " + r.subject + "'s identity can travel";
  }
  return "";
}

void check_text(const ChainCheck& c, const Painter& paint, std::ostream& out) {
  if (c.ok) {
    write_wrapped(out, "     ", 5,
                  paint.green("✔") + " checked at the KDCs as " + c.user + ": every ticket of the chain is issued");
    return;
  }
  std::string error =
      c.error.empty() ? std::string() : c.error + (c.status.empty() ? "" : " (" + c.status + ")") + ", ";
  write_wrapped(out, "     ", 5,
                paint.red("✘") + " checked at the KDCs as " + c.user + ": refused at " + c.failed_at + ": " + error +
                    c.why + (c.rule.empty() ? "" : "   [" + c.rule + "]"));
}

// A DOT or Mermaid label: the text in double quotes, with what would end it escaped.
std::string dot_quoted(const std::string& s) {
  std::string out = "\"";
  for (const char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

std::string mermaid_quoted(const std::string& s) {
  std::string out = "\"";
  for (const char c : s) out += c == '"' ? std::string("#quot;") : std::string(1, c);
  return out + "\"";
}

const char* dot_shape(GraphNodeKind k) {
  switch (k) {
    case GraphNodeKind::User:
      return "ellipse";
    case GraphNodeKind::Computer:
    case GraphNodeKind::Gmsa:
      return "box";
    case GraphNodeKind::Group:
      return "hexagon";
    case GraphNodeKind::Spn:
      return "note";
    case GraphNodeKind::Service:
      return "component";
    case GraphNodeKind::AnyService:
      return "doubleoctagon";
    case GraphNodeKind::Url:
      return "cds";
  }
  return "ellipse";
}

bool delegation_style(GraphEdgeKind k) { return is_delegation(k); }

}  // namespace

void print_graph_text(const GraphReport& r, const PrintOptions& options, std::ostream& out) {
  const Painter paint(options.color);
  out << paint.bold("kerbsim graph") << ": " << r.scenario << (r.title.empty() ? "" : " — " + r.title) << "\n";
  std::size_t issued = 0, checked = 0;
  for (const auto& c : r.chains)
    if (c.check) {
      ++checked;
      issued += c.check->ok ? 1 : 0;
    }
  std::string summary = heading(r);
  if (checked)
    summary += " (" + std::to_string(issued) + " of " + std::to_string(checked) +
               (checked == 1 ? " chain" : " chains") + " issued at the KDCs as " + r.chains.front().check->user + ")";
  write_wrapped(out, "", 0, summary + ":");
  out << "\n";
  if (r.chains.empty()) write_wrapped(out, "  ", 2, r.none);
  int number = 0;
  for (const auto& c : r.chains) {
    const std::string n = std::to_string(++number) + ". ";
    for (std::size_t i = 0; i < c.hops.size(); ++i) {
      const ChainHop& h = c.hops[i];
      const std::string lead = i == 0 ? "  " + n : "  " + layout::spaces(static_cast<int>(n.size())) + "then ";
      write_wrapped(out, lead, 5,
                    h.service + " → " + target_text(h) + ": " + mechanism(h.kind) +
                        (h.domain_controller ? ", as every domain controller is by default" : "") + "   [" +
                        (h.domain_controller ? "kerberos-rules R3.0, " : "") + h.rule + "]");
    }
    write_wrapped(out, "     ", 5, "for " + users(c));
    if (c.check) check_text(*c.check, paint, out);
    if (options.explain && c.check && !c.check->ok && c.check->hops_done > 0)
      write_wrapped(out, "     ", 5,
                    std::to_string(c.check->hops_done) + " of " + std::to_string(c.hops.size()) +
                        " hops got their ticket before the refusal");
    out << "\n";
  }
  if (r.more) out << "  … and " << r.more << " more chains, not listed\n\n";
  if (!r.chains.empty() && !r.chains.front().check)
    write_wrapped(out, "", 0, "not checked at the KDCs: the scenario has no ordinary user to check the chains with");
  out << paint.dim("graph: " + std::to_string(r.graph_nodes) + " nodes, " + std::to_string(r.graph_edges) +
                   " edges; shown: " + std::to_string(r.nodes.size()) + " nodes, " + std::to_string(r.edges.size()) +
                   " edges")
      << "\n";
}

void print_graph_json(const GraphReport& r, std::ostream& out) {
  Value doc = Value::object();
  doc.set("scenario", r.scenario);
  doc.set("query", r.request.query == GraphQuery::All    ? "all"
                   : r.request.query == GraphQuery::From ? "from"
                   : r.request.query == GraphQuery::To   ? "to"
                                                         : "user");
  doc.set("subject", r.subject.empty() ? Value() : Value(r.subject));
  Value chains = Value::array();
  for (const auto& c : r.chains) {
    Value chain = Value::object();
    Value hops = Value::array();
    for (const auto& h : c.hops) {
      Value hop = Value::object();
      hop.set("service", h.service);
      hop.set("kind", to_string(h.kind));
      hop.set("target", h.target);
      hop.set("owner", h.owner.empty() ? Value() : Value(h.owner));
      hop.set("rule", h.rule);
      hop.set("domain_controller", h.domain_controller);
      hops.push(std::move(hop));
    }
    chain.set("hops", std::move(hops));
    Value conditions = Value::array();
    for (const auto bit : kGraphConditions)
      if (c.conditions & bit) conditions.push(condition_name(bit));
    chain.set("conditions", std::move(conditions));
    if (c.check) {
      Value check = Value::object();
      check.set("user", c.check->user);
      check.set("ok", c.check->ok);
      check.set("hops_done", static_cast<std::int64_t>(c.check->hops_done));
      check.set("error", c.check->error.empty() ? Value() : Value(c.check->error));
      check.set("status", c.check->status.empty() ? Value() : Value(c.check->status));
      check.set("failed_at", c.check->failed_at.empty() ? Value() : Value(c.check->failed_at));
      check.set("why", c.check->why);
      check.set("rule", c.check->rule);
      chain.set("check", std::move(check));
    } else {
      chain.set("check", Value());
    }
    chains.push(std::move(chain));
  }
  doc.set("chains", std::move(chains));
  doc.set("more", static_cast<std::int64_t>(r.more));
  doc.set("none", r.none.empty() ? Value() : Value(r.none));
  Value nodes = Value::array();
  for (const auto& n : r.nodes) {
    Value node = Value::object();
    node.set("id", n.id);
    node.set("kind", to_string(n.kind));
    node.set("name", n.name);
    nodes.push(std::move(node));
  }
  doc.set("nodes", std::move(nodes));
  Value edges = Value::array();
  for (const auto& e : r.edges) {
    Value edge = Value::object();
    edge.set("from", e.from);
    edge.set("to", e.to);
    edge.set("kind", to_string(e.kind));
    edge.set("rule", e.rule);
    edges.push(std::move(edge));
  }
  doc.set("edges", std::move(edges));
  doc.set("graph_nodes", static_cast<std::int64_t>(r.graph_nodes));
  doc.set("graph_edges", static_cast<std::int64_t>(r.graph_edges));
  out << doc.dump(2) << "\n";
}

void print_graph_dot(const GraphReport& r, std::ostream& out) {
  out << "digraph " << dot_quoted(r.scenario)
      << " {\n  rankdir=LR;\n  node [fontname=\"Helvetica\"];\n  edge [fontname=\"Helvetica\", fontsize=10];\n";
  for (const auto& n : r.nodes)
    out << "  " << n.id << " [label=" << dot_quoted(n.name) << ", shape=" << dot_shape(n.kind) << "];\n";
  for (const auto& e : r.edges)
    out << "  " << e.from << " -> " << e.to << " [label=" << dot_quoted(to_string(e.kind))
        << (delegation_style(e.kind) ? ", color=red, penwidth=2" : ", style=dashed") << "];\n";
  out << "}\n";
}

void print_graph_mermaid(const GraphReport& r, std::ostream& out) {
  out << "flowchart LR\n";
  for (const auto& n : r.nodes) out << "  " << n.id << "[" << mermaid_quoted(n.name) << "]\n";
  for (const auto& e : r.edges)
    out << "  " << e.from << (delegation_style(e.kind) ? " == " : " -. ") << to_string(e.kind)
        << (delegation_style(e.kind) ? " ==> " : " .-> ") << e.to << "\n";
}

}  // namespace kerbsim
