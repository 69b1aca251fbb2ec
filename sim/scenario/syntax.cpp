#include "scenario/syntax.h"

#include "directory/names.h"
#include "directory/spn.h"
#include "engine/time.h"
#include "net/dns.h"
#include "net/url.h"
#include "scenario/wording.h"

namespace kerbsim::scenario {

namespace {

std::string space_name(char c) { return c == ' ' ? "a space" : "a tab or line break"; }

std::string char_name(char c) {
  if (static_cast<unsigned char>(c) < 0x20) return "a control character";
  return quote(std::string(1, c));
}

// The port text of an SPN or URL and why it is not a number from 1 to 65535.
std::string port_problem(std::string_view port, directory::PortError problem) {
  switch (problem) {
    case directory::PortError::none:
      return "";
    case directory::PortError::empty:
      return "the port after \":\" is empty";
    case directory::PortError::not_a_number:
      return "the port " + quote(port) + " is not a number";
    case directory::PortError::out_of_range:
      return "the port " + std::string(port) + " is not between 1 and 65535";
  }
  return "";
}

// Why a SQL instance name is wrong, as a sentence.
std::string instance_problem(std::string_view name, const directory::NameSyntax& parsed) {
  const std::string q = quote(name);
  switch (parsed.error) {
    case directory::NameError::none:
      return "";
    case directory::NameError::empty:
      return "the SQL instance name is empty";
    case directory::NameError::too_long:
      return "the SQL instance name " + q + " is longer than 16 characters";
    case directory::NameError::bad_start:
      return "the SQL instance name " + q + " must start with a letter or \"_\"";
    case directory::NameError::reserved:
      return "\"DEFAULT\" is reserved; the default instance is named MSSQLSERVER";
    default:
      return "the SQL instance name " + q + " contains " + char_name(parsed.character) +
             "; use letters, digits, \"_\" and \"$\"";
  }
}

}  // namespace

std::string check_spn(std::string_view spn) {
  const directory::SpnParse parsed = directory::parse_spn(spn);
  if (parsed.ok()) return "";
  const directory::SpnSyntaxError& e = parsed.error;
  const std::string q = quote(spn);
  const std::string form = "an SPN is serviceclass/host[:port][/servicename], such as HTTP/web1.corp.contoso.com";
  switch (e.reason) {
    case directory::SpnError::none:
      return "";
    case directory::SpnError::empty:
      return "the SPN is empty; " + form;
    case directory::SpnError::too_long:
      return "the SPN " + q + " is " + std::to_string(spn.size()) + " characters long; the limit is 260";
    case directory::SpnError::whitespace:
      return "the SPN " + q + " contains " + space_name(e.character);
    case directory::SpnError::url:
      return "the SPN " + q + " contains a URL; write the host alone, such as HTTP/web1.corp.contoso.com";
    case directory::SpnError::no_slash:
      return "the SPN " + q + " has no \"/\"; " + form;
    case directory::SpnError::no_service_class:
      return "the SPN " + q + " has no service class before the \"/\"; " + form;
    case directory::SpnError::service_class_character:
      return "the service class " + quote(e.part) + " of SPN " + q + " contains " + char_name(e.character);
    case directory::SpnError::trailing_slash:
      return "the SPN " + q + " ends with \"/\"; drop it or add the service name after it";
    case directory::SpnError::no_host:
      return "the SPN " + q + " has no host after " + quote(e.part + "/") + "; " + form;
    case directory::SpnError::host_character:
      return "the host " + quote(e.part) + " of SPN " + q + " contains " + char_name(e.character);
    case directory::SpnError::instance_name:
      return "in SPN " + q + ": " + instance_problem(e.part, e.instance);
    case directory::SpnError::port:
      if (e.port_error == directory::PortError::not_a_number)
        return "in SPN " + q + ", " + port_problem(e.part, e.port_error) +
               " (only MSSQLSvc SPNs carry an instance name after \":\")";
      return "in SPN " + q + ", " + port_problem(e.part, e.port_error);
  }
  return "";
}

std::string check_ipv4(std::string_view ip) {
  const net::Ipv4Syntax parsed = net::parse_ipv4(ip);
  const std::string q = quote(ip);
  const std::string form = " is not an IPv4 address (four numbers from 0 to 255 with dots, such as 10.0.0.11)";
  switch (parsed.error) {
    case net::Ipv4Error::none:
      return "";
    case net::Ipv4Error::not_an_address:
      return q + form;
    case net::Ipv4Error::leading_zero:
      return q + " has a leading zero in " + parsed.number + "; write each number without one";
    case net::Ipv4Error::over_255:
      return q + form + ": " + parsed.number + " is more than 255";
  }
  return "";
}

std::string check_dns_name(std::string_view name, std::string_view what) {
  const net::DnsNameSyntax parsed = net::check_dns_name(name);
  const std::string q = quote(name);
  const std::string w(what);
  switch (parsed.error) {
    case net::DnsNameError::none:
      return "";
    case net::DnsNameError::empty:
      return "the " + w + " is empty";
    case net::DnsNameError::too_long:
      return "the " + w + " " + q + " is longer than 253 characters";
    case net::DnsNameError::url:
      return "the " + w + " " + q + " is a URL; write the name alone";
    case net::DnsNameError::empty_label:
      return "the " + w + " " + q + " has an empty label (two dots, or a dot at an end)";
    case net::DnsNameError::long_label:
      return "the " + w + " " + q + " has a label longer than 63 characters";
    case net::DnsNameError::bad_character:
      return "the " + w + " " + q + " contains " + char_name(parsed.character) + ", which DNS names cannot contain";
    case net::DnsNameError::hyphen_at_end:
      return "the " + w + " " + q + " has a label that starts or ends with \"-\"";
    case net::DnsNameError::numeric:
      return "the " + w + " " + q + " looks like an IP address, not a name";
  }
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
  const directory::NameSyntax parsed = directory::check_netbios_name(name);
  switch (parsed.error) {
    case directory::NameError::none:
      return "";
    case directory::NameError::empty:
      return "the NetBIOS name is empty";
    case directory::NameError::too_long:
      return "the NetBIOS name " + quote(name) + " has " + std::to_string(name.size()) + " characters; the limit is 15";
    default:
      return "the NetBIOS name " + quote(name) + " contains " + char_name(parsed.character) +
             "; use letters, digits and \"-\"";
  }
}

std::string check_host_name(std::string_view name) {
  const directory::NameSyntax parsed = directory::check_computer_name(name);
  const std::string q = quote(name);
  switch (parsed.error) {
    case directory::NameError::none:
      return "";
    case directory::NameError::empty:
      return "the host name is empty";
    case directory::NameError::has_dot:
      return "the host name " + q + " contains a dot; write the short name (the FQDN is name.domain)";
    case directory::NameError::hyphen_at_end:
      return "the host name " + q + " starts or ends with \"-\"";
    case directory::NameError::all_digits:
      return "the host name " + q + " is all digits";
    case directory::NameError::too_long:
      return "the host name " + q + " has " + std::to_string(name.size()) +
             " characters; a Windows computer name has at most 15 (the NetBIOS name limit)";
    default:
      return "the host name " + q + " contains " + char_name(parsed.character) + "; use letters, digits and \"-\"";
  }
}

std::string check_sql_instance_name(std::string_view name) {
  return instance_problem(name, directory::check_sql_instance_name(name));
}

std::string check_account_name(std::string_view name) {
  const directory::NameSyntax parsed = directory::check_account_name(name);
  const std::string q = quote(name);
  switch (parsed.error) {
    case directory::NameError::none:
      return "";
    case directory::NameError::empty:
      return "the account name is empty";
    case directory::NameError::too_long:
      return "the account name " + q + " has " + std::to_string(name.size()) +
             " characters; a logon name (sAMAccountName) has at most 20";
    default:
      return "the account name " + q + " contains " + char_name(parsed.character) +
             ", which logon names cannot contain";
  }
}

ParsedUrl check_url(std::string_view url, UrlUse use) {
  const net::UrlParse parsed = net::parse_url(url, use);
  ParsedUrl u;
  u.scheme = parsed.url.scheme;
  u.host = parsed.url.host;
  u.port = parsed.url.port;
  u.path = parsed.url.scheme == "mssql" ? parsed.url.instance : parsed.url.path;
  const net::UrlSyntaxError& e = parsed.error;
  const std::string q = quote(url);
  const std::string example = use == UrlUse::binding ? "such as http://*:80 or https://reports.corp.contoso.com:443"
                              : use == UrlUse::flow  ? "such as http://web1/app or mssql://sql1/MSSQLSERVER"
                                                     : "such as http://reports/ReportServer";
  switch (e.reason) {
    case net::UrlError::none:
      break;
    case net::UrlError::whitespace:
      u.error = "the URL " + q + " contains " + space_name(e.character);
      break;
    case net::UrlError::not_a_url:
      u.error = q + " is not a URL; write scheme://host..., " + example;
      break;
    case net::UrlError::scheme:
      u.error = "the URL " + q + " has scheme " + quote(e.part) + "; use " +
                (use == UrlUse::flow ? "http, https or mssql" : "http or https");
      break;
    case net::UrlError::user_info:
      u.error = "the URL " + q + " contains \"@\"; a user name does not belong in the URL";
      break;
    case net::UrlError::no_host:
      u.error = "the URL " + q + " has no host";
      break;
    case net::UrlError::ipv6:
      u.error = "the URL " + q + " has an IPv6 address; kerbsim models IPv4 only";
      break;
    case net::UrlError::ipv4:
      u.error = "in URL " + q + ": " + check_ipv4(e.part);
      break;
    case net::UrlError::host_name:
      u.error = "in URL " + q + ": " + check_dns_name(e.part, "host name");
      break;
    case net::UrlError::port:
      u.error = "in URL " + q + ", " + port_problem(e.part, e.port);
      break;
    case net::UrlError::instance_name:
      u.error = "in URL " + q + ": " + instance_problem(e.part, e.instance);
      break;
    case net::UrlError::mssql_parts:
      u.error = "the URL " + q + " has more than a host, an instance and a port; write mssql://host[/instance][:port]";
      break;
    case net::UrlError::binding_path:
      u.error = "the binding " + q + " has a path; a binding is scheme://host:port, " + example;
      break;
  }
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
