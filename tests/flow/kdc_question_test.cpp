// `kerbsim kdc` (flow/kdc_question): one question per kind to the KDC of a two-domain forest
// loaded from JSON, under each KDC profile. The samba-4.17 answers follow what the real-KDC suite
// (tests/fidelity) saw a Samba 4.17 KDC answer to the same questions.
#include <unistd.h>
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "kerbsim/kerbsim.h"

using namespace kerbsim;
using Catch::Matchers::Contains;
using Catch::Matchers::StartsWith;
using Flags = std::vector<std::string>;
using Lines = std::vector<std::string>;

namespace {

// corp.contoso.com (CORP, dc1) and its child emea.corp.contoso.com (EMEA, dc2). Users: alice
// (plain), carol (sensitive), dave (Protected Users), erin (disabled), frank (in both domains).
// Front ends: svc-plain (no delegation), svc-kcd (Kerberos-only KCD to SQL), svc-pt (protocol
// transition to SQL), svc-unc (unconstrained), svc-front (named by the RBCD of svc-rbcd and
// EMEA\svc-erbcd), svc-off (disabled); the computer WEB1$ (msDS-SupportedEncryptionTypes set).
constexpr const char* kWorld = R"json({
  "format": "kerbsim/1",
  "name": "kdc-question-test",
  "title": "Questions to the KDC",
  %SETTINGS%
  "domains": [
    { "dns": "corp.contoso.com", "netbios": "CORP", "functional_level": "%LEVEL%", "kdc": "%KDC%", "dcs": ["dc1"] },
    { "dns": "emea.corp.contoso.com", "netbios": "EMEA", "forest": "corp.contoso.com", "functional_level": "%LEVEL%",
      "kdc": "%KDC%", "dcs": ["dc2"] }
  ],
  "accounts": [
    { "name": "CORP\\alice" },
    { "name": "CORP\\carol", "sensitive": true },
    { "name": "CORP\\dave", "groups": ["Protected Users"] },
    { "name": "CORP\\erin", "enabled": false },
    { "name": "CORP\\frank" },
    { "name": "EMEA\\frank" },
    { "name": "CORP\\svc-plain", "spns": ["HTTP/plain.corp.contoso.com"] },
    { "name": "CORP\\svc-kcd", "spns": ["HTTP/kcd.corp.contoso.com"],
      "allowed_to_delegate_to": ["MSSQLSvc/sql.corp.contoso.com:1433"] },
    { "name": "CORP\\svc-pt", "spns": ["HTTP/pt.corp.contoso.com"], "trusted_to_auth_for_delegation": true,
      "allowed_to_delegate_to": ["MSSQLSvc/sql.corp.contoso.com:1433"] },
    { "name": "CORP\\svc-unc", "spns": ["HTTP/unc.corp.contoso.com"], "trusted_for_delegation": true },
    { "name": "CORP\\svc-front", "spns": ["HTTP/front.corp.contoso.com"] },
    { "name": "CORP\\svc-off", "spns": ["HTTP/off.corp.contoso.com"], "enabled": false },
    { "name": "CORP\\svc-sql", "spns": ["MSSQLSvc/sql.corp.contoso.com:1433"] },
    { "name": "CORP\\svc-rbcd", "spns": ["MSSQLSvc/rbcd.corp.contoso.com:1433"], "allowed_to_act": ["CORP\\svc-front"] },
    { "name": "EMEA\\svc-app", "spns": ["HTTP/app.emea.corp.contoso.com"] },
    { "name": "EMEA\\svc-erbcd", "spns": ["MSSQLSvc/erbcd.emea.corp.contoso.com:1433"],
      "allowed_to_act": ["CORP\\svc-front"] }
  ],
  "hosts": [
    { "name": "dc1", "domain": "corp.contoso.com", "ip": "10.0.0.10" },
    { "name": "dc2", "domain": "emea.corp.contoso.com", "ip": "10.1.0.10" },
    { "name": "web1", "domain": "corp.contoso.com", "ip": "10.0.0.11", "account": { "spns": ["HTTP/web1.corp.contoso.com"] } }
  ]
})json";

constexpr const char* kSql = "MSSQLSvc/sql.corp.contoso.com:1433";
constexpr const char* kRbcd = "MSSQLSvc/rbcd.corp.contoso.com:1433";

std::string replace(std::string text, const std::string& from, const std::string& to) {
  const auto at = text.find(from);
  REQUIRE(at != std::string::npos);
  return text.replace(at, from.size(), to);
}

// Loads scenario text through a temporary file, as `kerbsim kdc` loads a file.
std::unique_ptr<Scenario> load_text(const std::string& text) {
  static int counter = 0;
  const auto path =
      std::filesystem::temp_directory_path() /
      ("kerbsim-kdc-question-test-" + std::to_string(::getpid()) + "-" + std::to_string(++counter) + ".json");
  std::ofstream(path) << text;
  auto scenario = Scenario::load(path.string());
  std::filesystem::remove(path);
  return scenario;
}

// The world with its domains at one KDC profile and functional level (loaded once each).
const Scenario& world(const std::string& kdc = "windows-2016", const std::string& level = "2016",
                      const std::string& settings = "") {
  static std::map<std::string, std::unique_ptr<Scenario>> loaded;
  auto& s = loaded[kdc + "|" + level + "|" + settings];
  if (!s) {
    std::string text = replace(kWorld, "%SETTINGS%", settings.empty() ? "" : "\"settings\": " + settings + ",");
    for (int domain = 0; domain < 2; ++domain) text = replace(replace(text, "%KDC%", kdc), "%LEVEL%", level);
    s = load_text(text);
  }
  return *s;
}

