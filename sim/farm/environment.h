// The modelled environment a tracer walks through: the directory, DNS, load balancers, and each
// host with its roles (IIS, SSRS, SQL Server, client). Built from a scenario by sim/scenario; holds
// model objects only: no parsing, no event loop, no printing.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "backend/sql.h"
#include "backend/ssrs.h"
#include "directory/directory.h"
#include "engine/time.h"
#include "kerberos/kdc.h"
#include "net/browser.h"
#include "net/dns.h"
#include "net/load_balancer.h"
#include "web/iis.h"

namespace kerbsim::farm {

struct ClientRole {
  std::string user;  // canonical account, "CORP\\alice", or a local "WS1\\bob"
  net::BrowserPolicy policy;
};

struct Host {
  std::string name;    // "web1"
  std::string fqdn;    // "web1.corp.contoso.com"; the name alone on a workgroup host
  std::string domain;  // dns name of its domain; "" = workgroup
  std::string ip;
  std::string os = "2019";
  engine::SimTime clock_offset = 0;  // its clock minus the DCs'
  bool credential_guard = false;
  std::string computer_account;  // "CORP\\WEB1$"; "" on a workgroup host
  // http.sys MaxFieldLength and MaxRequestBytes (kerberos-rules R6.5).
  int http_max_field_length = 16384;
  int http_max_request_bytes = 16384;
  std::vector<std::string> back_connection_host_names;
  std::optional<web::IisServer> iis;
  std::optional<backend::SsrsServer> ssrs;
  std::optional<backend::SqlServer> sql;
  std::optional<ClientRole> client;

  base::HostInfo info() const { return {name, computer_account}; }
  // Does SSRS, rather than IIS, answer a request for this path? SSRS owns its URL reservations
  // (/ReportServer, /Reports) on a host that also runs IIS, and every path on a host without IIS.
  bool ssrs_answers(const std::string& path) const { return ssrs && (!iis || backend::SsrsServer::serves_path(path)); }
  bool domain_joined() const { return !domain.empty(); }
};

struct FlowSpec {
  std::string name;
  std::string client;  // host name
  std::string url;
};

class Environment {
 public:
  Environment() = default;
  Environment(const Environment&) = delete;
  Environment& operator=(const Environment&) = delete;
  Environment(Environment&&) = default;
  Environment& operator=(Environment&&) = default;
  // An independent copy, for a simulation that changes the environment as its timeline runs.
  Environment clone() const;

  std::string name;
  std::string title;
  std::string description;
  kerberos::KdcPolicy kdc_policy;
  engine::SimTime spn_negative_cache = 15 * engine::kMinute;  // SpnCacheTimeout (kerberos-rules R1.6)
  directory::Directory directory;
  net::Dns dns;
  std::vector<net::LoadBalancer> load_balancers;
  std::vector<Host> hosts;
  std::vector<FlowSpec> flows;

  const Host* host(const std::string& name) const;
  const Host* host_by_ip(const std::string& ip) const;
  const net::LoadBalancer* balancer_by_vip(const std::string& ip) const;
  // The DC that answers for a domain: its first listed DC, or the implicit "dc-<netbios>".
  std::string dc_name(const std::string& domain_dns) const;
};

}  // namespace kerbsim::farm
