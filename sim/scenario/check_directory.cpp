// Cross-references of the directory: duplicate domains and hosts, forests, host domains and addresses,
// account names made canonical, delegation targets, domain controllers and trusts.
#include <algorithm>
#include <map>
#include <set>

#include "scenario/cross_check.h"
#include "scenario/syntax.h"

namespace kerbsim::scenario::xref {

void CrossCheck::domains() {
  for (std::size_t i = 0; i < s_.domains.size(); ++i) {
    auto& d = s_.domains[i];
    if (d.dns.empty()) continue;
    if (const auto it = domain_by_dns_.find(lower(d.dns)); it != domain_by_dns_.end())
      r_.at_path(p(d.at, "dns"),
                 "a second domain named " + quote(d.dns) + first_at(p(s_.domains[it->second].at, "dns")));
    else
      domain_by_dns_.emplace(lower(d.dns), i);
    if (d.netbios.empty()) continue;
    if (const auto it = domain_by_netbios_.find(lower(d.netbios)); it != domain_by_netbios_.end())
      r_.at_path(r_.has(p(d.at, "netbios")) ? p(d.at, "netbios") : p(d.at, "dns"),
                 "a second domain with the NetBIOS name " + quote(d.netbios) +
                     first_at(p(s_.domains[it->second].at, "netbios")));
    else
      domain_by_netbios_.emplace(lower(d.netbios), i);
  }
  const auto is_root = [](const spec::Domain& d) { return d.forest.empty() || iequals(d.forest, d.dns); };
  for (auto& d : s_.domains) {
    if (d.forest.empty()) continue;
    const auto f = domain_by_dns(d.forest);
    if (!f) {
      r_.at_path(p(d.at, "forest"), "forest " + quote(d.forest) +
                                        " is not a domain in this file (domains: " + short_list(domain_names()) + ")");
    } else if (!is_root(s_.domains[*f])) {
      r_.at_path(p(d.at, "forest"), "forest " + quote(d.forest) + " must name a forest root, but " +
                                        s_.domains[*f].dns + " is itself in forest " + s_.domains[*f].forest);
    } else {
      d.forest = s_.domains[*f].dns;
    }
  }
  for (auto& d : s_.domains)
    if (d.forest.empty()) d.forest = d.dns;
}

void CrossCheck::hosts() {
  const bool domains_written_as_array = !r_.has("/domains") || r_.node("/domains")->is_array();
  bool needs_domain = s_.hosts.empty() || !s_.accounts.empty() || !s_.trusts.empty();
  for (const auto& h : s_.hosts) needs_domain = needs_domain || h.domain.has_value();
  if (s_.domains.empty() && needs_domain && domains_written_as_array)
    r_.at_path("/domains",
               "a scenario needs at least one domain in \"domains\" (only a scenario of workgroup machines, "
               "with no accounts or trusts, may have none)");

  auto& by_ip = host_by_ip_;
  for (const auto& h : s_.hosts) host_names_.push_back(h.name);
  for (std::size_t i = 0; i < s_.load_balancers.size(); ++i)
    if (!s_.load_balancers[i].vip.empty()) lb_by_vip_.emplace(s_.load_balancers[i].vip, i);
  for (std::size_t i = 0; i < s_.hosts.size(); ++i) {
    auto& h = s_.hosts[i];
    if (!h.name.empty()) {
      if (const auto it = host_by_name_.find(lower(h.name)); it != host_by_name_.end())
        r_.at_path(p(h.at, "name"),
                   "a second host named " + quote(h.name) + first_at(p(s_.hosts[it->second].at, "name")));
      else
        host_by_name_.emplace(lower(h.name), i);
      if (const auto d = domain_by_netbios(h.name))
        r_.at_path(p(h.at, "name"), "host " + h.name + " has the NetBIOS name of domain " + s_.domains[*d].dns +
                                        "; Windows does not allow a computer to share its domain's NetBIOS name");
    }
    if (!h.domain && r_.flagged(p(h.at, "domain"))) h.domain = r_.node(p(h.at, "domain"))->text;
    if (h.domain) {
      if (const auto d = domain_by_dns(*h.domain))
        h.domain = s_.domains[*d].dns;
      else if (!s_.domains.empty())
        r_.at_path(p(h.at, "domain"), "host " + h.name + " is in domain " + quote(*h.domain) +
                                          ", which is not in \"domains\" (domains: " + short_list(domain_names()) +
                                          ")");
    } else if (!r_.has(p(h.at, "domain")) && !s_.domains.empty()) {
      h.domain = s_.domains[0].dns;
    }
    if (!h.domain && r_.has(p(h.at, "account")))
      r_.at_path(p(h.at, "account"),
                 "host " + h.name + " is a workgroup machine: it has no computer account to set \"account\" on");
    if (!h.ip.empty()) {
      if (const auto it = by_ip.find(h.ip); it != by_ip.end())
        r_.at_path(p(h.at, "ip"), "host " + h.name + " has the IP address " + h.ip + " of host " +
                                      s_.hosts[it->second].name + line_note(p(s_.hosts[it->second].at, "ip")));
      else
        by_ip.emplace(h.ip, i);
    }
  }
}

void CrossCheck::principals() {
  for (std::size_t i = 0; i < s_.hosts.size(); ++i) {
    const auto& h = s_.hosts[i];
    if (!h.domain || h.name.empty() || !host_by_name(h.name) || *host_by_name(h.name) != i) continue;
    const auto d = domain_by_dns(*h.domain);
    if (!d) continue;
    Principal pr{s_.domains[*d].netbios + "\\" + upper(h.name) + "$", "computer", *d, p(h.at, "name")};
    principals_.emplace(lower(pr.canonical), pr);
  }
  for (auto& a : s_.accounts) {
    if (a.name.empty() || s_.domains.empty()) continue;
    const auto slash = a.name.find('\\');
    std::optional<std::size_t> d;
    std::string name = a.name;
    if (slash == std::string::npos) {
      if (s_.domains.size() > 1) {
        Strings options;
        for (const auto& dom : s_.domains) options.push_back(quote(dom.netbios + "\\" + a.name));
        r_.at_path(p(a.at, "name"),
                   "account " + quote(a.name) +
                       " must name its domain, since the scenario has several: " + join(options, " or "));
        continue;
      }
      d = 0;
    } else {
      d = domain_by_netbios(a.name.substr(0, slash));
      name = a.name.substr(slash + 1);
      if (!d) {
        r_.at_path(p(a.at, "name"), "account " + quote(a.name) + " is in domain " + quote(a.name.substr(0, slash)) +
                                        ", which is not the NetBIOS name of a domain in this file (domains: " +
                                        short_list(netbios_names()) + ")");
        continue;
      }
    }
    a.name = s_.domains[*d].netbios + "\\" + name;
    Principal pr{a.name, a.type, *d, p(a.at, "name")};
    if (const auto it = principals_.find(lower(a.name)); it != principals_.end()) {
      if (it->second.path.find("/hosts/") == 0)
        r_.at_path(p(a.at, "name"), quote(a.name) + " is the computer account of host " +
                                        s_.hosts[*host_by_name(name.substr(0, name.size() - 1))].name +
                                        line_note(it->second.path) + "; set its options in that host's \"account\"");
      else
        r_.at_path(p(a.at, "name"), "a second account named " + quote(a.name) + first_at(it->second.path));
      continue;
    }
    principals_.emplace(lower(a.name), pr);
  }
}

void CrossCheck::acting_accounts(std::vector<std::string>& refs, const std::string& path) {
  for (std::size_t i = 0; i < refs.size(); ++i) {
    std::string problem;
    if (const Principal* pr = resolve(refs[i], problem))
      refs[i] = pr->canonical;
    else if (!s_.domains.empty())
      r_.at_path(p(path, i), "\"allowed_to_act\" lists " + quote(refs[i]) + ", " + problem);
  }
}

void CrossCheck::delegation_targets() {
  for (auto& a : s_.accounts) acting_accounts(a.delegation.allowed_to_act, p(a.at, "allowed_to_act"));
  for (auto& h : s_.hosts)
    if (h.domain) acting_accounts(h.account.allowed_to_act, p(p(h.at, "account"), "allowed_to_act"));
}

void CrossCheck::dcs() {
  std::map<std::size_t, std::size_t> dc_of;
  for (std::size_t di = 0; di < s_.domains.size(); ++di) {
    auto& d = s_.domains[di];
    for (std::size_t i = 0; i < d.dcs.size(); ++i) {
      const std::string path = p(p(d.at, "dcs"), i);
      const auto h = host_ref(d.dcs[i], path, "domain " + d.dns + " lists the DC " + d.dcs[i]);
      if (!h) continue;
      const auto& host = s_.hosts[*h];
      if (!host.domain)
        r_.at_path(path,
                   "domain " + d.dns + " lists the DC " + host.name + ", but " + host.name + " is a workgroup machine");
      else if (!iequals(*host.domain, d.dns))
        r_.at_path(path,
                   "domain " + d.dns + " lists the DC " + host.name + ", but " + host.name + " is in " + *host.domain);
      else if (const auto it = dc_of.find(*h); it != dc_of.end() && it->second != di)
        r_.at_path(path, host.name + " is already a DC of " + s_.domains[it->second].dns);
      else
        dc_of.emplace(*h, di);
      dc_hosts_.insert(*h);
    }
  }
}

void CrossCheck::trusts() {
  std::map<std::pair<std::size_t, std::size_t>, std::string> seen;
  for (auto& t : s_.trusts) {
    std::optional<std::size_t> ends[2];
    std::string* names[2] = {&t.from, &t.to};
    const char* keys[2] = {"from", "to"};
    for (int k = 0; k < 2; ++k) {
      if (names[k]->empty()) continue;
      ends[k] = domain_by_dns(*names[k]);
      if (!ends[k]) {
        if (!s_.domains.empty())
          r_.at_path(p(t.at, keys[k]), "the trust names domain " + quote(*names[k]) +
                                           ", which is not in \"domains\" (domains: " + short_list(domain_names()) +
                                           ")");
      } else {
        *names[k] = s_.domains[*ends[k]].dns;
      }
    }
    if (!ends[0] || !ends[1]) continue;
    const auto& from = s_.domains[*ends[0]];
    const auto& to = s_.domains[*ends[1]];
    if (*ends[0] == *ends[1]) {
      r_.at_path(p(t.at, "to"), "a trust joins two different domains; this one goes from " + from.dns + " to itself");
      continue;
    }
    if (iequals(from.forest, to.forest)) {
      r_.at_path(p(t.at, "to"), from.dns + " and " + to.dns +
                                    " are in one forest and already trust each other; "
                                    "a trust is for domains of other forests");
      continue;
    }
    if (t.kind == "forest") {
      for (const auto* d : {&from, &to})
        if (!iequals(d->forest, d->dns))
          r_.at_path(p(t.at, d == &from ? "from" : "to"), "a forest trust joins two forest roots, but " + d->dns +
                                                              " is in forest " + d->forest +
                                                              " (name the root, or use \"kind\": \"external\")");
    }
    const auto key = std::minmax(*ends[0], *ends[1]);
    if (const auto it = seen.find(key); it != seen.end())
      r_.at_path(t.at, "a second trust between " + from.dns + " and " + to.dns + first_at(it->second));
    else
      seen.emplace(key, t.at);
  }
}

}  // namespace kerbsim::scenario::xref