KdcQuestion as(std::string user) {
  KdcQuestion q;
  q.kind = KdcQuestionKind::As;
  q.user = std::move(user);
  return q;
}
KdcQuestion tgs(std::string user, std::string spn) {
  KdcQuestion q = as(std::move(user));
  q.kind = KdcQuestionKind::Tgs;
  q.spn = std::move(spn);
  return q;
}
KdcQuestion s4u2self(std::string service, std::string user) {
  KdcQuestion q = as(std::move(user));
  q.kind = KdcQuestionKind::S4u2Self;
  q.service = std::move(service);
  return q;
}
KdcQuestion s4u2proxy(std::string service, std::string user, std::string spn) {
  KdcQuestion q = s4u2self(std::move(service), std::move(user));
  q.kind = KdcQuestionKind::S4u2Proxy;
  q.spn = std::move(spn);
  return q;
}
KdcQuestion forward_tgt(std::string user) {
  KdcQuestion q = as(std::move(user));
  q.kind = KdcQuestionKind::ForwardTgt;
  return q;
}
// --evidence user-ticket
KdcQuestion user_ticket(KdcQuestion q) {
  q.user_ticket_evidence = true;
  return q;
}
// --not-forwardable
KdcQuestion not_forwardable(KdcQuestion q) {
  q.forwardable = false;
  return q;
}

KdcAnswer ask(const KdcQuestion& q, const std::string& kdc = "windows-2016", const std::string& level = "2016") {
  return world(kdc, level).ask_kdc(q);
}

// Each exchange as "FROM -> TO: MESSAGE", in order.
Lines exchanges(const KdcAnswer& a) {
  Lines out;
  for (const auto& s : a.steps) out.push_back(s.from + " -> " + s.to + ": " + s.message);
  return out;
}

Lines rules(const KdcAnswer& a) {
  Lines out;
  for (const auto& s : a.steps) out.push_back(s.rule);
  return out;
}

// What holds for every answer the KDC gave: steps numbered from 1, each with its reason and rule;
// only the last may have failed, and it failed exactly when the answer is a refusal; the answer's
// reason is the last step's.
void check_narration(const KdcAnswer& a) {
  INFO("steps: " << Catch::Detail::stringify(exchanges(a)));
  REQUIRE(a.problem.empty());
  REQUIRE_FALSE(a.steps.empty());
  for (std::size_t i = 0; i < a.steps.size(); ++i) {
    const Step& s = a.steps[i];
    CHECK(s.seq == static_cast<int>(i) + 1);
    CHECK(!s.why.empty());
    CHECK((s.rule.rfind("kerberos-rules R", 0) == 0 || s.rule.rfind("samba-kdc-notes", 0) == 0));
    CHECK((s.kind == StepKind::AsExchange || s.kind == StepKind::TgsExchange));
    if (i + 1 < a.steps.size()) CHECK_FALSE(s.failed);
  }
  const Step& last = a.steps.back();
  CHECK(last.failed == !a.ok);
  CHECK(a.reason == last.why + " [" + last.rule + "]");
  if (a.ok) {
    CHECK_FALSE(a.error);
    CHECK_FALSE(a.status);
    CHECK(a.etype);
    CHECK(a.lifetime_s);
    CHECK(a.encrypted_for);
  } else {
    REQUIRE(a.error);
    CHECK_THAT(last.result, StartsWith("KRB-ERROR " + *a.error));
    CHECK(a.flags.empty());
    CHECK_FALSE(a.etype);
    CHECK_FALSE(a.lifetime_s);
    CHECK_FALSE(a.encrypted_for);
  }
}

// A granted answer: the ticket's flags, etype, lifetime and the account whose key encrypts it.
void check_ticket(const KdcAnswer& a, const Flags& flags, const std::string& etype, std::int64_t lifetime_s,
                  const std::string& encrypted_for) {
  check_narration(a);
  REQUIRE(a.ok);
  CHECK(a.flags == flags);
  CHECK(a.etype.value_or("(none)") == etype);
  CHECK(a.lifetime_s.value_or(-1) == lifetime_s);
  CHECK(a.encrypted_for.value_or("(none)") == encrypted_for);
}

// A refusal: the KRB-ERROR and, for KDC_ERR_BADOPTION, the NTSTATUS of its e-data ("" = none).
void check_refusal(const KdcAnswer& a, const std::string& error, const std::string& status = "") {
  check_narration(a);
  REQUIRE_FALSE(a.ok);
  CHECK(a.error.value_or("(none)") == error);
  CHECK(a.status.value_or("") == status);
}

constexpr std::int64_t k10h = 10 * 3600;
constexpr std::int64_t k4h = 4 * 3600;

}  // namespace

// ---- each kind of question ---------------------------------------------------------------------

