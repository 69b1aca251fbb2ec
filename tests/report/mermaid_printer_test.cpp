#include <catch2/catch.hpp>

#include <algorithm>
#include <cctype>
#include <sstream>
#include <string>
#include <vector>

#include "kerbsim/report.h"

namespace kerbsim::test {
TraceReport ssrs_farm_example();  // tests/flow/outcome_test.cpp
}

using namespace kerbsim;

namespace {

std::vector<std::string> mermaid_lines(const TraceReport& report) {
  std::ostringstream out;
  print_trace_mermaid(report, out);
  std::vector<std::string> lines;
  std::istringstream in(out.str());
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

std::string trimmed(const std::string& s) {
  const auto start = s.find_first_not_of(' ');
  return start == std::string::npos ? "" : s.substr(start);
}

// The line without Mermaid entity codes such as "#35;".
std::string without_entities(const std::string& s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '#') {
      std::size_t j = i + 1;
      while (j < s.size() && std::isdigit(static_cast<unsigned char>(s[j]))) ++j;
      if (j > i + 1 && j < s.size() && s[j] == ';') {
        i = j;
        continue;
      }
    }
    out += s[i];
  }
  return out;
}

bool has(const std::vector<std::string>& lines, const std::string& line) {
  return std::find(lines.begin(), lines.end(), line) != lines.end();
}

int count_starting(const std::vector<std::string>& lines, const std::string& prefix) {
  int n = 0;
  for (const auto& line : lines) n += trimmed(line).rfind(prefix, 0) == 0;
  return n;
}

}  // namespace

TEST_CASE("a flow becomes a heading and one fenced sequence diagram", "[report][mermaid]") {
  const auto lines = mermaid_lines(test::ssrs_farm_example());
  REQUIRE(lines.size() > 10);
  REQUIRE(lines[0] == "## alice opens the sales report");
  REQUIRE(lines[1] == "");
  REQUIRE(lines[2] == "```mermaid");
  REQUIRE(lines[3] == "sequenceDiagram");
  REQUIRE(lines.back() == "```");
  REQUIRE(count_starting(lines, "```") == 2);
  REQUIRE(count_starting(lines, "autonumber") == 0);
}

TEST_CASE("participants are declared once, in order of first appearance", "[report][mermaid]") {
  const auto lines = mermaid_lines(test::ssrs_farm_example());
  std::vector<std::string> participants;
  for (const auto& line : lines)
    if (trimmed(line).rfind("participant ", 0) == 0) participants.push_back(trimmed(line));
  REQUIRE(participants == std::vector<std::string>{"participant ws1 as ws1 (client)", "participant dns",
                                                   "participant web1", "participant dc1", "participant sql1",
                                                   "participant web2"});
}

TEST_CASE("several paths are alt/else sections closed by one end", "[report][mermaid]") {
  const auto lines = mermaid_lines(test::ssrs_farm_example());
  REQUIRE(count_starting(lines, "alt ") == 1);
  REQUIRE(count_starting(lines, "else ") == 1);
  REQUIRE(count_starting(lines, "end") == 1);
  REQUIRE(has(lines, "    alt via web1 (ok)"));
  REQUIRE(has(lines, "    else via web2 (failed)"));
  // The failed AP exchange answers with a cross, the others with a dashed arrow.
  REQUIRE(has(lines, "        web2--xws1: 401, KRB_AP_ERR_MODIFIED"));
  REQUIRE(has(lines, "        web1-->>ws1: accepted: CORP\\alice"));
  REQUIRE(has(lines, "        Note over ws1: SPN for reports.corp.contoso.com — HTTP/reports.corp.contoso.com"));
}

TEST_CASE("one path is drawn without alt sections", "[report][mermaid]") {
  TraceReport report = test::ssrs_farm_example();
  report.flows[0].paths.resize(1);
  const auto lines = mermaid_lines(report);
  REQUIRE(count_starting(lines, "alt") == 0);
  REQUIRE(count_starting(lines, "else") == 0);
  REQUIRE(count_starting(lines, "end") == 0);
  REQUIRE(has(lines, "    ws1->>dns: A? reports.corp.contoso.com"));
}

TEST_CASE("message text and participant ids are made safe for Mermaid", "[report][mermaid]") {
  TraceReport report = test::ssrs_farm_example();
  auto& steps = report.flows[0].paths[0].steps;
  steps[0].to = "dns.corp-1";
  steps[0].message = "A? reports; #1\nsecond line";
  steps[1].to = "end";
  steps[2].result = "Local Intranet; zone #1";
  const auto lines = mermaid_lines(report);
  REQUIRE(has(lines, "    participant dns_corp_1 as dns.corp-1"));
  REQUIRE(has(lines, "    participant p_end as end"));
  REQUIRE(has(lines, "        ws1->>dns_corp_1: A? reports, #35;1<br/>second line"));
  REQUIRE(count_starting(lines, "end") == 1);  // only the closing end of the alt block

  // No statement carries a raw ';' once entity codes (#35;) are set aside.
  for (const auto& line : lines) {
    INFO(line);
    CHECK(without_entities(line).find(';') == std::string::npos);
  }
}

TEST_CASE("every flow gets its own diagram", "[report][mermaid]") {
  TraceReport report = test::ssrs_farm_example();
  report.flows.push_back(report.flows[0]);
  report.flows[1].flow = "bob opens the sales report";
  const auto lines = mermaid_lines(report);
  REQUIRE(count_starting(lines, "## ") == 2);
  REQUIRE(count_starting(lines, "```mermaid") == 2);
  REQUIRE(count_starting(lines, "```") == 4);
  REQUIRE(has(lines, "## bob opens the sales report"));
}
