// URLs as clients use them: http(s)://host[:port]/path and mssql://host[/instance][:port].
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace kerbsim::net {

struct Url {
  std::string scheme;  // "http", "https", "mssql"
  std::string host;    // as typed
  int port = 0;        // explicit or the scheme's default
  bool explicit_port = false;
  std::string path;      // "/Reports"; "" when absent
  std::string instance;  // mssql only

  bool host_is_ip() const;
  bool host_is_dotless() const;
  bool default_port() const;  // 80 for http, 443 for https, 1433 for mssql
  std::string to_string() const;
};

std::optional<Url> parse_url(std::string_view text);
bool is_ipv4(std::string_view text);

}  // namespace kerbsim::net