TEST_CASE("kdc as: the user's TGT from its domain's KDC", "[flow][kdc]") {
  SECTION("a plain user: forwardable, 10 hours, AES256, for the domain's krbtgt") {
    const auto a = ask(as("alice"));
    check_ticket(a, {"forwardable", "renewable", "initial", "pre_authent"}, "aes256", k10h, "CORP\\krbtgt");
    REQUIRE(a.steps.size() == 1);
    const Step& s = a.steps[0];
    CHECK(s.kind == StepKind::AsExchange);
    CHECK(s.from == "CORP\\alice");
    CHECK(s.to == "dc1");
    CHECK(s.message == "AS-REQ CORP\\alice (forwardable requested)");
    CHECK(s.result == "TGT (aes256, kvno 1)");
    CHECK(s.rule == "kerberos-rules R2.9");
    CHECK_THAT(Catch::Detail::stringify(s.details), Contains("event 4768"));
  }
  SECTION("--not-forwardable: the same TGT without the flag, and the request says so") {
    const auto a = ask(not_forwardable(as("alice")));
    check_ticket(a, {"renewable", "initial", "pre_authent"}, "aes256", k10h, "CORP\\krbtgt");
    CHECK(a.steps[0].message == "AS-REQ CORP\\alice (forwardable not requested)");
    CHECK_THAT(Catch::Detail::stringify(a.steps[0].details), Contains("did not ask for a forwardable ticket"));
  }
  SECTION("a sensitive user: never forwardable") {
    const auto a = ask(as("carol"));
    check_ticket(a, {"renewable", "initial", "pre_authent"}, "aes256", k10h, "CORP\\krbtgt");
    CHECK(a.steps[0].rule == "kerberos-rules R3.5.1");
  }
  SECTION("a Protected User at the 2016 level: not forwardable, 4 hours") {
    const auto a = ask(as("dave"));
    check_ticket(a, {"renewable", "initial", "pre_authent"}, "aes256", k4h, "CORP\\krbtgt");
    CHECK_THAT(Catch::Detail::stringify(a.steps[0].details), Contains("Protected Users"));
  }
  SECTION("a disabled user: KDC_ERR_CLIENT_REVOKED") {
    const auto a = ask(as("erin"));
    check_refusal(a, "KDC_ERR_CLIENT_REVOKED");
    CHECK(a.steps.size() == 1);
  }
  SECTION("a user of the child domain asks the child domain's DC") {
    const auto a = ask(as("EMEA\\frank"));
    check_ticket(a, {"forwardable", "renewable", "initial", "pre_authent"}, "aes256", k10h, "EMEA\\krbtgt");
    CHECK(exchanges(a) == Lines{"EMEA\\frank -> dc2: AS-REQ EMEA\\frank (forwardable requested)"});
  }
}

TEST_CASE("kdc tgs: a TGT, then the service ticket", "[flow][kdc]") {
  SECTION("an SPN of a user account: the account's key, the user's TGT's flags") {
    const auto a = ask(tgs("alice", "HTTP/plain.corp.contoso.com"));
    check_ticket(a, {"forwardable", "renewable", "pre_authent"}, "aes256", k10h, "CORP\\svc-plain");
    CHECK(exchanges(a) == Lines{"CORP\\alice -> dc1: AS-REQ CORP\\alice (forwardable requested)",
                                "CORP\\alice -> dc1: TGS-REQ HTTP/plain.corp.contoso.com"});
    CHECK(a.steps[0].kind == StepKind::AsExchange);
    CHECK(a.steps[1].kind == StepKind::TgsExchange);
    CHECK(rules(a) == Lines{"kerberos-rules R2.9", "kerberos-rules R1.3"});
    CHECK(a.steps[1].result == "ticket for CORP\\svc-plain (aes256, kvno 1)");
  }
  SECTION("a service trusted for unconstrained delegation: ok_as_delegate") {
    check_ticket(ask(tgs("alice", "HTTP/unc.corp.contoso.com")),
                 {"forwardable", "renewable", "pre_authent", "ok_as_delegate"}, "aes256", k10h, "CORP\\svc-unc");
  }
  SECTION("a computer's SPN: its key, AES256 from its msDS-SupportedEncryptionTypes") {
    check_ticket(ask(tgs("alice", "HTTP/web1.corp.contoso.com")), {"forwardable", "renewable", "pre_authent"}, "aes256",
                 k10h, "CORP\\WEB1$");
  }
  SECTION("--not-forwardable: the service ticket is not forwardable either") {
    const auto a = ask(not_forwardable(tgs("alice", "HTTP/plain.corp.contoso.com")));
    check_ticket(a, {"renewable", "pre_authent"}, "aes256", k10h, "CORP\\svc-plain");
    CHECK(a.steps[0].message == "AS-REQ CORP\\alice (forwardable not requested)");
  }
  SECTION("a Protected User: the ticket ends with the 4-hour TGT") {
    check_ticket(ask(tgs("dave", "HTTP/plain.corp.contoso.com")), {"renewable", "pre_authent"}, "aes256", k4h,
                 "CORP\\svc-plain");
  }
  SECTION("an SPN nobody holds: KDC_ERR_S_PRINCIPAL_UNKNOWN at the TGS exchange") {
    const auto a = ask(tgs("alice", "HTTP/nobody.corp.contoso.com"));
    check_refusal(a, "KDC_ERR_S_PRINCIPAL_UNKNOWN");
    CHECK(a.steps.size() == 2);
  }
  SECTION("a service of the child domain: a referral from dc1, the ticket from dc2") {
    const auto a = ask(tgs("alice", "HTTP/app.emea.corp.contoso.com"));
    check_ticket(a, {"forwardable", "renewable", "pre_authent"}, "aes256", k10h, "EMEA\\svc-app");
    CHECK(exchanges(a) == Lines{"CORP\\alice -> dc1: AS-REQ CORP\\alice (forwardable requested)",
                                "CORP\\alice -> dc1: TGS-REQ HTTP/app.emea.corp.contoso.com",
                                "CORP\\alice -> dc2: TGS-REQ HTTP/app.emea.corp.contoso.com"});
    CHECK(a.steps[1].result == "referral TGT for EMEA.CORP.CONTOSO.COM");
    CHECK(rules(a) == Lines{"kerberos-rules R2.9", "kerberos-rules R1.12", "kerberos-rules R1.3"});
  }
  SECTION("a disabled user never reaches the TGS exchange") {
    const auto a = ask(tgs("erin", "HTTP/plain.corp.contoso.com"));
    check_refusal(a, "KDC_ERR_CLIENT_REVOKED");
    CHECK(a.steps.size() == 1);
  }
}

