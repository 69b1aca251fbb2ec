#include <catch2/catch.hpp>

#include "directory/directory.h"
#include "kerberos/etype.h"
#include "support/corp.h"

using namespace kerbsim::directory;

namespace {

Directory corp() {
  Directory dir;
  dir.add_domain({"corp.contoso.com", "CORP", "", "2016", {}});
  dir.add_domain({"emea.corp.contoso.com", "EMEA", "corp.contoso.com", "2016", {}});
  dir.add_domain({"fabrikam.com", "FABRIKAM", "", "2016", {}});
  dir.add_account(kerbsim::test::corp_computer("web1"));
  dir.add_account(kerbsim::test::corp_user("svc-web", {"HTTP/web1.corp.contoso.com", "HTTP/Portal.corp.contoso.com"}));
  Account sql;
  sql.name = "EMEA\\svc-sql";
  sql.domain = "emea.corp.contoso.com";
  sql.sam = "svc-sql";
  sql.spns = {"MSSQLSvc/sql1.emea.corp.contoso.com:1433"};
  dir.add_account(sql);
  return dir;
}

}  // namespace

TEST_CASE("an SPN matches exactly and case-insensitively", "[directory]") {
  const Directory dir = corp();
  const auto r = dir.lookup_spn(kerbsim::test::spn("http/PORTAL.corp.contoso.com"), "corp.contoso.com");
  REQUIRE(r.status == SpnLookup::Status::Found);
  REQUIRE(dir.account(r.owners.front()).name == "CORP\\svc-web");
  REQUIRE_FALSE(r.via_host_mapping);
  REQUIRE(r.rule == "kerberos-rules R1.3");
}

TEST_CASE("HTTP falls back to the computer's HOST SPN only when nobody holds the HTTP SPN", "[directory]") {
  Directory dir = corp();
  Account web2;
  web2.name = "CORP\\WEB2$";
  web2.domain = "corp.contoso.com";
  web2.sam = "WEB2$";
  web2.kind = AccountKind::Computer;
  web2.spns = {"HOST/web2", "HOST/web2.corp.contoso.com"};
  dir.add_account(web2);

  const auto mapped = dir.lookup_spn(kerbsim::test::spn("HTTP/web2.corp.contoso.com"), "corp.contoso.com");
  REQUIRE(mapped.status == SpnLookup::Status::Found);
  REQUIRE(mapped.via_host_mapping);
  REQUIRE(mapped.matched.to_string() == "HOST/web2.corp.contoso.com");
  REQUIRE(dir.account(mapped.owners.front()).name == "CORP\\WEB2$");

  // An explicit HTTP SPN on a service account overrides the implicit HOST mapping (R1.4).
  const auto explicit_spn = dir.lookup_spn(kerbsim::test::spn("HTTP/web1.corp.contoso.com"), "corp.contoso.com");
  REQUIRE(dir.account(explicit_spn.owners.front()).name == "CORP\\svc-web");
  REQUIRE_FALSE(explicit_spn.via_host_mapping);
}

TEST_CASE("a typed lookup ignores case in every part and reports the SPN as asked (R1.8)", "[directory]") {
  const Directory dir = corp();
  const Spn asked{.service_class = "http", .host = "PORTAL.CORP.contoso.com"};
  const auto r = dir.lookup_spn(asked, "corp.contoso.com");
  REQUIRE(r.status == SpnLookup::Status::Found);
  REQUIRE(dir.account(r.owners.front()).name == "CORP\\svc-web");
  REQUIRE_FALSE(r.via_host_mapping);
  REQUIRE(r.matched.to_string() == "http/PORTAL.CORP.contoso.com");
  REQUIRE(r.why == "http/PORTAL.CORP.contoso.com is registered on CORP\\svc-web (exact, case-insensitive match)");
  const auto sql = dir.lookup_spn({.service_class = "mssqlsvc", .host = "SQL1.EMEA.corp.contoso.com", .port = "1433"},
                                  "corp.contoso.com");
  REQUIRE(sql.status == SpnLookup::Status::Found);
  REQUIRE(dir.account(sql.owners.front()).name == "EMEA\\svc-sql");
}

