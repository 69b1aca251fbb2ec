#include "analysis/design_diff.h"

#include <algorithm>
#include <map>
#include <optional>

#include "directory/names.h"
#include "kerberos/etype.h"

namespace kerbsim::analysis {
namespace {

using directory::iequals;
using directory::to_lower;

std::string list(const std::vector<std::string>& v) {
  std::string out = "[";
  for (const auto& x : v) out += (out.size() > 1 ? ", " : "") + x;
  return out + "]";
}

std::string yes_no(bool b) { return b ? "true" : "false"; }

std::string calls_text(const std::vector<base::Call>& calls) {
  std::vector<std::string> out;
  out.reserve(calls.size());
  for (const auto& c : calls)
    out.push_back(c.to + (c.instance.empty() ? "" : "/" + c.instance) + (c.url.empty() ? "" : " " + c.url) + " as " +
                  c.as);
  return list(out);
}

std::string bindings_text(const std::vector<web::Binding>& bindings) {
  std::vector<std::string> out;
  out.reserve(bindings.size());
  for (const auto& b : bindings) out.push_back(b.scheme + "://" + b.host + ":" + std::to_string(b.port));
  return list(out);
}

std::string enctypes_text(const std::optional<std::uint32_t>& bits) {
  return bits ? list(kerberos::enctype_names(*bits)) : "";
}

std::string algorithm_name(net::LbAlgorithm a) {
  switch (a) {
    case net::LbAlgorithm::RoundRobin:
      return "round_robin";
    case net::LbAlgorithm::LeastConnections:
      return "least_connections";
    case net::LbAlgorithm::SourceIpHash:
      return "source_ip_hash";
    case net::LbAlgorithm::Random:
      return "random";
  }
  return "";
}

std::string affinity_name(net::LbAffinity a) {
  switch (a) {
    case net::LbAffinity::None:
      return "none";
    case net::LbAffinity::SourceIp:
      return "source_ip";
    case net::LbAffinity::Cookie:
      return "cookie";
  }
  return "";
}

std::string kind_name(directory::AccountKind k) {
  switch (k) {
    case directory::AccountKind::User:
      return "user";
    case directory::AccountKind::Computer:
      return "computer";
    case directory::AccountKind::Gmsa:
      return "gmsa";
  }
  return "";
}

// The element of `items` with this name, case-insensitively.
template <typename T, typename Name>
const T* named(const std::vector<T>& items, const std::string& name, Name name_of) {
  for (const auto& x : items)
    if (iequals(name_of(x), name)) return &x;
  return nullptr;
}

// The changes in groups, each group in the order it was found; concatenated in canonical order.
enum Group { Kds, SpnsRemoved, Created, SpnsAdded, Delegation, Passwords, Ssrs, Pools, Sites, SqlPorts, kGroups };

class Differ {
 public:
  Differ(const farm::Environment& a, const farm::Environment& b) : a_(a), b_(b) {}

  DesignDiff run() {
    policy();
    domains();
    trusts();
    accounts();
    hosts();
    balancers();
    dns();
    flows();
    DesignDiff out;
    for (auto& group : groups_)
      for (auto& c : group) out.changes.push_back(std::move(c));
    out.other = std::move(other_);
    return out;
  }

 private:
  const farm::Environment& a_;
  const farm::Environment& b_;
  std::vector<farm::Change> groups_[kGroups];
  std::vector<Difference> other_;

  void differ(Subject s, const std::string& object, const std::string& field, const std::string& before,
              const std::string& after) {
    if (before != after) other_.push_back({s, object, field, before, after});
  }

  void add(Group g, farm::Change c) { groups_[g].push_back(std::move(c)); }

  static farm::Change change(farm::Action action) {
    farm::Change c;
    c.action = action;
    return c;
  }

