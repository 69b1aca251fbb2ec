#include <catch2/catch.hpp>

#include "kerberos/ap_req.h"
#include "kerberos/kdc.h"
#include "support/corp.h"

using namespace kerbsim;
using namespace kerbsim::kerberos;
using directory::Account;
using directory::AccountKind;

namespace {

struct World {
  directory::Directory dir;
  World() {
    dir.add_domain({"corp.contoso.com", "CORP", "", "2016", {"dc1"}});
    dir.add_domain({"emea.corp.contoso.com", "EMEA", "corp.contoso.com", "2016", {}});
    add_user("alice");
    Account& bob = dir.account(add_user("bob"));
    bob.sensitive = true;
    Account& carol = dir.account(add_user("carol"));
    carol.groups = {"Protected Users"};
    Account web1 = test::corp_computer("web1");
    web1.trusted_for_delegation = true;
    dir.add_account(web1);
    Account old = test::corp_user("svc-legacy", {"HTTP/legacy.corp.contoso.com"});
    old.aes_keys = false;  // password set before AES keys existed
    old.kvno = 4;
    dir.add_account(old);
    Account emea;
    emea.name = "EMEA\\svc-app";
    emea.domain = "emea.corp.contoso.com";
    emea.sam = "svc-app";
    emea.spns = {"HTTP/app.emea.corp.contoso.com"};
    dir.add_account(emea);
  }
  directory::AccountId add_user(const std::string& sam) { return dir.add_account(test::corp_user(sam)); }
  const directory::Domain& corp() const { return *dir.domain_by_dns("corp.contoso.com"); }
};

}  // namespace

TEST_CASE("a normal user gets a forwardable 10-hour TGT", "[kdc]") {
  World w;
  Kdc kdc(w.dir, w.corp(), {});
  const auto r = kdc.as_exchange("CORP\\alice", 0, 0);
  REQUIRE(r.ok());
  REQUIRE(r.ticket.flags.forwardable);
  REQUIRE(r.ticket.end == 10 * engine::kHour);
  REQUIRE(r.events.front().id == 4768);
}

TEST_CASE("sensitive and Protected users get TGTs that are not forwardable; Protected users' last 4 hours", "[kdc]") {
  World w;
  Kdc kdc(w.dir, w.corp(), {});
  const auto bob = kdc.as_exchange("CORP\\bob", 0, 0);
  REQUIRE_FALSE(bob.ticket.flags.forwardable);
  REQUIRE(bob.rule == "kerberos-rules R3.5.1");
  const auto carol = kdc.as_exchange("CORP\\carol", 0, 0);
  REQUIRE_FALSE(carol.ticket.flags.forwardable);
  REQUIRE(carol.ticket.end == 4 * engine::kHour);
  REQUIRE(carol.ticket.renew_till == carol.ticket.end);
}

TEST_CASE("a client clock beyond MaxClockSkew fails pre-authentication", "[kdc]") {
  World w;
  Kdc kdc(w.dir, w.corp(), {});
  const auto r = kdc.as_exchange("CORP\\alice", 0, 7 * engine::kMinute);
  REQUIRE(r.error == KrbError::KRB_AP_ERR_SKEW);
  REQUIRE(r.events.front().id == 4771);
}

TEST_CASE("HTTP to a computer name is encrypted for the computer account, with ok_as_delegate when trusted", "[kdc]") {
  World w;
  Kdc kdc(w.dir, w.corp(), {});
  const auto tgt = kdc.as_exchange("CORP\\alice", 0, 0).ticket;
  const auto r = kdc.tgs_exchange(tgt, kerbsim::test::spn("HTTP/web1.corp.contoso.com"), 0);
  REQUIRE(r.kind == KdcReply::Kind::Ticket);
  REQUIRE(r.ticket.encrypted_for == "CORP\\WEB1$");
  REQUIRE(r.ticket.etype == Etype::Aes256);
  REQUIRE(r.ticket.flags.forwardable);
  REQUIRE(r.ticket.flags.ok_as_delegate);
  REQUIRE(r.rule == "kerberos-rules R1.4");
  REQUIRE(r.events.front().id == 4769);
}

TEST_CASE("a service ticket never outlives the TGT", "[kdc]") {
  World w;
  Kdc kdc(w.dir, w.corp(), {});
  const auto tgt = kdc.as_exchange("CORP\\carol", 0, 0).ticket;  // 4 h
  const auto r = kdc.tgs_exchange(tgt, kerbsim::test::spn("HTTP/web1.corp.contoso.com"), engine::kHour);
  REQUIRE(r.ticket.end == 4 * engine::kHour);
  REQUIRE_FALSE(r.ticket.flags.forwardable);
}

TEST_CASE("an unknown SPN is KDC_ERR_S_PRINCIPAL_UNKNOWN without a default audit event", "[kdc]") {
  World w;
  Kdc kdc(w.dir, w.corp(), {});
  const auto tgt = kdc.as_exchange("CORP\\alice", 0, 0).ticket;
  const auto r = kdc.tgs_exchange(tgt, kerbsim::test::spn("HTTP/reports.corp.contoso.com"), 0);
  REQUIRE(r.error == KrbError::KDC_ERR_S_PRINCIPAL_UNKNOWN);
  REQUIRE(r.events.empty());
  REQUIRE(r.rule == "kerberos-rules R1.6");
}

