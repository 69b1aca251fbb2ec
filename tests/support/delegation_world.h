// A forest written for the delegation tests (flow/delegation_walk, analysis/delegation_graph and
// delegation_chains): corp.contoso.com (CORP, dc1) and its child emea.corp.contoso.com (EMEA, dc2).
// Users: alice (plain), carol (sensitive), dave (Protected Users). Front ends: svc-kcd (Kerberos-only
// KCD to SQL), svc-pt (protocol transition to SQL), svc-unc (unconstrained), svc-front (named by
// svc-rbcd's resource-based delegation), svc-web (KCD to svc-mid, which delegates on to svc-sql2),
// svc-child (KCD into the child domain), svc-orphan (KCD to an SPN nobody holds), svc-a and svc-b
// (each delegating to the other).
#pragma once

#include <string>

#include "farm/environment.h"
#include "scenario/builder.h"
#include "scenario/loader.h"

namespace kerbsim::test {

inline farm::Environment delegation_world() {
  constexpr const char* kText = R"json({
  "format": "kerbsim/1",
  "name": "delegation-world",
  "title": "Delegation in a two-domain forest",
  "domains": [
    { "dns": "corp.contoso.com", "netbios": "CORP", "dcs": ["dc1"] },
    { "dns": "emea.corp.contoso.com", "netbios": "EMEA", "forest": "corp.contoso.com", "dcs": ["dc2"] }
  ],
  "accounts": [
    { "name": "CORP\\alice" },
    { "name": "CORP\\carol", "sensitive": true },
    { "name": "CORP\\dave", "groups": ["Protected Users"] },
    { "name": "CORP\\svc-sql", "spns": ["MSSQLSvc/sql.corp.contoso.com:1433"] },
    { "name": "CORP\\svc-kcd", "spns": ["HTTP/kcd.corp.contoso.com"],
      "allowed_to_delegate_to": ["MSSQLSvc/sql.corp.contoso.com:1433"] },
    { "name": "CORP\\svc-pt", "spns": ["HTTP/pt.corp.contoso.com"], "trusted_to_auth_for_delegation": true,
      "allowed_to_delegate_to": ["MSSQLSvc/sql.corp.contoso.com:1433"] },
    { "name": "CORP\\svc-unc", "spns": ["HTTP/unc.corp.contoso.com"], "trusted_for_delegation": true },
    { "name": "CORP\\svc-front", "spns": ["HTTP/front.corp.contoso.com"] },
    { "name": "CORP\\svc-rbcd", "spns": ["MSSQLSvc/rbcd.corp.contoso.com:1433"], "allowed_to_act": ["CORP\\svc-front"] },
    { "name": "CORP\\svc-web", "spns": ["HTTP/web.corp.contoso.com"], "allowed_to_delegate_to": ["HTTP/mid.corp.contoso.com"] },
    { "name": "CORP\\svc-mid", "spns": ["HTTP/mid.corp.contoso.com"],
      "allowed_to_delegate_to": ["MSSQLSvc/sql2.corp.contoso.com:1433"] },
    { "name": "CORP\\svc-sql2", "spns": ["MSSQLSvc/sql2.corp.contoso.com:1433"] },
    { "name": "EMEA\\svc-esql", "spns": ["MSSQLSvc/sql.emea.corp.contoso.com:1433"] },
    { "name": "CORP\\svc-child", "spns": ["HTTP/child.corp.contoso.com"],
      "allowed_to_delegate_to": ["MSSQLSvc/sql.emea.corp.contoso.com:1433"] },
    { "name": "CORP\\svc-orphan", "spns": ["HTTP/orphan.corp.contoso.com"],
      "allowed_to_delegate_to": ["HTTP/nobody.corp.contoso.com"] },
    { "name": "CORP\\svc-a", "spns": ["HTTP/a.corp.contoso.com"], "allowed_to_delegate_to": ["HTTP/b.corp.contoso.com"] },
    { "name": "CORP\\svc-b", "spns": ["HTTP/b.corp.contoso.com"], "allowed_to_delegate_to": ["HTTP/a.corp.contoso.com"] }
  ],
  "hosts": [
    { "name": "dc1", "domain": "corp.contoso.com", "ip": "10.0.0.10" },
    { "name": "dc2", "domain": "emea.corp.contoso.com", "ip": "10.1.0.10" }
  ]
})json";
  return scenario::build(scenario::load_text(kText, "delegation-world.json"));
}

}  // namespace kerbsim::test
