#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "kerbsim/check.h"

namespace kerbsim::test {
TraceReport ssrs_farm_example();  // tests/flow/outcome_test.cpp
}

using namespace kerbsim;

namespace {

Value obj(std::initializer_list<std::pair<std::string, Value>> members) {
  Value v = Value::object();
  for (const auto& [k, m] : members) v.set(k, m);
  return v;
}

Value arr(std::initializer_list<Value> items) {
  Value v = Value::array();
  for (const auto& item : items) v.push(item);
  return v;
}

Expectation expect(std::string via, Value outcome) {
  return Expectation{"alice opens the sales report", std::move(via), std::move(outcome),
                     "scenarios/ssrs-farm-networkservice.json:120:7"};
}

}  // namespace

TEST_CASE("an expectation that lists matching keys passes", "[flow][check]") {
  const auto report = check_expectations(test::ssrs_farm_example(),
                                         {expect("web2", obj({{"front", obj({{"protocol", "kerberos"},
                                                                             {"error", "KRB_AP_ERR_MODIFIED"},
                                                                             {"http_status", 401},
                                                                             {"identity", nullptr}})},
                                                              {"verdict", "failed"}}))});
  REQUIRE(report.scenario == "ssrs-farm-networkservice");
  REQUIRE(report.results.size() == 1);
  const auto& r = report.results[0];
  CHECK(r.problem.empty());
  CHECK(r.mismatches.empty());
  REQUIRE(r.passed);
  REQUIRE(r.paths_checked == std::vector<std::string>{"web2"});
  REQUIRE(report.passed() == 1);
  REQUIRE(report.failed() == 0);
}

TEST_CASE("a nested mismatch is reported with its dotted path and JSON texts", "[flow][check]") {
  const auto report = check_expectations(
      test::ssrs_farm_example(),
      {expect("web2", obj({{"front", obj({{"ticket", obj({{"encrypted_for", "CORP\\WEB2$"}})}, {"prompt", false}})},
                           {"verdict", "failed"}}))});
  const auto& r = report.results.at(0);
  REQUIRE_FALSE(r.passed);
  REQUIRE(r.mismatches.size() == 2);
  CHECK(r.mismatches[0].path == "front.ticket.encrypted_for");
  CHECK(r.mismatches[0].expected == R"("CORP\\WEB2$")");
  CHECK(r.mismatches[0].actual == R"("CORP\\WEB1$")");
  CHECK(r.mismatches[1].path == "front.prompt");
  CHECK(r.mismatches[1].expected == "false");
  CHECK(r.mismatches[1].actual == "true");
  REQUIRE(report.passed() == 0);
  REQUIRE(report.failed() == 1);
}

TEST_CASE("a key the outcome does not have is a mismatch with actual (absent)", "[flow][check]") {
  const auto report = check_expectations(test::ssrs_farm_example(), {expect("web1", obj({{"verdit", "ok"}}))});
  const auto& r = report.results.at(0);
  REQUIRE_FALSE(r.passed);
  REQUIRE(r.mismatches.size() == 1);
  CHECK(r.mismatches[0].path == "verdit");
  CHECK(r.mismatches[0].expected == R"("ok")");
  CHECK(r.mismatches[0].actual == "(absent)");
}

TEST_CASE("arrays must have the same length and match element by element", "[flow][check]") {
  const auto trace = test::ssrs_farm_example();

  SECTION("a shorter array is one length mismatch") {
    const auto r = check_expectations(trace, {expect("web1", obj({{"hops", arr({})}}))}).results.at(0);
    REQUIRE_FALSE(r.passed);
    REQUIRE(r.mismatches.size() == 1);
    CHECK(r.mismatches[0].path == "hops.length");
    CHECK(r.mismatches[0].expected == "0");
    CHECK(r.mismatches[0].actual == "1");
  }
  SECTION("elements are matched partially, with their index in the path") {
    Value steps = Value::array();
    for (int i = 0; i < 7; ++i) steps.push(Value::object());
    steps.as_array()[5] = obj({{"kind", "ap"}, {"rule", "kerberos-rules R2.5"}, {"failed", true}});
    const auto r = check_expectations(trace, {expect("web2", obj({{"steps", steps}}))}).results.at(0);
    REQUIRE_FALSE(r.passed);
    REQUIRE(r.mismatches.size() == 1);
    CHECK(r.mismatches[0].path == "steps[5].rule");
    CHECK(r.mismatches[0].expected == R"("kerberos-rules R2.5")");
    CHECK(r.mismatches[0].actual == R"("kerberos-rules R2.6")");
  }
  SECTION("an array against a scalar or an object against null is a mismatch at that key") {
    const auto r =
        check_expectations(trace, {expect("web2", obj({{"front", obj({{"identity", obj({{"name", "x"}})},
                                                                      {"error", arr({"KRB_AP_ERR_MODIFIED"})}})}}))})
            .results.at(0);
    REQUIRE(r.mismatches.size() == 2);
    CHECK(r.mismatches[0].path == "front.identity");
    CHECK(r.mismatches[0].actual == "null");
    CHECK(r.mismatches[1].path == "front.error");
    CHECK(r.mismatches[1].expected == R"(["KRB_AP_ERR_MODIFIED"])");
  }
}

