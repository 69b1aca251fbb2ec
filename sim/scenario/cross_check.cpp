// The cross-reference pass in order, and the lookups every part of it shares: domains and hosts by
// name, and account references ("NETBIOS\\name") resolved to the principal they name.
#include <algorithm>
#include <map>
#include <set>

#include "scenario/cross_check.h"
#include "scenario/syntax.h"
#include "scenario/validate.h"

namespace kerbsim::scenario::xref {

// "a, b, c" shortened to the first ten names.
std::string short_list(const Strings& names) {
  if (names.size() <= 10) return join(names);
  return join(Strings(names.begin(), names.begin() + 10)) + ", ... (" + std::to_string(names.size()) + " in all)";
}

// "a -> b -> c -> a", shortened in the middle when the loop is long.
std::string loop_text(const Strings& names) {
  if (names.size() <= 12) return join(names, " -> ");
  return join(Strings(names.begin(), names.begin() + 6), " -> ") + " -> ... -> " +
         join(Strings(names.end() - 3, names.end()), " -> ") + " (" + std::to_string(names.size() - 1) +
         " in the loop)";
}

std::string it_has(const Strings& names) {
  return names.empty() ? " (it has none)" : " (it has: " + short_list(names) + ")";
}

void CrossCheck::run() {
  domains();
  hosts();
  principals();
  dcs();
  trusts();
  delegation_targets();
  dns();
  iis();
  sql_and_ssrs();
  clients();
  load_balancers();
  calls();
  flows_and_expectations();
  workload();
}

std::optional<std::size_t> CrossCheck::domain_by_dns(std::string_view name) const {
  const auto it = domain_by_dns_.find(lower(name));
  if (it == domain_by_dns_.end()) return std::nullopt;
  return it->second;
}

std::optional<std::size_t> CrossCheck::domain_by_netbios(std::string_view name) const {
  const auto it = domain_by_netbios_.find(lower(name));
  if (it == domain_by_netbios_.end()) return std::nullopt;
  return it->second;
}

std::optional<std::size_t> CrossCheck::host_by_name(std::string_view name) const {
  const auto it = host_by_name_.find(lower(name));
  if (it == host_by_name_.end()) return std::nullopt;
  return it->second;
}

Strings CrossCheck::domain_names() const {
  Strings out;
  for (const auto& d : s_.domains) out.push_back(d.dns);
  return out;
}

Strings CrossCheck::netbios_names() const {
  Strings out;
  for (const auto& d : s_.domains) out.push_back(d.netbios);
  return out;
}

// " (line 12)"
std::string CrossCheck::line_note(const std::string& path) const {
  const int line = r_.line_of(path);
  return line > 0 ? " (line " + std::to_string(line) + ")" : "";
}

// "(the first is at line 12)"
std::string CrossCheck::first_at(const std::string& path) const {
  const int line = r_.line_of(path);
  return line > 0 ? " (the first is at line " + std::to_string(line) + ")" : "";
}

// Reports a host reference that names no host; returns the host otherwise.
std::optional<std::size_t> CrossCheck::host_ref(std::string& name, const std::string& path, const std::string& lead) {
  const auto h = host_by_name(name);
  if (!h) {
    std::string msg = lead + ", but there is no host of that name";
    if (const std::string close = suggest(name, host_names_); !close.empty())
      msg += "; did you mean " + close + "?";
    else
      msg += " (hosts: " + short_list(host_names_) + ")";
    r_.at_path(path, msg);
    return std::nullopt;
  }
  name = s_.hosts[*h].name;
  return h;
}

// Account references: "NETBIOS\name", or a bare name when there is one domain. On failure, `problem`
// continues a sentence: "but domain CORP has no account of that name ...".
const Principal* CrossCheck::resolve(const std::string& ref, std::string& problem, bool users_only) const {
  const auto slash = ref.find('\\');
  std::size_t domain = 0;
  std::string name;
  if (slash == std::string::npos) {
    if (s_.domains.empty()) {
      problem = "but the scenario declares no domain";
      return nullptr;
    }
    if (s_.domains.size() > 1) {
      problem = "but the scenario has several domains: write the domain too, such as " +
                quote(s_.domains[0].netbios + "\\" + ref);
      return nullptr;
    }
    name = ref;
  } else {
    const std::string prefix = ref.substr(0, slash);
    const auto d = domain_by_netbios(prefix);
    if (!d) {
      problem = "but " + quote(prefix) +
                " is not the NetBIOS name of a domain in this file (domains: " + short_list(netbios_names()) + ")";
      return nullptr;
    }
    domain = *d;
    name = ref.substr(slash + 1);
  }
  const std::string netbios = s_.domains[domain].netbios;
  if (const auto it = principals_.find(lower(netbios + "\\" + name)); it != principals_.end()) return &it->second;
  if (const auto it = principals_.find(lower(netbios + "\\" + name + "$"));
      it != principals_.end() && it->second.type != "user") {
    problem = "but domain " + netbios + " has no account of that name; a " +
              (it->second.type == "gmsa" ? std::string("gMSA") : std::string("computer account")) +
              " is written with its trailing \"$\": " + quote(it->second.canonical);
    return nullptr;
  }
  const Strings& names = account_names(domain, users_only);
  problem = "but domain " + netbios + " has no account of that name";
  if (const std::string close = suggest(name, names); !close.empty())
    problem += "; did you mean " + quote(netbios + "\\" + close) + "?";
  else
    problem += it_has(names);
  return nullptr;
}

// The account names of a domain, for messages; built once per domain.
const Strings& CrossCheck::account_names(std::size_t domain, bool users_only) const {
  const auto key = std::make_pair(domain, users_only);
  if (const auto it = account_names_.find(key); it != account_names_.end()) return it->second;
  Strings names;
  for (const auto& [lowered, pr] : principals_)
    if (pr.domain == domain && (!users_only || pr.type != "computer"))
      names.push_back(pr.canonical.substr(pr.canonical.find('\\') + 1));
  std::sort(names.begin(), names.end(), [](const std::string& a, const std::string& b) { return lower(a) < lower(b); });
  return account_names_.emplace(key, std::move(names)).first->second;
}

// A reference to a user account or gMSA (not a computer account); rewrites `ref` to its canonical form.
bool CrossCheck::user_ref(std::string& ref, const std::string& path, const std::string& lead, std::string_view role) {
  std::string problem;
  const Principal* pr = resolve(ref, problem, true);
  if (!pr) {
    if (!s_.domains.empty()) r_.at_path(path, lead + ", " + problem);
    return false;
  }
  if (pr->type == "computer") {
    r_.at_path(path, lead + ", which is a computer account; " + std::string(role));
    return false;
  }
  ref = pr->canonical;
  return true;
}

}  // namespace kerbsim::scenario::xref

namespace kerbsim::scenario {

void check_references(spec::Scenario& scenario, Reporter& reporter) { xref::CrossCheck(scenario, reporter).run(); }

}  // namespace kerbsim::scenario
