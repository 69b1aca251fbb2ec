// The scenario's addresses and DNS as the model holds them (scenario/addresses.h), and where a call's
// name leads: validation resolves it through the same net::Dns as the trace (farm::resolve_call), so
// the two cannot disagree.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "farm/resolver.h"
#include "kerbsim/diagnostic.h"
#include "scenario/addresses.h"
#include "scenario/builder.h"
#include "scenario/loader.h"

using namespace kerbsim;

namespace {

// A farm in corp.contoso.com: host "app" makes the one call given; sql1, sql2 run SQL Server, web1 and
// web2 IIS; `dns` is the "dns" object.
std::string farm_with(const std::string& call, const std::string& dns = "{}") {
  return R"({ "format": "kerbsim/1", "name": "t", "domains": [ { "dns": "corp.contoso.com" } ],
  "hosts": [ { "name": "app", "iis": { "sites": [ { "name": "S", "calls": [ )" +
         call + R"( ] } ] } },
             { "name": "sql1", "ip": "10.0.0.5", "sql": {} }, { "name": "sql2", "sql": {} },
             { "name": "web1", "iis": {} }, { "name": "web2", "iis": {} } ],
  "dns": )" +
         dns + " }";
}

std::vector<std::string> problems(const std::string& json) {
  try {
    scenario::load_text(json, "t.json");
  } catch (const ScenarioError& e) {
    std::vector<std::string> out;
    for (const auto& d : e.diagnostics()) out.push_back(d.path + ": " + d.message);
    return out;
  }
  return {};
}

// The host the trace's resolver reaches for app's call; "" when no host answers.
std::string traced_target(const std::string& json) {
  const farm::Environment env = scenario::build(scenario::load_text(json, "t.json"));
  const farm::Host* app = env.host("app");
  REQUIRE(app != nullptr);
  const farm::CallTarget t = farm::resolve_call(env, *app, app->iis->sites.front().calls.front());
  return t.host ? t.host->name : "";
}

// A chain of `aliases` CNAMEs, c1 -> c2 -> ... -> sql1.corp.contoso.com.
std::string chain(int aliases) {
  std::string dns = "{ ";
  for (int i = 1; i <= aliases; ++i) {
    const std::string next =
        i == aliases ? std::string("sql1.corp.contoso.com") : "c" + std::to_string(i + 1) + ".corp.contoso.com";
    dns += (i > 1 ? ", " : "") + std::string("\"c") + std::to_string(i) + ".corp.contoso.com\": { \"cname\": \"" +
           next + "\" }";
  }
  return dns + " }";
}

}  // namespace

TEST_CASE("hosts without an address get the next free one, and every host has its A record") {
  const auto s =
      scenario::load_text(R"({ "format": "kerbsim/1", "name": "t", "domains": [ { "dns": "corp.contoso.com" } ],
  "hosts": [ { "name": "a" }, { "name": "b", "ip": "10.0.0.12" }, { "name": "c" } ],
  "dns": { "x.corp.contoso.com": { "a": "10.0.0.13" }, "y.corp.contoso.com": { "cname": "c.corp.contoso.com" } } })",
                          "t.json");
  const auto addresses = scenario::host_addresses(s);
  CHECK(addresses == std::vector<std::string>{"10.0.0.11", "10.0.0.12", "10.0.0.14"});
  const net::Dns dns = scenario::scenario_dns(s, addresses);
  CHECK(dns.resolve("b", "corp.contoso.com").ip == "10.0.0.12");
  CHECK(dns.resolve("x.corp.contoso.com", "").ip == "10.0.0.13");
  CHECK(dns.resolve("y", "corp.contoso.com").ip == "10.0.0.14");
}

TEST_CASE("a call to a host's own name reaches that host, whatever a DNS record of the same name says") {
  // Validation used to follow the record (and report 192.168.1.1 as nobody's address).
  const std::string json =
      farm_with(R"({ "to": "sql1", "instance": "MSSQLSERVER" })", R"({ "sql1": { "a": "192.168.1.1" } })");
  CHECK(problems(json).empty());
  CHECK(traced_target(json) == "sql1");
}

TEST_CASE("a dotless call name is asked with the calling host's domain first") {
  // Validation used to look the name up as written only.
  const std::string suffixed = farm_with(R"({ "to": "db", "instance": "MSSQLSERVER" })",
                                         R"({ "db.corp.contoso.com": { "cname": "sql1.corp.contoso.com" } })");
  CHECK(problems(suffixed).empty());
  CHECK(traced_target(suffixed) == "sql1");
  const std::string both = farm_with(R"({ "to": "db", "instance": "MSSQLSERVER" })",
                                     R"({ "db": { "cname": "sql1.corp.contoso.com" },
                                          "db.corp.contoso.com": { "cname": "web1.corp.contoso.com" } })");
  CHECK(problems(both) == std::vector<std::string>{"/hosts/0/iis/sites/0/calls/0/instance: the call names SQL "
                                                   "instance \"MSSQLSERVER\", but web1 has no SQL Server"});
}

