#include "scenario/loader.h"

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <climits>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <unordered_set>
#include <utility>

#include "scenario/json_tree.h"
#include "scenario/validate.h"
#include "workload/workload.h"

namespace kerbsim::scenario {

namespace {

using Strings = std::vector<std::string>;

// One table of allowed keys per kind of object (scenario-format.md plus the documented extensions).
enum class K {
  top,
  settings,
  domain,
  trust,
  account,
  host,
  host_account,
  iis,
  app_pool,
  site,
  anonymous,
  windows,
  basic,
  call,
  sql,
  sql_instance,
  ssrs,
  client,
  dns_record,
  load_balancer,
  flow,
  workload,
  group_share,
  event,
  expectation,
  simulation,
  outcome,
  front,
  ticket,
  hop,
  step,
  fix
};

struct Kind {
  K id;
  std::string noun;   // "a site": used as "a site needs ..."
  std::string where;  // "in a site": used as "unknown key ... in a site"
  Strings keys;
  Strings required;
};

const std::vector<Kind>& kinds() {
  static const std::vector<Kind> table = {
      {K::top,
       "the scenario",
       "at the top level",
       {"format", "name", "title", "description", "settings", "domains", "trusts", "accounts", "hosts", "dns",
        "load_balancers", "flows", "workload", "expect"},
       {"format", "name"}},
      {K::settings,
       "settings",
       "in settings",
       {"max_clock_skew", "tgt_lifetime", "service_ticket_lifetime", "spn_negative_cache",
        "protected_users_tgt_lifetime", "http_max_field_length", "http_max_request_bytes", "default_enctypes",
        "duplicate_spn_error"},
       {}},
      {K::domain, "a domain", "in a domain", {"dns", "netbios", "forest", "functional_level", "dcs", "kdc"}, {"dns"}},
      {K::trust, "a trust", "in a trust", {"from", "to", "kind", "direction", "tgt_delegation"}, {"from", "to"}},
      {K::account,
       "an account",
       "in an account",
       {"name", "type", "spns", "trusted_for_delegation", "trusted_to_auth_for_delegation", "allowed_to_delegate_to",
        "allowed_to_act", "sensitive", "groups", "token_groups", "foreign_token_groups", "enctypes", "aes_keys",
        "password_version", "enabled"},
       {"name"}},
      {K::host,
       "a host",
       "in a host",
       {"name", "domain", "ip", "os", "clock_offset", "credential_guard", "account", "http_max_field_length",
        "http_max_request_bytes", "back_connection_host_names", "iis", "sql", "ssrs", "client"},
       {"name"}},
      {K::host_account,
       "a host's account",
       "in a host's account",
       {"spns", "trusted_for_delegation", "allowed_to_delegate_to", "trusted_to_auth_for_delegation", "allowed_to_act"},
       {}},
      {K::iis, "iis", "in iis", {"version", "isolation_mode", "app_pools", "sites"}, {}},
      {K::app_pool, "an app pool", "in an app pool", {"name", "identity"}, {"name"}},
      {K::site,
       "a site",
       "in a site",
       {"name", "bindings", "app_pool", "anonymous", "windows", "basic", "impersonate", "content_readers",
        "app_isolation", "calls"},
       {"name"}},
      {K::anonymous, "anonymous authentication", "in anonymous authentication", {"enabled", "user"}, {}},
      {K::windows,
       "windows authentication",
       "in windows authentication",
       {"enabled", "providers", "kernel_mode", "use_app_pool_credentials", "auth_persist_non_ntlm"},
       {}},
      {K::basic, "basic authentication", "in basic authentication", {"enabled"}, {}},
      {K::call, "a call", "in a call", {"to", "instance", "url", "as"}, {"to"}},
      {K::sql, "sql", "in sql", {"instances"}, {}},
      {K::sql_instance,
       "a SQL instance",
       "in a SQL instance",
       {"name", "port", "dynamic_port", "service_account", "calls"},
       {}},
      {K::ssrs, "ssrs", "in ssrs", {"service_account", "authentication_types", "hostname", "calls"}, {}},
      {K::client,
       "a client",
       "in a client",
       {"user", "browser", "intranet_sites", "auth_server_allowlist", "delegate_allowlist", "disable_cname_lookup",
        "include_port", "firefox_trusted_uris", "firefox_delegation_uris", "try_ip_spn"},
       {"user"}},
      {K::dns_record, "a DNS record", "in a DNS record", {"a", "cname"}, {}},
      {K::load_balancer,
       "a load balancer",
       "in a load balancer",
       {"name", "vip", "members", "algorithm", "affinity", "layer"},
       {"name", "vip", "members"}},
      {K::flow, "a flow", "in a flow", {"name", "client", "url"}, {"name", "client", "url"}},
      {K::workload,
       "the workload",
       "in the workload",
       {"duration", "seed", "users", "requests_per_user_per_hour", "connection_reuse", "kdc_capacity_per_s",
        "netlogon_max_concurrent_api", "flows", "logon_spread", "idle_timeout", "replication_delay", "netlogon_call_ms",
        "netlogon_timeout", "network_rtt_ms", "server_time_ms", "interval", "restart_keeps_previous_key",
        "group_counts", "events"},
       {}},
      {K::group_share, "a group count", "in a group count", {"groups", "share"}, {"groups", "share"}},
      {K::event, "a workload event", "in a workload event", {"at", "action"}, {"at", "action"}},
      {K::expectation, "an expectation", "in an expectation", {"flow", "via", "outcome", "simulation"}, {}},
      {K::simulation,
       "a simulation expectation",
       "in a simulation expectation",
       {"metric", "node", "flow", "from", "until", "min", "max"},
       {"metric"}},
      {K::outcome, "an outcome", "in an outcome", {"via", "spn", "front", "hops", "verdict", "steps", "fixes"}, {}},
      {K::front,
       "an outcome's front",
       "in an outcome's front",
       {"protocol", "http_status", "identity", "process_identity", "ticket", "decrypted_with", "prompt", "error"},
       {}},
      {K::ticket, "a ticket", "in a ticket", {"encrypted_for", "flags", "etype"}, {}},
      {K::hop,
       "a hop",
       "in a hop",
       {"to", "service", "as", "protocol", "identity", "delegation", "result", "error", "hops"},
       {}},
      {K::step, "a step", "in a step", {"seq", "from", "to", "message", "result", "why", "rule"}, {}},
      {K::fix, "a fix", "in a fix", {"change", "command"}, {}},
  };
  return table;
}

const Kind& kind(K id) {
  const auto& table = kinds();
  return *std::find_if(table.begin(), table.end(), [id](const Kind& k) { return k.id == id; });
}

// Keys each workload event action takes besides "at" and "action": required, then optional.
struct ActionRule {
  std::string action;
  Strings required;
  Strings optional;
};

const std::vector<ActionRule>& action_rules() {
  static const std::vector<ActionRule> table = {
      {"add_spn", {"account", "spn"}, {}},
      {"remove_spn", {"account", "spn"}, {}},
      {"change_app_pool_identity", {"host", "app_pool", "identity"}, {}},
      {"set_use_app_pool_credentials", {"host", "site", "value"}, {}},
      {"set_kernel_mode", {"host", "site", "value"}, {}},
      {"set_delegation",
       {"account"},
       {"trusted_for_delegation", "trusted_to_auth_for_delegation", "allowed_to_delegate_to", "allowed_to_act",
        "sensitive"}},
      {"password_change", {"account"}, {}},
      {"app_pool_restart", {"host", "app_pool"}, {}},
      {"purge_tickets", {}, {"clients"}},
      {"node_down", {"host"}, {}},
      {"node_up", {"host"}, {}},
      {"dc_down", {"dc"}, {}},
      {"dc_up", {"dc"}, {}},
      {"clock_step", {"host", "offset"}, {}},
      {"clock_drift", {"host", "per_hour"}, {}},
  };
  return table;
}

const Strings kEnctypes = {"aes256", "aes128", "rc4", "des"};
const Strings kAccountTypes = {"user", "gmsa", "computer"};
const Strings kFunctionalLevels = {"2003", "2008", "2008R2", "2012", "2012R2", "2016", "2025"};
const Strings kKdcs = {"windows-2016", "windows-2012r2", "samba-4.17"};
const Strings kTrustKinds = {"forest", "external"};
const Strings kTrustDirections = {"two-way", "outbound", "inbound"};
const Strings kOses = {"2003", "2008", "2008R2", "2012", "2012R2", "2016", "2019",
                       "2022", "2025", "xp",     "7",    "8.1",    "10",   "11"};
const Strings kIisVersions = {"6.0", "7.0", "7.5", "8.5", "10.0"};
const Strings kIsolationModes = {"worker_process", "iis5"};
const Strings kAppIsolations = {"in_process", "pooled", "isolated"};
const Strings kProviders = {"Negotiate", "NTLM", "Negotiate:Kerberos", "Negotiate:PKU2U"};
const Strings kSsrsAuthTypes = {"RSWindowsNegotiate", "RSWindowsNTLM", "RSWindowsKerberos", "RSWindowsBasic", "Custom"};
const Strings kBrowsers = {"edge", "chrome", "ie", "firefox", "sqlclient", "dotnet"};
const Strings kAlgorithms = {"round_robin", "least_connections", "source_ip_hash", "random"};
const Strings kAffinities = {"none", "source_ip", "cookie"};
const Strings kVerdicts = {"ok", "degraded", "failed"};
const Strings kFrontProtocols = {"kerberos", "ntlm", "basic", "anonymous", "none"};
const Strings kHopProtocols = {"kerberos", "ntlm", "anonymous", "none"};
const Strings kDelegations = {"none", "unconstrained", "constrained", "protocol_transition", "resource_based"};
const Strings kHopResults = {"ok", "login_failed", "auth_failed", "access_denied"};

std::string unescape_token(std::string_view token) {
  std::string out;
  for (std::size_t i = 0; i < token.size(); ++i) {
    if (token[i] == '~' && i + 1 < token.size()) {
      out += token[i + 1] == '1' ? '/' : '~';
      ++i;
    } else {
      out += token[i];
    }
  }
  return out;
}

// How a message names a value: its key ("port"), or, inside an array, `each entry of "spns"`.
std::string subject(const JsonNode& n) {
  if (n.key_line > 0) return quote(n.key);
  if (n.path.empty()) return "the scenario";
  const auto last = n.path.rfind('/');
  const auto before = n.path.rfind('/', last == 0 ? 0 : last - 1);
  if (last == 0 || before == std::string::npos) return "this value";
  return "each entry of " + quote(unescape_token(n.path.substr(before + 1, last - before - 1)));
}

// The shape of a string check: "" when fine, else the sentence to report.
using Check = std::function<std::string(std::string_view)>;

class Reader {
 public:
  explicit Reader(Reporter& r) : r_(r) {}