  void policy() {
    const auto& x = a_.kdc_policy;
    const auto& y = b_.kdc_policy;
    const auto d = [&](const char* key, engine::SimTime p, engine::SimTime q) {
      differ(Subject::Policy, "settings", key, engine::format_duration(p), engine::format_duration(q));
    };
    d("max_clock_skew", x.max_clock_skew, y.max_clock_skew);
    d("tgt_lifetime", x.tgt_lifetime, y.tgt_lifetime);
    d("service_ticket_lifetime", x.service_ticket_lifetime, y.service_ticket_lifetime);
    d("protected_users_tgt_lifetime", x.protected_users_tgt_lifetime, y.protected_users_tgt_lifetime);
    d("spn_negative_cache", a_.spn_negative_cache, b_.spn_negative_cache);
    differ(Subject::Policy, "settings", "default_enctypes",
           list(kerberos::enctype_names(x.default_domain_supported_enctypes)) +
               (x.default_enctypes_set ? "" : " (default)"),
           list(kerberos::enctype_names(y.default_domain_supported_enctypes)) +
               (y.default_enctypes_set ? "" : " (default)"));
    differ(Subject::Policy, "settings", "duplicate_spn_error", std::to_string(static_cast<int>(x.duplicate_spn_error)),
           std::to_string(static_cast<int>(y.duplicate_spn_error)));
  }

  void domains() {
    const auto dns_of = [](const directory::Domain& d) { return d.dns; };
    std::vector<std::string> keyed;  // forests given a KDS root key
    for (const auto& y : b_.directory.domains()) {
      const auto* x = named(a_.directory.domains(), y.dns, dns_of);
      if (!x) {
        differ(Subject::Domain, y.dns, "", "", "added");
        continue;
      }
      differ(Subject::Domain, y.dns, "netbios", x->netbios, y.netbios);
      differ(Subject::Domain, y.dns, "forest", x->forest, y.forest);
      differ(Subject::Domain, y.dns, "functional_level", x->functional_level, y.functional_level);
      differ(Subject::Domain, y.dns, "dcs", list(x->dcs), list(y.dcs));
      differ(Subject::Domain, y.dns, "kdc", directory::profile_name(x->kdc), directory::profile_name(y.kdc));
      if (!x->kds_root_key && y.kds_root_key) {
        if (std::none_of(keyed.begin(), keyed.end(), [&](const std::string& f) { return iequals(f, y.forest); })) {
          keyed.push_back(y.forest);
          farm::Change c = change(farm::Action::AddKdsRootKey);
          c.domain = y.forest;
          add(Kds, c);
        }
      } else {
        differ(Subject::Domain, y.dns, "kds_root_key", yes_no(x->kds_root_key), yes_no(y.kds_root_key));
      }
    }
    for (const auto& x : a_.directory.domains())
      if (!named(b_.directory.domains(), x.dns, dns_of)) differ(Subject::Domain, x.dns, "", "present", "");
  }

  static std::string trust_text(const directory::Trust& t) {
    return std::string(t.forest_trust ? "forest" : "external") + ", " +
           (t.two_way    ? "two-way"
            : t.outbound ? "outbound"
                         : "inbound") +
           (t.tgt_delegation ? ", tgt_delegation" : "");
  }

  void trusts() {
    const auto find = [](const std::vector<directory::Trust>& ts, const directory::Trust& t) {
      for (const auto& x : ts)
        if (iequals(x.from, t.from) && iequals(x.to, t.to)) return &x;
      return static_cast<const directory::Trust*>(nullptr);
    };
    for (const auto& y : b_.directory.trusts()) {
      const auto* x = find(a_.directory.trusts(), y);
      differ(Subject::Trust, y.from + " -> " + y.to, "", x ? trust_text(*x) : "", trust_text(y));
    }
    for (const auto& x : a_.directory.trusts())
      if (!find(b_.directory.trusts(), x)) differ(Subject::Trust, x.from + " -> " + x.to, "", trust_text(x), "");
  }

  // ---- accounts: SPNs, delegation and passwords as Changes ----

  static bool holds(const directory::Account& a, const std::string& spn) {
    const std::string key = directory::Spn::parse(spn) ? directory::Spn::parse(spn)->key() : to_lower(spn);
    return std::any_of(a.spns.begin(), a.spns.end(), [&](const std::string& s) {
      const auto parsed = directory::Spn::parse(s);
      return (parsed ? parsed->key() : to_lower(s)) == key;
    });
  }

  void spn_change(Group g, farm::Action action, const directory::Account& account, const std::string& spn) {
    const auto parsed = directory::Spn::parse(spn);
    if (!parsed) {  // the directory holds the text as written; a Change needs an SPN
      differ(Subject::Account, account.name, "spns", action == farm::Action::RemoveSpn ? spn : "",
             action == farm::Action::AddSpn ? spn : "");
      return;
    }
    farm::Change c = change(action);
    c.account = account.name;
    c.spn = *parsed;
    add(g, c);
  }

