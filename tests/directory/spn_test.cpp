// The SPN grammar: serviceclass/host[:port][/servicename] (kerberos-rules R1.1), each refusal with its
// reason, and the Spn value it produces.
#include <catch2/catch.hpp>

#include "directory/spn.h"

using namespace kerbsim::directory;

TEST_CASE("an SPN splits into service class, host, port and service name", "[spn]") {
  const auto parsed = parse_spn("MSSQLSvc/sql1.corp.contoso.com:1433");
  REQUIRE(parsed.ok());
  CHECK(parsed.spn.service_class == "MSSQLSvc");
  CHECK(parsed.spn.host == "sql1.corp.contoso.com");
  CHECK(parsed.spn.port == "1433");
  CHECK(parsed.spn.service_name.empty());
  const auto full = Spn::parse("ldap/dc1.corp.contoso.com:389/corp.contoso.com");
  REQUIRE(full);
  CHECK(full->service_name == "corp.contoso.com");
  CHECK(full->to_string() == "ldap/dc1.corp.contoso.com:389/corp.contoso.com");
  CHECK(full->with_class("HOST").to_string() == "HOST/dc1.corp.contoso.com:389/corp.contoso.com");
}

TEST_CASE("a MSSQLSvc SPN may carry an instance name where the port goes", "[spn]") {
  const auto named = parse_spn("MSSQLSvc/sql1.corp.contoso.com:SALES");
  REQUIRE(named.ok());
  CHECK(named.spn.port == "SALES");
  const auto bad = parse_spn("MSSQLSvc/sql1:DEFAULT");
  CHECK(bad.error.reason == SpnError::instance_name);
  CHECK(bad.error.part == "DEFAULT");
  CHECK(bad.error.instance.error == NameError::reserved);
  const auto http = parse_spn("HTTP/web1:SALES");
  CHECK(http.error.reason == SpnError::port);
  CHECK(http.error.port_error == PortError::not_a_number);
}

TEST_CASE("each malformed SPN says why", "[spn]") {
  CHECK(parse_spn("").error.reason == SpnError::empty);
  CHECK(parse_spn("HTTP/" + std::string(300, 'a')).error.reason == SpnError::too_long);
  const auto space = parse_spn("HTTP/web 1");
  CHECK(space.error.reason == SpnError::whitespace);
  CHECK(space.error.character == ' ');
  CHECK(parse_spn("HTTP/http://web1").error.reason == SpnError::url);
  CHECK(parse_spn("web1.corp.contoso.com").error.reason == SpnError::no_slash);
  CHECK(parse_spn("/web1").error.reason == SpnError::no_service_class);
  const auto cls = parse_spn("HT*P/web1");
  CHECK(cls.error.reason == SpnError::service_class_character);
  CHECK(cls.error.part == "HT*P");
  CHECK(cls.error.character == '*');
  CHECK(parse_spn("HTTP/web1/").error.reason == SpnError::trailing_slash);
  const auto no_host = parse_spn("HTTP/:80");
  CHECK(no_host.error.reason == SpnError::no_host);
  CHECK(no_host.error.part == "HTTP");
  const auto host = parse_spn("HTTP/web!1");
  CHECK(host.error.reason == SpnError::host_character);
  CHECK(host.error.part == "web!1");
  CHECK(parse_spn("HTTP/web1:").error.port_error == PortError::empty);
  CHECK(parse_spn("HTTP/web1:70000").error.port_error == PortError::out_of_range);
  CHECK_FALSE(Spn::parse("HTTP/web1:0"));
}

TEST_CASE("a port is a number from 1 to 65535", "[spn]") {
  CHECK(check_port("1") == PortError::none);
  CHECK(check_port("65535") == PortError::none);
  CHECK(check_port("") == PortError::empty);
  CHECK(check_port("8o") == PortError::not_a_number);
  CHECK(check_port("0") == PortError::out_of_range);
  CHECK(check_port("65536") == PortError::out_of_range);
  CHECK(check_port("1234567") == PortError::out_of_range);
}

TEST_CASE("an SPN's key is its lower-case text and it matches texts case-insensitively (R1.8)", "[spn]") {
  const Spn sql{.service_class = "MSSQLSvc", .host = "SQL1.corp.contoso.com", .port = "1433"};
  CHECK(sql.key() == "mssqlsvc/sql1.corp.contoso.com:1433");
  CHECK(sql.key() == spn_key(sql.to_string()));
  CHECK(sql.matches("mssqlsvc/sql1.CORP.contoso.com:1433"));
  CHECK_FALSE(sql.matches("MSSQLSvc/sql1.corp.contoso.com"));  // another port form (R1.11)
  CHECK_FALSE(sql.matches("MSSQLSvc/sql1:1433"));              // another host form (R1.9)
  CHECK_FALSE(sql.matches("MSSQLSvc/sql1.corp.contoso.com:14330"));
  const Spn ldap = Spn::parse("ldap/DC1.corp.contoso.com:389/corp.contoso.com").value();
  CHECK(ldap.key() == "ldap/dc1.corp.contoso.com:389/corp.contoso.com");
  CHECK(ldap.matches("LDAP/dc1.corp.contoso.com:389/CORP.contoso.com"));
  CHECK_FALSE(ldap.matches("ldap/dc1.corp.contoso.com:389"));
}
