#include "scenario/writer.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <utility>
#include <vector>

#include "kerbsim/value.h"
#include "scenario/implied_defaults.h"
#include "scenario/validate.h"

namespace kerbsim::scenario {

namespace {

// ---- a JSON document ready to lay out: scalars hold their JSON text ----

struct Json {
  enum class Kind { scalar, array, object };
  Kind kind = Kind::scalar;
  std::string token;
  std::vector<std::string> keys;  // object: the keys, in the order written
  std::vector<Json> items;        // array: the elements; object: the values of the keys

  bool empty() const { return kind != Kind::scalar && items.empty(); }
};

Json token(std::string json) {
  Json j;
  j.token = std::move(json);
  return j;
}

Json text(const std::string& s) { return token("\"" + json_escape(s) + "\""); }
Json boolean(bool b) { return token(b ? "true" : "false"); }
Json integer(std::int64_t i) { return token(std::to_string(i)); }
Json unsigned_integer(std::uint64_t i) { return token(std::to_string(i)); }

// The shortest text that reads back as the same double; a whole number is written as one ("30").
std::string shortest(double d) {
  char buffer[64];
  const auto result = std::to_chars(buffer, buffer + sizeof buffer, d);
  return std::string(buffer, result.ptr);
}

Json number(double d) {
  if (std::nearbyint(d) == d && std::fabs(d) < 1e15) return integer(static_cast<std::int64_t>(d));
  return token(shortest(d));
}

// Durations as the format writes them (scenario-format.md, "Conventions"): "10h", "12h1m", "-30s".
Json duration(spec::Seconds seconds) {
  if (seconds == 0) return text("0s");
  std::string written = seconds < 0 ? "-" : "";
  std::uint64_t rest = seconds < 0 ? 0 - static_cast<std::uint64_t>(seconds) : static_cast<std::uint64_t>(seconds);
  constexpr std::pair<std::uint64_t, char> kUnits[] = {{86400, 'd'}, {3600, 'h'}, {60, 'm'}, {1, 's'}};
  for (const auto& [scale, unit] : kUnits) {
    if (rest < scale) continue;
    written += std::to_string(rest / scale) + unit;
    rest %= scale;
  }
  return text(written);
}

Json array() {
  Json j;
  j.kind = Json::Kind::array;
  return j;
}

Json strings(const std::vector<std::string>& values) {
  Json j = array();
  for (const auto& v : values) j.items.push_back(text(v));
  return j;
}

// A Value (a partial outcome, an event's fields) as it was read: whole numbers stay whole, and a
// fraction keeps a decimal point so that it reads back as a fraction.
Json from_value(const Value& v) {
  if (v.is_null()) return token("null");
  if (v.is_bool()) return boolean(v.as_bool());
  if (v.is_int()) return integer(v.as_int());
  if (v.is_double()) {
    std::string written = shortest(v.as_number());
    if (written.find_first_of(".e") == std::string::npos) written += ".0";
    return token(written);
  }
  if (v.is_string()) return text(v.as_string());
  Json j = array();
  if (v.is_array()) {
    for (const auto& item : v.as_array()) j.items.push_back(from_value(item));
    return j;
  }
  j.kind = Json::Kind::object;
  for (const auto& [key, member] : v.as_object()) {
    j.keys.push_back(key);
    j.items.push_back(from_value(member));
  }
  return j;
}

// An object under construction; `put_if` leaves a key out when the loader would give the same value.
class Object {
 public:
  Object() { j_.kind = Json::Kind::object; }
  Object& put(const std::string& key, Json value) {
    j_.keys.push_back(key);
    j_.items.push_back(std::move(value));
    return *this;
  }
  Object& put_if(bool write, const std::string& key, Json value) {
    if (write) put(key, std::move(value));
    return *this;
  }
  // An array or object, when it has anything in it.
  Object& put_nonempty(const std::string& key, Json value) {
    const bool write = !value.empty();
    return put_if(write, key, std::move(value));
  }
  Json done() { return std::move(j_); }