  void account(const directory::Account& x, const directory::Account& y) {
    for (const auto& s : x.spns)
      if (!holds(y, s)) spn_change(SpnsRemoved, farm::Action::RemoveSpn, y, s);
    for (const auto& s : y.spns)
      if (!holds(x, s)) spn_change(SpnsAdded, farm::Action::AddSpn, y, s);
    farm::Change d = change(farm::Action::SetDelegation);
    d.account = y.name;
    if (x.trusted_for_delegation != y.trusted_for_delegation) d.trusted_for_delegation = y.trusted_for_delegation;
    if (x.trusted_to_auth_for_delegation != y.trusted_to_auth_for_delegation)
      d.trusted_to_auth_for_delegation = y.trusted_to_auth_for_delegation;
    if (x.sensitive != y.sensitive) d.sensitive = y.sensitive;
    if (x.allowed_to_delegate_to != y.allowed_to_delegate_to) d.allowed_to_delegate_to = y.allowed_to_delegate_to;
    if (x.allowed_to_act != y.allowed_to_act) d.allowed_to_act = y.allowed_to_act;
    if (d.trusted_for_delegation || d.trusted_to_auth_for_delegation || d.sensitive || d.allowed_to_delegate_to ||
        d.allowed_to_act)
      add(Delegation, d);
    if (y.kvno > x.kvno) {
      farm::Change p = change(farm::Action::PasswordChange);
      p.account = y.name;
      for (int i = x.kvno; i < y.kvno; ++i) add(Passwords, p);
    } else {
      differ(Subject::Account, y.name, "password_version", std::to_string(x.kvno), std::to_string(y.kvno));
    }
    differ(Subject::Account, y.name, "type", kind_name(x.kind), kind_name(y.kind));
    differ(Subject::Account, y.name, "groups", list(x.groups), list(y.groups));
    differ(Subject::Account, y.name, "token_groups", std::to_string(x.token_groups), std::to_string(y.token_groups));
    differ(Subject::Account, y.name, "foreign_token_groups", std::to_string(x.foreign_token_groups),
           std::to_string(y.foreign_token_groups));
    differ(Subject::Account, y.name, "enctypes", enctypes_text(x.supported_enctypes),
           enctypes_text(y.supported_enctypes));
    differ(Subject::Account, y.name, "aes_keys", yes_no(x.aes_keys), yes_no(y.aes_keys));
    differ(Subject::Account, y.name, "enabled", yes_no(x.enabled), yes_no(y.enabled));
  }

  void accounts() {
    for (const auto& y : b_.directory.accounts()) {
      const auto id = a_.directory.find_account(y.name);
      if (id) {
        account(a_.directory.account(*id), y);
        continue;
      }
      // A new account is created bare, and its SPNs and delegation are set after: the order a rollout
      // writes them in, so that an SPN moving to it is removed from its old owner first (kerberos-rules R1.7).
      directory::Account bare = y;
      bare.spns.clear();
      bare.trusted_for_delegation = false;
      bare.trusted_to_auth_for_delegation = false;
      bare.allowed_to_delegate_to.clear();
      bare.allowed_to_act.clear();
      farm::Change c = change(farm::Action::CreateAccount);
      c.account = y.name;
      c.new_account = bare;
      add(Created, c);
      account(bare, y);
    }
    for (const auto& x : a_.directory.accounts())
      if (!b_.directory.find_account(x.name)) differ(Subject::Account, x.name, "", "present", "");
  }

  // ---- hosts and their roles ----

