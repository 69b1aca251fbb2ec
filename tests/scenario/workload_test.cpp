// The scenario's "workload" and simulation expectations: every key loaded and built into the
// simulator's units, and one test per kind of mistake, each checking the message and where it points.
#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "kerbsim/diagnostic.h"
#include "scenario/builder.h"
#include "scenario/loader.h"
#include "scenario/spec.h"

using kerbsim::Diagnostic;
using kerbsim::ScenarioError;
using kerbsim::scenario::load_text;
namespace engine = kerbsim::engine;
namespace workload = kerbsim::workload;

namespace {

// One DC, one IIS node, one client and flow "open"; the workload and the expectations spliced in
// (line 8 and line 9). An empty workload leaves the key out.
std::string scenario(const std::string& workload, const std::string& expect = "[]") {
  const std::string w = workload.empty() ? "" : "\n  \"workload\": " + workload + ",";
  return R"({ "format": "kerbsim/1", "name": "t",
  "domains": [ { "dns": "corp.contoso.com", "dcs": ["dc1"] } ],
  "accounts": [ { "name": "alice" } ],
  "hosts": [ { "name": "dc1", "domain": "corp.contoso.com" },
    { "name": "web1", "domain": "corp.contoso.com", "iis": { "sites": [ { "name": "S", "anonymous": { "enabled": false }, "windows": { "enabled": true } } ] } },
    { "name": "ws1", "domain": "corp.contoso.com", "client": { "user": "CORP\\alice" } } ],
  "flows": [ { "name": "open", "client": "ws1", "url": "http://web1/" } ],)" +
         w + R"(
  "expect": )" +
         expect + " }";
}

std::string expecting(const std::string& simulation) {
  return scenario("{}", R"([ { "simulation": )" + simulation + " } ]");
}

std::vector<Diagnostic> problems(const std::string& json) {
  try {
    load_text(json, "t.json");
  } catch (const ScenarioError& e) {
    return e.diagnostics();
  }
  return {};
}

// The messages, "path: message" each, in the order reported.
std::vector<std::string> messages(const std::string& json) {
  std::vector<std::string> out;
  for (const auto& d : problems(json)) out.push_back(d.path + ": " + d.message);
  return out;
}

Diagnostic problem(const std::string& json) {
  const auto found = problems(json);
  std::string all;
  for (const auto& d : found) all += d.to_string() + "\n";
  INFO(all);
  REQUIRE(found.size() == 1);
  return found.front();
}

const std::string kMetrics =
    "requests, failures, failure_fraction, degraded_fraction, ok_fraction, kerberos_fraction, ntlm_fraction, "
    "connections, connection_failure_fraction, users_always_failing_fraction, users_sometimes_failing_fraction, "
    "users_never_failing_fraction, netlogon_calls, netlogon_timeouts, peak_netlogon_queue, kdc_requests, "
    "peak_kdc_queue, peak_kdc_requests_per_s, latency_p50_ms, latency_p95_ms, latency_p99_ms";

}  // namespace

// ---- what loads ---------------------------------------------------------------------------------

