#include "scenario/writer.h"

#include <cxxabi.h>
#include <unistd.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <type_traits>
#include <vector>

#include "kerbsim/kerbsim.h"
#include "kerbsim/report.h"
#include "scenario/loader.h"
#include "support/fields.h"

using namespace kerbsim;

namespace {

// ---- comparing specs field by field, whatever fields spec.h has ----

template <class T>
struct is_optional : std::false_type {};
template <class T>
struct is_optional<std::optional<T>> : std::true_type {};
template <class T>
struct is_vector : std::false_type {};
template <class T>
struct is_vector<std::vector<T>> : std::true_type {};

template <class T>
constexpr bool is_struct = std::is_class_v<T>&& std::is_aggregate_v<T>;

template <class T>
std::string type_name() {
  int status = 0;
  std::unique_ptr<char, void (*)(void*)> name(abi::__cxa_demangle(typeid(T).name(), nullptr, nullptr, &status),
                                              std::free);
  return status == 0 ? name.get() : typeid(T).name();
}

// Where a part sits in its file (JSON path, line, column, file name), not what it says: a rewritten
// file may put a part elsewhere, e.g. leave implicit the default app pool the original wrote out.
template <class T>
bool is_position(const T& x, const void* member) {
  if constexpr (requires { x.at; })
    if (member == static_cast<const void*>(&x.at)) return true;
  if constexpr (requires { x.file; })
    if (member == static_cast<const void*>(&x.file)) return true;
  if constexpr (requires { x.line; })
    if (member == static_cast<const void*>(&x.line)) return true;
  if constexpr (requires { x.column; })
    if (member == static_cast<const void*>(&x.column)) return true;
  return false;
}

// Every difference between a and b, each named by where it is ("/hosts[2] kerbsim::spec::Host field 11").
template <class T>
void differences(const T& a, const T& b, const std::string& where, std::vector<std::string>& out) {
  if constexpr (is_optional<T>::value) {
    if (a.has_value() != b.has_value())
      out.push_back(where + ": set on one side only");
    else if (a)
      differences(*a, *b, where, out);
  } else if constexpr (is_vector<T>::value) {
    if (a.size() != b.size())
      out.push_back(where + ": " + std::to_string(a.size()) + " entries against " + std::to_string(b.size()));
    else
      for (std::size_t i = 0; i < a.size(); ++i) differences(a[i], b[i], where + "[" + std::to_string(i) + "]", out);
  } else if constexpr (is_struct<T>) {
    const auto fa = test::fields(a);
    const auto fb = test::fields(b);
    [&]<std::size_t... I>(std::index_sequence<I...>) {
      (
          [&] {
            if (is_position(a, &std::get<I>(fa))) return;
            differences(std::get<I>(fa), std::get<I>(fb),
                        where + " " + type_name<T>() + " field " + std::to_string(I + 1), out);
          }(),
          ...);
    }
    (std::make_index_sequence<std::tuple_size_v<decltype(fa)>>{});
  } else {
    if (!(a == b)) out.push_back(where);
  }
}

template <class T>
std::vector<std::string> differences(const T& a, const T& b) {
  std::vector<std::string> out;
  differences(a, b, "", out);
  return out;
}

// For every field of every struct reached, whether some instance holds something other than a
// default-constructed struct's value.
template <class T>
void away_from_default(const T& x, std::map<std::string, bool>& fields_set) {
  if constexpr (is_optional<T>::value) {
    if (x) away_from_default(*x, fields_set);
  } else if constexpr (is_vector<T>::value) {
    for (const auto& e : x) away_from_default(e, fields_set);
  } else if constexpr (is_struct<T>) {
    const T defaults{};
    const auto fx = test::fields(x);
    const auto fd = test::fields(defaults);
    [&]<std::size_t... I>(std::index_sequence<I...>) {
      (
          [&] {
            if (is_position(x, &std::get<I>(fx))) return;
            const std::string key = type_name<T>() + " field " + std::to_string(I + 1);
            fields_set[key] = fields_set[key] || !differences(std::get<I>(fx), std::get<I>(fd)).empty();
            away_from_default(std::get<I>(fx), fields_set);
          }(),
          ...);
    }
    (std::make_index_sequence<std::tuple_size_v<decltype(fx)>>{});
  }
}

// ---- bundled scenarios, and the facade on a rewritten copy ----

std::vector<std::string> bundled_scenarios() {
  std::vector<std::string> paths;
  for (const auto& e : std::filesystem::directory_iterator(std::string(KERBSIM_SOURCE_DIR) + "/scenarios"))
    if (e.path().extension() == ".json") paths.push_back(e.path().string());
  std::sort(paths.begin(), paths.end());
  return paths;
}

// A scenario file under the original's name, in a fresh temporary folder removed with the object.
class TempScenario {
 public:
  TempScenario(const std::string& name, const std::string& text) {
    static int counter = 0;
    dir_ = std::filesystem::temp_directory_path() /
           ("kerbsim-writer-test-" + std::to_string(::getpid()) + "-" + std::to_string(++counter));
    std::filesystem::create_directories(dir_);
    path_ = (dir_ / name).string();
    std::ofstream(path_) << text;
  }
  ~TempScenario() {
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
  }
  TempScenario(const TempScenario&) = delete;
  TempScenario& operator=(const TempScenario&) = delete;
  const std::string& path() const { return path_; }

