// libFuzzer target: arbitrary bytes into the scenario loader; when a file loads, every flow is traced,
// expectations checked, lint run and every printer exercised. Any crash, hang, leak or sanitizer
// report is a bug. Run with tools/fuzz.sh.
#include <cstddef>
#include <cstdint>
#include <sstream>
#include <string_view>

#include "analysis/lint.h"
#include "flow/tracer.h"
#include "kerbsim/check.h"
#include "kerbsim/report.h"
#include "scenario/builder.h"
#include "scenario/loader.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  kerbsim::spec::Scenario spec;
  try {
    spec = kerbsim::scenario::load_text(text, "fuzz.json");
  } catch (const kerbsim::ScenarioError& e) {
    for (const auto& d : e.diagnostics()) (void)d.to_string();
    return 0;
  }
  const kerbsim::flow::Environment env = kerbsim::scenario::build(spec);
  const kerbsim::TraceReport report = kerbsim::flow::trace(env);
  std::vector<kerbsim::Expectation> expectations;
  for (const auto& e : spec.expect) expectations.push_back({e.flow, e.via, e.outcome, e.at});
  const kerbsim::CheckReport check = kerbsim::check_expectations(report, expectations);
  const kerbsim::LintReport lint = kerbsim::analysis::lint(env);
  std::ostringstream sink;
  kerbsim::print_trace_text(report, {true, true}, sink);
  kerbsim::print_trace_json(report, sink);
  kerbsim::print_trace_mermaid(report, sink);
  kerbsim::print_check_text(check, {}, sink);
  kerbsim::print_lint_text(lint, {}, sink);
  kerbsim::print_lint_json(lint, sink);
  return 0;
}