TEST_CASE("every workload key loads and is built into the simulator's units", "[scenario][workload]") {
  const auto s = load_text(scenario(R"({ "duration": "3h", "seed": 42, "users": 250,
    "requests_per_user_per_hour": 12.5, "connection_reuse": 3, "kdc_capacity_per_s": 500,
    "netlogon_max_concurrent_api": 2, "flows": ["OPEN"], "logon_spread": "30m", "idle_timeout": "2m",
    "replication_delay": 0, "netlogon_call_ms": 200, "netlogon_timeout": "50s", "network_rtt_ms": 0,
    "server_time_ms": 35, "interval": "10m", "restart_keeps_previous_key": true,
    "events": [ { "at": "2h", "action": "clock_drift", "host": "ws1", "per_hour": "-30s" },
                { "at": "1h", "action": "clock_step", "host": "WS1", "offset": "2m" },
                { "at": "30m", "action": "add_spn", "account": "alice", "spn": "HTTP/web1" },
                { "at": 90, "action": "dc_down", "dc": "DC1" },
                { "at": 0, "action": "purge_tickets", "clients": ["WS1"] } ] })"),
                           "t.json");
  REQUIRE(s.workload);
  const auto& sw = *s.workload;
  CHECK(sw.at == "/workload");
  CHECK(sw.line == 8);
  CHECK(sw.column == 15);
  CHECK(sw.flows == std::vector<std::string>{"open"});  // the flow's own spelling

  const workload::Workload w = kerbsim::scenario::build_workload(s);
  CHECK(w.duration == 3 * engine::kHour);
  CHECK(w.seed == 42);
  CHECK(w.users == 250);
  CHECK(w.requests_per_user_per_hour == 12.5);
  CHECK(w.connection_reuse == 3);
  CHECK(w.kdc_capacity_per_s == 500);
  CHECK(w.netlogon_max_concurrent_api == 2);
  CHECK(w.flows == std::vector<std::string>{"open"});
  CHECK(w.logon_spread == 30 * engine::kMinute);
  CHECK(w.idle_timeout == 2 * engine::kMinute);
  CHECK(w.replication_delay == 0);
  CHECK(w.netlogon_call_time == 200 * engine::kMillisecond);
  CHECK(w.netlogon_timeout == 50 * engine::kSecond);
  CHECK(w.network_rtt == 0);
  CHECK(w.server_time == 35 * engine::kMillisecond);
  CHECK(w.interval == 10 * engine::kMinute);
  CHECK(w.restart_keeps_previous_key);

  // Events in time order, names in their canonical spelling.
  REQUIRE(w.changes.size() == 5);
  CHECK(w.changes[0].action == workload::Action::PurgeTickets);
  CHECK(w.changes[0].at == 0);
  CHECK(w.changes[0].clients == std::vector<std::string>{"ws1"});
  CHECK(w.changes[1].action == workload::Action::DcDown);
  CHECK(w.changes[1].at == 90 * engine::kSecond);
  CHECK(w.changes[1].dc == "dc1");
  CHECK(w.changes[2].action == workload::Action::AddSpn);
  CHECK(w.changes[2].account == "CORP\\alice");
  CHECK(w.changes[2].spn.to_string() == "HTTP/web1");
  CHECK(w.changes[3].action == workload::Action::ClockStep);
  CHECK(w.changes[3].host == "ws1");
  CHECK(w.changes[3].offset == 2 * engine::kMinute);
  CHECK(w.changes[4].action == workload::Action::ClockDrift);
  CHECK(w.changes[4].at == 2 * engine::kHour);
  CHECK(w.changes[4].offset == -30 * engine::kSecond);
}

TEST_CASE("an empty workload gets the documented defaults, and no workload the same", "[scenario][workload]") {
  for (const std::string& text : {scenario("{}"), scenario("")}) {
    INFO(text);
    const auto s = load_text(text, "t.json");
    CHECK(s.workload.has_value() == (text == scenario("{}")));
    const workload::Workload w = kerbsim::scenario::build_workload(s);
    CHECK(w.duration == 8 * engine::kHour);
    CHECK(w.seed == 1);
    CHECK(w.users == 100);
    CHECK(w.requests_per_user_per_hour == 30);
    CHECK(w.connection_reuse == 5);
    CHECK(w.netlogon_max_concurrent_api == 10);
    CHECK(w.flows.empty());
    CHECK(w.logon_spread == engine::kHour);
    CHECK(w.idle_timeout == 120 * engine::kSecond);
    CHECK(w.replication_delay == 15 * engine::kSecond);
    CHECK(w.netlogon_call_time == 20 * engine::kMillisecond);
    CHECK(w.netlogon_timeout == 45 * engine::kSecond);
    CHECK(w.network_rtt == engine::kMillisecond);
    CHECK(w.server_time == 20 * engine::kMillisecond);
    CHECK(w.interval == 0);
    CHECK_FALSE(w.restart_keeps_previous_key);
    CHECK(w.changes.empty());
  }
}

TEST_CASE("a simulation expectation loads with canonical node and flow names", "[scenario][workload]") {
  const auto s = load_text(
      expecting(
          R"({ "metric": "failure_fraction", "node": "WEB1", "flow": "OPEN", "from": "1h", "until": 7200, "min": 0, "max": 0.25 })"),
      "t.json");
  REQUIRE(s.expect.size() == 1);
  REQUIRE(s.expect[0].simulation);
  const auto& e = *s.expect[0].simulation;
  CHECK(e.metric == "failure_fraction");
  CHECK(e.node == "web1");
  CHECK(e.flow == "open");
  CHECK(e.from == 3600);
  CHECK(e.until == std::optional<kerbsim::spec::Seconds>(7200));
  CHECK(e.min == std::optional<double>(0.0));
  CHECK(e.max == std::optional<double>(0.25));
  CHECK(e.at == "/expect/0/simulation");
  CHECK(s.expect[0].flow.empty());

  SECTION("a DC may be named for the KDC metrics, and one bound is enough") {
    const auto k = load_text(expecting(R"({ "metric": "peak_kdc_queue", "node": "DC1", "max": 10 })"), "t.json");
    CHECK(k.expect[0].simulation->node == "dc1");
    CHECK_FALSE(k.expect[0].simulation->min);
    CHECK_FALSE(k.expect[0].simulation->until);
  }
  SECTION("every metric of metric_names() is accepted") {
    for (const auto& m : workload::metric_names()) {
      INFO(m);
      CHECK(problems(expecting(R"({ "metric": ")" + m + R"(", "min": 0 })")).empty());
    }
    CHECK(workload::metric_names().size() == 21);
  }
}

