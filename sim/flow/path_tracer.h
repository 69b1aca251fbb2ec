// The tracer's one request, as a class (internal to sim/flow): the state a path carries from the
// first GET to the verdict, and one member per protocol leg. Each leg lives in its own file:
// http_leg.cpp, kerberos_leg.cpp, ntlm_leg.cpp, sql_login.cpp, verdict.cpp; tracer.cpp runs them.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "farm/environment.h"
#include "farm/node_state.h"
#include "farm/service.h"
#include "flow/hops.h"
#include "flow/tracer.h"
#include "kerberos/ticket.h"
#include "kerbsim/outcome.h"
#include "net/url.h"

namespace kerbsim::flow {

// How the client's authentication attempt ended, before the verdict is drawn.
struct Attempt {
  Protocol protocol = Protocol::None;
  int http_status = 401;
  bool authenticated = false;
  std::optional<Error> error;
};

class PathTracer {
 public:
  PathTracer(const farm::Environment& env, const farm::Host& client, const net::Url& url, const net::DnsAnswer& dns,
             const farm::Host& node, const net::LoadBalancer* lb, const ClientState& state,
             const farm::FarmState& farm_state, ClientGains* gains)
      : env_(env),
        client_(client),
        url_(url),
        dns_(dns),
        node_(node),
        lb_(lb),
        state_(state),
        farm_state_(farm_state),
        node_state_(farm_state.of(env, node)),
        gains_(gains),
        client_offset_(state.clock_offset.value_or(client.clock_offset)) {}

  PathOutcome run();

 private:
  Step& add(StepKind kind, std::string from, std::string to, std::string message, std::string result, std::string why,
            std::string rule) {
    return StepLog(out_.steps)
        .add(kind, std::move(from), std::move(to), std::move(message), std::move(result), std::move(why),
             std::move(rule));
  }
  void fail_root(const Error& error) {
    if (!out_.front.error) out_.front.error = error;
  }
  const std::string& user() const { return client_.client->user; }
  const net::BrowserPolicy& policy() const { return client_.client->policy; }
  std::string user_domain() const;
  std::string dc_for(const std::string& domain) const { return env_.dc_name(domain); }

  bool find_endpoint();
  bool anonymous_leg(std::vector<net::AuthScheme>& offered);
  void negotiate();
  void ntlm(bool fallback);
  void basic();
  void sql_login();
  void authorize_user();
  void prompt_after_ntlm_failure();
  void trace_hops();
  std::optional<kerberos::Ticket> get_service_ticket(const directory::Spn& spn);
  bool server_accepts_ntlm() const;
  bool kerberos_only() const;
  std::string process_identity() const { return service_ ? service_->process_name : ""; }
  void finish();

  const farm::Environment& env_;
  const farm::Host& client_;
  const net::Url& url_;
  const net::DnsAnswer& dns_;
  const farm::Host& node_;
  const net::LoadBalancer* lb_;
  const ClientState& state_;
  const farm::FarmState& farm_state_;
  const farm::NodeState& node_state_;
  ClientGains* gains_;
  engine::SimTime client_offset_;
  std::optional<farm::Service> service_;  // what answers the request on the node
  const web::Site* site() const { return service_ ? service_->site : nullptr; }
  const backend::SsrsServer* ssrs() const { return service_ ? service_->ssrs : nullptr; }
  PathOutcome out_;
  Attempt attempt_;
  std::optional<kerberos::Ticket> user_tgt_;       // the user's logon TGT, when Kerberos was used
  std::optional<kerberos::Ticket> front_ticket_;   // the ticket the front end accepted
  std::optional<kerberos::Ticket> forwarded_tgt_;  // the TGT the client forwarded (unconstrained delegation)
  net::LogonDecision logon_;
};

}  // namespace kerbsim::flow
