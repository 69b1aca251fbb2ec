// Where a name leads in the farm: a client's URL through DNS (A records, CNAME chains) to a load
// balancer's members or one host, and a back-end call's target by host name, DNS name or balancer.
#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "farm/resolver.h"
#include "support/corp.h"

using namespace kerbsim;
using farm::Environment;
using farm::Host;

namespace {

// web1, web2 behind lb1 (portal.corp.contoso.com, 10.0.0.100); app1, app2 behind lb2 (api, 10.0.0.200);
// sql1; intranet is a CNAME of web1, wiki a CNAME of intranet, db a CNAME of sql1; ghost has an
// address no host holds; old is a CNAME to a name with no record.
Environment world() {
  Environment env;
  env.directory.add_domain({"corp.contoso.com", "CORP", "corp.contoso.com", "2016", {"dc1"}});
  env.hosts.push_back(test::corp_iis_node("web1", "10.0.0.11"));
  env.hosts.push_back(test::corp_iis_node("web2", "10.0.0.12"));
  env.hosts.push_back(test::corp_iis_node("app1", "10.0.0.21"));
  env.hosts.push_back(test::corp_iis_node("app2", "10.0.0.22"));
  env.hosts.push_back(test::corp_member("sql1", "10.0.0.41"));
  env.hosts.push_back(test::corp_client("ws1", "10.0.1.21", "CORP\\alice"));
  for (const auto& h : env.hosts) env.dns.add_a(h.fqdn, h.ip);
  env.dns.add_a("portal.corp.contoso.com", "10.0.0.100");
  env.dns.add_a("api.corp.contoso.com", "10.0.0.200");
  env.dns.add_a("ghost.corp.contoso.com", "10.0.0.99");
  env.dns.add_cname("intranet.corp.contoso.com", "web1.corp.contoso.com");
  env.dns.add_cname("wiki.corp.contoso.com", "intranet.corp.contoso.com");
  env.dns.add_cname("db.corp.contoso.com", "sql1.corp.contoso.com");
  env.dns.add_cname("old.corp.contoso.com", "gone.corp.contoso.com");
  env.load_balancers.push_back({"lb1", "10.0.0.100", {"web1", "web2"}});
  env.load_balancers.push_back({"lb2", "10.0.0.200", {"app1", "app2"}});
  return env;
}

const std::string kCorp = "corp.contoso.com";

std::vector<std::string> names(const std::vector<const Host*>& nodes) {
  std::vector<std::string> out;
  out.reserve(nodes.size());
  for (const Host* h : nodes) out.push_back(h->name);
  return out;
}

using Names = std::vector<std::string>;

base::Call call_to(const std::string& to) { return {to, "", "", "caller"}; }
base::Call call_url(const std::string& url) { return {"", "", url, "caller"}; }

}  // namespace

// ---- resolve_url ----

TEST_CASE("a host's FQDN leads to that host alone", "[farm]") {
  const auto env = world();
  const auto t = farm::resolve_url(env, "http://web1.corp.contoso.com/Orders", kCorp);
  REQUIRE(t.url);
  CHECK(t.url->host == "web1.corp.contoso.com");
  CHECK(t.url->path == "/Orders");
  REQUIRE(t.dns.found);
  CHECK(t.dns.canonical == "web1.corp.contoso.com");
  CHECK(t.dns.cnames.empty());
  CHECK(t.ip == "10.0.0.11");
  CHECK(t.balancer == nullptr);
  REQUIRE(t.nodes.size() == 1);
  CHECK(t.nodes[0] == env.host("web1"));
}

TEST_CASE("a short name is resolved with the client's DNS suffix", "[farm]") {
  const auto env = world();
  const auto t = farm::resolve_url(env, "http://web2/", kCorp);
  REQUIRE(t.dns.found);
  CHECK(t.dns.queried == "web2.corp.contoso.com");
  CHECK(t.dns.canonical == "web2.corp.contoso.com");
  CHECK(t.ip == "10.0.0.12");
  CHECK(names(t.nodes) == Names{"web2"});
}

