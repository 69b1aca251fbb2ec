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
  const std::string json =
      farm_with(R"({ "to": "sql1", "instance": "MSSQLSERVER" })", R"({ "sql1": { "a": "192.168.1.1" } })");
  CHECK(problems(json) ==
        std::vector<std::string>{"/hosts/0/iis/sites/0/calls/0/to: the call goes to \"sql1\", which resolves to "
                                 "192.168.1.1: no host has that address and no load balancer that VIP"});
}

TEST_CASE("a dotless call name is asked with the calling host's domain first") {
  CHECK(problems(farm_with(R"({ "to": "db", "instance": "MSSQLSERVER" })",
                           R"({ "db.corp.contoso.com": { "cname": "sql1.corp.contoso.com" } })")) ==
        std::vector<std::string>{
            "/hosts/0/iis/sites/0/calls/0/to: the call goes to \"db\", but no host has that name and no DNS record "
            "leads to one"});
  const std::string both = farm_with(R"({ "to": "db", "instance": "MSSQLSERVER" })",
                                     R"({ "db": { "cname": "sql1.corp.contoso.com" },
                                          "db.corp.contoso.com": { "cname": "web1.corp.contoso.com" } })");
  CHECK(problems(both).empty());
  CHECK(traced_target(both) == "web1");
}

TEST_CASE("a CNAME target is asked as written, with no DNS suffix") {
  const std::string json = farm_with(R"({ "to": "db.corp.contoso.com", "instance": "MSSQLSERVER" })",
                                     R"({ "db.corp.contoso.com": { "cname": "sql1" } })");
  CHECK(problems(json).empty());
  CHECK(traced_target(json).empty());
}

TEST_CASE("DNS follows at most 16 CNAMEs") {
  const std::string sixteen = farm_with(R"({ "to": "c1.corp.contoso.com", "instance": "MSSQLSERVER" })", chain(16));
  CHECK(problems(sixteen).empty());
  CHECK(traced_target(sixteen) == "sql1");
  const std::string seventeen = farm_with(R"({ "to": "c1.corp.contoso.com", "instance": "MSSQLSERVER" })", chain(17));
  CHECK(problems(seventeen).empty());
  CHECK(traced_target(seventeen).empty());
}

TEST_CASE("a call to an IP address reaches no host") {
  const std::string json = farm_with(R"({ "to": "10.0.0.5", "instance": "MSSQLSERVER" })");
  CHECK(problems(json).empty());
  CHECK(traced_target(json).empty());
}

TEST_CASE("an HTTP call connects to its URL's host") {
  const std::string other = farm_with(R"({ "to": "web1", "url": "http://web2/" })");
  CHECK(problems(other).empty());
  CHECK(traced_target(other) == "web2");
  const std::string nowhere = farm_with(R"({ "to": "web1", "url": "http://portal/" })");
  CHECK(problems(nowhere).empty());
  CHECK(traced_target(nowhere).empty());
}