  spec::Scenario scenario(const JsonNode& root) {
    spec::Scenario s;
    s.file = r_.file();
    if (!root.is_object()) {
      r_.at(root, "a scenario file holds one JSON object { ... }, not " + describe_kind(root));
      return s;
    }
    object(root, K::top);
    if (const auto* n = root.find("format"); n && text(n, s.format) && s.format != "kerbsim/1")
      r_.at(*n, "\"format\" must be \"kerbsim/1\", not " + quote(s.format));
    if (const auto* n = root.find("name"); n && text(n, s.name)) {
      const bool ok = !s.name.empty() && std::all_of(s.name.begin(), s.name.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
      });
      if (!ok)
        r_.at(*n,
              "\"name\" must be lowercase letters, digits and \"-\" only (like \"ssrs-farm\"), not " + quote(s.name));
    }
    text(root.find("title"), s.title);
    text(root.find("description"), s.description);
    if (const auto* n = root.find("settings"); n && object(*n, K::settings)) settings(*n, s.settings);
    for (const auto* n : items(root.find("domains")))
      if (object(*n, K::domain)) s.domains.push_back(domain(*n));
    for (const auto* n : items(root.find("trusts")))
      if (object(*n, K::trust)) s.trusts.push_back(trust(*n));
    for (const auto* n : items(root.find("accounts")))
      if (object(*n, K::account)) s.accounts.push_back(account(*n));
    for (const auto* n : items(root.find("hosts")))
      if (object(*n, K::host)) s.hosts.push_back(host(*n));
    if (const auto* n = root.find("dns")) dns(*n, s.dns);
    for (const auto* n : items(root.find("load_balancers")))
      if (object(*n, K::load_balancer)) s.load_balancers.push_back(load_balancer(*n));
    for (const auto* n : items(root.find("flows")))
      if (object(*n, K::flow)) s.flows.push_back(flow(*n));
    if (const auto* n = root.find("workload"); n && object(*n, K::workload)) s.workload = workload(*n);
    for (const auto* n : items(root.find("expect")))
      if (object(*n, K::expectation)) s.expect.push_back(expectation(*n));
    return s;
  }