TEST_CASE("a typed lookup maps an sPNMappings alias to the computer's HOST SPN (R1.4)", "[directory]") {
  const Directory dir = corp();
  const auto cifs = dir.lookup_spn({.service_class = "cifs", .host = "WEB1.corp.contoso.com"}, "corp.contoso.com");
  REQUIRE(cifs.status == SpnLookup::Status::Found);
  REQUIRE(cifs.via_host_mapping);
  REQUIRE(cifs.rule == "kerberos-rules R1.4");
  REQUIRE(dir.account(cifs.owners.front()).name == "CORP\\WEB1$");
  // The alias keeps the host part as asked and changes only the service class.
  REQUIRE(cifs.matched.service_class == "HOST");
  REQUIRE(cifs.matched.host == "WEB1.corp.contoso.com");
  REQUIRE(cifs.matched.to_string() == "HOST/WEB1.corp.contoso.com");
  // The short host form is its own SPN, which the computer also holds (R1.5, R1.9).
  const auto short_name = dir.lookup_spn({.service_class = "HTTP", .host = "web1"}, "corp.contoso.com");
  REQUIRE(short_name.status == SpnLookup::Status::Found);
  REQUIRE(short_name.matched.to_string() == "HOST/web1");
  // No alias for a class outside sPNMappings, and the reason names none.
  const auto sql = dir.lookup_spn({.service_class = "MSSQLSvc", .host = "web1"}, "corp.contoso.com");
  REQUIRE(sql.status == SpnLookup::Status::NotFound);
  REQUIRE_FALSE(sql.via_host_mapping);
  REQUIRE(sql.why ==
          "no account in forest corp.contoso.com holds MSSQLSvc/web1 (MSSQLSvc is not in sPNMappings, so there is no "
          "HOST fallback)");
}

TEST_CASE("add_spn and remove_spn take an SPN and compare it case-insensitively", "[directory]") {
  Directory dir = corp();
  const AccountId svc = *dir.find_account("CORP\\svc-web");
  const std::size_t held = dir.account(svc).spns.size();
  dir.add_spn(svc, Spn::parse("HTTP/PORTAL.corp.contoso.com").value());  // held already, in another case
  REQUIRE(dir.account(svc).spns.size() == held);
  dir.add_spn(svc, {.service_class = "HTTP", .host = "Intranet"});
  REQUIRE(dir.account(svc).spns.back() == "HTTP/Intranet");
  REQUIRE(dir.lookup_spn({.service_class = "http", .host = "INTRANET"}, "corp.contoso.com").status ==
          SpnLookup::Status::Found);
  REQUIRE(dir.remove_spn(svc, {.service_class = "http", .host = "intranet"}));
  REQUIRE(dir.account(svc).spns.size() == held);
  REQUIRE_FALSE(dir.remove_spn(svc, {.service_class = "HTTP", .host = "intranet"}));
  REQUIRE(dir.lookup_spn({.service_class = "HTTP", .host = "Intranet"}, "corp.contoso.com").status ==
          SpnLookup::Status::NotFound);
}

TEST_CASE("MSSQLSvc has no HOST fallback", "[directory]") {
  const Directory dir = corp();
  const auto r = dir.lookup_spn(kerbsim::test::spn("MSSQLSvc/web1.corp.contoso.com:1433"), "corp.contoso.com");
  REQUIRE(r.status == SpnLookup::Status::NotFound);
  REQUIRE(r.why.find("not in sPNMappings") != std::string::npos);
}

TEST_CASE("the short and the fully qualified name are different SPNs", "[directory]") {
  const Directory dir = corp();
  REQUIRE(dir.lookup_spn(kerbsim::test::spn("HTTP/portal"), "corp.contoso.com").status == SpnLookup::Status::NotFound);
}

TEST_CASE("an SPN on two accounts is a duplicate", "[directory]") {
  Directory dir = corp();
  Account other;
  other.name = "CORP\\svc-old";
  other.domain = "corp.contoso.com";
  other.sam = "svc-old";
  other.spns = {"HTTP/portal.corp.contoso.com"};
  dir.add_account(other);
  const auto r = dir.lookup_spn(kerbsim::test::spn("HTTP/portal.corp.contoso.com"), "corp.contoso.com");
  REQUIRE(r.status == SpnLookup::Status::Duplicate);
  REQUIRE(r.owners.size() == 2);
  REQUIRE(r.rule == "kerberos-rules R1.7");
  const auto dups = dir.duplicate_spns();
  REQUIRE(dups.size() == 1);
  REQUIRE(dups.front().second.size() == 2);
}

