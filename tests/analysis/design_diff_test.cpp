#include "analysis/design_diff.h"

#include <catch2/catch.hpp>
#include <filesystem>
#include <string>

#include "scenario/builder.h"
#include "scenario/loader.h"
#include "support/corp.h"

using namespace kerbsim;

namespace {

farm::Environment bundled(const std::string& name) {
  return scenario::build(scenario::load_file(std::string(KERBSIM_SOURCE_DIR) + "/scenarios/" + name + ".json"));
}

farm::Change change(farm::Action action) {
  farm::Change c;
  c.action = action;
  return c;
}

// The diff of an environment and a copy with one change applied.
// The environment with a usable KDS root key in every forest, so that a gMSA can be created in it
// (kerberos-rules R7.1).
farm::Environment with_kds_root_key(farm::Environment env) {
  std::vector<std::string> forests;
  for (const auto& d : env.directory.domains()) forests.push_back(d.forest);
  for (const auto& f : forests) env.directory.add_kds_root_key(f);
  return env;
}

analysis::DesignDiff diff_after(const std::string& scenario_name, const farm::Change& c) {
  const farm::Environment a =
      c.action == farm::Action::CreateAccount ? with_kds_root_key(bundled(scenario_name)) : bundled(scenario_name);
  farm::Environment b = a.clone();
  static_cast<void>(farm::apply_change(b, c));
  return analysis::design_diff(a, b);
}

}  // namespace

TEST_CASE("every bundled scenario's environment has no design diff with itself", "[design_diff]") {
  for (const auto& entry : std::filesystem::directory_iterator(std::string(KERBSIM_SOURCE_DIR) + "/scenarios")) {
    if (entry.path().extension() != ".json") continue;
    INFO(entry.path().filename().string());
    const farm::Environment a = bundled(entry.path().stem().string());
    const farm::Environment b = a.clone();
    CHECK(analysis::design_diff(a, b).empty());
  }
}

TEST_CASE("each kind of edit is found as the change that makes it", "[design_diff]") {
  std::vector<std::pair<std::string, farm::Change>> cases;
  {
    farm::Change add = change(farm::Action::AddSpn);
    add.account = "CORP\\alice";
    add.spn = test::spn("HTTP/alice.corp.contoso.com");
    cases.emplace_back("ssrs-farm-networkservice", add);
    farm::Change remove = change(farm::Action::RemoveSpn);
    remove.account = "CORP\\WEB1$";
    remove.spn = test::spn("HTTP/reports.corp.contoso.com");
    cases.emplace_back("ssrs-farm-networkservice", remove);
    farm::Change kcd = change(farm::Action::SetDelegation);
    kcd.account = "CORP\\WEB1$";
    kcd.trusted_to_auth_for_delegation = true;
    kcd.allowed_to_delegate_to = std::vector<std::string>{"MSSQLSvc/sql1.corp.contoso.com:1433"};
    cases.emplace_back("ssrs-farm-networkservice", kcd);
    farm::Change sensitive = change(farm::Action::SetDelegation);
    sensitive.account = "CORP\\alice";
    sensitive.sensitive = true;
    cases.emplace_back("ssrs-farm-networkservice", sensitive);
    farm::Change password = change(farm::Action::PasswordChange);
    password.account = "CORP\\alice";
    cases.emplace_back("ssrs-farm-networkservice", password);
    farm::Change create = change(farm::Action::CreateAccount);
    directory::Account g = test::corp_user("gmsa-web$");
    g.kind = directory::AccountKind::Gmsa;
    create.account = g.name;
    create.new_account = g;
    cases.emplace_back("ssrs-farm-networkservice", create);
    farm::Change key = change(farm::Action::AddKdsRootKey);
    key.domain = "corp.contoso.com";
    cases.emplace_back("ssrs-farm-networkservice", key);
    farm::Change ssrs = change(farm::Action::SetSsrsServiceAccount);
    ssrs.host = "web2";
    ssrs.identity = web::parse_identity("CORP\\alice");
    cases.emplace_back("ssrs-farm-networkservice", ssrs);
    farm::Change types = change(farm::Action::SetSsrsAuthenticationTypes);
    types.host = "web1";
    types.authentication_types = {backend::SsrsAuthType::RSWindowsNTLM};
    cases.emplace_back("ssrs-farm-networkservice", types);
  }
  {
    farm::Change pool = change(farm::Action::ChangeAppPoolIdentity);
    pool.host = "web2";
    pool.app_pool = "Portal";
    pool.identity = web::parse_identity("NetworkService");
    cases.emplace_back("iis-farm-spn-on-one-node", pool);
    farm::Change credentials = change(farm::Action::SetUseAppPoolCredentials);
    credentials.host = "web1";
    credentials.site = "Portal";
    credentials.value = true;
    cases.emplace_back("iis-farm-spn-on-one-node", credentials);
    farm::Change kernel = change(farm::Action::SetKernelMode);
    kernel.host = "web1";
    kernel.site = "Portal";
    kernel.value = false;
    cases.emplace_back("iis-farm-spn-on-one-node", kernel);
    farm::Change port = change(farm::Action::SetSqlPort);
    port.host = "sql2";
    port.instance = "SALES";
    port.port = 1500;
    cases.emplace_back("sql-named-instance-dynamic-port", port);
  }
  for (const auto& [name, c] : cases) {
    INFO(name << ": " << farm::describe(c));
    const analysis::DesignDiff d = diff_after(name, c);
    CHECK(d.other.empty());
    REQUIRE(d.changes.size() == 1);
    CHECK(d.changes.front().action == c.action);
    CHECK(farm::describe(d.changes.front()) == farm::describe(c));
  }
}

