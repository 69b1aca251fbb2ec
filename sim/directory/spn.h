// A service principal name: serviceclass "/" host [":" port] ["/" servicename] (kerberos-rules R1.1).
// The host part is a plain string: the KDC never resolves it (R1.9).
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace kerbsim::directory {

struct Spn {
  std::string service_class;  // "HTTP", "MSSQLSvc", "HOST"
  std::string host;           // "web1.corp.contoso.com"
  std::string port;           // "" or "1433" or a SQL instance name
  std::string service_name;   // rarely used third component

  static std::optional<Spn> parse(std::string_view text);
  std::string to_string() const;
  // The same SPN with another service class (used by the HOST mapping, R1.3 step 3).
  Spn with_class(std::string service_class) const;
};

// Case-insensitive key under which an SPN is indexed (R1.8).
std::string spn_key(std::string_view spn);

}  // namespace kerbsim::directory
