// SQL Server Reporting Services as a front end: the AuthenticationTypes setup writes, the paths its
// URL reservations serve, whose key decrypts, and the schemes it offers (iis-rules 7.1-7.6).
#include <catch2/catch.hpp>

#include "backend/ssrs.h"

using namespace kerbsim;
using namespace kerbsim::backend;

namespace {

using Types = std::vector<SsrsAuthType>;
const Types kNegotiateAndNtlm = {SsrsAuthType::RSWindowsNegotiate, SsrsAuthType::RSWindowsNTLM};
const Types kNtlmOnly = {SsrsAuthType::RSWindowsNTLM};
const base::HostInfo kRs1{"rs1", "CORP\\RS1$"};

SsrsServer with_types(Types types) {
  SsrsServer s;
  s.authentication_types = std::move(types);
  return s;
}

}  // namespace

TEST_CASE("setup writes RSWindowsNegotiate for NetworkService and LocalSystem, RSWindowsNTLM for a domain account",
          "[ssrs]") {
  // iis-rules 7.3
  CHECK(SsrsServer::default_authentication_types(web::parse_identity("NetworkService")) == kNegotiateAndNtlm);
  CHECK(SsrsServer::default_authentication_types(web::parse_identity("LocalSystem")) == kNegotiateAndNtlm);
  CHECK(SsrsServer::default_authentication_types(web::parse_identity("CORP\\svc-rs")) == kNtlmOnly);
  CHECK(SsrsServer::default_authentication_types(web::parse_identity("CORP\\gmsa-rs$")) == kNtlmOnly);
  // A virtual account acts as the computer on the network, like NetworkService (UNCONFIRMED, iis-rules 7.3).
  CHECK(SsrsServer::default_authentication_types(web::parse_identity("NT SERVICE\\SQLServerReportingServices")) ==
        kNegotiateAndNtlm);
}

TEST_CASE("setup writes RSWindowsNTLM for LocalService, which is neither NetworkService nor LocalSystem", "[ssrs]") {
  // iis-rules 7.3: "RSWindowsNegotiate if the service account is NetworkService or LocalSystem, otherwise
  // RSWindowsNTLM". LocalService has no network identity at all (iis-rules 2.1, 7.4), so the virtual-account
  // reasoning (computer identity) does not apply to it either.
  CHECK(SsrsServer::default_authentication_types(web::parse_identity("LocalService")) == kNtlmOnly);
}

TEST_CASE("auth_type_name spells the rsreportserver.config elements", "[ssrs]") {
  CHECK(auth_type_name(SsrsAuthType::RSWindowsNegotiate) == "RSWindowsNegotiate");
  CHECK(auth_type_name(SsrsAuthType::RSWindowsNTLM) == "RSWindowsNTLM");
  CHECK(auth_type_name(SsrsAuthType::RSWindowsKerberos) == "RSWindowsKerberos");
  CHECK(auth_type_name(SsrsAuthType::RSWindowsBasic) == "RSWindowsBasic");
  CHECK(auth_type_name(SsrsAuthType::Custom) == "Custom");
}

TEST_CASE("the report server serves /ReportServer and /Reports, case-insensitively", "[ssrs]") {
  // iis-rules 7.1: the web service and the portal are URL reservations of the ReportServer service.
  CHECK(SsrsServer::serves_path("/ReportServer"));
  CHECK(SsrsServer::serves_path("/Reports"));
  CHECK(SsrsServer::serves_path("/reports/browse/Sales"));
  CHECK(SsrsServer::serves_path("/REPORTSERVER?/Sales/Q1&rs:Command=Render"));
  CHECK_FALSE(SsrsServer::serves_path("/"));
  CHECK_FALSE(SsrsServer::serves_path(""));
  CHECK_FALSE(SsrsServer::serves_path("/Orders"));
  CHECK_FALSE(SsrsServer::serves_path("/app/Reports"));
}

TEST_CASE("a path that only begins with the reservation's name is not the report server's", "[ssrs]") {
  // iis-rules 7.1: the reservations are http.sys URL prefixes (http://+:80/Reports/), which match whole path
  // segments; /ReportsArchive belongs to whatever else listens on the host (an IIS site).
  CHECK_FALSE(SsrsServer::serves_path("/ReportsArchive"));
  CHECK_FALSE(SsrsServer::serves_path("/ReportServerLegacy/x"));
}

TEST_CASE("SSRS decrypts with its service account's key, the computer's for a built-in account", "[ssrs]") {
  SsrsServer ns;
  ns.service_account = web::parse_identity("NetworkService");
  const base::KeyDecision builtin = ns.decryption_key(kRs1);
  // iis-rules 7.6
  CHECK(builtin.account == "CORP\\RS1$");
  CHECK(builtin.rule == "iis-rules 7.6");
  CHECK(builtin.why.find("computer account's key") != std::string::npos);

  SsrsServer domain;
  domain.service_account = web::parse_identity("CORP\\svc-rs");
  const base::KeyDecision own = domain.decryption_key(kRs1);
  CHECK(own.account == "CORP\\svc-rs");
  CHECK(own.why.find("computer account's key") == std::string::npos);

  // On a workgroup host a built-in account holds no domain key.
  CHECK(ns.decryption_key({"rs9", ""}).account.empty());
}

TEST_CASE("the 401 offers the configured types in order, and Custom offers none", "[ssrs]") {
  // iis-rules 7.2
  const SsrsServer all = with_types({SsrsAuthType::RSWindowsNTLM, SsrsAuthType::RSWindowsNegotiate,
                                     SsrsAuthType::RSWindowsKerberos, SsrsAuthType::RSWindowsBasic});
  CHECK(all.challenge() == std::vector<net::AuthScheme>{net::AuthScheme::Ntlm, net::AuthScheme::Negotiate,
                                                        net::AuthScheme::Kerberos, net::AuthScheme::Basic});
  CHECK(with_types({SsrsAuthType::Custom}).challenge().empty());
  CHECK(with_types({}).challenge().empty());
}

TEST_CASE("Negotiate falls back to NTLM only when RSWindowsNegotiate or RSWindowsNTLM is configured", "[ssrs]") {
  // iis-rules 7.2
  CHECK(with_types(kNegotiateAndNtlm).accepts_ntlm());
  CHECK(with_types({SsrsAuthType::RSWindowsNegotiate}).accepts_ntlm());
  CHECK(with_types(kNtlmOnly).accepts_ntlm());
  CHECK_FALSE(with_types({SsrsAuthType::RSWindowsKerberos}).accepts_ntlm());
  CHECK_FALSE(with_types({SsrsAuthType::RSWindowsBasic}).accepts_ntlm());
  CHECK_FALSE(with_types({SsrsAuthType::Custom}).accepts_ntlm());
  CHECK_FALSE(with_types({}).accepts_ntlm());
}
