// SQL Server instances: the SPNs an instance registers for itself, the TCP SPN clients build, and the
// account a service identity may write its own SPNs on (iis-rules 6.1-6.5, kerberos-rules R1.11).
#include <catch2/catch.hpp>

#include "backend/sql.h"

using namespace kerbsim;
using namespace kerbsim::backend;

namespace {

const std::string kFqdn = "sql1.corp.contoso.com";
const std::string kComputer = "CORP\\SQL1$";

SqlInstance instance(const std::string& name, int port, const std::string& account) {
  SqlInstance i;
  i.name = name;
  i.port = port;
  i.service_account = web::parse_identity(account);
  return i;
}

std::vector<std::string> texts(const std::vector<directory::Spn>& spns) {
  std::vector<std::string> out;
  for (const auto& s : spns) out.push_back(s.to_string());
  return out;
}

}  // namespace

TEST_CASE("a default instance registers the TCP SPN and the named-pipes SPN without a port", "[sql]") {
  const SqlInstance i = instance("MSSQLSERVER", 1433, "NT SERVICE\\MSSQLSERVER");
  CHECK(i.default_instance());
  // kerberos-rules R1.11
  CHECK(texts(i.own_spns(kFqdn)) ==
        std::vector<std::string>{"MSSQLSvc/sql1.corp.contoso.com:1433", "MSSQLSvc/sql1.corp.contoso.com"});
  CHECK(i.tcp_spn(kFqdn).to_string() == "MSSQLSvc/sql1.corp.contoso.com:1433");
}

TEST_CASE("a named instance registers its port and its instance name, in the colon form", "[sql]") {
  const SqlInstance i = instance("SALES", 49800, "NT SERVICE\\MSSQL$SALES");
  CHECK_FALSE(i.default_instance());
  // kerberos-rules R1.11, iis-rules 6.2: the colon form is canonical.
  CHECK(texts(i.own_spns(kFqdn)) ==
        std::vector<std::string>{"MSSQLSvc/sql1.corp.contoso.com:49800", "MSSQLSvc/sql1.corp.contoso.com:SALES"});
  CHECK(i.tcp_spn("sql1").to_string() == "MSSQLSvc/sql1:49800");
}

TEST_CASE("a default-constructed instance is the default instance on port 1433", "[sql]") {
  const SqlInstance i;
  CHECK(i.name == "MSSQLSERVER");
  CHECK(i.port == 1433);
  CHECK_FALSE(i.dynamic_port);
  CHECK(i.default_instance());
}

TEST_CASE("built-in and virtual service accounts register SPNs on the computer account", "[sql]") {
  // iis-rules 6.3
  for (const char* account : {"NT SERVICE\\MSSQLSERVER", "NetworkService", "LocalSystem"}) {
    INFO(account);
    CHECK(instance("MSSQLSERVER", 1433, account).self_registration_account(kComputer) == kComputer);
  }
}

TEST_CASE("a gMSA registers on itself, a plain domain user on nothing", "[sql]") {
  // iis-rules 6.3
  CHECK(instance("MSSQLSERVER", 1433, "CORP\\gmsa-sql$").self_registration_account(kComputer) == "CORP\\gmsa-sql$");
  CHECK(instance("MSSQLSERVER", 1433, "CORP\\svc-sql").self_registration_account(kComputer).empty());
}

TEST_CASE("LocalService, a null session on the network, cannot write SPNs in the directory", "[sql]") {
  // iis-rules 6.3 lists LocalSystem, NETWORK SERVICE, virtual accounts and MSAs as the identities that
  // register on the computer or MSA object; LocalService acts on the network as a null session (iis-rules 2.1).
  CHECK(instance("MSSQLSERVER", 1433, "LocalService").self_registration_account(kComputer).empty());
}

TEST_CASE("SqlServer finds an instance by name, case-insensitively", "[sql]") {
  SqlServer server;
  server.instances.push_back(instance("MSSQLSERVER", 1433, "NT SERVICE\\MSSQLSERVER"));
  server.instances.push_back(instance("SALES", 1500, "NT SERVICE\\MSSQL$SALES"));
  REQUIRE(server.instance("sales") != nullptr);
  CHECK(server.instance("sales")->port == 1500);
  REQUIRE(server.instance("MSSQLServer") != nullptr);
  CHECK(server.instance("MSSQLServer")->port == 1433);
  CHECK(server.instance("HR") == nullptr);
}