 private:
  // ---- generic readers: each reports a wrong type or value and leaves `out` untouched ----

  bool object(const JsonNode& n, K id) {
    const Kind& k = kind(id);
    if (!n.is_object()) {
      r_.at(n, subject(n) + " must be an object { ... }, not " + describe_kind(n));
      return false;
    }
    check_keys(n, k.keys, k.where);
    for (const auto& key : k.required)
      if (!n.find(key)) r_.at(n, k.noun + " needs " + quote(key));
    return true;
  }

  void check_keys(const JsonNode& n, const Strings& allowed, const std::string& where) {
    for (const auto& child : n.children) {
      if (std::find(allowed.begin(), allowed.end(), child.key) != allowed.end()) continue;
      std::string msg = "unknown key " + quote(child.key) + " " + where;
      const std::string close = suggest(child.key, allowed);
      if (!close.empty())
        msg += "; did you mean " + quote(close) + "?";
      else
        msg += "; the keys allowed here are: " + join(allowed);
      r_.at_key(child, msg);
    }
  }

  void wrong_type(const JsonNode& n, std::string_view expected) {
    std::string msg = subject(n) + " must be " + std::string(expected) + ", not " + describe_kind(n);
    if (expected == "an array" && n.is_string()) msg += "; write [ " + quote(n.text) + " ]";
    r_.at(n, msg);
  }

  bool text(const JsonNode* n, std::string& out) {
    if (!n) return false;
    if (!n->is_string()) {
      wrong_type(*n, "a string");
      return false;
    }
    out = n->text;
    return true;
  }

  bool nonempty_text(const JsonNode* n, std::string& out) {
    std::string value;
    if (!text(n, value)) return false;
    if (value.empty()) {
      r_.at(*n, subject(*n) + " must not be empty");
      return false;
    }
    out = std::move(value);
    return true;
  }

  bool checked(const JsonNode* n, std::string& out, const Check& check) {
    std::string value;
    if (!text(n, value)) return false;
    if (std::string problem = check(value); !problem.empty()) {
      r_.at(*n, problem);
      return false;
    }
    out = std::move(value);
    return true;
  }

  bool flag(const JsonNode* n, bool& out) {
    if (!n) return false;
    if (n->kind != JsonKind::boolean) {
      wrong_type(*n, "true or false");
      return false;
    }
    out = n->boolean;
    return true;
  }

  bool whole(const JsonNode* n, int& out, std::int64_t lo, std::int64_t hi = INT_MAX) {
    if (!n) return false;
    const std::string range = hi == INT_MAX ? "a whole number of at least " + std::to_string(lo)
                                            : "a whole number from " + std::to_string(lo) + " to " + std::to_string(hi);
    if (n->kind == JsonKind::number) {
      r_.at(*n, subject(*n) + " must be " + range + ", not " + n->text);
      return false;
    }
    if (n->kind != JsonKind::integer) {
      wrong_type(*n, "a whole number");
      return false;
    }
    if (n->integer < lo || n->integer > hi) {
      r_.at(*n, subject(*n) + " must be " + range + ", not " + n->text);
      return false;
    }
    out = static_cast<int>(n->integer);
    return true;
  }

  bool positive_real(const JsonNode* n, double& out) {
    if (!n) return false;
    if (n->kind != JsonKind::integer && n->kind != JsonKind::number) {
      wrong_type(*n, "a number");
      return false;
    }
    const double v = n->kind == JsonKind::integer ? static_cast<double>(n->integer) : n->number;
    if (!(v > 0)) {
      r_.at(*n, subject(*n) + " must be a number greater than 0, not " + n->text);
      return false;
    }
    out = v;
    return true;
  }

  bool duration(const JsonNode* n, spec::Seconds& out, DurationRule rule) {
    if (!n) return false;
    constexpr std::int64_t kMax = 36500LL * 86400;
    if (n->kind == JsonKind::integer) {
      if (n->integer < 0 && !rule.allow_negative) {
        r_.at(*n, subject(*n) + " cannot be negative");
        return false;
      }
      if (n->integer == 0 && !rule.allow_zero) {
        r_.at(*n, subject(*n) + " must be longer than 0 seconds");
        return false;
      }
      if (n->integer > kMax || n->integer < -kMax) {
        r_.at(*n, subject(*n) + " is too long; the longest duration is 36500d (100 years)");
        return false;
      }
      out = n->integer;
      return true;
    }
    if (n->kind == JsonKind::number) {
      r_.at(*n, subject(*n) + " must be a whole number of seconds, not " + n->text);
      return false;
    }
    if (!n->is_string()) {
      wrong_type(*n, "a duration such as \"5m\" or a number of seconds");
      return false;
    }
    std::string problem;
    const auto value = parse_duration(n->text, rule, problem);
    if (!value) {
      r_.at(*n, subject(*n) + ": " + problem);
      return false;
    }
    out = *value;
    return true;
  }

  bool choice(const JsonNode* n, std::string& out, const Strings& values) {
    if (!n) return false;
    if (!n->is_string()) {
      r_.at(*n, subject(*n) + " must be one of " + join(values) + " (as a string in quotes), not " + describe_kind(*n));
      return false;
    }
    std::string value = n->text;
    if (std::find(values.begin(), values.end(), value) != values.end()) {
      out = std::move(value);
      return true;
    }
    std::string msg = subject(*n) + " must be one of " + join(values) + ", not " + quote(value);
    if (const std::string close = suggest(value, values); !close.empty()) msg += "; did you mean " + quote(close) + "?";
    r_.at(*n, msg);
    return false;
  }

  // Elements of an array (reported when the value is not an array).
  std::vector<const JsonNode*> items(const JsonNode* n) {
    std::vector<const JsonNode*> out;
    if (!n) return out;
    if (!n->is_array()) {
      wrong_type(*n, "an array");
      return out;
    }
    for (const auto& child : n->children) out.push_back(&child);
    return out;
  }

