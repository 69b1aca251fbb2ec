// Loading a scenario: the file read whole within its size limit, the top level of the document read
// section by section (each section's reader is in its own read_*.cpp), the cross-references checked, and
// every problem found reported at once, sorted by position.
#include "scenario/loader.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <utility>

#include "scenario/json_tree.h"
#include "scenario/reader.h"
#include "scenario/validate.h"

namespace kerbsim::scenario {

namespace {

const Kind kTop{"the scenario",
                "at the top level",
                {"format", "name", "title", "description", "settings", "domains", "trusts", "accounts", "hosts", "dns",
                 "load_balancers", "flows", "workload", "expect"},
                {"format", "name"}};

}  // namespace

spec::Scenario Reader::scenario(const JsonNode& root) {
  spec::Scenario s;
  s.file = r_.file();
  if (!root.is_object()) {
    r_.at(root, "a scenario file holds one JSON object { ... }, not " + describe_kind(root));
    return s;
  }
  object(root, kTop);
  if (const auto* n = root.find("format"); n && text(n, s.format) && s.format != "kerbsim/1")
    r_.at(*n, "\"format\" must be \"kerbsim/1\", not " + quote(s.format));
  if (const auto* n = root.find("name"); n && text(n, s.name)) {
    const bool ok = !s.name.empty() && std::all_of(s.name.begin(), s.name.end(), [](char c) {
      return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
    });
    if (!ok)
      r_.at(*n, "\"name\" must be lowercase letters, digits and \"-\" only (like \"ssrs-farm\"), not " + quote(s.name));
  }
  text(root.find("title"), s.title);
  text(root.find("description"), s.description);
  if (const auto* n = root.find("settings")) settings(*n, s.settings);
  for (const auto* n : items(root.find("domains")))
    if (auto part = domain(*n)) s.domains.push_back(std::move(*part));
  for (const auto* n : items(root.find("trusts")))
    if (auto part = trust(*n)) s.trusts.push_back(std::move(*part));
  s.accounts = std::move(streamed_accounts_);
  for (const auto* n : items(root.find("accounts")))
    if (auto part = account(*n)) s.accounts.push_back(std::move(*part));
  for (const auto* n : items(root.find("hosts")))
    if (auto part = host(*n)) s.hosts.push_back(std::move(*part));
  if (const auto* n = root.find("dns")) dns(*n, s.dns);
  for (const auto* n : items(root.find("load_balancers")))
    if (auto part = load_balancer(*n)) s.load_balancers.push_back(std::move(*part));
  for (const auto* n : items(root.find("flows")))
    if (auto part = flow(*n)) s.flows.push_back(std::move(*part));
  if (const auto* n = root.find("workload")) s.workload = workload(*n);
  for (const auto* n : items(root.find("expect")))
    if (auto part = expectation(*n)) s.expect.push_back(std::move(*part));
  return s;
}

void Reader::streamed_account(const JsonNode& element) {
  r_.streamed(element);
  if (auto a = account(element)) streamed_accounts_.push_back(std::move(*a));
}

namespace {

void sort_diagnostics(std::vector<Diagnostic>& d) {
  std::stable_sort(d.begin(), d.end(), [](const Diagnostic& a, const Diagnostic& b) {
    if (a.line != b.line) return a.line < b.line;
    if (a.column != b.column) return a.column < b.column;
    return a.path < b.path;
  });
  d.erase(std::unique(d.begin(), d.end(),
                      [](const Diagnostic& a, const Diagnostic& b) {
                        return a.line == b.line && a.column == b.column && a.path == b.path && a.message == b.message;
                      }),
          d.end());
}

[[noreturn]] void fail(std::vector<Diagnostic> diagnostics) {
  sort_diagnostics(diagnostics);
  throw ScenarioError(std::move(diagnostics));
}

[[noreturn]] void fail_file(const std::string& path, std::string message) {
  fail({Diagnostic{path, 0, 0, "", std::move(message)}});
}

}  // namespace

spec::Scenario load_text(std::string_view text, const std::string& file_name, std::size_t stream_over) {
  // A file over kMaxFileBytes is read as it streams: each account becomes a spec::Account as soon as it
  // is read, and only the rest of the document is kept as a tree.
  Reporter reporter(file_name);
  Reader reader(reporter);
  ParseResult parsed = parse_json(
      text, file_name, [&](JsonNode&& element) { reader.streamed_account(element); }, stream_over);
  if (!parsed.root) fail(std::move(parsed.problems));
  reporter.index(*parsed.root);
  for (auto& p : parsed.problems) reporter.diagnostics().push_back(std::move(p));
  spec::Scenario scenario = reader.scenario(*parsed.root);
  if (parsed.root->is_object()) check_references(scenario, reporter);
  if (!reporter.diagnostics().empty()) fail(std::move(reporter.diagnostics()));
  return scenario;
}

spec::Scenario load_file(const std::string& path) {
  namespace fs = std::filesystem;
  std::error_code ec;
  const auto status = fs::status(path, ec);
  if (ec || !fs::exists(status)) fail_file(path, "cannot open the file: it does not exist");
  if (fs::is_directory(status)) fail_file(path, "this is a directory, not a scenario file");
  std::ifstream in(path, std::ios::binary);
  if (!in) fail_file(path, std::string("cannot open the file: ") + std::strerror(errno));
  const std::string limit = directory_size_limit();
  if (fs::is_regular_file(status)) {
    const auto size = fs::file_size(path, ec);
    if (!ec && size > kMaxDirectoryFileBytes)
      fail_file(path, "the file is " + std::to_string(size) + " bytes; " + limit);
  }
  std::string text;
  if (const auto size = fs::is_regular_file(status) ? fs::file_size(path, ec) : 0; !ec && size > 0)
    text.reserve(static_cast<std::size_t>(size));
  char buffer[65536];
  while (in && text.size() <= kMaxDirectoryFileBytes) {
    in.read(buffer, sizeof buffer);
    text.append(buffer, static_cast<std::size_t>(in.gcount()));
  }
  if (in.bad()) fail_file(path, "cannot read the file");
  if (text.size() > kMaxDirectoryFileBytes)
    fail_file(path,
              "the file is larger than 1024 MiB (" + std::to_string(kMaxDirectoryFileBytes) + " bytes); " + limit);
  return load_text(text, path);
}

}  // namespace kerbsim::scenario