TEST_CASE("kdc s4u2self: the service's TGT, then a ticket to itself for the user", "[flow][kdc]") {
  SECTION("protocol transition: forwardable, encrypted for the service itself") {
    const auto a = ask(s4u2self("svc-pt", "alice"));
    check_ticket(a, {"forwardable", "renewable", "pre_authent"}, "aes256", k10h, "CORP\\svc-pt");
    CHECK(exchanges(a) == Lines{"CORP\\svc-pt -> dc1: AS-REQ CORP\\svc-pt (forwardable requested)",
                                "CORP\\svc-pt -> dc1: TGS-REQ to itself for CORP\\alice (S4U2Self)"});
    CHECK(rules(a) == Lines{"kerberos-rules R2.9", "kerberos-rules R3.3.2"});
    CHECK_THAT(a.reason, Contains("Use any authentication protocol"));
  }
  SECTION("no delegation at all (empty list): forwardable on Windows Server 2016") {
    const auto a = ask(s4u2self("svc-plain", "alice"));
    check_ticket(a, {"forwardable", "renewable", "pre_authent"}, "aes256", k10h, "CORP\\svc-plain");
    CHECK(a.steps[1].rule == "kerberos-rules R3.3.2");
  }
  SECTION("Kerberos-only constrained delegation: not forwardable") {
    const auto a = ask(s4u2self("svc-kcd", "alice"));
    check_ticket(a, {"renewable", "pre_authent"}, "aes256", k10h, "CORP\\svc-kcd");
    CHECK_THAT(a.reason, Contains("Use Kerberos only"));
  }
  SECTION("a sensitive user: not forwardable, whatever the service's settings") {
    const auto a = ask(s4u2self("svc-pt", "carol"));
    check_ticket(a, {"renewable", "pre_authent"}, "aes256", k10h, "CORP\\svc-pt");
    CHECK(a.steps[1].rule == "kerberos-rules R3.5.1");
  }
  SECTION("a Protected User at the 2016 level: not forwardable") {
    const auto a = ask(s4u2self("svc-pt", "dave"));
    check_ticket(a, {"renewable", "pre_authent"}, "aes256", k10h, "CORP\\svc-pt");
    CHECK(a.steps[1].rule == "kerberos-rules R3.5.1");
  }
  SECTION("the service's own TGT is requested forwardable even with --not-forwardable") {
    const auto a = ask(not_forwardable(s4u2self("svc-pt", "alice")));
    CHECK(a.flags == Flags{"forwardable", "renewable", "pre_authent"});
    CHECK(a.steps[0].message == "AS-REQ CORP\\svc-pt (forwardable requested)");
  }
  SECTION("a disabled user: KDC_ERR_CLIENT_REVOKED") {
    const auto a = ask(s4u2self("svc-pt", "erin"));
    check_refusal(a, "KDC_ERR_CLIENT_REVOKED");
    CHECK(a.steps.size() == 2);
    CHECK(a.steps[1].rule == "kerberos-rules R2.10");
  }
  SECTION("an unknown user: KDC_ERR_C_PRINCIPAL_UNKNOWN at the S4U2Self exchange") {
    const auto a = ask(s4u2self("svc-pt", "mallory"));
    check_refusal(a, "KDC_ERR_C_PRINCIPAL_UNKNOWN");
    CHECK(a.steps.size() == 2);
    CHECK(a.steps[1].message == "TGS-REQ to itself for CORP\\mallory (S4U2Self)");
  }
  SECTION("an account without an SPN cannot ask: KDC_ERR_S_PRINCIPAL_UNKNOWN") {
    const auto a = ask(s4u2self("alice", "carol"));
    check_refusal(a, "KDC_ERR_S_PRINCIPAL_UNKNOWN");
    CHECK(a.steps[1].rule == "kerberos-rules R3.3.1");
  }
  SECTION("a disabled service gets no TGT, so asks nothing more") {
    const auto a = ask(s4u2self("svc-off", "alice"));
    check_refusal(a, "KDC_ERR_CLIENT_REVOKED");
    CHECK(exchanges(a) == Lines{"CORP\\svc-off -> dc1: AS-REQ CORP\\svc-off (forwardable requested)"});
  }
  SECTION("the computer account of a host") {
    check_ticket(ask(s4u2self("WEB1$", "alice")), {"forwardable", "renewable", "pre_authent"}, "aes256", k10h,
                 "CORP\\WEB1$");
  }
}

TEST_CASE("kdc s4u2proxy with S4U2Self evidence: TGT, S4U2Self, then S4U2Proxy", "[flow][kdc]") {
  SECTION("protocol transition to a listed SPN: a forwardable ticket for the back end") {
    const auto a = ask(s4u2proxy("svc-pt", "alice", kSql));
    check_ticket(a, {"forwardable", "renewable", "pre_authent"}, "aes256", k10h, "CORP\\svc-sql");
    CHECK(exchanges(a) ==
          Lines{"CORP\\svc-pt -> dc1: AS-REQ CORP\\svc-pt (forwardable requested)",
                "CORP\\svc-pt -> dc1: TGS-REQ to itself for CORP\\alice (S4U2Self)",
                "CORP\\svc-pt -> dc1: TGS-REQ MSSQLSvc/sql.corp.contoso.com:1433 (S4U2Proxy, evidence: the S4U2Self "
                "ticket)"});
    CHECK(rules(a) == Lines{"kerberos-rules R2.9", "kerberos-rules R3.3.2", "kerberos-rules R3.2.3"});
    CHECK(a.steps[2].result == "ticket for CORP\\svc-sql (aes256, kvno 1)");
  }
  SECTION("an SPN not in the list: STATUS_NO_MATCH") {
    const auto a = ask(s4u2proxy("svc-pt", "alice", "HTTP/plain.corp.contoso.com"));
    check_refusal(a, "KDC_ERR_BADOPTION", "STATUS_NO_MATCH");
    CHECK(a.steps.size() == 3);
  }
  SECTION("no delegation configured: STATUS_NOT_SUPPORTED") {
    check_refusal(ask(s4u2proxy("svc-plain", "alice", kSql)), "KDC_ERR_BADOPTION", "STATUS_NOT_SUPPORTED");
  }
  SECTION("Kerberos-only KCD: the S4U2Self ticket is not forwardable, STATUS_ACCOUNT_RESTRICTION") {
    const auto a = ask(s4u2proxy("svc-kcd", "alice", kSql));
    check_refusal(a, "KDC_ERR_BADOPTION", "STATUS_ACCOUNT_RESTRICTION");
    CHECK(a.steps[1].result == "ticket for CORP\\svc-kcd (aes256, kvno 1)");
    CHECK(rules(a).back() == "kerberos-rules R3.2.3");
  }
  SECTION("a Protected User at the 2016 level cannot be delegated") {
    check_refusal(ask(s4u2proxy("svc-pt", "dave", kSql)), "KDC_ERR_BADOPTION", "STATUS_ACCOUNT_RESTRICTION");
  }
  SECTION("resource-based delegation allows the front end the back end names") {
    const auto a = ask(s4u2proxy("svc-front", "alice", kRbcd));
    check_ticket(a, {"forwardable", "renewable", "pre_authent"}, "aes256", k10h, "CORP\\svc-rbcd");
    CHECK(rules(a).back() == "kerberos-rules R3.4.2");
  }
  SECTION("an S4U2Self refusal ends the question before S4U2Proxy") {
    const auto a = ask(s4u2proxy("svc-pt", "erin", kSql));
    check_refusal(a, "KDC_ERR_CLIENT_REVOKED");
    CHECK(a.steps.size() == 2);
  }
}