  // An array of strings, each passing `check`; a repeated entry is reported.
  bool texts(const JsonNode* n, std::vector<std::string>& out, const Check& check = {}, bool case_blind = true) {
    if (!n) return false;
    if (!n->is_array()) {
      wrong_type(*n, "an array");
      return false;
    }
    std::vector<std::string> values;
    std::unordered_set<std::string> seen;
    for (const auto& child : n->children) {
      std::string value;
      if (!nonempty_text(&child, value)) continue;
      if (check) {
        if (std::string problem = check(value); !problem.empty()) {
          r_.at(child, problem);
          continue;
        }
      }
      const std::string folded = case_blind ? lower(value) : value;
      if (!seen.insert(folded).second) {
        r_.at(child, quote(value) + " is listed twice in " + quote(n->key));
        continue;
      }
      values.push_back(std::move(value));
    }
    out = std::move(values);
    return true;
  }

  Check one_of(const Strings& values, const std::string& what) {
    return [values, what](std::string_view v) -> std::string {
      if (std::find(values.begin(), values.end(), v) != values.end()) return "";
      std::string msg = "unknown " + what + " " + quote(v) + "; use " + join(values);
      if (const std::string close = suggest(v, values); !close.empty()) msg += " (did you mean " + quote(close) + "?)";
      return msg;
    };
  }

  Check dns_check(const std::string& what) {
    return [what](std::string_view v) { return check_dns_name(v, what); };
  }

  // ---- the scenario's parts ----

  void settings(const JsonNode& n, spec::Settings& s) {
    s.at = n.path;
    duration(n.find("max_clock_skew"), s.max_clock_skew, {false, true});
    duration(n.find("tgt_lifetime"), s.tgt_lifetime, {false, false});
    duration(n.find("service_ticket_lifetime"), s.service_ticket_lifetime, {false, false});
    duration(n.find("spn_negative_cache"), s.spn_negative_cache, {false, true});
    duration(n.find("protected_users_tgt_lifetime"), s.protected_users_tgt_lifetime, {false, false});
    whole(n.find("http_max_field_length"), s.http_max_field_length, 64, 65534);
    whole(n.find("http_max_request_bytes"), s.http_max_request_bytes, 256, 16777216);
    if (const auto* e = n.find("default_enctypes")) {
      std::vector<std::string> v;
      if (texts(e, v, one_of(kEnctypes, "encryption type"))) {
        if (v.empty() && e->children.empty())
          r_.at(*e, "\"default_enctypes\" must list at least one encryption type");
        else
          s.default_enctypes = v;
        s.default_enctypes_given = true;
      }
    }
    if (const auto* e = n.find("duplicate_spn_error")) {
      int code = 0;
      if (whole(e, code, 0)) {
        if (code == 7 || code == 8)
          s.duplicate_spn_error = code;
        else
          r_.at(*e,
                "\"duplicate_spn_error\" must be 7 (KDC_ERR_S_PRINCIPAL_UNKNOWN) or 8 (KDC_ERR_PRINCIPAL_NOT_UNIQUE), "
                "not " +
                    e->text);
      }
    }
  }

  spec::Domain domain(const JsonNode& n) {
    spec::Domain d;
    d.at = n.path;
    checked(n.find("dns"), d.dns, check_domain_dns);
    if (!checked(n.find("netbios"), d.netbios, check_netbios) && !n.find("netbios") && !d.dns.empty())
      d.netbios = default_netbios(d.dns);
    checked(n.find("forest"), d.forest, check_domain_dns);
    choice(n.find("functional_level"), d.functional_level, kFunctionalLevels);
    texts(n.find("dcs"), d.dcs, check_host_name);
    choice(n.find("kdc"), d.kdc, kKdcs);
    return d;
  }

  spec::Trust trust(const JsonNode& n) {
    spec::Trust t;
    t.at = n.path;
    checked(n.find("from"), t.from, check_domain_dns);
    checked(n.find("to"), t.to, check_domain_dns);
    choice(n.find("kind"), t.kind, kTrustKinds);
    choice(n.find("direction"), t.direction, kTrustDirections);
    flag(n.find("tgt_delegation"), t.tgt_delegation);
    return t;
  }

  void delegation(const JsonNode& n, spec::DelegationSettings& d) {
    texts(n.find("spns"), d.spns, check_spn);
    flag(n.find("trusted_for_delegation"), d.trusted_for_delegation);
    flag(n.find("trusted_to_auth_for_delegation"), d.trusted_to_auth_for_delegation);
    texts(n.find("allowed_to_delegate_to"), d.allowed_to_delegate_to, check_spn);
    texts(n.find("allowed_to_act"), d.allowed_to_act);
  }

  spec::Account account(const JsonNode& n) {
    spec::Account a;
    a.at = n.path;
    const JsonNode* name = n.find("name");
    const bool named = checked(name, a.name, [](std::string_view v) -> std::string {
      const auto slash = v.find('\\');
      if (slash != std::string_view::npos && v.find('\\', slash + 1) != std::string_view::npos)
        return "account name " + quote(v) + " has more than one \"\\\"; write DOMAIN\\name";
      if (slash == 0) return "account name " + quote(v) + " has nothing before the \"\\\"; write DOMAIN\\name";
      return check_account_name(slash == std::string_view::npos ? v : v.substr(slash + 1));
    });
    choice(n.find("type"), a.type, kAccountTypes);
    if (named && (a.type == "gmsa" || a.type == "computer") && a.name.back() != '$')
      r_.at(*name, std::string(a.type == "gmsa" ? "a gMSA" : "a computer account") + "'s name ends with \"$\": write " +
                       quote(a.name + "$"));
    delegation(n, a.delegation);
    flag(n.find("sensitive"), a.sensitive);
    texts(n.find("groups"), a.groups);
    whole(n.find("token_groups"), a.token_groups, 0);
    whole(n.find("foreign_token_groups"), a.foreign_token_groups, 0);
    if (const auto* e = n.find("enctypes")) {
      std::vector<std::string> v;
      if (texts(e, v, one_of(kEnctypes, "encryption type"))) {
        if (e->children.empty())
          r_.at(*e, "\"enctypes\" must list at least one encryption type (or be left out for the domain default)");
        else
          a.enctypes = v;
      }
    }
    flag(n.find("aes_keys"), a.aes_keys);
    whole(n.find("password_version"), a.password_version, 1);
    flag(n.find("enabled"), a.enabled);
    return a;
  }

