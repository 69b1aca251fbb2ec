#include <catch2/catch.hpp>

#include "kerberos/kdc.h"
#include "support/corp.h"

using namespace kerbsim;
using namespace kerbsim::kerberos;
using Catch::Matchers::Contains;
using directory::Account;
using directory::AccountId;
using directory::AccountKind;

namespace {

// A front end (CORP\svc-web, HTTP/portal) and SQL back ends in CORP and in its child domain EMEA;
// users normal, sensitive and Protected.
struct World {
  directory::Directory dir;
  AccountId web, sql1, sql2, api, emea_sql, emea_sql_classic;

  explicit World(const std::string& functional_level = "2016") {
    dir.add_domain({"corp.contoso.com", "CORP", "", functional_level, {"dc1"}});
    dir.add_domain({"emea.corp.contoso.com", "EMEA", "corp.contoso.com", functional_level, {"dc2"}});
    add("CORP", "alice", {});
    dir.account(add("CORP", "bob", {})).sensitive = true;
    dir.account(add("CORP", "carol", {})).groups = {"Protected Users"};
    add("EMEA", "erik", {});
    add("CORP", "nospn", {});
    web = add("CORP", "svc-web", {"HTTP/portal.corp.contoso.com", "HTTP/portal"});
    dir.account(web).allowed_to_delegate_to = {"MSSQLSvc/sql1.corp.contoso.com:1433"};
    sql1 = add("CORP", "svc-sql", {"MSSQLSvc/sql1.corp.contoso.com:1433", "MSSQLSvc/sql1.corp.contoso.com"});
    sql2 = add("CORP", "svc-sql2", {"MSSQLSvc/sql2.corp.contoso.com:1433"});
    dir.account(sql2).allowed_to_act = {"CORP\\svc-web"};
    api = add("CORP", "svc-api", {"HTTP/api.corp.contoso.com"});
    dir.account(api).allowed_to_delegate_to = {"MSSQLSvc/sql1.corp.contoso.com:1433"};
    emea_sql = add("EMEA", "svc-sql", {"MSSQLSvc/sql3.emea.corp.contoso.com:1433"});
    dir.account(emea_sql).allowed_to_act = {"corp\\SVC-WEB"};  // case differs from the canonical name
    emea_sql_classic = add("EMEA", "svc-sql4", {"MSSQLSvc/sql4.emea.corp.contoso.com:1433"});
  }

  AccountId add(const std::string& netbios, const std::string& sam, std::vector<std::string> spns) {
    Account a;
    a.name = netbios + "\\" + sam;
    a.domain = netbios == "CORP" ? "corp.contoso.com" : "emea.corp.contoso.com";
    a.sam = sam;
    a.kind = AccountKind::User;
    a.spns = std::move(spns);
    return dir.add_account(a);
  }

  const directory::Domain& corp() const { return *dir.domain_by_dns("corp.contoso.com"); }
  const directory::Domain& emea() const { return *dir.domain_by_dns("emea.corp.contoso.com"); }
};

// The TGT of an account from its own domain's KDC.
Ticket tgt(const Kdc& kdc, const std::string& name) {
  const auto r = kdc.as_exchange(name, 0, 0);
  REQUIRE(r.ok());
  return r.ticket;
}

// The user's Kerberos ticket to the front end: the evidence of classic delegation.
Ticket kerberos_evidence(const Kdc& kdc, const std::string& user, const std::string& spn) {
  const auto r = kdc.tgs_exchange(tgt(kdc, user), test::spn(spn), 0);
  REQUIRE(r.kind == KdcReply::Kind::Ticket);
  return r.ticket;
}

const DcEvent* find_event(const KdcReply& r, int id) {
  for (const auto& e : r.events)
    if (e.id == id) return &e;
  return nullptr;
}

bool has_note(const KdcReply& r, const std::string& text) {
  for (const auto& n : r.notes)
    if (n.find(text) != std::string::npos) return true;
  return false;
}

}  // namespace

// ---- S4U2Self (R3.3) ----

TEST_CASE("S4U2Self issues the user's ticket to the service itself with SERVICE_ASSERTED_IDENTITY", "[s4u]") {
  World w;
  w.dir.account(w.web).allowed_to_delegate_to.clear();
  Kdc kdc(w.dir, w.corp(), {});
  const auto r = kdc.s4u2self(tgt(kdc, "CORP\\svc-web"), "CORP\\alice", 0);
  REQUIRE(r.kind == KdcReply::Kind::Ticket);
  REQUIRE(r.ticket.client == "CORP\\alice");
  REQUIRE(r.ticket.client_realm == "CORP.CONTOSO.COM");
  REQUIRE(r.ticket.server == "HTTP/portal.corp.contoso.com");
  REQUIRE(r.ticket.encrypted_for == "CORP\\svc-web");
  REQUIRE(r.ticket.from_s4u2self);
  REQUIRE(r.ticket.service_asserted_identity);
  REQUIRE_FALSE(r.ticket.user_not_delegated);
  REQUIRE(r.ticket.has_pac);
  REQUIRE(r.ticket.pac_sids == 10);
  REQUIRE(r.ticket.end == 600 * engine::kMinute);
  REQUIRE(r.events.at(0).id == 4769);
  REQUIRE_THAT(r.events.at(0).text, Contains("Account Name svc-web@CORP.CONTOSO.COM"));
}

