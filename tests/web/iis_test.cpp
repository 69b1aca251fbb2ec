#include <catch2/catch.hpp>

#include "web/iis.h"

using namespace kerbsim::web;

namespace {

IisServer server(const std::string& version, const std::string& identity) {
  IisServer iis;
  iis.version = version;
  iis.app_pools.push_back({"Reports", parse_identity(identity)});
  Site site;
  site.name = "Reports";
  site.bindings = {{"http", "*", 80}};
  site.app_pool = "Reports";
  site.windows_enabled = true;
  site.anonymous_enabled = false;
  iis.sites.push_back(site);
  return iis;
}

const kerbsim::base::HostInfo kWeb1{"web1", "CORP\\WEB1$"};

}  // namespace

TEST_CASE("the decryption-key table of iis-rules 3.5", "[iis]") {
  SECTION("IIS 6 uses the app pool identity") {
    auto iis = server("6.0", "CORP\\svc-web");
    REQUIRE(iis.decryption_key(iis.sites[0], kWeb1).account == "CORP\\svc-web");
    auto ns = server("6.0", "NetworkService");
    REQUIRE(ns.decryption_key(ns.sites[0], kWeb1).account == "CORP\\WEB1$");
  }
  SECTION("IIS 7+ kernel mode without useAppPoolCredentials uses the computer key") {
    auto iis = server("10.0", "CORP\\svc-web");
    const auto d = iis.decryption_key(iis.sites[0], kWeb1);
    REQUIRE(d.account == "CORP\\WEB1$");
    REQUIRE(d.rule == "iis-rules 3.5");
  }
  SECTION("useAppPoolCredentials uses the pool identity") {
    auto iis = server("10.0", "CORP\\svc-web");
    iis.sites[0].use_app_pool_credentials = true;
    REQUIRE(iis.decryption_key(iis.sites[0], kWeb1).account == "CORP\\svc-web");
    auto apid = server("10.0", "ApplicationPoolIdentity");
    apid.sites[0].use_app_pool_credentials = true;
    REQUIRE(apid.decryption_key(apid.sites[0], kWeb1).account == "CORP\\WEB1$");
  }
  SECTION("kernel mode off uses the pool identity whatever useAppPoolCredentials says") {
    auto iis = server("8.5", "CORP\\gmsa-web$");
    iis.sites[0].kernel_mode = false;
    REQUIRE(iis.decryption_key(iis.sites[0], kWeb1).account == "CORP\\gmsa-web$");
  }
  SECTION("IIS 5 isolation mode authenticates in inetinfo as LocalSystem") {
    auto iis = server("6.0", "CORP\\svc-web");
    iis.iis5_isolation = true;
    REQUIRE(iis.decryption_key(iis.sites[0], kWeb1).account == "CORP\\WEB1$");
  }
}

TEST_CASE("identities by name: anonymous users and worker processes", "[iis]") {
  auto iis10 = server("10.0", "ApplicationPoolIdentity");
  REQUIRE(iis10.anonymous_identity(iis10.sites[0], kWeb1) == "NT AUTHORITY\\IUSR");
  REQUIRE(iis10.process_identity(iis10.sites[0], kWeb1) == "IIS APPPOOL\\Reports");
  iis10.sites[0].anonymous_user = "";
  REQUIRE(iis10.anonymous_identity(iis10.sites[0], kWeb1) == "IIS APPPOOL\\Reports");
  auto iis6 = server("6.0", "NetworkService");
  REQUIRE(iis6.anonymous_identity(iis6.sites[0], kWeb1) == "WEB1\\IUSR_WEB1");
  REQUIRE(iis6.process_identity(iis6.sites[0], kWeb1) == "NT AUTHORITY\\NETWORK SERVICE");
  iis6.iis5_isolation = true;
  iis6.sites[0].app_isolation = "pooled";
  REQUIRE(iis6.process_identity(iis6.sites[0], kWeb1) == "WEB1\\IWAM_WEB1");
}

TEST_CASE("the challenge lists one scheme per provider in order, then Basic", "[iis]") {
  auto iis = server("10.0", "ApplicationPoolIdentity");
  iis.sites[0].providers = {Provider::Ntlm, Provider::Negotiate};
  iis.sites[0].basic_enabled = true;
  const auto c = iis.challenge(iis.sites[0]);
  REQUIRE(c == std::vector<kerbsim::net::AuthScheme>{kerbsim::net::AuthScheme::Ntlm,
                                                     kerbsim::net::AuthScheme::Negotiate,
                                                     kerbsim::net::AuthScheme::Basic});
}

TEST_CASE("a host header binding beats the wildcard", "[iis]") {
  auto iis = server("10.0", "ApplicationPoolIdentity");
  Site named = iis.sites[0];
  named.name = "Portal";
  named.bindings = {{"http", "portal.corp.contoso.com", 80}};
  iis.sites.push_back(named);
  REQUIRE(iis.site_for("http", "portal.corp.contoso.com", 80)->name == "Portal");
  REQUIRE(iis.site_for("http", "web1", 80)->name == "Reports");
  REQUIRE(iis.site_for("https", "web1", 443) == nullptr);
}

TEST_CASE("content readers decide whether the anonymous identity may read", "[iis]") {
  auto iis = server("10.0", "ApplicationPoolIdentity");
  Site& s = iis.sites[0];
  REQUIRE(may_read_content(s, "NT AUTHORITY\\IUSR", {}));
  s.content_readers = std::vector<std::string>{"IIS_IUSRS"};
  REQUIRE_FALSE(may_read_content(s, "NT AUTHORITY\\IUSR", {}));
  REQUIRE(may_read_content(s, "IIS APPPOOL\\Reports", {"IIS_IUSRS"}));
  s.content_readers = std::vector<std::string>{"IUSR"};
  REQUIRE(may_read_content(s, "NT AUTHORITY\\IUSR", {}));
}
