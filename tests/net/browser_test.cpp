#include <catch2/catch.hpp>

#include "net/browser.h"

using namespace kerbsim::net;

namespace {

Dns farm_dns() {
  Dns dns;
  dns.add_a("web1.corp.contoso.com", "10.0.0.11");
  dns.add_a("reports.corp.contoso.com", "10.0.0.100");
  dns.add_cname("portal.corp.contoso.com", "web1.corp.contoso.com");
  return dns;
}

std::string spn_for(Browser b, const std::string& url_text, BrowserPolicy policy = {}) {
  policy.browser = b;
  const Dns dns = farm_dns();
  const Url url = *parse_url(url_text);
  const auto answer = dns.resolve(url.host, "corp.contoso.com");
  const auto d = build_http_spn(policy, url, answer);
  return d.spn ? d.spn->to_string() : "(none)";
}

}  // namespace

TEST_CASE("Edge and Chrome build the SPN from the canonical DNS name", "[browser]") {
  REQUIRE(spn_for(Browser::Edge, "http://portal.corp.contoso.com/") == "HTTP/web1.corp.contoso.com");
  REQUIRE(spn_for(Browser::Chrome, "http://reports/") == "HTTP/reports.corp.contoso.com");
  BrowserPolicy no_cname;
  no_cname.disable_cname_lookup = true;
  REQUIRE(spn_for(Browser::Edge, "http://portal.corp.contoso.com/", no_cname) == "HTTP/portal.corp.contoso.com");
  REQUIRE(spn_for(Browser::Edge, "http://reports/", no_cname) == "HTTP/reports");
}

TEST_CASE("Internet Explorer resolves CNAMEs but keeps an A-record name as typed", "[browser]") {
  REQUIRE(spn_for(Browser::Ie, "http://portal.corp.contoso.com/") == "HTTP/web1.corp.contoso.com");
  REQUIRE(spn_for(Browser::Ie, "http://reports/") == "HTTP/reports");
  BrowserPolicy feature;
  feature.disable_cname_lookup = true;
  REQUIRE(spn_for(Browser::Ie, "http://portal.corp.contoso.com/", feature) == "HTTP/portal.corp.contoso.com");
}

TEST_CASE("ports enter the SPN only with the port policy and only when not 80 or 443", "[browser]") {
  REQUIRE(spn_for(Browser::Edge, "http://reports.corp.contoso.com:8080/") == "HTTP/reports.corp.contoso.com");
  BrowserPolicy port;
  port.include_port = true;
  REQUIRE(spn_for(Browser::Edge, "http://reports.corp.contoso.com:8080/", port) ==
          "HTTP/reports.corp.contoso.com:8080");
  REQUIRE(spn_for(Browser::Edge, "https://reports.corp.contoso.com/", port) == "HTTP/reports.corp.contoso.com");
  REQUIRE(spn_for(Browser::Firefox, "http://reports.corp.contoso.com:8080/", port) == "HTTP/reports.corp.contoso.com");
}

TEST_CASE("an IP address URL gets no SPN unless TryIPSPN is set", "[browser]") {
  REQUIRE(spn_for(Browser::Edge, "http://10.0.0.100/") == "(none)");
  BrowserPolicy ip;
  ip.try_ip_spn = true;
  REQUIRE(spn_for(Browser::Edge, "http://10.0.0.100/", ip) == "HTTP/10.0.0.100");
}

TEST_CASE("dotless names are intranet; dotted names need the site list", "[browser]") {
  BrowserPolicy p;
  REQUIRE(decide_logon(p, *parse_url("http://reports/")).automatic);
  const auto fqdn = decide_logon(p, *parse_url("http://reports.corp.contoso.com/"));
  REQUIRE_FALSE(fqdn.automatic);
  REQUIRE(fqdn.zone == "Internet");
  p.intranet_sites = {"*.corp.contoso.com"};
  REQUIRE(decide_logon(p, *parse_url("http://reports.corp.contoso.com/")).automatic);
  p.auth_server_allowlist = {"intranet.fabrikam.com"};
  REQUIRE_FALSE(decide_logon(p, *parse_url("http://reports.corp.contoso.com/")).automatic);
}

TEST_CASE("Firefox answers Negotiate only for trusted URIs", "[browser]") {
  BrowserPolicy p;
  p.browser = Browser::Firefox;
  const auto untrusted = decide_logon(p, *parse_url("http://reports.corp.contoso.com/"));
  REQUIRE_FALSE(untrusted.negotiate_allowed);
  const auto scheme = choose_scheme(p, {AuthScheme::Negotiate, AuthScheme::Ntlm}, untrusted);
  REQUIRE(scheme.scheme == AuthScheme::Ntlm);
  p.firefox_trusted_uris = {"corp.contoso.com"};
  const auto trusted = decide_logon(p, *parse_url("http://reports.corp.contoso.com/"));
  REQUIRE(trusted.negotiate_allowed);
}

TEST_CASE("Chromium picks the strongest scheme, Internet Explorer the first in header order", "[browser]") {
  BrowserPolicy edge;
  const LogonDecision logon;
  REQUIRE(choose_scheme(edge, {AuthScheme::Ntlm, AuthScheme::Negotiate}, logon).scheme == AuthScheme::Negotiate);
  BrowserPolicy ie;
  ie.browser = Browser::Ie;
  REQUIRE(choose_scheme(ie, {AuthScheme::Ntlm, AuthScheme::Negotiate}, logon).scheme == AuthScheme::Ntlm);
  REQUIRE_FALSE(choose_scheme(edge, {AuthScheme::Kerberos}, logon).scheme.has_value());
}

TEST_CASE("DNS follows CNAME chains and appends the suffix to dotless names", "[dns]") {
  Dns dns = farm_dns();
  dns.add_cname("www.corp.contoso.com", "portal.corp.contoso.com");
  const auto a = dns.resolve("www", "corp.contoso.com");
  REQUIRE(a.found);
  REQUIRE(a.cnames == std::vector<std::string>{"portal.corp.contoso.com", "web1.corp.contoso.com"});
  REQUIRE(a.canonical == "web1.corp.contoso.com");
  REQUIRE(a.ip == "10.0.0.11");
  REQUIRE_FALSE(dns.resolve("nowhere", "corp.contoso.com").found);
}
