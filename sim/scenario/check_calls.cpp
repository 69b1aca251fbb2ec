// Cross-references of the calls servers make to each other: each call's target, URL or SQL instance,
// and the call graph, whose loops would keep a request from ever finishing.
#include <algorithm>
#include <map>
#include <set>

#include "net/url.h"
#include "scenario/cross_check.h"
#include "scenario/syntax.h"

namespace kerbsim::scenario::xref {

int CrossCheck::node_for_web(std::size_t host) {
  const std::string key = "web:" + std::to_string(host);
  if (const auto it = node_ids_.find(key); it != node_ids_.end()) return it->second;
  const auto& h = s_.hosts[host];
  const std::string role = h.iis && h.ssrs ? "IIS/SSRS" : h.iis ? "IIS" : "SSRS";
  return add_node(key, h.name + " (" + role + ")");
}

int CrossCheck::node_for_sql(std::size_t host, const std::string& instance) {
  const std::string key = "sql:" + std::to_string(host) + ":" + lower(instance);
  if (const auto it = node_ids_.find(key); it != node_ids_.end()) return it->second;
  return add_node(key, s_.hosts[host].name + "\\" + instance);
}

int CrossCheck::add_node(const std::string& key, const std::string& label) {
  const int id = static_cast<int>(labels_.size());
  node_ids_.emplace(key, id);
  labels_.push_back(label);
  edges_.emplace_back();
  return id;
}

// Takes the target id first: creating a node may move edges_.
void CrossCheck::add_edge(int from, int to, const std::string& path) {
  edges_[static_cast<std::size_t>(from)].push_back({to, path});
}

void CrossCheck::calls() {
  std::vector<CallSite> sites;
  for (std::size_t hi = 0; hi < s_.hosts.size(); ++hi) {
    auto& h = s_.hosts[hi];
    if (h.iis)
      for (auto& site : h.iis->sites)
        for (auto& c : site.calls) sites.push_back({&c, node_for_web(hi), false, hi});
    if (h.ssrs)
      for (auto& c : h.ssrs->calls) sites.push_back({&c, node_for_web(hi), false, hi});
    if (h.sql)
      for (auto& in : h.sql->instances)
        for (auto& c : in.calls) sites.push_back({&c, node_for_sql(hi, in.name), true, hi});
  }
  for (auto& cs : sites) call(cs);
  cycles();
}

void CrossCheck::call(CallSite& cs) {
  spec::Call& c = *cs.call;
  if (c.as != "caller" && c.as != "process" && c.as != "anonymous")
    user_ref(c.as, p(c.at, "as"), "the call is made as " + quote(c.as),
             "a call runs as caller, process, anonymous, or a user account or gMSA");
  const std::string to_path = p(c.at, "to");
  if (c.to.empty() || r_.flagged(to_path)) return;
  const bool url_bad = r_.has(p(c.at, "url")) && (c.url.empty() || r_.flagged(p(c.at, "url")));
  const bool instance_bad = r_.has(p(c.at, "instance")) && (c.instance.empty() || r_.flagged(p(c.at, "instance")));
  const Target t = resolve_call_name(c.to, cs.from_host);
  if (t.kind == TargetKind::none) {
    r_.at_path(to_path, "the call goes to " + quote(c.to) + leads_nowhere(c.to, t));
    return;
  }
  if (t.kind == TargetKind::address) {
    r_.at_path(to_path, "the call goes to " + quote(c.to) + ", which resolves to " + t.address +
                            ": no host has that address and no load balancer that VIP");
    return;
  }
  if (const auto h = host_by_name(c.to)) c.to = s_.hosts[*h].name;
  if (url_bad || instance_bad) return;
  // An HTTP call connects to its URL's host (farm::resolve_call), so "to" must lead to the same place.
  if (const auto url = net::parse_url(c.url); url && !iequals(url->host, c.to)) {
    const Target by_url = resolve_call_name(url->host, cs.from_host);
    if (!by_url.same_place(t)) {
      r_.at_path(p(c.at, "url"), "the call goes to " + quote(c.to) + ", but its URL names " + quote(url->host) +
                                     ", which " + leads_to(by_url) + "; the call connects to the URL's host");
      return;
    }
  }
  if (t.kind == TargetKind::load_balancer) {
    const auto& lb = s_.load_balancers[t.index];
    if (!c.instance.empty() || c.url.empty()) {
      r_.at_path(c.instance.empty() ? to_path : p(c.at, "instance"),
                 "the call goes to load balancer " + lb.name + ", which serves HTTP: name a \"url\"");
      return;
    }
    for (const auto& m : lb.members)
      if (const auto h = host_by_name(m); h && (s_.hosts[*h].iis || s_.hosts[*h].ssrs))
        add_edge(cs.from_node, node_for_web(*h), c.at);
    return;
  }
  const auto& target = s_.hosts[t.index];
  if (!c.url.empty()) {
    if (!target.iis && !target.ssrs) {
      r_.at_path(p(c.at, "url"), "the call requests " + quote(c.url) + " from " + target.name + ", but " + target.name +
                                     " has no IIS or SSRS");
      return;
    }
    add_edge(cs.from_node, node_for_web(t.index), c.at);
    return;
  }
  if (!target.sql) {
    if (c.instance.empty())
      r_.at_path(c.at, "the call to " + target.name +
                           " needs \"url\" (an HTTP call) or \"instance\" (a SQL Server call)" +
                           (cs.from_sql ? "" : ", and " + target.name + " has no SQL Server"));
    else
      r_.at_path(p(c.at, "instance"),
                 "the call names SQL instance " + quote(c.instance) + ", but " + target.name + " has no SQL Server");
    return;
  }
  const Names& instances = instances_[t.index];
  if (c.instance.empty()) {
    if (instances.find("MSSQLSERVER"))
      c.instance = "MSSQLSERVER";
    else if (instances.list.size() == 1)
      c.instance = instances.list.front();
    else {
      r_.at_path(c.at, "the call to " + target.name + " must name its \"instance\"" + it_has(instances.list));
      return;
    }
  } else if (const std::string* name = instances.find(c.instance)) {
    c.instance = *name;
  } else {
    r_.at_path(p(c.at, "instance"), "the call names SQL instance " + quote(c.instance) + ", but " + target.name +
                                        " has no instance of that name" + it_has(instances.list));
    return;
  }
  add_edge(cs.from_node, node_for_sql(t.index, c.instance), c.at);
}

// Calls that lead back to where they started would never finish; reported once per loop, at the
// call that closes it.
void CrossCheck::cycles() {
  const std::size_t n = labels_.size();
  std::vector<int> color(n, 0);
  std::set<std::vector<int>> reported;
  for (std::size_t start = 0; start < n; ++start) {
    if (color[start] != 0) continue;
    std::vector<std::pair<int, std::size_t>> stack = {{static_cast<int>(start), 0}};
    color[start] = 1;
    while (!stack.empty()) {
      auto& [node, next] = stack.back();
      const auto& out = edges_[static_cast<std::size_t>(node)];
      if (next == out.size()) {
        color[static_cast<std::size_t>(node)] = 2;
        stack.pop_back();
        continue;
      }
      const Edge edge = out[next++];
      const auto target = static_cast<std::size_t>(edge.to);
      if (color[target] == 0) {
        color[target] = 1;
        stack.push_back({edge.to, 0});
      } else if (color[target] == 1 && reported.size() < 10) {
        std::vector<int> loop;
        bool in_loop = false;
        for (const auto& [id, unused] : stack) {
          if (id == edge.to) in_loop = true;
          if (in_loop) loop.push_back(id);
        }
        std::vector<int> key = loop;
        std::sort(key.begin(), key.end());
        if (!reported.insert(key).second) continue;
        Strings names;
        for (const int id : loop) names.push_back(labels_[static_cast<std::size_t>(id)]);
        names.push_back(labels_[target]);
        r_.at_path(p(edge.path, "to"),
                   "these calls go round in a loop, so a request would never finish: " + loop_text(names));
      }
    }
  }
}

}  // namespace kerbsim::scenario::xref