TEST_CASE("a short name from a client without that DNS suffix does not resolve", "[farm]") {
  const auto env = world();
  const auto t = farm::resolve_url(env, "http://web2/", "");
  REQUIRE(t.url);
  CHECK_FALSE(t.dns.found);
  CHECK(t.ip.empty());
  CHECK(t.nodes.empty());
}

TEST_CASE("a CNAME leads to the host holding the canonical name's A record", "[farm]") {
  // iis-rules 4.4, 5.5: the client follows the alias to the A-record name.
  const auto env = world();
  const auto t = farm::resolve_url(env, "http://intranet/", kCorp);
  REQUIRE(t.dns.found);
  CHECK(t.dns.queried == "intranet.corp.contoso.com");
  CHECK(t.dns.canonical == "web1.corp.contoso.com");
  CHECK(t.dns.cnames == Names{"web1.corp.contoso.com"});
  CHECK(t.ip == "10.0.0.11");
  CHECK(t.balancer == nullptr);
  CHECK(names(t.nodes) == Names{"web1"});
}

TEST_CASE("a chain of CNAMEs is followed to its end", "[farm]") {
  const auto env = world();
  const auto t = farm::resolve_url(env, "http://wiki.corp.contoso.com/", kCorp);
  REQUIRE(t.dns.found);
  CHECK(t.dns.cnames == Names{"intranet.corp.contoso.com", "web1.corp.contoso.com"});
  CHECK(t.dns.canonical == "web1.corp.contoso.com");
  CHECK(names(t.nodes) == Names{"web1"});
}

TEST_CASE("a load balancer's VIP leads to every member, in the balancer's order", "[farm]") {
  // iis-rules 5.1: the farm name reaches whichever member the balancer picks; a trace follows each.
  const auto env = world();
  const auto t = farm::resolve_url(env, "http://portal.corp.contoso.com/Reports", kCorp);
  REQUIRE(t.dns.found);
  CHECK(t.ip == "10.0.0.100");
  CHECK(t.balancer == &env.load_balancers[0]);
  CHECK(names(t.nodes) == Names{"web1", "web2"});
  CHECK(t.nodes[0] == env.host("web1"));
}

TEST_CASE("an IP-address URL leads to the balancer or host at that address", "[farm]") {
  const auto env = world();
  const auto vip = farm::resolve_url(env, "http://10.0.0.200/api", kCorp);
  REQUIRE(vip.dns.found);
  CHECK(vip.dns.canonical == "10.0.0.200");
  CHECK(vip.dns.cnames.empty());
  CHECK(vip.balancer == &env.load_balancers[1]);
  CHECK(names(vip.nodes) == Names{"app1", "app2"});

  const auto host = farm::resolve_url(env, "http://10.0.0.12/", kCorp);
  REQUIRE(host.dns.found);
  CHECK(host.ip == "10.0.0.12");
  CHECK(host.balancer == nullptr);
  CHECK(names(host.nodes) == Names{"web2"});
}

TEST_CASE("an address nobody holds resolves but leads to no node", "[farm]") {
  const auto env = world();
  for (const auto* url : {"http://ghost.corp.contoso.com/", "http://10.0.0.98/"}) {
    INFO(url);
    const auto t = farm::resolve_url(env, url, kCorp);
    REQUIRE(t.dns.found);
    CHECK_FALSE(t.ip.empty());
    CHECK(t.balancer == nullptr);
    CHECK(t.nodes.empty());
  }
}

TEST_CASE("a name that does not resolve, or a CNAME to nothing, leads nowhere", "[farm]") {
  const auto env = world();
  for (const auto* url : {"http://nowhere.corp.contoso.com/", "http://old/"}) {
    INFO(url);
    const auto t = farm::resolve_url(env, url, kCorp);
    REQUIRE(t.url);
    CHECK_FALSE(t.dns.found);
    CHECK(t.ip.empty());
    CHECK(t.balancer == nullptr);
    CHECK(t.nodes.empty());
  }
}

