// URLs as clients type them: http(s)://host[:port]/path and mssql://host[/instance][:port], with the
// scheme's default port, and the IPv4 test that decides whether a host is an address (kerberos-rules R1.10).
#include <catch2/catch.hpp>

#include "net/url.h"

using namespace kerbsim::net;

TEST_CASE("an http URL keeps the host as typed and takes port 80 by default", "[url]") {
  const auto u = parse_url("http://Reports.corp.contoso.com/Reports/browse");
  REQUIRE(u);
  CHECK(u->scheme == "http");
  CHECK(u->host == "Reports.corp.contoso.com");
  CHECK(u->port == 80);
  CHECK_FALSE(u->explicit_port);
  CHECK(u->default_port());
  CHECK(u->path == "/Reports/browse");
  CHECK(u->instance.empty());
  CHECK(u->to_string() == "http://Reports.corp.contoso.com/Reports/browse");
}

TEST_CASE("an https URL takes port 443; the scheme is case-insensitive", "[url]") {
  const auto u = parse_url("HTTPS://reports");
  REQUIRE(u);
  CHECK(u->scheme == "https");
  CHECK(u->port == 443);
  CHECK(u->default_port());
  CHECK(u->path.empty());
  CHECK(u->host_is_dotless());
  CHECK_FALSE(u->host_is_ip());
}

TEST_CASE("an explicit port is kept, even when it is the default one", "[url]") {
  const auto u = parse_url("http://web1:8080/");
  REQUIRE(u);
  CHECK(u->port == 8080);
  CHECK(u->explicit_port);
  CHECK_FALSE(u->default_port());
  CHECK(u->to_string() == "http://web1:8080/");
  const auto same = parse_url("https://web1:443");
  REQUIRE(same);
  CHECK(same->explicit_port);
  CHECK(same->default_port());
  CHECK(parse_url("http://web1:65535")->port == 65535);
  CHECK(parse_url("http://web1:1")->port == 1);
}

TEST_CASE("an mssql URL names the default instance and port 1433 unless told otherwise", "[url]") {
  const auto u = parse_url("mssql://sql1.corp.contoso.com");
  REQUIRE(u);
  CHECK(u->scheme == "mssql");
  CHECK(u->instance == "MSSQLSERVER");
  CHECK(u->port == 1433);
  CHECK(u->default_port());
  CHECK(u->path.empty());
  CHECK(parse_url("mssql://sql1/")->instance == "MSSQLSERVER");
}

TEST_CASE("an mssql URL takes a named instance, with the port before or after it", "[url]") {
  const auto named = parse_url("mssql://sql1/SALES");
  REQUIRE(named);
  CHECK(named->instance == "SALES");
  CHECK(named->port == 1433);
  CHECK_FALSE(named->explicit_port);

  const auto after = parse_url("mssql://sql1/SALES:1500");
  REQUIRE(after);
  CHECK(after->host == "sql1");
  CHECK(after->instance == "SALES");
  CHECK(after->port == 1500);
  CHECK(after->explicit_port);
  CHECK(after->path.empty());
  CHECK(after->to_string() == "mssql://sql1:1500/SALES");

  const auto before = parse_url("mssql://sql1:1500/SALES");
  REQUIRE(before);
  CHECK(before->instance == "SALES");
  CHECK(before->port == 1500);

  // Two ports are one too many.
  CHECK_FALSE(parse_url("mssql://sql1:1500/SALES:1600"));
}

TEST_CASE("invalid ports are refused", "[url]") {
  for (const char* text :
       {"http://web1:0", "http://web1:65536", "http://web1:", "http://web1:80x", "http://web1:123456",
        "http://web1:-80", "mssql://sql1/SALES:", "mssql://sql1/SALES:abc", "mssql://sql1/SALES:0"}) {
    INFO(text);
    CHECK_FALSE(parse_url(text));
  }
}

TEST_CASE("unknown schemes, missing separators and empty hosts are refused", "[url]") {
  for (const char* text : {"ftp://web1/", "file:///c:/x", "reports.corp.contoso.com", "http:/web1", "://web1", "",
                           "http://", "http:///Reports", "http://:8080/"}) {
    INFO(text);
    CHECK_FALSE(parse_url(text));
  }
}

TEST_CASE("an IP address host is recognised", "[url]") {
  const auto u = parse_url("http://10.0.0.100/Reports");
  REQUIRE(u);
  CHECK(u->host_is_ip());
  CHECK_FALSE(u->host_is_dotless());
}

