// Cross-references of the services on each host: app pool and service identities, local accounts,
// IIS pools, sites and bindings, anonymous users, SQL Server instances and ports, SSRS, client users.
#include <algorithm>
#include <map>
#include <set>

#include "scenario/cross_check.h"
#include "scenario/implied_defaults.h"
#include "scenario/syntax.h"

namespace kerbsim::scenario::xref {

namespace {

const Strings kPoolBuiltins = {"ApplicationPoolIdentity", "NetworkService", "LocalService", "LocalSystem"};
const Strings kServiceBuiltins = {"NetworkService", "LocalService", "LocalSystem"};

}  // namespace

// An app pool's identity: a built-in, written exactly, or a domain user account / gMSA.
void CrossCheck::pool_identity(const spec::Host& h, std::string& identity, const std::string& path,
                               const std::string& lead) {
  const std::string version = h.iis ? h.iis->version : "10.0";
  if (std::find(kPoolBuiltins.begin(), kPoolBuiltins.end(), identity) != kPoolBuiltins.end()) {
    if (identity == "ApplicationPoolIdentity" && version == "6.0")
      r_.at_path(path, lead +
                           " ApplicationPoolIdentity, which IIS 6.0 does not have; use NetworkService, "
                           "LocalService, LocalSystem or an account");
    return;
  }
  if (identity.find('\\') == std::string::npos) {
    if (const std::string close = suggest(identity, kPoolBuiltins); !close.empty()) {
      r_.at_path(path, lead + " " + quote(identity) + "; write the built-in identity exactly as " + close);
      return;
    }
  }
  if (!h.domain) {
    r_.at_path(path, lead + " " + quote(identity) + ", but host " + h.name +
                         " is a workgroup machine and cannot run as a domain account; use " +
                         join(kPoolBuiltins, ", "));
    return;
  }
  user_ref(identity, path, lead + " " + quote(identity),
           "an app pool runs as a built-in identity, a user account or a gMSA");
}

// A Windows service's account (SQL Server, SSRS): built-in, NT SERVICE\ virtual account, or domain account.
void CrossCheck::service_account(const spec::Host& h, std::string& account, const std::string& path,
                                 const std::string& lead) {
  if (std::find(kServiceBuiltins.begin(), kServiceBuiltins.end(), account) != kServiceBuiltins.end()) return;
  if (lower(account).rfind("nt service\\", 0) == 0) {
    const std::string name = account.substr(11);
    if (name.empty())
      r_.at_path(path, lead + " " + quote(account) + ", which names no service after NT SERVICE\\");
    else
      account = "NT SERVICE\\" + name;
    return;
  }
  if (account.find('\\') == std::string::npos) {
    if (const std::string close = suggest(account, kServiceBuiltins); !close.empty()) {
      r_.at_path(path, lead + " " + quote(account) + "; write the built-in account exactly as " + close);
      return;
    }
  }
  if (!h.domain) {
    r_.at_path(path, lead + " " + quote(account) + ", but host " + h.name +
                         " is a workgroup machine and cannot run a service as a domain account");
    return;
  }
  user_ref(account, path, lead + " " + quote(account),
           "a service runs as NetworkService, LocalService, LocalSystem, NT SERVICE\\<name>, a user account or a gMSA");
}

// "HOST\name" naming a local account of host h: rewritten to "HOST\name" with the host upper-cased.
bool CrossCheck::local_account(const spec::Host& h, std::string& ref, const std::string& path,
                               const std::string& lead) {
  const auto slash = ref.find('\\');
  if (slash == std::string::npos) return false;
  const std::string prefix = ref.substr(0, slash);
  if (iequals(prefix, h.name)) {
    const std::string name = ref.substr(slash + 1);
    if (std::string problem = check_account_name(name); !problem.empty())
      r_.at_path(path, problem);
    else
      ref = upper(h.name) + "\\" + name;
    return true;
  }
  if (const auto other = host_by_name(prefix); other && !domain_by_netbios(prefix)) {
    r_.at_path(path, lead + " " + quote(ref) + ", a local account of " + s_.hosts[*other].name +
                         "; only domain accounts and local accounts of " + h.name + " itself can be used here");
    return true;
  }
  return false;
}

void CrossCheck::iis() {
  pools_.resize(s_.hosts.size());
  sites_.resize(s_.hosts.size());
  for (std::size_t hi = 0; hi < s_.hosts.size(); ++hi) {
    auto& h = s_.hosts[hi];
    if (!h.iis) continue;
    auto& iis = *h.iis;
    const std::string pool_default = default_app_pool_identity(iis.version);
    if (iis.app_pools.empty()) iis.app_pools.push_back(spec::AppPool{"DefaultAppPool", pool_default, iis.at});
    Names& pools = pools_[hi];
    std::map<std::string, std::string> pool_at;
    for (auto& pool : iis.app_pools) {
      const bool written = pool.at != iis.at;
      if (written && !r_.has(p(pool.at, "identity"))) pool.identity = pool_default;
      if (!pool.name.empty()) {
        if (pools.add(pool.name))
          pool_at.emplace(lower(pool.name), p(pool.at, "name"));
        else
          r_.at_path(p(pool.at, "name"), "a second app pool named " + quote(pool.name) + " on host " + h.name +
                                             first_at(pool_at[lower(pool.name)]));
      }
      if (written) pool_identity(h, pool.identity, p(pool.at, "identity"), "app pool " + quote(pool.name) + " runs as");
    }
    Names& sites = sites_[hi];
    std::map<std::string, std::string> site_at;
    std::map<std::string, std::pair<std::string, std::string>> binding_owner;
    for (auto& site : iis.sites) {
      if (!site.name.empty()) {
        if (sites.add(site.name))
          site_at.emplace(lower(site.name), p(site.at, "name"));
        else
          r_.at_path(p(site.at, "name"), "a second site named " + quote(site.name) + " on host " + h.name +
                                             first_at(site_at[lower(site.name)]));
      }
      if (site.app_pool.empty()) {
        if (!pools.list.empty()) site.app_pool = pools.find("DefaultAppPool") ? "DefaultAppPool" : pools.list.front();
      } else if (const std::string* pool = pools.find(site.app_pool)) {
        site.app_pool = *pool;
      } else {
        r_.at_path(p(site.at, "app_pool"), "site " + quote(site.name) + " uses app pool " + quote(site.app_pool) +
                                               ", but host " + h.name + " has no app pool of that name" +
                                               it_has(pools.list));
      }
      anonymous_user(h, site);
      for (std::size_t i = 0; i < site.bindings.size(); ++i) {
        const std::string key = lower(site.bindings[i]);
        const std::string path = r_.has(p(site.at, "bindings")) ? p(p(site.at, "bindings"), i) : site.at;
        if (const auto it = binding_owner.find(key); it != binding_owner.end())
          r_.at_path(path, "the binding " + site.bindings[i] + " is already used by site " + quote(it->second.first) +
                               " on this host" + line_note(it->second.second) + "; IIS would not start this site");
        else
          binding_owner.emplace(key, std::make_pair(site.name, path));
      }
    }
  }
}

void CrossCheck::anonymous_user(const spec::Host& h, spec::Site& site) {
  const std::string path = p(p(site.at, "anonymous"), "user");
  const bool iis6 = h.iis->version == "6.0";
  const std::string iis6_user = default_anonymous_user(h.name, "6.0");
  if (!r_.has(path)) {
    if (iis6) site.anonymous.user = iis6_user;
    return;
  }
  std::string& user = site.anonymous.user;
  const std::string lead = "site " + quote(site.name) + " serves anonymous requests as";
  if (user.empty()) return;
  if (user == "IUSR") {
    if (iis6)
      r_.at_path(path, lead + " IUSR, which IIS 6.0 does not have; its anonymous account is " + quote(iis6_user));
    return;
  }
  if (iequals(user, "IUSR")) {
    r_.at_path(path, lead + " " + quote(user) + "; write the built-in account exactly as IUSR");
    return;
  }
  if (local_account(h, user, path, lead)) return;
  if (user.find('\\') == std::string::npos && s_.domains.size() != 1) {
    r_.at_path(path, lead + " " + quote(user) + "; write IUSR, \"\" (the app pool identity), DOMAIN\\name or " +
                         upper(h.name) + "\\name (a local account)");
    return;
  }
  user_ref(user, path, lead + " " + quote(user), "use a user account, IUSR, or \"\" for the app pool identity");
}

void CrossCheck::sql_and_ssrs() {
  instances_.resize(s_.hosts.size());
  for (std::size_t hi = 0; hi < s_.hosts.size(); ++hi) {
    auto& h = s_.hosts[hi];
    if (h.sql) {
      auto& sql = *h.sql;
      if (sql.instances.empty()) {
        spec::SqlInstance in;
        in.at = sql.at;
        sql.instances.push_back(in);
      }
      std::map<std::string, std::string> names;
      std::map<int, std::string> ports;
      for (auto& in : sql.instances) {
        const bool named = !is_default_sql_instance(in.name);
        if (!named) in.name = "MSSQLSERVER";
        const std::string name_path = r_.has(p(in.at, "name")) ? p(in.at, "name") : in.at;
        if (instances_[hi].add(in.name))
          names.emplace(lower(in.name), name_path);
        else
          r_.at_path(name_path, "a second SQL instance named " + quote(in.name) + " on host " + h.name +
                                    first_at(names[lower(in.name)]));
        if (named && !r_.has(p(in.at, "port")) && !r_.has(p(in.at, "dynamic_port"))) in.dynamic_port = true;
        if (!in.dynamic_port && !r_.flagged(p(in.at, "port"))) {
          if (const auto it = ports.find(in.port); it != ports.end())
            r_.at_path(r_.has(p(in.at, "port")) ? p(in.at, "port") : in.at,
                       "instances " + it->second + " and " + in.name + " on host " + h.name + " both listen on port " +
                           std::to_string(in.port));
          else
            ports.emplace(in.port, in.name);
        }
        if (in.service_account.empty())
          in.service_account = default_sql_service_account(in.name);
        else
          service_account(h, in.service_account, p(in.at, "service_account"),
                          "SQL instance " + quote(in.name) + " runs as");
      }
    }
    if (h.ssrs) service_account(h, h.ssrs->service_account, p(h.ssrs->at, "service_account"), "SSRS runs as");
  }
}

void CrossCheck::clients() {
  for (auto& h : s_.hosts) {
    if (!h.client || h.client->user.empty()) continue;
    const std::string path = p(h.client->at, "user");
    const std::string lead = "the client's user is";
    if (local_account(h, h.client->user, path, lead)) continue;
    if (!h.domain) {
      r_.at_path(path, "host " + h.name +
                           " is a workgroup machine: its user must be one of its local accounts, such as " +
                           quote(upper(h.name) + "\\" + h.client->user.substr(h.client->user.find('\\') + 1)));
      continue;
    }
    user_ref(h.client->user, path, lead + " " + quote(h.client->user), "a client logs on with a user account");
  }
}

}  // namespace kerbsim::scenario::xref