  spec::Call call(const JsonNode& n) {
    spec::Call c;
    c.at = n.path;
    nonempty_text(n.find("to"), c.to);
    checked(n.find("instance"), c.instance, check_sql_instance_name);
    checked(n.find("url"), c.url, [](std::string_view v) { return parse_url(v, UrlUse::call).error; });
    if (n.find("instance") && n.find("url"))
      r_.at(*n.find("url"), "a call names \"instance\" (SQL Server) or \"url\" (HTTP), not both");
    nonempty_text(n.find("as"), c.as);
    return c;
  }

  std::vector<spec::Call> calls(const JsonNode* n) {
    std::vector<spec::Call> out;
    for (const auto* e : items(n))
      if (object(*e, K::call)) out.push_back(call(*e));
    return out;
  }

  spec::Site site(const JsonNode& n) {
    spec::Site s;
    s.at = n.path;
    nonempty_text(n.find("name"), s.name);
    if (const auto* b = n.find("bindings")) {
      std::vector<std::string> bindings;
      if (texts(b, bindings, [](std::string_view v) { return parse_url(v, UrlUse::binding).error; })) {
        if (b->children.empty()) r_.at(*b, "a site needs at least one binding, such as \"http://*:80\"");
        s.bindings.clear();
        for (const auto& text : bindings) {
          const ParsedUrl u = parse_url(text, UrlUse::binding);
          s.bindings.push_back(u.scheme + "://" + u.host + ":" + std::to_string(u.port));
        }
      }
    }
    nonempty_text(n.find("app_pool"), s.app_pool);
    if (const auto* a = n.find("anonymous"); a && object(*a, K::anonymous)) {
      flag(a->find("enabled"), s.anonymous.enabled);
      text(a->find("user"), s.anonymous.user);
    }
    if (const auto* w = n.find("windows"); w && object(*w, K::windows)) {
      flag(w->find("enabled"), s.windows.enabled);
      if (const auto* p = w->find("providers")) {
        std::vector<std::string> v;
        if (texts(p, v, one_of(kProviders, "provider"), false)) {
          if (p->children.empty())
            r_.at(*p, "\"providers\" must list at least one provider, such as \"Negotiate\"");
          else
            s.windows.providers = v;
        }
      }
      flag(w->find("kernel_mode"), s.windows.kernel_mode);
      flag(w->find("use_app_pool_credentials"), s.windows.use_app_pool_credentials);
      if (bool persist = false; flag(w->find("auth_persist_non_ntlm"), persist))
        s.windows.auth_persist_non_ntlm = persist;
    }
    if (const auto* b = n.find("basic"); b && object(*b, K::basic)) flag(b->find("enabled"), s.basic);
    flag(n.find("impersonate"), s.impersonate);
    if (const auto* c = n.find("content_readers")) {
      std::vector<std::string> v;
      if (texts(c, v)) s.content_readers = v;
    }
    choice(n.find("app_isolation"), s.app_isolation, kAppIsolations);
    s.calls = calls(n.find("calls"));
    return s;
  }

  spec::Iis iis(const JsonNode& n) {
    spec::Iis i;
    i.at = n.path;
    choice(n.find("version"), i.version, kIisVersions);
    if (const auto* m = n.find("isolation_mode");
        m && choice(m, i.isolation_mode, kIsolationModes) && i.isolation_mode == "iis5" && i.version != "6.0")
      r_.at(*m, "IIS 5 isolation mode exists only in IIS 6.0 (this is IIS " + i.version + ")");
    for (const auto* e : items(n.find("app_pools"))) {
      if (!object(*e, K::app_pool)) continue;
      spec::AppPool p;
      p.at = e->path;
      nonempty_text(e->find("name"), p.name);
      nonempty_text(e->find("identity"), p.identity);
      i.app_pools.push_back(std::move(p));
    }
    for (const auto* e : items(n.find("sites")))
      if (object(*e, K::site)) i.sites.push_back(site(*e));
    for (const auto& s : i.sites)
      if (r_.has(s.at + "/app_isolation") && i.isolation_mode != "iis5")
        r_.at_path(
            s.at + "/app_isolation",
            "\"app_isolation\" applies only in IIS 5 isolation mode (IIS 6.0 with \"isolation_mode\": \"iis5\")");
    return i;
  }

  spec::Sql sql(const JsonNode& n) {
    spec::Sql q;
    q.at = n.path;
    for (const auto* e : items(n.find("instances"))) {
      if (!object(*e, K::sql_instance)) continue;
      spec::SqlInstance in;
      in.at = e->path;
      checked(e->find("name"), in.name, check_sql_instance_name);
      whole(e->find("port"), in.port, 1, 65535);
      flag(e->find("dynamic_port"), in.dynamic_port);
      nonempty_text(e->find("service_account"), in.service_account);
      in.calls = calls(e->find("calls"));
      for (const auto* c : items(e->find("calls")))
        if (c->is_object() && c->find("url"))
          r_.at(*c->find("url"), "a linked server connects to a SQL Server instance: name \"instance\", not \"url\"");
      q.instances.push_back(std::move(in));
    }
    return q;
  }

  spec::Ssrs ssrs(const JsonNode& n) {
    spec::Ssrs s;
    s.at = n.path;
    nonempty_text(n.find("service_account"), s.service_account);
    if (const auto* a = n.find("authentication_types")) {
      std::vector<std::string> v;
      if (texts(a, v, one_of(kSsrsAuthTypes, "authentication type"), false)) {
        const bool custom = std::find(v.begin(), v.end(), "Custom") != v.end();
        if (a->children.empty())
          r_.at(*a, "\"authentication_types\" must list at least one type, such as \"RSWindowsNegotiate\"");
        else if (custom && v.size() > 1)
          r_.at(*a, "\"Custom\" (forms authentication) cannot be combined with the RSWindows types");
        else
          s.authentication_types = v;
      }
    }
    checked(n.find("hostname"), s.hostname, dns_check("host name"));
    s.calls = calls(n.find("calls"));
    return s;
  }

