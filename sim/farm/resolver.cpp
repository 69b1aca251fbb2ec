#include "farm/resolver.h"

namespace kerbsim::farm {

UrlTarget resolve_url(const Environment& env, const std::string& url, const std::string& client_domain) {
  UrlTarget t;
  t.url = net::parse_url(url);
  if (!t.url) return t;
  if (t.url->host_is_ip()) {
    t.ip = t.url->host;
    t.dns.found = true;
    t.dns.ip = t.ip;
    t.dns.canonical = t.url->host;
  } else {
    t.dns = env.dns.resolve(t.url->host, client_domain);
    t.ip = t.dns.ip;
  }
  if (!t.dns.found) return t;
  if (const net::LoadBalancer* lb = env.balancer_by_vip(t.ip)) {
    t.balancer = lb;
    for (const auto& member : lb->members)
      if (const Host* node = env.host(member)) t.nodes.push_back(node);
  } else if (const Host* node = env.host_by_ip(t.ip)) {
    t.nodes.push_back(node);
  }
  return t;
}

CallTarget resolve_call(const Environment& env, const Host& from, const base::Call& call) {
  CallTarget t;
  std::string name = call.to;
  if (!call.url.empty())
    if (auto u = net::parse_url(call.url)) {
      t.url = u;
      name = u->host;
    }
  t.name_used = name;
  t.host = env.host(name);
  if (t.host) {
    t.fqdn = t.host->fqdn;
    return t;
  }
  const net::DnsAnswer dns = env.dns.resolve(name, from.domain);
  if (!dns.found) return t;
  t.fqdn = dns.canonical;
  if (const net::LoadBalancer* lb = env.balancer_by_vip(dns.ip)) {
    for (const auto& member : lb->members)
      if ((t.host = env.host(member))) break;
  } else {
    t.host = env.host_by_ip(dns.ip);
  }
  return t;
}

}  // namespace kerbsim::farm
