#include "farm/environment.h"

#include "directory/names.h"

namespace kerbsim::farm {

using directory::iequals;

Environment Environment::clone() const {
  Environment e;
  e.name = name;
  e.title = title;
  e.description = description;
  e.kdc_policy = kdc_policy;
  e.spn_negative_cache = spn_negative_cache;
  e.directory = directory.clone();
  e.dns = dns;
  e.load_balancers = load_balancers;
  e.hosts = hosts;
  e.flows = flows;
  return e;
}

const Host* Environment::host(const std::string& name) const {
  for (const auto& h : hosts)
    if (iequals(h.name, name)) return &h;
  return nullptr;
}

const Host* Environment::host_by_ip(const std::string& ip) const {
  for (const auto& h : hosts)
    if (h.ip == ip) return &h;
  return nullptr;
}

const net::LoadBalancer* Environment::balancer_by_vip(const std::string& ip) const {
  for (const auto& lb : load_balancers)
    if (lb.vip == ip) return &lb;
  return nullptr;
}

std::string Environment::dc_name(const std::string& domain_dns) const {
  const auto* d = directory.domain_by_dns(domain_dns);
  if (d && !d->dcs.empty()) return d->dcs.front();
  return "dc-" + (d ? directory::to_lower(d->netbios) : domain_dns);
}

}  // namespace kerbsim::farm
