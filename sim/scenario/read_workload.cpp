// Reads "workload": the simulated users and load, and the timeline of events, each action with the
// keys it takes.
#include <algorithm>
#include <charconv>
#include <optional>

#include "scenario/reader.h"

namespace kerbsim::scenario {

namespace {

const Kind kWorkload{"the workload",
                     "in the workload",
                     {"duration", "seed", "users", "requests_per_user_per_hour", "connection_reuse",
                      "kdc_capacity_per_s", "netlogon_max_concurrent_api", "flows", "logon_spread", "idle_timeout",
                      "replication_delay", "netlogon_call_ms", "netlogon_timeout", "network_rtt_ms", "server_time_ms",
                      "interval", "restart_keeps_previous_key", "group_counts", "events"},
                     {}};
const Kind kGroupShare{"a group count", "in a group count", {"groups", "share"}, {"groups", "share"}};

// Keys each workload event action takes besides "at" and "action": required, then optional.
struct ActionRule {
  std::string action;
  Strings required;
  Strings optional;
};

const std::vector<ActionRule>& action_rules() {
  static const std::vector<ActionRule> table = {
      {"add_spn", {"account", "spn"}, {}},
      {"remove_spn", {"account", "spn"}, {}},
      {"change_app_pool_identity", {"host", "app_pool", "identity"}, {}},
      {"set_use_app_pool_credentials", {"host", "site", "value"}, {}},
      {"set_kernel_mode", {"host", "site", "value"}, {}},
      {"set_delegation",
       {"account"},
       {"trusted_for_delegation", "trusted_to_auth_for_delegation", "allowed_to_delegate_to", "allowed_to_act",
        "sensitive"}},
      {"password_change", {"account"}, {}},
      {"app_pool_restart", {"host", "app_pool"}, {}},
      {"purge_tickets", {}, {"clients"}},
      {"node_down", {"host"}, {}},
      {"node_up", {"host"}, {}},
      {"dc_down", {"dc"}, {}},
      {"dc_up", {"dc"}, {}},
      {"clock_step", {"host", "offset"}, {}},
      {"clock_drift", {"host", "per_hour"}, {}},
  };
  return table;
}

}  // namespace

std::optional<spec::Workload> Reader::workload(const JsonNode& n) {
  if (!object(n, kWorkload)) return std::nullopt;
  spec::Workload w;
  w.at = n.path;
  w.line = n.line;
  w.column = n.column;
  duration(n.find("duration"), w.duration, {false, false});
  if (const auto* s = n.find("seed")) {
    std::uint64_t seed = 0;
    const bool digits =
        !s->text.empty() && std::all_of(s->text.begin(), s->text.end(), [](char c) { return c >= '0' && c <= '9'; });
    if (s->kind == JsonKind::integer && s->integer >= 0)
      w.seed = static_cast<std::uint64_t>(s->integer);
    else if (s->kind == JsonKind::number && digits &&
             std::from_chars(s->text.data(), s->text.data() + s->text.size(), seed).ec == std::errc())
      w.seed = seed;
    else if (s->kind == JsonKind::integer || s->kind == JsonKind::number)
      r_.at(*s, "\"seed\" must be a whole number from 0 to 18446744073709551615, not " + s->text);
    else
      wrong_type(*s, "a whole number");
  }
  whole(n.find("users"), w.users, 1);
  if (positive_real(n.find("requests_per_user_per_hour"), w.requests_per_user_per_hour) &&
      (w.requests_per_user_per_hour < 0.001 || w.requests_per_user_per_hour > 3600000))
    r_.at(*n.find("requests_per_user_per_hour"),
          "\"requests_per_user_per_hour\" must be from 0.001 to 3600000 (one a millisecond), not " +
              n.find("requests_per_user_per_hour")->text);
  whole(n.find("connection_reuse"), w.connection_reuse, 1);
  positive_real(n.find("kdc_capacity_per_s"), w.kdc_capacity_per_s);
  whole(n.find("netlogon_max_concurrent_api"), w.netlogon_max_concurrent_api, 1, 150);
  texts(n.find("flows"), w.flows);
  duration(n.find("logon_spread"), w.logon_spread, {false, true});
  duration(n.find("idle_timeout"), w.idle_timeout, {false, false});
  duration(n.find("replication_delay"), w.replication_delay, {false, true});
  whole(n.find("netlogon_call_ms"), w.netlogon_call_ms, 1, 600000);
  duration(n.find("netlogon_timeout"), w.netlogon_timeout, {false, false});
  whole(n.find("network_rtt_ms"), w.network_rtt_ms, 0, 60000);
  whole(n.find("server_time_ms"), w.server_time_ms, 0, 600000);
  duration(n.find("interval"), w.interval, {false, false});
  flag(n.find("restart_keeps_previous_key"), w.restart_keeps_previous_key);
  const auto shares = items(n.find("group_counts"));
  if (shares.size() > 16) r_.at(*n.find("group_counts"), "\"group_counts\" takes at most 16 shares");
  for (const auto* g : shares) {
    if (!object(*g, kGroupShare)) continue;
    spec::Workload::GroupShare share;
    whole(g->find("groups"), share.groups, 0, 5000);
    positive_real(g->find("share"), share.share);
    w.group_counts.push_back(share);
  }
  for (const auto* e : items(n.find("events"))) {
    if (!e->is_object()) {
      wrong_type(*e, "an object { ... }");
      continue;
    }
    w.events.push_back(event(*e));
  }
  return w;
}

spec::WorkloadEvent Reader::event(const JsonNode& n) {
  spec::WorkloadEvent ev;
  ev.at = n.path;
  ev.fields = Value::object();
  duration(n.find("at"), ev.at_time, {false, true});
  const auto& rules = action_rules();
  Strings actions;
  for (const auto& rule : rules) actions.push_back(rule.action);
  const ActionRule* rule = nullptr;
  if (const auto* a = n.find("action"); a && choice(a, ev.action, actions))
    rule = &*std::find_if(rules.begin(), rules.end(), [&](const ActionRule& x) { return x.action == ev.action; });
  if (!n.find("at")) r_.at(n, "a workload event needs \"at\"");
  if (!n.find("action")) r_.at(n, "a workload event needs \"action\"");
  if (!rule) return ev;
  Strings allowed = {"at", "action"};
  allowed.insert(allowed.end(), rule->required.begin(), rule->required.end());
  allowed.insert(allowed.end(), rule->optional.begin(), rule->optional.end());
  check_keys(n, allowed, "in a workload event with \"action\": " + quote(rule->action));
  for (const auto& key : rule->required)
    if (!n.find(key)) r_.at(n, "a workload event with \"action\": " + quote(rule->action) + " needs " + quote(key));
  if (rule->action == "set_delegation" &&
      std::none_of(rule->optional.begin(), rule->optional.end(), [&](const std::string& k) { return n.find(k); }))
    r_.at(n, "a set_delegation event changes at least one of " + join(rule->optional));
  for (const auto& child : n.children) {
    const std::string& key = child.key;
    if (key == "at" || key == "action" || std::find(allowed.begin(), allowed.end(), key) == allowed.end()) continue;
    if (auto v = event_field(child)) ev.fields.set(key, std::move(*v));
  }
  return ev;
}

std::optional<Value> Reader::event_field(const JsonNode& n) {
  const std::string& key = n.key;
  std::string s;
  bool b = false;
  if (key == "value" || key == "trusted_for_delegation" || key == "trusted_to_auth_for_delegation" ||
      key == "sensitive") {
    if (flag(&n, b)) return Value(b);
    return std::nullopt;
  }
  if (key == "offset" || key == "per_hour") {
    spec::Seconds offset = 0;
    if (duration(&n, offset, {true, true})) return Value(static_cast<std::int64_t>(offset));
    return std::nullopt;
  }
  if (key == "spn") {
    if (checked(&n, s, check_spn)) return Value(s);
    return std::nullopt;
  }
  if (key == "allowed_to_delegate_to" || key == "allowed_to_act") {
    std::vector<std::string> v;
    if (!texts(&n, v, key == "allowed_to_delegate_to" ? Check(check_spn) : Check())) return std::nullopt;
    Value array = Value::array();
    for (auto& x : v) array.push(Value(std::move(x)));
    return array;
  }
  if (key == "clients") {
    if (n.is_string()) {
      if (n.text == "all") return Value("all");
      r_.at(n, "\"clients\" must be \"all\" or a list of client host names, not " + quote(n.text));
      return std::nullopt;
    }
    std::vector<std::string> v;
    if (!n.is_array()) {
      wrong_type(n, "\"all\" or an array of host names");
      return std::nullopt;
    }
    if (!texts(&n, v)) return std::nullopt;
    Value array = Value::array();
    for (auto& x : v) array.push(Value(std::move(x)));
    return array;
  }
  if (nonempty_text(&n, s)) return Value(s);
  return std::nullopt;
}

}  // namespace kerbsim::scenario
