#include "scenario/syntax.h"

#include <algorithm>
#include <vector>

#include "engine/time.h"
#include "scenario/wording.h"

namespace kerbsim::scenario {

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

std::optional<spec::Seconds> parse_duration(std::string_view text, DurationRule rule, std::string& error) {
  const std::string q = quote(text);
  const std::string form =
      "; write a number followed by d, h, m or s, such as \"90s\", \"5m\", \"10h\", \"7d\" or \"2h30m\"";
  const engine::DurationParse parsed = engine::parse_duration(text);
  switch (parsed.error) {
    case engine::DurationError::none:
      break;
    case engine::DurationError::empty:
      error = "the duration is empty" + form;
      return std::nullopt;
    case engine::DurationError::no_unit:
      error = q + " has no unit" + form + " (or a plain JSON number of seconds)";
      return std::nullopt;
    case engine::DurationError::not_a_duration:
      error = q + " is not a duration" + form;
      return std::nullopt;
    case engine::DurationError::unit_order:
      error = q + ": write each unit once, from days down to seconds (such as \"2h30m\")";
      return std::nullopt;
    case engine::DurationError::too_long:
      error = q + " is too long; the longest duration is 36500d (100 years)";
      return std::nullopt;
  }
  if (parsed.negative && !rule.allow_negative) {
    error = q + " cannot be negative";
    return std::nullopt;
  }
  if (parsed.value == 0 && !rule.allow_zero) {
    error = q + " must be longer than 0 seconds";
    return std::nullopt;
  }
  return parsed.value / engine::kSecond;
}

}  // namespace kerbsim::scenario