  void iis(const farm::Host& hx, const farm::Host& hy) {
    const web::IisServer& x = *hx.iis;
    const web::IisServer& y = *hy.iis;
    const std::string& host = hy.name;
    differ(Subject::Iis, host, "version", x.version, y.version);
    differ(Subject::Iis, host, "isolation_mode", x.iis5_isolation ? "iis5" : "worker_process",
           y.iis5_isolation ? "iis5" : "worker_process");
    const auto pool_name = [](const web::AppPool& p) { return p.name; };
    for (const auto& py : y.app_pools) {
      const auto* px = named(x.app_pools, py.name, pool_name);
      if (!px) {
        differ(Subject::AppPool, host + "/" + py.name, "", "", py.identity.describe());
      } else if (px->identity.type != py.identity.type || !iequals(px->identity.account, py.identity.account)) {
        farm::Change c = change(farm::Action::ChangeAppPoolIdentity);
        c.host = host;
        c.app_pool = py.name;
        c.identity = py.identity;
        add(Pools, c);
      }
    }
    for (const auto& px : x.app_pools)
      if (!named(y.app_pools, px.name, pool_name)) differ(Subject::AppPool, host + "/" + px.name, "", "present", "");
    const auto site_name = [](const web::Site& s) { return s.name; };
    for (const auto& sy : y.sites) {
      const auto* sx = named(x.sites, sy.name, site_name);
      const std::string object = host + "/" + sy.name;
      if (!sx) {
        differ(Subject::Site, object, "", "", "added");
        continue;
      }
      const auto site_change = [&](farm::Action action, bool before, bool after) {
        if (before == after) return;
        farm::Change c = change(action);
        c.host = host;
        c.site = sy.name;
        c.value = after;
        add(Sites, c);
      };
      site_change(farm::Action::SetUseAppPoolCredentials, sx->use_app_pool_credentials, sy.use_app_pool_credentials);
      site_change(farm::Action::SetKernelMode, sx->kernel_mode, sy.kernel_mode);
      differ(Subject::Site, object, "bindings", bindings_text(sx->bindings), bindings_text(sy.bindings));
      differ(Subject::Site, object, "app_pool", sx->app_pool, sy.app_pool);
      differ(Subject::Site, object, "anonymous.enabled", yes_no(sx->anonymous_enabled), yes_no(sy.anonymous_enabled));
      differ(Subject::Site, object, "anonymous.user", sx->anonymous_user, sy.anonymous_user);
      differ(Subject::Site, object, "windows.enabled", yes_no(sx->windows_enabled), yes_no(sy.windows_enabled));
      differ(Subject::Site, object, "windows.providers", list(web::provider_names(sx->providers)),
             list(web::provider_names(sy.providers)));
      const auto persist = [](const std::optional<bool>& p) { return p ? yes_no(*p) : std::string(); };
      differ(Subject::Site, object, "windows.auth_persist_non_ntlm", persist(sx->auth_persist_non_ntlm),
             persist(sy.auth_persist_non_ntlm));
      differ(Subject::Site, object, "basic.enabled", yes_no(sx->basic_enabled), yes_no(sy.basic_enabled));
      differ(Subject::Site, object, "impersonate", yes_no(sx->impersonate), yes_no(sy.impersonate));
      differ(Subject::Site, object, "content_readers", sx->content_readers ? list(*sx->content_readers) : "",
             sy.content_readers ? list(*sy.content_readers) : "");
      differ(Subject::Site, object, "app_isolation", sx->app_isolation, sy.app_isolation);
      differ(Subject::Site, object, "calls", calls_text(sx->calls), calls_text(sy.calls));
    }
    for (const auto& sx : x.sites)
      if (!named(y.sites, sx.name, site_name)) differ(Subject::Site, host + "/" + sx.name, "", "present", "");
  }

  void ssrs(const farm::Host& hx, const farm::Host& hy) {
    const backend::SsrsServer& x = *hx.ssrs;
    const backend::SsrsServer& y = *hy.ssrs;
    if (x.service_account.type != y.service_account.type ||
        !iequals(x.service_account.account, y.service_account.account)) {
      farm::Change c = change(farm::Action::SetSsrsServiceAccount);
      c.host = hy.name;
      c.identity = y.service_account;
      add(Ssrs, c);
    }
    // A stated list differs from setup's default even when it names the same types: the default follows
    // the service account (iis-rules 7.3).
    if (x.authentication_types != y.authentication_types ||
        x.authentication_types_defaulted != y.authentication_types_defaulted) {
      if (y.authentication_types_defaulted) {
        std::vector<std::string> names;
        for (const auto t : y.authentication_types) names.push_back(backend::auth_type_name(t));
        differ(Subject::Ssrs, hy.name, "authentication_types", "stated", "setup's default " + list(names));
      } else {
        farm::Change c = change(farm::Action::SetSsrsAuthenticationTypes);
        c.host = hy.name;
        c.authentication_types = y.authentication_types;
        add(Ssrs, c);
      }
    }
    differ(Subject::Ssrs, hy.name, "hostname", x.hostname, y.hostname);
    differ(Subject::Ssrs, hy.name, "calls", calls_text(x.calls), calls_text(y.calls));
  }

