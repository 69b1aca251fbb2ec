// Timeline changes: what each action edits in the modelled environment, what it leaves alone, and
// how the report words it.
#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "farm/change.h"
#include "support/corp.h"

using namespace kerbsim;
using engine::kMinute;
using farm::Action;
using farm::apply_change;
using farm::Change;
using farm::describe;

namespace {

// web1 runs IIS (pool and site "Portal" as CORP\svc-portal); CORP\svc-portal holds one SPN.
farm::Environment world() {
  farm::Environment env;
  env.directory.add_domain({"corp.contoso.com", "CORP", "corp.contoso.com", "2016", {"dc1"}});
  env.directory.add_account(test::corp_user("svc-portal", {"HTTP/portal.corp.contoso.com"}));
  env.directory.add_account(test::corp_user("alice"));
  env.directory.add_account(test::corp_computer("web1"));
  env.hosts.push_back(test::corp_iis_node("web1", "10.0.0.11", "CORP\\svc-portal"));
  env.hosts.push_back(test::corp_client("ws1", "10.0.1.21", "CORP\\alice"));
  return env;
}

Change make(Action action) {
  Change c;
  c.action = action;
  return c;
}

const directory::Account& account(const farm::Environment& env, const std::string& name) {
  const auto id = env.directory.find_account(name);
  REQUIRE(id);
  return env.directory.account(*id);
}

const web::Site& site(const farm::Environment& env) { return env.hosts[0].iis->sites[0]; }
const web::AppPool& pool(const farm::Environment& env) { return env.hosts[0].iis->app_pools[0]; }

// Everything a change could touch, as text, to show that a change touched nothing.
std::string snapshot(const farm::Environment& env) {
  std::string s;
  for (const auto& a : env.directory.accounts()) {
    s += a.name + " kvno " + std::to_string(a.kvno) + " tfd " + std::to_string(a.trusted_for_delegation) + " t2a " +
         std::to_string(a.trusted_to_auth_for_delegation) + " sensitive " + std::to_string(a.sensitive) + ":";
    for (const auto& x : a.spns) s += " " + x;
    for (const auto& x : a.allowed_to_delegate_to) s += " a2d " + x;
    for (const auto& x : a.allowed_to_act) s += " a2a " + x;
    s += "\n";
  }
  for (const auto& h : env.hosts) {
    s += h.name + " clock " + std::to_string(h.clock_offset) + "\n";
    if (!h.iis) continue;
    for (const auto& p : h.iis->app_pools) s += p.name + " runs as " + p.identity.describe() + "\n";
    for (const auto& st : h.iis->sites)
      s += st.name + " uapc " + std::to_string(st.use_app_pool_credentials) + " kernel " +
           std::to_string(st.kernel_mode) + "\n";
  }
  return s;
}

}  // namespace

TEST_CASE("add_spn and remove_spn edit the account's SPNs and the directory's index", "[workload][changes]") {
  auto env = world();
  Change c = make(Action::AddSpn);
  c.account = "CORP\\svc-portal";
  c.spn = test::spn("HTTP/portal");
  CHECK(apply_change(env, c).what == "HTTP/portal added to CORP\\svc-portal");
  CHECK(account(env, "CORP\\svc-portal").spns ==
        std::vector<std::string>{"HTTP/portal.corp.contoso.com", "HTTP/portal"});
  auto found = env.directory.lookup_spn(kerbsim::test::spn("http/PORTAL"), "corp.contoso.com");
  REQUIRE(found.status == directory::SpnLookup::Status::Found);
  CHECK(env.directory.account(found.owners.at(0)).name == "CORP\\svc-portal");

  c.action = Action::RemoveSpn;
  c.spn = test::spn("HTTP/portal.corp.contoso.com");
  CHECK(apply_change(env, c).what == "HTTP/portal.corp.contoso.com removed from CORP\\svc-portal");
  CHECK(account(env, "CORP\\svc-portal").spns == std::vector<std::string>{"HTTP/portal"});
  CHECK(env.directory.lookup_spn(kerbsim::test::spn("HTTP/portal.corp.contoso.com"), "corp.contoso.com").status ==
        directory::SpnLookup::Status::NotFound);
}

