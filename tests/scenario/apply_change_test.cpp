#include "scenario/apply_change.h"

#include <catch2/catch.hpp>
#include <string>

#include "analysis/design_diff.h"
#include "scenario/builder.h"
#include "scenario/loader.h"
#include "support/corp.h"

using namespace kerbsim;

namespace {

spec::Scenario bundled(const std::string& name) {
  return scenario::load_file(std::string(KERBSIM_SOURCE_DIR) + "/scenarios/" + name + ".json");
}

farm::Change change(farm::Action action) {
  farm::Change c;
  c.action = action;
  return c;
}

// The change applied to the spec and built, against the change applied to the built environment.
analysis::DesignDiff spec_against_model(const std::string& scenario_name, const farm::Change& c) {
  spec::Scenario s = bundled(scenario_name);
  farm::Environment model = scenario::build(s);
  REQUIRE(!farm::apply_change(model, c).refused());  // a case the write-time rules accept
  REQUIRE(scenario::apply_change(s, c) == scenario::SpecEdit::Applied);
  return analysis::design_diff(model, scenario::build(s));
}

std::string first_difference(const analysis::DesignDiff& d) {
  if (!d.changes.empty()) return farm::describe(d.changes.front());
  if (!d.other.empty()) return d.other.front().object + " " + d.other.front().field;
  return "";
}

}  // namespace

TEST_CASE("every design change applied to the spec builds the environment the model change gives", "[apply_change]") {
  std::vector<std::pair<std::string, farm::Change>> cases;
  const auto spn_change = [&](farm::Action a, const std::string& account, const char* spn) {
    farm::Change c = change(a);
    c.account = account;
    c.spn = test::spn(spn);
    cases.emplace_back("ssrs-farm-networkservice", c);
  };
  spn_change(farm::Action::AddSpn, "CORP\\alice", "HTTP/alice.corp.contoso.com");
  spn_change(farm::Action::AddSpn, "CORP\\WEB2$", "HTTP/reports2.corp.contoso.com");
  spn_change(farm::Action::RemoveSpn, "CORP\\WEB1$", "HTTP/reports.corp.contoso.com");
  {
    farm::Change c = change(farm::Action::SetDelegation);
    c.account = "CORP\\WEB1$";
    c.allowed_to_delegate_to = std::vector<std::string>{"MSSQLSvc/sql1.corp.contoso.com:1433"};
    c.trusted_to_auth_for_delegation = true;
    cases.emplace_back("ssrs-farm-networkservice", c);
    farm::Change s = change(farm::Action::SetDelegation);
    s.account = "CORP\\alice";
    s.sensitive = true;
    s.allowed_to_act = std::vector<std::string>{"CORP\\WEB1$"};
    cases.emplace_back("ssrs-farm-networkservice", s);
  }
  {
    farm::Change c = change(farm::Action::PasswordChange);
    c.account = "CORP\\alice";
    cases.emplace_back("ssrs-farm-networkservice", c);
  }
  {
    farm::Change c = change(farm::Action::CreateAccount);
    directory::Account a = test::corp_user("gmsa-reports$", {"HTTP/other.corp.contoso.com"});
    a.kind = directory::AccountKind::Gmsa;
    a.supported_enctypes = directory::kComputerEnctypes;
    a.allowed_to_delegate_to = {"MSSQLSvc/sql1.corp.contoso.com:1433"};
    c.account = a.name;
    c.new_account = a;
    // The format derives the forest's KDS root key from the gMSA; the model adds it as its own change.
    farm::Change key = change(farm::Action::AddKdsRootKey);
    key.domain = "corp.contoso.com";
    spec::Scenario s = bundled("ssrs-farm-networkservice");
    farm::Environment model = scenario::build(s);
    static_cast<void>(farm::apply_change(model, key));
    static_cast<void>(farm::apply_change(model, c));
    CHECK(scenario::apply_change(s, key) == scenario::SpecEdit::Implied);
    REQUIRE(scenario::apply_change(s, c) == scenario::SpecEdit::Applied);
    CHECK(analysis::design_diff(model, scenario::build(s)).empty());
  }
  {
    farm::Change c = change(farm::Action::SetSsrsServiceAccount);
    c.host = "web2";
    c.identity = web::parse_identity("LocalSystem");
    cases.emplace_back("ssrs-farm-networkservice", c);
    farm::Change t = change(farm::Action::SetSsrsAuthenticationTypes);
    t.host = "web1";
    t.authentication_types = {backend::SsrsAuthType::RSWindowsNTLM};
    cases.emplace_back("ssrs-farm-networkservice", t);
  }
  {
    farm::Change p = change(farm::Action::ChangeAppPoolIdentity);
    p.host = "web2";
    p.app_pool = "Portal";
    p.identity = web::parse_identity("CORP\\alice");
    cases.emplace_back("iis-farm-spn-on-one-node", p);
    for (const auto action : {farm::Action::SetUseAppPoolCredentials, farm::Action::SetKernelMode}) {
      farm::Change s = change(action);
      s.host = "web1";
      s.site = "Portal";
      s.value = action == farm::Action::SetUseAppPoolCredentials;
      cases.emplace_back("iis-farm-spn-on-one-node", s);
    }
  }
  {
    // A domain service account cannot write its SPNs, so a restart on the new port registers none.
    farm::Change c = change(farm::Action::SetSqlPort);
    c.host = "sql2";
    c.instance = "SALES";
    c.port = 1500;
    cases.emplace_back("sql-named-instance-dynamic-port", c);
  }
  for (const auto& [name, c] : cases) {
    INFO(name << ": " << farm::describe(c));
    const analysis::DesignDiff d = spec_against_model(name, c);
    INFO("differs in: " << first_difference(d));
    CHECK(d.empty());
  }
}

