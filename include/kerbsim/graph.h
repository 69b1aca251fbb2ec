// `kerbsim graph`: who can impersonate whom. The delegation graph's vertices (accounts, groups, SPNs,
// services) and typed edges, and the chains of delegation hops a query finds over it, each checked for
// one user at the simulated KDCs (kerberos-rules R3.1-R3.5).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace kerbsim {

enum class GraphNodeKind {
  User,
  Computer,
  Gmsa,
  Group,       // a group an account is a member of, by name
  Spn,         // a service principal name, held by an account or named in a delegation setting
  Service,     // a server on a host: an IIS site, the report server, a SQL Server instance
  AnyService,  // every service: what a user's forwarded TGT opens (kerberos-rules R3.1.2)
  Url,         // a flow's URL, as its client requests it
};
std::string to_string(GraphNodeKind k);  // "user", "computer", "gmsa", "group", "spn", "service", "any-service", "url"

enum class GraphEdgeKind {
  MemberOf,            // account -> group
  HoldsSpn,            // SPN -> account: its tickets are encrypted with the account's key (R1.3)
  RunsAs,              // service -> the account whose key decrypts the tickets it accepts (iis-rules 3.5, 6.1, 7.6)
  Unconstrained,       // account -> any service: TRUSTED_FOR_DELEGATION, the user's forwarded TGT (R3.1)
  Constrained,         // account -> SPN: msDS-AllowedToDelegateTo, "Use Kerberos only" (R3.2)
  ProtocolTransition,  // account -> SPN: msDS-AllowedToDelegateTo with TRUSTED_TO_AUTH_FOR_DELEGATION (R3.3)
  ResourceBased,       // account -> account: named in the back end's msDS-AllowedToActOnBehalfOfOtherIdentity (R3.4)
  Reaches,             // URL -> service: a request to the URL reaches it (each balancer member; iis-rules 5.1)
  Calls,               // service -> service: the application calls it next, a linked server too (iis-rules 3.12, 6.9)
};
std::string to_string(GraphEdgeKind k);  // "member-of", "holds-spn", "runs-as", "unconstrained", ...
constexpr bool is_delegation(GraphEdgeKind k) {
  return k == GraphEdgeKind::Unconstrained || k == GraphEdgeKind::Constrained ||
         k == GraphEdgeKind::ProtocolTransition || k == GraphEdgeKind::ResourceBased;
}

// What a delegation edge asks of the user and the request beside the setting itself, as bits.
enum GraphCondition : std::uint32_t {
  kKerberosFrontEnd = 1u << 0,  // the user reached the service with Kerberos (R3.2.5)
  kClientDelegates = 1u << 1,   // the client forwards the TGT: OK-AS-DELEGATE and a client that delegates (R3.1.2)
  kDelegableUser = 1u << 2,  // not "sensitive and cannot be delegated", not in Protected Users (R3.1.3, R3.3.2, R3.4.4)
  kSameDomain = 1u << 3,     // classic KCD: the target in the service's own domain (R3.2.3)
  kNoForestTgt = 1u << 4,    // across a forest trust only with EnableTGTDelegation (R3.1.4)
  kAsCaller = 1u << 5,       // a call made as the caller, whose identity a delegation must carry (iis-rules 3.12)
};
constexpr GraphCondition kGraphConditions[] = {kKerberosFrontEnd, kClientDelegates, kDelegableUser,
                                               kSameDomain,       kNoForestTgt,     kAsCaller};
std::string condition_name(GraphCondition c);  // "kerberos-front-end", "client-delegates", ...

enum class GraphQuery {
  All,   // every chain of every account that delegates
  From,  // whom an account can impersonate, to which services
  To,    // who can reach an SPN or a host's services as which users
  User,  // where a user's identity can travel
};

struct GraphRequest {
  GraphQuery query = GraphQuery::All;
  std::string subject;  // From: an account; To: an SPN, an account or a host; User: a user account
  std::string as;       // All, From, To: the user to check the chains with; "" = an ordinary user of the scenario
};

struct GraphNode {
  std::string id;  // stable within one report: "n12"
  GraphNodeKind kind = GraphNodeKind::Spn;
  std::string name;    // "CORP\\svc-web", "HTTP/web.corp.contoso.com", "web1: IIS site Orders"
  std::string domain;  // an account's domain; "" otherwise
  bool enabled = true;
  bool sensitive = false;       // NOT_DELEGATED
  bool protected_user = false;  // a member of Protected Users
  bool domain_controller = false;
};

struct GraphEdge {
  std::string from;  // node ids
  std::string to;
  GraphEdgeKind kind = GraphEdgeKind::MemberOf;
  std::uint32_t conditions = 0;  // GraphCondition bits
  std::string rule;
};

struct ChainHop {
  std::string service;  // the account that asks for the ticket as the user
  GraphEdgeKind kind = GraphEdgeKind::Constrained;
  std::string target;  // the SPN, the back-end account (resource-based), or "any service"
  std::string owner;   // the account whose key encrypts the ticket; "" when no account holds the SPN
  std::string rule;
  bool domain_controller = false;  // the service is a DC's account, trusted for delegation by default (R3.0)
};

// A chain walked at the KDCs for one user.
struct ChainCheck {
  std::string user;
  bool ok = false;
  std::size_t hops_done = 0;
  std::string error;      // the KDC's error when it refused: "KDC_ERR_BADOPTION"; "" when ok
  std::string status;     // the NTSTATUS in its e-data; ""
  std::string failed_at;  // what was asked when it stopped
  std::string why;
  std::string rule;
};

struct DelegationChain {
  std::vector<ChainHop> hops;
  std::uint32_t conditions = 0;     // GraphCondition bits: how the user reaches the first service, what every hop asks
  std::optional<ChainCheck> check;  // nullopt when the scenario has no user to check it with
};

constexpr std::size_t kMaxListedChains = 500;

struct GraphReport {
  std::string scenario;
  std::string title;
  GraphRequest request;
  std::string subject;  // the subject as the graph names it: "CORP\\svc-web"
  std::vector<DelegationChain> chains;
  std::string none;      // when there is no chain: why, in one sentence
  std::size_t more = 0;  // chains found beyond the ones listed (a query lists at most kMaxListedChains)
  std::string problem;   // the subject names nothing the query can start from: why (the command exits 2)
  // The part of the graph the chains run over (every delegation edge and what it leads to, for All),
  // for DOT, Mermaid and OpenGraph.
  std::vector<GraphNode> nodes;
  std::vector<GraphEdge> edges;
  std::size_t graph_nodes = 0;  // the whole graph's size
  std::size_t graph_edges = 0;
};

}  // namespace kerbsim
