// The HTTP legs of a request to IIS or SSRS: finding the site that answers, the first anonymous
// request and the challenge it draws, Basic, and the content ACL read as the authenticated user.
#include "flow/path_tracer.h"

namespace kerbsim::flow {

using net::AuthScheme;

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

}  // namespace kerbsim::flow
