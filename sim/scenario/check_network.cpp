// Cross-references of the network: where a name leads (DNS records, CNAME chains, host names and
// addresses), duplicate and dangling DNS records, CNAME loops, and load balancer VIPs and members.
#include <algorithm>
#include <map>
#include <set>

#include "scenario/cross_check.h"
#include "scenario/syntax.h"

namespace kerbsim::scenario::xref {

Target CrossCheck::by_address(const std::string& ip) const {
  if (const auto it = host_by_ip_.find(ip); it != host_by_ip_.end()) return {TargetKind::host, it->second, ip};
  if (const auto it = lb_by_vip_.find(ip); it != lb_by_vip_.end()) return {TargetKind::load_balancer, it->second, ip};
  return {TargetKind::address, 0, ip};
}

// Where a name leads: DNS records first (following CNAMEs), then host FQDNs and short names. Every
// name met on the way keeps its answer, so long chains are walked once.
Target CrossCheck::resolve_name(const std::string& start) const {
  std::vector<std::string> walked;
  std::set<std::string> seen;
  std::string key = lower(start);
  Target result;
  while (true) {
    if (const auto it = resolved_.find(key); it != resolved_.end()) {
      result = it->second;
      break;
    }
    if (!seen.insert(key).second) break;
    walked.push_back(key);
    if (const auto it = dns_by_name_.find(key); it != dns_by_name_.end()) {
      const auto& rec = s_.dns[it->second];
      if (!rec.cname.empty()) {
        key = lower(rec.cname);
        continue;
      }
      if (!rec.a.empty()) result = by_address(rec.a);
      break;
    }
    if (const auto it = host_by_fqdn_.find(key); it != host_by_fqdn_.end())
      result = {TargetKind::host, it->second, ""};
    else if (const auto h = host_by_name(key))
      result = {TargetKind::host, *h, ""};
    else if (check_ipv4(key).empty())
      result = by_address(key);
    break;
  }
  for (const auto& k : walked) resolved_.emplace(k, result);
  return result;
}

void CrossCheck::dns() {
  for (std::size_t i = 0; i < s_.hosts.size(); ++i)
    if (!s_.hosts[i].name.empty()) host_by_fqdn_.emplace(lower(fqdn(s_.hosts[i])), i);
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
    if (!dns_by_name_.count(target) && !host_by_fqdn_.count(target) && !host_by_name(rec.cname))
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