TEST_CASE("S4U2Self truth table: not trusted to authenticate and an empty list gives a forwardable ticket", "[s4u]") {
  World w;
  w.dir.account(w.web).allowed_to_delegate_to.clear();
  Kdc kdc(w.dir, w.corp(), {});
  const auto r = kdc.s4u2self(tgt(kdc, "CORP\\svc-web"), "CORP\\alice", 0);
  REQUIRE(r.ticket.flags.forwardable);
  REQUIRE(r.rule == "kerberos-rules R3.3.2");
  REQUIRE_THAT(r.why, Contains("table row not-trusted + empty list"));
}

TEST_CASE("S4U2Self truth table: not trusted to authenticate and a non-empty list gives a non-forwardable ticket",
          "[s4u]") {
  World w;
  Kdc kdc(w.dir, w.corp(), {});
  const auto r = kdc.s4u2self(tgt(kdc, "CORP\\svc-web"), "CORP\\alice", 0);
  REQUIRE(r.kind == KdcReply::Kind::Ticket);
  REQUIRE_FALSE(r.ticket.flags.forwardable);
  REQUIRE(r.rule == "kerberos-rules R3.3.2");
  REQUIRE_THAT(r.why, Contains("table row not-trusted + non-empty list"));
}

TEST_CASE("S4U2Self truth table: trusted to authenticate and an empty list gives a forwardable ticket", "[s4u]") {
  World w;
  w.dir.account(w.web).allowed_to_delegate_to.clear();
  w.dir.account(w.web).trusted_to_auth_for_delegation = true;
  Kdc kdc(w.dir, w.corp(), {});
  const auto r = kdc.s4u2self(tgt(kdc, "CORP\\svc-web"), "CORP\\alice", 0);
  REQUIRE(r.ticket.flags.forwardable);
  REQUIRE_THAT(r.why, Contains("table row trusted + empty list"));
}

TEST_CASE("S4U2Self truth table: trusted to authenticate and a non-empty list gives a forwardable ticket", "[s4u]") {
  World w;
  w.dir.account(w.web).trusted_to_auth_for_delegation = true;
  Kdc kdc(w.dir, w.corp(), {});
  const auto r = kdc.s4u2self(tgt(kdc, "CORP\\svc-web"), "CORP\\alice", 0);
  REQUIRE(r.ticket.flags.forwardable);
  REQUIRE_THAT(r.why, Contains("table row trusted + non-empty list"));
}

TEST_CASE("S4U2Self for a sensitive user is never forwardable and marks the user not delegated", "[s4u]") {
  World w;
  w.dir.account(w.web).trusted_to_auth_for_delegation = true;
  Kdc kdc(w.dir, w.corp(), {});
  const auto r = kdc.s4u2self(tgt(kdc, "CORP\\svc-web"), "CORP\\bob", 0);
  REQUIRE(r.kind == KdcReply::Kind::Ticket);
  REQUIRE_FALSE(r.ticket.flags.forwardable);
  REQUIRE(r.ticket.user_not_delegated);
  REQUIRE(r.rule == "kerberos-rules R3.5.1");
  REQUIRE_THAT(r.why, Contains("sensitive and cannot be delegated"));
}

TEST_CASE("S4U2Self for a Protected User is not forwardable at functional level 2012 R2 and later only", "[s4u]") {
  World w;
  w.dir.account(w.web).trusted_to_auth_for_delegation = true;
  Kdc kdc(w.dir, w.corp(), {});
  const auto r = kdc.s4u2self(tgt(kdc, "CORP\\svc-web"), "CORP\\carol", 0);
  REQUIRE_FALSE(r.ticket.flags.forwardable);
  REQUIRE(r.ticket.user_not_delegated);
  REQUIRE_THAT(r.why, Contains("Protected Users"));

  World old("2012");
  old.dir.account(old.web).trusted_to_auth_for_delegation = true;
  Kdc old_kdc(old.dir, old.corp(), {});
  const auto unenforced = old_kdc.s4u2self(tgt(old_kdc, "CORP\\svc-web"), "CORP\\carol", 0);
  REQUIRE(unenforced.ticket.flags.forwardable);
  REQUIRE_FALSE(unenforced.ticket.user_not_delegated);
}

