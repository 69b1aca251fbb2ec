// A chain of delegation walked at the KDCs for one user (flow/delegation_walk): each kind of hop,
// the users the KDC refuses, a middle tier that delegates onward, and the hops that cannot carry a TGT.
#include "flow/delegation_walk.h"

#include <catch2/catch.hpp>

#include "support/corp.h"
#include "support/delegation_world.h"

using namespace kerbsim;
using flow::WalkHop;
using flow::WalkMechanism;
using flow::WalkStart;
using kerberos::KrbError;
using kerberos::NtStatus;

namespace {

const char* const kSql = "MSSQLSvc/sql.corp.contoso.com:1433";

WalkHop proxy(const std::string& service, const char* target) {
  return {service, test::spn(target), WalkMechanism::Proxy};
}

}  // namespace

TEST_CASE("Kerberos-only KCD: the user's own ticket is the evidence, and the KDC issues the back end's ticket",
          "[walk]") {
  const auto env = test::delegation_world();
  const auto r = flow::walk_delegation(env, "CORP\\alice", WalkStart::KerberosFrontEnd, {proxy("CORP\\svc-kcd", kSql)});
  CHECK(r.ok);
  CHECK(r.hops_done == 1);
  CHECK(r.error == KrbError::None);
}

TEST_CASE("Kerberos-only KCD without Kerberos at the front: the S4U2Self ticket is not forwardable, BADOPTION",
          "[walk]") {
  const auto env = test::delegation_world();
  const auto r =
      flow::walk_delegation(env, "CORP\\alice", WalkStart::ProtocolTransition, {proxy("CORP\\svc-kcd", kSql)});
  CHECK(!r.ok);
  CHECK(r.error == KrbError::KDC_ERR_BADOPTION);
  CHECK(r.status == NtStatus::STATUS_ACCOUNT_RESTRICTION);
  CHECK(r.hops_done == 0);
}

TEST_CASE("protocol transition: any user, whatever protocol, except the sensitive and Protected Users", "[walk]") {
  const auto env = test::delegation_world();
  const std::vector<WalkHop> hops = {proxy("CORP\\svc-pt", kSql)};
  CHECK(flow::walk_delegation(env, "CORP\\alice", WalkStart::ProtocolTransition, hops).ok);
  for (const char* user : {"CORP\\carol", "CORP\\dave"}) {
    INFO(user);
    const auto r = flow::walk_delegation(env, user, WalkStart::ProtocolTransition, hops);
    CHECK(!r.ok);
    CHECK(r.error == KrbError::KDC_ERR_BADOPTION);
  }
}

TEST_CASE("resource-based delegation with protocol transition, and a front end the back end does not name", "[walk]") {
  const auto env = test::delegation_world();
  CHECK(flow::walk_delegation(env, "CORP\\alice", WalkStart::ProtocolTransition,
                              {proxy("CORP\\svc-front", "MSSQLSvc/rbcd.corp.contoso.com:1433")})
            .ok);
  const auto r = flow::walk_delegation(env, "CORP\\alice", WalkStart::ProtocolTransition,
                                       {proxy("CORP\\svc-kcd", "MSSQLSvc/rbcd.corp.contoso.com:1433")});
  CHECK(!r.ok);
  CHECK(r.error == KrbError::KDC_ERR_BADOPTION);
  CHECK(r.status == NtStatus::STATUS_NOT_FOUND);  // the descriptor does not name it (R3.4.2)
}

TEST_CASE("a middle tier delegates onward with the forwardable ticket S4U2Proxy gave it", "[walk]") {
  const auto env = test::delegation_world();
  const auto r = flow::walk_delegation(env, "CORP\\alice", WalkStart::KerberosFrontEnd,
                                       {proxy("CORP\\svc-web", "HTTP/mid.corp.contoso.com"),
                                        proxy("CORP\\svc-mid", "MSSQLSvc/sql2.corp.contoso.com:1433")});
  CHECK(r.ok);
  CHECK(r.hops_done == 2);
}

TEST_CASE("classic KCD into a child domain is refused: it stays in one domain", "[walk]") {
  const auto env = test::delegation_world();
  const auto r = flow::walk_delegation(env, "CORP\\alice", WalkStart::KerberosFrontEnd,
                                       {proxy("CORP\\svc-child", "MSSQLSvc/sql.emea.corp.contoso.com:1433")});
  CHECK(!r.ok);
  CHECK(r.error == KrbError::KDC_ERR_BADOPTION);
  CHECK(r.rule == "kerberos-rules R3.2.3");
}

TEST_CASE("unconstrained delegation: the user's forwarded TGT, for a delegable user with Kerberos only", "[walk]") {
  const auto env = test::delegation_world();
  const std::vector<WalkHop> hops = {{"CORP\\svc-unc", {}, WalkMechanism::ForwardedTgt}};
  CHECK(flow::walk_delegation(env, "CORP\\alice", WalkStart::KerberosFrontEnd, hops).ok);
  const auto sensitive = flow::walk_delegation(env, "CORP\\carol", WalkStart::KerberosFrontEnd, hops);
  CHECK(!sensitive.ok);
  CHECK(sensitive.rule == "kerberos-rules R3.1.3");
  const auto no_tgt = flow::walk_delegation(env, "CORP\\alice", WalkStart::ProtocolTransition, hops);
  CHECK(!no_tgt.ok);
  CHECK(no_tgt.rule == "kerberos-rules R3.1.2");
}

TEST_CASE("a service reached by S4U2Proxy holds no TGT to forward", "[walk]") {
  const auto env = test::delegation_world();
  const auto r =
      flow::walk_delegation(env, "CORP\\alice", WalkStart::KerberosFrontEnd,
                            {proxy("CORP\\svc-kcd", kSql), {"CORP\\svc-sql", {}, WalkMechanism::ForwardedTgt}});
  CHECK(!r.ok);
  CHECK(r.hops_done == 1);
  CHECK(r.rule == "kerberos-rules R3.1.2");
}

TEST_CASE("no hops, or a front end with no SPN to get a ticket for, is not a walk that works", "[walk]") {
  const auto env = test::delegation_world();
  CHECK(!flow::walk_delegation(env, "CORP\\alice", WalkStart::KerberosFrontEnd, {}).ok);
  const auto r = flow::walk_delegation(env, "CORP\\alice", WalkStart::KerberosFrontEnd, {proxy("CORP\\alice", kSql)});
  CHECK(!r.ok);
  CHECK(r.error == KrbError::KDC_ERR_S_PRINCIPAL_UNKNOWN);
}