TEST_CASE("a CNAME target is asked as written, with no DNS suffix") {
  // Validation used to take a host's short name as a CNAME target; the trace's DNS finds no record for it.
  CHECK(problems(farm_with(R"({ "to": "db.corp.contoso.com", "instance": "MSSQLSERVER" })",
                           R"({ "db.corp.contoso.com": { "cname": "sql1" } })")) ==
        std::vector<std::string>{
            "/hosts/0/iis/sites/0/calls/0/to: the call goes to \"db.corp.contoso.com\", but no host has that name and "
            "no DNS record leads to one",
            "/dns/db.corp.contoso.com/cname: the CNAME \"db.corp.contoso.com\" points to \"sql1\", which has no DNS "
            "record: DNS adds no suffix to a CNAME's target, so write host sql1's DNS name \"sql1.corp.contoso.com\""});
  const std::string workgroup = R"({ "format": "kerbsim/1", "name": "t",
  "hosts": [ { "name": "ws1" } ], "dns": { "alias": { "cname": "ws1" } } })";
  CHECK(problems(workgroup).empty());
}

TEST_CASE("DNS follows at most 16 CNAMEs") {
  // Validation used to follow any number.
  const std::string sixteen = farm_with(R"({ "to": "c1.corp.contoso.com", "instance": "MSSQLSERVER" })", chain(16));
  CHECK(problems(sixteen).empty());
  CHECK(traced_target(sixteen) == "sql1");
  CHECK(problems(farm_with(R"({ "to": "c1.corp.contoso.com", "instance": "MSSQLSERVER" })", chain(17))) ==
        std::vector<std::string>{"/hosts/0/iis/sites/0/calls/0/to: the call goes to \"c1.corp.contoso.com\", but DNS "
                                 "follows at most 16 CNAMEs and the chain from c1.corp.contoso.com is longer"});
}

TEST_CASE("a call names a host or a DNS name, not an IP address") {
  // Validation used to map the address to its host; the trace reaches no host.
  CHECK(problems(farm_with(R"({ "to": "10.0.0.5", "instance": "MSSQLSERVER" })")) ==
        std::vector<std::string>{"/hosts/0/iis/sites/0/calls/0/to: the call goes to \"10.0.0.5\", an IP address: a "
                                 "call names a host or a DNS name, which the calling code looks up"});
}

TEST_CASE("an HTTP call connects to its URL's host, so \"to\" must lead to the same place") {
  // Validation used to check "to" only.
  CHECK(problems(farm_with(R"({ "to": "web1", "url": "http://web2/" })")) ==
        std::vector<std::string>{"/hosts/0/iis/sites/0/calls/0/url: the call goes to \"web1\", but its URL names "
                                 "\"web2\", which leads to host web2; the call connects to the URL's host"});
  CHECK(problems(farm_with(R"({ "to": "web1", "url": "http://portal/" })")) ==
        std::vector<std::string>{"/hosts/0/iis/sites/0/calls/0/url: the call goes to \"web1\", but its URL names "
                                 "\"portal\", which leads nowhere; the call connects to the URL's host"});
  const std::string same = farm_with(R"({ "to": "web1", "url": "http://web1.corp.contoso.com/" })");
  CHECK(problems(same).empty());
  CHECK(traced_target(same) == "web1");
}