  spec::Client client(const JsonNode& n) {
    spec::Client c;
    c.at = n.path;
    nonempty_text(n.find("user"), c.user);
    choice(n.find("browser"), c.browser, kBrowsers);
    texts(n.find("intranet_sites"), c.intranet_sites);
    texts(n.find("auth_server_allowlist"), c.auth_server_allowlist);
    texts(n.find("delegate_allowlist"), c.delegate_allowlist);
    flag(n.find("disable_cname_lookup"), c.disable_cname_lookup);
    flag(n.find("include_port"), c.include_port);
    texts(n.find("firefox_trusted_uris"), c.firefox_trusted_uris);
    texts(n.find("firefox_delegation_uris"), c.firefox_delegation_uris);
    flag(n.find("try_ip_spn"), c.try_ip_spn);
    return c;
  }

  spec::Host host(const JsonNode& n) {
    spec::Host h;
    h.at = n.path;
    checked(n.find("name"), h.name, check_host_name);
    if (const auto* d = n.find("domain"); d && d->kind != JsonKind::null) {
      std::string dns;
      if (d->is_string()) {
        if (checked(d, dns, check_domain_dns)) h.domain = dns;
      } else {
        wrong_type(*d, "a domain's DNS name, or null for a workgroup machine");
      }
    }
    checked(n.find("ip"), h.ip, check_ipv4);
    choice(n.find("os"), h.os, kOses);
    duration(n.find("clock_offset"), h.clock_offset, {true, true});
    flag(n.find("credential_guard"), h.credential_guard);
    if (const auto* a = n.find("account"); a && object(*a, K::host_account)) delegation(*a, h.account);
    int value = 0;
    if (whole(n.find("http_max_field_length"), value, 64, 65534)) h.http_max_field_length = value;
    if (whole(n.find("http_max_request_bytes"), value, 256, 16777216)) h.http_max_request_bytes = value;
    texts(n.find("back_connection_host_names"), h.back_connection_host_names, dns_check("host name"));
    if (const auto* e = n.find("iis"); e && object(*e, K::iis)) h.iis = iis(*e);
    if (const auto* e = n.find("sql"); e && object(*e, K::sql)) h.sql = sql(*e);
    if (const auto* e = n.find("ssrs"); e && object(*e, K::ssrs)) h.ssrs = ssrs(*e);
    if (const auto* e = n.find("client"); e && object(*e, K::client)) h.client = client(*e);
    return h;
  }

  void dns(const JsonNode& n, std::vector<spec::DnsRecord>& out) {
    if (!n.is_object()) {
      r_.at(n,
            "\"dns\" must be an object of names, such as { \"portal.corp.contoso.com\": { \"cname\": "
            "\"web1.corp.contoso.com\" } }, not " +
                describe_kind(n));
      return;
    }
    for (const auto& e : n.children) {
      spec::DnsRecord rec;
      rec.at = e.path;
      rec.name = e.key;
      if (std::string problem = check_dns_name(e.key, "DNS name"); !problem.empty()) r_.at_key(e, problem);
      if (!e.is_object()) {
        r_.at(
            e,
            "the DNS record " + quote(e.key) +
                " must be an object such as { \"a\": \"10.0.0.5\" } or { \"cname\": \"web1.corp.contoso.com\" }, not " +
                describe_kind(e));
        continue;
      }
      check_keys(e, kind(K::dns_record).keys, kind(K::dns_record).where);
      checked(e.find("a"), rec.a, check_ipv4);
      checked(e.find("cname"), rec.cname, dns_check("DNS name"));
      if (e.find("a") && e.find("cname"))
        r_.at(e, "the DNS record " + quote(e.key) +
                     " has both \"a\" and \"cname\"; a name is either an address or an alias");
      else if (!e.find("a") && !e.find("cname"))
        r_.at(e, "the DNS record " + quote(e.key) + " needs \"a\" (an IPv4 address) or \"cname\" (another name)");
      out.push_back(std::move(rec));
    }
  }

  spec::LoadBalancer load_balancer(const JsonNode& n) {
    spec::LoadBalancer lb;
    lb.at = n.path;
    nonempty_text(n.find("name"), lb.name);
    checked(n.find("vip"), lb.vip, check_ipv4);
    if (const auto* m = n.find("members"); texts(m, lb.members) && m->children.empty())
      r_.at(*m, "load balancer " + lb.name + " has no members; list at least one host");
    choice(n.find("algorithm"), lb.algorithm, kAlgorithms);
    choice(n.find("affinity"), lb.affinity, kAffinities);
    if (const auto* l = n.find("layer")) {
      int layer = 0;
      if (whole(l, layer, 0)) {
        if (layer == 4 || layer == 7)
          lb.layer = layer;
        else
          r_.at(*l, "\"layer\" must be 4 (keeps client connections) or 7 (re-pools them), not " + l->text);
      }
    }
    if (lb.affinity == "cookie" && lb.layer == 4)
      r_.at_path(n.path + "/affinity",
                 "cookie affinity needs a layer-7 load balancer (\"layer\": 7): a layer-4 one never sees the cookie");
    return lb;
  }

  spec::Flow flow(const JsonNode& n) {
    spec::Flow f;
    f.at = n.path;
    nonempty_text(n.find("name"), f.name);
    nonempty_text(n.find("client"), f.client);
    checked(n.find("url"), f.url, [](std::string_view v) { return parse_url(v, UrlUse::flow).error; });
    return f;
  }