TEST_CASE("set_delegation changes only the settings it names", "[workload][changes]") {
  auto env = world();
  Change c = make(Action::SetDelegation);
  c.account = "CORP\\svc-portal";
  c.trusted_to_auth_for_delegation = true;
  c.allowed_to_delegate_to = std::vector<std::string>{"MSSQLSvc/sql1.corp.contoso.com:1433", "HTTP/api"};
  CHECK(apply_change(env, c).what ==
        "CORP\\svc-portal: trusted_to_auth_for_delegation = true, allowed_to_delegate_to = "
        "[MSSQLSvc/sql1.corp.contoso.com:1433, HTTP/api]");
  const auto& a = account(env, "CORP\\svc-portal");
  CHECK(a.trusted_to_auth_for_delegation);
  CHECK_FALSE(a.trusted_for_delegation);
  CHECK_FALSE(a.sensitive);
  CHECK(a.allowed_to_delegate_to.size() == 2);
  CHECK(a.allowed_to_act.empty());

  Change d = make(Action::SetDelegation);
  d.account = "CORP\\svc-portal";
  d.trusted_for_delegation = true;
  d.sensitive = true;
  d.allowed_to_act = std::vector<std::string>{"CORP\\WEB1$"};
  CHECK(apply_change(env, d).what ==
        "CORP\\svc-portal: trusted_for_delegation = true, sensitive = true, allowed_to_act = [CORP\\WEB1$]");
  CHECK(a.trusted_for_delegation);
  CHECK(a.trusted_to_auth_for_delegation);  // untouched by the second change
  CHECK(a.sensitive);
  CHECK(a.allowed_to_delegate_to.size() == 2);
  CHECK(a.allowed_to_act == std::vector<std::string>{"CORP\\WEB1$"});

  Change off = make(Action::SetDelegation);
  off.account = "CORP\\svc-portal";
  off.trusted_for_delegation = false;
  off.allowed_to_delegate_to = std::vector<std::string>{};
  CHECK(apply_change(env, off).what == "CORP\\svc-portal: trusted_for_delegation = false, allowed_to_delegate_to = []");
  CHECK_FALSE(a.trusted_for_delegation);
  CHECK(a.allowed_to_delegate_to.empty());
}

TEST_CASE("password_change moves the account's kvno on by one", "[workload][changes]") {
  auto env = world();
  Change c = make(Action::PasswordChange);
  c.account = "CORP\\svc-portal";
  CHECK(account(env, "CORP\\svc-portal").kvno == 1);
  CHECK(apply_change(env, c).what == "new password for CORP\\svc-portal (kvno + 1)");
  CHECK(account(env, "CORP\\svc-portal").kvno == 2);
  apply_change(env, c);
  CHECK(account(env, "CORP\\svc-portal").kvno == 3);
  CHECK(account(env, "CORP\\alice").kvno == 1);
}

TEST_CASE("change_app_pool_identity, set_use_app_pool_credentials and set_kernel_mode edit IIS on the host",
          "[workload][changes]") {
  auto env = world();
  Change c = make(Action::ChangeAppPoolIdentity);
  c.host = "WEB1";  // host and pool names match case-insensitively
  c.app_pool = "portal";
  c.identity = web::parse_identity("NetworkService");
  CHECK(apply_change(env, c).what == "app pool portal on WEB1 runs as NetworkService");
  CHECK(pool(env).identity.type == web::IdentityType::NetworkService);

  Change u = make(Action::SetUseAppPoolCredentials);
  u.host = "web1";
  u.site = "Portal";
  u.value = true;
  CHECK_FALSE(site(env).use_app_pool_credentials);
  CHECK(apply_change(env, u).what == "useAppPoolCredentials = true for site Portal on web1");
  CHECK(site(env).use_app_pool_credentials);
  u.value = false;
  CHECK(apply_change(env, u).what == "useAppPoolCredentials = false for site Portal on web1");
  CHECK_FALSE(site(env).use_app_pool_credentials);

  Change k = make(Action::SetKernelMode);
  k.host = "web1";
  k.site = "PORTAL";
  k.value = false;
  CHECK(site(env).kernel_mode);
  CHECK(apply_change(env, k).what == "useKernelMode = false for site PORTAL on web1");
  CHECK_FALSE(site(env).kernel_mode);
}