// ---- mistakes in the workload -------------------------------------------------------------------

TEST_CASE("workload numbers of the wrong type or out of range say what is allowed", "[scenario][workload]") {
  const auto d = problem(scenario(R"({ "users": "100" })"));
  CHECK(d.line == 8);
  CHECK(d.column == 26);
  CHECK(d.path == "/workload/users");
  CHECK(d.message == "\"users\" must be a whole number, not a string");

  CHECK(messages(scenario(R"({ "users": 0, "connection_reuse": 0, "netlogon_max_concurrent_api": 151 })")) ==
        std::vector<std::string>{
            "/workload/users: \"users\" must be a whole number of at least 1, not 0",
            "/workload/connection_reuse: \"connection_reuse\" must be a whole number of at least 1, not 0",
            "/workload/netlogon_max_concurrent_api: \"netlogon_max_concurrent_api\" must be a whole number from 1 "
            "to 150, not 151"});
  CHECK(messages(scenario(R"({ "netlogon_call_ms": 0, "network_rtt_ms": -1, "server_time_ms": 600001 })")) ==
        std::vector<std::string>{
            "/workload/netlogon_call_ms: \"netlogon_call_ms\" must be a whole number from 1 to 600000, not 0",
            "/workload/network_rtt_ms: \"network_rtt_ms\" must be a whole number from 0 to 60000, not -1",
            "/workload/server_time_ms: \"server_time_ms\" must be a whole number from 0 to 600000, not 600001"});
  CHECK(messages(scenario(R"({ "requests_per_user_per_hour": 0, "kdc_capacity_per_s": -3 })")) ==
        std::vector<std::string>{"/workload/requests_per_user_per_hour: \"requests_per_user_per_hour\" must be a "
                                 "number greater than 0, not 0",
                                 "/workload/kdc_capacity_per_s: \"kdc_capacity_per_s\" must be a number greater than "
                                 "0, not -3"});
  CHECK(messages(scenario(R"({ "restart_keeps_previous_key": "yes", "flows": "open" })")) ==
        std::vector<std::string>{
            "/workload/restart_keeps_previous_key: \"restart_keeps_previous_key\" must be true or false, not a string",
            "/workload/flows: \"flows\" must be an array, not a string; write [ \"open\" ]"});
}

TEST_CASE("a workload seed is a whole number that fits 64 bits", "[scenario][workload]") {
  for (const char* seed : {"-1", "1.5", "18446744073709551616"}) {
    INFO(seed);
    const auto d = problem(scenario(std::string(R"({ "seed": )") + seed + " }"));
    CHECK(d.path == "/workload/seed");
    CHECK(d.message == std::string("\"seed\" must be a whole number from 0 to 18446744073709551615, not ") + seed);
  }
  CHECK(problem(scenario(R"({ "seed": "7" })")).message == "\"seed\" must be a whole number, not a string");
}

TEST_CASE("workload durations: which may be zero, none negative", "[scenario][workload]") {
  CHECK(
      messages(scenario(
          R"({ "logon_spread": "-5m", "idle_timeout": 0, "replication_delay": 0, "netlogon_timeout": "0s", "interval": "1x" })")) ==
      std::vector<std::string>{
          "/workload/logon_spread: \"logon_spread\": \"-5m\" cannot be negative",
          "/workload/idle_timeout: \"idle_timeout\" must be longer than 0 seconds",
          "/workload/netlogon_timeout: \"netlogon_timeout\": \"0s\" must be longer than 0 seconds",
          "/workload/interval: \"interval\": \"1x\" is not a duration; write a number followed by d, h, m or s, "
          "such as \"90s\", \"5m\", \"10h\", \"7d\" or \"2h30m\""});
  CHECK(problem(scenario(R"({ "duration": 0 })")).message == "\"duration\" must be longer than 0 seconds");
  CHECK(problem(scenario(R"({ "duration": "1.5h" })")).path == "/workload/duration");
  CHECK(problems(scenario(R"({ "logon_spread": 0, "replication_delay": "0s" })")).empty());
}

