// How a DNS name is written (labels of letters, digits and hyphens), and resolution as a client sees it:
// A records, CNAME chains and the primary DNS suffix for dotless names.
#include <catch2/catch.hpp>

#include <string>

#include "net/dns.h"

using namespace kerbsim::net;

TEST_CASE("a DNS name is dot-separated labels of letters, digits and hyphens", "[dns]") {
  CHECK(check_dns_name("web1.corp.contoso.com").ok());
  CHECK(check_dns_name("reports").ok());
  CHECK(check_dns_name("").error == DnsNameError::empty);
  CHECK(check_dns_name(std::string(254, 'a')).error == DnsNameError::too_long);
  CHECK(check_dns_name("http://web1").error == DnsNameError::url);
  CHECK(check_dns_name("web1..corp").error == DnsNameError::empty_label);
  CHECK(check_dns_name("web1.").error == DnsNameError::empty_label);
  CHECK(check_dns_name(std::string(64, 'a') + ".com").error == DnsNameError::long_label);
  const auto bad = check_dns_name("web_1.corp");
  CHECK(bad.error == DnsNameError::bad_character);
  CHECK(bad.character == '_');
  CHECK(check_dns_name("-web1.corp").error == DnsNameError::hyphen_at_end);
  CHECK(check_dns_name("10.0.0.1").error == DnsNameError::numeric);
}

TEST_CASE("a dotless name is tried with the DNS suffix first, and CNAMEs are followed", "[dns]") {
  Dns dns;
  dns.add_a("web1.corp.contoso.com", "10.0.0.11");
  dns.add_cname("portal.corp.contoso.com", "web1.corp.contoso.com");
  const auto a = dns.resolve("web1", "corp.contoso.com");
  REQUIRE(a.found);
  CHECK(a.queried == "web1.corp.contoso.com");
  CHECK(a.ip == "10.0.0.11");
  const auto alias = dns.resolve("portal", "corp.contoso.com");
  REQUIRE(alias.found);
  CHECK(alias.canonical == "web1.corp.contoso.com");
  CHECK(alias.cnames.size() == 1);
  CHECK_FALSE(dns.resolve("nowhere", "corp.contoso.com").found);
}
