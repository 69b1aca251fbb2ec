// The design diff: what changed between two environments, as the list of farm::Change that turns the
// first into the second, in one canonical order, plus every difference no Change can express (a host
// added, a DNS record, a balancer's members), so that nothing that differs is left unsaid.
#pragma once

#include <string>
#include <vector>

#include "farm/change.h"
#include "farm/environment.h"

namespace kerbsim::analysis {

// What part of the environment a difference without a Change is about.
enum class Subject { Policy, Domain, Trust, Account, Host, Iis, Site, AppPool, Sql, Ssrs, Client, Dns, Balancer, Flow };
std::string to_string(Subject s);  // "domain", "account", "site", ...

// A difference that no Change expresses: the setting of one object, before and after.
struct Difference {
  Subject subject = Subject::Host;
  std::string object;  // the object's name: "web1", "web1/Reports" (a site on a host), "CORP\\alice"
  std::string field;   // the scenario key: "ip", "members", "groups"; "" when the object itself was added or removed
  std::string before;  // the value as a scenario writes it; "" = absent
  std::string after;
};

struct DesignDiff {
  // In canonical order, so that applying them to the first environment in turn never meets a
  // write-time refusal that the second does not have: the forest's KDS root key; SPNs removed
  // (kerberos-rules R1.7: an SPN is removed before it is added elsewhere); accounts created; SPNs
  // added; delegation; passwords; then the servers (SSRS, app pools, sites, SQL Server ports), each
  // group in the order of the second environment's accounts and hosts.
  std::vector<farm::Change> changes;
  std::vector<Difference> other;
  bool empty() const { return changes.empty() && other.empty(); }
};

// The scenario's name, title and description are not part of the design and are not compared.
DesignDiff design_diff(const farm::Environment& a, const farm::Environment& b);

}  // namespace kerbsim::analysis