TEST_CASE("the workload's flows must name flows of the scenario", "[scenario][workload]") {
  const auto found = problems(scenario(R"({ "flows": ["opne", "nothing-like-it"] })"));
  REQUIRE(found.size() == 2);
  CHECK(found[0].path == "/workload/flows/0");
  CHECK(found[0].line == 8);
  CHECK(found[0].column == 27);
  CHECK(found[0].message ==
        "the workload runs flow \"opne\", but there is no flow of that name; did you mean \"open\"?");
  CHECK(found[1].message ==
        "the workload runs flow \"nothing-like-it\", but there is no flow of that name (flows: open)");
  CHECK(problem(scenario(R"({ "flows": [ 3 ] })")).path == "/workload/flows/0");
}

TEST_CASE("an unknown workload key suggests the closest one", "[scenario][workload]") {
  const auto d = problem(scenario(R"({ "replication_dealy": "1m" })"));
  CHECK(d.path == "/workload/replication_dealy");
  CHECK(d.message == "unknown key \"replication_dealy\" in the workload; did you mean \"replication_delay\"?");
}

TEST_CASE("clock_drift takes a host and a drift per hour, which may be negative", "[scenario][workload]") {
  CHECK(problems(scenario(R"({ "events": [ { "at": "1h", "action": "clock_drift", "host": "ws1", "per_hour": "-1m" },
      { "at": "2h", "action": "clock_drift", "host": "web1", "per_hour": 0 } ] })"))
            .empty());
  CHECK(messages(scenario(R"({ "events": [ { "at": "1h", "action": "clock_drift", "host": "ws1" } ] })")) ==
        std::vector<std::string>{
            "/workload/events/0: a workload event with \"action\": \"clock_drift\" needs \"per_hour\""});
  CHECK(
      messages(scenario(R"({ "events": [ { "at": "1h", "action": "clock_drift", "per_hour": "1m" } ] })")) ==
      std::vector<std::string>{"/workload/events/0: a workload event with \"action\": \"clock_drift\" needs \"host\""});
  CHECK(messages(scenario(
            R"({ "events": [ { "at": "1h", "action": "clock_drift", "host": "ws9", "per_hour": "-1m" } ] })")) ==
        std::vector<std::string>{
            "/workload/events/0/host: the event names host ws9, but there is no host of that name; did you mean ws1?"});
  CHECK(
      messages(scenario(
          R"({ "events": [ { "at": "1h", "action": "clock_drift", "host": "ws1", "per_hour": "fast", "offset": "1m" } ] })")) ==
      std::vector<std::string>{
          "/workload/events/0/per_hour: \"per_hour\": \"fast\" is not a duration; write a number followed by d, h, "
          "m or s, such as \"90s\", \"5m\", \"10h\", \"7d\" or \"2h30m\"",
          "/workload/events/0/offset: unknown key \"offset\" in a workload event with \"action\": \"clock_drift\"; "
          "the keys allowed here are: at, action, host, per_hour"});
  CHECK(
      problem(scenario(R"({ "events": [ { "at": "1h", "action": "clock_drift", "host": "ws1", "per_hour": 1.5 } ] })"))
          .message == "\"per_hour\" must be a whole number of seconds, not 1.5");
  const auto d = problem(scenario(R"({ "events": [ { "at": "1h", "action": "clock_drif", "host": "ws1" } ] })"));
  CHECK(d.path == "/workload/events/0/action");
  CHECK(d.message.find("clock_step, clock_drift, not \"clock_drif\"; did you mean \"clock_drift\"?") !=
        std::string::npos);
}

// ---- mistakes in simulation expectations --------------------------------------------------------