  void sql(const farm::Host& hx, const farm::Host& hy) {
    const auto instance_name = [](const backend::SqlInstance& i) { return i.name; };
    for (const auto& y : hy.sql->instances) {
      const auto* x = named(hx.sql->instances, y.name, instance_name);
      const std::string object = hy.name + "/" + y.name;
      if (!x) {
        differ(Subject::Sql, object, "", "", "added");
        continue;
      }
      if (x->dynamic_port != y.dynamic_port || (!y.dynamic_port && x->port != y.port)) {
        farm::Change c = change(farm::Action::SetSqlPort);
        c.host = hy.name;
        c.instance = y.name;
        c.value = y.dynamic_port;
        c.port = y.dynamic_port ? 0 : y.port;
        add(SqlPorts, c);
      }
      if (y.dynamic_port) differ(Subject::Sql, object, "port", std::to_string(x->port), std::to_string(y.port));
      differ(Subject::Sql, object, "service_account", x->service_account.describe(), y.service_account.describe());
      differ(Subject::Sql, object, "calls", calls_text(x->calls), calls_text(y.calls));
    }
    for (const auto& x : hx.sql->instances)
      if (!named(hy.sql->instances, x.name, instance_name))
        differ(Subject::Sql, hx.name + "/" + x.name, "", "present", "");
  }

  void client(const farm::Host& hx, const farm::Host& hy) {
    const farm::ClientRole& x = *hx.client;
    const farm::ClientRole& y = *hy.client;
    const std::string& host = hy.name;
    differ(Subject::Client, host, "user", x.user, y.user);
    differ(Subject::Client, host, "browser", net::browser_name(x.policy.browser), net::browser_name(y.policy.browser));
    differ(Subject::Client, host, "intranet_sites", list(x.policy.intranet_sites), list(y.policy.intranet_sites));
    differ(Subject::Client, host, "auth_server_allowlist", list(x.policy.auth_server_allowlist),
           list(y.policy.auth_server_allowlist));
    differ(Subject::Client, host, "delegate_allowlist", list(x.policy.delegate_allowlist),
           list(y.policy.delegate_allowlist));
    differ(Subject::Client, host, "disable_cname_lookup", yes_no(x.policy.disable_cname_lookup),
           yes_no(y.policy.disable_cname_lookup));
    differ(Subject::Client, host, "include_port", yes_no(x.policy.include_port), yes_no(y.policy.include_port));
    differ(Subject::Client, host, "firefox_trusted_uris", list(x.policy.firefox_trusted_uris),
           list(y.policy.firefox_trusted_uris));
    differ(Subject::Client, host, "firefox_delegation_uris", list(x.policy.firefox_delegation_uris),
           list(y.policy.firefox_delegation_uris));
    differ(Subject::Client, host, "try_ip_spn", yes_no(x.policy.try_ip_spn), yes_no(y.policy.try_ip_spn));
  }

  // A role present on one side only.
  template <typename Role>
  bool role(Subject s, const std::string& host, const std::optional<Role>& x, const std::optional<Role>& y) {
    if (x.has_value() != y.has_value()) differ(s, host, "", x ? "present" : "", y ? "present" : "");
    return x && y;
  }