TEST_CASE("S4U2Self with a non-forwardable service TGT gives a non-forwardable ticket", "[s4u]") {
  World w;
  w.dir.account(w.web).trusted_to_auth_for_delegation = true;
  Kdc kdc(w.dir, w.corp(), {});
  Ticket service_tgt = tgt(kdc, "CORP\\svc-web");
  service_tgt.flags.forwardable = false;
  const auto r = kdc.s4u2self(service_tgt, "CORP\\alice", 0);
  REQUIRE(r.kind == KdcReply::Kind::Ticket);
  REQUIRE_FALSE(r.ticket.flags.forwardable);
  REQUIRE_FALSE(r.ticket.user_not_delegated);
  REQUIRE_THAT(r.why, Contains("own TGT is not forwardable"));
}

TEST_CASE("S4U2Self is refused to an account without an SPN and for an unknown user", "[s4u]") {
  World w;
  Kdc kdc(w.dir, w.corp(), {});
  const auto no_spn = kdc.s4u2self(tgt(kdc, "CORP\\nospn"), "CORP\\alice", 0);
  REQUIRE(no_spn.error == KrbError::KDC_ERR_S_PRINCIPAL_UNKNOWN);
  REQUIRE(no_spn.rule == "kerberos-rules R3.3.1");
  const auto unknown = kdc.s4u2self(tgt(kdc, "CORP\\svc-web"), "CORP\\nobody", 0);
  REQUIRE(unknown.error == KrbError::KDC_ERR_C_PRINCIPAL_UNKNOWN);
  REQUIRE(unknown.rule == "kerberos-rules R3.3.3");
}

TEST_CASE("S4U2Self for a user of another domain is referred to that domain's KDC, which issues the ticket", "[s4u]") {
  World w;
  w.dir.account(w.web).trusted_to_auth_for_delegation = true;
  Kdc corp(w.dir, w.corp(), {});
  Kdc emea(w.dir, w.emea(), {});
  const auto referral = corp.s4u2self(tgt(corp, "CORP\\svc-web"), "EMEA\\erik", 0);
  REQUIRE(referral.kind == KdcReply::Kind::Referral);
  REQUIRE(referral.referral_domain == "emea.corp.contoso.com");
  REQUIRE(referral.ticket.server == "krbtgt/EMEA.CORP.CONTOSO.COM");
  REQUIRE(referral.ticket.client == "CORP\\svc-web");
  const auto r = emea.s4u2self(referral.ticket, "EMEA\\erik", 0);
  REQUIRE(r.kind == KdcReply::Kind::Ticket);
  REQUIRE(r.ticket.client == "EMEA\\erik");
  REQUIRE(r.ticket.client_realm == "EMEA.CORP.CONTOSO.COM");
  REQUIRE(r.ticket.encrypted_for == "CORP\\svc-web");
  REQUIRE(r.ticket.server_realm == "CORP.CONTOSO.COM");
  REQUIRE(r.ticket.flags.forwardable);
}

// ---- classic constrained delegation (R3.2) ----

TEST_CASE("classic constrained delegation issues the user's ticket to a listed SQL SPN", "[s4u]") {
  World w;
  Kdc kdc(w.dir, w.corp(), {});
  const Ticket evidence = kerberos_evidence(kdc, "CORP\\alice", "HTTP/portal.corp.contoso.com");
  const auto r =
      kdc.s4u2proxy(tgt(kdc, "CORP\\svc-web"), evidence, kerbsim::test::spn("MSSQLSvc/sql1.corp.contoso.com:1433"), 0);
  REQUIRE(r.kind == KdcReply::Kind::Ticket);
  REQUIRE(r.rule == "kerberos-rules R3.2.3");
  REQUIRE(r.ticket.client == "CORP\\alice");
  REQUIRE(r.ticket.server == "MSSQLSvc/sql1.corp.contoso.com:1433");
  REQUIRE(r.ticket.encrypted_for == "CORP\\svc-sql");
  REQUIRE(r.ticket.flags.forwardable);
  REQUIRE_FALSE(r.ticket.service_asserted_identity);
  REQUIRE(r.ticket.transited == std::vector<std::string>{"CORP\\svc-web"});
  REQUIRE(r.ticket.pac_sids == evidence.pac_sids);
}

