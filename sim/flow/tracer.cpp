#include "flow/tracer.h"

#include "flow/hops.h"
#include "flow/kdc_exchange.h"

#include <cstdlib>
#include <memory>
#include <utility>

#include "directory/names.h"
#include "farm/resolver.h"
#include "farm/service.h"
#include "kerberos/ap_req.h"
#include "kerberos/kdc.h"
#include "net/url.h"

namespace kerbsim::flow {
namespace {

using directory::iequals;
using kerberos::KdcReply;
using kerberos::KrbError;
using kerberos::Ticket;
using net::AuthScheme;

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
  bool anonymous_leg(std::vector<AuthScheme>& offered);
  void negotiate();
  void ntlm(bool fallback);
  void basic();
  void sql_login();
  void authorize_user();
  void prompt_after_ntlm_failure();
  void trace_hops();
  std::optional<Ticket> get_service_ticket(const std::string& spn);
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
  std::optional<Ticket> user_tgt_;       // the user's logon TGT, when Kerberos was used
  std::optional<Ticket> front_ticket_;   // the ticket the front end accepted
  std::optional<Ticket> forwarded_tgt_;  // the TGT the client forwarded (unconstrained delegation)
  net::LogonDecision logon_;
};

std::string PathTracer::user_domain() const {
  const auto split = directory::split_account(user());
  const auto* d = env_.directory.domain_by_netbios(split.domain);
  return d ? d->dns : "";
}

bool PathTracer::find_endpoint() {
  service_ = farm::serve_web(node_, url_);
  if (service_) return true;
  if (node_.iis) {
    add(StepKind::Http, client_.name, node_.name, "GET " + (url_.path.empty() ? "/" : url_.path),
        "400 Bad Request - Invalid Hostname",
        "no IIS site on " + node_.name + " has a binding for " + url_.scheme + "://" + url_.host + ":" +
            std::to_string(url_.port) + ", so http.sys rejects the request",
        "iis-rules 3.14")
        .failed = true;
    attempt_.http_status = 400;
    fail_root(Error{ErrorKind::NoSiteBinding});
    return false;
  }
  add(StepKind::Http, client_.name, node_.name, "GET " + (url_.path.empty() ? "/" : url_.path), "connection refused",
      node_.name + " runs neither IIS nor SSRS", "iis-rules 5.1")
      .failed = true;
  attempt_.http_status = 0;
  fail_root(Error{ErrorKind::NoWebServer});
  return false;
}

bool PathTracer::server_accepts_ntlm() const {
  if (ssrs()) return ssrs()->accepts_ntlm();
  if (!site() || !site()->windows_enabled) return false;
  for (const auto p : site()->providers)
    if (p == web::Provider::Negotiate || p == web::Provider::Ntlm) return true;
  return false;
}

// "Negotiate:Kerberos" is the only Negotiate flavour offered: no NTLM inside SPNEGO (iis-rules 3.2).
bool PathTracer::kerberos_only() const {
  if (!site()) return false;
  for (const auto p : site()->providers)
    if (p != web::Provider::NegotiateKerberos) return false;
  return true;
}

// The first, anonymous request; returns false when the request is settled without authentication.
bool PathTracer::anonymous_leg(std::vector<AuthScheme>& offered) {
  const std::string get = "GET " + (url_.path.empty() ? "/" : url_.path) + " (no credentials)";
  if (ssrs()) {
    offered = ssrs()->challenge();
    std::string types;
    for (const auto t : ssrs()->authentication_types) types += (types.empty() ? "" : ", ") + backend::auth_type_name(t);
    if (offered.empty()) {
      add(StepKind::Http, client_.name, node_.name, get, "200 OK, the custom (forms) logon page",
          "AuthenticationTypes is Custom: the report server authenticates with its own forms extension, anonymous "
          "at the HTTP level",
          "iis-rules 7.2");
      attempt_ = {Protocol::Anonymous, 200, true, std::nullopt};
      return false;
    }
    std::string headers;
    for (auto s : offered) headers += (headers.empty() ? "" : ", ") + net::scheme_name(s);
    Step& s =
        add(StepKind::Http, client_.name, node_.name, get, "401, WWW-Authenticate: " + headers,
            "the report server challenges every request with the schemes of <AuthenticationTypes> (" + types + ")",
            "iis-rules 7.2");
    if (ssrs()->authentication_types_defaulted)
      s.details.push_back("AuthenticationTypes not given: setup writes " + types + " for the service account " +
                          ssrs()->service_account.describe() + " [iis-rules 7.3]");
    return true;
  }

  const web::Site& site = *service_->site;
  const web::IisServer& iis = *node_.iis;
  offered = iis.challenge(site);
  if (site.anonymous_enabled) {
    const std::string anon = iis.anonymous_identity(site, node_.info());
    std::vector<std::string> groups;
    if (site.anonymous_user.empty()) groups = {"IIS_IUSRS", process_identity()};
    if (web::may_read_content(site, anon, groups)) {
      add(StepKind::Http, client_.name, node_.name, get, "200 OK as " + anon,
          "anonymous authentication is enabled and " + anon +
              " may read the content, so IIS serves the request "
              "without a challenge" +
              (site.windows_enabled ? "; Windows authentication never runs" : ""),
          site.windows_enabled ? "iis-rules 3.10" : "iis-rules 1.7");
      attempt_ = {Protocol::Anonymous, 200, true, std::nullopt};
      out_.front.identity = anon;
      return false;
    }
    if (offered.empty()) {
      add(StepKind::Http, client_.name, node_.name, get, "401.3 Access denied by ACL",
          "only anonymous authentication is enabled and " + anon + " is not among the content's readers",
          "iis-rules 1.10")
          .failed = true;
      attempt_.http_status = 401;
      fail_root(Error{ErrorKind::Http401_3});
      return false;
    }
    // Denied to the anonymous identity: IIS falls through to the challenge below.
    std::string headers;
    for (auto s : offered) headers += (headers.empty() ? "" : ", ") + net::scheme_name(s);
    add(StepKind::Http, client_.name, node_.name, get, "401, WWW-Authenticate: " + headers,
        "anonymous authentication is enabled, but " + anon + " may not read the content, so IIS challenges",
        "iis-rules 3.10");
    return true;
  }
  if (offered.empty()) {
    add(StepKind::Http, client_.name, node_.name, get, "401.2 Logon failed due to server configuration",
        "the site has no authentication method enabled", "iis-rules 3.11")
        .failed = true;
    attempt_.http_status = 401;
    fail_root(Error{ErrorKind::Http401_2});
    return false;
  }
  std::string headers, providers;
  for (auto s : offered) headers += (headers.empty() ? "" : ", ") + net::scheme_name(s);
  for (auto p : site.providers) providers += (providers.empty() ? "" : ", ") + web::provider_name(p);
  add(StepKind::Http, client_.name, node_.name, get, "401, WWW-Authenticate: " + headers,
      "anonymous authentication is off; Windows authentication sends one header per provider, in order (" + providers +
          ")",
      "iis-rules 3.2");
  return true;
}

std::optional<Ticket> PathTracer::get_service_ticket(const std::string& spn) {
  const std::string domain = user_domain();
  const auto* user_dom = env_.directory.domain_by_dns(domain);
  if (!user_dom) return std::nullopt;
  const engine::SimTime now = 0;

  if (state_.spn_not_found) {
    Step& s = add(StepKind::Decision, client_.name, client_.name, "TGS-REQ " + spn + "?",
                  "no: \"not found\" is in the negative SPN cache",
                  "the KDC answered that no account holds " + spn + " less than " +
                      engine::format_duration(env_.spn_negative_cache) +
                      " (SpnCacheTimeout) ago, so the client does not ask again",
                  "kerberos-rules R1.6");
    s.failed = true;
    s.details.push_back("klist purge empties the negative cache with the tickets [kerberos-rules R8.3]");
    fail_root(krb(KrbError::KDC_ERR_S_PRINCIPAL_UNKNOWN));
    return std::nullopt;
  }
  if (state_.service_ticket && iequals(state_.service_ticket->server, spn)) {
    const Ticket& cached = *state_.service_ticket;
    if (state_.tgt) user_tgt_ = *state_.tgt;
    add(StepKind::Decision, client_.name, client_.name, "ticket for " + spn + "?",
        "from the cache: encrypted for " + cached.encrypted_for + " (kvno " + std::to_string(cached.kvno) + ")",
        "the client keeps one service ticket per SPN for its lifetime and replays it to whichever server answers; "
        "changes in AD do not reach a cached ticket",
        "kerberos-rules R8.3");
    return cached;
  }

  if (!state_.kdc_reachable) {
    add(StepKind::Decision, client_.name, client_.name, "locate a KDC of " + domain, "no DC answers",
        "every DC of " + domain + " is down, so the client cannot get a ticket and Kerberos is not possible",
        "kerberos-rules R8.1")
        .failed = true;
    fail_root(Error{ErrorKind::KdcUnreachable});
    return std::nullopt;
  }
  // The logon TGT (kerberos-rules R8.8, R2.9).
  kerberos::Kdc home(env_.directory, *user_dom, env_.kdc_policy);
  const bool cached_tgt = state_.tgt.has_value();
  const KdcReply as = cached_tgt ? KdcReply{} : home.as_exchange(user(), now, client_offset_);
  if (cached_tgt) {
    add(StepKind::Decision, client_.name, client_.name, "TGT?", "from the cache",
        "the logon session still holds a TGT that has not expired", "kerberos-rules R2.9");
  } else {
    Step& s =
        add(StepKind::AsExchange, client_.name, dc_for(domain), "AS-REQ " + user() + " (logon TGT)",
            as.ok() ? "AS-REP, TGT " + std::string(as.ticket.flags.forwardable ? "forwardable" : "not forwardable")
                    : "KRB-ERROR " + kerberos::error_label(as.error),
            as.why, as.rule);
    s.failed = !as.ok();
    attach_reply(s, as);
  }
  if (!cached_tgt && !as.ok()) {
    fail_root(krb(as.error));
    return std::nullopt;
  }

  Ticket tgt = cached_tgt ? *state_.tgt : as.ticket;
  if (!cached_tgt && state_.token_groups) tgt.pac_sids = *state_.token_groups;
  user_tgt_ = tgt;
  if (!cached_tgt && gains_) gains_->tgt = tgt;
  const auto reply = chase_referrals(
      env_, domain, tgt, [&](const kerberos::Kdc& kdc, const Ticket& t) { return kdc.tgs_exchange(t, spn, now); },
      [&](const KdcReply& r, const std::string& kdc_domain) {
        std::string result;
        if (r.kind == KdcReply::Kind::Ticket)
          result = "TGS-REP, ticket for " + r.ticket.encrypted_for + " (" + kerberos::etype_name(r.ticket.etype) +
                   ", kvno " + std::to_string(r.ticket.kvno) + ")";
        else if (r.kind == KdcReply::Kind::Referral)
          result = "TGS-REP, referral TGT for " + directory::to_upper(r.referral_domain);
        else
          result = "KRB-ERROR " + kerberos::error_label(r.error);
        Step& s = add(StepKind::TgsExchange, client_.name, dc_for(kdc_domain), "TGS-REQ " + spn, result, r.why, r.rule);
        s.failed = !r.ok();
        attach_reply(s, r);
      });
  if (!reply) {
    fail_root(krb(KrbError::KDC_ERR_WRONG_REALM));
    return std::nullopt;
  }
  if (reply->kind == KdcReply::Kind::Ticket) {
    if (gains_) gains_->service_ticket = reply->ticket;
    return reply->ticket;
  }
  fail_root(krb(reply->error));
  const bool negative =
      reply->error == KrbError::KDC_ERR_S_PRINCIPAL_UNKNOWN || reply->error == KrbError::KDC_ERR_PRINCIPAL_NOT_UNIQUE;
  if (negative && gains_) gains_->spn_not_found = true;
  if (negative)
    out_.steps.back().details.push_back(
        "the client caches \"SPN not found\" for " + engine::format_duration(env_.spn_negative_cache) +
        " (SpnCacheTimeout): an SPN added now is seen only after that or a klist purge [kerberos-rules R1.6]");
  return std::nullopt;
}

void PathTracer::negotiate() {
  const bool domain_user = !user_domain().empty() && client_.domain_joined();
  const bool same_machine = iequals(client_.name, node_.name);

  // Conditions where Negotiate cannot use Kerberos at all and picks NTLM (iis-rules 4.3).
  if (!domain_user) {
    add(StepKind::Decision, client_.name, client_.name, "Negotiate: Kerberos or NTLM?", "NTLM",
        user() + " is not a domain account on a domain-joined machine; Kerberos requires a domain", "iis-rules 2.5");
    ntlm(true);
    return;
  }
  if (same_machine) {
    add(StepKind::Decision, client_.name, client_.name, "Negotiate: Kerberos or NTLM?", "NTLM",
        "client and server are the same computer; Negotiate does not use Kerberos for a local connection",
        "iis-rules 3.13");
    ntlm(true);
    return;
  }

  const net::SpnDecision spn = net::build_http_spn(policy(), url_, dns_);
  add(StepKind::Decision, client_.name, client_.name, "build the SPN for " + url_.host,
      spn.spn ? *spn.spn : "no SPN: Kerberos is not tried", spn.why, spn.rule);
  out_.spn = spn.spn;
  if (!spn.spn) {
    ntlm(true);
    return;
  }

  const std::optional<Ticket> ticket = get_service_ticket(*spn.spn);
  if (!ticket) {
    // No ticket could be obtained: SPNEGO falls back to NTLM if the server allows it (iis-rules 0.4).
    if (kerberos_only()) {
      add(StepKind::Decision, client_.name, client_.name, "fall back to NTLM?", "no",
          "the site offers only Negotiate:Kerberos, which carries no NTLM", "iis-rules 3.2")
          .failed = true;
      attempt_.http_status = 401;
      return;
    }
    ntlm(true);
    return;
  }

  const Ticket& t = *ticket;
  TicketSummary summary;
  summary.encrypted_for = t.encrypted_for;
  if (t.flags.forwardable) summary.flags.emplace_back("forwardable");
  if (t.flags.forwarded) summary.flags.emplace_back("forwarded");
  if (t.flags.ok_as_delegate) summary.flags.emplace_back("ok_as_delegate");
  summary.etype = kerberos::etype_name(t.etype);
  out_.front.ticket = summary;

  // Unconstrained delegation: the client forwards its TGT only when it asks to delegate, the ticket
  // is ok_as_delegate and the TGT forwardable (kerberos-rules R3.1.2-R3.1.4, iis-rules 4.7-4.11).
  if (t.flags.ok_as_delegate) {
    const net::DelegationDecision d = net::decide_delegation(policy(), url_, logon_);
    std::string why = d.why;
    bool forward = d.delegate;
    std::string rule = d.rule;
    if (forward && client_.credential_guard) {
      forward = false;
      why = "Credential Guard on " + client_.name + " blocks unconstrained delegation of its credentials";
      rule = "iis-rules 0.10";
    } else if (forward && user_tgt_ && !user_tgt_->flags.forwardable) {
      forward = false;
      why = user() + "'s TGT is not forwardable (sensitive account or Protected Users), so no TGT is forwarded";
      rule = "kerberos-rules R3.1.3";
    }
    add(StepKind::Decision, client_.name, client_.name, "forward the TGT? (the ticket is ok_as_delegate)",
        forward ? "yes" : "no", why, rule);
    if (forward && user_tgt_) {
      const auto* dom = env_.directory.domain_by_dns(user_domain());
      kerberos::Kdc kdc(env_.directory, *dom, env_.kdc_policy);
      const KdcReply r = kdc.forwarded_tgt(*user_tgt_, 0);
      Step& s = add(StepKind::TgsExchange, client_.name, dc_for(user_domain()), "TGS-REQ krbtgt (forwarded TGT)",
                    r.ok() ? "TGS-REP, forwarded TGT" : "KRB-ERROR " + kerberos::error_label(r.error), r.why, r.rule);
      s.failed = !r.ok();
      s.action = StepAction::ForwardedTgt;
      if (r.ok()) forwarded_tgt_ = r.ticket;
    }
  }

  // The token travels base64-encoded in one header; http.sys checks its limits first (R6.5).
  const int token = kerberos::estimated_token_bytes(t, forwarded_tgt_.has_value());
  const int header = static_cast<int>(std::string("Authorization: Negotiate ").size()) + 4 * ((token + 2) / 3);
  constexpr int kOtherRequestBytes = 600;  // request line and the other headers, an estimate
  const std::string ap_msg = "GET with Authorization: Negotiate (AP-REQ, ticket for " + t.encrypted_for + ")";
  if (header > node_.http_max_field_length || header + kOtherRequestBytes > node_.http_max_request_bytes) {
    const bool field = header > node_.http_max_field_length;
    Step& s = add(StepKind::ApExchange, client_.name, node_.name, ap_msg,
                  "400 Bad Request (Request Header too long) from http.sys",
                  "the Kerberos token is about " + std::to_string(token) + " bytes (" + std::to_string(t.pac_sids) +
                      " group SIDs in the PAC" +
                      (t.pac_foreign_sids ? ", " + std::to_string(t.pac_foreign_sids) + " from other domains" : "") +
                      "), so the Authorization header is about " + std::to_string(header) + " bytes, over " +
                      (field ? "MaxFieldLength = " + std::to_string(node_.http_max_field_length)
                             : "MaxRequestBytes = " + std::to_string(node_.http_max_request_bytes)) +
                      "; http.sys answers without calling " + (ssrs() ? std::string("SSRS") : std::string("IIS")),
                  "kerberos-rules R6.5");
    s.failed = true;
    s.details.push_back(
        "token size estimate 1200 + 40·d + 8·s bytes [kerberos-rules R6.3]; the request is "
        "logged in HTTPERR, not in the IIS log [kerberos-rules R5.5]");
    s.details.push_back(
        "fix: set MaxFieldLength and MaxRequestBytes under HKLM\\SYSTEM\\CurrentControlSet\\Services\\"
        "HTTP\\Parameters to about 4/3 of the token size, or reduce group memberships [iis-rules 0.12]");
    attempt_ = {Protocol::Kerberos, 400, false, std::nullopt};
    fail_root(Error{ErrorKind::Http400HeaderTooLong});
    return;
  }

  // Which key the server decrypts with (iis-rules 3.5 / 7.6).
  const base::KeyDecision& key = service_->key;
  add(StepKind::Decision, node_.name, node_.name, "which key decrypts the ticket?",
      key.account.empty() ? "none: no domain key on this host" : "the key of " + key.account, key.why, key.rule);
  out_.front.decrypted_with = key.account.empty() ? std::nullopt : std::optional<std::string>(key.account);

  const kerberos::ApReqResult ap = farm::accept_ap_req(env_, t, key.account, client_offset_, node_, node_state_);
  if (ap.ok()) {
    Step& ok = add(StepKind::ApExchange, client_.name, node_.name, ap_msg, "200 OK as " + user(), ap.why, ap.rule);
    attempt_ = {Protocol::Kerberos, 200, true, std::nullopt};
    out_.front.identity = user();
    front_ticket_ = t;
    if (forwarded_tgt_)
      ok.details.push_back(
          "the AP-REQ carried the forwarded TGT, so the token size estimate doubles "
          "[kerberos-rules R3.1.5]");
    return;
  }
  Step& s = add(StepKind::ApExchange, client_.name, node_.name, ap_msg, "401, " + kerberos::error_label(ap.error),
                ap.why, ap.rule);
  s.failed = true;
  if (ap.error == KrbError::KRB_AP_ERR_MODIFIED) {
    s.details.push_back("the client logs System event 4 (Security-Kerberos): KRB_AP_ERR_MODIFIED from the server " +
                        node_.name + "; the target name used was " + *spn.spn + " [kerberos-rules R2.6]");
    s.details.push_back("the IIS log shows 401 1 2148074245: the token was presented and rejected [iis-rules 3.11]");
  }
  attempt_ = {Protocol::Kerberos, 401, false, krb(ap.error)};
  fail_root(krb(ap.error));
  // A browser keeps the same ticket and prompts; Negotiate does not fall back to NTLM (iis-rules 0.5, 5.6).
  if (policy().browser != net::Browser::DotNet && policy().browser != net::Browser::SqlClient) {
    add(StepKind::Decision, client_.name, client_.name, "retry", "credential prompt, then 401 again",
        "the ticket was obtained but rejected, so Negotiate does not fall back to NTLM; the browser prompts and "
        "retries with the same cached ticket until it expires or is purged",
        "iis-rules 5.6");
    out_.front.prompt = true;
  }
}

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
  const auto* dom = env_.directory.domain_by_netbios(split.domain);
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

void PathTracer::basic() {
  out_.front.prompt = true;
  const bool tls = url_.scheme == "https";
  add(StepKind::Http, client_.name, node_.name, "GET with Authorization: Basic (user name and password)",
      "200 OK as " + user(),
      std::string("the browser prompts for a user name and password and sends them base64-encoded") +
          (tls ? "" : " in clear text over http") + "; the server logs the user on with them (logon type 8)",
      "kerberos-rules R5.2");
  attempt_ = {Protocol::Basic, 200, true, std::nullopt};
  out_.front.identity = user();
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

// After authentication, IIS reads the content as the user; the NTFS ACL may still deny (iis-rules 1.10).
void PathTracer::authorize_user() {
  if (!site() || !site()->content_readers) return;
  std::vector<std::string> groups = {"Everyone", "Authenticated Users", "Users", "Domain Users"};
  if (const auto id = env_.directory.find_account(user()))
    for (const auto& g : env_.directory.account(*id).groups) groups.push_back(g);
  if (web::may_read_content(*site(), user(), groups)) return;
  add(StepKind::Http, node_.name, node_.name, "read the content as " + user(), "401.3 Access denied by ACL",
      user() + " is authenticated but not among the content's readers", "iis-rules 1.10")
      .failed = true;
  attempt_.authenticated = false;
  attempt_.http_status = 401;
  fail_root(Error{ErrorKind::Http401_3});
}

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
  const std::string spn = "MSSQLSvc/" + fqdn + ":" + std::to_string(port);
  Step& spn_step =
      add(StepKind::Decision, client_.name, client_.name, "build the SPN for " + url_.host, spn,
          "the driver resolves the server's FQDN through DNS and adds the TCP port: MSSQLSvc/<fqdn>:<port>",
          "iis-rules 6.5");
  if (!inst.spn_registration.empty()) spn_step.details.push_back(inst.spn_registration);
  out_.spn = spn;
  const std::optional<Ticket> ticket = get_service_ticket(spn);
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

// The calls behind the front end (kerberos-rules sections 3-4).
void PathTracer::trace_hops() {
  if (!service_ || service_->calls.empty()) return;
  CallerContext caller;
  if (attempt_.protocol == Protocol::Anonymous) {
    caller.anonymous_identity = out_.front.identity.value_or("");
  } else {
    caller.user = user();
  }
  caller.protocol = attempt_.protocol;
  caller.evidence = front_ticket_;
  caller.forwarded_tgt = forwarded_tgt_;
  StepLog log(out_.steps);
  out_.hops = trace_calls(env_, farm_state_, *service_, caller, log);
}

void PathTracer::finish() {
  out_.front.protocol = attempt_.protocol;
  out_.front.http_status = attempt_.http_status;
  if (!attempt_.authenticated) out_.front.identity = std::nullopt;
  out_.front.process_identity = process_identity();
  if (attempt_.error && !out_.front.error) out_.front.error = attempt_.error;

  const bool sql = url_.scheme == "mssql";
  const bool works = attempt_.authenticated && (sql || (attempt_.http_status >= 200 && attempt_.http_status < 300));
  // The verdict's cause behind a working front end is the first failing hop (root_cause).
  const HopOutcome* failed_hop = first_failed_hop(out_.hops);
  const bool hop_failed = failed_hop != nullptr;
  const std::string hop_problem =
      hop_failed ? failed_hop->to + " sees " + failed_hop->identity.value_or("no identity") +
                       (failed_hop->error ? " (" + to_string(*failed_hop->error) + ")" : std::string())
                 : std::string();
  bool hop_ntlm = false;
  std::vector<const HopOutcome*> pending;
  for (const auto& h : out_.hops) pending.push_back(&h);
  while (!pending.empty()) {
    const HopOutcome* h = pending.back();
    pending.pop_back();
    hop_ntlm |= h->protocol == Protocol::Ntlm && h->result == HopResult::Ok;
    for (const auto& c : h->hops) pending.push_back(&c);
  }
  const bool degraded_protocol =
      attempt_.protocol == Protocol::Ntlm || attempt_.protocol == Protocol::Basic || hop_ntlm;
  const std::string where = lb_ ? " on " + node_.name : "";
  if (works && hop_failed) {
    out_.verdict = Verdict::Failed;
    out_.summary = "the front end works" + where + ", but the next hop fails: " + hop_problem;
  } else if (!works) {
    out_.verdict = Verdict::Failed;
    out_.summary = (sql ? "SQL login failed" : "HTTP " + std::to_string(attempt_.http_status)) + where +
                   (out_.front.error ? ": " + to_string(*out_.front.error) : std::string());
    if (attempt_.error && out_.front.error && *attempt_.error != *out_.front.error)
      out_.summary += ", then " + to_string(attempt_.protocol) + " failed too: " + to_string(*attempt_.error);
    if (out_.front.ticket && out_.front.decrypted_with && out_.front.error &&
        *out_.front.error == krb(KrbError::KRB_AP_ERR_MODIFIED))
      out_.summary += " — the ticket is encrypted for " + out_.front.ticket->encrypted_for + ", but " + node_.name +
                      " decrypts with " + *out_.front.decrypted_with;
  } else if (degraded_protocol || out_.front.prompt) {
    out_.verdict = Verdict::Degraded;
    out_.summary =
        "works" + where + " with " + to_string(attempt_.protocol) + " as " + out_.front.identity.value_or("?") +
        (out_.front.prompt ? " after a credential prompt" : "") +
        (out_.front.error ? " (Kerberos failed first: " + to_string(*out_.front.error) + ")" : std::string());
  } else {
    out_.verdict = Verdict::Ok;
    if (attempt_.protocol == Protocol::Kerberos)
      out_.summary = "Kerberos as " + out_.front.identity.value_or("?") + where + "; ticket for " +
                     out_.front.ticket->encrypted_for + " decrypted with " + out_.front.decrypted_with.value_or("?");
    else
      out_.summary = to_string(attempt_.protocol) + where + " as " + out_.front.identity.value_or("?");
  }
}

PathOutcome PathTracer::run() {
  if (lb_) out_.via = node_.name;

  // DNS (iis-rules 4.4, 4.8): every path repeats it so that each reads on its own.
  if (!url_.host_is_ip()) {
    std::string result = dns_.cnames.empty() ? "A " + dns_.ip : "CNAME ";
    if (!dns_.cnames.empty()) {
      for (std::size_t i = 0; i < dns_.cnames.size(); ++i) result += (i ? " → " : "") + dns_.cnames[i];
      result += ", A " + dns_.ip;
    }
    add(StepKind::Dns, client_.name, "dns", "A? " + dns_.queried, result, dns_.why,
        dns_.cnames.empty() ? "iis-rules 4.8" : "iis-rules 5.5");
  }
  if (lb_) {
    std::string algo;
    switch (lb_->algorithm) {
      case net::LbAlgorithm::RoundRobin:
        algo = "round robin";
        break;
      case net::LbAlgorithm::LeastConnections:
        algo = "least connections";
        break;
      case net::LbAlgorithm::SourceIpHash:
        algo = "source-IP hash";
        break;
      case net::LbAlgorithm::Random:
        algo = "random";
        break;
    }
    add(StepKind::Decision, lb_->name, lb_->name, "connection to " + lb_->vip, "forwarded to " + node_.name,
        "the balancer picks a member by " + algo + "; this path follows " + node_.name +
            ", and the client cannot tell which node answered",
        "iis-rules 5.1");
  }
  if (url_.scheme == "mssql") {
    sql_login();
    if (attempt_.authenticated) trace_hops();
    finish();
    return out_;
  }
  if (!find_endpoint()) {
    finish();
    return out_;
  }

  std::vector<AuthScheme> offered;
  if (anonymous_leg(offered)) {
    const net::LogonDecision logon = net::decide_logon(policy(), url_);
    logon_ = logon;
    add(StepKind::Decision, client_.name, client_.name, "log on silently?",
        logon.automatic ? "yes, with " + user() : "no: credential prompt", logon.why, logon.rule);
    if (!logon.automatic) out_.front.prompt = true;
    const net::SchemeDecision scheme = net::choose_scheme(policy(), offered, logon);
    Step& s = add(StepKind::Decision, client_.name, client_.name, "choose a scheme",
                  scheme.scheme ? net::scheme_name(*scheme.scheme) : "none", scheme.why, scheme.rule);
    if (!scheme.scheme) {
      s.failed = true;
      attempt_.http_status = 401;
      fail_root(Error{ErrorKind::NoCommonAuthScheme});
    } else if (*scheme.scheme == AuthScheme::Negotiate) {
      negotiate();
    } else if (*scheme.scheme == AuthScheme::Ntlm) {
      ntlm(false);
    } else if (*scheme.scheme == AuthScheme::Basic) {
      basic();
    }
    if (attempt_.authenticated) authorize_user();
    if (attempt_.authenticated) trace_hops();
  } else if (attempt_.authenticated && attempt_.protocol == Protocol::Anonymous) {
    trace_hops();  // served anonymously: the application's calls still run (iis-rules 1.12, 3.12)
  }
  finish();
  return out_;
}

// Where the flow's URL leads, as its client resolves it.
struct Resolution {
  const farm::Host* client = nullptr;
  farm::UrlTarget target;
};

Resolution resolve(const farm::Environment& env, const farm::FlowSpec& flow) {
  Resolution r;
  r.client = env.host(flow.client);
  if (!r.client || !r.client->client) return r;  // the loader guarantees a client
  r.target = farm::resolve_url(env, flow.url, r.client->domain);
  return r;
}

// The path of a request that reaches no web server: the name does not resolve, or nothing answers.
PathOutcome dead_end(const Resolution& res) {
  const farm::UrlTarget& r = res.target;
  PathOutcome p;
  Step s;
  s.seq = 1;
  s.from = res.client->name;
  s.failed = true;
  if (!r.dns.found) {
    s.kind = StepKind::Dns;
    s.to = "dns";
    s.message = "A? " + r.dns.queried;
    s.result = "NXDOMAIN";
    s.why = r.dns.why;
    s.rule = "iis-rules 4.4";
    p.front.error = Error{ErrorKind::DnsNameNotFound};
    p.summary = "the name " + r.url->host + " does not resolve";
  } else {
    s.kind = StepKind::Http;
    s.to = r.ip;
    s.message = "connect to " + r.ip + ":" + std::to_string(r.url->port);
    s.result = "no answer";
    s.why = "no host or load balancer in the scenario has the address " + r.ip;
    s.rule = "iis-rules 5.1";
    p.front.error = Error{ErrorKind::HostUnreachable};
    p.summary = "nothing answers at " + r.ip;
  }
  p.steps.push_back(s);
  p.verdict = Verdict::Failed;
  return p;
}

FlowTarget target_of(const Resolution& r) {
  FlowTarget t;
  if (!r.client || !r.client->client || !r.target.url || !r.target.dns.found) return t;
  t.balancer = r.target.balancer;
  t.nodes = r.target.nodes;
  return t;
}

const ClientState kFreshClient{};
const farm::FarmState kFarmAsConfigured{};

FlowOutcome trace_flow(const farm::Environment& env, const farm::FlowSpec& flow, const TraceOptions& options) {
  FlowOutcome fo;
  fo.flow = flow.name;
  fo.client = flow.client;
  fo.url = flow.url;
  const Resolution r = resolve(env, flow);
  if (!r.client || !r.client->client || !r.target.url) return fo;
  fo.user = r.client->client->user;
  fo.browser = net::browser_name(r.client->client->policy.browser);
  const FlowTarget target = target_of(r);
  if (target.balancer) fo.balancer = target.balancer->name;
  if (target.nodes.empty() && !target.balancer) {
    fo.paths.push_back(dead_end(r));
    return fo;
  }
  for (const farm::Host* node : target.nodes) {
    if (target.balancer && !options.via.empty() && !iequals(options.via, node->name)) continue;
    PathTracer tracer(env, *r.client, *r.target.url, r.target.dns, *node, target.balancer, kFreshClient,
                      kFarmAsConfigured, nullptr);
    fo.paths.push_back(tracer.run());
  }
  return fo;
}

}  // namespace

TraceReport trace(const farm::Environment& env, const TraceOptions& options) {
  TraceReport report;
  report.scenario = env.name;
  report.title = env.title;
  for (const auto& flow : env.flows) {
    if (!options.flow.empty() && flow.name != options.flow) continue;
    report.flows.push_back(trace_flow(env, flow, options));
  }
  return report;
}

FlowTarget flow_target(const farm::Environment& env, const farm::FlowSpec& flow) {
  return target_of(resolve(env, flow));
}

PathOutcome trace_path(const farm::Environment& env, const farm::FlowSpec& flow, const std::string& node,
                       const ClientState& client, const farm::FarmState& hosts, ClientGains* gains) {
  const Resolution r = resolve(env, flow);
  if (!r.client || !r.client->client || !r.target.url) return {};
  const FlowTarget target = target_of(r);
  for (const farm::Host* n : target.nodes)
    if (iequals(n->name, node)) {
      PathTracer tracer(env, *r.client, *r.target.url, r.target.dns, *n, target.balancer, client, hosts, gains);
      return tracer.run();
    }
  return dead_end(r);
}

}  // namespace kerbsim::flow
