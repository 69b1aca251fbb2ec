// The population simulation on small farms built in C++: what the balancer does to a ticket that only
// one node can decrypt, the client caches (tickets, negative SPN cache) against timeline changes,
// replication between two DCs, the Netlogon channel's capacity, determinism, and the budget check.
#include <unistd.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string>
#include <vector>

#include "kerbsim/kerbsim.h"
#include "support/corp.h"
#include "workload/simulator.h"

using namespace kerbsim;
using engine::kHour;
using engine::kMillisecond;
using engine::kMinute;
using engine::kSecond;
using engine::SimTime;
using workload::Action;
using workload::Change;
using workload::Probe;
using workload::Workload;

namespace {

const std::string kSpn = "HTTP/portal.corp.contoso.com";

struct FarmOptions {
  int nodes = 4;                       // web1 .. webN behind lb1 (portal.corp.contoso.com)
  std::string spn_on = "CORP\\WEB1$";  // who holds HTTP/portal.corp.contoso.com; "" = nobody
  std::string identity = "ApplicationPoolIdentity";
  bool use_app_pool_credentials = false;
  net::LbAlgorithm algorithm = net::LbAlgorithm::RoundRobin;
  net::LbAffinity affinity = net::LbAffinity::None;
  int layer = 4;
  std::vector<std::string> dcs = {"dc1"};
  bool dc_hosts = false;  // declare the DCs as hosts too, as a scenario file must
  int clients = 1;        // ws1 (alice), ws2 (bob), ...: one flow each, named after its client
};

// corp.contoso.com with CORP\svc-portal (a user account) and CORP\gmsa-portal$ (a gMSA), a farm of
// IIS nodes with one app pool "Portal" each, and workstations opening http://portal.corp.contoso.com/.
farm::Environment make_farm(const FarmOptions& o = {}) {
  farm::Environment env;
  env.name = "farm";
  env.title = "test farm";
  env.directory.add_domain({"corp.contoso.com", "CORP", "corp.contoso.com", "2016", o.dcs});
  env.directory.add_account(test::corp_user("svc-portal"));
  directory::Account gmsa = test::corp_user("gmsa-portal$");
  gmsa.kind = directory::AccountKind::Gmsa;
  gmsa.supported_enctypes = kerberos::kAes256Bit | kerberos::kAes128Bit;
  env.directory.add_account(gmsa);
  if (o.dc_hosts)
    for (std::size_t d = 0; d < o.dcs.size(); ++d) {
      env.directory.add_account(test::corp_computer(o.dcs[d]));
      env.hosts.push_back(test::corp_member(o.dcs[d], "10.0.0." + std::to_string(d + 1)));
    }
  net::LoadBalancer lb{"lb1", "10.0.0.100", {}, o.algorithm, o.affinity, o.layer};
  for (int i = 1; i <= o.nodes; ++i) {
    const std::string name = "web" + std::to_string(i);
    env.directory.add_account(test::corp_computer(name));
    env.hosts.push_back(
        test::corp_iis_node(name, "10.0.0." + std::to_string(10 + i), o.identity, o.use_app_pool_credentials));
    lb.members.push_back(name);
  }
  const char* const users[] = {"alice", "bob", "carol", "dave"};
  for (int i = 1; i <= o.clients; ++i) {
    const std::string name = "ws" + std::to_string(i);
    env.directory.add_account(test::corp_user(users[i - 1]));
    env.directory.add_account(test::corp_computer(name));
    env.hosts.push_back(
        test::corp_client(name, "10.0.1." + std::to_string(20 + i), "CORP\\" + std::string(users[i - 1])));
    env.flows.push_back({name, name, "http://portal.corp.contoso.com/"});
  }
  if (!o.spn_on.empty()) env.directory.add_spn(*env.directory.find_account(o.spn_on), test::spn(kSpn));
  for (const auto& h : env.hosts) env.dns.add_a(h.fqdn, h.ip);
  env.dns.add_a("portal.corp.contoso.com", lb.vip);
  env.load_balancers.push_back(lb);
  return env;
}

// A small population: everyone logs on in the first ten minutes.
Workload small(int users = 100, SimTime duration = 2 * kHour) {
  Workload w;
  w.users = users;
  w.duration = duration;
  w.seed = 1;
  w.logon_spread = 10 * kMinute;
  return w;
}

Change change(SimTime at, Action action) {
  Change c;
  c.at = at;
  c.action = action;
  return c;
}
Change on_host(SimTime at, Action action, const std::string& host) {
  Change c = change(at, action);
  c.host = host;
  c.app_pool = "Portal";
  c.site = "Portal";
  return c;
}
Change on_account(SimTime at, Action action, const std::string& account, const std::string& spn = "") {
  Change c = change(at, action);
  c.account = account;
  if (!spn.empty()) c.spn = test::spn(spn);
  return c;
}

Probe probe(const std::string& metric, SimTime from = 0, std::optional<SimTime> until = std::nullopt,
            const std::string& node = "", const std::string& flow = "") {
  Probe p;
  p.metric = workload::metric_by_name(metric).value();
  p.node = node;
  p.flow = flow;
  p.from = from;
  p.until = until;
  return p;
}

double measure(const farm::Environment& env, const Workload& w, const Probe& p) {
  return workload::simulate(env, w, {p}).probes.at(0);
}

std::uint64_t count_of(const std::vector<CountByName>& list, const std::string& name) {
  for (const auto& c : list)
    if (c.name == name) return c.count;
  return 0;
}

const NodeLoad& node_load(const SimulationReport& r, const std::string& node) {
  const auto it = std::find_if(r.nodes.begin(), r.nodes.end(), [&](const NodeLoad& n) { return n.node == node; });
  REQUIRE(it != r.nodes.end());
  return *it;
}

bool has_change(const SimulationReport& r, SimTime at, const std::string& action, const std::string& where) {
  return std::any_of(r.changes.begin(), r.changes.end(),
                     [&](const AppliedChange& c) { return c.at == at && c.action == action && c.where == where; });
}

// A scenario file in a fresh temporary folder, removed with the object.
class TempScenario {
 public:
  explicit TempScenario(const std::string& text) {
    static int counter = 0;
    dir_ = std::filesystem::temp_directory_path() /
           ("kerbsim-simulator-test-" + std::to_string(::getpid()) + "-" + std::to_string(++counter));
    std::filesystem::create_directories(dir_);
    path_ = (dir_ / "farm.json").string();
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

// Two nodes, the SPN on WEB1$, round robin; the workload is spliced in.
std::string farm_json(const std::string& workload) {
  std::string s = R"({ "format": "kerbsim/1", "name": "tiny-farm", "title": "Two nodes, SPN on web1",
  "domains": [ { "dns": "corp.contoso.com", "netbios": "CORP", "dcs": ["dc1"] } ],
  "accounts": [ { "name": "CORP\\alice" } ],
  "hosts": [
    { "name": "dc1", "domain": "corp.contoso.com", "ip": "10.0.0.1" },
    { "name": "web1", "domain": "corp.contoso.com", "ip": "10.0.0.11", "account": { "spns": ["HTTP/portal.corp.contoso.com"] },
      "iis": { "app_pools": [ { "name": "Portal" } ],
               "sites": [ { "name": "Portal", "app_pool": "Portal", "anonymous": { "enabled": false }, "windows": { "enabled": true } } ] } },
    { "name": "web2", "domain": "corp.contoso.com", "ip": "10.0.0.12",
      "iis": { "app_pools": [ { "name": "Portal" } ],
               "sites": [ { "name": "Portal", "app_pool": "Portal", "anonymous": { "enabled": false }, "windows": { "enabled": true } } ] } },
    { "name": "ws1", "domain": "corp.contoso.com", "ip": "10.0.1.21",
      "client": { "user": "CORP\\alice", "intranet_sites": ["*.corp.contoso.com"] } } ],
  "dns": { "portal.corp.contoso.com": { "a": "10.0.0.100" } },
  "load_balancers": [ { "name": "lb1", "vip": "10.0.0.100", "members": ["web1", "web2"] } ],
  "flows": [ { "name": "alice opens the portal", "client": "ws1", "url": "http://portal.corp.contoso.com/" } ])";
  if (!workload.empty()) s += ",\n  \"workload\": " + workload;
  return s + " }";
}

}  // namespace

// ---- the balancer and a ticket only one node can decrypt ---------------------------------------

TEST_CASE("round robin with the SPN on one node of N fails about 1 - 1/N of requests, for every user", "[workload]") {
  const int n = GENERATE(2, 3, 4);
  INFO(n << " nodes");
  FarmOptions o;
  o.nodes = n;
  const auto env = make_farm(o);
  const auto run = workload::simulate(
      env, small(),
      {probe("failure_fraction"), probe("failure_fraction", 0, {}, "web1"), probe("failure_fraction", 0, {}, "web2"),
       probe("connection_failure_fraction"), probe("users_sometimes_failing_fraction"), probe("kerberos_fraction")});
  const double expected = 1.0 - 1.0 / n;
  CHECK(run.probes[0] == Approx(expected).margin(0.05));
  CHECK(run.probes[1] == 0.0);  // web1 decrypts the ticket
  CHECK(run.probes[2] == 1.0);  // web2 never can
  CHECK(run.probes[3] == Approx(expected).margin(0.05));
  CHECK(run.probes[4] >= 0.95);  // the same person works, then gets a prompt, then works again
  CHECK(run.probes[5] == 1.0);   // Negotiate does not fall back to NTLM after a rejected ticket

  const SimulationReport& r = run.report;
  CHECK(r.user_spread.active == 100);
  CHECK(r.user_spread.always_failing + r.user_spread.never_failing <= 5);
  REQUIRE_FALSE(r.errors.empty());
  CHECK(r.errors.front().name == "KRB_AP_ERR_MODIFIED");
  CHECK(r.errors.front().count == r.requests.failed);
  // Round robin spreads connections evenly.
  REQUIRE(r.nodes.size() == static_cast<std::size_t>(n));
  for (const auto& node : r.nodes)
    CHECK(static_cast<double>(node.connections) == Approx(static_cast<double>(r.connections) / n).epsilon(0.1));
}

TEST_CASE("source-IP affinity sends each user to one node: users always fail or never do", "[workload]") {
  FarmOptions o;
  o.affinity = net::LbAffinity::SourceIp;
  const auto env = make_farm(o);
  const auto run =
      workload::simulate(env, small(200),
                         {probe("users_sometimes_failing_fraction"), probe("users_always_failing_fraction"),
                          probe("users_never_failing_fraction"), probe("failure_fraction")});
  CHECK(run.probes[0] == 0.0);
  CHECK(run.probes[1] == Approx(0.75).margin(0.12));
  CHECK(run.probes[1] + run.probes[2] == Approx(1.0));
  CHECK(run.probes[3] == Approx(run.probes[1]).margin(0.05));
  const auto& spread = run.report.user_spread;
  CHECK(spread.sometimes_failing == 0);
  CHECK(spread.always_failing + spread.never_failing == spread.active);

  SECTION("the source-IP hash algorithm does the same without affinity") {
    o.affinity = net::LbAffinity::None;
    o.algorithm = net::LbAlgorithm::SourceIpHash;
    CHECK(measure(make_farm(o), small(200), probe("users_sometimes_failing_fraction")) == 0.0);
  }
  SECTION("round robin mixes them") {
    o.affinity = net::LbAffinity::None;
    CHECK(measure(make_farm(o), small(200), probe("users_sometimes_failing_fraction")) >= 0.95);
  }
}

TEST_CASE("cookie affinity pins each user to the node of its first request", "[workload]") {
  FarmOptions o;
  o.affinity = net::LbAffinity::Cookie;
  o.layer = 7;
  const auto env = make_farm(o);
  const auto run = workload::simulate(env, small(200),
                                      {probe("users_sometimes_failing_fraction"), probe("users_never_failing_fraction"),
                                       probe("requests"), probe("connections")});
  CHECK(run.probes[0] == 0.0);
  CHECK(run.probes[1] == Approx(0.25).margin(0.1));
  // A layer-7 balancer re-pools connections: every request arrives on a new one.
  CHECK(run.probes[2] == run.probes[3]);

  SECTION("a user pinned to a node taken out of service moves, and stays where it moved") {
    Workload w = small(200);
    w.changes.push_back(on_host(30 * kMinute, Action::NodeDown, "web1"));
    const auto moved =
        workload::simulate(env, w,
                           {probe("failure_fraction", 30 * kMinute), probe("requests", 30 * kMinute, {}, "web1"),
                            probe("users_sometimes_failing_fraction", 30 * kMinute)});
    CHECK(moved.probes[0] == 1.0);  // only web1 could decrypt the tickets
    CHECK(moved.probes[1] == 0.0);
    CHECK(moved.probes[2] == 0.0);
  }
}

TEST_CASE("a node out of service leaves the rotation and its failures stop until it returns", "[workload]") {
  FarmOptions o;
  o.nodes = 2;
  const auto env = make_farm(o);
  Workload w = small(100, 3 * kHour);
  w.changes.push_back(on_host(1 * kHour, Action::NodeDown, "web2"));
  w.changes.push_back(on_host(2 * kHour, Action::NodeUp, "web2"));
  const auto run = workload::simulate(
      env, w,
      {probe("failure_fraction", 0, 1 * kHour), probe("failure_fraction", 1 * kHour, 2 * kHour),
       probe("requests", 1 * kHour, 2 * kHour, "web2"), probe("failure_fraction", 2 * kHour + 10 * kMinute),
       probe("requests", 2 * kHour + 10 * kMinute, {}, "web2")});
  CHECK(run.probes[0] == Approx(0.5).margin(0.06));
  CHECK(run.probes[1] == 0.0);
  CHECK(run.probes[2] == 0.0);
  CHECK(run.probes[3] == Approx(0.5).margin(0.08));
  CHECK(run.probes[4] > 0);
  CHECK(has_change(run.report, 1 * kHour, "node_down", "web2"));
  CHECK(has_change(run.report, 2 * kHour, "node_up", "web2"));

  SECTION("with every node out of service, requests fail with NO_NODE_IN_SERVICE") {
    Workload all_down = small(50, 1 * kHour);
    all_down.changes.push_back(on_host(30 * kMinute, Action::NodeDown, "web1"));
    all_down.changes.push_back(on_host(30 * kMinute, Action::NodeDown, "web2"));
    const auto down = workload::simulate(env, all_down, {probe("failure_fraction", 30 * kMinute)});
    CHECK(down.probes[0] == 1.0);
    CHECK(count_of(down.report.errors, "NO_NODE_IN_SERVICE") > 0);
  }
}

// ---- the client's caches ----------------------------------------------------------------------

TEST_CASE("after add_spn, a negative SPN cache entry keeps a client on NTLM for up to 15 minutes", "[workload]") {
  FarmOptions o;
  o.nodes = 2;
  o.spn_on = "";
  o.identity = "CORP\\svc-portal";
  o.use_app_pool_credentials = true;
  auto env = make_farm(o);
  Workload w = small(100, 2 * kHour);
  w.connection_reuse = 1;  // every request authenticates on a new connection
  w.changes.push_back(on_account(1 * kHour, Action::AddSpn, "CORP\\svc-portal", kSpn));
  const std::vector<Probe> probes = {probe("ntlm_fraction", 0, 1 * kHour),
                                     probe("degraded_fraction", 0, 1 * kHour),
                                     probe("ntlm_fraction", 1 * kHour + kMinute, 1 * kHour + 5 * kMinute),
                                     probe("kerberos_fraction", 1 * kHour + 5 * kMinute, 1 * kHour + 15 * kMinute),
                                     probe("kerberos_fraction", 1 * kHour + 15 * kMinute),
                                     probe("failure_fraction")};

  SECTION("with the default 15-minute negative cache") {
    REQUIRE(env.spn_negative_cache == 15 * kMinute);
    const auto run = workload::simulate(env, w, probes);
    CHECK(run.probes[0] == 1.0);  // KDC_ERR_S_PRINCIPAL_UNKNOWN, then NTLM
    CHECK(run.probes[1] == 1.0);
    CHECK(run.probes[2] >= 0.5);  // most clients still hold the entry
    CHECK(run.probes[3] > 0.1);   // entries expire one by one
    CHECK(run.probes[3] < 0.99);
    CHECK(run.probes[4] == 1.0);  // every entry is gone 15 minutes after the change
    CHECK(run.probes[5] == 0.0);  // NTLM works; degraded, not failed
    CHECK(count_of(run.report.errors, "KDC_ERR_S_PRINCIPAL_UNKNOWN") > 0);
  }
  SECTION("without a negative cache the clients move at once") {
    env.spn_negative_cache = 0;
    const auto run = workload::simulate(env, w, probes);
    CHECK(run.probes[0] == 1.0);
    CHECK(run.probes[2] == 0.0);
    CHECK(run.probes[4] == 1.0);
  }
  SECTION("purge_tickets empties the negative cache too") {
    w.changes.push_back(change(1 * kHour + 30 * kSecond, Action::PurgeTickets));
    const auto run = workload::simulate(env, w, {probe("kerberos_fraction", 1 * kHour + kMinute)});
    CHECK(run.probes[0] == 1.0);
    CHECK(has_change(run.report, 1 * kHour + 30 * kSecond, "purge_tickets", "every client"));
  }
}

TEST_CASE("cached tickets outlive a move of the SPN until purge_tickets clears them, client by client", "[workload]") {
  FarmOptions o;
  o.nodes = 2;
  o.spn_on = "CORP\\svc-portal";
  o.identity = "CORP\\svc-portal";
  o.use_app_pool_credentials = true;
  o.clients = 2;
  const auto env = make_farm(o);
  Workload w = small(100, 2 * kHour);
  w.connection_reuse = 1;
  // At 30m the SPN and the pools move to the gMSA; the clients hold tickets for svc-portal.
  w.changes.push_back(on_account(30 * kMinute, Action::RemoveSpn, "CORP\\svc-portal", kSpn));
  w.changes.push_back(on_account(30 * kMinute, Action::AddSpn, "CORP\\gmsa-portal$", kSpn));
  for (const char* node : {"web1", "web2"}) {
    Change c = on_host(30 * kMinute, Action::ChangeAppPoolIdentity, node);
    c.identity = web::parse_identity("CORP\\gmsa-portal$");
    w.changes.push_back(c);
  }
  Change purge = change(1 * kHour, Action::PurgeTickets);
  purge.clients = {"ws1"};
  w.changes.push_back(purge);
  const auto run = workload::simulate(
      env, w,
      {probe("failure_fraction", 0, 30 * kMinute), probe("failure_fraction", 31 * kMinute, 1 * kHour),
       probe("failure_fraction", 1 * kHour + kMinute, {}, "", "ws1"),
       probe("failure_fraction", 1 * kHour + kMinute, {}, "", "ws2")});
  CHECK(run.probes[0] == 0.0);
  CHECK(run.probes[1] == 1.0);  // every node now decrypts with the gMSA's key
  CHECK(run.probes[2] == 0.0);  // ws1 was purged: a new ticket, for the gMSA
  CHECK(run.probes[3] == 1.0);  // ws2 still replays the old one
  CHECK(has_change(run.report, 1 * kHour, "purge_tickets", "the listed clients"));
  CHECK(count_of(run.report.errors, "KRB_AP_ERR_MODIFIED") == run.report.requests.failed);
}

// ---- passwords --------------------------------------------------------------------------------

TEST_CASE("a user account's password change breaks only tickets issued after it; a pool restart repairs them",
          "[workload]") {
  FarmOptions o;
  o.nodes = 2;
  o.spn_on = "CORP\\svc-portal";
  o.identity = "CORP\\svc-portal";
  o.use_app_pool_credentials = true;
  o.clients = 2;
  const auto env = make_farm(o);
  Workload w = small(100, 2 * kHour);
  w.connection_reuse = 1;
  w.changes.push_back(on_account(30 * kMinute, Action::PasswordChange, "CORP\\svc-portal"));
  Change purge = change(45 * kMinute, Action::PurgeTickets);
  purge.clients = {"ws2"};  // ws2's users ask again: tickets under the new kvno
  w.changes.push_back(purge);
  w.changes.push_back(on_host(90 * kMinute, Action::AppPoolRestart, "web1"));
  w.changes.push_back(on_host(90 * kMinute, Action::AppPoolRestart, "web2"));
  const std::vector<Probe> probes = {
      probe("failure_fraction", 0, 45 * kMinute),  // the change itself breaks nothing
      probe("failure_fraction", 0, 90 * kMinute, "", "ws1"),
      probe("failure_fraction", 46 * kMinute, 90 * kMinute, "", "ws2"),
      probe("failure_fraction", 91 * kMinute, {}, "", "ws2"),
      probe("failure_fraction", 91 * kMinute, {}, "", "ws1"),
  };

  SECTION("after the restart the pools hold only the new key") {
    const auto run = workload::simulate(env, w, probes);
    CHECK(run.probes[0] == 0.0);
    CHECK(run.probes[1] == 0.0);
    CHECK(run.probes[2] == 1.0);
    CHECK(run.probes[3] == 0.0);
    CHECK(run.probes[4] == 1.0);  // ws1's tickets under the old kvno are refused now
    CHECK(count_of(run.report.errors, "KRB_AP_ERR_MODIFIED") == run.report.requests.failed);
    CHECK(has_change(run.report, 30 * kMinute, "password_change", "dc1"));
    CHECK(has_change(run.report, 90 * kMinute, "app_pool_restart", "web1"));
  }
  SECTION("restart_keeps_previous_key: the old tickets keep working after the restart") {
    w.restart_keeps_previous_key = true;
    const auto run = workload::simulate(env, w, probes);
    CHECK(run.probes[2] == 1.0);
    CHECK(run.probes[3] == 0.0);
    CHECK(run.probes[4] == 0.0);
  }
  SECTION("without the purge nobody notices the change before the restart") {
    w.changes.erase(w.changes.begin() + 1);
    const auto run = workload::simulate(env, w, {probe("failure_fraction", 0, 90 * kMinute)});
    CHECK(run.probes[0] == 0.0);
  }
}

TEST_CASE(
    "a back end keeps its held key versions in a simulation: a SQL service account's password change "
    "breaks the hop until the service restarts",
    "[workload]") {
  FarmOptions o;
  o.nodes = 1;
  o.clients = 1;
  auto env = make_farm(o);
  // web1's site calls sql1 as its process (CORP\WEB1$): no delegation, only sql1's key matters.
  env.hosts[0].iis->sites[0].calls.push_back({"sql1", "", "", "process"});
  farm::Host sql1 = test::corp_member("sql1", "10.0.0.31");
  backend::SqlInstance instance;
  instance.service_account = web::parse_identity("CORP\\svc-sql");
  sql1.sql = backend::SqlServer{{instance}};
  env.directory.add_account(test::corp_computer("sql1"));
  env.directory.add_account(test::corp_user("svc-sql", {"MSSQLSvc/sql1.corp.contoso.com:1433"}));
  env.dns.add_a(sql1.fqdn, sql1.ip);
  env.hosts.push_back(sql1);
  Workload w = small(50, 2 * kHour);
  w.connection_reuse = 1;
  w.changes.push_back(on_account(30 * kMinute, Action::PasswordChange, "CORP\\svc-sql"));
  const auto run =
      workload::simulate(env, w, {probe("failure_fraction", 0, 30 * kMinute), probe("failure_fraction", 31 * kMinute)});
  CHECK(run.probes[0] == 0.0);
  // SQL Server still decrypts with the old password's key; tickets now carry the new kvno (kerberos-rules R2.7).
  CHECK(run.probes[1] == 1.0);
}

TEST_CASE("the error tally counts the verdict's cause: the failing hop, not the front end's recovered error",
          "[workload]") {
  FarmOptions o;
  o.nodes = 1;
  o.spn_on = "";  // no SPN for the front end: Kerberos fails first, NTLM logs the user on
  auto env = make_farm(o);
  auto& site = env.hosts[0].iis->sites[0];
  site.impersonate = true;
  site.calls.push_back({"sql1", "", "", "caller"});  // NTLM cannot be delegated; WEB1$ may not delegate
  farm::Host sql1 = test::corp_member("sql1", "10.0.0.31");
  sql1.sql = backend::SqlServer{{backend::SqlInstance{}}};
  env.directory.add_account(test::corp_computer("sql1", {"MSSQLSvc/sql1.corp.contoso.com:1433"}));
  env.dns.add_a(sql1.fqdn, sql1.ip);
  env.hosts.push_back(sql1);
  const auto run = workload::simulate(env, small(20, kHour), {});
  REQUIRE(run.report.requests.failed > 0);
  CHECK(count_of(run.report.errors, "KDC_ERR_BADOPTION") == run.report.requests.failed);
  CHECK(count_of(run.report.errors, "KDC_ERR_S_PRINCIPAL_UNKNOWN") == 0);
}

TEST_CASE("a gMSA's or a computer's password change breaks nothing: their hosts keep both keys", "[workload]") {
  FarmOptions o;
  o.clients = 2;
  std::string account;
  SECTION("a gMSA running the pools") {
    o.nodes = 2;
    o.spn_on = account = "CORP\\gmsa-portal$";
    o.identity = "CORP\\gmsa-portal$";
    o.use_app_pool_credentials = true;
  }
  SECTION("the computer account of a single node") {
    o.nodes = 1;
    o.spn_on = account = "CORP\\WEB1$";
  }
  const auto env = make_farm(o);
  Workload w = small(100, 90 * kMinute);
  w.connection_reuse = 1;
  w.changes.push_back(on_account(30 * kMinute, Action::PasswordChange, account));
  Change purge = change(45 * kMinute, Action::PurgeTickets);
  purge.clients = {"ws2"};
  w.changes.push_back(purge);
  const auto run = workload::simulate(env, w, {probe("failure_fraction"), probe("kerberos_fraction")});
  CHECK(run.probes[0] == 0.0);
  CHECK(run.probes[1] == 1.0);
  CHECK(run.report.requests.failed == 0);
}

TEST_CASE("a pool restart after a gMSA's or a computer's password change keeps the previous key", "[workload]") {
  FarmOptions o;
  std::string account;
  SECTION("a gMSA running the pool") {
    o.nodes = 1;
    o.spn_on = account = "CORP\\gmsa-portal$";
    o.identity = "CORP\\gmsa-portal$";
    o.use_app_pool_credentials = true;
  }
  SECTION("the computer account of the node") {
    o.nodes = 1;
    o.spn_on = account = "CORP\\WEB1$";
  }
  const auto env = make_farm(o);
  Workload w = small(50, 90 * kMinute);
  w.connection_reuse = 1;
  w.changes.push_back(on_account(30 * kMinute, Action::PasswordChange, account));
  w.changes.push_back(on_host(45 * kMinute, Action::AppPoolRestart, "web1"));
  CHECK(measure(env, w, probe("failure_fraction")) == 0.0);
}

// ---- replication ------------------------------------------------------------------------------

TEST_CASE("a directory change reaches the second DC only after the replication delay", "[workload]") {
  FarmOptions o;
  o.nodes = 2;
  o.spn_on = "";
  o.identity = "CORP\\svc-portal";
  o.use_app_pool_credentials = true;
  o.dcs = {"dc1", "dc2"};
  auto env = make_farm(o);
  env.spn_negative_cache = 0;  // only replication delays the move to Kerberos
  Workload w = small(100, 2 * kHour);
  w.connection_reuse = 1;
  w.replication_delay = 30 * kMinute;
  w.changes.push_back(on_account(1 * kHour, Action::AddSpn, "CORP\\svc-portal", kSpn));

  SECTION("half the users ask dc2, which learns of the SPN 30 minutes later") {
    const auto run = workload::simulate(env, w,
                                        {probe("ntlm_fraction", 0, 1 * kHour),
                                         probe("kerberos_fraction", 1 * kHour + kMinute, 1 * kHour + 30 * kMinute),
                                         probe("kerberos_fraction", 1 * kHour + 31 * kMinute)});
    CHECK(run.probes[0] == 1.0);
    CHECK(run.probes[1] == Approx(0.5).margin(0.15));
    CHECK(run.probes[2] == 1.0);
    CHECK(has_change(run.report, 1 * kHour, "add_spn", "dc1"));
    CHECK(has_change(run.report, 90 * kMinute, "add_spn", "dc2 (replicated)"));
    REQUIRE(run.report.dcs.size() == 2);
    CHECK(run.report.dcs[0].dc == "dc1");
    CHECK(run.report.dcs[1].dc == "dc2");
    CHECK(run.report.dcs[0].tgs_requests > 0);
    CHECK(run.report.dcs[1].tgs_requests > 0);
  }
  SECTION("with no replication delay both DCs have it at once") {
    w.replication_delay = 0;
    CHECK(measure(env, w, probe("kerberos_fraction", 1 * kHour + kMinute)) == 1.0);
  }
  SECTION("with dc1 down the change is written on dc2 and every client fails over to it") {
    w.changes.insert(w.changes.begin(), change(10 * kMinute, Action::DcDown));
    w.changes.front().dc = "dc1";
    const auto run = workload::simulate(env, w, {probe("kerberos_fraction", 1 * kHour + kMinute)});
    CHECK(run.probes[0] == 1.0);
    CHECK(has_change(run.report, 1 * kHour, "add_spn", "dc2"));
    CHECK(has_change(run.report, 90 * kMinute, "add_spn", "dc1 (replicated)"));
    CHECK(has_change(run.report, 10 * kMinute, "dc_down", "dc1"));
  }
}

// ---- Netlogon ---------------------------------------------------------------------------------

TEST_CASE("Netlogon pass-through queues and times out when demand exceeds MaxConcurrentApi / call time", "[workload]") {
  FarmOptions o;
  o.nodes = 1;
  o.spn_on = "";  // every browser falls back to NTLM; the node validates each logon at a DC
  const auto env = make_farm(o);
  Workload w = small(200, 30 * kMinute);
  w.requests_per_user_per_hour = 120;  // about 6.7 new connections a second
  w.connection_reuse = 1;
  w.logon_spread = kMinute;
  w.netlogon_call_time = 200 * kMillisecond;  // 1.3 calls in flight on average
  w.netlogon_timeout = 5 * kSecond;
  const std::vector<Probe> probes = {probe("peak_netlogon_queue", 0, {}, "web1"), probe("netlogon_timeouts"),
                                     probe("failure_fraction"), probe("netlogon_calls"), probe("ntlm_fraction")};

  SECTION("one slot cannot keep up") {
    w.netlogon_max_concurrent_api = 1;
    const auto run = workload::simulate(env, w, probes);
    CHECK(run.probes[0] >= 20);  // about 5s / 200ms waiting when calls start timing out
    CHECK(run.probes[1] > 0);
    CHECK(run.probes[2] > 0.05);
    CHECK(run.probes[4] == 1.0);
    CHECK(count_of(run.report.errors, "NETLOGON_TIMEOUT") == static_cast<std::uint64_t>(run.probes[1]));
    const NodeLoad& web1 = node_load(run.report, "web1");
    CHECK(static_cast<double>(web1.netlogon_calls) == run.probes[3]);
    CHECK(static_cast<double>(web1.netlogon_timeouts) == run.probes[1]);
    CHECK(static_cast<double>(web1.peak_netlogon_queue) == run.probes[0]);
  }
  SECTION("ten slots keep up") {
    w.netlogon_max_concurrent_api = 10;
    const auto run = workload::simulate(env, w, probes);
    CHECK(run.probes[0] < 10);
    CHECK(run.probes[1] == 0.0);
    CHECK(run.probes[2] == 0.0);
    CHECK(run.probes[3] == Approx(static_cast<double>(run.report.requests.requests)));
  }
}

// ---- clocks -----------------------------------------------------------------------------------

TEST_CASE("a client clock drifting past MaxClockSkew fails Kerberos until it is set right", "[workload]") {
  FarmOptions o;
  o.nodes = 2;
  o.spn_on = "CORP\\svc-portal";
  o.identity = "CORP\\svc-portal";
  o.use_app_pool_credentials = true;
  o.clients = 2;
  const auto env = make_farm(o);
  Workload w = small(100, 90 * kMinute);
  w.connection_reuse = 1;
  Change drift = on_host(0, Action::ClockDrift, "ws2");
  drift.offset = 10 * kMinute;  // per hour: past five minutes after 30 minutes
  Change step = on_host(1 * kHour, Action::ClockStep, "ws2");
  step.offset = -10 * kMinute;
  Change stop = on_host(1 * kHour, Action::ClockDrift, "ws2");
  stop.offset = 0;
  w.changes = {drift, step, stop};
  const auto run = workload::simulate(
      env, w,
      {probe("failure_fraction", 0, {}, "", "ws1"), probe("failure_fraction", 0, 25 * kMinute, "", "ws2"),
       probe("failure_fraction", 35 * kMinute, 1 * kHour, "", "ws2"),
       probe("failure_fraction", 1 * kHour + kMinute, {}, "", "ws2")});
  CHECK(run.probes[0] == 0.0);
  CHECK(run.probes[1] == 0.0);
  CHECK(run.probes[2] == 1.0);
  CHECK(run.probes[3] == 0.0);
  CHECK(count_of(run.report.errors, "KRB_AP_ERR_SKEW") == run.report.requests.failed);
  CHECK(has_change(run.report, 0, "clock_drift", "ws2"));
}

// ---- IIS settings changed while running --------------------------------------------------------

TEST_CASE("turning on useAppPoolCredentials or turning off kernel mode fixes a farm running as the SPN's account",
          "[workload]") {
  FarmOptions o;
  o.nodes = 2;
  o.spn_on = "CORP\\svc-portal";
  o.identity = "CORP\\svc-portal";
  const auto env = make_farm(o);  // kernel mode decrypts with the computer's key: KRB_AP_ERR_MODIFIED
  Workload w = small(100, 90 * kMinute);
  w.connection_reuse = 1;
  const Action action = GENERATE(Action::SetUseAppPoolCredentials, Action::SetKernelMode);
  for (const char* node : {"web1", "web2"}) {
    Change c = on_host(45 * kMinute, action, node);
    c.value = action == Action::SetUseAppPoolCredentials;
    w.changes.push_back(c);
  }
  const auto run =
      workload::simulate(env, w, {probe("failure_fraction", 0, 45 * kMinute), probe("failure_fraction", 46 * kMinute)});
  CHECK(run.probes[0] == 1.0);
  CHECK(run.probes[1] == 0.0);
  CHECK(has_change(run.report, 45 * kMinute, workload::action_name(action), "web2"));
}

// ---- what the run counts ----------------------------------------------------------------------

TEST_CASE("the report's totals add up: timeline, nodes, protocols, verdicts and probe windows", "[workload]") {
  FarmOptions o;
  o.clients = 2;
  const auto env = make_farm(o);
  const Workload w = small(120, 2 * kHour);
  const auto run =
      workload::simulate(env, w,
                         {probe("requests"), probe("requests", 0, 1 * kHour), probe("requests", 1 * kHour),
                          probe("requests", 0, {}, "", "ws1"), probe("requests", 0, {}, "", "ws2"), probe("failures")});
  const SimulationReport& r = run.report;
  REQUIRE(r.requests.requests > 0);
  CHECK(r.requests.ok + r.requests.degraded + r.requests.failed == r.requests.requests);
  CHECK(run.probes[0] == static_cast<double>(r.requests.requests));
  CHECK(run.probes[1] + run.probes[2] == run.probes[0]);
  CHECK(run.probes[3] + run.probes[4] == run.probes[0]);
  CHECK(run.probes[5] == static_cast<double>(r.requests.failed));
  // About users x rate x duration requests.
  CHECK(static_cast<double>(r.requests.requests) == Approx(120 * 30 * 2).epsilon(0.15));

  std::uint64_t timeline = 0, new_connections = 0;
  for (const auto& iv : r.timeline) {
    timeline += iv.requests.requests;
    new_connections += iv.new_connections;
  }
  CHECK(timeline == r.requests.requests);
  CHECK(new_connections == r.connections);
  std::uint64_t on_nodes = 0;
  for (const auto& n : r.nodes) on_nodes += n.requests.requests;
  CHECK(on_nodes == r.requests.requests);
  std::uint64_t by_protocol = 0;
  for (const auto& p : r.protocols) by_protocol += p.count;
  CHECK(by_protocol == r.requests.requests);
  CHECK(r.user_spread.active ==
        r.user_spread.always_failing + r.user_spread.sometimes_failing + r.user_spread.never_failing);
  CHECK(r.users == 120);
  CHECK(r.scenario == "farm");
  CHECK(r.title == "test farm");
  CHECK(r.duration == 2 * kHour);
  CHECK(r.latency.p50_ms <= r.latency.p95_ms);
  CHECK(r.latency.p95_ms <= r.latency.p99_ms);
  CHECK(r.latency.p99_ms <= r.latency.max_ms);
  CHECK(r.latency.p50_ms >= 20);           // at least the page's own server time
  CHECK(r.traces < 50);                    // a population costs a handful of traces
  CHECK(r.events >= r.requests.requests);  // one event per request at least
}

TEST_CASE("the timeline interval is chosen from the duration unless the workload sets one", "[workload]") {
  const auto env = make_farm();
  Workload w = small(10, 2 * kHour);
  SECTION("2h: 5-minute intervals, no more than 60 of them") {
    const auto r = workload::simulate(env, w, {}).report;
    CHECK(r.interval == 5 * kMinute);
    REQUIRE(r.timeline.size() == 24);
    CHECK(r.timeline[1].start == 5 * kMinute);
  }
  SECTION("a stated interval, the last one cut short") {
    w.duration = 50 * kMinute;
    w.interval = 20 * kMinute;
    const auto r = workload::simulate(env, w, {}).report;
    CHECK(r.interval == 20 * kMinute);
    REQUIRE(r.timeline.size() == 3);
    CHECK(r.timeline[2].start == 40 * kMinute);
  }
}

TEST_CASE("workload.flows limits the population to the flows it names", "[workload]") {
  FarmOptions o;
  o.clients = 2;
  const auto env = make_farm(o);
  Workload w = small(50, 1 * kHour);
  w.flows = {"ws2"};
  const auto run = workload::simulate(env, w, {probe("requests", 0, {}, "", "ws2")});
  CHECK(run.probes[0] == static_cast<double>(run.report.requests.requests));
  CHECK(run.probes[0] > 0);
  CHECK(run.report.users == 50);
}

TEST_CASE("a probe for a flow the workload leaves out counts nothing", "[workload]") {
  FarmOptions o;
  o.clients = 2;
  const auto env = make_farm(o);
  Workload w = small(50, 1 * kHour);
  w.flows = {"ws2"};
  CHECK(measure(env, w, probe("requests", 0, {}, "", "ws1")) == 0.0);
}

TEST_CASE("progress is reported in increasing fractions up to 1", "[workload]") {
  const auto env = make_farm();
  std::vector<double> seen;
  workload::simulate(env, small(10, 30 * kMinute), {}, [&](double f) { seen.push_back(f); });
  REQUIRE_FALSE(seen.empty());
  CHECK(std::is_sorted(seen.begin(), seen.end()));
  CHECK(seen.front() > 0.0);
  CHECK(seen.back() == 1.0);
}

TEST_CASE("the estimate is users x rate x duration", "[workload]") {
  const auto env = make_farm();
  Workload w = small(1000, 8 * kHour);
  w.requests_per_user_per_hour = 30;
  const auto e = workload::estimate(env, w);
  CHECK(e.requests == 240000);
  CHECK(e.bytes >= 1000 * 16);
  w.users = 2000;
  CHECK(workload::estimate(env, w).bytes > e.bytes);
}

// ---- determinism ------------------------------------------------------------------------------

TEST_CASE("the same seed gives the same report, another seed another one", "[workload]") {
  FarmOptions o;
  o.clients = 2;
  const auto env = make_farm(o);
  Workload w = small(80, 1 * kHour);
  w.changes.push_back(on_host(30 * kMinute, Action::NodeDown, "web3"));
  const std::string a = to_value(workload::simulate(env, w, {}).report).dump();
  const std::string b = to_value(workload::simulate(env, w, {}).report).dump();
  CHECK(a == b);
  w.seed = 2;
  const std::string c = to_value(workload::simulate(env, w, {}).report).dump();
  CHECK(c != a);
  CHECK(c.find("\"seed\": 2,") != std::string::npos);
}

// ---- through the facade: a scenario file ------------------------------------------------------

TEST_CASE("Scenario::simulate runs the file's workload with the request's overrides", "[workload]") {
  const TempScenario file(farm_json(R"({ "duration": "1h", "users": 40, "seed": 9, "logon_spread": "10m" })"));
  const auto s = Scenario::load(file.path());
  const SimulationReport r = s->simulate();
  CHECK(r.scenario == "tiny-farm");
  CHECK(r.users == 40);
  CHECK(r.seed == 9);
  CHECK(r.duration == 1 * kHour);
  CHECK(r.requests.failure_fraction() == Approx(0.5).margin(0.08));

  SimulateRequest request;
  request.users = 10;
  request.seed = 4;
  request.duration = 30 * kMinute;
  const SimulationReport o = s->simulate(request);
  CHECK(o.users == 10);
  CHECK(o.seed == 4);
  CHECK(o.duration == 30 * kMinute);
  CHECK(to_value(s->simulate(request)).dump() == to_value(o).dump());
}

TEST_CASE("a workload over budget is refused before it starts, naming /workload and what to lower", "[workload]") {
  const TempScenario file(farm_json(R"({ "duration": "8h", "users": 1000 })"));
  const auto s = Scenario::load(file.path());
  SimulateRequest request;
  SECTION("too many requests") {
    request.max_requests = 1000;  // 1000 users x 30 an hour x 8h = 240,000
    try {
      s->simulate(request);
      FAIL("no refusal");
    } catch (const ScenarioError& e) {
      REQUIRE(e.diagnostics().size() == 1);
      const Diagnostic& d = e.diagnostics()[0];
      CHECK(d.file == file.path());
      CHECK(d.path == "/workload");
      CHECK(d.line == 17);  // the workload object
      CHECK(d.column == 15);
      CHECK(d.message ==
            "this workload would make about 240,000 requests, more than the budget of 1,000; lower \"users\", "
            "\"requests_per_user_per_hour\" or \"duration\" (or --users, --duration), or raise the budget with "
            "--max-requests");
    }
  }
  SECTION("too much memory") {
    request.max_memory_bytes = 1 << 20;
    request.users = 100000;
    request.max_requests = 1'000'000'000;
    try {
      s->simulate(request);
      FAIL("no refusal");
    } catch (const ScenarioError& e) {
      REQUIRE(e.diagnostics().size() == 1);
      CHECK(e.diagnostics()[0].path == "/workload");
      CHECK(e.diagnostics()[0].message.find(
                "MiB, more than the budget of 1 MiB; lower \"users\" (or --users), or raise the budget with "
                "--max-memory") != std::string::npos);
    }
  }
  SECTION("both at once, and the overrides count") {
    request.max_requests = 1000;
    request.max_memory_bytes = 1 << 20;
    request.users = 100000;
    try {
      s->simulate(request);
      FAIL("no refusal");
    } catch (const ScenarioError& e) {
      REQUIRE(e.diagnostics().size() == 2);
      CHECK(e.diagnostics()[0].message.find("about 24,000,000 requests") != std::string::npos);
    }
  }
  SECTION("within budget it runs") {
    request.max_requests = 1000;
    request.users = 4;
    request.duration = 1 * kHour;  // about 120 requests
    CHECK_NOTHROW(s->simulate(request));
  }
}

TEST_CASE("a scenario without a workload simulates the defaults, and its refusal still names /workload", "[workload]") {
  const TempScenario file(farm_json(""));
  const auto s = Scenario::load(file.path());
  SimulateRequest request;
  request.max_requests = 10;
  try {
    s->simulate(request);
    FAIL("no refusal");
  } catch (const ScenarioError& e) {
    REQUIRE(e.diagnostics().size() == 1);
    CHECK(e.diagnostics()[0].path == "/workload");
  }
  request = {};
  request.users = 5;
  request.duration = 10 * kMinute;
  const SimulationReport r = s->simulate(request);
  CHECK(r.users == 5);
  CHECK(r.seed == 1);
}

TEST_CASE("Scenario::check evaluates simulation expectations in one run", "[workload]") {
  const TempScenario file(farm_json(R"({ "duration": "1h", "users": 40, "logon_spread": "10m" } ,
  "expect": [
    { "simulation": { "metric": "failure_fraction", "min": 0.4, "max": 0.6 } },
    { "simulation": { "metric": "failure_fraction", "node": "web1", "max": 0 } },
    { "simulation": { "metric": "failure_fraction", "node": "web2", "from": "10m", "until": "20m", "min": 1 } },
    { "simulation": { "metric": "requests", "flow": "alice opens the portal", "min": 1000000 } } ])"));
  const auto s = Scenario::load(file.path());
  const CheckReport r = s->check();
  REQUIRE(r.simulation.size() == 4);
  CHECK(r.simulation[0].passed);
  CHECK(r.simulation[0].actual == Approx(0.5).margin(0.1));
  CHECK(r.simulation[1].passed);
  CHECK(r.simulation[2].passed);
  CHECK(r.simulation[2].expectation.from_s == 600);
  CHECK(r.simulation[2].expectation.until_s == std::optional<std::int64_t>(1200));
  CHECK_FALSE(r.simulation[3].passed);  // about 1,200 requests
  CHECK(r.simulation[3].actual > 500);
  CHECK(r.simulation[3].expectation.where == file.path() + ": /expect/3/simulation");
  CHECK(r.failed() == 1);
}

TEST_CASE("KDC metrics for a DC that is also a declared host count its KDC requests", "[workload]") {
  FarmOptions o;
  o.dc_hosts = true;
  const auto env = make_farm(o);
  const auto run =
      workload::simulate(env, small(20, 30 * kMinute), {probe("kdc_requests"), probe("kdc_requests", 0, {}, "dc1")});
  REQUIRE(run.probes[0] > 0);
  CHECK(run.probes[1] == run.probes[0]);
}

TEST_CASE("KDC metrics for a DC that is not a host count that DC's requests", "[workload]") {
  FarmOptions o;
  o.dcs = {"dc1", "dc2"};
  const auto env = make_farm(o);
  const auto run =
      workload::simulate(env, small(20, 30 * kMinute),
                         {probe("kdc_requests"), probe("kdc_requests", 0, {}, "dc1"),
                          probe("kdc_requests", 0, {}, "dc2"), probe("peak_kdc_requests_per_s", 0, {}, "dc1")});
  REQUIRE(run.probes[0] > 0);
  CHECK(run.probes[1] > 0);
  CHECK(run.probes[2] > 0);
  CHECK(run.probes[1] + run.probes[2] == run.probes[0]);
  CHECK(run.probes[3] >= 1);
}

TEST_CASE("a timeline add_spn that duplicates an SPN is refused by a 2016 DC and written by a 2012 DC",
          "[workload][rules]") {
  FarmOptions o;
  o.nodes = 2;
  o.dc_hosts = true;
  o.identity = "CORP\\svc-portal";
  o.use_app_pool_credentials = true;
  Workload w = small(20, 2 * kHour);
  // HTTP/portal is on WEB1$ still: the add comes before the remove (kerberos-rules R1.7).
  w.changes.push_back(on_account(1 * kHour, Action::AddSpn, "CORP\\svc-portal", kSpn));
  w.changes.push_back(on_account(1 * kHour, Action::RemoveSpn, "CORP\\WEB1$", kSpn));
  w.changes.push_back(change(1 * kHour + kMinute, Action::PurgeTickets));
  SECTION("2016: refused with 8467 on dc1, so after the remove no account holds the SPN") {
    auto env = make_farm(o);
    const auto run = workload::simulate(env, w, {probe("ntlm_fraction", 1 * kHour + 5 * kMinute)});
    CHECK(has_change(run.report, 1 * kHour, "add_spn", "dc1: refused, ERROR_DS_SPN_VALUE_NOT_UNIQUE_IN_FOREST"));
    CHECK(has_change(run.report, 1 * kHour, "remove_spn", "dc1"));
    CHECK(run.probes[0] == 1.0);  // no SPN left: every new logon falls back to NTLM
  }
  SECTION("2012: written, a duplicate until the remove, then Kerberos to svc-portal") {
    auto env = make_farm(o);
    for (auto& h : env.hosts)
      if (h.name == "dc1") h.os = "2012";
    const auto run = workload::simulate(env, w, {probe("kerberos_fraction", 1 * kHour + 5 * kMinute)});
    CHECK(has_change(run.report, 1 * kHour, "add_spn", "dc1"));
    CHECK(run.probes[0] == 1.0);
  }
}
