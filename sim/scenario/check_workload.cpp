// Cross-references of flows, expectations and the workload: flow names, the hosts, accounts, DCs,
// clients, app pools and sites that workload events name, and simulation windows.
#include <algorithm>
#include <map>
#include <set>

#include "scenario/cross_check.h"
#include "scenario/syntax.h"

namespace kerbsim::scenario::xref {

void CrossCheck::flows_and_expectations() {
  std::map<std::string, std::string> names;
  for (auto& f : s_.flows) {
    if (!f.name.empty()) {
      if (const auto it = names.find(lower(f.name)); it != names.end())
        r_.at_path(p(f.at, "name"), "a second flow named " + quote(f.name) + first_at(it->second));
      else
        names.emplace(lower(f.name), p(f.at, "name"));
    }
    if (f.client.empty()) continue;
    const auto h = host_ref(f.client, p(f.at, "client"), "flow " + quote(f.name) + " runs on client " + f.client);
    if (h && !s_.hosts[*h].client)
      r_.at_path(p(f.at, "client"), "flow " + quote(f.name) + " runs on " + s_.hosts[*h].name + ", but " +
                                        s_.hosts[*h].name + " has no client role (\"client\": { ... })");
  }
  Names flows;
  for (const auto& f : s_.flows) flows.add(f.name);
  for (auto& e : s_.expect) {
    if (!e.flow.empty()) {
      if (const std::string* name = flows.find(e.flow)) {
        e.flow = *name;
      } else {
        std::string msg = "the expectation is about flow " + quote(e.flow) + ", but there is no flow of that name";
        if (const std::string close = suggest(e.flow, flows.list); !close.empty())
          msg += "; did you mean " + quote(close) + "?";
        else if (!flows.list.empty())
          msg += " (flows: " + short_list(flows.list) + ")";
        r_.at_path(p(e.at, "flow"), msg);
      }
    }
    if (!e.via.empty()) host_ref(e.via, p(e.at, "via"), "the expectation goes via " + e.via);
    if (e.simulation) {
      auto& sim = *e.simulation;
      if (!sim.node.empty())
        if (const auto h = host_ref(sim.node, p(sim.at, "node"), "the expectation is about node " + sim.node))
          sim.node = s_.hosts[*h].name;
      if (!sim.flow.empty()) flow_ref(flows, sim.flow, p(sim.at, "flow"), "the expectation is about flow ");
      const spec::Seconds duration = s_.workload ? s_.workload->duration : spec::Workload{}.duration;
      if (sim.from >= duration)
        r_.at_path(p(sim.at, "from"), "the window starts at or after the end of the simulation (the workload runs " +
                                          std::to_string(duration) + " s), so it would measure nothing");
    }
  }
  if (s_.workload)
    for (std::size_t i = 0; i < s_.workload->flows.size(); ++i)
      flow_ref(flows, s_.workload->flows[i], p(p(s_.workload->at, "flows"), i), "the workload runs flow ");
}

void CrossCheck::flow_ref(const Names& flows, std::string& name, const std::string& path, const std::string& what) {
  if (const std::string* found = flows.find(name)) {
    name = *found;
    return;
  }
  std::string msg = what + quote(name) + ", but there is no flow of that name";
  if (const std::string close = suggest(name, flows.list); !close.empty())
    msg += "; did you mean " + quote(close) + "?";
  else if (!flows.list.empty())
    msg += " (flows: " + short_list(flows.list) + ")";
  r_.at_path(path, msg);
}

std::optional<std::size_t> CrossCheck::event_host(spec::WorkloadEvent& ev) {
  Value* v = field(ev, "host");
  if (!v || !v->is_string()) return std::nullopt;
  std::string name = v->as_string();
  const auto h = host_ref(name, p(ev.at, "host"), "the event names host " + name);
  if (h) *v = Value(name);
  return h;
}

Value* CrossCheck::field(spec::WorkloadEvent& ev, const std::string& key) {
  if (!ev.fields.is_object()) return nullptr;
  for (auto& [k, v] : ev.fields.as_object())
    if (k == key) return &v;
  return nullptr;
}

void CrossCheck::workload() {
  if (!s_.workload) return;
  for (auto& ev : s_.workload->events) {
    const auto h = event_host(ev);
    if (Value* v = field(ev, "account"); v && v->is_string()) {
      std::string problem;
      if (const Principal* pr = resolve(v->as_string(), problem))
        *v = Value(pr->canonical);
      else if (!s_.domains.empty())
        r_.at_path(p(ev.at, "account"), "the event names account " + quote(v->as_string()) + ", " + problem);
    }
    if (Value* v = field(ev, "allowed_to_act"); v && v->is_array()) {
      std::vector<std::string> refs;
      for (const auto& x : v->as_array()) refs.push_back(x.as_string());
      acting_accounts(refs, p(ev.at, "allowed_to_act"));
      Value array = Value::array();
      for (auto& x : refs) array.push(Value(std::move(x)));
      *v = std::move(array);
    }
    if (Value* v = field(ev, "dc"); v && v->is_string()) {
      std::string name = v->as_string();
      const auto dc = host_ref(name, p(ev.at, "dc"), "the event names DC " + name);
      if (dc && !dc_hosts_.count(*dc))
        r_.at_path(p(ev.at, "dc"), "the event names DC " + name + ", but no domain lists " + name + " in its \"dcs\"");
      if (dc) *v = Value(name);
    }
    if (Value* v = field(ev, "clients"); v && v->is_array()) {
      for (std::size_t i = 0; i < v->as_array().size(); ++i) {
        std::string name = v->as_array()[i].as_string();
        const auto c = host_ref(name, p(p(ev.at, "clients"), i), "the event names client " + name);
        if (c && !s_.hosts[*c].client)
          r_.at_path(p(p(ev.at, "clients"), i),
                     "the event names client " + name + ", but " + name + " has no client role");
        if (c) v->as_array()[i] = Value(name);
      }
    }
    if (!h) continue;
    const auto& host = s_.hosts[*h];
    const bool wants_iis = field(ev, "app_pool") || field(ev, "site");
    if (wants_iis && !host.iis) {
      r_.at_path(p(ev.at, "host"), "the event changes IIS on " + host.name + ", but " + host.name + " has no IIS");
      continue;
    }
    if (Value* v = field(ev, "app_pool"); v && v->is_string()) {
      if (const std::string* name = pools_[*h].find(v->as_string()))
        *v = Value(*name);
      else
        r_.at_path(p(ev.at, "app_pool"), "the event names app pool " + quote(v->as_string()) + ", but host " +
                                             host.name + " has no app pool of that name" + it_has(pools_[*h].list));
    }
    if (Value* v = field(ev, "site"); v && v->is_string()) {
      if (const std::string* name = sites_[*h].find(v->as_string()))
        *v = Value(*name);
      else
        r_.at_path(p(ev.at, "site"), "the event names site " + quote(v->as_string()) + ", but host " + host.name +
                                         " has no site of that name" + it_has(sites_[*h].list));
    }
    if (Value* v = field(ev, "identity"); v && v->is_string()) {
      std::string identity = v->as_string();
      pool_identity(host, identity, p(ev.at, "identity"), "the event sets the app pool identity to");
      *v = Value(identity);
    }
  }
}

}  // namespace kerbsim::scenario::xref
