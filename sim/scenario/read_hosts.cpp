// Reads "hosts": a host and its roles (IIS with its app pools, sites and calls, SQL Server instances,
// SSRS, the client), each with the keys it allows and the values its choices take.
#include <algorithm>
#include <optional>

#include "scenario/reader.h"

namespace kerbsim::scenario {

namespace {

const Kind kHost{"a host",
                 "in a host",
                 {"name", "domain", "ip", "os", "clock_offset", "credential_guard", "account", "http_max_field_length",
                  "http_max_request_bytes", "back_connection_host_names", "iis", "sql", "ssrs", "client"},
                 {"name"}};
const Kind kHostAccount{
    "a host's account",
    "in a host's account",
    {"spns", "trusted_for_delegation", "allowed_to_delegate_to", "trusted_to_auth_for_delegation", "allowed_to_act"},
    {}};
const Kind kIis{"iis", "in iis", {"version", "isolation_mode", "app_pools", "sites"}, {}};
const Kind kAppPool{"an app pool", "in an app pool", {"name", "identity"}, {"name"}};
const Kind kSite{"a site",
                 "in a site",
                 {"name", "bindings", "app_pool", "anonymous", "windows", "basic", "impersonate", "content_readers",
                  "app_isolation", "calls"},
                 {"name"}};
const Kind kAnonymous{"anonymous authentication", "in anonymous authentication", {"enabled", "user"}, {}};
const Kind kWindows{"windows authentication",
                    "in windows authentication",
                    {"enabled", "providers", "kernel_mode", "use_app_pool_credentials", "auth_persist_non_ntlm"},
                    {}};
const Kind kBasic{"basic authentication", "in basic authentication", {"enabled"}, {}};
const Kind kCall{"a call", "in a call", {"to", "instance", "url", "as"}, {"to"}};
const Kind kSql{"sql", "in sql", {"instances"}, {}};
const Kind kSqlInstance{
    "a SQL instance", "in a SQL instance", {"name", "port", "dynamic_port", "service_account", "calls"}, {}};
const Kind kSsrs{"ssrs", "in ssrs", {"service_account", "authentication_types", "hostname", "calls"}, {}};
const Kind kClient{
    "a client",
    "in a client",
    {"user", "browser", "intranet_sites", "auth_server_allowlist", "delegate_allowlist", "disable_cname_lookup",
     "include_port", "firefox_trusted_uris", "firefox_delegation_uris", "try_ip_spn"},
    {"user"}};

const Strings kOses = {"2003", "2008", "2008R2", "2012", "2012R2", "2016", "2019",
                       "2022", "2025", "xp",     "7",    "8.1",    "10",   "11"};
const Strings kIisVersions = {"6.0", "7.0", "7.5", "8.5", "10.0"};
const Strings kIsolationModes = {"worker_process", "iis5"};
const Strings kAppIsolations = {"in_process", "pooled", "isolated"};
const Strings kProviders = {"Negotiate", "NTLM", "Negotiate:Kerberos", "Negotiate:PKU2U"};
const Strings kSsrsAuthTypes = {"RSWindowsNegotiate", "RSWindowsNTLM", "RSWindowsKerberos", "RSWindowsBasic", "Custom"};
const Strings kBrowsers = {"edge", "chrome", "ie", "firefox", "sqlclient", "dotnet"};

}  // namespace

std::optional<spec::Host> Reader::host(const JsonNode& n) {
  if (!object(n, kHost)) return std::nullopt;
  spec::Host h;
  h.at = n.path;
  checked(n.find("name"), h.name, check_host_name);
  if (const auto* d = n.find("domain"); d && d->kind != JsonKind::null) {
    std::string dns;
    if (d->is_string()) {
      if (checked(d, dns, check_domain_dns)) h.domain = dns;
    } else {
      wrong_type(*d, "a domain's DNS name, or null for a workgroup machine");
    }
  }
  checked(n.find("ip"), h.ip, check_ipv4);
  choice(n.find("os"), h.os, kOses);
  duration(n.find("clock_offset"), h.clock_offset, {true, true});
  flag(n.find("credential_guard"), h.credential_guard);
  if (const auto* a = n.find("account"); a && object(*a, kHostAccount)) delegation(*a, h.account);
  int value = 0;
  if (whole(n.find("http_max_field_length"), value, 64, 65534)) h.http_max_field_length = value;
  if (whole(n.find("http_max_request_bytes"), value, 256, 16777216)) h.http_max_request_bytes = value;
  texts(n.find("back_connection_host_names"), h.back_connection_host_names, dns_check("host name"));
  if (const auto* e = n.find("iis"); e && object(*e, kIis)) h.iis = iis(*e);
  if (const auto* e = n.find("sql"); e && object(*e, kSql)) h.sql = sql(*e);
  if (const auto* e = n.find("ssrs"); e && object(*e, kSsrs)) h.ssrs = ssrs(*e);
  if (const auto* e = n.find("client"); e && object(*e, kClient)) h.client = client(*e);
  return h;
}

spec::Iis Reader::iis(const JsonNode& n) {
  spec::Iis i;
  i.at = n.path;
  choice(n.find("version"), i.version, kIisVersions);
  if (const auto* m = n.find("isolation_mode");
      m && choice(m, i.isolation_mode, kIsolationModes) && i.isolation_mode == "iis5" && i.version != "6.0")
    r_.at(*m, "IIS 5 isolation mode exists only in IIS 6.0 (this is IIS " + i.version + ")");
  for (const auto* e : items(n.find("app_pools"))) {
    if (!object(*e, kAppPool)) continue;
    spec::AppPool p;
    p.at = e->path;
    nonempty_text(e->find("name"), p.name);
    nonempty_text(e->find("identity"), p.identity);
    i.app_pools.push_back(std::move(p));
  }
  for (const auto* e : items(n.find("sites")))
    if (object(*e, kSite)) i.sites.push_back(site(*e));
  for (const auto& s : i.sites)
    if (r_.has(s.at + "/app_isolation") && i.isolation_mode != "iis5")
      r_.at_path(s.at + "/app_isolation",
                 "\"app_isolation\" applies only in IIS 5 isolation mode (IIS 6.0 with \"isolation_mode\": \"iis5\")");
  return i;
}

spec::Site Reader::site(const JsonNode& n) {
  spec::Site s;
  s.at = n.path;
  nonempty_text(n.find("name"), s.name);
  if (const auto* b = n.find("bindings")) {
    std::vector<std::string> bindings;
    if (texts(b, bindings, [](std::string_view v) { return check_url(v, UrlUse::binding).error; })) {
      if (b->children.empty()) r_.at(*b, "a site needs at least one binding, such as \"http://*:80\"");
      s.bindings.clear();
      for (const auto& text : bindings) {
        const ParsedUrl u = check_url(text, UrlUse::binding);
        s.bindings.push_back(u.scheme + "://" + u.host + ":" + std::to_string(u.port));
      }
    }
  }
  nonempty_text(n.find("app_pool"), s.app_pool);
  if (const auto* a = n.find("anonymous"); a && object(*a, kAnonymous)) {
    flag(a->find("enabled"), s.anonymous.enabled);
    text(a->find("user"), s.anonymous.user);
  }
  if (const auto* w = n.find("windows"); w && object(*w, kWindows)) {
    flag(w->find("enabled"), s.windows.enabled);
    if (const auto* p = w->find("providers")) {
      std::vector<std::string> v;
      if (texts(p, v, one_of(kProviders, "provider"), false)) {
        if (p->children.empty())
          r_.at(*p, "\"providers\" must list at least one provider, such as \"Negotiate\"");
        else
          s.windows.providers = v;
      }
    }
    flag(w->find("kernel_mode"), s.windows.kernel_mode);
    flag(w->find("use_app_pool_credentials"), s.windows.use_app_pool_credentials);
    if (bool persist = false; flag(w->find("auth_persist_non_ntlm"), persist))
      s.windows.auth_persist_non_ntlm = persist;
  }
  if (const auto* b = n.find("basic"); b && object(*b, kBasic)) flag(b->find("enabled"), s.basic);
  flag(n.find("impersonate"), s.impersonate);
  if (const auto* c = n.find("content_readers")) {
    std::vector<std::string> v;
    if (texts(c, v)) s.content_readers = v;
  }
  choice(n.find("app_isolation"), s.app_isolation, kAppIsolations);
  s.calls = calls(n.find("calls"));
  return s;
}

spec::Call Reader::call(const JsonNode& n) {
  spec::Call c;
  c.at = n.path;
  nonempty_text(n.find("to"), c.to);
  checked(n.find("instance"), c.instance, check_sql_instance_name);
  checked(n.find("url"), c.url, [](std::string_view v) { return check_url(v, UrlUse::call).error; });
  if (n.find("instance") && n.find("url"))
    r_.at(*n.find("url"), "a call names \"instance\" (SQL Server) or \"url\" (HTTP), not both");
  nonempty_text(n.find("as"), c.as);
  return c;
}

std::vector<spec::Call> Reader::calls(const JsonNode* n) {
  std::vector<spec::Call> out;
  for (const auto* e : items(n))
    if (object(*e, kCall)) out.push_back(call(*e));
  return out;
}

spec::Sql Reader::sql(const JsonNode& n) {
  spec::Sql q;
  q.at = n.path;
  for (const auto* e : items(n.find("instances"))) {
    if (!object(*e, kSqlInstance)) continue;
    spec::SqlInstance in;
    in.at = e->path;
    checked(e->find("name"), in.name, check_sql_instance_name);
    whole(e->find("port"), in.port, 1, 65535);
    flag(e->find("dynamic_port"), in.dynamic_port);
    nonempty_text(e->find("service_account"), in.service_account);
    in.calls = calls(e->find("calls"));
    for (const auto* c : items(e->find("calls")))
      if (c->is_object() && c->find("url"))
        r_.at(*c->find("url"), "a linked server connects to a SQL Server instance: name \"instance\", not \"url\"");
    q.instances.push_back(std::move(in));
  }
  return q;
}

spec::Ssrs Reader::ssrs(const JsonNode& n) {
  spec::Ssrs s;
  s.at = n.path;
  nonempty_text(n.find("service_account"), s.service_account);
  if (const auto* a = n.find("authentication_types")) {
    std::vector<std::string> v;
    if (texts(a, v, one_of(kSsrsAuthTypes, "authentication type"), false)) {
      const bool custom = std::find(v.begin(), v.end(), "Custom") != v.end();
      if (a->children.empty())
        r_.at(*a, "\"authentication_types\" must list at least one type, such as \"RSWindowsNegotiate\"");
      else if (custom && v.size() > 1)
        r_.at(*a, "\"Custom\" (forms authentication) cannot be combined with the RSWindows types");
      else
        s.authentication_types = v;
    }
  }
  checked(n.find("hostname"), s.hostname, dns_check("host name"));
  s.calls = calls(n.find("calls"));
  return s;
}

spec::Client Reader::client(const JsonNode& n) {
  spec::Client c;
  c.at = n.path;
  nonempty_text(n.find("user"), c.user);
  choice(n.find("browser"), c.browser, kBrowsers);
  texts(n.find("intranet_sites"), c.intranet_sites);
  texts(n.find("auth_server_allowlist"), c.auth_server_allowlist);
  texts(n.find("delegate_allowlist"), c.delegate_allowlist);
  flag(n.find("disable_cname_lookup"), c.disable_cname_lookup);
  flag(n.find("include_port"), c.include_port);
  texts(n.find("firefox_trusted_uris"), c.firefox_trusted_uris);
  texts(n.find("firefox_delegation_uris"), c.firefox_delegation_uris);
  flag(n.find("try_ip_spn"), c.try_ip_spn);
  return c;
}

}  // namespace kerbsim::scenario