  spec::Workload workload(const JsonNode& n) {
    spec::Workload w;
    w.at = n.path;
    w.line = n.line;
    w.column = n.column;
    duration(n.find("duration"), w.duration, {false, false});
    if (const auto* s = n.find("seed")) {
      std::uint64_t seed = 0;
      const bool digits =
          !s->text.empty() && std::all_of(s->text.begin(), s->text.end(), [](char c) { return c >= '0' && c <= '9'; });
      if (s->kind == JsonKind::integer && s->integer >= 0)
        w.seed = static_cast<std::uint64_t>(s->integer);
      else if (s->kind == JsonKind::number && digits &&
               std::from_chars(s->text.data(), s->text.data() + s->text.size(), seed).ec == std::errc())
        w.seed = seed;
      else if (s->kind == JsonKind::integer || s->kind == JsonKind::number)
        r_.at(*s, "\"seed\" must be a whole number from 0 to 18446744073709551615, not " + s->text);
      else
        wrong_type(*s, "a whole number");
    }
    whole(n.find("users"), w.users, 1);
    if (positive_real(n.find("requests_per_user_per_hour"), w.requests_per_user_per_hour) &&
        (w.requests_per_user_per_hour < 0.001 || w.requests_per_user_per_hour > 3600000))
      r_.at(*n.find("requests_per_user_per_hour"),
            "\"requests_per_user_per_hour\" must be from 0.001 to 3600000 (one a millisecond), not " +
                n.find("requests_per_user_per_hour")->text);
    whole(n.find("connection_reuse"), w.connection_reuse, 1);
    positive_real(n.find("kdc_capacity_per_s"), w.kdc_capacity_per_s);
    whole(n.find("netlogon_max_concurrent_api"), w.netlogon_max_concurrent_api, 1, 150);
    texts(n.find("flows"), w.flows);
    duration(n.find("logon_spread"), w.logon_spread, {false, true});
    duration(n.find("idle_timeout"), w.idle_timeout, {false, false});
    duration(n.find("replication_delay"), w.replication_delay, {false, true});
    whole(n.find("netlogon_call_ms"), w.netlogon_call_ms, 1, 600000);
    duration(n.find("netlogon_timeout"), w.netlogon_timeout, {false, false});
    whole(n.find("network_rtt_ms"), w.network_rtt_ms, 0, 60000);
    whole(n.find("server_time_ms"), w.server_time_ms, 0, 600000);
    duration(n.find("interval"), w.interval, {false, false});
    flag(n.find("restart_keeps_previous_key"), w.restart_keeps_previous_key);
    const auto shares = items(n.find("group_counts"));
    if (shares.size() > 16) r_.at(*n.find("group_counts"), "\"group_counts\" takes at most 16 shares");
    for (const auto* g : shares) {
      if (!object(*g, K::group_share)) continue;
      spec::Workload::GroupShare share;
      whole(g->find("groups"), share.groups, 0, 5000);
      positive_real(g->find("share"), share.share);
      w.group_counts.push_back(share);
    }
    for (const auto* e : items(n.find("events"))) {
      if (!e->is_object()) {
        wrong_type(*e, "an object { ... }");
        continue;
      }
      w.events.push_back(event(*e));
    }
    return w;
  }

  spec::WorkloadEvent event(const JsonNode& n) {
    spec::WorkloadEvent ev;
    ev.at = n.path;
    ev.fields = Value::object();
    duration(n.find("at"), ev.at_time, {false, true});
    const auto& rules = action_rules();
    Strings actions;
    for (const auto& rule : rules) actions.push_back(rule.action);
    const ActionRule* rule = nullptr;
    if (const auto* a = n.find("action"); a && choice(a, ev.action, actions))
      rule = &*std::find_if(rules.begin(), rules.end(), [&](const ActionRule& x) { return x.action == ev.action; });
    if (!n.find("at")) r_.at(n, "a workload event needs \"at\"");
    if (!n.find("action")) r_.at(n, "a workload event needs \"action\"");
    if (!rule) return ev;
    Strings allowed = {"at", "action"};
    allowed.insert(allowed.end(), rule->required.begin(), rule->required.end());
    allowed.insert(allowed.end(), rule->optional.begin(), rule->optional.end());
    check_keys(n, allowed, "in a workload event with \"action\": " + quote(rule->action));
    for (const auto& key : rule->required)
      if (!n.find(key)) r_.at(n, "a workload event with \"action\": " + quote(rule->action) + " needs " + quote(key));
    if (rule->action == "set_delegation" &&
        std::none_of(rule->optional.begin(), rule->optional.end(), [&](const std::string& k) { return n.find(k); }))
      r_.at(n, "a set_delegation event changes at least one of " + join(rule->optional));
    for (const auto& child : n.children) {
      const std::string& key = child.key;
      if (key == "at" || key == "action" || std::find(allowed.begin(), allowed.end(), key) == allowed.end()) continue;
      if (auto v = event_field(child)) ev.fields.set(key, std::move(*v));
    }
    return ev;
  }

  std::optional<Value> event_field(const JsonNode& n) {
    const std::string& key = n.key;
    std::string s;
    bool b = false;
    if (key == "value" || key == "trusted_for_delegation" || key == "trusted_to_auth_for_delegation" ||
        key == "sensitive") {
      if (flag(&n, b)) return Value(b);
      return std::nullopt;
    }
    if (key == "offset" || key == "per_hour") {
      spec::Seconds offset = 0;
      if (duration(&n, offset, {true, true})) return Value(static_cast<std::int64_t>(offset));
      return std::nullopt;
    }
    if (key == "spn") {
      if (checked(&n, s, check_spn)) return Value(s);
      return std::nullopt;
    }
    if (key == "allowed_to_delegate_to" || key == "allowed_to_act") {
      std::vector<std::string> v;
      if (!texts(&n, v, key == "allowed_to_delegate_to" ? Check(check_spn) : Check())) return std::nullopt;
      Value array = Value::array();
      for (auto& x : v) array.push(Value(std::move(x)));
      return array;
    }
    if (key == "clients") {
      if (n.is_string()) {
        if (n.text == "all") return Value("all");
        r_.at(n, "\"clients\" must be \"all\" or a list of client host names, not " + quote(n.text));
        return std::nullopt;
      }
      std::vector<std::string> v;
      if (!n.is_array()) {
        wrong_type(n, "\"all\" or an array of host names");
        return std::nullopt;
      }
      if (!texts(&n, v)) return std::nullopt;
      Value array = Value::array();
      for (auto& x : v) array.push(Value(std::move(x)));
      return array;
    }
    if (nonempty_text(&n, s)) return Value(s);
    return std::nullopt;
  }

  spec::Expectation expectation(const JsonNode& n) {
    spec::Expectation e;
    e.at = n.path;
    if (const auto* sim = n.find("simulation")) {
      for (const char* key : {"flow", "via", "outcome"})
        if (const auto* other = n.find(key))
          r_.at(*other, "an expectation has either \"simulation\" or \"flow\" and \"outcome\", not both");
      if (object(*sim, K::simulation)) e.simulation = simulation_expectation(*sim);
      return e;
    }
    if (!n.find("flow"))
      r_.at(n, "an expectation needs \"flow\" and \"outcome\" (or \"simulation\")");
    else if (!n.find("outcome"))
      r_.at(n, "an expectation needs \"outcome\"");
    nonempty_text(n.find("flow"), e.flow);
    nonempty_text(n.find("via"), e.via);
    if (const auto* o = n.find("outcome"); o && object(*o, K::outcome)) {
      outcome(*o);
      e.outcome = to_value(*o);
    }
    return e;
  }