TEST_CASE("S4U2Proxy writes a 4769 with the user, the back end and the front end as transited service", "[s4u]") {
  World w;
  Kdc kdc(w.dir, w.corp(), {});
  const Ticket evidence = kerberos_evidence(kdc, "CORP\\alice", "HTTP/portal.corp.contoso.com");
  const auto r =
      kdc.s4u2proxy(tgt(kdc, "CORP\\svc-web"), evidence, kerbsim::test::spn("MSSQLSvc/sql1.corp.contoso.com:1433"), 0);
  REQUIRE(r.events.size() == 1);
  REQUIRE(r.events[0].id == 4769);
  REQUIRE(r.events[0].log == "Security");
  REQUIRE(r.events[0].text ==
          "service ticket requested: Account Name alice@CORP.CONTOSO.COM, Service Name svc-sql, Ticket Options "
          "0x40830000, Ticket Encryption Type 0x12, Failure Code 0x0, Transited Services svc-web@CORP.CONTOSO.COM");
}

TEST_CASE("classic constrained delegation with an empty list is refused with STATUS_NOT_SUPPORTED", "[s4u]") {
  World w;
  w.dir.account(w.web).allowed_to_delegate_to.clear();
  Kdc kdc(w.dir, w.corp(), {});
  const Ticket evidence = kerberos_evidence(kdc, "CORP\\alice", "HTTP/portal.corp.contoso.com");
  const auto r =
      kdc.s4u2proxy(tgt(kdc, "CORP\\svc-web"), evidence, kerbsim::test::spn("MSSQLSvc/sql1.corp.contoso.com:1433"), 0);
  REQUIRE(r.error == KrbError::KDC_ERR_BADOPTION);
  REQUIRE(r.status == NtStatus::STATUS_NOT_SUPPORTED);
  REQUIRE(r.rule == "kerberos-rules R3.2.3");
  const DcEvent* failure = find_event(r, 4769);
  REQUIRE(failure != nullptr);
  REQUIRE_THAT(failure->text, Contains("Failure Code 0xD"));
  REQUIRE(has_note(r, "KdcExtraLogLevel has bit 0x10"));
}

TEST_CASE("classic constrained delegation to an SPN missing from the list is refused with STATUS_NO_MATCH", "[s4u]") {
  World w;
  w.dir.account(w.web).allowed_to_delegate_to = {"MSSQLSvc/sql9.corp.contoso.com:1433"};
  Kdc kdc(w.dir, w.corp(), {});
  const Ticket evidence = kerberos_evidence(kdc, "CORP\\alice", "HTTP/portal.corp.contoso.com");
  const auto r =
      kdc.s4u2proxy(tgt(kdc, "CORP\\svc-web"), evidence, kerbsim::test::spn("MSSQLSvc/sql1.corp.contoso.com:1433"), 0);
  REQUIRE(r.error == KrbError::KDC_ERR_BADOPTION);
  REQUIRE(r.status == NtStatus::STATUS_NO_MATCH);
}

TEST_CASE("the constrained-delegation list matches literally: no port or FQDN variant is allowed", "[s4u]") {
  World w;
  Kdc kdc(w.dir, w.corp(), {});
  const Ticket evidence = kerberos_evidence(kdc, "CORP\\alice", "HTTP/portal.corp.contoso.com");
  const Ticket service_tgt = tgt(kdc, "CORP\\svc-web");
  // The list holds MSSQLSvc/sql1.corp.contoso.com:1433; the same account also owns the port-less SPN.
  const auto no_port = kdc.s4u2proxy(service_tgt, evidence, kerbsim::test::spn("MSSQLSvc/sql1.corp.contoso.com"), 0);
  REQUIRE(no_port.error == KrbError::KDC_ERR_BADOPTION);
  REQUIRE(no_port.status == NtStatus::STATUS_NO_MATCH);
  w.dir.account(w.web).allowed_to_delegate_to = {"MSSQLSvc/sql1:1433"};
  const auto short_name =
      kdc.s4u2proxy(service_tgt, evidence, kerbsim::test::spn("MSSQLSvc/sql1.corp.contoso.com:1433"), 0);
  REQUIRE(short_name.status == NtStatus::STATUS_NO_MATCH);
  REQUIRE_THAT(short_name.why, Contains("literally"));
}

TEST_CASE("the constrained-delegation list matches case-insensitively", "[s4u]") {
  World w;
  w.dir.account(w.web).allowed_to_delegate_to = {"mssqlsvc/SQL1.CORP.CONTOSO.COM:1433"};
  Kdc kdc(w.dir, w.corp(), {});
  const Ticket evidence = kerberos_evidence(kdc, "CORP\\alice", "HTTP/portal.corp.contoso.com");
  const auto r =
      kdc.s4u2proxy(tgt(kdc, "CORP\\svc-web"), evidence, kerbsim::test::spn("MSSQLSvc/sql1.corp.contoso.com:1433"), 0);
  REQUIRE(r.kind == KdcReply::Kind::Ticket);
  REQUIRE(r.ticket.encrypted_for == "CORP\\svc-sql");
}

