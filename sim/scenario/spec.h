// Plain structs that mirror a `kerbsim/1` scenario file, key for key (scenario-format.md).
// The loader fills them from JSON; the builder turns them into model objects. Every field has the
// product's real default: the model type states it once with its rule, and a field here starts from
// it, in the file's units; the rest are stated here (and in scenarios/README.md). No behaviour lives here.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "backend/sql.h"
#include "directory/directory.h"
#include "engine/time.h"
#include "farm/environment.h"
#include "kerberos/etype.h"
#include "kerberos/kdc.h"
#include "kerbsim/value.h"
#include "net/browser.h"
#include "net/load_balancer.h"
#include "web/iis.h"
#include "workload/workload.h"

namespace kerbsim::spec {

// Where a struct came from in the file: its JSON path ("/hosts/2/iis/sites/0"). The loader keeps
// the path -> line:column map, so validation messages can point into the file.
using Path = std::string;

// Durations are kept in seconds, as the file states them ("90s", "5m", "10h", "7d", or a number).
using Seconds = std::int64_t;
constexpr Seconds in_seconds(engine::SimTime t) { return t / engine::kSecond; }
constexpr int in_milliseconds(engine::SimTime t) { return static_cast<int>(t / engine::kMillisecond); }

// Domain policy (kerberos::KdcPolicy), the clients' SPN cache (farm::Environment) and the http.sys
// limits of every host (farm::Host).
struct Settings {
  Seconds max_clock_skew = in_seconds(kerberos::KdcPolicy{}.max_clock_skew);                    // MaxClockSkew
  Seconds tgt_lifetime = in_seconds(kerberos::KdcPolicy{}.tgt_lifetime);                        // MaxTicketAge
  Seconds service_ticket_lifetime = in_seconds(kerberos::KdcPolicy{}.service_ticket_lifetime);  // MaxServiceAge
  Seconds spn_negative_cache = in_seconds(farm::Environment{}.spn_negative_cache);              // SpnCacheTimeout
  Seconds protected_users_tgt_lifetime = in_seconds(kerberos::KdcPolicy{}.protected_users_tgt_lifetime);
  int http_max_field_length = farm::Host{}.http_max_field_length;    // http.sys MaxFieldLength
  int http_max_request_bytes = farm::Host{}.http_max_request_bytes;  // http.sys MaxRequestBytes
  // Extensions (documented in scenarios/README.md).
  // DefaultDomainSupportedEncTypes for accounts without msDS-SupportedEncryptionTypes.
  std::vector<std::string> default_enctypes =
      kerberos::enctype_names(kerberos::KdcPolicy{}.default_domain_supported_enctypes);
  bool default_enctypes_given = false;
  // What the KDC answers for a duplicate SPN: 7 KDC_ERR_S_PRINCIPAL_UNKNOWN or 8 KDC_ERR_PRINCIPAL_NOT_UNIQUE.
  int duplicate_spn_error = static_cast<int>(kerberos::KdcPolicy{}.duplicate_spn_error);
  Path at;
};

struct Domain {
  std::string dns;
  std::string netbios;
  std::string forest;  // empty = its own name (a forest root)
  std::string functional_level = directory::Domain{}.functional_level;
  std::vector<std::string> dcs;  // host names; empty = one implicit DC
  std::string kdc = directory::profile_name(directory::Domain{}.kdc);
  bool kds_root_key = false;         // the forest has a usable KDS root key (also when it has a gMSA)
  bool spn_uniqueness_check = true;  // false: dsHeuristics turns the DCs' duplicate-SPN check off (forest root)
  Path at;
};

struct Trust {
  std::string from;
  std::string to;
  std::string kind = "forest";        // forest | external
  std::string direction = "two-way";  // two-way | outbound | inbound
  bool tgt_delegation = false;        // EnableTGTDelegation
  Path at;
};

// Delegation settings an account carries (user, gMSA, or a host's computer account).
struct DelegationSettings {
  std::vector<std::string> spns;
  bool trusted_for_delegation = false;
  bool trusted_to_auth_for_delegation = false;
  std::vector<std::string> allowed_to_delegate_to;
  std::vector<std::string> allowed_to_act;
};

struct Account {
  std::string name;           // "CORP\\alice" or bare "alice" when the scenario has one domain
  std::string type = "user";  // user | gmsa | computer
  DelegationSettings delegation;
  bool sensitive = false;
  std::vector<std::string> groups;
  int token_groups = directory::Account{}.token_groups;                  // SIDs in the PAC counted as s-class
  int foreign_token_groups = directory::Account{}.foreign_token_groups;  // d-class SIDs
  std::optional<std::vector<std::string>> enctypes;  // msDS-SupportedEncryptionTypes; unset = domain default
  bool aes_keys = directory::Account{}.aes_keys;     // false = password last set before AES keys existed
  int password_version = directory::Account{}.kvno;  // kvno
  bool enabled = directory::Account{}.enabled;
  Path at;
};

struct Call {
  std::string to;             // host or DNS name
  std::string instance;       // SQL instance name
  std::string url;            // HTTP/SSRS target
  std::string as = "caller";  // caller | process | anonymous | <account>
  Path at;
};

struct AppPool {
  std::string name;
  std::string identity = web::AppPool{}.identity.describe();  // "ApplicationPoolIdentity"
  Path at;
};

// A site's authentication starts from web::Site's defaults.
struct AnonymousAuth {
  bool enabled = web::Site{}.anonymous_enabled;
  std::string user = web::Site{}.anonymous_user;  // "" = the app pool identity
};

struct WindowsAuth {
  bool enabled = web::Site{}.windows_enabled;
  std::vector<std::string> providers = web::provider_names(web::Site{}.providers);
  bool kernel_mode = web::Site{}.kernel_mode;                            // useKernelMode
  bool use_app_pool_credentials = web::Site{}.use_app_pool_credentials;  // useAppPoolCredentials
  std::optional<bool> auth_persist_non_ntlm;                             // (iis-rules 3.8) unset: by IIS version
};

struct Site {
  std::string name;
  std::vector<std::string> bindings = {"http://*:80"};
  std::string app_pool;  // default: "DefaultAppPool" when present, else the first pool
  AnonymousAuth anonymous;
  WindowsAuth windows;
  bool basic = web::Site{}.basic_enabled;
  bool impersonate = web::Site{}.impersonate;               // ASP.NET <identity impersonate>
  std::optional<std::vector<std::string>> content_readers;  // unset = the stock ACL
  std::string app_isolation = web::Site{}.app_isolation;
  std::vector<Call> calls;
  Path at;
};

struct Iis {
  std::string version = web::IisServer{}.version;
  std::string isolation_mode = "worker_process";
  std::vector<AppPool> app_pools;
  std::vector<Site> sites;
  Path at;
};

struct SqlInstance {
  std::string name = backend::SqlInstance{}.name;
  int port = backend::SqlInstance{}.port;
  bool dynamic_port = false;
  std::string service_account;  // default: the instance's virtual account
  std::vector<Call> calls;
  Path at;
};

struct Sql {
  std::vector<SqlInstance> instances;
  Path at;
};

struct Ssrs {
  std::string service_account = "NT SERVICE\\SQLServerReportingServices";
  std::optional<std::vector<std::string>> authentication_types;  // unset = setup's default (iis-rules 7.3)
  std::string hostname;
  std::vector<Call> calls;
  Path at;
};

struct Client {
  std::string user;
  std::string browser = "edge";
  std::vector<std::string> intranet_sites;
  std::vector<std::string> auth_server_allowlist;
  std::vector<std::string> delegate_allowlist;
  bool disable_cname_lookup = net::BrowserPolicy{}.disable_cname_lookup;
  bool include_port = net::BrowserPolicy{}.include_port;
  std::vector<std::string> firefox_trusted_uris;
  std::vector<std::string> firefox_delegation_uris;
  bool try_ip_spn = net::BrowserPolicy{}.try_ip_spn;  // TryIPSPN
  Path at;
};

struct Host {
  std::string name;
  std::optional<std::string> domain;  // nullopt = workgroup
  std::string ip;                     // empty = generated
  std::string os = farm::Host{}.os;
  Seconds clock_offset = 0;
  bool credential_guard = false;
  DelegationSettings account;
  std::optional<int> http_max_field_length;
  std::optional<int> http_max_request_bytes;
  std::vector<std::string> back_connection_host_names;  // BackConnectionHostNames (iis-rules 3.13)
  std::optional<Iis> iis;
  std::optional<Sql> sql;
  std::optional<Ssrs> ssrs;
  std::optional<Client> client;
  Path at;
};

struct DnsRecord {
  std::string name;
  std::string a;      // IPv4
  std::string cname;  // target name
  Path at;
};

struct LoadBalancer {
  std::string name;
  std::string vip;
  std::vector<std::string> members;
  std::string algorithm = "round_robin";
  std::string affinity = "none";
  int layer = net::LoadBalancer{}.layer;
  Path at;
};

struct Flow {
  std::string name;
  std::string client;
  std::string url;
  Path at;
};

struct WorkloadEvent {
  Seconds at_time = 0;
  std::string action;
  Value fields;  // the event's other keys, validated per action by the workload
  Path at;
};

// Starts from workload::Workload's defaults, in seconds and milliseconds.
struct Workload {
  Seconds duration = in_seconds(workload::Workload{}.duration);
  std::uint64_t seed = workload::Workload{}.seed;
  int users = workload::Workload{}.users;
  double requests_per_user_per_hour = workload::Workload{}.requests_per_user_per_hour;
  int connection_reuse = workload::Workload{}.connection_reuse;
  double kdc_capacity_per_s = workload::Workload{}.kdc_capacity_per_s;
  int netlogon_max_concurrent_api = workload::Workload{}.netlogon_max_concurrent_api;
  std::vector<std::string> flows;  // empty = every flow
  Seconds logon_spread = in_seconds(workload::Workload{}.logon_spread);
  Seconds idle_timeout = in_seconds(workload::Workload{}.idle_timeout);  // IIS limits.connectionTimeout
  Seconds replication_delay = in_seconds(workload::Workload{}.replication_delay);
  int netlogon_call_ms = in_milliseconds(workload::Workload{}.netlogon_call_time);
  Seconds netlogon_timeout = in_seconds(workload::Workload{}.netlogon_timeout);
  int network_rtt_ms = in_milliseconds(workload::Workload{}.network_rtt);
  int server_time_ms = in_milliseconds(workload::Workload{}.server_time);
  Seconds interval = in_seconds(workload::Workload{}.interval);  // 0 = chosen from the duration
  bool restart_keeps_previous_key = workload::Workload{}.restart_keeps_previous_key;
  using GroupShare = workload::Workload::GroupShare;
  std::vector<GroupShare> group_counts;
  std::vector<WorkloadEvent> events;
  Path at;
  int line = 0;  // where "workload" starts, for messages given after loading (the budget check)
  int column = 0;
};

// A number a simulation must produce, within bounds ("expect": [{ "simulation": { ... } }]).
struct SimulationExpectation {
  std::string metric;
  std::string node;
  std::string flow;
  Seconds from = 0;
  std::optional<Seconds> until;
  std::optional<double> min;
  std::optional<double> max;
  Path at;
};

struct Expectation {
  std::optional<SimulationExpectation> simulation;  // set: a simulation expectation, flow and outcome unused
  std::string flow;
  std::string via;  // empty = every path must match
  Value outcome;    // a partial traced outcome
  Path at;
};

struct Scenario {
  std::string file;  // as given on the command line
  std::string format;
  std::string name;
  std::string title;
  std::string description;
  Settings settings;
  std::vector<Domain> domains;
  std::vector<Trust> trusts;
  std::vector<Account> accounts;
  std::vector<Host> hosts;
  std::vector<DnsRecord> dns;
  std::vector<LoadBalancer> load_balancers;
  std::vector<Flow> flows;
  std::optional<Workload> workload;
  std::vector<Expectation> expect;
};

}  // namespace kerbsim::spec
