// The checks a scenario must pass: how names, SPNs, URLs, addresses and durations are written, and the
// cross-references between parts of the file (accounts, hosts, pools, DNS, calls). Problems are collected
// by a Reporter that knows where every JSON path sits in the file.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "kerbsim/diagnostic.h"
#include "scenario/json_tree.h"
#include "scenario/spec.h"

namespace kerbsim::scenario {

// Collects diagnostics, each placed at a value, at a key, or at the nearest located part of a path.
class Reporter {
 public:
  Reporter(std::string file, const JsonNode* root);

  void at(const JsonNode& value, std::string message);
  void at_key(const JsonNode& member, std::string message);
  void at_path(const std::string& path, std::string message);

  // Whether a problem was already reported at exactly this path (so later checks skip it).
  bool flagged(const std::string& path) const { return flagged_.count(path) > 0; }
  // Whether the file wrote this path (a key given explicitly, even as null).
  bool has(const std::string& path) const { return index_.count(path) > 0; }
  const JsonNode* node(const std::string& path) const;
  int line_of(const std::string& path) const;

  const std::string& file() const { return file_; }
  std::vector<Diagnostic>& diagnostics() { return diagnostics_; }

 private:
  std::string file_;
  std::unordered_map<std::string_view, const JsonNode*> index_;  // keys view the nodes' paths
  std::unordered_set<std::string> flagged_;
  std::vector<Diagnostic> diagnostics_;
};

// Text helpers for messages.
std::string quote(std::string_view s);  // "s" with JSON escapes, shortened when very long
std::string lower(std::string_view s);
std::string upper(std::string_view s);
bool iequals(std::string_view a, std::string_view b);
std::string join(const std::vector<std::string>& items, std::string_view separator = ", ");
// The closest candidate (case-insensitive edit distance) when it is close enough, else "".
std::string suggest(std::string_view word, const std::vector<std::string>& candidates);

// Each check returns "" when the text is well formed, else a sentence saying what is wrong.
std::string check_spn(std::string_view spn);
std::string check_ipv4(std::string_view ip);
std::string check_dns_name(std::string_view name, std::string_view what);
std::string check_domain_dns(std::string_view name);
std::string check_netbios(std::string_view name);
std::string check_host_name(std::string_view name);
std::string check_sql_instance_name(std::string_view name);
std::string check_account_name(std::string_view name);

struct ParsedUrl {
  std::string error;  // "" when well formed
  std::string scheme;
  std::string host;
  int port = 0;      // the explicit or the scheme's default port; 0 for mssql without one
  std::string path;  // http: "/..." ; mssql: the instance name
};
enum class UrlUse { flow, call, binding };
ParsedUrl parse_url(std::string_view url, UrlUse use);

struct DurationRule {
  bool allow_negative = false;
  bool allow_zero = true;
};
// "90s", "5m", "10h", "7d", "2h30m", "-30s" (when negative is allowed). On failure returns nullopt and
// sets error to a sentence about the text.
std::optional<spec::Seconds> parse_duration(std::string_view text, DurationRule rule, std::string& error);

// The defaults that depend on other parts of the file, written once: the loader fills them in and the
// writer leaves out exactly what the loader would fill in.
// A domain without "netbios": its first DNS label in capitals, cut to 15 characters.
std::string default_netbios(std::string_view domain_dns);
// An app pool without "identity": NetworkService on IIS 6.0 and 7.0, ApplicationPoolIdentity from 7.5.
std::string default_app_pool_identity(std::string_view iis_version);
// A site's anonymous user without "user": IUSR, or HOST\IUSR_HOST on IIS 6.0.
std::string default_anonymous_user(std::string_view host_name, std::string_view iis_version);
// A SQL instance without "service_account": its virtual account, NT SERVICE\MSSQLSERVER or NT SERVICE\MSSQL$NAME.
std::string default_sql_service_account(std::string_view instance);
// Whether a SQL instance is the default instance MSSQLSERVER (a named instance without "port" or
// "dynamic_port" listens on a dynamic port).
bool is_default_sql_instance(std::string_view instance);

// Cross-references, duplicate names, canonical account names and the defaults that depend on other
// parts of the file. Runs on a fully read spec; every problem goes to the reporter.
void check_references(spec::Scenario& scenario, Reporter& reporter);

}  // namespace kerbsim::scenario
