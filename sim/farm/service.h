// What answers a request that reaches a host, decided once for every caller: which server (an IIS
// site, the SSRS service or a SQL Server instance) answers the URL, whose key decrypts the tickets it
// accepts, which process identity it runs as, which account it presents on the network, whether it
// impersonates its caller, and which calls it makes next (iis-rules 2.1-2.6, 3.5, 3.14, 6.1, 7.1, 7.6).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "farm/environment.h"
#include "net/url.h"

namespace kerbsim::farm {

enum class ServerKind { IisSite, Ssrs, Sql };

struct Service {
  ServerKind kind = ServerKind::IisSite;
  const Host* host = nullptr;
  const web::Site* site = nullptr;            // IisSite
  const backend::SsrsServer* ssrs = nullptr;  // Ssrs
  const backend::SqlInstance* sql = nullptr;  // Sql
  web::ProcessIdentity process;               // the worker process or service identity
  std::string process_name;                   // as seen locally: IIS APPPOOL\Orders, NT SERVICE\MSSQLSERVER
  base::KeyDecision key;                      // whose key decrypts the tickets it accepts
  std::string outbound_account;  // the account it presents off the machine; "" when it has none (outbound_account)
  bool impersonates = false;     // does a call "as caller" run as the caller?
  std::string impersonation_rule = "iis-rules 3.12";
  std::vector<base::Call> calls;

  // "IIS site Orders", "SSRS", "SQL Server MSSQLSERVER".
  std::string label() const;
};

// The server that answers `url` on `host`: for mssql:// the SQL Server instance the URL names; for
// http(s), SSRS for its own URL reservations (and every path on a host without IIS), else the IIS
// site whose binding matches (iis-rules 3.14, 7.1). nullopt when nothing answers.
std::optional<Service> serve(const Host& host, const net::Url& url);
// The web server that answers an http(s) URL on `host`: SSRS or an IIS site.
std::optional<Service> serve_web(const Host& host, const net::Url& url);
// The SQL Server instance `instance` on `host` ("" = the default instance MSSQLSERVER).
std::optional<Service> serve_sql(const Host& host, const std::string& instance);

// Every server `host` runs, as a request reaching it would be served: each IIS site (at its first
// binding), SSRS, then each SQL Server instance, in the order the scenario declares them.
std::vector<Service> services_of(const Host& host);

// A call one host's server makes to another host: an edge of the farm's static call graph.
struct CallEdge {
  const Host* from = nullptr;
  const Host* to = nullptr;
};
// Every call `service` can lead to, directly or through the servers it calls, to the tracer's
// maximum depth; each edge once. Which identity travels is the tracer's question, not this one.
std::vector<CallEdge> call_graph(const Environment& env, const Service& service, int max_depth);

// The account a process identity presents off its machine: the computer account for built-in and
// virtual identities on a domain member, the account itself for a domain account or gMSA, "" for
// LocalService, for a local account and on a workgroup host (iis-rules 2.1, 2.5, 2.6, 6.1).
std::string outbound_account(const Host& host, const web::ProcessIdentity& identity);

}  // namespace kerbsim::farm