TEST_CASE("is_ipv4 accepts four decimal parts of 0-255 and nothing else", "[url]") {
  CHECK(is_ipv4("10.0.0.1"));
  CHECK(is_ipv4("0.0.0.0"));
  CHECK(is_ipv4("255.255.255.255"));
  CHECK(is_ipv4("010.001.000.001"));
  CHECK_FALSE(is_ipv4("256.0.0.1"));
  CHECK_FALSE(is_ipv4("1.2.3.999"));
  CHECK_FALSE(is_ipv4("1.2.3"));
  CHECK_FALSE(is_ipv4("1.2.3.4.5"));
  CHECK_FALSE(is_ipv4("1..3.4"));
  CHECK_FALSE(is_ipv4(".1.2.3"));
  CHECK_FALSE(is_ipv4("1.2.3.4."));
  CHECK_FALSE(is_ipv4(""));
  CHECK_FALSE(is_ipv4("."));
  CHECK_FALSE(is_ipv4("0001.2.3.4"));
  CHECK_FALSE(is_ipv4("a.b.c.d"));
  CHECK_FALSE(is_ipv4("1.2.3.-4"));
  CHECK_FALSE(is_ipv4(" 1.2.3.4"));
  CHECK_FALSE(is_ipv4("web1.corp.contoso.com"));
}

TEST_CASE("parse_ipv4 names the first problem, number by number", "[url]") {
  CHECK(parse_ipv4("10.0.0.11").ok());
  CHECK(parse_ipv4("10.0.0").error == Ipv4Error::not_an_address);
  CHECK(parse_ipv4("10.0.x.1").error == Ipv4Error::not_an_address);
  const auto zero = parse_ipv4("10.01.0.300");
  CHECK(zero.error == Ipv4Error::leading_zero);
  CHECK(zero.number == "01");
  CHECK_FALSE(zero.address);
  const auto big = parse_ipv4("10.0.0.256");
  CHECK(big.error == Ipv4Error::over_255);
  CHECK(big.number == "256");
  CHECK(parse_ipv4("010.0.0.1").address);
}

TEST_CASE("parse_url says why a text is not a URL for its use", "[url]") {
  CHECK(parse_url("http://web1 /", UrlUse::flow).error.reason == UrlError::whitespace);
  CHECK(parse_url("web1/app", UrlUse::flow).error.reason == UrlError::not_a_url);
  const auto scheme = parse_url("FTP://web1", UrlUse::flow);
  CHECK(scheme.error.reason == UrlError::scheme);
  CHECK(scheme.error.part == "FTP");
  CHECK(parse_url("mssql://sql1", UrlUse::call).error.reason == UrlError::scheme);
  CHECK(parse_url("http://alice@web1/", UrlUse::flow).error.reason == UrlError::user_info);
  CHECK(parse_url("http:///x", UrlUse::flow).error.reason == UrlError::no_host);
  CHECK(parse_url("http://[::1]/", UrlUse::flow).error.reason == UrlError::ipv6);
  const auto ip = parse_url("http://10.0.0.300/", UrlUse::flow);
  CHECK(ip.error.reason == UrlError::ipv4);
  CHECK(ip.error.ipv4.error == Ipv4Error::over_255);
  const auto name = parse_url("http://web_1/", UrlUse::flow);
  CHECK(name.error.reason == UrlError::host_name);
  CHECK(name.error.host_name.error == DnsNameError::bad_character);
  const auto port = parse_url("http://web1:0/", UrlUse::flow);
  CHECK(port.error.reason == UrlError::port);
  CHECK(port.error.port == kerbsim::directory::PortError::out_of_range);
  const auto instance = parse_url("mssql://sql1/1SALES", UrlUse::flow);
  CHECK(instance.error.reason == UrlError::instance_name);
  CHECK(instance.error.instance.error == kerbsim::directory::NameError::bad_start);
  CHECK(parse_url("mssql://sql1/A/B", UrlUse::flow).error.reason == UrlError::mssql_parts);
  CHECK(parse_url("http://*:80/app", UrlUse::binding).error.reason == UrlError::binding_path);
}

TEST_CASE("a binding may name any host with \"*\"; a flow may not", "[url]") {
  const auto any = parse_url("http://*:8080", UrlUse::binding);
  REQUIRE(any.ok());
  CHECK(any.url.host == "*");
  CHECK(any.url.port == 8080);
  CHECK_FALSE(parse_url("http://*:8080", UrlUse::flow).ok());
}

TEST_CASE("the query and fragment are not part of the host", "[url]") {
  const auto u = parse_url("http://web1?x=1");
  REQUIRE(u);
  CHECK(u->host == "web1");
  CHECK(u->path == "?x=1");
}