TEST_CASE("classic constrained delegation refuses non-forwardable evidence with STATUS_ACCOUNT_RESTRICTION", "[s4u]") {
  World w;
  Kdc kdc(w.dir, w.corp(), {});
  const Ticket service_tgt = tgt(kdc, "CORP\\svc-web");
  // A sensitive user's Kerberos ticket to the front end is not forwardable (R3.5.1).
  const Ticket sensitive = kerberos_evidence(kdc, "CORP\\bob", "HTTP/portal.corp.contoso.com");
  REQUIRE_FALSE(sensitive.flags.forwardable);
  const auto r = kdc.s4u2proxy(service_tgt, sensitive, kerbsim::test::spn("MSSQLSvc/sql1.corp.contoso.com:1433"), 0);
  REQUIRE(r.error == KrbError::KDC_ERR_BADOPTION);
  REQUIRE(r.status == NtStatus::STATUS_ACCOUNT_RESTRICTION);
  REQUIRE(r.rule == "kerberos-rules R3.2.3");
  // "Use Kerberos only": the S4U2Self ticket is not forwardable, so protocol transition cannot delegate (R3.2.5).
  const Ticket s4u = kdc.s4u2self(service_tgt, "CORP\\alice", 0).ticket;
  const auto pt = kdc.s4u2proxy(service_tgt, s4u, kerbsim::test::spn("MSSQLSvc/sql1.corp.contoso.com:1433"), 0);
  REQUIRE(pt.status == NtStatus::STATUS_ACCOUNT_RESTRICTION);
  REQUIRE_THAT(pt.why, Contains("Use Kerberos only"));
}

TEST_CASE("protocol transition with \"Use any authentication protocol\" delegates a user who came without Kerberos",
          "[s4u]") {
  World w;
  w.dir.account(w.web).trusted_to_auth_for_delegation = true;
  Kdc kdc(w.dir, w.corp(), {});
  const Ticket service_tgt = tgt(kdc, "CORP\\svc-web");
  const Ticket s4u = kdc.s4u2self(service_tgt, "CORP\\alice", 0).ticket;
  const auto r = kdc.s4u2proxy(service_tgt, s4u, kerbsim::test::spn("MSSQLSvc/sql1.corp.contoso.com:1433"), 0);
  REQUIRE(r.kind == KdcReply::Kind::Ticket);
  REQUIRE(r.ticket.service_asserted_identity);
  REQUIRE_FALSE(r.ticket.from_s4u2self);
}

TEST_CASE("S4U2Proxy refuses evidence issued to another service or without a PAC", "[s4u]") {
  World w;
  Kdc kdc(w.dir, w.corp(), {});
  const Ticket to_api = kerberos_evidence(kdc, "CORP\\alice", "HTTP/api.corp.contoso.com");
  const Ticket service_tgt = tgt(kdc, "CORP\\svc-web");
  const auto other = kdc.s4u2proxy(service_tgt, to_api, kerbsim::test::spn("MSSQLSvc/sql1.corp.contoso.com:1433"), 0);
  REQUIRE(other.error == KrbError::KDC_ERR_BADOPTION);
  REQUIRE(other.rule == "kerberos-rules R3.2.3");
  Ticket no_pac = kerberos_evidence(kdc, "CORP\\alice", "HTTP/portal.corp.contoso.com");
  no_pac.has_pac = false;
  const auto r = kdc.s4u2proxy(service_tgt, no_pac, kerbsim::test::spn("MSSQLSvc/sql1.corp.contoso.com:1433"), 0);
  REQUIRE(r.error == KrbError::KDC_ERR_BADOPTION);
  REQUIRE(r.rule == "kerberos-rules R2.11");
}

TEST_CASE("S4U2Proxy to an unknown SPN is KDC_ERR_S_PRINCIPAL_UNKNOWN", "[s4u]") {
  World w;
  Kdc kdc(w.dir, w.corp(), {});
  const Ticket evidence = kerberos_evidence(kdc, "CORP\\alice", "HTTP/portal.corp.contoso.com");
  const auto r =
      kdc.s4u2proxy(tgt(kdc, "CORP\\svc-web"), evidence, kerbsim::test::spn("MSSQLSvc/sql7.corp.contoso.com:1433"), 0);
  REQUIRE(r.error == KrbError::KDC_ERR_S_PRINCIPAL_UNKNOWN);
  REQUIRE(r.events.empty());
}

// ---- resource-based constrained delegation (R3.4) ----

