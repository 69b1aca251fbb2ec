// A host's running state and the AP-REQ acceptance every server uses: the key versions its processes hold,
// its clock against the client's, and whose key it decrypts with (kerberos-rules R2.1, R2.6-R2.8).
#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "farm/node_state.h"
#include "support/corp.h"

using namespace kerbsim;
using engine::kMinute;
using engine::kSecond;
using farm::Environment;
using farm::NodeState;
using kerberos::KrbError;

namespace {

// web1 and web2 serving HTTP/portal.corp.contoso.com as CORP\svc-portal, whose password has been
// changed once (kvno 2).
Environment world() {
  Environment env;
  env.directory.add_domain({"corp.contoso.com", "CORP", "corp.contoso.com", "2016", {"dc1"}});
  directory::Account svc = test::corp_user("svc-portal", {"HTTP/portal.corp.contoso.com"});
  svc.kvno = 2;
  env.directory.add_account(svc);
  env.directory.add_account(test::corp_computer("web1"));
  env.directory.add_account(test::corp_computer("web2"));
  env.hosts.push_back(test::corp_iis_node("web1", "10.0.0.11", "CORP\\svc-portal", true));
  env.hosts.push_back(test::corp_iis_node("web2", "10.0.0.12", "CORP\\svc-portal", true));
  return env;
}

// A service ticket for HTTP/portal, as the KDC issues it now: under the account's current key (kvno 2).
kerberos::Ticket ticket(const std::string& encrypted_for = "CORP\\svc-portal", int kvno = 2) {
  kerberos::Ticket t;
  t.client = "CORP\\alice";
  t.client_realm = "CORP.CONTOSO.COM";
  t.server = "HTTP/portal.corp.contoso.com";
  t.server_realm = "CORP.CONTOSO.COM";
  t.encrypted_for = encrypted_for;
  t.kvno = kvno;
  t.end = 10 * engine::kHour;
  return t;
}

NodeState holding(const std::string& account, std::vector<int> kvnos) {
  NodeState s;
  s.held_kvnos[account] = std::move(kvnos);
  return s;
}

kerberos::ApReqResult accept(const Environment& env, const kerberos::Ticket& t, const NodeState& state,
                             engine::SimTime client_offset = 0, const std::string& key = "CORP\\svc-portal") {
  return farm::accept_ap_req(env, t, key, client_offset, env.hosts[0], state);
}

}  // namespace

// ---- clock_offset, service_key, FarmState ----

TEST_CASE("a host's clock offset is its state's when set, else the configured one", "[farm]") {
  farm::Host h = test::corp_member("web1", "10.0.0.11");
  h.clock_offset = 3 * kMinute;
  NodeState s;
  CHECK(farm::clock_offset(h, s) == 3 * kMinute);
  s.clock_offset = -2 * kMinute;
  CHECK(farm::clock_offset(h, s) == -2 * kMinute);
  s.clock_offset = 0;  // a clock put right overrides the configured offset
  CHECK(farm::clock_offset(h, s) == 0);
}

TEST_CASE("an account the node's state does not list holds the directory's current key version", "[farm]") {
  // kerberos-rules R2.7: every password change moves the kvno on; a node that has caught up holds it.
  const auto env = world();
  const auto key = farm::service_key(env, "CORP\\svc-portal", NodeState{});
  CHECK(key.account == "CORP\\svc-portal");
  CHECK(key.kvnos == std::vector<int>{2});
  CHECK(farm::service_key(env, "CORP\\WEB1$", NodeState{}).kvnos == std::vector<int>{1});
}

TEST_CASE("the key versions a node's state lists replace the directory's", "[farm]") {
  const auto env = world();
  const auto key = farm::service_key(env, "CORP\\svc-portal", holding("CORP\\svc-portal", {1}));
  CHECK(key.kvnos == std::vector<int>{1});
  const auto other = farm::service_key(env, "CORP\\WEB1$", holding("CORP\\svc-portal", {1}));
  CHECK(other.kvnos == std::vector<int>{1});  // another account's entry does not touch this one
  CHECK(farm::service_key(env, "CORP\\nobody", NodeState{}).kvnos.empty());
}

TEST_CASE("FarmState gives each host its own state by index, and hosts without one their configuration", "[farm]") {
  const auto env = world();
  farm::FarmState farm_state;
  farm_state.hosts.resize(1);
  farm_state.hosts[0].clock_offset = 7 * kMinute;
  CHECK(farm_state.of(env, env.hosts[0]).clock_offset == 7 * kMinute);
  CHECK_FALSE(farm_state.of(env, env.hosts[1]).clock_offset);  // beyond the state's hosts
  const farm::Host copy = env.hosts[0];                        // not one of the environment's hosts
  CHECK_FALSE(farm_state.of(env, copy).clock_offset);
  CHECK_FALSE(farm::FarmState{}.of(env, env.hosts[0]).clock_offset);
}

// ---- accept_ap_req: keys ----

TEST_CASE("a node holding the current key version accepts the ticket", "[farm]") {
  const auto env = world();
  const auto listed = accept(env, ticket(), holding("CORP\\svc-portal", {2}));
  CHECK(listed.ok());
  CHECK(listed.error == KrbError::None);
  CHECK(listed.rule == "kerberos-rules R2.1");
  CHECK(accept(env, ticket(), NodeState{}).ok());  // as configured: the directory's current kvno
}