TEST_CASE("a duplicate SPN fails with the configured code and event 11", "[kdc]") {
  World w;
  Account dup;
  dup.name = "CORP\\svc-dup";
  dup.domain = "corp.contoso.com";
  dup.sam = "svc-dup";
  dup.spns = {"HTTP/legacy.corp.contoso.com"};
  w.dir.add_account(dup);
  const auto tgt = Kdc(w.dir, w.corp(), {}).as_exchange("CORP\\alice", 0, 0).ticket;
  const auto seven = Kdc(w.dir, w.corp(), {}).tgs_exchange(tgt, kerbsim::test::spn("HTTP/legacy.corp.contoso.com"), 0);
  REQUIRE(seven.error == KrbError::KDC_ERR_S_PRINCIPAL_UNKNOWN);
  REQUIRE(seven.events.front().id == 11);
  KdcPolicy eight;
  eight.duplicate_spn_error = KrbError::KDC_ERR_PRINCIPAL_NOT_UNIQUE;
  REQUIRE(Kdc(w.dir, w.corp(), eight).tgs_exchange(tgt, kerbsim::test::spn("HTTP/legacy.corp.contoso.com"), 0).error ==
          KrbError::KDC_ERR_PRINCIPAL_NOT_UNIQUE);
}

TEST_CASE("an RC4-only account has no etype once the domain default is AES only", "[kdc]") {
  World w;
  const auto tgt = Kdc(w.dir, w.corp(), {}).as_exchange("CORP\\alice", 0, 0).ticket;
  const auto aes_only =
      Kdc(w.dir, w.corp(), {}).tgs_exchange(tgt, kerbsim::test::spn("HTTP/legacy.corp.contoso.com"), 0);
  REQUIRE(aes_only.error == KrbError::KDC_ERR_ETYPE_NOSUPP);
  REQUIRE(aes_only.events.front().id == 16);
  KdcPolicy before_2026;
  before_2026.default_domain_supported_enctypes = kRc4Bit | kAes256Bit | kAes128Bit;
  const auto rc4 =
      Kdc(w.dir, w.corp(), before_2026).tgs_exchange(tgt, kerbsim::test::spn("HTTP/legacy.corp.contoso.com"), 0);
  REQUIRE(rc4.ok());
  REQUIRE(rc4.ticket.etype == Etype::Rc4);
  REQUIRE(rc4.ticket.kvno == 4);
}

TEST_CASE("an SPN in another domain of the forest gets a referral", "[kdc]") {
  World w;
  const auto tgt = Kdc(w.dir, w.corp(), {}).as_exchange("CORP\\alice", 0, 0).ticket;
  const auto r = Kdc(w.dir, w.corp(), {}).tgs_exchange(tgt, kerbsim::test::spn("HTTP/app.emea.corp.contoso.com"), 0);
  REQUIRE(r.kind == KdcReply::Kind::Referral);
  REQUIRE(r.referral_domain == "emea.corp.contoso.com");
  const auto* emea = w.dir.domain_by_dns("emea.corp.contoso.com");
  const auto issued =
      Kdc(w.dir, *emea, {}).tgs_exchange(r.ticket, kerbsim::test::spn("HTTP/app.emea.corp.contoso.com"), 0);
  REQUIRE(issued.kind == KdcReply::Kind::Ticket);
  REQUIRE(issued.ticket.encrypted_for == "EMEA\\svc-app");
  REQUIRE(issued.ticket.client == "CORP\\alice");
}

TEST_CASE("the AP-REQ fails with KRB_AP_ERR_MODIFIED when the server holds another account's key", "[ap_req]") {
  Ticket t;
  t.encrypted_for = "CORP\\WEB1$";
  t.kvno = 3;
  t.end = engine::kHour;
  REQUIRE(accept_ap_req(t, {"CORP\\WEB1$", {3}}, 0, 0, 0, 5 * engine::kMinute).ok());
  const auto wrong_key = accept_ap_req(t, {"CORP\\WEB2$", {3}}, 0, 0, 0, 5 * engine::kMinute);
  REQUIRE(wrong_key.error == KrbError::KRB_AP_ERR_MODIFIED);
  REQUIRE(wrong_key.rule == "kerberos-rules R2.6");
  const auto stale = accept_ap_req(t, {"CORP\\WEB1$", {2}}, 0, 0, 0, 5 * engine::kMinute);
  REQUIRE(stale.error == KrbError::KRB_AP_ERR_MODIFIED);
  const auto skew = accept_ap_req(t, {"CORP\\WEB1$", {3}}, 0, 0, 6 * engine::kMinute, 5 * engine::kMinute);
  REQUIRE(skew.error == KrbError::KRB_AP_ERR_SKEW);
}

TEST_CASE("the token size grows with group SIDs and doubles with a forwarded TGT", "[ap_req]") {
  Ticket t;
  t.pac_sids = 100;
  t.pac_foreign_sids = 10;
  REQUIRE(estimated_token_bytes(t, false) == 1200 + 400 + 800);
  REQUIRE(estimated_token_bytes(t, true) == 2 * 2400);
}
