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
