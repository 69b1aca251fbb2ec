#include "scenario/validate.h"

#include <algorithm>
#include <map>
#include <set>
#include <unordered_map>
#include <utility>

namespace kerbsim::scenario {

// ---------------------------------------------------------------------------------------------
// Reporter

Reporter::Reporter(std::string file, const JsonNode* root) : file_(std::move(file)) {
  if (!root) return;
  std::vector<const JsonNode*> pending = {root};
  while (!pending.empty()) {
    const JsonNode* n = pending.back();
    pending.pop_back();
    index_.emplace(n->path, n);
    for (const auto& child : n->children) pending.push_back(&child);
  }
}

void Reporter::at(const JsonNode& value, std::string message) {
  flagged_.insert(value.path);
  diagnostics_.push_back(Diagnostic{file_, value.line, value.column, value.path, std::move(message)});
}

void Reporter::at_key(const JsonNode& member, std::string message) {
  flagged_.insert(member.path);
  diagnostics_.push_back(Diagnostic{file_, member.key_line, member.key_column, member.path, std::move(message)});
}

const JsonNode* Reporter::node(const std::string& path) const {
  std::string p = path;
  while (true) {
    if (const auto it = index_.find(p); it != index_.end()) return it->second;
    if (p.empty()) return nullptr;
    p.erase(p.rfind('/'));
  }
}

void Reporter::at_path(const std::string& path, std::string message) {
  flagged_.insert(path);
  if (const JsonNode* n = node(path)) {
    diagnostics_.push_back(Diagnostic{file_, n->line, n->column, n->path, std::move(message)});
  } else {
    diagnostics_.push_back(Diagnostic{file_, 0, 0, path, std::move(message)});
  }
}

int Reporter::line_of(const std::string& path) const {
  const JsonNode* n = node(path);
  return n ? n->line : 0;
}

// ---------------------------------------------------------------------------------------------
// Text helpers

std::string quote(std::string_view s) {
  std::string body;
  for (const char c : s.substr(0, 200)) {
    if (c == '"')
      body += "\\\"";
    else if (static_cast<unsigned char>(c) < 0x20)
      body += json_escape(std::string(1, c));
    else
      body += c;
  }
  if (s.size() > 200 || body.size() > 120) {
    std::size_t cut = std::min<std::size_t>(body.size(), 100);
    while (cut > 0 && (static_cast<unsigned char>(body[cut]) & 0xC0) == 0x80) --cut;
    body.replace(cut, std::string::npos, "...");
  }
  return "\"" + body + "\"";
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

std::string upper(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  return out;
}

bool iequals(std::string_view a, std::string_view b) { return a.size() == b.size() && lower(a) == lower(b); }

std::string join(const std::vector<std::string>& items, std::string_view separator) {
  std::string out;
  for (const auto& item : items) {
    if (!out.empty()) out += separator;
    out += item;
  }
  return out;
}

namespace {

std::size_t edit_distance(const std::string& a, const std::string& b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

}  // namespace

std::string suggest(std::string_view word, const std::vector<std::string>& candidates) {
  if (word.empty() || word.size() > 64 || candidates.size() > 1000) return "";
  const std::string w = lower(word);
  const std::size_t limit = w.size() <= 3 ? 1 : w.size() <= 6 ? 2 : 3;
  std::string best;
  std::size_t best_distance = limit + 1;
  for (const auto& c : candidates) {
    const std::size_t d = edit_distance(w, lower(c));
    if (d < best_distance) {
      best_distance = d;
      best = c;
    }
  }
  return best;
}

// ---------------------------------------------------------------------------------------------
// How things are written

namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_letter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool all_digits(std::string_view s) { return !s.empty() && std::all_of(s.begin(), s.end(), is_digit); }

std::string first_space(std::string_view s) {
  for (const char c : s)
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') return c == ' ' ? "a space" : "a tab or line break";
  return "";
}

std::string char_name(char c) {
  if (static_cast<unsigned char>(c) < 0x20) return "a control character";
  return quote(std::string(1, c));
}

// The port text of an SPN or URL: "" when it is a number from 1 to 65535.
std::string port_problem(std::string_view port) {
  if (port.empty()) return "the port after \":\" is empty";
  if (!all_digits(port)) return "the port " + quote(port) + " is not a number";
  if (port.size() > 5 || std::stoi(std::string(port)) < 1 || std::stoi(std::string(port)) > 65535)
    return "the port " + std::string(port) + " is not between 1 and 65535";
  return "";
}

}  // namespace

std::string check_spn(std::string_view spn) {
  const std::string q = quote(spn);
  const std::string form = "an SPN is serviceclass/host[:port][/servicename], such as HTTP/web1.corp.contoso.com";
  if (spn.empty()) return "the SPN is empty; " + form;
  if (spn.size() > 260)
    return "the SPN " + q + " is " + std::to_string(spn.size()) + " characters long; the limit is 260";
  if (const std::string sp = first_space(spn); !sp.empty()) return "the SPN " + q + " contains " + sp;
  if (spn.find("://") != std::string_view::npos)
    return "the SPN " + q + " contains a URL; write the host alone, such as HTTP/web1.corp.contoso.com";
  const auto slash = spn.find('/');
  if (slash == std::string_view::npos) return "the SPN " + q + " has no \"/\"; " + form;
  const std::string_view service_class = spn.substr(0, slash);
  if (service_class.empty()) return "the SPN " + q + " has no service class before the \"/\"; " + form;
  for (const char c : service_class)
    if (!is_letter(c) && !is_digit(c) && c != '-' && c != '_')
      return "the service class " + quote(service_class) + " of SPN " + q + " contains " + char_name(c);
  std::string_view rest = spn.substr(slash + 1);
  const auto second = rest.find('/');
  std::string_view host_port = rest.substr(0, second);
  if (second != std::string_view::npos && second + 1 == rest.size())
    return "the SPN " + q + " ends with \"/\"; drop it or add the service name after it";
  const auto colon = host_port.find(':');
  const std::string_view host = host_port.substr(0, colon);
  if (host.empty())
    return "the SPN " + q + " has no host after " + quote(std::string(service_class) + "/") + "; " + form;
  for (const char c : host)
    if (!is_letter(c) && !is_digit(c) && c != '-' && c != '.' && c != '_')
      return "the host " + quote(host) + " of SPN " + q + " contains " + char_name(c);
  if (colon != std::string_view::npos) {
    const std::string_view port = host_port.substr(colon + 1);
    if (iequals(service_class, "MSSQLSvc") && !port.empty() && !all_digits(port)) {
      if (std::string p = check_sql_instance_name(port); !p.empty()) return "in SPN " + q + ": " + p;
      return "";
    }
    if (std::string p = port_problem(port); !p.empty()) {
      if (!port.empty() && !all_digits(port))
        return "in SPN " + q + ", " + p + " (only MSSQLSvc SPNs carry an instance name after \":\")";
      return "in SPN " + q + ", " + p;
    }
  }
  return "";
}

std::string check_ipv4(std::string_view ip) {
  const std::string q = quote(ip);
  const std::string form = " is not an IPv4 address (four numbers from 0 to 255 with dots, such as 10.0.0.11)";
  std::vector<std::string_view> parts;
  std::size_t start = 0;
  while (true) {
    const auto dot = ip.find('.', start);
    parts.push_back(ip.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start));
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  if (parts.size() != 4) return q + form;
  for (const auto part : parts) {
    if (!all_digits(part) || part.size() > 3) return q + form;
    if (part.size() > 1 && part[0] == '0')
      return q + " has a leading zero in " + std::string(part) + "; write each number without one";
    if (std::stoi(std::string(part)) > 255) return q + form + ": " + std::string(part) + " is more than 255";
  }
  return "";
}

std::string check_dns_name(std::string_view name, std::string_view what) {
  const std::string q = quote(name);
  const std::string w(what);
  if (name.empty()) return "the " + w + " is empty";
  if (name.size() > 253) return "the " + w + " " + q + " is longer than 253 characters";
  if (name.find("://") != std::string_view::npos) return "the " + w + " " + q + " is a URL; write the name alone";
  std::size_t start = 0;
  std::string_view last_label;
  while (true) {
    const auto dot = name.find('.', start);
    const std::string_view label =
        name.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start);
    if (label.empty()) return "the " + w + " " + q + " has an empty label (two dots, or a dot at an end)";
    if (label.size() > 63) return "the " + w + " " + q + " has a label longer than 63 characters";
    for (const char c : label)
      if (!is_letter(c) && !is_digit(c) && c != '-')
        return "the " + w + " " + q + " contains " + char_name(c) + ", which DNS names cannot contain";
    if (label.front() == '-' || label.back() == '-')
      return "the " + w + " " + q + " has a label that starts or ends with \"-\"";
    last_label = label;
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  if (all_digits(last_label)) return "the " + w + " " + q + " looks like an IP address, not a name";
  return "";
}

std::string check_domain_dns(std::string_view name) {
  if (std::string p = check_dns_name(name, "domain name"); !p.empty()) return p;
  if (name.find('.') == std::string_view::npos)
    return "the domain name " + quote(name) +
           " has one label; a domain's DNS name has at least two, like corp.contoso.com";
  return "";
}

std::string check_netbios(std::string_view name) {
  if (name.empty()) return "the NetBIOS name is empty";
  if (name.size() > 15)
    return "the NetBIOS name " + quote(name) + " has " + std::to_string(name.size()) + " characters; the limit is 15";
  for (const char c : name)
    if (!is_letter(c) && !is_digit(c) && c != '-')
      return "the NetBIOS name " + quote(name) + " contains " + char_name(c) + "; use letters, digits and \"-\"";
  return "";
}

std::string check_host_name(std::string_view name) {
  const std::string q = quote(name);
  if (name.empty()) return "the host name is empty";
  if (name.find('.') != std::string_view::npos)
    return "the host name " + q + " contains a dot; write the short name (the FQDN is name.domain)";
  for (const char c : name)
    if (!is_letter(c) && !is_digit(c) && c != '-')
      return "the host name " + q + " contains " + char_name(c) + "; use letters, digits and \"-\"";
  if (name.front() == '-' || name.back() == '-') return "the host name " + q + " starts or ends with \"-\"";
  if (all_digits(name)) return "the host name " + q + " is all digits";
  if (name.size() > 15)
    return "the host name " + q + " has " + std::to_string(name.size()) +
           " characters; a Windows computer name has at most 15 (the NetBIOS name limit)";
  return "";
}

std::string check_sql_instance_name(std::string_view name) {
  const std::string q = quote(name);
  if (name.empty()) return "the SQL instance name is empty";
  if (name.size() > 16) return "the SQL instance name " + q + " is longer than 16 characters";
  if (!is_letter(name[0]) && name[0] != '_') return "the SQL instance name " + q + " must start with a letter or \"_\"";
  for (const char c : name)
    if (!is_letter(c) && !is_digit(c) && c != '_' && c != '$')
      return "the SQL instance name " + q + " contains " + char_name(c) + "; use letters, digits, \"_\" and \"$\"";
  if (iequals(name, "DEFAULT")) return "\"DEFAULT\" is reserved; the default instance is named MSSQLSERVER";
  return "";
}

std::string check_account_name(std::string_view name) {
  const std::string q = quote(name);
  if (name.empty()) return "the account name is empty";
  if (name.size() > 20)
    return "the account name " + q + " has " + std::to_string(name.size()) +
           " characters; a logon name (sAMAccountName) has at most 20";
  for (const char c : name)
    if (std::string_view("\"/\\[]:;|=,+*?<>@").find(c) != std::string_view::npos ||
        static_cast<unsigned char>(c) < 0x20)
      return "the account name " + q + " contains " + char_name(c) + ", which logon names cannot contain";
  return "";
}

namespace {

std::string check_url_host(std::string_view host, std::string_view url, bool allow_star) {
  if (host.empty()) return "the URL " + quote(url) + " has no host";
  if (allow_star && host == "*") return "";
  if (host.front() == '[') return "the URL " + quote(url) + " has an IPv6 address; kerbsim models IPv4 only";
  bool numeric = true;
  for (const char c : host) numeric = numeric && (is_digit(c) || c == '.');
  if (numeric) {
    if (std::string p = check_ipv4(host); !p.empty()) return "in URL " + quote(url) + ": " + p;
    return "";
  }
  if (std::string p = check_dns_name(host, "host name"); !p.empty()) return "in URL " + quote(url) + ": " + p;
  return "";
}

}  // namespace

ParsedUrl parse_url(std::string_view url, UrlUse use) {
  ParsedUrl u;
  const std::string q = quote(url);
  const std::string example = use == UrlUse::binding ? "such as http://*:80 or https://reports.corp.contoso.com:443"
                              : use == UrlUse::flow  ? "such as http://web1/app or mssql://sql1/MSSQLSERVER"
                                                     : "such as http://reports/ReportServer";
  if (const std::string sp = first_space(url); !sp.empty()) {
    u.error = "the URL " + q + " contains " + sp;
    return u;
  }
  const auto sep = url.find("://");
  if (sep == std::string_view::npos) {
    u.error = q + " is not a URL; write scheme://host..., " + example;
    return u;
  }
  u.scheme = lower(url.substr(0, sep));
  const bool mssql = u.scheme == "mssql";
  if (u.scheme != "http" && u.scheme != "https" && !(mssql && use == UrlUse::flow)) {
    u.error = "the URL " + q + " has scheme " + quote(url.substr(0, sep)) + "; use " +
              (use == UrlUse::flow ? "http, https or mssql" : "http or https");
    return u;
  }
  const std::string_view rest = url.substr(sep + 3);
  if (rest.find('@') != std::string_view::npos) {
    u.error = "the URL " + q + " contains \"@\"; a user name does not belong in the URL";
    return u;
  }
  if (mssql) {
    const auto host_end = rest.find_first_of("/:");
    u.host = std::string(rest.substr(0, host_end));
    if (std::string p = check_url_host(u.host, url, false); !p.empty()) {
      u.error = p;
      return u;
    }
    std::string_view tail = host_end == std::string_view::npos ? std::string_view() : rest.substr(host_end);
    bool have_port = false;
    bool have_instance = false;
    while (!tail.empty()) {
      const char c = tail[0];
      const auto next = tail.find_first_of("/:", 1);
      const std::string_view part = tail.substr(1, next == std::string_view::npos ? std::string_view::npos : next - 1);
      if (c == ':' && !have_port) {
        if (std::string p = port_problem(part); !p.empty()) {
          u.error = "in URL " + q + ", " + p;
          return u;
        }
        u.port = std::stoi(std::string(part));
        have_port = true;
      } else if (c == '/' && !have_instance) {
        if (std::string p = check_sql_instance_name(part); !p.empty()) {
          u.error = "in URL " + q + ": " + p;
          return u;
        }
        u.path = std::string(part);
        have_instance = true;
      } else {
        u.error =
            "the URL " + q + " has more than a host, an instance and a port; write mssql://host[/instance][:port]";
        return u;
      }
      tail = next == std::string_view::npos ? std::string_view() : tail.substr(next);
    }
    return u;
  }
  const auto authority_end = rest.find_first_of("/?#");
  const std::string_view authority = rest.substr(0, authority_end);
  const std::string_view path =
      authority_end == std::string_view::npos ? std::string_view() : rest.substr(authority_end);
  const auto colon = authority.find(':');
  u.host = std::string(authority.substr(0, colon));
  if (std::string p = check_url_host(u.host, url, use == UrlUse::binding); !p.empty()) {
    u.error = p;
    return u;
  }
  u.port = u.scheme == "https" ? 443 : 80;
  if (colon != std::string_view::npos) {
    const std::string_view port = authority.substr(colon + 1);
    if (std::string p = port_problem(port); !p.empty()) {
      u.error = "in URL " + q + ", " + p;
      return u;
    }
    u.port = std::stoi(std::string(port));
  }
  if (use == UrlUse::binding && !path.empty()) {
    u.error = "the binding " + q + " has a path; a binding is scheme://host:port, " + example;
    return u;
  }
  u.path = std::string(path);
  return u;
}

std::string default_netbios(std::string_view domain_dns) {
  return upper(domain_dns.substr(0, std::min<std::size_t>(domain_dns.find('.'), 15)));
}

std::string default_app_pool_identity(std::string_view iis_version) {
  return iis_version == "6.0" || iis_version == "7.0" ? "NetworkService" : "ApplicationPoolIdentity";
}

std::string default_anonymous_user(std::string_view host_name, std::string_view iis_version) {
  if (iis_version != "6.0") return "IUSR";
  return upper(host_name) + "\\IUSR_" + upper(host_name);
}

std::string default_sql_service_account(std::string_view instance) {
  return is_default_sql_instance(instance) ? "NT SERVICE\\MSSQLSERVER" : "NT SERVICE\\MSSQL$" + upper(instance);
}

bool is_default_sql_instance(std::string_view instance) { return iequals(instance, "MSSQLSERVER"); }

std::optional<spec::Seconds> parse_duration(std::string_view text, DurationRule rule, std::string& error) {
  const std::string q = quote(text);
  const std::string form =
      "; write a number followed by d, h, m or s, such as \"90s\", \"5m\", \"10h\", \"7d\" or \"2h30m\"";
  if (text.empty()) {
    error = "the duration is empty" + form;
    return std::nullopt;
  }
  bool negative = false;
  std::string_view rest = text;
  if (rest[0] == '-') {
    negative = true;
    rest.remove_prefix(1);
  }
  if (all_digits(rest)) {
    error = q + " has no unit" + form + " (or a plain JSON number of seconds)";
    return std::nullopt;
  }
  constexpr std::int64_t kMax = 36500LL * 86400;
  const std::string units = "dhms";
  const std::int64_t scale[] = {86400, 3600, 60, 1};
  std::int64_t total = 0;
  int last_unit = -1;
  while (!rest.empty()) {
    std::size_t i = 0;
    while (i < rest.size() && is_digit(rest[i])) ++i;
    if (i == 0 || i == rest.size()) {
      error = q + " is not a duration" + form;
      return std::nullopt;
    }
    const auto found = units.find(rest[i]);
    if (found == std::string::npos) {
      error = q + " is not a duration" + form;
      return std::nullopt;
    }
    const auto unit = static_cast<int>(found);
    if (unit <= last_unit) {
      error = q + ": write each unit once, from days down to seconds (such as \"2h30m\")";
      return std::nullopt;
    }
    last_unit = unit;
    if (i > 9) {
      error = q + " is too long; the longest duration is 36500d (100 years)";
      return std::nullopt;
    }
    total += std::stoll(std::string(rest.substr(0, i))) * scale[unit];
    if (total > kMax) {
      error = q + " is too long; the longest duration is 36500d (100 years)";
      return std::nullopt;
    }
    rest.remove_prefix(i + 1);
  }
  if (negative && !rule.allow_negative) {
    error = q + " cannot be negative";
    return std::nullopt;
  }
  if (total == 0 && !rule.allow_zero) {
    error = q + " must be longer than 0 seconds";
    return std::nullopt;
  }
  return negative ? -total : total;
}

// ---------------------------------------------------------------------------------------------
// Cross-references

namespace {

using Strings = std::vector<std::string>;

const Strings kPoolBuiltins = {"ApplicationPoolIdentity", "NetworkService", "LocalService", "LocalSystem"};
const Strings kServiceBuiltins = {"NetworkService", "LocalService", "LocalSystem"};

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

// Names as declared, found case-insensitively; the first of two that differ only in case wins.
struct Names {
  Strings list;
  std::map<std::string, std::string> by_lower;

  bool add(const std::string& name) {
    if (!by_lower.emplace(lower(name), name).second) return false;
    list.push_back(name);
    return true;
  }
  const std::string* find(std::string_view name) const {
    const auto it = by_lower.find(lower(name));
    return it == by_lower.end() ? nullptr : &it->second;
  }
};

struct Principal {
  std::string canonical;  // NETBIOS\name as declared
  std::string type;       // user | gmsa | computer
  std::size_t domain = 0;
  std::string path;
};

enum class TargetKind { none, host, load_balancer, address };

struct Target {
  TargetKind kind = TargetKind::none;
  std::size_t index = 0;
  std::string address;
};

// A call with where it comes from, for reference checks and the call graph.
struct CallSite {
  spec::Call* call;
  int from_node;
  bool from_sql;
};

class CrossCheck {
 public:
  CrossCheck(spec::Scenario& s, Reporter& r) : s_(s), r_(r) {}

  void run() {
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

 private:
  // ---- lookups ----

  std::optional<std::size_t> domain_by_dns(std::string_view name) const {
    const auto it = domain_by_dns_.find(lower(name));
    if (it == domain_by_dns_.end()) return std::nullopt;
    return it->second;
  }
  std::optional<std::size_t> domain_by_netbios(std::string_view name) const {
    const auto it = domain_by_netbios_.find(lower(name));
    if (it == domain_by_netbios_.end()) return std::nullopt;
    return it->second;
  }
  std::optional<std::size_t> host_by_name(std::string_view name) const {
    const auto it = host_by_name_.find(lower(name));
    if (it == host_by_name_.end()) return std::nullopt;
    return it->second;
  }
  Strings domain_names() const {
    Strings out;
    for (const auto& d : s_.domains) out.push_back(d.dns);
    return out;
  }
  Strings netbios_names() const {
    Strings out;
    for (const auto& d : s_.domains) out.push_back(d.netbios);
    return out;
  }
  std::string fqdn(const spec::Host& h) const { return h.domain ? h.name + "." + *h.domain : h.name; }
  static std::string p(const std::string& base, std::string_view key) { return pointer_append(base, key); }
  static std::string p(const std::string& base, std::size_t i) { return pointer_append(base, i); }

  // " (line 12)"
  std::string line_note(const std::string& path) const {
    const int line = r_.line_of(path);
    return line > 0 ? " (line " + std::to_string(line) + ")" : "";
  }

  // "(the first is at line 12)"
  std::string first_at(const std::string& path) const {
    const int line = r_.line_of(path);
    return line > 0 ? " (the first is at line " + std::to_string(line) + ")" : "";
  }

  // Reports a host reference that names no host; returns the host otherwise.
  std::optional<std::size_t> host_ref(std::string& name, const std::string& path, const std::string& lead) {
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
  const Principal* resolve(const std::string& ref, std::string& problem, bool users_only = false) const {
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
  const Strings& account_names(std::size_t domain, bool users_only) const {
    const auto key = std::make_pair(domain, users_only);
    if (const auto it = account_names_.find(key); it != account_names_.end()) return it->second;
    Strings names;
    for (const auto& [lowered, pr] : principals_)
      if (pr.domain == domain && (!users_only || pr.type != "computer"))
        names.push_back(pr.canonical.substr(pr.canonical.find('\\') + 1));
    std::sort(names.begin(), names.end(),
              [](const std::string& a, const std::string& b) { return lower(a) < lower(b); });
    return account_names_.emplace(key, std::move(names)).first->second;
  }

  // A reference to a user account or gMSA (not a computer account); rewrites `ref` to its canonical form.
  bool user_ref(std::string& ref, const std::string& path, const std::string& lead, std::string_view role) {
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

  // ---- domains ----

  void domains() {
    for (std::size_t i = 0; i < s_.domains.size(); ++i) {
      auto& d = s_.domains[i];
      if (d.dns.empty()) continue;
      if (const auto it = domain_by_dns_.find(lower(d.dns)); it != domain_by_dns_.end())
        r_.at_path(p(d.at, "dns"),
                   "a second domain named " + quote(d.dns) + first_at(p(s_.domains[it->second].at, "dns")));
      else
        domain_by_dns_.emplace(lower(d.dns), i);
      if (d.netbios.empty()) continue;
      if (const auto it = domain_by_netbios_.find(lower(d.netbios)); it != domain_by_netbios_.end())
        r_.at_path(r_.has(p(d.at, "netbios")) ? p(d.at, "netbios") : p(d.at, "dns"),
                   "a second domain with the NetBIOS name " + quote(d.netbios) +
                       first_at(p(s_.domains[it->second].at, "netbios")));
      else
        domain_by_netbios_.emplace(lower(d.netbios), i);
    }
    const auto is_root = [](const spec::Domain& d) { return d.forest.empty() || iequals(d.forest, d.dns); };
    for (auto& d : s_.domains) {
      if (d.forest.empty()) continue;
      const auto f = domain_by_dns(d.forest);
      if (!f) {
        r_.at_path(p(d.at, "forest"), "forest " + quote(d.forest) + " is not a domain in this file (domains: " +
                                          short_list(domain_names()) + ")");
      } else if (!is_root(s_.domains[*f])) {
        r_.at_path(p(d.at, "forest"), "forest " + quote(d.forest) + " must name a forest root, but " +
                                          s_.domains[*f].dns + " is itself in forest " + s_.domains[*f].forest);
      } else {
        d.forest = s_.domains[*f].dns;
      }
    }
    for (auto& d : s_.domains)
      if (d.forest.empty()) d.forest = d.dns;
  }

  // ---- hosts ----

  void hosts() {
    const bool domains_written_as_array = !r_.has("/domains") || r_.node("/domains")->is_array();
    bool needs_domain = s_.hosts.empty() || !s_.accounts.empty() || !s_.trusts.empty();
    for (const auto& h : s_.hosts) needs_domain = needs_domain || h.domain.has_value();
    if (s_.domains.empty() && needs_domain && domains_written_as_array)
      r_.at_path("/domains",
                 "a scenario needs at least one domain in \"domains\" (only a scenario of workgroup machines, "
                 "with no accounts or trusts, may have none)");

    auto& by_ip = host_by_ip_;
    for (const auto& h : s_.hosts) host_names_.push_back(h.name);
    for (std::size_t i = 0; i < s_.load_balancers.size(); ++i)
      if (!s_.load_balancers[i].vip.empty()) lb_by_vip_.emplace(s_.load_balancers[i].vip, i);
    for (std::size_t i = 0; i < s_.hosts.size(); ++i) {
      auto& h = s_.hosts[i];
      if (!h.name.empty()) {
        if (const auto it = host_by_name_.find(lower(h.name)); it != host_by_name_.end())
          r_.at_path(p(h.at, "name"),
                     "a second host named " + quote(h.name) + first_at(p(s_.hosts[it->second].at, "name")));
        else
          host_by_name_.emplace(lower(h.name), i);
        if (const auto d = domain_by_netbios(h.name))
          r_.at_path(p(h.at, "name"), "host " + h.name + " has the NetBIOS name of domain " + s_.domains[*d].dns +
                                          "; Windows does not allow a computer to share its domain's NetBIOS name");
      }
      if (!h.domain && r_.flagged(p(h.at, "domain"))) h.domain = r_.node(p(h.at, "domain"))->text;
      if (h.domain) {
        if (const auto d = domain_by_dns(*h.domain))
          h.domain = s_.domains[*d].dns;
        else if (!s_.domains.empty())
          r_.at_path(p(h.at, "domain"), "host " + h.name + " is in domain " + quote(*h.domain) +
                                            ", which is not in \"domains\" (domains: " + short_list(domain_names()) +
                                            ")");
      } else if (!r_.has(p(h.at, "domain")) && !s_.domains.empty()) {
        h.domain = s_.domains[0].dns;
      }
      if (!h.domain && r_.has(p(h.at, "account")))
        r_.at_path(p(h.at, "account"),
                   "host " + h.name + " is a workgroup machine: it has no computer account to set \"account\" on");
      if (!h.ip.empty()) {
        if (const auto it = by_ip.find(h.ip); it != by_ip.end())
          r_.at_path(p(h.at, "ip"), "host " + h.name + " has the IP address " + h.ip + " of host " +
                                        s_.hosts[it->second].name + line_note(p(s_.hosts[it->second].at, "ip")));
        else
          by_ip.emplace(h.ip, i);
      }
    }
  }

  // ---- accounts ----

  void principals() {
    for (std::size_t i = 0; i < s_.hosts.size(); ++i) {
      const auto& h = s_.hosts[i];
      if (!h.domain || h.name.empty() || !host_by_name(h.name) || *host_by_name(h.name) != i) continue;
      const auto d = domain_by_dns(*h.domain);
      if (!d) continue;
      Principal pr{s_.domains[*d].netbios + "\\" + upper(h.name) + "$", "computer", *d, p(h.at, "name")};
      principals_.emplace(lower(pr.canonical), pr);
    }
    for (auto& a : s_.accounts) {
      if (a.name.empty() || s_.domains.empty()) continue;
      const auto slash = a.name.find('\\');
      std::optional<std::size_t> d;
      std::string name = a.name;
      if (slash == std::string::npos) {
        if (s_.domains.size() > 1) {
          Strings options;
          for (const auto& dom : s_.domains) options.push_back(quote(dom.netbios + "\\" + a.name));
          r_.at_path(p(a.at, "name"),
                     "account " + quote(a.name) +
                         " must name its domain, since the scenario has several: " + join(options, " or "));
          continue;
        }
        d = 0;
      } else {
        d = domain_by_netbios(a.name.substr(0, slash));
        name = a.name.substr(slash + 1);
        if (!d) {
          r_.at_path(p(a.at, "name"), "account " + quote(a.name) + " is in domain " + quote(a.name.substr(0, slash)) +
                                          ", which is not the NetBIOS name of a domain in this file (domains: " +
                                          short_list(netbios_names()) + ")");
          continue;
        }
      }
      a.name = s_.domains[*d].netbios + "\\" + name;
      Principal pr{a.name, a.type, *d, p(a.at, "name")};
      if (const auto it = principals_.find(lower(a.name)); it != principals_.end()) {
        if (it->second.path.find("/hosts/") == 0)
          r_.at_path(p(a.at, "name"), quote(a.name) + " is the computer account of host " +
                                          s_.hosts[*host_by_name(name.substr(0, name.size() - 1))].name +
                                          line_note(it->second.path) + "; set its options in that host's \"account\"");
        else
          r_.at_path(p(a.at, "name"), "a second account named " + quote(a.name) + first_at(it->second.path));
        continue;
      }
      principals_.emplace(lower(a.name), pr);
    }
  }

  void acting_accounts(std::vector<std::string>& refs, const std::string& path) {
    for (std::size_t i = 0; i < refs.size(); ++i) {
      std::string problem;
      if (const Principal* pr = resolve(refs[i], problem))
        refs[i] = pr->canonical;
      else if (!s_.domains.empty())
        r_.at_path(p(path, i), "\"allowed_to_act\" lists " + quote(refs[i]) + ", " + problem);
    }
  }

  void delegation_targets() {
    for (auto& a : s_.accounts) acting_accounts(a.delegation.allowed_to_act, p(a.at, "allowed_to_act"));
    for (auto& h : s_.hosts)
      if (h.domain) acting_accounts(h.account.allowed_to_act, p(p(h.at, "account"), "allowed_to_act"));
  }

  // ---- domain controllers and trusts ----

  void dcs() {
    std::map<std::size_t, std::size_t> dc_of;
    for (std::size_t di = 0; di < s_.domains.size(); ++di) {
      auto& d = s_.domains[di];
      for (std::size_t i = 0; i < d.dcs.size(); ++i) {
        const std::string path = p(p(d.at, "dcs"), i);
        const auto h = host_ref(d.dcs[i], path, "domain " + d.dns + " lists the DC " + d.dcs[i]);
        if (!h) continue;
        const auto& host = s_.hosts[*h];
        if (!host.domain)
          r_.at_path(path, "domain " + d.dns + " lists the DC " + host.name + ", but " + host.name +
                               " is a workgroup machine");
        else if (!iequals(*host.domain, d.dns))
          r_.at_path(
              path, "domain " + d.dns + " lists the DC " + host.name + ", but " + host.name + " is in " + *host.domain);
        else if (const auto it = dc_of.find(*h); it != dc_of.end() && it->second != di)
          r_.at_path(path, host.name + " is already a DC of " + s_.domains[it->second].dns);
        else
          dc_of.emplace(*h, di);
        dc_hosts_.insert(*h);
      }
    }
  }

  void trusts() {
    std::map<std::pair<std::size_t, std::size_t>, std::string> seen;
    for (auto& t : s_.trusts) {
      std::optional<std::size_t> ends[2];
      std::string* names[2] = {&t.from, &t.to};
      const char* keys[2] = {"from", "to"};
      for (int k = 0; k < 2; ++k) {
        if (names[k]->empty()) continue;
        ends[k] = domain_by_dns(*names[k]);
        if (!ends[k]) {
          if (!s_.domains.empty())
            r_.at_path(p(t.at, keys[k]), "the trust names domain " + quote(*names[k]) +
                                             ", which is not in \"domains\" (domains: " + short_list(domain_names()) +
                                             ")");
        } else {
          *names[k] = s_.domains[*ends[k]].dns;
        }
      }
      if (!ends[0] || !ends[1]) continue;
      const auto& from = s_.domains[*ends[0]];
      const auto& to = s_.domains[*ends[1]];
      if (*ends[0] == *ends[1]) {
        r_.at_path(p(t.at, "to"), "a trust joins two different domains; this one goes from " + from.dns + " to itself");
        continue;
      }
      if (iequals(from.forest, to.forest)) {
        r_.at_path(p(t.at, "to"), from.dns + " and " + to.dns +
                                      " are in one forest and already trust each other; "
                                      "a trust is for domains of other forests");
        continue;
      }
      if (t.kind == "forest") {
        for (const auto* d : {&from, &to})
          if (!iequals(d->forest, d->dns))
            r_.at_path(p(t.at, d == &from ? "from" : "to"), "a forest trust joins two forest roots, but " + d->dns +
                                                                " is in forest " + d->forest +
                                                                " (name the root, or use \"kind\": \"external\")");
      }
      const auto key = std::minmax(*ends[0], *ends[1]);
      if (const auto it = seen.find(key); it != seen.end())
        r_.at_path(t.at, "a second trust between " + from.dns + " and " + to.dns + first_at(it->second));
      else
        seen.emplace(key, t.at);
    }
  }

  // ---- DNS ----

  Target by_address(const std::string& ip) const {
    if (const auto it = host_by_ip_.find(ip); it != host_by_ip_.end()) return {TargetKind::host, it->second, ip};
    if (const auto it = lb_by_vip_.find(ip); it != lb_by_vip_.end()) return {TargetKind::load_balancer, it->second, ip};
    return {TargetKind::address, 0, ip};
  }

  // Where a name leads: DNS records first (following CNAMEs), then host FQDNs and short names. Every
  // name met on the way keeps its answer, so long chains are walked once.
  Target resolve_name(const std::string& start) const {
    std::vector<std::string> walked;
    std::set<std::string> seen;
    std::string key = lower(start);
    Target result;
    while (true) {
      if (const auto it = resolved_.find(key); it != resolved_.end()) {
        result = it->second;
        break;
      }
      if (!seen.insert(key).second) break;
      walked.push_back(key);
      if (const auto it = dns_by_name_.find(key); it != dns_by_name_.end()) {
        const auto& rec = s_.dns[it->second];
        if (!rec.cname.empty()) {
          key = lower(rec.cname);
          continue;
        }
        if (!rec.a.empty()) result = by_address(rec.a);
        break;
      }
      if (const auto it = host_by_fqdn_.find(key); it != host_by_fqdn_.end())
        result = {TargetKind::host, it->second, ""};
      else if (const auto h = host_by_name(key))
        result = {TargetKind::host, *h, ""};
      else if (check_ipv4(key).empty())
        result = by_address(key);
      break;
    }
    for (const auto& k : walked) resolved_.emplace(k, result);
    return result;
  }

  void dns() {
    for (std::size_t i = 0; i < s_.hosts.size(); ++i)
      if (!s_.hosts[i].name.empty()) host_by_fqdn_.emplace(lower(fqdn(s_.hosts[i])), i);
    for (std::size_t i = 0; i < s_.dns.size(); ++i) {
      const auto& rec = s_.dns[i];
      const std::string key = lower(rec.name);
      if (const auto it = dns_by_name_.find(key); it != dns_by_name_.end()) {
        r_.at_key(*r_.node(rec.at), "a second DNS record for " + quote(rec.name) + first_at(s_.dns[it->second].at));
        continue;
      }
      if (const auto it = host_by_fqdn_.find(key); it != host_by_fqdn_.end()) {
        const JsonNode* n = r_.node(rec.at);
        if (n)
          r_.at_key(*n, quote(rec.name) + " is already the automatic A record of host " + s_.hosts[it->second].name +
                            line_note(p(s_.hosts[it->second].at, "name")) + "; remove this record");
        continue;
      }
      dns_by_name_.emplace(key, i);
    }
    for (const auto& rec : s_.dns) {
      if (rec.cname.empty()) continue;
      const std::string target = lower(rec.cname);
      if (!dns_by_name_.count(target) && !host_by_fqdn_.count(target) && !host_by_name(rec.cname))
        r_.at_path(p(rec.at, "cname"), "the CNAME " + quote(rec.name) + " points to " + quote(rec.cname) +
                                           ", which has no DNS record and is no host's name");
    }
    // Each record is walked once: 1 = on the chain being followed, 2 = settled.
    std::vector<int> state(s_.dns.size(), 0);
    for (std::size_t i = 0; i < s_.dns.size(); ++i) {
      std::vector<std::size_t> chain;
      std::size_t at = i;
      bool loop = false;
      while (state[at] == 0 && !s_.dns[at].cname.empty()) {
        state[at] = 1;
        chain.push_back(at);
        const auto it = dns_by_name_.find(lower(s_.dns[at].cname));
        if (it == dns_by_name_.end()) break;
        at = it->second;
        loop = state[at] == 1;
      }
      if (loop) {
        const auto loop_start = std::find(chain.begin(), chain.end(), at);
        Strings names;
        for (auto k = loop_start; k != chain.end(); ++k) names.push_back(s_.dns[*k].name);
        names.push_back(s_.dns[at].name);
        r_.at_path(p(s_.dns[at].at, "cname"), "CNAME loop: " + loop_text(names));
      }
      for (const auto k : chain) state[k] = 2;
    }
  }

  // ---- identities ----

  // An app pool's identity: a built-in, written exactly, or a domain user account / gMSA.
  void pool_identity(const spec::Host& h, std::string& identity, const std::string& path, const std::string& lead) {
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
  void service_account(const spec::Host& h, std::string& account, const std::string& path, const std::string& lead) {
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
    user_ref(
        account, path, lead + " " + quote(account),
        "a service runs as NetworkService, LocalService, LocalSystem, NT SERVICE\\<name>, a user account or a gMSA");
  }

  // "HOST\name" naming a local account of host h: rewritten to "HOST\name" with the host upper-cased.
  bool local_account(const spec::Host& h, std::string& ref, const std::string& path, const std::string& lead) {
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

  // ---- IIS ----

  void iis() {
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
        if (written)
          pool_identity(h, pool.identity, p(pool.at, "identity"), "app pool " + quote(pool.name) + " runs as");
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

  void anonymous_user(const spec::Host& h, spec::Site& site) {
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

  // ---- SQL Server, SSRS, clients ----

  void sql_and_ssrs() {
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
                         "instances " + it->second + " and " + in.name + " on host " + h.name +
                             " both listen on port " + std::to_string(in.port));
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

  void clients() {
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

  // ---- load balancers ----

  void load_balancers() {
    std::map<std::string, std::string> names;
    std::map<std::string, std::string> vips;
    for (auto& lb : s_.load_balancers) {
      if (!lb.name.empty()) {
        if (const auto it = names.find(lower(lb.name)); it != names.end())
          r_.at_path(p(lb.at, "name"), "a second load balancer named " + quote(lb.name) + first_at(it->second));
        else
          names.emplace(lower(lb.name), p(lb.at, "name"));
      }
      if (!lb.vip.empty()) {
        const Target t = by_address(lb.vip);
        if (t.kind == TargetKind::host)
          r_.at_path(p(lb.at, "vip"), "the VIP " + lb.vip + " of load balancer " + lb.name +
                                          " is the address of host " + s_.hosts[t.index].name);
        else if (const auto it = vips.find(lb.vip); it != vips.end())
          r_.at_path(p(lb.at, "vip"), "the VIP " + lb.vip + " is already used by load balancer " + it->second);
        else
          vips.emplace(lb.vip, lb.name);
      }
      for (std::size_t i = 0; i < lb.members.size(); ++i) {
        const std::string path = p(p(lb.at, "members"), i);
        const auto h = host_ref(lb.members[i], path, "load balancer " + lb.name + " lists " + lb.members[i]);
        if (h && !s_.hosts[*h].iis && !s_.hosts[*h].ssrs)
          r_.at_path(path, "load balancer " + lb.name + " lists " + s_.hosts[*h].name + ", but " + s_.hosts[*h].name +
                               " has no IIS or SSRS");
      }
    }
  }

  // ---- calls and the call graph ----

  int node_for_web(std::size_t host) {
    const std::string key = "web:" + std::to_string(host);
    if (const auto it = node_ids_.find(key); it != node_ids_.end()) return it->second;
    const auto& h = s_.hosts[host];
    const std::string role = h.iis && h.ssrs ? "IIS/SSRS" : h.iis ? "IIS" : "SSRS";
    return add_node(key, h.name + " (" + role + ")");
  }

  int node_for_sql(std::size_t host, const std::string& instance) {
    const std::string key = "sql:" + std::to_string(host) + ":" + lower(instance);
    if (const auto it = node_ids_.find(key); it != node_ids_.end()) return it->second;
    return add_node(key, s_.hosts[host].name + "\\" + instance);
  }

  int add_node(const std::string& key, const std::string& label) {
    const int id = static_cast<int>(labels_.size());
    node_ids_.emplace(key, id);
    labels_.push_back(label);
    edges_.emplace_back();
    return id;
  }

  // Takes the target id first: creating a node may move edges_.
  void add_edge(int from, int to, const std::string& path) {
    edges_[static_cast<std::size_t>(from)].push_back({to, path});
  }

  void calls() {
    std::vector<CallSite> sites;
    for (std::size_t hi = 0; hi < s_.hosts.size(); ++hi) {
      auto& h = s_.hosts[hi];
      if (h.iis)
        for (auto& site : h.iis->sites)
          for (auto& c : site.calls) sites.push_back({&c, node_for_web(hi), false});
      if (h.ssrs)
        for (auto& c : h.ssrs->calls) sites.push_back({&c, node_for_web(hi), false});
      if (h.sql)
        for (auto& in : h.sql->instances)
          for (auto& c : in.calls) sites.push_back({&c, node_for_sql(hi, in.name), true});
    }
    for (auto& cs : sites) call(cs);
    cycles();
  }

  void call(CallSite& cs) {
    spec::Call& c = *cs.call;
    if (c.as != "caller" && c.as != "process" && c.as != "anonymous")
      user_ref(c.as, p(c.at, "as"), "the call is made as " + quote(c.as),
               "a call runs as caller, process, anonymous, or a user account or gMSA");
    const std::string to_path = p(c.at, "to");
    if (c.to.empty() || r_.flagged(to_path)) return;
    const bool url_bad = r_.has(p(c.at, "url")) && (c.url.empty() || r_.flagged(p(c.at, "url")));
    const bool instance_bad = r_.has(p(c.at, "instance")) && (c.instance.empty() || r_.flagged(p(c.at, "instance")));
    const Target t = resolve_name(c.to);
    if (t.kind == TargetKind::none) {
      r_.at_path(to_path,
                 "the call goes to " + quote(c.to) + ", but no host has that name and no DNS record leads to one");
      return;
    }
    if (t.kind == TargetKind::address) {
      r_.at_path(to_path, "the call goes to " + quote(c.to) + ", which resolves to " + t.address +
                              ": no host has that address and no load balancer that VIP");
      return;
    }
    if (const auto h = host_by_name(c.to)) c.to = s_.hosts[*h].name;
    if (url_bad || instance_bad) return;
    if (t.kind == TargetKind::load_balancer) {
      const auto& lb = s_.load_balancers[t.index];
      if (!c.instance.empty() || c.url.empty()) {
        r_.at_path(c.instance.empty() ? to_path : p(c.at, "instance"),
                   "the call goes to load balancer " + lb.name + ", which serves HTTP: name a \"url\"");
        return;
      }
      for (const auto& m : lb.members)
        if (const auto h = host_by_name(m); h && (s_.hosts[*h].iis || s_.hosts[*h].ssrs))
          add_edge(cs.from_node, node_for_web(*h), c.at);
      return;
    }
    const auto& target = s_.hosts[t.index];
    if (!c.url.empty()) {
      if (!target.iis && !target.ssrs) {
        r_.at_path(p(c.at, "url"), "the call requests " + quote(c.url) + " from " + target.name + ", but " +
                                       target.name + " has no IIS or SSRS");
        return;
      }
      add_edge(cs.from_node, node_for_web(t.index), c.at);
      return;
    }
    if (!target.sql) {
      if (c.instance.empty())
        r_.at_path(c.at, "the call to " + target.name +
                             " needs \"url\" (an HTTP call) or \"instance\" (a SQL Server call)" +
                             (cs.from_sql ? "" : ", and " + target.name + " has no SQL Server"));
      else
        r_.at_path(p(c.at, "instance"),
                   "the call names SQL instance " + quote(c.instance) + ", but " + target.name + " has no SQL Server");
      return;
    }
    const Names& instances = instances_[t.index];
    if (c.instance.empty()) {
      if (instances.find("MSSQLSERVER"))
        c.instance = "MSSQLSERVER";
      else if (instances.list.size() == 1)
        c.instance = instances.list.front();
      else {
        r_.at_path(c.at, "the call to " + target.name + " must name its \"instance\"" + it_has(instances.list));
        return;
      }
    } else if (const std::string* name = instances.find(c.instance)) {
      c.instance = *name;
    } else {
      r_.at_path(p(c.at, "instance"), "the call names SQL instance " + quote(c.instance) + ", but " + target.name +
                                          " has no instance of that name" + it_has(instances.list));
      return;
    }
    add_edge(cs.from_node, node_for_sql(t.index, c.instance), c.at);
  }

  // Calls that lead back to where they started would never finish; reported once per loop, at the
  // call that closes it.
  void cycles() {
    const std::size_t n = labels_.size();
    std::vector<int> color(n, 0);
    std::set<std::vector<int>> reported;
    for (std::size_t start = 0; start < n; ++start) {
      if (color[start] != 0) continue;
      std::vector<std::pair<int, std::size_t>> stack = {{static_cast<int>(start), 0}};
      color[start] = 1;
      while (!stack.empty()) {
        auto& [node, next] = stack.back();
        const auto& out = edges_[static_cast<std::size_t>(node)];
        if (next == out.size()) {
          color[static_cast<std::size_t>(node)] = 2;
          stack.pop_back();
          continue;
        }
        const Edge edge = out[next++];
        const auto target = static_cast<std::size_t>(edge.to);
        if (color[target] == 0) {
          color[target] = 1;
          stack.push_back({edge.to, 0});
        } else if (color[target] == 1 && reported.size() < 10) {
          std::vector<int> loop;
          bool in_loop = false;
          for (const auto& [id, unused] : stack) {
            if (id == edge.to) in_loop = true;
            if (in_loop) loop.push_back(id);
          }
          std::vector<int> key = loop;
          std::sort(key.begin(), key.end());
          if (!reported.insert(key).second) continue;
          Strings names;
          for (const int id : loop) names.push_back(labels_[static_cast<std::size_t>(id)]);
          names.push_back(labels_[target]);
          r_.at_path(p(edge.path, "to"),
                     "these calls go round in a loop, so a request would never finish: " + loop_text(names));
        }
      }
    }
  }

  // ---- flows, expectations, workload ----

  void flows_and_expectations() {
    std::map<std::string, std::string> names;
    for (auto& f : s_.flows) {
      if (!f.name.empty()) {
        if (const auto it = names.find(lower(f.name)); it != names.end())
          r_.at_path(p(f.at, "name"), "a second flow named " + quote(f.name) + first_at(it->second));
        else
          names.emplace(lower(f.name), p(f.at, "name"));
      }
      if (f.client.empty()) continue;
      const auto h = host_ref(f.client, p(f.at, "client"), "flow " + quote(f.name) + " runs on client " + f.client);
      if (h && !s_.hosts[*h].client)
        r_.at_path(p(f.at, "client"), "flow " + quote(f.name) + " runs on " + s_.hosts[*h].name + ", but " +
                                          s_.hosts[*h].name + " has no client role (\"client\": { ... })");
    }
    Names flows;
    for (const auto& f : s_.flows) flows.add(f.name);
    for (auto& e : s_.expect) {
      if (!e.flow.empty()) {
        if (const std::string* name = flows.find(e.flow)) {
          e.flow = *name;
        } else {
          std::string msg = "the expectation is about flow " + quote(e.flow) + ", but there is no flow of that name";
          if (const std::string close = suggest(e.flow, flows.list); !close.empty())
            msg += "; did you mean " + quote(close) + "?";
          else if (!flows.list.empty())
            msg += " (flows: " + short_list(flows.list) + ")";
          r_.at_path(p(e.at, "flow"), msg);
        }
      }
      if (!e.via.empty()) host_ref(e.via, p(e.at, "via"), "the expectation goes via " + e.via);
      if (e.simulation) {
        auto& sim = *e.simulation;
        if (!sim.node.empty())
          if (const auto h = host_ref(sim.node, p(sim.at, "node"), "the expectation is about node " + sim.node))
            sim.node = s_.hosts[*h].name;
        if (!sim.flow.empty()) flow_ref(flows, sim.flow, p(sim.at, "flow"), "the expectation is about flow ");
        const spec::Seconds duration = s_.workload ? s_.workload->duration : spec::Workload{}.duration;
        if (sim.from >= duration)
          r_.at_path(p(sim.at, "from"), "the window starts at or after the end of the simulation (the workload runs " +
                                            std::to_string(duration) + " s), so it would measure nothing");
      }
    }
    if (s_.workload)
      for (std::size_t i = 0; i < s_.workload->flows.size(); ++i)
        flow_ref(flows, s_.workload->flows[i], p(p(s_.workload->at, "flows"), i), "the workload runs flow ");
  }

  void flow_ref(const Names& flows, std::string& name, const std::string& path, const std::string& what) {
    if (const std::string* found = flows.find(name)) {
      name = *found;
      return;
    }
    std::string msg = what + quote(name) + ", but there is no flow of that name";
    if (const std::string close = suggest(name, flows.list); !close.empty())
      msg += "; did you mean " + quote(close) + "?";
    else if (!flows.list.empty())
      msg += " (flows: " + short_list(flows.list) + ")";
    r_.at_path(path, msg);
  }

  std::optional<std::size_t> event_host(spec::WorkloadEvent& ev) {
    Value* v = field(ev, "host");
    if (!v || !v->is_string()) return std::nullopt;
    std::string name = v->as_string();
    const auto h = host_ref(name, p(ev.at, "host"), "the event names host " + name);
    if (h) *v = Value(name);
    return h;
  }

  static Value* field(spec::WorkloadEvent& ev, const std::string& key) {
    if (!ev.fields.is_object()) return nullptr;
    for (auto& [k, v] : ev.fields.as_object())
      if (k == key) return &v;
    return nullptr;
  }

  void workload() {
    if (!s_.workload) return;
    for (auto& ev : s_.workload->events) {
      const auto h = event_host(ev);
      if (Value* v = field(ev, "account"); v && v->is_string()) {
        std::string problem;
        if (const Principal* pr = resolve(v->as_string(), problem))
          *v = Value(pr->canonical);
        else if (!s_.domains.empty())
          r_.at_path(p(ev.at, "account"), "the event names account " + quote(v->as_string()) + ", " + problem);
      }
      if (Value* v = field(ev, "allowed_to_act"); v && v->is_array()) {
        std::vector<std::string> refs;
        for (const auto& x : v->as_array()) refs.push_back(x.as_string());
        acting_accounts(refs, p(ev.at, "allowed_to_act"));
        Value array = Value::array();
        for (auto& x : refs) array.push(Value(std::move(x)));
        *v = std::move(array);
      }
      if (Value* v = field(ev, "dc"); v && v->is_string()) {
        std::string name = v->as_string();
        const auto dc = host_ref(name, p(ev.at, "dc"), "the event names DC " + name);
        if (dc && !dc_hosts_.count(*dc))
          r_.at_path(p(ev.at, "dc"),
                     "the event names DC " + name + ", but no domain lists " + name + " in its \"dcs\"");
        if (dc) *v = Value(name);
      }
      if (Value* v = field(ev, "clients"); v && v->is_array()) {
        for (std::size_t i = 0; i < v->as_array().size(); ++i) {
          std::string name = v->as_array()[i].as_string();
          const auto c = host_ref(name, p(p(ev.at, "clients"), i), "the event names client " + name);
          if (c && !s_.hosts[*c].client)
            r_.at_path(p(p(ev.at, "clients"), i),
                       "the event names client " + name + ", but " + name + " has no client role");
          if (c) v->as_array()[i] = Value(name);
        }
      }
      if (!h) continue;
      const auto& host = s_.hosts[*h];
      const bool wants_iis = field(ev, "app_pool") || field(ev, "site");
      if (wants_iis && !host.iis) {
        r_.at_path(p(ev.at, "host"), "the event changes IIS on " + host.name + ", but " + host.name + " has no IIS");
        continue;
      }
      if (Value* v = field(ev, "app_pool"); v && v->is_string()) {
        if (const std::string* name = pools_[*h].find(v->as_string()))
          *v = Value(*name);
        else
          r_.at_path(p(ev.at, "app_pool"), "the event names app pool " + quote(v->as_string()) + ", but host " +
                                               host.name + " has no app pool of that name" + it_has(pools_[*h].list));
      }
      if (Value* v = field(ev, "site"); v && v->is_string()) {
        if (const std::string* name = sites_[*h].find(v->as_string()))
          *v = Value(*name);
        else
          r_.at_path(p(ev.at, "site"), "the event names site " + quote(v->as_string()) + ", but host " + host.name +
                                           " has no site of that name" + it_has(sites_[*h].list));
      }
      if (Value* v = field(ev, "identity"); v && v->is_string()) {
        std::string identity = v->as_string();
        pool_identity(host, identity, p(ev.at, "identity"), "the event sets the app pool identity to");
        *v = Value(identity);
      }
    }
  }

  struct Edge {
    int to;
    std::string path;  // the call that makes this edge
  };

  spec::Scenario& s_;
  Reporter& r_;
  std::map<std::string, std::size_t> domain_by_dns_;
  std::map<std::string, std::size_t> domain_by_netbios_;
  std::map<std::string, std::size_t> host_by_name_;
  std::map<std::string, std::size_t> host_by_fqdn_;
  std::map<std::string, std::size_t> host_by_ip_;
  std::map<std::string, std::size_t> lb_by_vip_;
  Strings host_names_;
  std::vector<Names> pools_;
  std::vector<Names> sites_;
  std::vector<Names> instances_;
  mutable std::map<std::pair<std::size_t, bool>, Strings> account_names_;
  mutable std::unordered_map<std::string, Target> resolved_;
  std::map<std::string, std::size_t> dns_by_name_;
  std::map<std::string, Principal> principals_;
  std::set<std::size_t> dc_hosts_;
  std::map<std::string, int> node_ids_;
  Strings labels_;
  std::vector<std::vector<Edge>> edges_;
};

}  // namespace

void check_references(spec::Scenario& scenario, Reporter& reporter) { CrossCheck(scenario, reporter).run(); }

}  // namespace kerbsim::scenario