TEST_CASE("a node still holding an older key version than the ticket's rejects it as KRB_AP_ERR_MODIFIED", "[farm]") {
  // kerberos-rules R2.6, R2.7: the password changed in AD but the service runs with the old one; Windows
  // answers 41, not KRB_AP_ERR_BADKEYVER.
  const auto env = world();
  const auto r = accept(env, ticket(), holding("CORP\\svc-portal", {1}));
  CHECK(r.error == KrbError::KRB_AP_ERR_MODIFIED);
  CHECK_FALSE(r.ok());
  CHECK(r.rule == "kerberos-rules R2.7");
}

TEST_CASE("a node that holds the previous key as well accepts tickets under either version", "[farm]") {
  // kerberos-rules R2.6 (servers retry older keys they hold), R7.6 (gMSA hosts hold current and previous).
  const auto env = world();
  const NodeState both = holding("CORP\\svc-portal", {2, 1});
  CHECK(accept(env, ticket("CORP\\svc-portal", 2), both).ok());
  CHECK(accept(env, ticket("CORP\\svc-portal", 1), both).ok());
  CHECK(accept(env, ticket("CORP\\svc-portal", 3), both).error == KrbError::KRB_AP_ERR_MODIFIED);
  // Without the older key, a ticket cached from before the change no longer decrypts.
  CHECK(accept(env, ticket("CORP\\svc-portal", 1), NodeState{}).error == KrbError::KRB_AP_ERR_MODIFIED);
}

TEST_CASE("a ticket for a different account's key is rejected as KRB_AP_ERR_MODIFIED", "[farm]") {
  // kerberos-rules R2.1, R2.6; iis-rules 5.4 B': a ticket for WEB1$ reaching a node that decrypts with WEB2$,
  // and iis-rules 3.5: kernel mode decrypting a service account's ticket with the computer key.
  const auto env = world();
  const auto node = farm::accept_ap_req(env, ticket("CORP\\WEB1$", 1), "CORP\\WEB2$", 0, env.hosts[1], NodeState{});
  CHECK(node.error == KrbError::KRB_AP_ERR_MODIFIED);
  CHECK(node.rule == "kerberos-rules R2.6");
  const auto kernel = accept(env, ticket(), NodeState{}, 0, "CORP\\WEB1$");
  CHECK(kernel.error == KrbError::KRB_AP_ERR_MODIFIED);
  CHECK(kernel.rule == "kerberos-rules R2.6");
}

TEST_CASE("account names match whatever their case", "[farm]") {
  // Windows account names are case-insensitive.
  const auto env = world();
  CHECK(accept(env, ticket("corp\\SVC-PORTAL", 2), NodeState{}).ok());
}

// ---- accept_ap_req: clocks (kerberos-rules R2.8) ----

TEST_CASE("a client clock within five minutes of the server's is accepted", "[farm]") {
  const auto env = world();
  for (const engine::SimTime offset : {engine::SimTime{0}, 4 * kMinute + 59 * kSecond, -4 * kMinute, 5 * kMinute}) {
    INFO(engine::format_duration(offset));
    CHECK(accept(env, ticket(), NodeState{}, offset).ok());
  }
}

TEST_CASE("a client clock more than five minutes off the server's is rejected as KRB_AP_ERR_SKEW", "[farm]") {
  const auto env = world();
  for (const engine::SimTime offset : {5 * kMinute + kSecond, -6 * kMinute, 2 * engine::kHour}) {
    INFO(engine::format_duration(offset));
    const auto r = accept(env, ticket(), NodeState{}, offset);
    CHECK(r.error == KrbError::KRB_AP_ERR_SKEW);
    CHECK(r.rule == "kerberos-rules R2.8");
  }
}

TEST_CASE("the skew is the difference between the client's and the server's clocks", "[farm]") {
  auto env = world();
  env.hosts[0].clock_offset = 4 * kMinute;
  CHECK(accept(env, ticket(), NodeState{}, 4 * kMinute).ok());  // both fast by the same amount
  CHECK(accept(env, ticket(), NodeState{}, 0).ok());
  CHECK(accept(env, ticket(), NodeState{}, -2 * kMinute).error == KrbError::KRB_AP_ERR_SKEW);  // 6 minutes apart
}

TEST_CASE("the server's clock is its state's when the state sets one", "[farm]") {
  auto env = world();
  env.hosts[0].clock_offset = 9 * kMinute;
  CHECK(accept(env, ticket(), NodeState{}).error == KrbError::KRB_AP_ERR_SKEW);
  NodeState resynced;
  resynced.clock_offset = 0;  // w32tm /resync
  CHECK(accept(env, ticket(), resynced).ok());
  NodeState stepped;
  stepped.clock_offset = -6 * kMinute;
  env.hosts[0].clock_offset = 0;
  CHECK(accept(env, ticket(), stepped).error == KrbError::KRB_AP_ERR_SKEW);
}

TEST_CASE("the allowed skew is the domain's MaxClockSkew", "[farm]") {
  auto env = world();
  env.kdc_policy.max_clock_skew = 10 * kMinute;
  CHECK(accept(env, ticket(), NodeState{}, 8 * kMinute).ok());
  CHECK(accept(env, ticket(), NodeState{}, 11 * kMinute).error == KrbError::KRB_AP_ERR_SKEW);
}

TEST_CASE("a ticket the server cannot decrypt is KRB_AP_ERR_MODIFIED even when the clocks are also apart", "[farm]") {
  // The authenticator's time is sealed with the session key inside the ticket: it can only be checked
  // once the ticket decrypts.
  const auto env = world();
  CHECK(accept(env, ticket(), NodeState{}, 20 * kMinute, "CORP\\WEB1$").error == KrbError::KRB_AP_ERR_MODIFIED);
  CHECK(accept(env, ticket(), holding("CORP\\svc-portal", {1}), 20 * kMinute).error == KrbError::KRB_AP_ERR_MODIFIED);
}