TEST_CASE("differences no change expresses are reported, not dropped", "[design_diff]") {
  const farm::Environment a = bundled("ssrs-farm-networkservice");
  farm::Environment b = a.clone();
  for (auto& h : b.hosts)
    if (h.name == "web2") h.ip = "10.0.0.99";
  b.dns.add_cname("portal.corp.contoso.com", "web1.corp.contoso.com");
  b.load_balancers.front().members.pop_back();
  b.directory.account(*b.directory.find_account("CORP\\alice")).groups.push_back("Protected Users");
  const analysis::DesignDiff d = analysis::design_diff(a, b);
  CHECK(d.changes.empty());
  const auto has = [&](analysis::Subject s, const std::string& object, const std::string& field) {
    for (const auto& x : d.other)
      if (x.subject == s && x.object == object && x.field == field) return true;
    return false;
  };
  CHECK(has(analysis::Subject::Host, "web2", "ip"));
  CHECK(has(analysis::Subject::Dns, "portal.corp.contoso.com", "cname"));
  CHECK(has(analysis::Subject::Balancer, "lb1", "members"));
  CHECK(has(analysis::Subject::Account, "CORP\\alice", "groups"));
}

TEST_CASE("the changes of a diff, applied in their order, turn the first environment into the second",
          "[design_diff]") {
  // The founding farm's fix: the SPN moves from WEB1$ to a new gMSA that both report servers run as.
  const farm::Environment a = with_kds_root_key(bundled("ssrs-farm-networkservice"));
  farm::Environment b = a.clone();
  farm::Change remove = change(farm::Action::RemoveSpn);
  remove.account = "CORP\\WEB1$";
  remove.spn = test::spn("HTTP/reports.corp.contoso.com");
  farm::Change create = change(farm::Action::CreateAccount);
  directory::Account g = test::corp_user("gmsa-reports$", {"HTTP/reports.corp.contoso.com"});
  g.kind = directory::AccountKind::Gmsa;
  create.account = g.name;
  create.new_account = g;
  farm::Change ssrs = change(farm::Action::SetSsrsServiceAccount);
  ssrs.host = "web1";
  ssrs.identity = web::parse_identity(g.name);
  // Created holding the SPN, after its removal from WEB1$: a DC refuses a duplicate (kerberos-rules R1.7).
  for (const auto& c : {ssrs, remove, create}) REQUIRE(farm::apply_change(b, c).applied());

  const analysis::DesignDiff d = analysis::design_diff(a, b);
  REQUIRE(d.changes.size() == 4);
  // kerberos-rules R1.7: the SPN is removed before it is added to the account created without it.
  CHECK(d.changes[0].action == farm::Action::RemoveSpn);
  CHECK(d.changes[1].action == farm::Action::CreateAccount);
  CHECK(d.changes[1].new_account->spns.empty());
  CHECK(d.changes[2].action == farm::Action::AddSpn);
  CHECK(d.changes[3].action == farm::Action::SetSsrsServiceAccount);
  farm::Environment replayed = a.clone();
  for (const auto& c : d.changes) static_cast<void>(farm::apply_change(replayed, c));
  CHECK(analysis::design_diff(replayed, b).empty());
}
