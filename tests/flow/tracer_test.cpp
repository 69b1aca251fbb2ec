#include <catch2/catch.hpp>

#include "flow/tracer.h"
#include "support/corp.h"

using namespace kerbsim;
using namespace kerbsim::flow;
using farm::Environment;
using farm::Host;

namespace {

using test::corp_computer;

Host node(const std::string& name, const std::string& ip, web::ProcessIdentity identity) {
  Host h = test::corp_member(name, ip);
  backend::SsrsServer ssrs;
  ssrs.service_account = identity;
  ssrs.authentication_types = backend::SsrsServer::default_authentication_types(identity);
  h.ssrs = ssrs;
  return h;
}

// reports.corp.contoso.com -> lb1 -> web1, web2 running SSRS; alice on ws1 with Edge.
Environment test_farm(web::ProcessIdentity identity) {
  Environment env;
  env.name = "farm";
  env.directory.add_domain({"corp.contoso.com", "CORP", "", "2016", {"dc1"}});
  env.directory.add_account(test::corp_user("alice"));
  env.directory.add_account(corp_computer("web1", {"HTTP/reports.corp.contoso.com"}));
  env.directory.add_account(corp_computer("web2"));
  env.directory.add_account(corp_computer("ws1"));
  env.hosts.push_back(node("web1", "10.0.0.11", identity));
  env.hosts.push_back(node("web2", "10.0.0.12", identity));
  env.hosts.push_back(test::corp_client("ws1", "10.0.1.21", "CORP\\alice"));
  for (const auto& h : env.hosts) env.dns.add_a(h.fqdn, h.ip);
  env.dns.add_a("reports.corp.contoso.com", "10.0.0.100");
  env.load_balancers.push_back({"lb1", "10.0.0.100", {"web1", "web2"}});
  env.flows.push_back({"report", "ws1", "http://reports.corp.contoso.com/Reports"});
  return env;
}

}  // namespace

TEST_CASE("a farm of NetworkService nodes works only on the node whose computer account holds the SPN", "[tracer]") {
  const Environment env = test_farm({web::IdentityType::NetworkService, ""});
  const TraceReport r = trace(env);
  REQUIRE(r.flows.size() == 1);
  const auto& paths = r.flows[0].paths;
  REQUIRE(paths.size() == 2);

  const PathOutcome& web1 = paths[0];
  REQUIRE(web1.via == std::optional<std::string>("web1"));
  REQUIRE(web1.spn == std::optional<std::string>("HTTP/reports.corp.contoso.com"));
  REQUIRE(web1.verdict == Verdict::Ok);
  REQUIRE(web1.front.protocol == Protocol::Kerberos);
  REQUIRE(web1.front.ticket->encrypted_for == "CORP\\WEB1$");
  REQUIRE(web1.front.decrypted_with == std::optional<std::string>("CORP\\WEB1$"));
  REQUIRE(web1.front.identity == std::optional<std::string>("CORP\\alice"));
  REQUIRE(web1.front.process_identity == std::optional<std::string>("NT AUTHORITY\\NETWORK SERVICE"));

  const PathOutcome& web2 = paths[1];
  REQUIRE(web2.verdict == Verdict::Failed);
  REQUIRE(web2.front.error.has_value());
  REQUIRE(to_string(*web2.front.error) == "KRB_AP_ERR_MODIFIED");
  REQUIRE(web2.front.decrypted_with == std::optional<std::string>("CORP\\WEB2$"));
  REQUIRE(web2.front.prompt);
  REQUIRE_FALSE(web2.front.identity.has_value());
  // Every step cites a rule.
  for (const auto& s : web2.steps) REQUIRE_FALSE(s.rule.empty());
}

TEST_CASE("without any SPN for the farm name the client falls back to NTLM on every node", "[tracer]") {
  Environment env = test_farm({web::IdentityType::NetworkService, ""});
  env.directory.account(*env.directory.find_account("CORP\\WEB1$")).spns.pop_back();
  Environment rebuilt;  // the index is built on add_account: rebuild the directory without the SPN
  rebuilt.name = env.name;
  rebuilt.directory.add_domain({"corp.contoso.com", "CORP", "", "2016", {"dc1"}});
  for (const auto& a : env.directory.accounts()) rebuilt.directory.add_account(a);
  rebuilt.hosts = env.hosts;
  rebuilt.dns = env.dns;
  rebuilt.load_balancers = env.load_balancers;
  rebuilt.flows = env.flows;
  const TraceReport r = trace(rebuilt);
  for (const auto& p : r.flows[0].paths) {
    REQUIRE(p.verdict == Verdict::Degraded);
    REQUIRE(p.front.protocol == Protocol::Ntlm);
    REQUIRE(p.front.error.has_value());
    REQUIRE(to_string(*p.front.error) == "KDC_ERR_S_PRINCIPAL_UNKNOWN");
    REQUIRE(p.front.identity == std::optional<std::string>("CORP\\alice"));
  }
}

TEST_CASE("--via limits the trace to one member", "[tracer]") {
  const Environment env = test_farm({web::IdentityType::NetworkService, ""});
  const TraceReport r = trace(env, {"", "web2"});
  REQUIRE(r.flows[0].paths.size() == 1);
  REQUIRE(r.flows[0].paths[0].via == std::optional<std::string>("web2"));
}

TEST_CASE("a client clock off by more than five minutes gets no TGT and falls back to NTLM", "[tracer]") {
  Environment env = test_farm({web::IdentityType::NetworkService, ""});
  env.hosts[2].clock_offset = 9 * engine::kMinute;
  const TraceReport r = trace(env, {"", "web1"});
  const auto& p = r.flows[0].paths[0];
  REQUIRE(p.front.protocol == Protocol::Ntlm);
  REQUIRE(p.front.error.has_value());
  REQUIRE(to_string(*p.front.error) == "KRB_AP_ERR_SKEW");
  REQUIRE(p.verdict == Verdict::Degraded);
}

TEST_CASE("a server clock off by more than five minutes rejects the AP-REQ", "[tracer]") {
  Environment env = test_farm({web::IdentityType::NetworkService, ""});
  env.hosts[0].clock_offset = -8 * engine::kMinute;
  const TraceReport r = trace(env, {"", "web1"});
  const auto& p = r.flows[0].paths[0];
  REQUIRE(p.front.error.has_value());
  REQUIRE(to_string(*p.front.error) == "KRB_AP_ERR_SKEW");
  REQUIRE(p.verdict == Verdict::Failed);
}