TEST_CASE("changes that do not edit the environment return nothing and touch nothing", "[workload][changes]") {
  auto env = world();
  const std::string before = snapshot(env);
  const Action action = GENERATE(Action::AppPoolRestart, Action::PurgeTickets, Action::NodeDown, Action::NodeUp,
                                 Action::DcDown, Action::DcUp, Action::ClockStep, Action::ClockDrift);
  INFO(farm::action_name(action));
  Change c = make(action);
  c.host = "web1";
  c.app_pool = "Portal";
  c.dc = "dc1";
  c.offset = 10 * kMinute;
  CHECK(apply_change(env, c).what.empty());
  CHECK(snapshot(env) == before);
  CHECK_FALSE(c.in_directory());
}

TEST_CASE("a change naming an account, host, pool or site that does not exist edits nothing", "[workload][changes]") {
  auto env = world();
  const std::string before = snapshot(env);
  Change c = make(GENERATE(Action::AddSpn, Action::RemoveSpn, Action::SetDelegation, Action::PasswordChange,
                           Action::ChangeAppPoolIdentity, Action::SetUseAppPoolCredentials, Action::SetKernelMode));
  INFO(farm::action_name(c.action));
  c.account = "CORP\\nobody";
  c.spn = test::spn("HTTP/portal.corp.contoso.com");
  c.trusted_for_delegation = true;
  c.host = GENERATE(as<std::string>{}, "web9", "ws1");  // ws1 exists but runs no IIS
  c.app_pool = "Portal";
  c.site = "Portal";
  c.identity = web::parse_identity("NetworkService");
  c.value = true;
  apply_change(env, c);
  CHECK(snapshot(env) == before);

  c.host = "web1";
  c.app_pool = "Other";
  c.site = "Other";
  apply_change(env, c);
  CHECK(snapshot(env) == before);
}

TEST_CASE("a change applied to a clone leaves the original environment as it was", "[workload][changes]") {
  const auto env = world();
  const std::string before = snapshot(env);
  auto view = env.clone();
  Change spn = make(Action::AddSpn);
  spn.account = "CORP\\alice";
  spn.spn = test::spn("HTTP/alice");
  Change pw = make(Action::PasswordChange);
  pw.account = "CORP\\svc-portal";
  Change id = make(Action::ChangeAppPoolIdentity);
  id.host = "web1";
  id.app_pool = "Portal";
  id.identity = web::parse_identity("LocalSystem");
  for (const auto& c : {spn, pw, id}) apply_change(view, c);
  CHECK(snapshot(env) == before);
  CHECK(snapshot(view) != before);
  CHECK(env.directory.lookup_spn(kerbsim::test::spn("HTTP/alice"), "corp.contoso.com").status ==
        directory::SpnLookup::Status::NotFound);
  CHECK(view.directory.lookup_spn(kerbsim::test::spn("HTTP/alice"), "corp.contoso.com").status ==
        directory::SpnLookup::Status::Found);
}