TEST_CASE("kdc s4u2proxy with the user's own ticket: both TGTs, the user's ticket, then S4U2Proxy", "[flow][kdc]") {
  SECTION("Kerberos-only KCD with a forwardable user ticket: granted") {
    const auto a = ask(user_ticket(s4u2proxy("svc-kcd", "alice", kSql)));
    check_ticket(a, {"forwardable", "renewable", "pre_authent"}, "aes256", k10h, "CORP\\svc-sql");
    CHECK(exchanges(a) ==
          Lines{"CORP\\svc-kcd -> dc1: AS-REQ CORP\\svc-kcd (forwardable requested)",
                "CORP\\alice -> dc1: AS-REQ CORP\\alice (forwardable requested)",
                "CORP\\alice -> dc1: TGS-REQ HTTP/kcd.corp.contoso.com",
                "CORP\\svc-kcd -> dc1: TGS-REQ MSSQLSvc/sql.corp.contoso.com:1433 (S4U2Proxy, evidence: the user's "
                "ticket)"});
    CHECK(rules(a) ==
          Lines{"kerberos-rules R2.9", "kerberos-rules R2.9", "kerberos-rules R1.3", "kerberos-rules R3.2.3"});
  }
  SECTION("--not-forwardable: the user's ticket is not forwardable, STATUS_ACCOUNT_RESTRICTION") {
    const auto a = ask(not_forwardable(user_ticket(s4u2proxy("svc-kcd", "alice", kSql))));
    check_refusal(a, "KDC_ERR_BADOPTION", "STATUS_ACCOUNT_RESTRICTION");
    REQUIRE(a.steps.size() == 4);
    CHECK(a.steps[0].message == "AS-REQ CORP\\svc-kcd (forwardable requested)");
    CHECK(a.steps[1].message == "AS-REQ CORP\\alice (forwardable not requested)");
  }
  SECTION("a sensitive user's ticket is not forwardable") {
    check_refusal(ask(user_ticket(s4u2proxy("svc-kcd", "carol", kSql))), "KDC_ERR_BADOPTION",
                  "STATUS_ACCOUNT_RESTRICTION");
  }
  SECTION("resource-based delegation with the user's ticket") {
    check_ticket(ask(user_ticket(s4u2proxy("svc-front", "alice", kRbcd))), {"forwardable", "renewable", "pre_authent"},
                 "aes256", k10h, "CORP\\svc-rbcd");
  }
  SECTION("a disabled user gets no TGT, so there is no evidence") {
    const auto a = ask(user_ticket(s4u2proxy("svc-kcd", "erin", kSql)));
    check_refusal(a, "KDC_ERR_CLIENT_REVOKED");
    CHECK(a.steps.size() == 2);
  }
  SECTION("a service without an SPN: no user can reach it, a problem") {
    const auto a = ask(user_ticket(s4u2proxy("alice", "carol", kSql)));
    CHECK_FALSE(a.ok);
    CHECK_THAT(a.problem, Contains("holds no SPN"));
  }
}

TEST_CASE("kdc forward-tgt: the user's TGT, then a forwarded TGT", "[flow][kdc]") {
  SECTION("a forwardable TGT: forwarded, no longer initial") {
    const auto a = ask(forward_tgt("alice"));
    check_ticket(a, {"forwardable", "forwarded", "renewable", "pre_authent"}, "aes256", k10h, "CORP\\krbtgt");
    CHECK(exchanges(a) == Lines{"CORP\\alice -> dc1: AS-REQ CORP\\alice (forwardable requested)",
                                "CORP\\alice -> dc1: TGS-REQ krbtgt/CORP.CONTOSO.COM (forwarded TGT)"});
    CHECK(rules(a) == Lines{"kerberos-rules R2.9", "kerberos-rules R3.1.2"});
  }
  SECTION("--not-forwardable: KDC_ERR_BADOPTION") {
    const auto a = ask(not_forwardable(forward_tgt("alice")));
    check_refusal(a, "KDC_ERR_BADOPTION");
    CHECK(a.steps[1].rule == "kerberos-rules R3.1.3");
  }
  SECTION("a sensitive user: KDC_ERR_BADOPTION, and the reason names the setting") {
    const auto a = ask(forward_tgt("carol"));
    check_refusal(a, "KDC_ERR_BADOPTION");
    CHECK_THAT(a.reason, Contains("sensitive"));
  }
  SECTION("a Protected User: KDC_ERR_BADOPTION, and the reason names the group") {
    const auto a = ask(forward_tgt("dave"));
    check_refusal(a, "KDC_ERR_BADOPTION");
    CHECK_THAT(a.reason, Contains("Protected Users"));
  }
  SECTION("a disabled user: refused at the AS exchange") {
    const auto a = ask(forward_tgt("erin"));
    check_refusal(a, "KDC_ERR_CLIENT_REVOKED");
    CHECK(a.steps.size() == 1);
  }
}

