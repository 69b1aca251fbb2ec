#include "farm/service.h"

#include "farm/resolver.h"

namespace kerbsim::farm {

std::string Service::label() const {
  switch (kind) {
    case ServerKind::IisSite:
      return "IIS site " + site->name;
    case ServerKind::Ssrs:
      return "SSRS";
    case ServerKind::Sql:
      return "SQL Server " + sql->name;
  }
  return "";
}

std::string outbound_account(const Host& host, const web::ProcessIdentity& identity) {
  if (identity.type == web::IdentityType::LocalService) return "";  // a null session (iis-rules 2.1)
  if (identity.type == web::IdentityType::DomainAccount) return identity.account;
  if (identity.type == web::IdentityType::LocalAccount) return "";  // unknown to every other machine
  return host.computer_account;                                     // "" on a workgroup host (iis-rules 2.5)
}

namespace {

Service site_service(const Host& host, const web::Site& site) {
  const web::IisServer& iis = *host.iis;
  Service s;
  s.kind = ServerKind::IisSite;
  s.host = &host;
  s.site = &site;
  s.process = iis.worker_identity(site, host.info());
  s.process_name = iis.process_identity(site, host.info());
  s.key = iis.decryption_key(site, host.info());
  s.impersonates = site.impersonate;
  s.calls = site.calls;
  s.outbound_account = outbound_account(host, s.process);
  return s;
}

Service ssrs_service(const Host& host) {
  const backend::SsrsServer& ssrs = *host.ssrs;
  Service s;
  s.kind = ServerKind::Ssrs;
  s.host = &host;
  s.ssrs = &ssrs;
  s.process = ssrs.service_account;
  s.process_name = ssrs.service_account.local_name("");
  s.key = ssrs.decryption_key(host.info());
  s.impersonates = true;  // a Windows-integrated data source passes the user's token (iis-rules 7.7)
  s.impersonation_rule = "iis-rules 7.7";
  s.calls = ssrs.calls;
  s.outbound_account = outbound_account(host, s.process);
  return s;
}

}  // namespace

std::optional<Service> serve_sql(const Host& host, const std::string& instance) {
  const backend::SqlInstance* sql =
      host.sql ? host.sql->instance(instance.empty() ? "MSSQLSERVER" : instance) : nullptr;
  if (!sql) return std::nullopt;
  Service s;
  s.kind = ServerKind::Sql;
  s.host = &host;
  s.sql = sql;
  s.process = sql->service_account;
  s.process_name = sql->service_account.local_name("");
  s.key = sql->decryption_key(host.info());
  s.impersonates = true;  // a linked server login "made using the login's current security context" (iis-rules 6.9)
  s.impersonation_rule = "iis-rules 6.9";
  s.calls = sql->calls;
  s.outbound_account = outbound_account(host, s.process);
  return s;
}

std::optional<Service> serve(const Host& host, const net::Url& url) {
  if (url.scheme == "mssql") return serve_sql(host, url.instance);
  return serve_web(host, url);
}

std::optional<Service> serve_web(const Host& host, const net::Url& url) {
  if (host.ssrs_answers(url.path)) return ssrs_service(host);
  if (!host.iis) return std::nullopt;
  if (const web::Site* site = host.iis->site_for(url.scheme, url.host, url.port)) return site_service(host, *site);
  return std::nullopt;
}

namespace {

void walk(const Environment& env, const Service& service, int depth, int max_depth, std::vector<CallEdge>& out) {
  if (depth >= max_depth) return;
  for (const auto& call : service.calls) {
    const CallTarget to = resolve_call(env, *service.host, call);
    if (!to.host) continue;
    const auto next = to.url ? serve_web(*to.host, *to.url) : serve_sql(*to.host, call.instance);
    bool seen = false;
    for (const auto& e : out) seen |= e.from == service.host && e.to == to.host;
    if (!seen) out.push_back({service.host, to.host});
    if (next) walk(env, *next, depth + 1, max_depth, out);
  }
}

}  // namespace

std::vector<CallEdge> call_graph(const Environment& env, const Service& service, int max_depth) {
  std::vector<CallEdge> out;
  walk(env, service, 0, max_depth, out);
  return out;
}

// A site answers at its first binding's address; a site the request would reach another site by, or
// an SSRS URL that IIS answers, is not this server (iis-rules 3.14, 7.1).
std::vector<Service> services_of(const Host& host) {
  std::vector<Service> out;
  if (host.iis)
    for (const auto& site : host.iis->sites) {
      const web::Binding b = site.bindings.empty() ? web::Binding{} : site.bindings.front();
      const std::string name = b.host == "*" || b.host.empty() ? host.fqdn : b.host;
      if (const auto url = net::parse_url(b.scheme + "://" + name + ":" + std::to_string(b.port) + "/"))
        if (auto s = serve_web(host, *url); s && s->site == &site) out.push_back(*s);
    }
  if (host.ssrs)
    if (const auto url = net::parse_url("http://" + host.fqdn + "/ReportServer"))
      if (auto s = serve_web(host, *url); s && s->kind == ServerKind::Ssrs) out.push_back(*s);
  if (host.sql)
    for (const auto& instance : host.sql->instances)
      if (auto s = serve_sql(host, instance.name)) out.push_back(*s);
  return out;
}

}  // namespace kerbsim::farm
