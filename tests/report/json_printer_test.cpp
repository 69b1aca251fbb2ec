#include <catch2/catch.hpp>

#include <sstream>
#include <string>

#include "kerbsim/report.h"

namespace kerbsim::test {
TraceReport ssrs_farm_example();  // tests/flow/outcome_test.cpp
}

using namespace kerbsim;

TEST_CASE("the JSON trace is the outcome document, two-space indented, with a final newline", "[report][json]") {
  const auto report = test::ssrs_farm_example();
  std::ostringstream out;
  print_trace_json(report, out);
  REQUIRE(out.str() == to_value(report).dump(2) + "\n");
}

TEST_CASE("a small JSON trace prints exactly as pinned", "[report][json]") {
  TraceReport report;
  report.scenario = "single-server";
  FlowOutcome flow;
  flow.flow = "alice opens the portal";
  flow.client = "ws1";
  flow.user = "CORP\\alice";
  flow.url = "http://portal/";
  flow.browser = "edge";
  PathOutcome path;
  path.spn = "HTTP/portal.corp.contoso.com";
  path.front.protocol = Protocol::Ntlm;
  path.front.http_status = 200;
  path.front.identity = "CORP\\alice";
  path.front.process_identity = "IIS APPPOOL\\Portal";
  path.verdict = Verdict::Degraded;
  path.summary = "NTLM: no account holds the SPN.";
  Step step;
  step.seq = 1;
  step.kind = StepKind::TgsExchange;
  step.from = "ws1";
  step.to = "dc1";
  step.message = "TGS-REQ HTTP/portal.corp.contoso.com";
  step.result = "KRB-ERROR KDC_ERR_S_PRINCIPAL_UNKNOWN";
  step.why = "No account holds the SPN.";
  step.rule = "kerberos-rules R1.3";
  path.steps = {step};
  flow.paths = {path};
  report.flows = {flow};

  std::ostringstream out;
  print_trace_json(report, out);
  REQUIRE(out.str() == R"({
  "scenario": "single-server",
  "flows": [
    {
      "flow": "alice opens the portal",
      "client": "ws1",
      "user": "CORP\\alice",
      "paths": [
        {
          "via": null,
          "spn": "HTTP/portal.corp.contoso.com",
          "front": {
            "protocol": "ntlm",
            "http_status": 200,
            "identity": "CORP\\alice",
            "process_identity": "IIS APPPOOL\\Portal",
            "ticket": null,
            "decrypted_with": null,
            "prompt": false,
            "error": null
          },
          "hops": [],
          "verdict": "degraded",
          "steps": [
            {
              "seq": 1,
              "from": "ws1",
              "to": "dc1",
              "message": "TGS-REQ HTTP/portal.corp.contoso.com",
              "result": "KRB-ERROR KDC_ERR_S_PRINCIPAL_UNKNOWN",
              "why": "No account holds the SPN.",
              "rule": "kerberos-rules R1.3",
              "kind": "tgs",
              "failed": false,
              "details": []
            }
          ],
          "fixes": [],
          "summary": "NTLM: no account holds the SPN."
        }
      ],
      "url": "http://portal/",
      "browser": "edge",
      "balancer": null
    }
  ]
}
)");
}