// ---- account names -----------------------------------------------------------------------------

TEST_CASE("kdc: an account is named as in the scenario, by sAMAccountName or as user@realm", "[flow][kdc]") {
  const auto [name, account, dc] = GENERATE(table<std::string, std::string, std::string>({
      {"CORP\\alice", "CORP\\alice", "dc1"},
      {"corp\\ALICE", "CORP\\alice", "dc1"},
      {"alice", "CORP\\alice", "dc1"},
      {"alice@corp.contoso.com", "CORP\\alice", "dc1"},
      {"ALICE@CORP.CONTOSO.COM", "CORP\\alice", "dc1"},
      {"WEB1$", "CORP\\WEB1$", "dc1"},
      {"web1$", "CORP\\WEB1$", "dc1"},
      {"EMEA\\frank", "EMEA\\frank", "dc2"},
      {"frank@emea.corp.contoso.com", "EMEA\\frank", "dc2"},
  }));
  INFO(name);
  const auto a = ask(as(name));
  check_narration(a);
  CHECK(a.ok);
  REQUIRE(a.steps.size() == 1);
  CHECK(a.steps[0].from == account);
  CHECK(a.steps[0].to == dc);
  CHECK(a.steps[0].message == "AS-REQ " + account + " (forwardable requested)");
}

TEST_CASE("kdc: names in the other arguments resolve the same way", "[flow][kdc]") {
  const auto a = ask(s4u2proxy("svc-pt@corp.contoso.com", "alice@CORP.CONTOSO.COM", kSql));
  check_ticket(a, {"forwardable", "renewable", "pre_authent"}, "aes256", k10h, "CORP\\svc-sql");
  CHECK(a.steps[1].message == "TGS-REQ to itself for CORP\\alice (S4U2Self)");
}

TEST_CASE("kdc: an unknown name still reaches the KDC, which does not know it", "[flow][kdc]") {
  SECTION("a bare name goes to the first domain") {
    const auto a = ask(as("mallory"));
    check_refusal(a, "KDC_ERR_C_PRINCIPAL_UNKNOWN");
    CHECK(exchanges(a) == Lines{"CORP\\mallory -> dc1: AS-REQ CORP\\mallory (forwardable requested)"});
    CHECK(a.steps[0].rule == "kerberos-rules R5.1");
  }
  SECTION("a name with its domain goes to that domain") {
    const auto a = ask(as("EMEA\\mallory"));
    check_refusal(a, "KDC_ERR_C_PRINCIPAL_UNKNOWN");
    CHECK(a.steps.at(0).to == "dc2");
  }
  SECTION("user@realm of a known realm") {
    const auto a = ask(tgs("mallory@emea.corp.contoso.com", "HTTP/app.emea.corp.contoso.com"));
    check_refusal(a, "KDC_ERR_C_PRINCIPAL_UNKNOWN");
    CHECK(exchanges(a) == Lines{"EMEA\\mallory -> dc2: AS-REQ EMEA\\mallory (forwardable requested)"});
  }
}

TEST_CASE("kdc: a name the question cannot place is a problem, and no KDC is asked", "[flow][kdc]") {
  SECTION("a sAMAccountName in two domains") {
    const auto a = ask(as("frank"));
    CHECK_THAT(a.problem, Contains("more than one domain") && Contains("DOMAIN\\frank"));
    CHECK(a.steps.empty());
    CHECK_FALSE(a.ok);
  }
  SECTION("the ambiguous name as the user of an S4U2Self question") {
    const auto a = ask(s4u2self("svc-pt", "frank"));
    CHECK_THAT(a.problem, Contains("more than one domain"));
    CHECK_FALSE(a.ok);
  }
  SECTION("a NetBIOS domain the scenario lacks") {
    const auto a = ask(as("NOPE\\alice"));
    CHECK(a.problem == "the scenario has no domain NOPE");
    CHECK(a.steps.empty());
  }
  SECTION("a scenario without any domain") {
    const auto s = load_text(R"({ "format": "kerbsim/1", "name": "no-domain", "title": "No domain",
      "hosts": [ { "name": "ws1", "ip": "10.0.0.5" } ] })");
    const auto a = s->ask_kdc(as("alice"));
    CHECK_THAT(a.problem, Contains("no domain"));
    CHECK(a.steps.empty());
  }
}

// ---- the KDC profiles --------------------------------------------------------------------------

