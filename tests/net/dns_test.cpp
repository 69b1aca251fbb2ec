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

TEST_CASE("DNS follows at most 16 CNAMEs, and an A record answers before a CNAME of the same name", "[dns]") {
  Dns dns;
  dns.add_a("sql1.corp.contoso.com", "10.0.0.5");
  for (int i = 1; i <= 17; ++i)
    dns.add_cname("c" + std::to_string(i) + ".corp.contoso.com",
                  i == 17 ? std::string("sql1.corp.contoso.com") : "c" + std::to_string(i + 1) + ".corp.contoso.com");
  const auto sixteen = dns.resolve("c2.corp.contoso.com", "");
  REQUIRE(sixteen.found);
  CHECK(sixteen.cnames.size() == 16);
  const auto seventeen = dns.resolve("C1.corp.contoso.com", "");
  CHECK_FALSE(seventeen.found);
  CHECK(seventeen.queried == "c1.corp.contoso.com");
  CHECK(seventeen.cnames.size() == 17);
  CHECK(seventeen.why == "the CNAME chain from c1.corp.contoso.com does not end in an A record");
  dns.add_cname("Sql1.corp.contoso.com", "c1.corp.contoso.com");
  const auto both = dns.resolve("sql1.corp.contoso.com", "");
  REQUIRE(both.found);
  CHECK(both.queried == "Sql1.corp.contoso.com");
  CHECK(both.ip == "10.0.0.5");
  CHECK(both.cnames.empty());
}
