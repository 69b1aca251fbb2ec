// Cross-references of the network: where a call's name leads (through the same net::Dns as the trace),
// duplicate and dangling DNS records, CNAME loops, and load balancer VIPs and members.
#include <algorithm>
#include <map>
#include <set>

#include "scenario/addresses.h"
#include "scenario/cross_check.h"
#include "scenario/syntax.h"

namespace kerbsim::scenario::xref {

Target CrossCheck::by_address(const std::string& ip) const {
  if (const auto it = host_by_address_.find(ip); it != host_by_address_.end())
    return {TargetKind::host, it->second, ip, {}};
  if (const auto it = lb_by_vip_.find(ip); it != lb_by_vip_.end())
    return {TargetKind::load_balancer, it->second, ip, {}};
  return {TargetKind::address, 0, ip, {}};
}

// Where a call's name leads, decided as farm::resolve_call decides it for the trace: a host's own name
// first, then the DNS the trace asks, as the calling host asks it (its domain completes a dotless name;
// net::Dns follows at most kMaxChain CNAMEs), then the address of the answer.
Target CrossCheck::resolve_call_name(const std::string& name, std::size_t from_host) const {
  if (const auto h = host_by_name(name)) return {TargetKind::host, *h, "", {}};
  net::DnsAnswer answer = dns_.resolve(name, s_.hosts[from_host].domain.value_or(""));
  Target t = answer.found ? by_address(answer.ip) : Target{};
  t.dns = std::move(answer);
  return t;
}

// Why a call's name leads nowhere, continuing "the call goes to NAME".
std::string CrossCheck::leads_nowhere(const std::string& name, const Target& t) {
  if (check_ipv4(name).empty())
    return ", an IP address: a call names a host or a DNS name, which the calling code looks up";
  std::set<std::string> met = {lower(t.dns.queried)};
  bool loop = false;
  for (const auto& alias : t.dns.cnames) loop = !met.insert(lower(alias)).second || loop;
  if (!loop && t.dns.cnames.size() > static_cast<std::size_t>(net::Dns::kMaxChain))
    return ", but DNS follows at most " + std::to_string(net::Dns::kMaxChain) + " CNAMEs and the chain from " +
           t.dns.queried + " is longer";
  return ", but no host has that name and no DNS record leads to one";
}

// "leads to host web1", "resolves to 10.0.0.9, which no host or load balancer has", ...
std::string CrossCheck::leads_to(const Target& t) const {
  switch (t.kind) {
    case TargetKind::host:
      return "leads to host " + s_.hosts[t.index].name;
    case TargetKind::load_balancer:
      return "leads to load balancer " + s_.load_balancers[t.index].name;
    case TargetKind::address:
      return "resolves to " + t.address + ", which no host or load balancer has";
    case TargetKind::none:
      break;
  }
  return "leads nowhere";
}

void CrossCheck::dns() {
  const Strings addresses = host_addresses(s_);
  for (std::size_t i = 0; i < s_.hosts.size(); ++i) {
    host_by_address_.emplace(addresses[i], i);
    if (!s_.hosts[i].name.empty()) host_by_fqdn_.emplace(lower(host_fqdn(s_.hosts[i])), i);
  }
  dns_ = scenario_dns(s_, addresses);
  for (std::size_t i = 0; i < s_.dns.size(); ++i) {
    const auto& rec = s_.dns[i];
    const std::string key = lower(rec.name);
    if (const auto it = dns_by_name_.find(key); it != dns_by_name_.end()) {
      r_.at_key(*r_.node(rec.at), "a second DNS record for " + quote(rec.name) + first_at(s_.dns[it->second].at));
      continue;
    }
    if (const auto it = host_by_fqdn_.find(key); it != host_by_fqdn_.end()) {
      const JsonNode* n = r_.node(rec.at);
      if (n)
        r_.at_key(*n, quote(rec.name) + " is already the automatic A record of host " + s_.hosts[it->second].name +
                          line_note(p(s_.hosts[it->second].at, "name")) + "; remove this record");
      continue;
    }
    dns_by_name_.emplace(key, i);
  }
  for (const auto& rec : s_.dns) {
    if (rec.cname.empty()) continue;
    const std::string target = lower(rec.cname);
    if (dns_by_name_.count(target) || host_by_fqdn_.count(target)) continue;
    // DNS asks for a CNAME's target as written: no suffix completes a host's short name (net::Dns::resolve).
    if (const auto h = host_by_name(rec.cname))
      r_.at_path(p(rec.at, "cname"), "the CNAME " + quote(rec.name) + " points to " + quote(rec.cname) +
                                         ", which has no DNS record: DNS adds no suffix to a CNAME's target, so "
                                         "write host " +
                                         s_.hosts[*h].name + "'s DNS name " + quote(host_fqdn(s_.hosts[*h])));
    else
      r_.at_path(p(rec.at, "cname"), "the CNAME " + quote(rec.name) + " points to " + quote(rec.cname) +
                                         ", which has no DNS record and is no host's name");
  }
  // Each record is walked once: 1 = on the chain being followed, 2 = settled.
  std::vector<int> state(s_.dns.size(), 0);
  for (std::size_t i = 0; i < s_.dns.size(); ++i) {
    std::vector<std::size_t> chain;
    std::size_t at = i;
    bool loop = false;
    while (state[at] == 0 && !s_.dns[at].cname.empty()) {
      state[at] = 1;
      chain.push_back(at);
      const auto it = dns_by_name_.find(lower(s_.dns[at].cname));
      if (it == dns_by_name_.end()) break;
      at = it->second;
      loop = state[at] == 1;
    }
    if (loop) {
      const auto loop_start = std::find(chain.begin(), chain.end(), at);
      Strings names;
      for (auto k = loop_start; k != chain.end(); ++k) names.push_back(s_.dns[*k].name);
      names.push_back(s_.dns[at].name);
      r_.at_path(p(s_.dns[at].at, "cname"), "CNAME loop: " + loop_text(names));
    }
    for (const auto k : chain) state[k] = 2;
  }
}

void CrossCheck::load_balancers() {
  std::map<std::string, std::string> names;
  std::map<std::string, std::string> vips;
  for (auto& lb : s_.load_balancers) {
    if (!lb.name.empty()) {
      if (const auto it = names.find(lower(lb.name)); it != names.end())
        r_.at_path(p(lb.at, "name"), "a second load balancer named " + quote(lb.name) + first_at(it->second));
      else
        names.emplace(lower(lb.name), p(lb.at, "name"));
    }
    if (!lb.vip.empty()) {
      const Target t = by_address(lb.vip);
      if (t.kind == TargetKind::host)
        r_.at_path(p(lb.at, "vip"), "the VIP " + lb.vip + " of load balancer " + lb.name + " is the address of host " +
                                        s_.hosts[t.index].name);
      else if (const auto it = vips.find(lb.vip); it != vips.end())
        r_.at_path(p(lb.at, "vip"), "the VIP " + lb.vip + " is already used by load balancer " + it->second);
      else
        vips.emplace(lb.vip, lb.name);
    }
    for (std::size_t i = 0; i < lb.members.size(); ++i) {
      const std::string path = p(p(lb.at, "members"), i);
      const auto h = host_ref(lb.members[i], path, "load balancer " + lb.name + " lists " + lb.members[i]);
      if (h && !s_.hosts[*h].iis && !s_.hosts[*h].ssrs)
        r_.at_path(path, "load balancer " + lb.name + " lists " + s_.hosts[*h].name + ", but " + s_.hosts[*h].name +
                             " has no IIS or SSRS");
    }
  }
}

}  // namespace kerbsim::scenario::xref