TEST_CASE("samba-4.17 differs from windows-2016 where a real Samba 4.17 KDC was seen to", "[flow][kdc][profile]") {
  SECTION("S4U2Self of a service with an empty delegation list: forwardable only on Windows") {
    check_ticket(ask(s4u2self("svc-plain", "alice"), "windows-2016"), {"forwardable", "renewable", "pre_authent"},
                 "aes256", k10h, "CORP\\svc-plain");
    const auto samba = ask(s4u2self("svc-plain", "alice"), "samba-4.17", "2008R2");
    check_ticket(samba, {"renewable", "pre_authent"}, "rc4", k10h, "CORP\\svc-plain");
    CHECK(samba.steps[1].rule == "samba-kdc-notes (S4U2Self forwardable flag)");
    // Protocol transition makes it forwardable on both.
    CHECK(ask(s4u2self("svc-pt", "alice"), "samba-4.17", "2008R2").flags ==
          Flags{"forwardable", "renewable", "pre_authent"});
  }
  SECTION("Protected Users at the 2008 R2 level: enforced by Samba, not by Windows") {
    check_ticket(ask(as("dave"), "windows-2016", "2008R2"), {"forwardable", "renewable", "initial", "pre_authent"},
                 "aes256", k10h, "CORP\\krbtgt");
    check_ticket(ask(as("dave"), "samba-4.17", "2008R2"), {"renewable", "initial", "pre_authent"}, "aes256", k4h,
                 "CORP\\krbtgt");
    check_refusal(ask(forward_tgt("dave"), "samba-4.17", "2008R2"), "KDC_ERR_BADOPTION");
    CHECK(ask(forward_tgt("dave"), "windows-2016", "2008R2").ok);
  }
  SECTION("Samba enforces Protected Users at the AS exchange only, not at S4U2Self") {
    CHECK(ask(s4u2self("svc-pt", "dave"), "windows-2016").flags == Flags{"renewable", "pre_authent"});
    CHECK(ask(s4u2self("svc-pt", "dave"), "samba-4.17", "2008R2").flags ==
          Flags{"forwardable", "renewable", "pre_authent"});
    CHECK(ask(s4u2proxy("svc-pt", "dave", kSql), "samba-4.17", "2008R2").ok);
    // A sensitive user stays non-forwardable on both.
    CHECK(ask(s4u2self("svc-pt", "carol"), "samba-4.17", "2008R2").flags == Flags{"renewable", "pre_authent"});
  }
  SECTION("resource-based delegation: evaluated by Windows, never by Samba") {
    check_ticket(ask(user_ticket(s4u2proxy("svc-front", "alice", kRbcd)), "windows-2016"),
                 {"forwardable", "renewable", "pre_authent"}, "aes256", k10h, "CORP\\svc-rbcd");
    const auto samba = ask(user_ticket(s4u2proxy("svc-front", "alice", kRbcd)), "samba-4.17", "2008R2");
    check_refusal(samba, "KDC_ERR_BADOPTION", "STATUS_NOT_SUPPORTED");
    CHECK(samba.steps.back().rule == "samba-kdc-notes (RBCD)");
  }
  SECTION("non-forwardable evidence: Windows answers with the NTSTATUS, Samba refuses before the list") {
    for (const auto& q :
         {s4u2proxy("svc-kcd", "alice", kSql), not_forwardable(user_ticket(s4u2proxy("svc-kcd", "alice", kSql)))}) {
      check_refusal(ask(q, "windows-2016"), "KDC_ERR_BADOPTION", "STATUS_ACCOUNT_RESTRICTION");
      const auto samba = ask(q, "samba-4.17", "2008R2");
      check_refusal(samba, "KDC_ERR_BADOPTION");
      CHECK(samba.steps.back().rule == "samba-kdc-notes (classic KCD)");
      CHECK_THAT(samba.reason, Contains("not forwardable"));
    }
    // Samba's S4U2Self ticket of a service without protocol transition is never forwardable, so even
    // resource-based delegation's S4U2Self evidence is refused there first.
    check_refusal(ask(s4u2proxy("svc-front", "alice", kRbcd), "samba-4.17", "2008R2"), "KDC_ERR_BADOPTION");
  }
  SECTION("default ticket etype for an account without msDS-SupportedEncryptionTypes: AES256 versus RC4") {
    check_ticket(ask(tgs("alice", "HTTP/plain.corp.contoso.com"), "windows-2016"),
                 {"forwardable", "renewable", "pre_authent"}, "aes256", k10h, "CORP\\svc-plain");
    const auto samba = ask(tgs("alice", "HTTP/plain.corp.contoso.com"), "samba-4.17", "2008R2");
    check_ticket(samba, {"forwardable", "renewable", "pre_authent"}, "rc4", k10h, "CORP\\svc-plain");
    CHECK(samba.steps[1].result == "ticket for CORP\\svc-plain (rc4, kvno 1)");
    CHECK(ask(s4u2proxy("svc-pt", "alice", kSql), "samba-4.17", "2008R2").etype.value_or("") == "rc4");
    // TGTs and a computer's tickets (its attribute is set) are AES256 on both.
    CHECK(ask(as("alice"), "samba-4.17", "2008R2").etype.value_or("") == "aes256");
    CHECK(ask(tgs("alice", "HTTP/web1.corp.contoso.com"), "samba-4.17", "2008R2").etype.value_or("") == "aes256");
  }
  SECTION("a scenario's default_enctypes overrides the profile's default") {
    const auto a = world("samba-4.17", "2008R2", R"({ "default_enctypes": ["aes256", "aes128"] })")
                       .ask_kdc(tgs("alice", "HTTP/plain.corp.contoso.com"));
    check_ticket(a, {"forwardable", "renewable", "pre_authent"}, "aes256", k10h, "CORP\\svc-plain");
  }
  SECTION("S4U2Self for a disabled user: KDC_ERR_CLIENT_REVOKED versus KDC_ERR_POLICY") {
    check_refusal(ask(s4u2self("svc-pt", "erin"), "windows-2016"), "KDC_ERR_CLIENT_REVOKED");
    const auto samba = ask(s4u2self("svc-pt", "erin"), "samba-4.17", "2008R2");
    check_refusal(samba, "KDC_ERR_POLICY");
    CHECK(samba.steps.back().rule == "samba-kdc-notes (disabled accounts)");
    // The AS exchange of a disabled user is refused the same way by both.
    check_refusal(ask(as("erin"), "samba-4.17", "2008R2"), "KDC_ERR_CLIENT_REVOKED");
  }
  SECTION("a forwarded TGT: ok_as_delegate from Samba only") {
    check_ticket(ask(forward_tgt("alice"), "windows-2016"), {"forwardable", "forwarded", "renewable", "pre_authent"},
                 "aes256", k10h, "CORP\\krbtgt");
    check_ticket(ask(forward_tgt("alice"), "samba-4.17", "2008R2"),
                 {"forwardable", "forwarded", "renewable", "pre_authent", "ok_as_delegate"}, "aes256", k10h,
                 "CORP\\krbtgt");
  }
  SECTION("a Protected User's service ticket: renewable on Windows, not on Samba") {
    check_ticket(ask(tgs("dave", "HTTP/plain.corp.contoso.com"), "windows-2016"), {"renewable", "pre_authent"},
                 "aes256", k4h, "CORP\\svc-plain");
    check_ticket(ask(tgs("dave", "HTTP/plain.corp.contoso.com"), "samba-4.17", "2008R2"), {"pre_authent"}, "rc4", k4h,
                 "CORP\\svc-plain");
    // A plain user's ticket can be renewed past its end, so Samba keeps the flag.
    CHECK(ask(tgs("alice", "HTTP/plain.corp.contoso.com"), "samba-4.17", "2008R2").flags ==
          Flags{"forwardable", "renewable", "pre_authent"});
  }
}

