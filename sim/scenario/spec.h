// Plain structs that mirror a `kerbsim/1` scenario file, key for key (scenario-format.md).
// The loader fills them from JSON; the builder turns them into model objects. Every field has the
// product's real default, stated once here and in scenarios/README.md. No behaviour lives here.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "kerbsim/value.h"

namespace kerbsim::spec {

// Where a struct came from in the file: its JSON path ("/hosts/2/iis/sites/0"). The loader keeps
// the path -> line:column map, so validation messages can point into the file.
using Path = std::string;

// Durations are kept in seconds, as the file states them ("90s", "5m", "10h", "7d", or a number).
using Seconds = std::int64_t;

struct Settings {
  Seconds max_clock_skew = 5 * 60;                  // MaxClockSkew, kerberos-rules R2.8
  Seconds tgt_lifetime = 10 * 3600;                 // MaxTicketAge, R2.9
  Seconds service_ticket_lifetime = 600 * 60;       // MaxServiceAge, R2.9
  Seconds spn_negative_cache = 15 * 60;             // SpnCacheTimeout, R1.6
  Seconds protected_users_tgt_lifetime = 4 * 3600;  // R3.5.2
  int http_max_field_length = 16384;                // http.sys MaxFieldLength, R6.5
  int http_max_request_bytes = 16384;               // http.sys MaxRequestBytes, R6.5
  // Extensions (documented in scenarios/README.md).
  // DefaultDomainSupportedEncTypes for accounts without msDS-SupportedEncryptionTypes (R2.5):
  // AES only since the April 2026 updates.
  std::vector<std::string> default_enctypes = {"aes256", "aes128"};
  bool default_enctypes_given = false;
  // What the KDC answers for a duplicate SPN (R1.7): "7" KDC_ERR_S_PRINCIPAL_UNKNOWN (default) or
  // "8" KDC_ERR_PRINCIPAL_NOT_UNIQUE.
  int duplicate_spn_error = 7;
  Path at;
};

struct Domain {
  std::string dns;
  std::string netbios;
  std::string forest;  // empty = its own name (a forest root)
  std::string functional_level = "2016";
  std::vector<std::string> dcs;  // host names; empty = one implicit DC
  std::string kdc = "windows-2016";
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
  int token_groups = 10;                             // SIDs in the PAC counted as s-class (R6.3)
  int foreign_token_groups = 0;                      // d-class SIDs: universal groups of other domains, sIDHistory
  std::optional<std::vector<std::string>> enctypes;  // msDS-SupportedEncryptionTypes; unset = domain default
  bool aes_keys = true;                              // false = password last set before AES keys existed (R2.2)
  int password_version = 1;                          // kvno
  bool enabled = true;
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
  std::string identity = "ApplicationPoolIdentity";
  Path at;
};

struct AnonymousAuth {
  bool enabled = true;        // IIS default (iis-rules 1.7)
  std::string user = "IUSR";  // "" = the app pool identity
};

struct WindowsAuth {
  bool enabled = false;  // applicationHost.config default (iis-rules 3.1)
  std::vector<std::string> providers = {"Negotiate", "NTLM"};
  bool kernel_mode = true;                    // useKernelMode (iis-rules 3.3)
  bool use_app_pool_credentials = false;      // (iis-rules 3.4)
  std::optional<bool> auth_persist_non_ntlm;  // (iis-rules 3.8) unset: by IIS version
};

struct Site {
  std::string name;
  std::vector<std::string> bindings = {"http://*:80"};
  std::string app_pool;  // default: "DefaultAppPool" when present, else the first pool
  AnonymousAuth anonymous;
  WindowsAuth windows;
  bool basic = false;
  bool impersonate = false;  // ASP.NET <identity impersonate>; default false (iis-rules 3.12)
  std::optional<std::vector<std::string>> content_readers;  // unset = the stock ACL
  std::string app_isolation = "in_process";
  std::vector<Call> calls;
  Path at;
};

struct Iis {
  std::string version = "10.0";
  std::string isolation_mode = "worker_process";
  std::vector<AppPool> app_pools;
  std::vector<Site> sites;
  Path at;
};

struct SqlInstance {
  std::string name = "MSSQLSERVER";
  int port = 1433;
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
  bool disable_cname_lookup = false;
  bool include_port = false;
  std::vector<std::string> firefox_trusted_uris;
  std::vector<std::string> firefox_delegation_uris;
  bool try_ip_spn = false;  // TryIPSPN (kerberos-rules R1.10)
  Path at;
};

struct Host {
  std::string name;
  std::optional<std::string> domain;  // nullopt = workgroup
  std::string ip;                     // empty = generated
  std::string os = "2019";
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
  int layer = 4;
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

struct Workload {
  Seconds duration = 8 * 3600;
  std::uint64_t seed = 1;
  int users = 100;
  double requests_per_user_per_hour = 30;
  int connection_reuse = 5;
  double kdc_capacity_per_s = 2000;
  int netlogon_max_concurrent_api = 10;
  std::vector<std::string> flows;  // empty = every flow
  Seconds logon_spread = 3600;
  Seconds idle_timeout = 120;  // IIS limits.connectionTimeout
  Seconds replication_delay = 15;
  int netlogon_call_ms = 20;
  Seconds netlogon_timeout = 45;
  int network_rtt_ms = 1;
  int server_time_ms = 20;
  Seconds interval = 0;  // 0 = chosen from the duration
  bool restart_keeps_previous_key = false;
  struct GroupShare {
    int groups = 0;
    double share = 1;
  };
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
