// Process identities: how each type is written in a scenario, shows up locally, holds a Kerberos
// key and is described (iis-rules 1.2, 2.1, 2.6, 6.1; kerberos-rules R2.1).
#include <catch2/catch.hpp>

#include "web/identity.h"

using namespace kerbsim::web;

namespace {

const std::string kComputer = "CORP\\WEB1$";

}  // namespace

TEST_CASE("parse_identity reads the built-in names in either spelling, case-insensitively", "[identity]") {
  CHECK(parse_identity("ApplicationPoolIdentity").type == IdentityType::ApplicationPoolIdentity);
  CHECK(parse_identity("applicationpoolidentity").type == IdentityType::ApplicationPoolIdentity);
  CHECK(parse_identity("NetworkService").type == IdentityType::NetworkService);
  CHECK(parse_identity("NT AUTHORITY\\NETWORK SERVICE").type == IdentityType::NetworkService);
  CHECK(parse_identity("LocalService").type == IdentityType::LocalService);
  CHECK(parse_identity("nt authority\\local service").type == IdentityType::LocalService);
  CHECK(parse_identity("LocalSystem").type == IdentityType::LocalSystem);
  CHECK(parse_identity("NT AUTHORITY\\SYSTEM").type == IdentityType::LocalSystem);
  for (const char* builtin : {"ApplicationPoolIdentity", "NetworkService", "LocalService", "LocalSystem"})
    CHECK(parse_identity(builtin).account.empty());
}

TEST_CASE("parse_identity reads virtual accounts and keeps any other name as a domain account", "[identity]") {
  const ProcessIdentity sql = parse_identity("NT SERVICE\\MSSQLSERVER");
  CHECK(sql.type == IdentityType::VirtualAccount);
  CHECK(sql.account == "NT SERVICE\\MSSQLSERVER");
  const ProcessIdentity named = parse_identity("nt service\\MSSQL$HR");
  CHECK(named.type == IdentityType::VirtualAccount);
  CHECK(named.account == "nt service\\MSSQL$HR");

  const ProcessIdentity user = parse_identity("CORP\\svc-web");
  CHECK(user.type == IdentityType::DomainAccount);
  CHECK(user.account == "CORP\\svc-web");
  const ProcessIdentity gmsa = parse_identity("CORP\\gmsa-web$");
  CHECK(gmsa.type == IdentityType::DomainAccount);
  CHECK(gmsa.account == "CORP\\gmsa-web$");
}

TEST_CASE("local_name is how the identity appears on its own machine", "[identity]") {
  // iis-rules 2.1
  CHECK(ProcessIdentity{IdentityType::ApplicationPoolIdentity, ""}.local_name("Reports") == "IIS APPPOOL\\Reports");
  CHECK(ProcessIdentity{IdentityType::NetworkService, ""}.local_name("Reports") == "NT AUTHORITY\\NETWORK SERVICE");
  CHECK(ProcessIdentity{IdentityType::LocalService, ""}.local_name("Reports") == "NT AUTHORITY\\LOCAL SERVICE");
  CHECK(ProcessIdentity{IdentityType::LocalSystem, ""}.local_name("Reports") == "NT AUTHORITY\\SYSTEM");
  CHECK(parse_identity("NT SERVICE\\MSSQLSERVER").local_name("") == "NT SERVICE\\MSSQLSERVER");
  CHECK(parse_identity("CORP\\svc-web").local_name("Reports") == "CORP\\svc-web");
  // iis-rules 1.2: IWAM_<MACHINE> is an account of the machine's own SAM.
  CHECK(ProcessIdentity{IdentityType::LocalAccount, "WEB1\\IWAM_WEB1"}.local_name("") == "WEB1\\IWAM_WEB1");
}

TEST_CASE("key_account: built-in and virtual identities hold the computer's key", "[identity]") {
  // iis-rules 2.6, 6.1; kerberos-rules R2.1
  for (const auto type : {IdentityType::ApplicationPoolIdentity, IdentityType::NetworkService,
                          IdentityType::LocalService, IdentityType::LocalSystem}) {
    CHECK(ProcessIdentity{type, ""}.key_account(kComputer) == kComputer);
    CHECK(ProcessIdentity{type, ""}.key_account("").empty());  // a workgroup host (iis-rules 2.5)
  }
  CHECK(parse_identity("NT SERVICE\\MSSQLSERVER").key_account(kComputer) == kComputer);
}

TEST_CASE("key_account: a domain account holds its own key, a local account none", "[identity]") {
  CHECK(parse_identity("CORP\\svc-web").key_account(kComputer) == "CORP\\svc-web");
  CHECK(parse_identity("CORP\\gmsa-web$").key_account("") == "CORP\\gmsa-web$");
  CHECK(ProcessIdentity{IdentityType::LocalAccount, "WEB1\\IWAM_WEB1"}.key_account(kComputer).empty());
}

TEST_CASE("describe names each identity type, or the account", "[identity]") {
  CHECK(ProcessIdentity{IdentityType::ApplicationPoolIdentity, ""}.describe() == "ApplicationPoolIdentity");
  CHECK(ProcessIdentity{IdentityType::NetworkService, ""}.describe() == "NetworkService");
  CHECK(ProcessIdentity{IdentityType::LocalService, ""}.describe() == "LocalService");
  CHECK(ProcessIdentity{IdentityType::LocalSystem, ""}.describe() == "LocalSystem");
  CHECK(parse_identity("NT SERVICE\\MSSQLSERVER").describe() == "NT SERVICE\\MSSQLSERVER");
  CHECK(parse_identity("CORP\\svc-web").describe() == "CORP\\svc-web");
  CHECK(ProcessIdentity{IdentityType::LocalAccount, "WEB1\\IWAM_WEB1"}.describe() == "WEB1\\IWAM_WEB1");
}

TEST_CASE("only a domain account is not built in", "[identity]") {
  CHECK_FALSE(parse_identity("CORP\\svc-web").built_in());
  CHECK(parse_identity("NetworkService").built_in());
  CHECK(parse_identity("NT SERVICE\\MSSQLSERVER").built_in());
  // The default is ApplicationPoolIdentity.
  CHECK(ProcessIdentity{}.type == IdentityType::ApplicationPoolIdentity);
  CHECK(ProcessIdentity{}.built_in());
}