TEST_CASE("RBCD allows a front end listed on the back end with forwardable evidence", "[s4u]") {
  World w;
  Kdc kdc(w.dir, w.corp(), {});
  const Ticket evidence = kerberos_evidence(kdc, "CORP\\alice", "HTTP/portal.corp.contoso.com");
  const auto r =
      kdc.s4u2proxy(tgt(kdc, "CORP\\svc-web"), evidence, kerbsim::test::spn("MSSQLSvc/sql2.corp.contoso.com:1433"), 0);
  REQUIRE(r.kind == KdcReply::Kind::Ticket);
  REQUIRE(r.rule == "kerberos-rules R3.4.2");
  REQUIRE(r.ticket.encrypted_for == "CORP\\svc-sql2");
  REQUIRE(r.ticket.transited == std::vector<std::string>{"CORP\\svc-web"});
}

TEST_CASE("RBCD accepts a non-forwardable S4U2Self ticket: protocol transition is always allowed", "[s4u]") {
  World w;  // svc-web: "Use Kerberos only" with a non-empty list, so its S4U2Self tickets are not forwardable
  Kdc kdc(w.dir, w.corp(), {});
  const Ticket service_tgt = tgt(kdc, "CORP\\svc-web");
  const Ticket s4u = kdc.s4u2self(service_tgt, "CORP\\alice", 0).ticket;
  REQUIRE_FALSE(s4u.flags.forwardable);
  const auto r = kdc.s4u2proxy(service_tgt, s4u, kerbsim::test::spn("MSSQLSvc/sql2.corp.contoso.com:1433"), 0);
  REQUIRE(r.kind == KdcReply::Kind::Ticket);
  REQUIRE(r.rule == "kerberos-rules R3.4.3");
  REQUIRE(r.ticket.flags.forwardable);
  REQUIRE(r.ticket.service_asserted_identity);
}

TEST_CASE("RBCD still accepts a non-forwardable S4U2Self ticket that classic delegation refuses", "[s4u]") {
  World w;
  w.dir.account(w.sql1).allowed_to_act = {"CORP\\svc-web"};  // both classic and RBCD allow svc-web
  Kdc kdc(w.dir, w.corp(), {});
  const Ticket service_tgt = tgt(kdc, "CORP\\svc-web");
  const Ticket s4u = kdc.s4u2self(service_tgt, "CORP\\alice", 0).ticket;
  const auto r = kdc.s4u2proxy(service_tgt, s4u, kerbsim::test::spn("MSSQLSvc/sql1.corp.contoso.com:1433"), 0);
  REQUIRE(r.kind == KdcReply::Kind::Ticket);
  REQUIRE(r.rule == "kerberos-rules R3.4.3");
  const auto without_bit =
      kdc.s4u2proxy(service_tgt, s4u, kerbsim::test::spn("MSSQLSvc/sql1.corp.contoso.com:1433"), 0, false);
  REQUIRE(without_bit.status == NtStatus::STATUS_ACCOUNT_RESTRICTION);
}

TEST_CASE("RBCD refuses a sensitive user and non-forwardable evidence that is not from S4U2Self", "[s4u]") {
  World w;
  Kdc kdc(w.dir, w.corp(), {});
  const Ticket service_tgt = tgt(kdc, "CORP\\svc-web");
  const Ticket s4u_bob = kdc.s4u2self(service_tgt, "CORP\\bob", 0).ticket;
  const auto sensitive =
      kdc.s4u2proxy(service_tgt, s4u_bob, kerbsim::test::spn("MSSQLSvc/sql2.corp.contoso.com:1433"), 0);
  REQUIRE(sensitive.error == KrbError::KDC_ERR_BADOPTION);
  REQUIRE(sensitive.status == NtStatus::STATUS_ACCOUNT_RESTRICTION);
  REQUIRE(sensitive.rule == "kerberos-rules R3.4.4");
  const Ticket kerberos_bob = kerberos_evidence(kdc, "CORP\\bob", "HTTP/portal.corp.contoso.com");
  REQUIRE(
      kdc.s4u2proxy(service_tgt, kerberos_bob, kerbsim::test::spn("MSSQLSvc/sql2.corp.contoso.com:1433"), 0).status ==
      NtStatus::STATUS_ACCOUNT_RESTRICTION);
  Ticket plain = kerberos_evidence(kdc, "CORP\\alice", "HTTP/portal.corp.contoso.com");
  plain.flags.forwardable = false;
  const auto r = kdc.s4u2proxy(service_tgt, plain, kerbsim::test::spn("MSSQLSvc/sql2.corp.contoso.com:1433"), 0);
  REQUIRE(r.status == NtStatus::STATUS_ACCOUNT_RESTRICTION);
  REQUIRE(r.rule == "kerberos-rules R3.4.3");
}