 private:
  Json j_;
};

// ---- layout: a value goes on one line when it fits and is shallow, else one member a line ----

constexpr std::size_t kWidth = 120;  // the repository's line length (.clang-format)
constexpr int kMaxOneLineDepth = 3;  // deeper nesting on one line is hard to read

int depth(const Json& j) {
  int d = 0;
  for (const auto& item : j.items) d = std::max(d, depth(item));
  return j.kind == Json::Kind::scalar ? 0 : d + 1;
}

// Arrays of plain values as ["a", "b"], arrays of objects as [ { ... } ], objects as { "k": v }.
std::string one_line(const Json& j) {
  if (j.kind == Json::Kind::scalar) return j.token;
  if (j.kind == Json::Kind::array) {
    if (j.items.empty()) return "[]";
    const bool plain = depth(j) == 1;
    std::string out = plain ? "[" : "[ ";
    for (std::size_t i = 0; i < j.items.size(); ++i) out += (i ? ", " : "") + one_line(j.items[i]);
    return out + (plain ? "]" : " ]");
  }
  if (j.items.empty()) return "{}";
  std::string out = "{ ";
  for (std::size_t i = 0; i < j.items.size(); ++i)
    out += (i ? ", \"" : "\"") + json_escape(j.keys[i]) + "\": " + one_line(j.items[i]);
  return out + " }";
}

// `column` is where the value starts; `tail` the characters that follow it on its line (a comma).
void lay_out(const Json& j, std::size_t indent, std::size_t column, std::size_t tail, bool top, std::string& out) {
  if (!top && depth(j) <= kMaxOneLineDepth) {
    const std::string flat = one_line(j);
    if (j.kind == Json::Kind::scalar || column + flat.size() + tail <= kWidth) {
      out += flat;
      return;
    }
  }
  const std::string inner(indent + 2, ' ');
  if (j.kind == Json::Kind::array) {
    out += "[\n";
    for (std::size_t i = 0; i < j.items.size(); ++i) {
      const std::size_t comma = i + 1 < j.items.size() ? 1 : 0;
      out += inner;
      lay_out(j.items[i], indent + 2, inner.size(), comma, false, out);
      out += comma ? ",\n" : "\n";
    }
    out += std::string(indent, ' ') + "]";
    return;
  }
  out += "{\n";
  for (std::size_t i = 0; i < j.items.size(); ++i) {
    const std::size_t comma = i + 1 < j.items.size() ? 1 : 0;
    const std::string key = "\"" + json_escape(j.keys[i]) + "\": ";
    out += inner + key;
    lay_out(j.items[i], indent + 2, inner.size() + key.size(), comma, false, out);
    out += comma ? ",\n" : "\n";
  }
  out += std::string(indent, ' ') + "}";
}

// ---- the scenario's parts, keys in the order of scenario-format.md ----
// A few keys are written even at their default, as the bundled scenarios write them, because a reader
// should not need the rule that fills them in: a domain's NetBIOS name, a host's domain, an app pool's
// identity and a site's pool, a client's browser, a SQL instance's name, a call's "as", a trust's kind
// and direction, and the size of a workload.

Json settings(const spec::Settings& s) {
  const spec::Settings d;
  return Object()
      .put_if(s.max_clock_skew != d.max_clock_skew, "max_clock_skew", duration(s.max_clock_skew))
      .put_if(s.tgt_lifetime != d.tgt_lifetime, "tgt_lifetime", duration(s.tgt_lifetime))
      .put_if(s.service_ticket_lifetime != d.service_ticket_lifetime, "service_ticket_lifetime",
              duration(s.service_ticket_lifetime))
      .put_if(s.spn_negative_cache != d.spn_negative_cache, "spn_negative_cache", duration(s.spn_negative_cache))
      .put_if(s.protected_users_tgt_lifetime != d.protected_users_tgt_lifetime, "protected_users_tgt_lifetime",
              duration(s.protected_users_tgt_lifetime))
      .put_if(s.http_max_field_length != d.http_max_field_length, "http_max_field_length",
              integer(s.http_max_field_length))
      .put_if(s.http_max_request_bytes != d.http_max_request_bytes, "http_max_request_bytes",
              integer(s.http_max_request_bytes))
      // Written whenever the file gave it: the builder tells a stated default from an unstated one.
      .put_if(s.default_enctypes_given || s.default_enctypes != d.default_enctypes, "default_enctypes",
              strings(s.default_enctypes))
      .put_if(s.duplicate_spn_error != d.duplicate_spn_error, "duplicate_spn_error", integer(s.duplicate_spn_error))
      .done();
}

Json domain(const spec::Domain& x) {
  const spec::Domain d;
  return Object()
      .put("dns", text(x.dns))
      .put_if(!x.netbios.empty(), "netbios", text(x.netbios))
      .put_if(!x.forest.empty() && x.forest != x.dns, "forest", text(x.forest))
      .put_if(x.functional_level != d.functional_level, "functional_level", text(x.functional_level))
      .put_nonempty("dcs", strings(x.dcs))
      .put_if(x.kdc != d.kdc, "kdc", text(x.kdc))
      .put_if(x.kds_root_key, "kds_root_key", boolean(true))
      .put_if(!x.spn_uniqueness_check, "spn_uniqueness_check", boolean(false))
      .done();
}

Json trust(const spec::Trust& t) {
  return Object()
      .put("from", text(t.from))
      .put("to", text(t.to))
      .put("kind", text(t.kind))
      .put("direction", text(t.direction))
      .put_if(t.tgt_delegation, "tgt_delegation", boolean(true))
      .done();
}

void delegation(Object& o, const spec::DelegationSettings& d) {
  o.put_nonempty("spns", strings(d.spns))
      .put_if(d.trusted_for_delegation, "trusted_for_delegation", boolean(true))
      .put_if(d.trusted_to_auth_for_delegation, "trusted_to_auth_for_delegation", boolean(true))
      .put_nonempty("allowed_to_delegate_to", strings(d.allowed_to_delegate_to))
      .put_nonempty("allowed_to_act", strings(d.allowed_to_act));
}

Json account(const spec::Account& a) {
  const spec::Account d;
  Object o;
  o.put("name", text(a.name)).put_if(a.type != d.type, "type", text(a.type));
  delegation(o, a.delegation);
  o.put_if(a.sensitive, "sensitive", boolean(true))
      .put_nonempty("groups", strings(a.groups))
      .put_if(a.token_groups != d.token_groups, "token_groups", integer(a.token_groups))
      .put_if(a.foreign_token_groups != d.foreign_token_groups, "foreign_token_groups", integer(a.foreign_token_groups))
      .put_if(a.enctypes.has_value(), "enctypes", strings(a.enctypes.value_or(std::vector<std::string>{})))
      .put_if(!a.aes_keys, "aes_keys", boolean(false))
      .put_if(a.password_version != d.password_version, "password_version", integer(a.password_version))
      .put_if(!a.enabled, "enabled", boolean(false));
  return o.done();
}

// A call with no "instance" goes to MSSQLSERVER when its target has one, so that name is left out.
Json call(const spec::Call& c) {
  return Object()
      .put("to", text(c.to))
      .put_if(!c.instance.empty() && c.instance != "MSSQLSERVER", "instance", text(c.instance))
      .put_if(!c.url.empty(), "url", text(c.url))
      .put("as", text(c.as))
      .done();
}

Json calls(const std::vector<spec::Call>& list) {
  Json j = array();
  for (const auto& c : list) j.items.push_back(call(c));
  return j;
}

// The pools the loader gives IIS when "app_pools" is left out (iis-rules 1.4).
bool implicit_pools(const spec::Iis& iis) {
  return iis.app_pools.empty() || (iis.app_pools.size() == 1 && iis.app_pools[0].name == "DefaultAppPool" &&
                                   iis.app_pools[0].identity == default_app_pool_identity(iis.version));
}

Json site(const spec::Host& h, const spec::Site& s, bool pools_written) {
  const spec::Site d;
  const spec::AnonymousAuth& an = s.anonymous;
  const spec::WindowsAuth& w = s.windows;
  const bool pool_written = pools_written ? !s.app_pool.empty() : !s.app_pool.empty() && s.app_pool != "DefaultAppPool";
  return Object()
      .put("name", text(s.name))
      .put_if(s.bindings != d.bindings, "bindings", strings(s.bindings))
      .put_if(pool_written, "app_pool", text(s.app_pool))
      .put_nonempty("anonymous",
                    Object()
                        .put_if(an.enabled != d.anonymous.enabled, "enabled", boolean(an.enabled))
                        .put_if(an.user != default_anonymous_user(h.name, h.iis->version), "user", text(an.user))
                        .done())
      .put_nonempty("windows",
                    Object()
                        .put_if(w.enabled != d.windows.enabled, "enabled", boolean(w.enabled))
                        .put_if(w.providers != d.windows.providers, "providers", strings(w.providers))
                        .put_if(w.kernel_mode != d.windows.kernel_mode, "kernel_mode", boolean(w.kernel_mode))
                        .put_if(w.use_app_pool_credentials != d.windows.use_app_pool_credentials,
                                "use_app_pool_credentials", boolean(w.use_app_pool_credentials))
                        .put_if(w.auth_persist_non_ntlm.has_value(), "auth_persist_non_ntlm",
                                boolean(w.auth_persist_non_ntlm.value_or(false)))
                        .done())
      .put_if(s.basic != d.basic, "basic", Object().put("enabled", boolean(s.basic)).done())
      .put_if(s.impersonate != d.impersonate, "impersonate", boolean(s.impersonate))
      .put_if(s.content_readers.has_value(), "content_readers",
              strings(s.content_readers.value_or(std::vector<std::string>{})))
      .put_if(s.app_isolation != d.app_isolation, "app_isolation", text(s.app_isolation))
      .put_nonempty("calls", calls(s.calls))
      .done();
}

Json iis(const spec::Host& h) {
  const spec::Iis& iis = *h.iis;
  const spec::Iis d;
  const bool pools_written = !implicit_pools(iis);
  Json pools = array();
  if (pools_written)
    for (const auto& p : iis.app_pools)
      pools.items.push_back(Object().put("name", text(p.name)).put("identity", text(p.identity)).done());
  Json sites = array();
  for (const auto& s : iis.sites) sites.items.push_back(site(h, s, pools_written));
  return Object()
      .put_if(iis.version != d.version, "version", text(iis.version))
      .put_if(iis.isolation_mode != d.isolation_mode, "isolation_mode", text(iis.isolation_mode))
      .put_nonempty("app_pools", std::move(pools))
      .put_nonempty("sites", std::move(sites))
      .done();
}

// A named instance with neither "port" nor "dynamic_port" listens on a dynamic port.
Json sql_instance(const spec::SqlInstance& in) {
  const spec::SqlInstance d;
  const bool port_written = in.port != d.port;
  const bool dynamic_implied = port_written ? d.dynamic_port : !is_default_sql_instance(in.name);
  return Object()
      .put("name", text(in.name))
      .put_if(port_written, "port", integer(in.port))
      .put_if(in.dynamic_port != dynamic_implied, "dynamic_port", boolean(in.dynamic_port))
      .put_if(!in.service_account.empty() && in.service_account != default_sql_service_account(in.name),
              "service_account", text(in.service_account))
      .put_nonempty("calls", calls(in.calls))
      .done();
}

Json sql(const spec::Sql& q) {
  Json instances = array();
  for (const auto& in : q.instances) instances.items.push_back(sql_instance(in));
  return Object().put_nonempty("instances", std::move(instances)).done();
}

Json ssrs(const spec::Ssrs& s) {
  const spec::Ssrs d;
  return Object()
      .put_if(s.service_account != d.service_account, "service_account", text(s.service_account))
      .put_if(s.authentication_types.has_value(), "authentication_types",
              strings(s.authentication_types.value_or(std::vector<std::string>{})))
      .put_if(!s.hostname.empty(), "hostname", text(s.hostname))
      .put_nonempty("calls", calls(s.calls))
      .done();
}

Json client(const spec::Client& c) {
  return Object()
      .put("user", text(c.user))
      .put("browser", text(c.browser))
      .put_nonempty("intranet_sites", strings(c.intranet_sites))
      .put_nonempty("auth_server_allowlist", strings(c.auth_server_allowlist))
      .put_nonempty("delegate_allowlist", strings(c.delegate_allowlist))
      .put_if(c.disable_cname_lookup, "disable_cname_lookup", boolean(true))
      .put_if(c.include_port, "include_port", boolean(true))
      .put_nonempty("firefox_trusted_uris", strings(c.firefox_trusted_uris))
      .put_nonempty("firefox_delegation_uris", strings(c.firefox_delegation_uris))
      .put_if(c.try_ip_spn, "try_ip_spn", boolean(true))
      .done();
}

// "domain" is always written: left out, a host joins the first domain; null makes it a workgroup machine.
Json host(const spec::Host& h) {
  const spec::Host d;
  Object account;
  delegation(account, h.account);
  return Object()
      .put("name", text(h.name))
      .put("domain", h.domain ? text(*h.domain) : token("null"))
      .put_if(!h.ip.empty(), "ip", text(h.ip))
      .put_if(h.os != d.os, "os", text(h.os))
      .put_if(h.clock_offset != d.clock_offset, "clock_offset", duration(h.clock_offset))
      .put_if(h.credential_guard, "credential_guard", boolean(true))
      .put_nonempty("account", account.done())
      .put_if(h.http_max_field_length.has_value(), "http_max_field_length",
              integer(h.http_max_field_length.value_or(0)))
      .put_if(h.http_max_request_bytes.has_value(), "http_max_request_bytes",
              integer(h.http_max_request_bytes.value_or(0)))
      .put_nonempty("back_connection_host_names", strings(h.back_connection_host_names))
      .put_if(h.iis.has_value(), "iis", h.iis ? iis(h) : Json())
      .put_if(h.sql.has_value(), "sql", h.sql ? sql(*h.sql) : Json())
      .put_if(h.ssrs.has_value(), "ssrs", h.ssrs ? ssrs(*h.ssrs) : Json())
      .put_if(h.client.has_value(), "client", h.client ? client(*h.client) : Json())
      .done();
}

Json dns(const std::vector<spec::DnsRecord>& records) {
  Object o;
  for (const auto& r : records)
    o.put(r.name,
          Object().put_if(!r.a.empty(), "a", text(r.a)).put_if(!r.cname.empty(), "cname", text(r.cname)).done());
  return o.done();
}

Json load_balancer(const spec::LoadBalancer& lb) {
  const spec::LoadBalancer d;
  return Object()
      .put("name", text(lb.name))
      .put("vip", text(lb.vip))
      .put("members", strings(lb.members))
      .put_if(lb.algorithm != d.algorithm, "algorithm", text(lb.algorithm))
      .put_if(lb.affinity != d.affinity, "affinity", text(lb.affinity))
      .put_if(lb.layer != d.layer, "layer", integer(lb.layer))
      .done();
}

Json flow(const spec::Flow& f) {
  return Object().put("name", text(f.name)).put("client", text(f.client)).put("url", text(f.url)).done();
}

// An event's other keys, in the order read. "offset" and "per_hour" were durations in the file and are
// seconds in the spec.
Json event(const spec::WorkloadEvent& ev) {
  Object o;
  o.put("at", duration(ev.at_time)).put("action", text(ev.action));
  if (ev.fields.is_object())
    for (const auto& [key, v] : ev.fields.as_object())
      o.put(key, (key == "offset" || key == "per_hour") && v.is_int() ? duration(v.as_int()) : from_value(v));
  return o.done();
}

Json workload(const spec::Workload& w) {
  const spec::Workload d;
  Json shares = array();
  for (const auto& g : w.group_counts)
    shares.items.push_back(Object().put("groups", integer(g.groups)).put("share", number(g.share)).done());
  Json events = array();
  for (const auto& ev : w.events) events.items.push_back(event(ev));
  return Object()
      .put("duration", duration(w.duration))
      .put("seed", unsigned_integer(w.seed))
      .put("users", integer(w.users))
      .put("requests_per_user_per_hour", number(w.requests_per_user_per_hour))
      .put_if(w.connection_reuse != d.connection_reuse, "connection_reuse", integer(w.connection_reuse))
      .put_if(w.kdc_capacity_per_s != d.kdc_capacity_per_s, "kdc_capacity_per_s", number(w.kdc_capacity_per_s))
      .put_if(w.netlogon_max_concurrent_api != d.netlogon_max_concurrent_api, "netlogon_max_concurrent_api",
              integer(w.netlogon_max_concurrent_api))
      .put_nonempty("flows", strings(w.flows))
      .put_if(w.logon_spread != d.logon_spread, "logon_spread", duration(w.logon_spread))
      .put_if(w.idle_timeout != d.idle_timeout, "idle_timeout", duration(w.idle_timeout))
      .put_if(w.replication_delay != d.replication_delay, "replication_delay", duration(w.replication_delay))
      .put_if(w.netlogon_call_ms != d.netlogon_call_ms, "netlogon_call_ms", integer(w.netlogon_call_ms))
      .put_if(w.netlogon_timeout != d.netlogon_timeout, "netlogon_timeout", duration(w.netlogon_timeout))
      .put_if(w.network_rtt_ms != d.network_rtt_ms, "network_rtt_ms", integer(w.network_rtt_ms))
      .put_if(w.server_time_ms != d.server_time_ms, "server_time_ms", integer(w.server_time_ms))
      .put_if(w.interval != d.interval, "interval", duration(w.interval))
      .put_if(w.restart_keeps_previous_key != d.restart_keeps_previous_key, "restart_keeps_previous_key",
              boolean(w.restart_keeps_previous_key))
      .put_nonempty("group_counts", std::move(shares))
      .put_nonempty("events", std::move(events))
      .done();
}

Json expectation(const spec::Expectation& e) {
  if (e.simulation) {
    const spec::SimulationExpectation& s = *e.simulation;
    return Object()
        .put("simulation", Object()
                               .put("metric", text(s.metric))
                               .put_if(!s.node.empty(), "node", text(s.node))
                               .put_if(!s.flow.empty(), "flow", text(s.flow))
                               .put_if(s.from != 0, "from", duration(s.from))
                               .put_if(s.until.has_value(), "until", duration(s.until.value_or(0)))
                               .put_if(s.min.has_value(), "min", number(s.min.value_or(0)))
                               .put_if(s.max.has_value(), "max", number(s.max.value_or(0)))
                               .done())
        .done();
  }
  return Object()
      .put("flow", text(e.flow))
      .put_if(!e.via.empty(), "via", text(e.via))
      .put("outcome", from_value(e.outcome))
      .done();
}

template <typename T, typename F>
Json list(const std::vector<T>& values, F&& part) {
  Json j = array();
  for (const auto& v : values) j.items.push_back(part(v));
  return j;
}

}  // namespace

std::string write_scenario(const spec::Scenario& s) {
  Object top;
  top.put("format", text(s.format.empty() ? "kerbsim/1" : s.format))
      .put("name", text(s.name))
      .put_if(!s.title.empty(), "title", text(s.title))
      .put_if(!s.description.empty(), "description", text(s.description))
      .put_nonempty("settings", settings(s.settings))
      .put_nonempty("domains", list(s.domains, domain))
      .put_nonempty("trusts", list(s.trusts, trust))
      .put_nonempty("accounts", list(s.accounts, account))
      .put_nonempty("hosts", list(s.hosts, host))
      .put_nonempty("dns", dns(s.dns))
      .put_nonempty("load_balancers", list(s.load_balancers, load_balancer))
      .put_nonempty("flows", list(s.flows, flow))
      .put_if(s.workload.has_value(), "workload", s.workload ? workload(*s.workload) : Json())
      .put_nonempty("expect", list(s.expect, expectation));
  std::string out;
  lay_out(top.done(), 0, 0, 0, true, out);
  return out + "\n";
}

}  // namespace kerbsim::scenario