TEST_CASE("scalars compare numbers by value and null only with null", "[flow][check]") {
  std::vector<Mismatch> m;
  REQUIRE(partial_match(Value(401), Value(401.0), "front.http_status", m));
  REQUIRE(partial_match(Value(), Value(), "front.error", m));
  REQUIRE(m.empty());
  REQUIRE_FALSE(partial_match(Value(), Value(""), "front.error", m));
  REQUIRE_FALSE(partial_match(Value(""), Value(), "front.identity", m));
  REQUIRE_FALSE(partial_match(Value(0), Value(false), "front.prompt", m));
  REQUIRE_FALSE(partial_match(Value("401"), Value(401), "front.http_status", m));
  REQUIRE(m.size() == 4);
  CHECK(m[0].path == "front.error");
  CHECK(m[0].expected == "null");
  CHECK(m[0].actual == R"("")");
  CHECK(m[3].expected == R"("401")");
  CHECK(m[3].actual == "401");
}

TEST_CASE("without via every path must match, and mismatches name their path", "[flow][check]") {
  const auto report = check_expectations(
      test::ssrs_farm_example(), {expect("", obj({{"spn", "HTTP/reports.corp.contoso.com"}})),
                                  expect("", obj({{"front", obj({{"protocol", "kerberos"}, {"error", nullptr}})}}))});
  REQUIRE(report.results.size() == 2);
  const auto& ok = report.results[0];
  REQUIRE(ok.passed);
  REQUIRE(ok.paths_checked == std::vector<std::string>{"web1", "web2"});
  const auto& bad = report.results[1];
  REQUIRE_FALSE(bad.passed);
  REQUIRE(bad.mismatches.size() == 1);
  CHECK(bad.mismatches[0].path == "via web2: front.error");
  CHECK(bad.mismatches[0].expected == "null");
  CHECK(bad.mismatches[0].actual == R"("KRB_AP_ERR_MODIFIED")");
  REQUIRE(report.passed() == 1);
  REQUIRE(report.failed() == 1);
}

TEST_CASE("via selects its path case-insensitively", "[flow][check]") {
  const auto report = check_expectations(test::ssrs_farm_example(), {expect("WEB1", obj({{"verdict", "ok"}}))});
  REQUIRE(report.results.at(0).passed);
  REQUIRE(report.results.at(0).paths_checked == std::vector<std::string>{"web1"});
}

TEST_CASE("a missing flow or via is a problem, not a pass", "[flow][check]") {
  Expectation no_flow{"bob opens the portal", "", obj({{"verdict", "ok"}}), "x.json:3:5"};
  const auto report =
      check_expectations(test::ssrs_farm_example(), {no_flow, expect("web3", obj({{"verdict", "ok"}}))});
  REQUIRE(report.failed() == 2);
  const auto& flow = report.results[0];
  REQUIRE_FALSE(flow.passed);
  CHECK(flow.problem == R"(no flow named "bob opens the portal" (flows: "alice opens the sales report"))");
  CHECK(flow.expectation.where == "x.json:3:5");
  const auto& via = report.results[1];
  REQUIRE_FALSE(via.passed);
  CHECK(via.problem == R"(flow "alice opens the sales report" has no path via web3 (paths via web1, web2))");
  CHECK(via.paths_checked.empty());
}

TEST_CASE("a via on a flow without a load balancer says so", "[flow][check]") {
  TraceReport trace = test::ssrs_farm_example();
  trace.flows[0].balancer.reset();
  trace.flows[0].paths.resize(1);
  trace.flows[0].paths[0].via.reset();
  const auto report = check_expectations(trace, {expect("web1", obj({})), expect("", obj({}))});
  CHECK(report.results[0].problem ==
        R"(flow "alice opens the sales report" has no path via web1 (it reaches no load balancer))");
  REQUIRE(report.results[1].passed);
  REQUIRE(report.results[1].paths_checked == std::vector<std::string>{""});
}