TEST_CASE("RBCD refuses a front end the back end does not list with STATUS_NOT_FOUND", "[s4u]") {
  World w;
  w.dir.account(w.sql2).allowed_to_act = {"CORP\\svc-api"};
  Kdc kdc(w.dir, w.corp(), {});
  const Ticket evidence = kerberos_evidence(kdc, "CORP\\alice", "HTTP/portal.corp.contoso.com");
  const auto r =
      kdc.s4u2proxy(tgt(kdc, "CORP\\svc-web"), evidence, kerbsim::test::spn("MSSQLSvc/sql2.corp.contoso.com:1433"), 0);
  REQUIRE(r.error == KrbError::KDC_ERR_BADOPTION);
  REQUIRE(r.status == NtStatus::STATUS_NOT_FOUND);
  REQUIRE(r.rule == "kerberos-rules R3.4.2");
}

TEST_CASE("RBCD is ignored when the request lacks the RBCD bit", "[s4u]") {
  World w;
  Kdc kdc(w.dir, w.corp(), {});
  const Ticket evidence = kerberos_evidence(kdc, "CORP\\alice", "HTTP/portal.corp.contoso.com");
  const auto r = kdc.s4u2proxy(tgt(kdc, "CORP\\svc-web"), evidence,
                               kerbsim::test::spn("MSSQLSvc/sql2.corp.contoso.com:1433"), 0, false);
  REQUIRE(r.error == KrbError::KDC_ERR_BADOPTION);
  REQUIRE(r.status == NtStatus::STATUS_NO_MATCH);  // svc-web's list is not empty
  REQUIRE(r.rule == "kerberos-rules R3.2.3");
  REQUIRE(has_note(r, "svc-sql2 allows resource-based delegation, but the request lacks the RBCD bit"));
}

// ---- across domains (R3.4.5, R3.6) ----

TEST_CASE("classic constrained delegation cannot reach a back end in another domain", "[s4u]") {
  World w;
  w.dir.account(w.web).allowed_to_delegate_to = {"MSSQLSvc/sql4.emea.corp.contoso.com:1433"};
  Kdc corp(w.dir, w.corp(), {});
  const Ticket evidence = kerberos_evidence(corp, "CORP\\alice", "HTTP/portal.corp.contoso.com");
  const Ticket service_tgt = tgt(corp, "CORP\\svc-web");
  const auto no_bit =
      corp.s4u2proxy(service_tgt, evidence, kerbsim::test::spn("MSSQLSvc/sql4.emea.corp.contoso.com:1433"), 0, false);
  REQUIRE(no_bit.error == KrbError::KDC_ERR_BADOPTION);
  REQUIRE(no_bit.status == NtStatus::STATUS_NO_MATCH);
  REQUIRE_THAT(no_bit.why, Contains("only within one domain"));
  // With the RBCD bit the request goes to EMEA, which has no RBCD entry for svc-web either.
  const auto referral =
      corp.s4u2proxy(service_tgt, evidence, kerbsim::test::spn("MSSQLSvc/sql4.emea.corp.contoso.com:1433"), 0);
  REQUIRE(referral.kind == KdcReply::Kind::Referral);
  Kdc emea(w.dir, w.emea(), {});
  const auto r =
      emea.s4u2proxy(referral.ticket, evidence, kerbsim::test::spn("MSSQLSvc/sql4.emea.corp.contoso.com:1433"), 0);
  REQUIRE(r.error == KrbError::KDC_ERR_BADOPTION);
  REQUIRE(r.status == NtStatus::STATUS_NO_MATCH);
}

TEST_CASE("RBCD across domains: a referral to the back end's domain, whose KDC then issues the ticket", "[s4u]") {
  World w;
  Kdc corp(w.dir, w.corp(), {});
  Kdc emea(w.dir, w.emea(), {});
  const Ticket evidence = kerberos_evidence(corp, "CORP\\alice", "HTTP/portal.corp.contoso.com");
  const auto referral = corp.s4u2proxy(tgt(corp, "CORP\\svc-web"), evidence,
                                       kerbsim::test::spn("MSSQLSvc/sql3.emea.corp.contoso.com:1433"), 0);
  REQUIRE(referral.kind == KdcReply::Kind::Referral);
  REQUIRE(referral.referral_domain == "emea.corp.contoso.com");
  REQUIRE(referral.rule == "kerberos-rules R3.4.5");
  REQUIRE(referral.ticket.client == "CORP\\svc-web");
  REQUIRE(referral.ticket.server == "krbtgt/EMEA.CORP.CONTOSO.COM");
  const auto r =
      emea.s4u2proxy(referral.ticket, evidence, kerbsim::test::spn("MSSQLSvc/sql3.emea.corp.contoso.com:1433"), 0);
  REQUIRE(r.kind == KdcReply::Kind::Ticket);
  REQUIRE(r.rule == "kerberos-rules R3.4.2");
  REQUIRE(r.ticket.client == "CORP\\alice");
  REQUIRE(r.ticket.encrypted_for == "EMEA\\svc-sql");
  REQUIRE(r.ticket.server_realm == "EMEA.CORP.CONTOSO.COM");
  REQUIRE(r.ticket.transited == std::vector<std::string>{"CORP\\svc-web"});
  REQUIRE_THAT(r.events.at(0).text, Contains("Service Name svc-sql, "));
  REQUIRE_THAT(r.events.at(0).text, Contains("Transited Services svc-web@CORP.CONTOSO.COM"));
}