TEST_CASE("the lookup covers the whole forest but not other forests", "[directory]") {
  const Directory dir = corp();
  const auto in_forest =
      dir.lookup_spn(kerbsim::test::spn("MSSQLSvc/sql1.emea.corp.contoso.com:1433"), "corp.contoso.com");
  REQUIRE(in_forest.status == SpnLookup::Status::Found);
  REQUIRE(dir.account(in_forest.owners.front()).domain == "emea.corp.contoso.com");
  REQUIRE(dir.lookup_spn(kerbsim::test::spn("MSSQLSvc/sql1.emea.corp.contoso.com:1433"), "fabrikam.com").status ==
          SpnLookup::Status::NotFound);
}

TEST_CASE("a forest trust is found only in the direction that lets users reach resources", "[directory]") {
  Directory dir = corp();
  Trust t;
  t.from = "fabrikam.com";  // fabrikam trusts corp: corp users reach fabrikam resources
  t.to = "corp.contoso.com";
  t.two_way = false;
  t.outbound = true;
  dir.add_trust(t);
  REQUIRE(dir.forest_trust_between("corp.contoso.com", "fabrikam.com") != nullptr);
  REQUIRE(dir.forest_trust_between("fabrikam.com", "corp.contoso.com") == nullptr);
}

TEST_CASE("a host joining a domain gets NETBIOS\\NAME$ with both HOST SPNs and the computer etypes", "[directory]") {
  Directory dir = corp();
  const Account web2 = dir.joined_computer("emea.corp.contoso.com", "web2", "web2.emea.corp.contoso.com");
  REQUIRE(web2.name == "EMEA\\WEB2$");
  REQUIRE(web2.sam == "WEB2$");
  REQUIRE(web2.domain == "emea.corp.contoso.com");
  REQUIRE(web2.kind == AccountKind::Computer);
  REQUIRE(web2.spns == std::vector<std::string>{"HOST/web2", "HOST/web2.emea.corp.contoso.com"});
  REQUIRE(web2.supported_enctypes == kComputerEnctypes);
  REQUIRE(web2.token_groups == 2);
  REQUIRE_FALSE(web2.trusted_for_delegation);

  const AccountId id = dir.add_computer(web2, "web2");
  REQUIRE_FALSE(dir.account(id).domain_controller);
  REQUIRE_FALSE(dir.account(id).trusted_for_delegation);
  // HOST/web2.emea... answers HTTP/ through sPNMappings once the account is in the directory (R1.4).
  const auto r = dir.lookup_spn(kerbsim::test::spn("HTTP/web2.emea.corp.contoso.com"), "corp.contoso.com");
  REQUIRE(r.status == SpnLookup::Status::Found);
  REQUIRE(r.owners.front() == id);
}

TEST_CASE("the computer etypes are AES256, AES128 and RC4", "[directory]") {
  STATIC_REQUIRE(kComputerEnctypes ==
                 (kerbsim::kerberos::kAes256Bit | kerbsim::kerberos::kAes128Bit | kerbsim::kerberos::kRc4Bit));
}

TEST_CASE("a DC's computer account is trusted for delegation whatever its settings say", "[directory]") {
  Directory dir;
  dir.add_domain({"corp.contoso.com", "CORP", "", "2016", {"dc1", "DC2"}});
  REQUIRE(dir.domain_controller("corp.contoso.com", "dc2"));
  REQUIRE_FALSE(dir.domain_controller("corp.contoso.com", "web1"));
  REQUIRE_FALSE(dir.domain_controller("fabrikam.com", "dc1"));

  Account dc1 = dir.joined_computer("corp.contoso.com", "dc1", "dc1.corp.contoso.com");
  dc1.trusted_for_delegation = false;  // the scenario's settings go on before the account is added
  const AccountId id = dir.add_computer(dc1, "DC1");
  REQUIRE(dir.account(id).name == "CORP\\DC1$");
  REQUIRE(dir.account(id).domain_controller);
  REQUIRE(dir.account(id).trusted_for_delegation);
  REQUIRE(dir.account(id).spns == std::vector<std::string>{"HOST/dc1", "HOST/dc1.corp.contoso.com"});
}

TEST_CASE("an account's domain is the one its NetBIOS prefix names", "[directory]") {
  const Directory dir = corp();
  REQUIRE(dir.domain_of("EMEA\\svc-sql")->dns == "emea.corp.contoso.com");
  REQUIRE(dir.domain_of("corp\\nobody")->dns == "corp.contoso.com");  // the account need not exist
  REQUIRE(dir.domain_of("alice") == nullptr);
  REQUIRE(dir.domain_of("WS1\\bob") == nullptr);
}