  spec::SimulationExpectation simulation_expectation(const JsonNode& n) {
    spec::SimulationExpectation e;
    e.at = n.path;
    choice(n.find("metric"), e.metric, workload::metric_names());
    nonempty_text(n.find("node"), e.node);
    nonempty_text(n.find("flow"), e.flow);
    duration(n.find("from"), e.from, {false, true});
    spec::Seconds until = 0;
    if (duration(n.find("until"), until, {false, false})) e.until = until;
    for (const char* key : {"min", "max"})
      if (const auto* b = n.find(key)) {
        if (b->kind != JsonKind::integer && b->kind != JsonKind::number) {
          wrong_type(*b, "a number");
          continue;
        }
        (std::string(key) == "min" ? e.min : e.max) =
            b->kind == JsonKind::integer ? static_cast<double>(b->integer) : b->number;
      }
    if (!n.find("min") && !n.find("max")) r_.at(n, "a simulation expectation needs \"min\", \"max\" or both");
    if (e.min && e.max && *e.min > *e.max) r_.at(n, "\"min\" is greater than \"max\"");
    if (e.until && e.from >= *e.until) r_.at(n, "\"from\" must come before \"until\"");
    const bool load_metric =
        e.metric.find("netlogon") != std::string::npos || e.metric.find("kdc") != std::string::npos;
    if (load_metric && n.find("flow"))
      r_.at(*n.find("flow"), "\"flow\" does not apply to " + e.metric +
                                 ": KDC and Netlogon load is counted per DC and per server, for every flow");
    return e;
  }

  // A partial traced outcome: keys and enum values as `kerbsim trace --format json` writes them.
  void outcome(const JsonNode& root) {
    std::string via;
    text(root.find("via"), via);
    nullable_text(root.find("spn"));
    valid_choice(root.find("verdict"), kVerdicts);
    if (const auto* f = root.find("front"); f && object(*f, K::front)) {
      valid_choice(f->find("protocol"), kFrontProtocols);
      int status = 0;
      whole(f->find("http_status"), status, 100, 599);
      for (const char* key : {"identity", "process_identity", "decrypted_with", "error"}) nullable_text(f->find(key));
      bool prompt = false;
      flag(f->find("prompt"), prompt);
      if (const auto* t = f->find("ticket"); t && t->kind != JsonKind::null && object(*t, K::ticket)) {
        nullable_text(t->find("encrypted_for"));
        std::vector<std::string> flags;
        texts(t->find("flags"), flags, {}, false);
        valid_choice(t->find("etype"), kEnctypes);
      }
    }
    for (const auto* s : items(root.find("steps"))) {
      if (!object(*s, K::step)) continue;
      int seq = 0;
      whole(s->find("seq"), seq, 1);
      for (const char* key : {"from", "to", "message", "result", "why", "rule"}) nullable_text(s->find(key));
    }
    for (const auto* f : items(root.find("fixes")))
      if (object(*f, K::fix))
        for (const char* key : {"change", "command"}) nullable_text(f->find(key));
    std::vector<const JsonNode*> pending = items(root.find("hops"));
    while (!pending.empty()) {
      const JsonNode* h = pending.back();
      pending.pop_back();
      if (!object(*h, K::hop)) continue;
      for (const char* key : {"to", "service", "as", "identity", "error"}) nullable_text(h->find(key));
      valid_choice(h->find("protocol"), kHopProtocols);
      valid_choice(h->find("delegation"), kDelegations);
      valid_choice(h->find("result"), kHopResults);
      for (const auto* child : items(h->find("hops"))) pending.push_back(child);
    }
  }

  void valid_choice(const JsonNode* n, const Strings& values) {
    std::string ignored;
    choice(n, ignored, values);
  }

  void nullable_text(const JsonNode* n) {
    if (n && n->kind != JsonKind::null && !n->is_string()) wrong_type(*n, "a string or null");
  }

  // Depth is bounded by the parser's nesting limit.
  static Value to_value(const JsonNode& n) {
    switch (n.kind) {
      case JsonKind::null:
        return Value();
      case JsonKind::boolean:
        return Value(n.boolean);
      case JsonKind::integer:
        return Value(static_cast<std::int64_t>(n.integer));
      case JsonKind::number:
        return Value(n.number);
      case JsonKind::string:
        return Value(n.text);
      case JsonKind::array: {
        Value v = Value::array();
        for (const auto& c : n.children) v.push(to_value(c));
        return v;
      }
      case JsonKind::object: {
        Value v = Value::object();
        for (const auto& c : n.children) v.as_object().emplace_back(c.key, to_value(c));
        return v;
      }
    }
    return Value();
  }

  Reporter& r_;
};

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

spec::Scenario load_text(std::string_view text, const std::string& file_name) {
  ParseResult parsed = parse_json(text, file_name);
  if (!parsed.root) fail(std::move(parsed.problems));
  Reporter reporter(file_name, &*parsed.root);
  for (auto& p : parsed.problems) reporter.diagnostics().push_back(std::move(p));
  spec::Scenario scenario = Reader(reporter).scenario(*parsed.root);
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
  if (fs::is_regular_file(status)) {
    const auto size = fs::file_size(path, ec);
    if (!ec && size > kMaxFileBytes)
      fail_file(path, "the file is " + std::to_string(size) + " bytes; a scenario file may be at most 32 MiB (" +
                          std::to_string(kMaxFileBytes) + " bytes)");
  }
  std::string text;
  char buffer[65536];
  while (in && text.size() <= kMaxFileBytes) {
    in.read(buffer, sizeof buffer);
    text.append(buffer, static_cast<std::size_t>(in.gcount()));
  }
  if (in.bad()) fail_file(path, "cannot read the file");
  if (text.size() > kMaxFileBytes)
    fail_file(path, "the file is larger than 32 MiB (" + std::to_string(kMaxFileBytes) +
                        " bytes), the limit for a scenario file");
  return load_text(text, path);
}

}  // namespace kerbsim::scenario