TEST_CASE("describe() words every action for the report", "[workload][changes]") {
  Change c;
  c.account = "CORP\\svc-portal";
  c.spn = test::spn("HTTP/portal.corp.contoso.com");
  c.host = "web1";
  c.app_pool = "Portal";
  c.site = "Portal";
  c.dc = "dc2";
  c.identity = web::parse_identity("CORP\\gmsa-portal$");
  c.value = true;
  const auto text = [&](Action a) {
    c.action = a;
    return describe(c);
  };
  CHECK(text(Action::AddSpn) == "HTTP/portal.corp.contoso.com added to CORP\\svc-portal");
  CHECK(text(Action::RemoveSpn) == "HTTP/portal.corp.contoso.com removed from CORP\\svc-portal");
  CHECK(text(Action::PasswordChange) == "new password for CORP\\svc-portal (kvno + 1)");
  CHECK(text(Action::ChangeAppPoolIdentity) == "app pool Portal on web1 runs as CORP\\gmsa-portal$");
  CHECK(text(Action::SetUseAppPoolCredentials) == "useAppPoolCredentials = true for site Portal on web1");
  CHECK(text(Action::SetKernelMode) == "useKernelMode = true for site Portal on web1");
  CHECK(text(Action::AppPoolRestart) == "app pool Portal on web1 restarted");
  CHECK(text(Action::PurgeTickets) == "klist purge on every client");
  c.clients = {"ws1", "ws9"};
  CHECK(text(Action::PurgeTickets) == "klist purge on ws1, ws9");
  CHECK(text(Action::NodeDown) == "web1 out of service");
  CHECK(text(Action::NodeUp) == "web1 back in service");
  CHECK(text(Action::DcDown) == "dc2 down");
  CHECK(text(Action::DcUp) == "dc2 back up");
  c.host = "ws9";
  c.offset = -7 * kMinute;
  CHECK(text(Action::ClockStep) == "ws9's clock moves by -7m");
  c.offset = 90 * engine::kSecond;
  CHECK(text(Action::ClockDrift) == "ws9's clock drifts by 1m30s per hour");
  c.offset = 0;
  CHECK(text(Action::ClockDrift) == "ws9's clock drifts by 0s per hour");
  c.trusted_to_auth_for_delegation = false;
  CHECK(text(Action::SetDelegation) == "CORP\\svc-portal: trusted_to_auth_for_delegation = false");
}

TEST_CASE("action names are the scenario's, and only directory writes wait for replication", "[workload][changes]") {
  const std::vector<std::pair<Action, std::string>> names = {
      {Action::AddSpn, "add_spn"},
      {Action::RemoveSpn, "remove_spn"},
      {Action::ChangeAppPoolIdentity, "change_app_pool_identity"},
      {Action::SetUseAppPoolCredentials, "set_use_app_pool_credentials"},
      {Action::SetKernelMode, "set_kernel_mode"},
      {Action::SetDelegation, "set_delegation"},
      {Action::PasswordChange, "password_change"},
      {Action::AppPoolRestart, "app_pool_restart"},
      {Action::PurgeTickets, "purge_tickets"},
      {Action::NodeDown, "node_down"},
      {Action::NodeUp, "node_up"},
      {Action::DcDown, "dc_down"},
      {Action::DcUp, "dc_up"},
      {Action::ClockStep, "clock_step"},
      {Action::ClockDrift, "clock_drift"},
      {Action::AddKdsRootKey, "add_kds_root_key"},
      {Action::SetSqlPort, "set_sql_port"},
  };
  for (const auto& [action, name] : names) {
    INFO(name);
    CHECK(farm::action_name(action) == name);
    const bool directory = name == "add_spn" || name == "remove_spn" || name == "set_delegation" ||
                           name == "password_change" || name == "add_kds_root_key";
    CHECK(make(action).in_directory() == directory);
  }
}

TEST_CASE("create_account adds the account once, and it reaches the DCs like any directory write", "[changes]") {
  auto env = world();
  env.directory.add_kds_root_key("corp.contoso.com");
  Change c = make(Action::CreateAccount);
  directory::Account gmsa = test::corp_user("gmsa-portal$", {"HTTP/intranet.corp.contoso.com"});
  gmsa.kind = directory::AccountKind::Gmsa;
  c.new_account = gmsa;
  CHECK(c.in_directory());
  CHECK(apply_change(env, c).what == "CORP\\gmsa-portal$ created");
  const auto id = env.directory.find_account("CORP\\gmsa-portal$");
  REQUIRE(id);
  CHECK(env.directory.account(*id).kind == directory::AccountKind::Gmsa);
  const std::size_t accounts = env.directory.accounts().size();
  apply_change(env, c);  // a second time: already there
  CHECK(env.directory.accounts().size() == accounts);
}