TEST_CASE("windows-2012r2 issues RC4 tickets by default and otherwise answers as Windows Server 2016",
          "[flow][kdc][profile]") {
  const std::string kdc = "windows-2012r2";
  check_ticket(ask(tgs("alice", "HTTP/plain.corp.contoso.com"), kdc), {"forwardable", "renewable", "pre_authent"},
               "rc4", k10h, "CORP\\svc-plain");
  CHECK(ask(as("alice"), kdc).etype.value_or("") == "aes256");
  CHECK(ask(tgs("alice", "HTTP/web1.corp.contoso.com"), kdc).etype.value_or("") == "aes256");
  CHECK(ask(s4u2self("svc-plain", "alice"), kdc).flags == Flags{"forwardable", "renewable", "pre_authent"});
  check_ticket(ask(user_ticket(s4u2proxy("svc-front", "alice", kRbcd)), kdc),
               {"forwardable", "renewable", "pre_authent"}, "rc4", k10h, "CORP\\svc-rbcd");
  check_refusal(ask(s4u2self("svc-pt", "erin"), kdc), "KDC_ERR_CLIENT_REVOKED");
  CHECK(ask(forward_tgt("alice"), kdc).flags == Flags{"forwardable", "forwarded", "renewable", "pre_authent"});
  CHECK(ask(tgs("dave", "HTTP/plain.corp.contoso.com"), kdc).flags == Flags{"renewable", "pre_authent"});
}

// ---- the JSON document -------------------------------------------------------------------------

TEST_CASE("kdc: the JSON answer has every key, null where a refusal has no value", "[flow][kdc]") {
  const Lines keys{"ok", "error", "status", "flags", "lifetime", "encrypted_for", "etype", "reason", "steps"};
  const auto key_list = [](const Value& v) {
    Lines out;
    for (const auto& [k, ignored] : v.as_object()) out.push_back(k);
    return out;
  };
  const Value granted = to_value(ask(s4u2proxy("svc-pt", "alice", kSql)));
  CHECK(key_list(granted) == keys);
  CHECK(granted.find("ok")->as_bool());
  CHECK(granted.find("error")->is_null());
  CHECK(granted.find("lifetime")->as_int() == k10h);
  CHECK(granted.find("encrypted_for")->as_string() == "CORP\\svc-sql");
  CHECK(granted.find("steps")->as_array().size() == 3);
  CHECK(granted.find("steps")->as_array()[1].find("kind")->as_string() == "tgs");

  const Value refused = to_value(ask(s4u2proxy("svc-kcd", "alice", kSql)));
  CHECK(key_list(refused) == keys);
  CHECK_FALSE(refused.find("ok")->as_bool());
  CHECK(refused.find("error")->as_string() == "KDC_ERR_BADOPTION");
  CHECK(refused.find("status")->as_string() == "STATUS_ACCOUNT_RESTRICTION");
  CHECK(refused.find("flags")->as_array().empty());
  for (const char* k : {"lifetime", "encrypted_for", "etype"}) CHECK(refused.find(k)->is_null());
}

// ---- referrals, reasons, realms -----------------------------------------------------------------

TEST_CASE("kdc s4u2self for a user of another domain follows the referral", "[flow][kdc]") {
  const auto a = ask(s4u2self("svc-pt", "EMEA\\frank"));
  CHECK(a.ok);
  CHECK(a.encrypted_for.value_or("") == "CORP\\svc-pt");
  REQUIRE(a.steps.size() == 3);
  CHECK(a.steps[1].to == "dc1");
  CHECK(a.steps[2].to == "dc2");
  check_narration(a);
}

TEST_CASE("kdc s4u2proxy to a back end of another domain follows the referral", "[flow][kdc]") {
  const auto a = ask(s4u2proxy("svc-front", "alice", "MSSQLSvc/erbcd.emea.corp.contoso.com:1433"));
  CHECK(a.ok);
  CHECK(a.encrypted_for.value_or("") == "EMEA\\svc-erbcd");
  REQUIRE(a.steps.size() == 4);
  CHECK(a.steps[3].to == "dc2");
  CHECK(a.steps[3].rule == "kerberos-rules R3.4.2");
  check_narration(a);
}

TEST_CASE("kdc as --not-forwardable: the reason does not call the TGT forwardable", "[flow][kdc]") {
  const auto a = ask(not_forwardable(as("alice")));
  CHECK(a.flags == Flags{"renewable", "initial", "pre_authent"});
  CHECK_THAT(a.steps.at(0).why, !Contains(", forwardable"));
  CHECK_THAT(a.reason, !Contains(", forwardable"));
}

TEST_CASE("kdc: user@realm of a realm the scenario lacks is a problem", "[flow][kdc]") {
  const auto a = ask(as("alice@fabrikam.com"));
  CHECK_THAT(a.problem, Contains("fabrikam.com"));
  CHECK(a.steps.empty());
}