 private:
  std::filesystem::path dir_;
  std::string path_;
};

std::string trace_text(const Scenario& s) {
  std::ostringstream out;
  print_trace_text(s.trace(), PrintOptions{false, true}, out);
  return out.str();
}

std::string trace_json(const Scenario& s) {
  std::ostringstream out;
  print_trace_json(s.trace(), out);
  return out.str();
}

// The whole workload, events included: the bundled ones run in a few seconds altogether.
std::string simulation(const Scenario& s) {
  const SimulationReport report = s.simulate();
  std::ostringstream out;
  print_simulation_text(report, PrintOptions{}, out);
  print_simulation_json(report, out);
  return out.str();
}

// Every key of the format, each away from its default somewhere (the test below checks that).
constexpr const char* kEveryKey = R"json({
  "format": "kerbsim/1",
  "name": "every-key",
  "title": "Every key of the format",
  "description": "Each key away from its default.\n\nA \"quoted\" word, a backslash \\ and a tab\t.",
  "settings": { "max_clock_skew": "10m", "tgt_lifetime": "8h", "service_ticket_lifetime": "4h",
                "spn_negative_cache": "5m", "protected_users_tgt_lifetime": "2h", "http_max_field_length": 32768,
                "http_max_request_bytes": 65536, "default_enctypes": ["aes256", "rc4"], "duplicate_spn_error": 8 },
  "domains": [
    { "dns": "corp.contoso.com", "netbios": "CORPNET", "functional_level": "2012R2", "dcs": ["dc1"],
      "kdc": "windows-2012r2", "kds_root_key": true, "spn_uniqueness_check": false },
    { "dns": "emea.corp.contoso.com", "netbios": "EMEA", "forest": "corp.contoso.com" },
    { "dns": "fabrikam.com", "netbios": "FABRIKAM" }
  ],
  "trusts": [ { "from": "corp.contoso.com", "to": "fabrikam.com", "kind": "external", "direction": "outbound",
                "tgt_delegation": true } ],
  "accounts": [
    { "name": "CORPNET\\alice", "sensitive": true, "groups": ["Protected Users"], "token_groups": 40,
      "foreign_token_groups": 5, "enctypes": ["aes256"], "aes_keys": false, "password_version": 2, "enabled": false },
    { "name": "CORPNET\\svc-web", "spns": ["HTTP/portal.corp.contoso.com"], "trusted_for_delegation": true,
      "trusted_to_auth_for_delegation": true, "allowed_to_delegate_to": ["MSSQLSvc/sql1.corp.contoso.com:1433"],
      "allowed_to_act": ["CORPNET\\bob"] },
    { "name": "CORPNET\\bob" },
    { "name": "CORPNET\\gmsa-reports$", "type": "gmsa" }
  ],
  "hosts": [
    { "name": "dc1", "domain": "corp.contoso.com", "ip": "10.0.0.10", "os": "2016", "clock_offset": "-30s",
      "credential_guard": true,
      "account": { "spns": ["HOST/alias.corp.contoso.com"], "trusted_for_delegation": true,
                   "allowed_to_delegate_to": ["HOST/web1.corp.contoso.com"], "trusted_to_auth_for_delegation": true,
                   "allowed_to_act": ["CORPNET\\svc-web"] },
      "http_max_field_length": 65534, "http_max_request_bytes": 1048576,
      "back_connection_host_names": ["portal.corp.contoso.com"] },
    { "name": "web1", "domain": "corp.contoso.com", "ip": "10.0.0.11",
      "iis": { "version": "8.5", "app_pools": [ { "name": "Portal", "identity": "CORPNET\\svc-web" } ],
               "sites": [ { "name": "Portal", "bindings": ["http://*:8080", "https://portal.corp.contoso.com:443"],
                            "app_pool": "Portal", "anonymous": { "enabled": false, "user": "" },
                            "windows": { "enabled": true, "providers": ["Negotiate:Kerberos"], "kernel_mode": false,
                                         "use_app_pool_credentials": true, "auth_persist_non_ntlm": true },
                            "basic": { "enabled": true }, "impersonate": true, "content_readers": ["IUSR"],
                            "calls": [ { "to": "sql1", "instance": "SALES", "as": "caller" },
                                       { "to": "rs1", "url": "http://rs1/ReportServer", "as": "process" } ] } ] } },
    { "name": "web6", "domain": "corp.contoso.com", "ip": "10.0.0.16", "os": "2003",
      "iis": { "version": "6.0", "isolation_mode": "iis5",
               "sites": [ { "name": "Legacy", "app_isolation": "pooled" } ] } },
    { "name": "sql1", "domain": "corp.contoso.com", "ip": "10.0.0.41",
      "sql": { "instances": [ { "name": "MSSQLSERVER", "port": 1435, "service_account": "CORPNET\\bob",
                                "calls": [ { "to": "sql2", "as": "anonymous" } ] },
                              { "name": "SALES" } ] } },
    { "name": "sql2", "domain": "corp.contoso.com", "ip": "10.0.0.42", "sql": { "instances": [ { "name": "MSSQLSERVER" } ] } },
    { "name": "rs1", "domain": "corp.contoso.com", "ip": "10.0.0.51",
      "ssrs": { "service_account": "CORPNET\\gmsa-reports$", "authentication_types": ["RSWindowsNTLM"],
                "hostname": "reports.corp.contoso.com", "calls": [ { "to": "sql1", "as": "CORPNET\\bob" } ] } },
    { "name": "ws1", "domain": "corp.contoso.com", "ip": "10.0.1.21",
      "client": { "user": "CORPNET\\bob", "browser": "chrome", "intranet_sites": ["*.corp.contoso.com"],
                  "auth_server_allowlist": ["*.contoso.com"], "delegate_allowlist": ["portal.corp.contoso.com"],
                  "disable_cname_lookup": true, "include_port": true, "firefox_trusted_uris": ["https://portal"],
                  "firefox_delegation_uris": ["https://portal"], "try_ip_spn": true } },
    { "name": "kiosk", "domain": null, "ip": "10.0.2.5" }
  ],
  "dns": { "portal.corp.contoso.com": { "a": "10.0.0.100" },
           "reports.corp.contoso.com": { "cname": "rs1.corp.contoso.com" } },
  "load_balancers": [ { "name": "lb1", "vip": "10.0.0.100", "members": ["web1"], "algorithm": "least_connections",
                        "affinity": "cookie", "layer": 7 } ],
  "flows": [ { "name": "bob opens the portal", "client": "ws1", "url": "http://portal.corp.contoso.com/" } ],
  "workload": {
    "duration": "1d2h3m4s", "seed": 18446744073709551615, "users": 7, "requests_per_user_per_hour": 12.5,
    "connection_reuse": 3, "kdc_capacity_per_s": 1500.25, "netlogon_max_concurrent_api": 2,
    "flows": ["bob opens the portal"], "logon_spread": "30m", "idle_timeout": "1m", "replication_delay": "0s",
    "netlogon_call_ms": 40, "netlogon_timeout": "30s", "network_rtt_ms": 3, "server_time_ms": 0,
    "interval": "15m", "restart_keeps_previous_key": true,
    "group_counts": [ { "groups": 40, "share": 0.25 }, { "groups": 0, "share": 3 } ],
    "events": [
      { "at": "1h", "action": "add_spn", "account": "CORPNET\\svc-web", "spn": "HTTP/portal" },
      { "at": "1h", "action": "remove_spn", "account": "CORPNET\\svc-web", "spn": "HTTP/portal" },
      { "at": "2h", "action": "change_app_pool_identity", "host": "web1", "app_pool": "Portal",
        "identity": "NetworkService" },
      { "at": "2h", "action": "set_use_app_pool_credentials", "host": "web1", "site": "Portal", "value": false },
      { "at": "2h", "action": "set_kernel_mode", "host": "web1", "site": "Portal", "value": true },
      { "at": "3h", "action": "set_delegation", "account": "CORPNET\\svc-web", "trusted_for_delegation": false,
        "trusted_to_auth_for_delegation": false, "allowed_to_delegate_to": [], "allowed_to_act": ["CORPNET\\bob"],
        "sensitive": true },
      { "at": "4h", "action": "password_change", "account": "CORPNET\\bob" },
      { "at": "4h", "action": "app_pool_restart", "host": "web1", "app_pool": "Portal" },
      { "at": "5h", "action": "purge_tickets", "clients": ["ws1"] },
      { "at": "5h", "action": "purge_tickets", "clients": "all" },
      { "at": "5h", "action": "purge_tickets" },
      { "at": "6h", "action": "node_down", "host": "web1" },
      { "at": "7h", "action": "node_up", "host": "web1" },
      { "at": "8h", "action": "dc_down", "dc": "dc1" },
      { "at": "9h", "action": "dc_up", "dc": "dc1" },
      { "at": "10h", "action": "clock_step", "host": "ws1", "offset": "-6m" },
      { "at": "11h", "action": "clock_drift", "host": "ws1", "per_hour": "2s" }
    ]
  },
  "expect": [
    { "flow": "bob opens the portal", "via": "web1",
      "outcome": { "spn": null, "front": { "protocol": "ntlm", "http_status": 401, "prompt": true,
                                           "ticket": { "flags": [], "etype": "rc4" } },
                   "hops": [ { "to": "sql1", "hops": [] } ], "verdict": "failed", "steps": [ { "seq": 1 } ],
                   "fixes": [] } },
    { "simulation": { "metric": "failure_fraction", "node": "web1", "flow": "bob opens the portal", "from": "1h",
                      "until": "2h", "min": 0.1, "max": 1 } }
  ]
})json";

}  // namespace

