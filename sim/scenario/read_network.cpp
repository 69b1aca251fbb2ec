// Reads the network sections of a scenario: the "dns" records and the "load_balancers", each with the
// keys it allows.
#include <algorithm>
#include <optional>

#include "scenario/reader.h"

namespace kerbsim::scenario {

namespace {

const Kind kDnsRecord{"a DNS record", "in a DNS record", {"a", "cname"}, {}};
const Kind kLoadBalancer{"a load balancer",
                         "in a load balancer",
                         {"name", "vip", "members", "algorithm", "affinity", "layer"},
                         {"name", "vip", "members"}};

const Strings kAlgorithms = {"round_robin", "least_connections", "source_ip_hash", "random"};
const Strings kAffinities = {"none", "source_ip", "cookie"};

}  // namespace

void Reader::dns(const JsonNode& n, std::vector<spec::DnsRecord>& out) {
  if (!n.is_object()) {
    r_.at(n,
          "\"dns\" must be an object of names, such as { \"portal.corp.contoso.com\": { \"cname\": "
          "\"web1.corp.contoso.com\" } }, not " +
              describe_kind(n));
    return;
  }
  for (const auto& e : n.children) {
    spec::DnsRecord rec;
    rec.at = e.path;
    rec.name = e.key;
    if (std::string problem = check_dns_name(e.key, "DNS name"); !problem.empty()) r_.at_key(e, problem);
    if (!e.is_object()) {
      r_.at(e,
            "the DNS record " + quote(e.key) +
                " must be an object such as { \"a\": \"10.0.0.5\" } or { \"cname\": \"web1.corp.contoso.com\" }, not " +
                describe_kind(e));
      continue;
    }
    check_keys(e, kDnsRecord.keys, kDnsRecord.where);
    checked(e.find("a"), rec.a, check_ipv4);
    checked(e.find("cname"), rec.cname, dns_check("DNS name"));
    if (e.find("a") && e.find("cname"))
      r_.at(e, "the DNS record " + quote(e.key) +
                   " has both \"a\" and \"cname\"; a name is either an address or an alias");
    else if (!e.find("a") && !e.find("cname"))
      r_.at(e, "the DNS record " + quote(e.key) + " needs \"a\" (an IPv4 address) or \"cname\" (another name)");
    out.push_back(std::move(rec));
  }
}

std::optional<spec::LoadBalancer> Reader::load_balancer(const JsonNode& n) {
  if (!object(n, kLoadBalancer)) return std::nullopt;
  spec::LoadBalancer lb;
  lb.at = n.path;
  nonempty_text(n.find("name"), lb.name);
  checked(n.find("vip"), lb.vip, check_ipv4);
  if (const auto* m = n.find("members"); texts(m, lb.members) && m->children.empty())
    r_.at(*m, "load balancer " + lb.name + " has no members; list at least one host");
  choice(n.find("algorithm"), lb.algorithm, kAlgorithms);
  choice(n.find("affinity"), lb.affinity, kAffinities);
  if (const auto* l = n.find("layer")) {
    int layer = 0;
    if (whole(l, layer, 0)) {
      if (layer == 4 || layer == 7)
        lb.layer = layer;
      else
        r_.at(*l, "\"layer\" must be 4 (keeps client connections) or 7 (re-pools them), not " + l->text);
    }
  }
  if (lb.affinity == "cookie" && lb.layer == 4)
    r_.at_path(n.path + "/affinity",
               "cookie affinity needs a layer-7 load balancer (\"layer\": 7): a layer-4 one never sees the cookie");
  return lb;
}

}  // namespace kerbsim::scenario
