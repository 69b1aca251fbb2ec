#include "net/url.h"

#include <algorithm>
#include <vector>

#include "directory/names.h"

namespace kerbsim::net {
namespace {

int default_port_for(const std::string& scheme) {
  if (scheme == "http") return 80;
  if (scheme == "https") return 443;
  if (scheme == "mssql") return 1433;
  return 0;
}

UrlParse failed(UrlError reason, std::string_view part = {}) {
  UrlParse p;
  p.error.reason = reason;
  p.error.part = std::string(part);
  return p;
}

// The host of a URL: an IPv4 address when written as numbers and dots, else a DNS name.
UrlSyntaxError check_host(std::string_view host, bool allow_star) {
  UrlSyntaxError e;
  if (host.empty()) {
    e.reason = UrlError::no_host;
    return e;
  }
  if (allow_star && host == "*") return e;
  if (host.front() == '[') {
    e.reason = UrlError::ipv6;
    return e;
  }
  e.part = std::string(host);
  if (std::all_of(host.begin(), host.end(), [](char c) { return (c >= '0' && c <= '9') || c == '.'; })) {
    e.ipv4 = parse_ipv4(host);
    if (!e.ipv4.ok()) e.reason = UrlError::ipv4;
    return e;
  }
  e.host_name = check_dns_name(host);
  if (!e.host_name.ok()) e.reason = UrlError::host_name;
  return e;
}

UrlParse bad_port(std::string_view port, directory::PortError problem) {
  UrlParse p = failed(UrlError::port, port);
  p.error.port = problem;
  return p;
}

// mssql://host[/instance][:port], the instance and the port in either order, each at most once.
UrlParse parse_mssql(std::string_view rest, UrlParse result) {
  Url& url = result.url;
  const auto host_end = rest.find_first_of("/:");
  url.host = std::string(rest.substr(0, host_end));
  if (UrlSyntaxError e = check_host(url.host, false); e.reason != UrlError::none) {
    result.error = std::move(e);
    return result;
  }
  url.port = 1433;
  std::string_view tail = host_end == std::string_view::npos ? std::string_view() : rest.substr(host_end);
  bool have_instance = false;
  while (!tail.empty()) {
    const char c = tail[0];
    const auto next = tail.find_first_of("/:", 1);
    const std::string_view part = tail.substr(1, next == std::string_view::npos ? std::string_view::npos : next - 1);
    if (c == ':' && !url.explicit_port) {
      if (const auto problem = directory::check_port(part); problem != directory::PortError::none)
        return bad_port(part, problem);
      url.port = std::stoi(std::string(part));
      url.explicit_port = true;
    } else if (c == '/' && !have_instance) {
      if (const auto instance = directory::check_sql_instance_name(part); !instance.ok()) {
        UrlParse p = failed(UrlError::instance_name, part);
        p.error.instance = instance;
        return p;
      }
      url.instance = std::string(part);
      have_instance = true;
    } else {
      return failed(UrlError::mssql_parts);
    }
    tail = next == std::string_view::npos ? std::string_view() : tail.substr(next);
  }
  if (!have_instance) url.instance = "MSSQLSERVER";
  return result;
}

}  // namespace

Ipv4Syntax parse_ipv4(std::string_view text) {
  std::vector<std::string_view> numbers;
  std::size_t start = 0;
  while (true) {
    const auto dot = text.find('.', start);
    numbers.push_back(text.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start));
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  Ipv4Syntax syntax;
  const auto problem = [&syntax](Ipv4Error error, std::string_view number) {
    if (syntax.error != Ipv4Error::none) return;
    syntax.error = error;
    syntax.number = std::string(number);
  };
  if (numbers.size() != 4) {
    problem(Ipv4Error::not_an_address, "");
    return syntax;
  }
  for (const auto number : numbers) {
    if (number.empty() || number.size() > 3 ||
        !std::all_of(number.begin(), number.end(), [](char c) { return c >= '0' && c <= '9'; })) {
      problem(Ipv4Error::not_an_address, "");
      return syntax;
    }
    if (number.size() > 1 && number[0] == '0') problem(Ipv4Error::leading_zero, number);
    if (std::stoi(std::string(number)) > 255) {
      problem(Ipv4Error::over_255, number);
      return syntax;
    }
  }
  syntax.address = true;
  return syntax;
}

bool is_ipv4(std::string_view text) { return parse_ipv4(text).address; }

bool Url::host_is_ip() const { return is_ipv4(host); }
bool Url::host_is_dotless() const { return host.find('.') == std::string::npos; }
bool Url::default_port() const { return port == default_port_for(scheme); }

std::string Url::to_string() const {
  std::string s = scheme + "://" + host;
  if (explicit_port) s += ":" + std::to_string(port);
  if (scheme == "mssql" && !instance.empty()) s += "/" + instance;
  s += path;
  return s;
}

UrlParse parse_url(std::string_view text, UrlUse use) {
  for (const char c : text)
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      UrlParse p = failed(UrlError::whitespace);
      p.error.character = c;
      return p;
    }
  const auto sep = text.find("://");
  if (sep == std::string_view::npos) return failed(UrlError::not_a_url);
  UrlParse result;
  Url& url = result.url;
  url.scheme = directory::to_lower(text.substr(0, sep));
  const bool mssql = url.scheme == "mssql";
  if (url.scheme != "http" && url.scheme != "https" && !(mssql && use == UrlUse::flow))
    return failed(UrlError::scheme, text.substr(0, sep));
  const std::string_view rest = text.substr(sep + 3);
  if (rest.find('@') != std::string_view::npos) return failed(UrlError::user_info);
  if (mssql) return parse_mssql(rest, std::move(result));
  const auto authority_end = rest.find_first_of("/?#");
  const std::string_view authority = rest.substr(0, authority_end);
  const std::string_view path =
      authority_end == std::string_view::npos ? std::string_view() : rest.substr(authority_end);
  const auto colon = authority.find(':');
  url.host = std::string(authority.substr(0, colon));
  if (UrlSyntaxError e = check_host(url.host, use == UrlUse::binding); e.reason != UrlError::none) {
    result.error = std::move(e);
    return result;
  }
  url.port = default_port_for(url.scheme);
  if (colon != std::string_view::npos) {
    const std::string_view port = authority.substr(colon + 1);
    if (const auto problem = directory::check_port(port); problem != directory::PortError::none)
      return bad_port(port, problem);
    url.port = std::stoi(std::string(port));
    url.explicit_port = true;
  }
  if (use == UrlUse::binding && !path.empty()) return failed(UrlError::binding_path);
  url.path = std::string(path);
  return result;
}

std::optional<Url> parse_url(std::string_view text) {
  UrlParse parsed = parse_url(text, UrlUse::flow);
  if (!parsed.ok() && parsed.error.reason == UrlError::instance_name && parsed.error.part.empty() && !text.empty() &&
      text.back() == '/')
    parsed = parse_url(text.substr(0, text.size() - 1), UrlUse::flow);
  if (!parsed.ok()) return std::nullopt;
  return std::move(parsed.url);
}

}  // namespace kerbsim::net