TEST_CASE("a text that is not a URL has no target", "[farm]") {
  const auto env = world();
  const auto t = farm::resolve_url(env, "portal.corp.contoso.com", kCorp);
  CHECK_FALSE(t.url);
  CHECK_FALSE(t.dns.found);
  CHECK(t.nodes.empty());
}

// ---- resolve_call ----

TEST_CASE("a call naming a host by its scenario name reaches that host", "[farm]") {
  const auto env = world();
  const Host& web1 = *env.host("web1");
  for (const auto* name : {"sql1", "SQL1"}) {
    INFO(name);
    const auto t = farm::resolve_call(env, web1, call_to(name));
    CHECK(t.host == env.host("sql1"));
    CHECK(t.name_used == name);
    CHECK(t.fqdn == "sql1.corp.contoso.com");
    CHECK_FALSE(t.url);
  }
}

TEST_CASE("a call naming a DNS name or an alias reaches the host at its address under the canonical name", "[farm]") {
  const auto env = world();
  const Host& web1 = *env.host("web1");
  const auto fqdn = farm::resolve_call(env, web1, call_to("sql1.corp.contoso.com"));
  CHECK(fqdn.host == env.host("sql1"));
  CHECK(fqdn.fqdn == "sql1.corp.contoso.com");

  const auto alias = farm::resolve_call(env, web1, call_to("db"));  // the caller's suffix completes it
  CHECK(alias.host == env.host("sql1"));
  CHECK(alias.name_used == "db");
  CHECK(alias.fqdn == "sql1.corp.contoso.com");
}

TEST_CASE("a call to a balancer's name reaches its first member", "[farm]") {
  // iis-rules 5.1: the calling tier keeps one connection to one member.
  const auto env = world();
  const Host& web1 = *env.host("web1");
  for (const auto* text : {"http://api.corp.contoso.com/orders", "http://api/orders"}) {
    INFO(text);
    const auto t = farm::resolve_call(env, web1, call_url(text));
    CHECK(t.host == env.host("app1"));
    REQUIRE(t.url);
    CHECK(t.url->path == "/orders");
    CHECK(t.name_used == t.url->host);
    CHECK(t.fqdn == "api.corp.contoso.com");
  }
}

TEST_CASE("a call to a balancer skips members that are no host, as a client's URL does", "[farm]") {
  auto env = world();
  env.load_balancers[1].members = {"retired", "app2"};
  const Host& web1 = *env.host("web1");
  CHECK(farm::resolve_call(env, web1, call_url("http://api/orders")).host == env.host("app2"));
  CHECK(names(farm::resolve_url(env, "http://api/orders", kCorp).nodes) == Names{"app2"});
}

TEST_CASE("a call's URL names its target, not its host field", "[farm]") {
  const auto env = world();
  base::Call call = call_url("http://web2.corp.contoso.com/");
  call.to = "sql1";
  const auto t = farm::resolve_call(env, *env.host("web1"), call);
  CHECK(t.host == env.host("web2"));
  CHECK(t.name_used == "web2.corp.contoso.com");
}

TEST_CASE("a call to a name that does not resolve, or to an address nobody holds, reaches no host", "[farm]") {
  const auto env = world();
  const Host& web1 = *env.host("web1");
  const auto none = farm::resolve_call(env, web1, call_to("sql9"));
  CHECK(none.host == nullptr);
  CHECK(none.name_used == "sql9");
  CHECK(none.fqdn.empty());

  const auto ghost = farm::resolve_call(env, web1, call_to("ghost"));
  CHECK(ghost.host == nullptr);
  CHECK(ghost.fqdn == "ghost.corp.contoso.com");
}