TEST_CASE("every bundled scenario reads back from its written form as the same spec", "[writer]") {
  for (const auto& path : bundled_scenarios()) {
    INFO(path);
    const spec::Scenario first = scenario::load_file(path);
    const std::string text = scenario::write_scenario(first);
    INFO(text);
    const spec::Scenario second = scenario::load_text(text, path);
    CHECK(differences(first, second) == std::vector<std::string>{});
    // A fixpoint: writing what was read from the writer gives the same bytes.
    CHECK(scenario::write_scenario(second) == text);
  }
}

TEST_CASE("a rewritten bundled scenario traces and simulates byte for byte as the original", "[writer]") {
  for (const auto& path : bundled_scenarios()) {
    INFO(path);
    const spec::Scenario spec = scenario::load_file(path);
    const TempScenario copy(std::filesystem::path(path).filename().string(), scenario::write_scenario(spec));
    const auto original = Scenario::load(path);
    const auto rewritten = Scenario::load(copy.path());
    CHECK(trace_text(*rewritten) == trace_text(*original));
    CHECK(trace_json(*rewritten) == trace_json(*original));
    if (spec.workload) CHECK(simulation(*rewritten) == simulation(*original));
  }
}

TEST_CASE("every field of the spec is written: a scenario with every key away from its default reads back the same",
          "[writer]") {
  const spec::Scenario first = scenario::load_text(kEveryKey, "every-key.json");
  // The scenario is only a good test while it sets every field of spec.h: a field added there is
  // flagged here until this scenario sets it, and then the writer must write it.
  std::map<std::string, bool> fields_set;
  away_from_default(first, fields_set);
  for (const auto& [field, set] : fields_set) {
    INFO(field << " is at its default in the every-key scenario");
    CHECK(set);
  }
  const std::string text = scenario::write_scenario(first);
  INFO(text);
  const spec::Scenario second = scenario::load_text(text, "every-key.json");
  CHECK(differences(first, second) == std::vector<std::string>{});
  CHECK(scenario::write_scenario(second) == text);
}

