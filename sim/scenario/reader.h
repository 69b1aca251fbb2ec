// Turns the located JSON tree of a scenario into spec structs, one section at a time. Each section's
// reader lives in its own file beside the keys it allows (read_directory.cpp, read_hosts.cpp,
// read_network.cpp, read_workload.cpp, read_expectations.cpp); the generic readers they share are in
// reader.cpp. Every problem goes to the Reporter; a reader leaves a field at its default when its
// value is wrong.
#pragma once

#include <climits>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "scenario/json_tree.h"
#include "scenario/spec.h"
#include "scenario/validate.h"

namespace kerbsim::scenario {

using Strings = std::vector<std::string>;

// The keys an object of one kind allows, and those it must have (scenario-format.md plus the documented
// extensions).
struct Kind {
  std::string noun;   // "a site": used as "a site needs ..."
  std::string where;  // "in a site": used as "unknown key ... in a site"
  Strings keys;
  Strings required;
};

// Encryption types, as accounts and settings list them and traced tickets name them.
inline const Strings kEnctypes = {"aes256", "aes128", "rc4", "des"};

// The shape of a string check: "" when fine, else the sentence to report.
using Check = std::function<std::string(std::string_view)>;

class Reader {
 public:
  explicit Reader(Reporter& r) : r_(r) {}

  spec::Scenario scenario(const JsonNode& root);
  // One element of "accounts" read while the file streams (json_tree.h's ElementSink); scenario()
  // puts the accounts read so first.
  void streamed_account(const JsonNode& element);

 private:
  std::vector<spec::Account> streamed_accounts_;

  // ---- generic readers (reader.cpp): each reports a wrong type or value and leaves `out` untouched ----
  bool object(const JsonNode& n, const Kind& k);
  void check_keys(const JsonNode& n, const Strings& allowed, const std::string& where);
  void wrong_type(const JsonNode& n, std::string_view expected);
  bool text(const JsonNode* n, std::string& out);
  bool nonempty_text(const JsonNode* n, std::string& out);
  bool checked(const JsonNode* n, std::string& out, const Check& check);
  bool flag(const JsonNode* n, bool& out);
  bool whole(const JsonNode* n, int& out, std::int64_t lo, std::int64_t hi = INT_MAX);
  bool positive_real(const JsonNode* n, double& out);
  bool duration(const JsonNode* n, spec::Seconds& out, DurationRule rule);
  bool choice(const JsonNode* n, std::string& out, const Strings& values);
  std::vector<const JsonNode*> items(const JsonNode* n);
  bool texts(const JsonNode* n, std::vector<std::string>& out, const Check& check = {}, bool case_blind = true);
  Check one_of(const Strings& values, const std::string& what);
  Check dns_check(const std::string& what);
  void valid_choice(const JsonNode* n, const Strings& values);
  void nullable_text(const JsonNode* n);
  static Value to_value(const JsonNode& n);

  // ---- the scenario's parts; each section reader checks its object's keys first ----
  // read_directory.cpp
  void settings(const JsonNode& n, spec::Settings& s);
  std::optional<spec::Domain> domain(const JsonNode& n);
  std::optional<spec::Trust> trust(const JsonNode& n);
  void delegation(const JsonNode& n, spec::DelegationSettings& d);
  std::optional<spec::Account> account(const JsonNode& n);
  // read_hosts.cpp
  std::optional<spec::Host> host(const JsonNode& n);
  spec::Iis iis(const JsonNode& n);
  spec::Site site(const JsonNode& n);
  spec::Call call(const JsonNode& n);
  std::vector<spec::Call> calls(const JsonNode* n);
  spec::Sql sql(const JsonNode& n);
  spec::Ssrs ssrs(const JsonNode& n);
  spec::Client client(const JsonNode& n);
  // read_network.cpp
  void dns(const JsonNode& n, std::vector<spec::DnsRecord>& out);
  std::optional<spec::LoadBalancer> load_balancer(const JsonNode& n);
  // read_workload.cpp
  std::optional<spec::Workload> workload(const JsonNode& n);
  spec::WorkloadEvent event(const JsonNode& n);
  std::optional<Value> event_field(const JsonNode& n);
  // read_expectations.cpp
  std::optional<spec::Flow> flow(const JsonNode& n);
  std::optional<spec::Expectation> expectation(const JsonNode& n);
  spec::SimulationExpectation simulation_expectation(const JsonNode& n);
  void outcome(const JsonNode& root);

  Reporter& r_;
};

}  // namespace kerbsim::scenario