TEST_CASE("the report server's service account and AuthenticationTypes are changes of its host", "[changes]") {
  auto env = world();
  farm::Host rs1 = test::corp_member("rs1", "10.0.0.31");
  rs1.ssrs = backend::SsrsServer{};
  rs1.ssrs->authentication_types = {backend::SsrsAuthType::RSWindowsNTLM};
  rs1.ssrs->authentication_types_defaulted = true;
  env.hosts.push_back(rs1);

  Change account = make(Action::SetSsrsServiceAccount);
  account.host = "rs1";
  account.identity = web::parse_identity("CORP\\gmsa-rs$");
  CHECK_FALSE(account.in_directory());
  CHECK(apply_change(env, account).what == "the report server on rs1 runs as CORP\\gmsa-rs$");
  CHECK(env.host("rs1")->ssrs->service_account.account == "CORP\\gmsa-rs$");

  Change types = make(Action::SetSsrsAuthenticationTypes);
  types.host = "rs1";
  types.authentication_types = {backend::SsrsAuthType::RSWindowsNegotiate, backend::SsrsAuthType::RSWindowsNTLM};
  CHECK(apply_change(env, types).what == "AuthenticationTypes on rs1: RSWindowsNegotiate, RSWindowsNTLM");
  CHECK(env.host("rs1")->ssrs->authentication_types == types.authentication_types);
  CHECK_FALSE(env.host("rs1")->ssrs->authentication_types_defaulted);

  types.host = "web1";  // no report server there: nothing changes
  const std::string before = snapshot(env);
  apply_change(env, types);
  CHECK(snapshot(env) == before);
}

namespace {

// The world with dc1 as a host running `os`: the DC that takes every write.
farm::Environment world_with_dc(const std::string& os) {
  auto env = world();
  farm::Host dc = test::corp_member("dc1", "10.0.0.1");
  dc.os = os;
  env.hosts.push_back(dc);
  return env;
}

Change add_portal_spn_to(const std::string& account, farm::SpnTool tool = farm::SpnTool::Directory) {
  Change c = make(Action::AddSpn);
  c.account = account;
  c.spn = test::spn("HTTP/portal.corp.contoso.com");  // held by CORP\svc-portal
  c.spn_tool = tool;
  return c;
}

}  // namespace

TEST_CASE("a DC of 2012 R2 or later refuses a duplicate SPN with 8467; a 2012 DC writes it", "[changes][rules]") {
  for (const std::string os : {"2012R2", "2016", "2019"}) {
    INFO(os);
    auto env = world_with_dc(os);
    const std::string before = snapshot(env);
    const auto result = apply_change(env, add_portal_spn_to("CORP\\WEB1$"));
    REQUIRE(result.refused());
    CHECK(result.refusal->reason == directory::WriteRefusal::SpnNotUniqueInForest);
    CHECK(directory::windows_error(result.refusal->reason) == 8467);
    CHECK(result.refusal->rule == "kerberos-rules R1.7");
    CHECK(result.what.find("CORP\\svc-portal holds it already") != std::string::npos);
    CHECK(snapshot(env) == before);  // a refused write changes nothing
  }
  auto old = world_with_dc("2012");
  const auto result = apply_change(old, add_portal_spn_to("CORP\\WEB1$"));
  CHECK(result.applied());
  CHECK(old.directory.duplicate_spns().size() == 1);
}

