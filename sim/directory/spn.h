// A service principal name: serviceclass "/" host [":" port] ["/" servicename] (kerberos-rules R1.1).
// The host part is a plain string: the KDC never resolves it (R1.9). parse_spn is the one grammar for
// SPNs; it says why a text is not one. Clients build an Spn, the KDC looks one up; its text is made
// only to print it or to store it as the directory's servicePrincipalName value.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "directory/names.h"

namespace kerbsim::directory {

struct Spn {
  std::string service_class;   // "HTTP", "MSSQLSvc", "HOST"
  std::string host;            // "web1.corp.contoso.com"
  std::string port{};          // "" or "1433" or a SQL instance name
  std::string service_name{};  // rarely used third component

  // The SPN when the text is one (parse_spn succeeds), else nullopt.
  static std::optional<Spn> parse(std::string_view text);
  std::string to_string() const;
  // Appends the text to out, without the temporary that to_string makes.
  void append_to(std::string& out) const;
  // The same SPN with another service class (used by the HOST mapping, R1.3 step 3).
  Spn with_class(std::string service_class) const;
  // The lower-case text under which the directory indexes it: SPNs match case-insensitively (R1.8).
  // Equal to spn_key(to_string()).
  std::string key() const;
  // Does the text name this SPN, case-insensitively (R1.8)? As iequals(to_string(), text), without
  // building the text.
  bool matches(std::string_view text) const;
};

// Why the text after ":" in an SPN or a URL is not a port number from 1 to 65535.
enum class PortError { none, empty, not_a_number, out_of_range };
PortError check_port(std::string_view port);

constexpr std::size_t kSpnLimit = 260;

// Why a text is not an SPN: the first problem met, left to right.
enum class SpnError {
  none,
  empty,
  too_long,                 // more than kSpnLimit characters
  whitespace,               // `character` is a space, tab or line break
  url,                      // contains "://": a URL written where the host belongs
  no_slash,                 // no "/" at all
  no_service_class,         // nothing before the first "/"
  service_class_character,  // `part` (the service class) contains `character`
  trailing_slash,           // ends with the "/" that would start the service name
  no_host,                  // nothing between "serviceclass/" and ":" or "/"; `part` is the service class
  host_character,           // `part` (the host) contains `character`
  instance_name,            // a MSSQLSvc SPN whose instance name `part` is wrong, as `instance` says
  port,                     // the port `part` is wrong, as `port_error` says
};

struct SpnSyntaxError {
  SpnError reason = SpnError::none;
  std::string part;
  char character = 0;
  NameSyntax instance;                     // instance_name
  PortError port_error = PortError::none;  // port
};

struct SpnParse {
  SpnSyntaxError error;
  Spn spn;  // when error.reason is none
  bool ok() const { return error.reason == SpnError::none; }
};

// serviceclass: letters, digits, "-" and "_"; host: letters, digits, "-", "." and "_"; port: a number
// from 1 to 65535, or for MSSQLSvc a SQL instance name (R1.1).
SpnParse parse_spn(std::string_view text);

// Case-insensitive key under which an SPN is indexed (R1.8).
std::string spn_key(std::string_view spn);

}  // namespace kerbsim::directory