  void hosts() {
    for (const auto& y : b_.hosts) {
      const farm::Host* x = a_.host(y.name);
      if (!x) {
        differ(Subject::Host, y.name, "", "", "added");
        continue;
      }
      differ(Subject::Host, y.name, "domain", x->domain, y.domain);
      differ(Subject::Host, y.name, "ip", x->ip, y.ip);
      differ(Subject::Host, y.name, "os", x->os, y.os);
      differ(Subject::Host, y.name, "clock_offset", engine::format_duration(x->clock_offset),
             engine::format_duration(y.clock_offset));
      differ(Subject::Host, y.name, "credential_guard", yes_no(x->credential_guard), yes_no(y.credential_guard));
      differ(Subject::Host, y.name, "http_max_field_length", std::to_string(x->http_max_field_length),
             std::to_string(y.http_max_field_length));
      differ(Subject::Host, y.name, "http_max_request_bytes", std::to_string(x->http_max_request_bytes),
             std::to_string(y.http_max_request_bytes));
      differ(Subject::Host, y.name, "back_connection_host_names", list(x->back_connection_host_names),
             list(y.back_connection_host_names));
      if (role(Subject::Iis, y.name, x->iis, y.iis)) iis(*x, y);
      if (role(Subject::Ssrs, y.name, x->ssrs, y.ssrs)) ssrs(*x, y);
      if (role(Subject::Sql, y.name, x->sql, y.sql)) sql(*x, y);
      if (role(Subject::Client, y.name, x->client, y.client)) client(*x, y);
    }
    for (const auto& x : a_.hosts)
      if (!b_.host(x.name)) differ(Subject::Host, x.name, "", "present", "");
  }

  void balancers() {
    const auto lb_name = [](const net::LoadBalancer& lb) { return lb.name; };
    for (const auto& y : b_.load_balancers) {
      const auto* x = named(a_.load_balancers, y.name, lb_name);
      if (!x) {
        differ(Subject::Balancer, y.name, "", "", "added");
        continue;
      }
      differ(Subject::Balancer, y.name, "vip", x->vip, y.vip);
      differ(Subject::Balancer, y.name, "members", list(x->members), list(y.members));
      differ(Subject::Balancer, y.name, "algorithm", algorithm_name(x->algorithm), algorithm_name(y.algorithm));
      differ(Subject::Balancer, y.name, "affinity", affinity_name(x->affinity), affinity_name(y.affinity));
      differ(Subject::Balancer, y.name, "layer", std::to_string(x->layer), std::to_string(y.layer));
    }
    for (const auto& x : a_.load_balancers)
      if (!named(b_.load_balancers, x.name, lb_name)) differ(Subject::Balancer, x.name, "", "present", "");
  }

  void dns() {
    std::map<std::string, net::Dns::Record> before;
    for (auto& r : a_.dns.records()) before[to_lower(r.name)] = r;
    for (const auto& y : b_.dns.records()) {
      const auto it = before.find(to_lower(y.name));
      const net::Dns::Record x = it == before.end() ? net::Dns::Record{} : it->second;
      differ(Subject::Dns, y.name, "a", x.a, y.a);
      differ(Subject::Dns, y.name, "cname", x.cname, y.cname);
      if (it != before.end()) before.erase(it);
    }
    for (const auto& [key, x] : before) {
      differ(Subject::Dns, x.name, "a", x.a, "");
      differ(Subject::Dns, x.name, "cname", x.cname, "");
    }
  }

  void flows() {
    const auto flow_name = [](const farm::FlowSpec& f) { return f.name; };
    for (const auto& y : b_.flows) {
      const auto* x = named(a_.flows, y.name, flow_name);
      if (!x) {
        differ(Subject::Flow, y.name, "", "", "added");
        continue;
      }
      differ(Subject::Flow, y.name, "client", x->client, y.client);
      differ(Subject::Flow, y.name, "url", x->url, y.url);
    }
    for (const auto& x : a_.flows)
      if (!named(b_.flows, x.name, flow_name)) differ(Subject::Flow, x.name, "", "present", "");
  }
};

}  // namespace

std::string to_string(Subject s) {
  switch (s) {
    case Subject::Policy:
      return "settings";
    case Subject::Domain:
      return "domain";
    case Subject::Trust:
      return "trust";
    case Subject::Account:
      return "account";
    case Subject::Host:
      return "host";
    case Subject::Iis:
      return "iis";
    case Subject::Site:
      return "site";
    case Subject::AppPool:
      return "app_pool";
    case Subject::Sql:
      return "sql";
    case Subject::Ssrs:
      return "ssrs";
    case Subject::Client:
      return "client";
    case Subject::Dns:
      return "dns";
    case Subject::Balancer:
      return "load_balancer";
    case Subject::Flow:
      return "flow";
  }
  return "";
}

DesignDiff design_diff(const farm::Environment& a, const farm::Environment& b) { return Differ(a, b).run(); }

}  // namespace kerbsim::analysis