TEST_CASE("setspn -S refuses a duplicate itself, whatever the DC", "[changes][rules]") {
  for (const std::string os : {"2008R2", "2012", "2016"}) {
    INFO(os);
    auto env = world_with_dc(os);
    const auto result = apply_change(env, add_portal_spn_to("CORP\\WEB1$", farm::SpnTool::SetspnS));
    REQUIRE(result.refused());
    CHECK(result.refusal->reason == directory::WriteRefusal::SetspnDuplicateFound);
    CHECK(directory::windows_error(result.refusal->reason) == 0);
  }
  // Writing an SPN the account holds itself is no duplicate.
  auto env = world_with_dc("2016");
  CHECK(apply_change(env, add_portal_spn_to("CORP\\svc-portal", farm::SpnTool::SetspnS)).applied());
}

TEST_CASE("dsHeuristics can turn the DC's uniqueness check off; a replicated write is never refused",
          "[changes][rules]") {
  farm::Environment env;
  directory::Domain corp{"corp.contoso.com", "CORP", "corp.contoso.com", "2016", {"dc1"}};
  corp.spn_uniqueness_check = false;
  env.directory.add_domain(corp);
  env.directory.add_account(test::corp_user("svc-portal", {"HTTP/portal.corp.contoso.com"}));
  env.directory.add_account(test::corp_computer("web1"));
  CHECK(apply_change(env, add_portal_spn_to("CORP\\WEB1$")).applied());

  auto checked = world_with_dc("2016");
  farm::Writer replica = farm::writing_dc(checked, add_portal_spn_to("CORP\\WEB1$"));
  CHECK(replica.dc == "dc1");
  CHECK(replica.os == "2016");
  replica.replicated = true;
  CHECK(apply_change(checked, add_portal_spn_to("CORP\\WEB1$"), replica).applied());
}

TEST_CASE("a gMSA needs a usable KDS root key, and its SPNs are checked when it is created", "[changes][rules]") {
  auto env = world_with_dc("2016");
  Change c = make(Action::CreateAccount);
  directory::Account gmsa = test::corp_user("gmsa-portal$");
  gmsa.kind = directory::AccountKind::Gmsa;
  c.new_account = gmsa;
  auto result = apply_change(env, c);
  REQUIRE(result.refused());
  CHECK(result.refusal->reason == directory::WriteRefusal::NoKdsRootKey);
  CHECK(result.refusal->rule == "kerberos-rules R7.1");
  CHECK_FALSE(env.directory.find_account("CORP\\gmsa-portal$"));

  Change key = make(Action::AddKdsRootKey);
  key.domain = "corp.contoso.com";
  CHECK(apply_change(env, key).applied());
  c.new_account->spns = {"HTTP/portal.corp.contoso.com"};  // still on CORP\svc-portal
  result = apply_change(env, c);
  REQUIRE(result.refused());
  CHECK(result.refusal->reason == directory::WriteRefusal::SpnNotUniqueInForest);
  c.new_account->spns.clear();
  CHECK(apply_change(env, c).applied());
}

TEST_CASE("constrained delegation needs SeEnableDelegationPrivilege; resource-based only write access",
          "[changes][rules]") {
  Change kcd = make(Action::SetDelegation);
  kcd.allowed_to_delegate_to = std::vector<std::string>{"MSSQLSvc/sql1.corp.contoso.com:1433"};
  CHECK(farm::needed_right(kcd) == farm::Right::EnableDelegation);
  Change t2a = make(Action::SetDelegation);
  t2a.trusted_to_auth_for_delegation = true;
  CHECK(farm::needed_right(t2a) == farm::Right::EnableDelegation);
  Change rbcd = make(Action::SetDelegation);
  rbcd.allowed_to_act = std::vector<std::string>{"CORP\\svc-web"};
  CHECK(farm::needed_right(rbcd) == farm::Right::WriteAccount);
  CHECK(farm::right_name(farm::Right::EnableDelegation) == "Domain Admins (SeEnableDelegationPrivilege)");
  CHECK(farm::needed_right(make(Action::AddKdsRootKey)) == farm::Right::ForestKdsRootKey);
  CHECK(farm::needed_right(make(Action::ChangeAppPoolIdentity)) == farm::Right::LocalAdministrator);
  CHECK(farm::needed_right(make(Action::PurgeTickets)) == farm::Right::None);
}
