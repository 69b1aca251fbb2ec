#include "scenario/builder.h"

#include <algorithm>

#include "directory/names.h"
#include "kerberos/etype.h"
#include "net/url.h"
#include "scenario/addresses.h"

namespace kerbsim::scenario {
namespace {

using directory::to_lower;

void apply_delegation(directory::Account& a, const spec::DelegationSettings& d) {
  for (const auto& spn : d.spns) a.spns.push_back(spn);
  a.trusted_for_delegation = d.trusted_for_delegation;
  a.trusted_to_auth_for_delegation = d.trusted_to_auth_for_delegation;
  a.allowed_to_delegate_to = d.allowed_to_delegate_to;
  a.allowed_to_act = d.allowed_to_act;
}

web::Binding parse_binding(const std::string& text) {
  web::Binding b;
  const auto sep = text.find("://");
  b.scheme = to_lower(text.substr(0, sep));
  std::string rest = sep == std::string::npos ? text : text.substr(sep + 3);
  if (const auto slash = rest.find('/'); slash != std::string::npos) rest.resize(slash);
  const auto colon = rest.rfind(':');
  b.port = b.scheme == "https" ? 443 : 80;
  if (colon != std::string::npos) {
    b.port = std::atoi(rest.substr(colon + 1).c_str());
    rest.resize(colon);
  }
  // An IP in the binding answers any host name sent to that address, like "*" here.
  b.host = (rest.empty() || net::is_ipv4(rest)) ? "*" : rest;
  return b;
}

web::Provider parse_provider(const std::string& p) {
  if (p == "NTLM") return web::Provider::Ntlm;
  if (p == "Negotiate:Kerberos") return web::Provider::NegotiateKerberos;
  if (p == "Negotiate:PKU2U") return web::Provider::NegotiatePku2u;
  return web::Provider::Negotiate;
}

backend::SsrsAuthType parse_auth_type(const std::string& t) {
  if (t == "RSWindowsNTLM") return backend::SsrsAuthType::RSWindowsNTLM;
  if (t == "RSWindowsKerberos") return backend::SsrsAuthType::RSWindowsKerberos;
  if (t == "RSWindowsBasic") return backend::SsrsAuthType::RSWindowsBasic;
  if (t == "Custom") return backend::SsrsAuthType::Custom;
  return backend::SsrsAuthType::RSWindowsNegotiate;
}

net::Browser parse_browser(const std::string& b) {
  if (b == "chrome") return net::Browser::Chrome;
  if (b == "ie") return net::Browser::Ie;
  if (b == "firefox") return net::Browser::Firefox;
  if (b == "sqlclient") return net::Browser::SqlClient;
  if (b == "dotnet") return net::Browser::DotNet;
  return net::Browser::Edge;
}

std::vector<base::Call> convert_calls(const std::vector<spec::Call>& calls) {
  std::vector<base::Call> out;
  out.reserve(calls.size());
  for (const auto& c : calls) out.push_back({c.to, c.instance, c.url, c.as});
  return out;
}

}  // namespace

farm::Environment build(const spec::Scenario& spec) {
  farm::Environment env;
  env.name = spec.name;
  env.title = spec.title;
  env.description = spec.description;

  const auto& st = spec.settings;
  env.kdc_policy.max_clock_skew = st.max_clock_skew * engine::kSecond;
  env.kdc_policy.tgt_lifetime = st.tgt_lifetime * engine::kSecond;
  env.kdc_policy.service_ticket_lifetime = st.service_ticket_lifetime * engine::kSecond;
  env.kdc_policy.protected_users_tgt_lifetime = st.protected_users_tgt_lifetime * engine::kSecond;
  env.kdc_policy.default_domain_supported_enctypes = kerberos::enctype_bits(st.default_enctypes);
  env.kdc_policy.default_enctypes_set = st.default_enctypes_given;
  env.kdc_policy.duplicate_spn_error = st.duplicate_spn_error == 8 ? kerberos::KrbError::KDC_ERR_PRINCIPAL_NOT_UNIQUE
                                                                   : kerberos::KrbError::KDC_ERR_S_PRINCIPAL_UNKNOWN;
  env.spn_negative_cache = st.spn_negative_cache * engine::kSecond;

  for (const auto& d : spec.domains) {
    directory::Domain dom;
    dom.dns = d.dns;
    dom.netbios = d.netbios;
    dom.forest = d.forest;  // empty: the directory makes it a forest root
    dom.functional_level = d.functional_level;
    dom.dcs = d.dcs;
    if (d.kdc == "windows-2012r2") dom.kdc = directory::KdcProfile::Windows2012R2;
    if (d.kdc == "samba-4.17") dom.kdc = directory::KdcProfile::Samba417;
    dom.spn_uniqueness_check = d.spn_uniqueness_check;  // MS-ADTS 3.1.1.5.1.3, read from the forest root
    env.directory.add_domain(dom);
  }
  for (const auto& d : spec.domains)
    if (d.kds_root_key)
      if (const auto* dom = env.directory.domain_by_dns(d.dns)) env.directory.add_kds_root_key(dom->forest);
  for (const auto& t : spec.trusts) {
    directory::Trust tr;
    tr.from = t.from;
    tr.to = t.to;
    tr.forest_trust = t.kind == "forest";
    tr.two_way = t.direction == "two-way";
    tr.outbound = t.direction != "inbound";
    tr.tgt_delegation = t.tgt_delegation;
    env.directory.add_trust(tr);
  }

  std::size_t spns = 2 * spec.hosts.size();  // a joined host's HOST/ pair (kerberos-rules R1.5)
  for (const auto& a : spec.accounts) spns += a.delegation.spns.size();
  env.directory.reserve(spec.accounts.size() + spec.hosts.size(), spns);
  for (const auto& a : spec.accounts) {
    directory::Account acc;
    acc.name = a.name;
    const auto* domain = env.directory.domain_of(a.name);
    acc.domain = domain ? domain->dns : "";
    acc.sam = directory::split_account(a.name).sam;
    acc.kind = a.type == "gmsa"       ? directory::AccountKind::Gmsa
               : a.type == "computer" ? directory::AccountKind::Computer
                                      : directory::AccountKind::User;
    apply_delegation(acc, a.delegation);
    acc.sensitive = a.sensitive;
    acc.groups = a.groups;
    acc.token_groups = a.token_groups;
    acc.foreign_token_groups = a.foreign_token_groups;
    if (a.enctypes)
      acc.supported_enctypes = kerberos::enctype_bits(*a.enctypes);
    else if (acc.kind != directory::AccountKind::User)
      acc.supported_enctypes = directory::kComputerEnctypes;
    acc.aes_keys = a.aes_keys;
    acc.kvno = a.password_version;
    acc.enabled = a.enabled;
    // A forest that already has a gMSA has a usable KDS root key (kerberos-rules R7.1).
    if (acc.kind == directory::AccountKind::Gmsa && domain) env.directory.add_kds_root_key(domain->forest);
    env.directory.add_account(std::move(acc));
  }

  const std::vector<std::string> addresses = host_addresses(spec);
  env.dns = scenario_dns(spec, addresses);
  for (std::size_t i = 0; i < spec.hosts.size(); ++i) {
    const spec::Host& h = spec.hosts[i];
    farm::Host host;
    host.name = h.name;
    host.domain = h.domain.value_or("");
    host.fqdn = host_fqdn(h);
    host.ip = addresses[i];
    host.os = h.os;
    host.clock_offset = h.clock_offset * engine::kSecond;
    host.credential_guard = h.credential_guard;
    host.http_max_field_length = h.http_max_field_length.value_or(st.http_max_field_length);
    host.http_max_request_bytes = h.http_max_request_bytes.value_or(st.http_max_request_bytes);
    host.back_connection_host_names = h.back_connection_host_names;

    if (!host.domain.empty()) {
      // The account the join created, with the scenario's settings; a DC's keeps the DC defaults.
      directory::Account computer = env.directory.joined_computer(host.domain, h.name, host.fqdn);
      apply_delegation(computer, h.account);
      host.computer_account = computer.name;
      env.directory.add_computer(std::move(computer), h.name);
    }

    if (h.iis) {
      web::IisServer iis;
      iis.version = h.iis->version;
      iis.iis5_isolation = h.iis->isolation_mode == "iis5";
      for (const auto& p : h.iis->app_pools) iis.app_pools.push_back({p.name, web::parse_identity(p.identity)});
      for (const auto& s : h.iis->sites) {
        web::Site site;
        site.name = s.name;
        for (const auto& b : s.bindings) site.bindings.push_back(parse_binding(b));
        site.app_pool = s.app_pool;
        site.anonymous_enabled = s.anonymous.enabled;
        site.anonymous_user = s.anonymous.user;
        site.windows_enabled = s.windows.enabled;
        site.providers.clear();
        for (const auto& p : s.windows.providers) site.providers.push_back(parse_provider(p));
        site.kernel_mode = s.windows.kernel_mode;
        site.use_app_pool_credentials = s.windows.use_app_pool_credentials;
        site.auth_persist_non_ntlm = s.windows.auth_persist_non_ntlm;
        site.basic_enabled = s.basic;
        site.impersonate = s.impersonate;
        site.content_readers = s.content_readers;
        site.app_isolation = s.app_isolation;
        site.calls = convert_calls(s.calls);
        iis.sites.push_back(std::move(site));
      }
      host.iis = std::move(iis);
    }
    if (h.ssrs) {
      backend::SsrsServer ssrs;
      ssrs.service_account = web::parse_identity(h.ssrs->service_account);
      if (h.ssrs->authentication_types) {
        for (const auto& t : *h.ssrs->authentication_types) ssrs.authentication_types.push_back(parse_auth_type(t));
      } else {
        ssrs.authentication_types = backend::SsrsServer::default_authentication_types(ssrs.service_account);
        ssrs.authentication_types_defaulted = true;
      }
      ssrs.hostname = h.ssrs->hostname.empty() ? host.fqdn : h.ssrs->hostname;
      ssrs.calls = convert_calls(h.ssrs->calls);
      host.ssrs = std::move(ssrs);
    }
    if (h.sql) {
      backend::SqlServer sql;
      for (const auto& i : h.sql->instances) {
        backend::SqlInstance inst;
        inst.name = i.name;
        inst.port = i.port;
        inst.dynamic_port = i.dynamic_port;
        // A dynamic port without a stated one: the port SQL Server picked at its last start (iis-rules 6.4).
        if (inst.dynamic_port && inst.port == backend::SqlInstance{}.port && !inst.default_instance())
          inst.port = 49800 + static_cast<int>(sql.instances.size());
        inst.service_account = web::parse_identity(i.service_account);
        inst.calls = convert_calls(i.calls);
        sql.instances.push_back(std::move(inst));
      }
      host.sql = std::move(sql);
    }
    if (h.client) {
      farm::ClientRole c;
      c.user = h.client->user;
      c.policy.browser = parse_browser(h.client->browser);
      c.policy.intranet_sites = h.client->intranet_sites;
      c.policy.auth_server_allowlist = h.client->auth_server_allowlist;
      c.policy.delegate_allowlist = h.client->delegate_allowlist;
      c.policy.disable_cname_lookup = h.client->disable_cname_lookup;
      c.policy.include_port = h.client->include_port;
      c.policy.firefox_trusted_uris = h.client->firefox_trusted_uris;
      c.policy.firefox_delegation_uris = h.client->firefox_delegation_uris;
      c.policy.try_ip_spn = h.client->try_ip_spn;
      host.client = std::move(c);
    }
    env.hosts.push_back(std::move(host));
  }

  // At startup SQL Server registers its own SPNs when its service identity may write them; on failure
  // startup continues and error 26037 is logged (iis-rules 6.3, kerberos-rules R1.11).
  for (auto& host : env.hosts) {
    if (!host.sql || host.domain.empty()) continue;
    for (auto& inst : host.sql->instances) {
      const std::string target = inst.self_registration_account(host.computer_account);
      const auto id = target.empty() ? std::nullopt : env.directory.find_account(target);
      const std::string wanted = inst.tcp_spn(host.fqdn).to_string();
      if (!id) {
        inst.spn_registration = "SQL Server startup: error 26037, could not register the Service Principal Name [ " +
                                wanted + " ]: its service account " + inst.service_account.describe() +
                                " may not write its own SPN (Windows return code 0x2098); register it by hand "
                                "[iis-rules 6.3]";
        continue;
      }
      const directory::AccountId owner = *id;
      std::string registered;
      for (const auto& spn : inst.own_spns(host.fqdn)) {
        const auto holder = env.directory.lookup_spn(spn, env.directory.domain_by_dns(host.domain)->forest);
        const bool held_elsewhere = holder.status != directory::SpnLookup::Status::NotFound &&
                                    !holder.via_host_mapping &&
                                    !(holder.owners.size() == 1 && holder.owners.front() == owner);
        if (held_elsewhere) continue;  // the DC refuses to create a duplicate (kerberos-rules R1.7)
        env.directory.add_spn(owner, spn);
        registered += (registered.empty() ? "" : ", ") + spn.to_string();
      }
      inst.spn_registration = registered.empty()
                                  ? "SQL Server startup: its SPNs are already registered on another account"
                                  : "SQL Server startup: successfully registered the Service Principal Name(s) " +
                                        registered + " on " + target + " [iis-rules 6.3]";
    }
  }

  for (const auto& l : spec.load_balancers) {
    net::LoadBalancer lb;
    lb.name = l.name;
    lb.vip = l.vip;
    lb.members = l.members;
    lb.algorithm = l.algorithm == "least_connections" ? net::LbAlgorithm::LeastConnections
                   : l.algorithm == "source_ip_hash"  ? net::LbAlgorithm::SourceIpHash
                   : l.algorithm == "random"          ? net::LbAlgorithm::Random
                                                      : net::LbAlgorithm::RoundRobin;
    lb.affinity = l.affinity == "source_ip" ? net::LbAffinity::SourceIp
                  : l.affinity == "cookie"  ? net::LbAffinity::Cookie
                                            : net::LbAffinity::None;
    lb.layer = l.layer;
    env.load_balancers.push_back(std::move(lb));
  }
  for (const auto& f : spec.flows) env.flows.push_back({f.name, f.client, f.url});
  return env;
}

namespace {

// The action a timeline event names, by its name in the format (farm::action_name).
workload::Action action_of(const std::string& name) {
  for (int a = 0; a <= static_cast<int>(farm::Action::ClockDrift); ++a)
    if (name == farm::action_name(static_cast<farm::Action>(a))) return static_cast<farm::Action>(a);
  return farm::Action::AddSpn;  // the loader accepts only the timeline's action names
}

std::vector<std::string> strings(const Value& v) {
  std::vector<std::string> out;
  if (v.is_array())
    for (const auto& x : v.as_array()) out.push_back(x.as_string());
  return out;
}

}  // namespace

workload::Workload build_workload(const spec::Scenario& spec) {
  workload::Workload w;
  if (!spec.workload) return w;
  const spec::Workload& s = *spec.workload;
  using engine::kMillisecond;
  using engine::seconds;
  w.duration = seconds(s.duration);
  w.seed = s.seed;
  w.users = s.users;
  w.requests_per_user_per_hour = s.requests_per_user_per_hour;
  w.connection_reuse = s.connection_reuse;
  w.kdc_capacity_per_s = s.kdc_capacity_per_s;
  w.netlogon_max_concurrent_api = s.netlogon_max_concurrent_api;
  w.flows = s.flows;
  w.logon_spread = seconds(s.logon_spread);
  w.idle_timeout = seconds(s.idle_timeout);
  w.replication_delay = seconds(s.replication_delay);
  w.netlogon_call_time = s.netlogon_call_ms * kMillisecond;
  w.netlogon_timeout = seconds(s.netlogon_timeout);
  w.network_rtt = s.network_rtt_ms * kMillisecond;
  w.server_time = s.server_time_ms * kMillisecond;
  w.interval = seconds(s.interval);
  w.restart_keeps_previous_key = s.restart_keeps_previous_key;
  w.group_counts = s.group_counts;
  for (const auto& ev : s.events) {
    workload::Change c;
    c.at = seconds(ev.at_time);
    c.action = action_of(ev.action);
    const auto text = [&](const char* key) {
      const Value* v = ev.fields.find(key);
      return v && v->is_string() ? v->as_string() : std::string();
    };
    const auto flag = [&](const char* key) -> std::optional<bool> {
      const Value* v = ev.fields.find(key);
      if (v && v->is_bool()) return v->as_bool();
      return std::nullopt;
    };
    c.account = text("account");
    // The reader checked the SPN's syntax; actions without one leave it empty.
    if (const auto spn = directory::Spn::parse(text("spn"))) c.spn = *spn;
    c.host = text("host");
    c.app_pool = text("app_pool");
    c.site = text("site");
    c.dc = text("dc");
    if (const Value* v = ev.fields.find("identity"); v && v->is_string())
      c.identity = web::parse_identity(v->as_string());
    c.value = flag("value").value_or(false);
    c.trusted_for_delegation = flag("trusted_for_delegation");
    c.trusted_to_auth_for_delegation = flag("trusted_to_auth_for_delegation");
    c.sensitive = flag("sensitive");
    if (const Value* v = ev.fields.find("allowed_to_delegate_to")) c.allowed_to_delegate_to = strings(*v);
    if (const Value* v = ev.fields.find("allowed_to_act")) c.allowed_to_act = strings(*v);
    if (const Value* v = ev.fields.find("clients")) c.clients = strings(*v);
    for (const char* key : {"offset", "per_hour"})
      if (const Value* v = ev.fields.find(key); v && v->is_int()) c.offset = seconds(v->as_int());
    w.changes.push_back(std::move(c));
  }
  std::stable_sort(w.changes.begin(), w.changes.end(),
                   [](const workload::Change& a, const workload::Change& b) { return a.at < b.at; });
  return w;
}

}  // namespace kerbsim::scenario
