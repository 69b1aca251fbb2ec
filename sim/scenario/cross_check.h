// The cross-reference checks of a scenario: one pass over a fully read spec that indexes its domains,
// hosts, accounts, DNS records and calls, reports every reference that leads nowhere, and writes the
// canonical spelling and the defaults that depend on other parts of the file back into the spec. Its
// member functions live in one file per part of the farm (check_directory.cpp, check_network.cpp,
// check_services.cpp, check_calls.cpp, check_workload.cpp).
#pragma once

#include <cstddef>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "net/dns.h"
#include "scenario/reporter.h"
#include "scenario/spec.h"
#include "scenario/wording.h"

namespace kerbsim::scenario::xref {

using Strings = std::vector<std::string>;

// "a, b, c" shortened to the first ten names.
std::string short_list(const Strings& names);
// "a -> b -> c -> a", shortened in the middle when the loop is long.
std::string loop_text(const Strings& names);
// " (it has: a, b)" or " (it has none)".
std::string it_has(const Strings& names);

// Names as declared, found case-insensitively; the first of two that differ only in case wins.
struct Names {
  Strings list;
  std::map<std::string, std::string> by_lower;

  bool add(const std::string& name) {
    if (!by_lower.emplace(lower(name), name).second) return false;
    list.push_back(name);
    return true;
  }
  const std::string* find(std::string_view name) const {
    const auto it = by_lower.find(lower(name));
    return it == by_lower.end() ? nullptr : &it->second;
  }
};

struct Principal {
  std::string canonical;  // NETBIOS\name as declared
  std::string type;       // user | gmsa | computer
  std::size_t domain = 0;
  std::string path;
};

enum class TargetKind { none, host, load_balancer, address };

// Where a name leads: a host or a load balancer (by index), an address neither has, or nowhere.
struct Target {
  TargetKind kind = TargetKind::none;
  std::size_t index = 0;
  std::string address;
  net::DnsAnswer dns;  // what DNS answered, when the name is not a host's own

  bool same_place(const Target& o) const {
    return kind == o.kind && (kind == TargetKind::address ? address == o.address : index == o.index);
  }
};

// A call with where it comes from, for reference checks and the call graph.
struct CallSite {
  spec::Call* call;
  int from_node;
  bool from_sql;
  std::size_t from_host;  // the calling host, whose domain completes dotless names
};

class CrossCheck {
 public:
  CrossCheck(spec::Scenario& s, Reporter& r) : s_(s), r_(r) {}

  void run();

 private:
  // lookups and references (cross_check.cpp)
  std::optional<std::size_t> domain_by_dns(std::string_view name) const;
  std::optional<std::size_t> domain_by_netbios(std::string_view name) const;
  std::optional<std::size_t> host_by_name(std::string_view name) const;
  Strings domain_names() const;
  Strings netbios_names() const;
  std::string line_note(const std::string& path) const;
  std::string first_at(const std::string& path) const;
  std::optional<std::size_t> host_ref(std::string& name, const std::string& path, const std::string& lead);
  const Principal* resolve(const std::string& ref, std::string& problem, bool users_only = false) const;
  const Strings& account_names(std::size_t domain, bool users_only) const;
  bool user_ref(std::string& ref, const std::string& path, const std::string& lead, std::string_view role);
  static std::string p(const std::string& base, std::string_view key) { return pointer_append(base, key); }
  static std::string p(const std::string& base, std::size_t i) { return pointer_append(base, i); }

  // domains, hosts, accounts, DCs and trusts (check_directory.cpp)
  void domains();
  void hosts();
  void principals();
  void acting_accounts(std::vector<std::string>& refs, const std::string& path);
  void delegation_targets();
  void dcs();
  void trusts();

  // DNS and load balancers (check_network.cpp)
  Target by_address(const std::string& ip) const;
  Target resolve_call_name(const std::string& name, std::size_t from_host) const;
  static std::string leads_nowhere(const std::string& name, const Target& t);
  std::string leads_to(const Target& t) const;
  void dns();
  void load_balancers();

  // identities, IIS, SQL Server, SSRS and clients (check_services.cpp)
  void pool_identity(const spec::Host& h, std::string& identity, const std::string& path, const std::string& lead);
  void service_account(const spec::Host& h, std::string& account, const std::string& path, const std::string& lead);
  bool local_account(const spec::Host& h, std::string& ref, const std::string& path, const std::string& lead);
  void iis();
  void anonymous_user(const spec::Host& h, spec::Site& site);
  void sql_and_ssrs();
  void clients();

  // calls and the call graph (check_calls.cpp)
  int node_for_web(std::size_t host);
  int node_for_sql(std::size_t host, const std::string& instance);
  int add_node(const std::string& key, const std::string& label);
  void add_edge(int from, int to, const std::string& path);
  void calls();
  void call(CallSite& cs);
  void cycles();

  // flows, expectations and the workload (check_workload.cpp)
  void flows_and_expectations();
  void flow_ref(const Names& flows, std::string& name, const std::string& path, const std::string& what);
  std::optional<std::size_t> event_host(spec::WorkloadEvent& ev);
  static Value* field(spec::WorkloadEvent& ev, const std::string& key);
  void workload();

  struct Edge {
    int to;
    std::string path;  // the call that makes this edge
  };

  spec::Scenario& s_;
  Reporter& r_;
  std::map<std::string, std::size_t> domain_by_dns_;
  std::map<std::string, std::size_t> domain_by_netbios_;
  std::map<std::string, std::size_t> host_by_name_;
  std::map<std::string, std::size_t> host_by_fqdn_;
  std::map<std::string, std::size_t> host_by_ip_;       // the addresses the file gives
  std::map<std::string, std::size_t> host_by_address_;  // every host's address, generated ones included
  std::map<std::string, std::size_t> lb_by_vip_;
  Strings host_names_;
  std::vector<Names> pools_;
  std::vector<Names> sites_;
  std::vector<Names> instances_;
  mutable std::map<std::pair<std::size_t, bool>, Strings> account_names_;
  std::map<std::string, std::size_t> dns_by_name_;
  net::Dns dns_;  // the DNS the trace asks (scenario_dns)
  std::map<std::string, Principal> principals_;
  std::set<std::size_t> dc_hosts_;
  std::map<std::string, int> node_ids_;
  Strings labels_;
  std::vector<std::vector<Edge>> edges_;
};

}  // namespace kerbsim::scenario::xref