TEST_CASE("a new service account for the report server keeps the AuthenticationTypes setup wrote", "[apply_change]") {
  spec::Scenario s = bundled("ssrs-farm-networkservice");
  farm::Change c = change(farm::Action::SetSsrsServiceAccount);
  c.host = "web1";
  c.identity = web::parse_identity("CORP\\alice");
  farm::Environment model = scenario::build(s);
  static_cast<void>(farm::apply_change(model, c));
  REQUIRE(scenario::apply_change(s, c) == scenario::SpecEdit::Applied);
  const farm::Environment built = scenario::build(s);
  // Left out, the types would be the domain account's default, RSWindowsNTLM only (iis-rules 7.3).
  CHECK(built.host("web1")->ssrs->authentication_types == model.host("web1")->ssrs->authentication_types);
  CHECK(built.host("web1")->ssrs->service_account.account == "CORP\\alice");
}

TEST_CASE("changes the format cannot hold, or that name nothing, leave the spec as it was", "[apply_change]") {
  spec::Scenario s = bundled("ssrs-farm-networkservice");
  const spec::Scenario before = s;
  farm::Change host_spn = change(farm::Action::RemoveSpn);
  host_spn.account = "CORP\\WEB1$";
  host_spn.spn = test::spn("HOST/web1.corp.contoso.com");  // the domain join's, not the file's
  CHECK(scenario::apply_change(s, host_spn) == scenario::SpecEdit::NotInFormat);
  farm::Change nobody = change(farm::Action::AddSpn);
  nobody.account = "CORP\\nobody";
  nobody.spn = test::spn("HTTP/x.corp.contoso.com");
  CHECK(scenario::apply_change(s, nobody) == scenario::SpecEdit::NoTarget);
  farm::Change restart = change(farm::Action::AppPoolRestart);
  CHECK(scenario::apply_change(s, restart) == scenario::SpecEdit::NotADesign);
  CHECK(analysis::design_diff(scenario::build(before), scenario::build(s)).empty());
}
