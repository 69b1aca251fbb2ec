#include "directory/spn.h"

#include <algorithm>
#include <cctype>

namespace kerbsim::directory {
namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_letter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool all_digits(std::string_view s) { return !s.empty() && std::all_of(s.begin(), s.end(), is_digit); }

SpnParse failed(SpnError reason, std::string_view part = {}, char c = 0) {
  SpnParse p;
  p.error.reason = reason;
  p.error.part = std::string(part);
  p.error.character = c;
  return p;
}

}  // namespace

PortError check_port(std::string_view port) {
  if (port.empty()) return PortError::empty;
  if (!all_digits(port)) return PortError::not_a_number;
  if (port.size() > 5) return PortError::out_of_range;
  const int value = std::stoi(std::string(port));
  if (value < 1 || value > 65535) return PortError::out_of_range;
  return PortError::none;
}

SpnParse parse_spn(std::string_view text) {
  if (text.empty()) return failed(SpnError::empty);
  if (text.size() > kSpnLimit) return failed(SpnError::too_long);
  for (const char c : text)
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') return failed(SpnError::whitespace, {}, c);
  if (text.find("://") != std::string_view::npos) return failed(SpnError::url);
  const auto slash = text.find('/');
  if (slash == std::string_view::npos) return failed(SpnError::no_slash);
  const std::string_view service_class = text.substr(0, slash);
  if (service_class.empty()) return failed(SpnError::no_service_class);
  for (const char c : service_class)
    if (!is_letter(c) && !is_digit(c) && c != '-' && c != '_')
      return failed(SpnError::service_class_character, service_class, c);
  std::string_view rest = text.substr(slash + 1);
  const auto second = rest.find('/');
  const std::string_view host_port = rest.substr(0, second);
  if (second != std::string_view::npos && second + 1 == rest.size()) return failed(SpnError::trailing_slash);
  const auto colon = host_port.find(':');
  const std::string_view host = host_port.substr(0, colon);
  if (host.empty()) return failed(SpnError::no_host, service_class);
  for (const char c : host)
    if (!is_letter(c) && !is_digit(c) && c != '-' && c != '.' && c != '_')
      return failed(SpnError::host_character, host, c);
  SpnParse result;
  if (colon != std::string_view::npos) {
    const std::string_view port = host_port.substr(colon + 1);
    // A MSSQLSvc SPN names a named instance by its instance name instead of a port.
    if (iequals(service_class, "MSSQLSvc") && !port.empty() && !all_digits(port)) {
      if (const NameSyntax instance = check_sql_instance_name(port); !instance.ok()) {
        SpnParse bad = failed(SpnError::instance_name, port);
        bad.error.instance = instance;
        return bad;
      }
    } else if (const PortError problem = check_port(port); problem != PortError::none) {
      SpnParse bad = failed(SpnError::port, port);
      bad.error.port_error = problem;
      return bad;
    }
    result.spn.port = std::string(port);
  }
  result.spn.service_class = std::string(service_class);
  result.spn.host = std::string(host);
  if (second != std::string_view::npos) result.spn.service_name = std::string(rest.substr(second + 1));
  return result;
}

std::optional<Spn> Spn::parse(std::string_view text) {
  SpnParse parsed = parse_spn(text);
  if (!parsed.ok()) return std::nullopt;
  return std::move(parsed.spn);
}

std::string Spn::to_string() const {
  std::string s;
  append_to(s);
  return s;
}

void Spn::append_to(std::string& out) const {
  out.reserve(out.size() + service_class.size() + 1 + host.size() + (port.empty() ? 0 : 1 + port.size()) +
              (service_name.empty() ? 0 : 1 + service_name.size()));
  out += service_class;
  out += '/';
  out += host;
  if (!port.empty()) {
    out += ':';
    out += port;
  }
  if (!service_name.empty()) {
    out += '/';
    out += service_name;
  }
}

Spn Spn::with_class(std::string cls) const {
  Spn copy = *this;
  copy.service_class = std::move(cls);
  return copy;
}

std::string Spn::key() const {
  std::string k;
  append_to(k);
  std::transform(k.begin(), k.end(), k.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return k;
}

bool Spn::matches(std::string_view text) const {
  // Consumes the text part by part, each compared case-insensitively.
  const auto take = [&](std::string_view part) {
    if (!istarts_with(text, part)) return false;
    text.remove_prefix(part.size());
    return true;
  };
  if (!take(service_class) || !take("/") || !take(host)) return false;
  if (!port.empty() && (!take(":") || !take(port))) return false;
  if (!service_name.empty() && (!take("/") || !take(service_name))) return false;
  return text.empty();
}

std::string spn_key(std::string_view spn) { return to_lower(spn); }

}  // namespace kerbsim::directory