TEST_CASE("an unknown metric lists the metrics, and suggests one when it is close", "[scenario][workload]") {
  const auto close = problem(expecting(R"({ "metric": "requestz", "max": 0 })"));
  CHECK(close.path == "/expect/0/simulation/metric");
  CHECK(close.line == 9);
  CHECK(close.column == 43);
  CHECK(close.message == "\"metric\" must be one of " + kMetrics + ", not \"requestz\"; did you mean \"requests\"?");
  CHECK(problem(expecting(R"({ "metric": "failure_rate", "max": 0 })")).message ==
        "\"metric\" must be one of " + kMetrics + ", not \"failure_rate\"");
  CHECK(problem(expecting(R"({ "metric": 3, "max": 0 })")).message ==
        "\"metric\" must be one of " + kMetrics + " (as a string in quotes), not a number");
  CHECK(problem(expecting(R"({ "max": 1 })")).message == "a simulation expectation needs \"metric\"");
}

TEST_CASE("a simulation expectation needs sensible bounds", "[scenario][workload]") {
  const auto inverted = problem(expecting(R"({ "metric": "failure_fraction", "min": 0.9, "max": 0.1 })"));
  CHECK(inverted.path == "/expect/0/simulation");
  CHECK(inverted.message == "\"min\" is greater than \"max\"");
  CHECK(problem(expecting(R"({ "metric": "failure_fraction" })")).message ==
        "a simulation expectation needs \"min\", \"max\" or both");
  CHECK(messages(expecting(R"({ "metric": "failure_fraction", "max": "0.5", "min": true })")) ==
        std::vector<std::string>{"/expect/0/simulation/max: \"max\" must be a number, not a string",
                                 "/expect/0/simulation/min: \"min\" must be a number, not true"});
  CHECK(problems(expecting(R"({ "metric": "failure_fraction", "min": 0.5, "max": 0.5 })")).empty());
  CHECK(messages(expecting(R"({ "metric": "failure_fraction", "maximum": 1 })")) ==
        std::vector<std::string>{"/expect/0/simulation: a simulation expectation needs \"min\", \"max\" or both",
                                 "/expect/0/simulation/maximum: unknown key \"maximum\" in a simulation expectation; "
                                 "the keys allowed here are: metric, node, flow, from, until, min, max"});
}

TEST_CASE("a simulation expectation's window runs forward", "[scenario][workload]") {
  for (const char* window : {R"("from": "2h", "until": "1h")", R"("from": "1h", "until": 3600)"}) {
    INFO(window);
    const auto d = problem(expecting(std::string(R"({ "metric": "requests", "max": 1, )") + window + " }"));
    CHECK(d.path == "/expect/0/simulation");
    CHECK(d.message == "\"from\" must come before \"until\"");
  }
  CHECK(problem(expecting(R"({ "metric": "requests", "max": 1, "until": 0 })")).message ==
        "\"until\" must be longer than 0 seconds");
  CHECK(problem(expecting(R"({ "metric": "requests", "max": 1, "from": "-1h" })")).message ==
        "\"from\": \"-1h\" cannot be negative");
}

TEST_CASE("a simulation expectation is not also a trace expectation", "[scenario][workload]") {
  const auto found = problems(scenario(
      "{}", R"([ { "simulation": { "metric": "failure_fraction", "max": 0 }, "flow": "open", "outcome": {} } ])"));
  REQUIRE(found.size() == 2);
  CHECK(found[0].path == "/expect/0/flow");
  CHECK(found[0].message == "an expectation has either \"simulation\" or \"flow\" and \"outcome\", not both");
  CHECK(found[1].path == "/expect/0/outcome");
  CHECK(problem(scenario("{}", R"([ { "via": "web1" } ])")).message ==
        "an expectation needs \"flow\" and \"outcome\" (or \"simulation\")");
  CHECK(problem(expecting(R"("failure_fraction")")).message ==
        "\"simulation\" must be an object { ... }, not a string");
}

TEST_CASE("a simulation expectation names a host and a flow of the scenario", "[scenario][workload]") {
  CHECK(messages(expecting(R"({ "metric": "failure_fraction", "max": 0, "node": "web9", "flow": "opem" })")) ==
        std::vector<std::string>{"/expect/0/simulation/node: the expectation is about node web9, but there is no "
                                 "host of that name; did you mean web1?",
                                 "/expect/0/simulation/flow: the expectation is about flow \"opem\", but there is no "
                                 "flow of that name; did you mean \"open\"?"});
  CHECK(problem(expecting(R"({ "metric": "failure_fraction", "max": 0, "flow": "zzzzzzzzzz" })")).message ==
        "the expectation is about flow \"zzzzzzzzzz\", but there is no flow of that name (flows: open)");
  CHECK(problem(expecting(R"({ "metric": "failure_fraction", "max": 0, "node": "" })")).path ==
        "/expect/0/simulation/node");
}