TEST_CASE("the writer leaves out what the loader would fill in and keeps what differs", "[writer]") {
  const spec::Scenario s = scenario::load_text(R"json({
    "format": "kerbsim/1", "name": "tiny",
    "settings": { "max_clock_skew": "5m", "tgt_lifetime": "480m" },
    "domains": [ { "dns": "corp.contoso.com", "functional_level": "2016", "dcs": ["dc1"] } ],
    "accounts": [ { "name": "alice", "token_groups": 10, "password_version": 2 } ],
    "hosts": [
      { "name": "dc1", "ip": "10.0.0.10", "os": "2019" },
      { "name": "web1", "ip": "10.0.0.11",
        "iis": { "sites": [ { "name": "Default Web Site", "bindings": ["http://*"],
                              "windows": { "enabled": true, "kernel_mode": true } } ] } },
      { "name": "sql1", "ip": "10.0.0.41", "sql": { "instances": [ { "name": "SALES" } ] } },
      { "name": "ws1", "ip": "10.0.1.21", "client": { "user": "alice" } }
    ],
    "flows": [ { "name": "alice opens web1", "client": "ws1", "url": "http://web1/" } ]
  })json",
                                               "tiny.json");
  CHECK(scenario::write_scenario(s) == R"json({
  "format": "kerbsim/1",
  "name": "tiny",
  "settings": { "tgt_lifetime": "8h" },
  "domains": [ { "dns": "corp.contoso.com", "netbios": "CORP", "dcs": ["dc1"] } ],
  "accounts": [ { "name": "CORP\\alice", "password_version": 2 } ],
  "hosts": [
    { "name": "dc1", "domain": "corp.contoso.com", "ip": "10.0.0.10" },
    {
      "name": "web1",
      "domain": "corp.contoso.com",
      "ip": "10.0.0.11",
      "iis": {
        "sites": [ { "name": "Default Web Site", "windows": { "enabled": true } } ]
      }
    },
    {
      "name": "sql1",
      "domain": "corp.contoso.com",
      "ip": "10.0.0.41",
      "sql": { "instances": [ { "name": "SALES" } ] }
    },
    {
      "name": "ws1",
      "domain": "corp.contoso.com",
      "ip": "10.0.1.21",
      "client": { "user": "CORP\\alice", "browser": "edge" }
    }
  ],
  "flows": [ { "name": "alice opens web1", "client": "ws1", "url": "http://web1/" } ]
}
)json");
}
