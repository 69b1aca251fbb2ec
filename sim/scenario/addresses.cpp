#include "scenario/addresses.h"

#include <cassert>
#include <set>

namespace kerbsim::scenario {

std::string host_fqdn(const spec::Host& h) {
  const std::string domain = h.domain.value_or("");
  return domain.empty() ? h.name : h.name + "." + domain;
}

std::vector<std::string> host_addresses(const spec::Scenario& s) {
  std::set<std::string> used;
  for (const auto& h : s.hosts)
    if (!h.ip.empty()) used.insert(h.ip);
  for (const auto& lb : s.load_balancers) used.insert(lb.vip);
  for (const auto& r : s.dns)
    if (!r.a.empty()) used.insert(r.a);
  std::vector<std::string> out;
  out.reserve(s.hosts.size());
  int next = 0;
  for (const auto& h : s.hosts) {
    if (!h.ip.empty()) {
      out.push_back(h.ip);
      continue;
    }
    for (;;) {
      std::string ip = "10.0." + std::to_string(next / 240) + "." + std::to_string(11 + next % 240);
      ++next;
      if (used.insert(ip).second) {
        out.push_back(std::move(ip));
        break;
      }
    }
  }
  return out;
}

net::Dns scenario_dns(const spec::Scenario& s, const std::vector<std::string>& addresses) {
  assert(addresses.size() == s.hosts.size());
  net::Dns dns;
  for (std::size_t i = 0; i < s.hosts.size(); ++i) dns.add_a(host_fqdn(s.hosts[i]), addresses[i]);
  for (const auto& r : s.dns) {
    if (!r.a.empty()) dns.add_a(r.name, r.a);
    if (!r.cname.empty()) dns.add_cname(r.name, r.cname);
  }
  return dns;
}

}  // namespace kerbsim::scenario
