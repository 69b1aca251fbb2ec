// A SQL Server login with integrated security: locating the instance, the MSSQLSvc SPN, and
// Kerberos or NTLM in the TDS login.
#include "flow/path_tracer.h"

#include "directory/names.h"
#include "farm/node_state.h"
#include "flow/kdc_exchange.h"
#include "kerberos/ap_req.h"

namespace kerbsim::flow {

using directory::iequals;
using kerberos::KrbError;
using kerberos::Ticket;

// A SQL Server login with integrated security (iis-rules 6.4-6.10, kerberos-rules R1.11).
void PathTracer::sql_login() {
  service_ = farm::serve_sql(node_, url_.instance);
  if (!service_) {
    add(StepKind::Sql, client_.name, node_.name, "connect to instance " + url_.instance,
        "error 26: Error Locating Server/Instance Specified",
        node_.name + " has no SQL Server instance named " + url_.instance, "iis-rules 6.4")
        .failed = true;
    attempt_.http_status = 0;
    fail_root(Error{ErrorKind::SqlInstanceNotFound});
    return;
  }
  const backend::SqlInstance& inst = *service_->sql;
  int port = url_.explicit_port ? url_.port : inst.port;
  if (!url_.explicit_port && !inst.default_instance()) {
    add(StepKind::Sql, client_.name, node_.name, "SQL Browser (UDP 1434): where is " + inst.name + "?",
        "TCP port " + std::to_string(port),
        "a named instance is found through the SQL Browser service" +
            std::string(inst.dynamic_port ? "; its port is dynamic, so an SPN naming the port goes stale when it "
                                            "changes at a restart"
                                          : ""),
        "iis-rules 6.4");
  }
  const auto ntlm_login = [&](const std::string& why, const std::string& rule) {
    add(StepKind::Sql, client_.name, node_.name, "TDS login with NTLM as " + user(),
        "login succeeded, auth_scheme NTLM", why, rule);
    attempt_ = {Protocol::Ntlm, 0, true, std::nullopt};
    out_.front.identity = user();
  };
  if (iequals(client_.name, node_.name)) {
    ntlm_login("a connection on the SQL Server machine itself always uses NTLM", "iis-rules 6.10");
    return;
  }
  if (url_.host_is_ip()) {
    ntlm_login("the server is named by IP address: no Kerberos ticket without an IP SPN, so NTLM", "iis-rules 6.10");
    return;
  }
  if (user_domain().empty() || !client_.domain_joined()) {
    ntlm_login(user() + " is not a domain account on a domain-joined machine; Kerberos requires a domain",
               "iis-rules 2.5");
    return;
  }
  const std::string fqdn = dns_.canonical.empty() ? url_.host : dns_.canonical;
  const directory::Spn typed{.service_class = "MSSQLSvc", .host = fqdn, .port = std::to_string(port)};
  const std::string spn = typed.to_string();
  Step& spn_step =
      add(StepKind::Decision, client_.name, client_.name, "build the SPN for " + url_.host, spn,
          "the driver resolves the server's FQDN through DNS and adds the TCP port: MSSQLSvc/<fqdn>:<port>",
          "iis-rules 6.5");
  if (!inst.spn_registration.empty()) spn_step.details.push_back(inst.spn_registration);
  out_.spn = spn;
  const std::optional<Ticket> ticket = get_service_ticket(typed);
  if (!ticket) {
    ntlm_login("no ticket for " + spn + ", so the driver uses NTLM (no SPN: NTLM for local and remote connections)",
               "iis-rules 6.6");
    return;
  }
  TicketSummary summary;
  summary.encrypted_for = ticket->encrypted_for;
  if (ticket->flags.forwardable) summary.flags.emplace_back("forwardable");
  if (ticket->flags.ok_as_delegate) summary.flags.emplace_back("ok_as_delegate");
  summary.etype = kerberos::etype_name(ticket->etype);
  out_.front.ticket = summary;

  const base::KeyDecision& key = service_->key;
  add(StepKind::Decision, node_.name, node_.name, "which key decrypts the ticket?", "the key of " + key.account,
      key.why, key.rule);
  out_.front.decrypted_with = key.account;
  const kerberos::ApReqResult ap = farm::accept_ap_req(env_, *ticket, key.account, client_offset_, node_, node_state_);
  if (ap.ok()) {
    add(StepKind::Sql, client_.name, node_.name,
        "TDS login with Kerberos (AP-REQ, ticket for " + ticket->encrypted_for + ")",
        "login succeeded as " + user() + ", auth_scheme KERBEROS", ap.why, ap.rule);
    attempt_ = {Protocol::Kerberos, 0, true, std::nullopt};
    front_ticket_ = *ticket;
    out_.front.identity = user();
    return;
  }
  Step& s = add(StepKind::Sql, client_.name, node_.name,
                "TDS login with Kerberos (AP-REQ, ticket for " + ticket->encrypted_for + ")",
                "The target principal name is incorrect. Cannot generate SSPI context.",
                ap.why + " (" + kerberos::error_name(ap.error) +
                    "); the driver does not fall back to NTLM after a "
                    "rejected ticket",
                "iis-rules 6.6");
  s.failed = true;
  attempt_ = {Protocol::Kerberos, 0, false, std::nullopt};
  fail_root(ap.error == KrbError::KRB_AP_ERR_MODIFIED ? Error{ErrorKind::SspiContext} : krb(ap.error));
}

}  // namespace kerbsim::flow
