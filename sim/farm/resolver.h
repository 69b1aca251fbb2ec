// Where a name leads in the farm, decided once: a client's URL through DNS (A records and CNAME
// chains) to a load balancer and its members, or to one host, or nowhere (iis-rules 4.4, 4.8, 5.1,
// 5.5); and a back-end call's target by host name, DNS name or balancer address.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "farm/environment.h"
#include "net/url.h"

namespace kerbsim::farm {

// A URL as one client resolves it.
struct UrlTarget {
  std::optional<net::Url> url;                  // nullopt: the URL does not parse (the loader rejects such a scenario)
  net::DnsAnswer dns;                           // for an IP address: found, with the address as the canonical name
  std::string ip;                               // the address the client connects to; "" when the name does not resolve
  const net::LoadBalancer* balancer = nullptr;  // the balancer whose VIP the address is
  std::vector<const Host*> nodes;  // the balancer's members, or the one host at the address; empty: nothing answers
};

// `url` as a client of DNS suffix `client_domain` resolves it (dotless names get the suffix).
UrlTarget resolve_url(const Environment& env, const std::string& url, const std::string& client_domain);

// A back-end call's target as the calling host's code names it.
struct CallTarget {
  const Host* host = nullptr;   // nullptr: no host answers for the name
  std::string name_used;        // the name the calling code used (an SPN is built from it)
  std::string fqdn;             // the canonical DNS name
  std::optional<net::Url> url;  // for a call to a web application
};

// A call names a host (its scenario name) or a DNS name; a name whose address is a balancer's VIP
// is followed to the balancer's first member that is a host, as the calling tier keeps one
// connection (iis-rules 5.1). An address is a balancer's VIP before it is a host's, as for a URL.
CallTarget resolve_call(const Environment& env, const Host& from, const base::Call& call);

}  // namespace kerbsim::farm
