// NTLM: the three legs on one connection, what breaks them (a layer-7 balancer, the loopback
// check, a local or workgroup account), NetLogon pass-through to a DC, and the browser's prompt
// after a refused logon.
#include "flow/path_tracer.h"

#include "directory/names.h"

namespace kerbsim::flow {

using directory::iequals;

void PathTracer::ntlm(bool fallback) {
  const std::string user_name = user();
  if (fallback && !server_accepts_ntlm()) {
    add(StepKind::Decision, client_.name, client_.name, "fall back to NTLM?", "no", "the server does not accept NTLM",
        ssrs() ? "iis-rules 7.2" : "iis-rules 3.2")
        .failed = true;
    attempt_.http_status = 401;
    return;
  }
  const auto split = directory::split_account(user_name);
  const auto* dom = env_.directory.domain_of(user_name);
  const auto id = env_.directory.find_account(user_name);
  const bool protected_user = id && env_.directory.account(*id).protected_user();

  Step& legs = add(StepKind::Ntlm, client_.name, node_.name, "NTLM NEGOTIATE_MESSAGE (type 1)",
                   "401, CHALLENGE_MESSAGE (type 2)",
                   fallback ? "no Kerberos ticket, so SPNEGO carries NTLM instead; NTLM takes three legs on one "
                              "connection"
                            : "the client chose NTLM; NTLM takes three legs on one connection",
                   fallback ? "iis-rules 0.4" : "iis-rules 4.1");
  legs.details.push_back(
      "NTLM cannot be delegated: a second hop from this server cannot use the user's identity "
      "[kerberos-rules R4.1]");
  if (lb_ && lb_->layer == 7) {
    add(StepKind::Ntlm, client_.name, node_.name, "NTLM AUTHENTICATE_MESSAGE (type 3)", "401 again (handshake lost)",
        "load balancer " + lb_->name +
            " works at layer 7 and re-pools connections, so the type 3 message can reach "
            "a node that never issued the challenge",
        "iis-rules 5.7")
        .failed = true;
    attempt_ = {Protocol::Ntlm, 401, false, Error{ErrorKind::NtlmHandshakeBroken}};
    prompt_after_ntlm_failure();
    fail_root(Error{ErrorKind::NtlmHandshakeBroken});
    return;
  }
  if (iequals(client_.name, node_.name)) {
    const bool own_name = iequals(url_.host, node_.name) || iequals(url_.host, node_.fqdn) ||
                          iequals(url_.host, "localhost") || url_.host == "127.0.0.1";
    bool listed = false;
    for (const auto& n : node_.back_connection_host_names) listed |= iequals(n, url_.host);
    if (!own_name && !listed) {
      add(StepKind::Ntlm, client_.name, node_.name, "NTLM AUTHENTICATE_MESSAGE (type 3)", "401.1 Logon failed",
          "the loopback check refuses NTLM to the server itself under the alias " + url_.host +
              " (not in BackConnectionHostNames)",
          "iis-rules 3.13")
          .failed = true;
      attempt_ = {Protocol::Ntlm, 401, false, Error{ErrorKind::StatusLogonFailure}};
      prompt_after_ntlm_failure();
      fail_root(Error{ErrorKind::StatusLogonFailure});
      return;
    }
  }
  if (!dom) {
    // A local account: the server must hold the same account locally.
    const bool local_here = iequals(split.domain, node_.name);
    add(StepKind::Ntlm, client_.name, node_.name, "NTLM AUTHENTICATE_MESSAGE (type 3) as " + user_name,
        local_here ? "200 OK as " + user_name : "401.1 Logon failed",
        local_here ? user_name + " is a local account of " + node_.name
                   : user_name + " is a local account of " + split.domain + ", unknown to " + node_.name,
        "iis-rules 2.5")
        .failed = !local_here;
    attempt_ = {Protocol::Ntlm, local_here ? 200 : 401, local_here, std::nullopt};
    if (!local_here) fail_root(Error{ErrorKind::StatusLogonFailure});
    if (local_here) out_.front.identity = user_name;
    return;
  }
  if (!node_.domain_joined()) {
    add(StepKind::Ntlm, client_.name, node_.name, "NTLM AUTHENTICATE_MESSAGE (type 3) as " + user_name,
        "401.1 Logon failed",
        node_.name +
            " is a workgroup server: it cannot pass a domain account's logon to a DC (a local account with "
            "the same name and password would work; UNCONFIRMED)",
        "iis-rules 2.5")
        .failed = true;
    attempt_ = {Protocol::Ntlm, 401, false, Error{ErrorKind::StatusLogonFailure}};
    prompt_after_ntlm_failure();
    fail_root(Error{ErrorKind::StatusLogonFailure});
    return;
  }
  const std::string dc = dc_for(dom->dns);
  if (!state_.kdc_reachable) {
    Step& s = add(StepKind::Ntlm, node_.name, dc, "NetLogon pass-through for " + user_name, "STATUS_NO_LOGON_SERVERS",
                  "no DC of " + dom->dns + " answers, so " + node_.name + " cannot validate the NTLM response",
                  "kerberos-rules R5.1");
    s.failed = true;
    s.action = StepAction::NetlogonPassThrough;
    attempt_ = {Protocol::Ntlm, 401, false, Error{ErrorKind::StatusNoLogonServers}};
    prompt_after_ntlm_failure();
    fail_root(Error{ErrorKind::StatusNoLogonServers});
    return;
  }
  if (protected_user) {
    Step& s =
        add(StepKind::Ntlm, node_.name, dc, "NetLogon pass-through for " + user_name, "STATUS_ACCOUNT_RESTRICTION",
            user_name + " is in Protected Users, whose DC refuses NTLM", "kerberos-rules R3.5.2");
    s.failed = true;
    s.action = StepAction::NetlogonPassThrough;
    s.details.push_back("ProtectedUserFailures-DomainController event 100 on " + dc);
    attempt_ = {Protocol::Ntlm, 401, false, Error{ErrorKind::StatusAccountRestriction}};
    prompt_after_ntlm_failure();
    fail_root(Error{ErrorKind::StatusAccountRestriction});
    return;
  }
  add(StepKind::Ntlm, node_.name, dc, "NetLogon pass-through validation for " + user_name, "STATUS_SUCCESS",
      node_.name + " cannot check the NTLM response itself and asks a DC of " + dom->dns + " (event 4776 there)",
      "kerberos-rules R5.1")
      .action = StepAction::NetlogonPassThrough;
  add(StepKind::Ntlm, client_.name, node_.name, "NTLM AUTHENTICATE_MESSAGE (type 3) as " + user_name,
      "200 OK as " + user_name, "the DC validated the response; the server builds an impersonation-level token",
      "iis-rules 0.11");
  attempt_ = {Protocol::Ntlm, 200, true, std::nullopt};
  out_.front.identity = user_name;
}

// A browser whose NTLM logon was refused asks the user for credentials, and fails again with the
// same account (iis-rules 3.11, 5.6); programs without a user interface just fail.
void PathTracer::prompt_after_ntlm_failure() {
  if (policy().browser == net::Browser::DotNet || policy().browser == net::Browser::SqlClient) return;
  add(StepKind::Decision, client_.name, client_.name, "retry", "credential prompt, then 401 again",
      "the browser shows a credential prompt after a refused NTLM logon; the same account fails again",
      "iis-rules 3.11");
  out_.front.prompt = true;
}

}  // namespace kerbsim::flow