// ---- multi-hop (R3.7.1) ----

TEST_CASE("an S4U2Proxy ticket is evidence for the next hop and the transited list grows", "[s4u]") {
  World w;
  w.dir.account(w.web).allowed_to_delegate_to = {"HTTP/api.corp.contoso.com"};
  Kdc kdc(w.dir, w.corp(), {});
  const Ticket evidence = kerberos_evidence(kdc, "CORP\\alice", "HTTP/portal.corp.contoso.com");
  const auto hop1 =
      kdc.s4u2proxy(tgt(kdc, "CORP\\svc-web"), evidence, kerbsim::test::spn("HTTP/api.corp.contoso.com"), 0);
  REQUIRE(hop1.kind == KdcReply::Kind::Ticket);
  REQUIRE(hop1.ticket.encrypted_for == "CORP\\svc-api");
  const auto hop2 = kdc.s4u2proxy(tgt(kdc, "CORP\\svc-api"), hop1.ticket,
                                  kerbsim::test::spn("MSSQLSvc/sql1.corp.contoso.com:1433"), 0);
  REQUIRE(hop2.kind == KdcReply::Kind::Ticket);
  REQUIRE(hop2.ticket.client == "CORP\\alice");
  REQUIRE(hop2.ticket.encrypted_for == "CORP\\svc-sql");
  REQUIRE(hop2.ticket.transited == std::vector<std::string>{"CORP\\svc-web", "CORP\\svc-api"});
  REQUIRE_THAT(hop2.events.at(0).text,
               Contains("Transited Services svc-web@CORP.CONTOSO.COM, svc-api@CORP.CONTOSO.COM"));
}

TEST_CASE("the S4U2Proxy ticket never outlives the evidence", "[s4u]") {
  World w;
  Kdc kdc(w.dir, w.corp(), {});
  Ticket evidence = kerberos_evidence(kdc, "CORP\\alice", "HTTP/portal.corp.contoso.com");
  evidence.end = 2 * engine::kHour;
  const auto r = kdc.s4u2proxy(tgt(kdc, "CORP\\svc-web"), evidence,
                               kerbsim::test::spn("MSSQLSvc/sql1.corp.contoso.com:1433"), engine::kHour);
  REQUIRE(r.ticket.start == engine::kHour);
  REQUIRE(r.ticket.end == 2 * engine::kHour);
}

// ---- unconstrained delegation (R3.1) ----

TEST_CASE("a normal user's forwardable TGT gives a forwarded TGT that ends with the original", "[s4u]") {
  World w;
  Kdc kdc(w.dir, w.corp(), {});
  const Ticket user_tgt = tgt(kdc, "CORP\\alice");
  const auto r = kdc.forwarded_tgt(user_tgt, engine::kHour);
  REQUIRE(r.kind == KdcReply::Kind::Ticket);
  REQUIRE(r.rule == "kerberos-rules R3.1.2");
  REQUIRE(r.ticket.flags.forwarded);
  REQUIRE(r.ticket.flags.forwardable);
  REQUIRE(r.ticket.is_tgt());
  REQUIRE(r.ticket.client == "CORP\\alice");
  REQUIRE(r.ticket.start == engine::kHour);
  REQUIRE(r.ticket.end == user_tgt.end);
  REQUIRE_THAT(r.events.at(0).text, Contains("Ticket Options 0x60810010"));
}

TEST_CASE("a sensitive user's TGT cannot be forwarded", "[s4u]") {
  World w;
  Kdc kdc(w.dir, w.corp(), {});
  const auto r = kdc.forwarded_tgt(tgt(kdc, "CORP\\bob"), 0);
  REQUIRE(r.error == KrbError::KDC_ERR_BADOPTION);
  REQUIRE(r.rule == "kerberos-rules R3.1.3");
  REQUIRE_THAT(r.why, Contains("sensitive and cannot be delegated"));
  REQUIRE(r.events.empty());
  const auto carol = kdc.forwarded_tgt(tgt(kdc, "CORP\\carol"), 0);
  REQUIRE(carol.error == KrbError::KDC_ERR_BADOPTION);
  REQUIRE_THAT(carol.why, Contains("Protected Users"));
}
