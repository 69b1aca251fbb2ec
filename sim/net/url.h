// URLs as clients use them: http(s)://host[:port]/path and mssql://host[/instance][:port]. parse_url is
// the one grammar for URLs (and IPv4 addresses, parse_ipv4); it says why a text is not one.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "directory/names.h"
#include "directory/spn.h"
#include "net/dns.h"

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

// How an IPv4 address is written: four decimal numbers from 0 to 255 with dots. A number with a leading
// zero ("010") is refused as a scenario value, since Windows reads it as octal, but it still makes the
// text an address rather than a name (`address`). The first problem met, number by number, is returned.
enum class Ipv4Error {
  none,
  not_an_address,  // not four numbers of one to three digits
  leading_zero,    // `number` has a leading zero
  over_255,        // `number` is more than 255
};

struct Ipv4Syntax {
  Ipv4Error error = Ipv4Error::none;
  std::string number;    // the number the problem is in (leading_zero, over_255)
  bool address = false;  // four numbers from 0 to 255, leading zeros allowed
  bool ok() const { return error == Ipv4Error::none; }
};

Ipv4Syntax parse_ipv4(std::string_view text);
// Whether the text is an IPv4 address rather than a name (parse_ipv4(text).address).
bool is_ipv4(std::string_view text);

// Where a URL is written decides what it may hold: a flow may reach SQL Server (mssql), a server's call
// is HTTP, and an IIS binding is scheme://host:port with "*" for any host name and no path.
enum class UrlUse { flow, call, binding };

// Why a text is not a URL: the first problem met, left to right.
enum class UrlError {
  none,
  whitespace,     // `character` is a space, tab or line break
  not_a_url,      // no "://"
  scheme,         // `part` (the scheme as written) is not one this use takes
  user_info,      // contains "@"
  no_host,        // nothing where the host belongs
  ipv6,           // a bracketed IPv6 host; only IPv4 is modelled
  ipv4,           // the host `part` is written as numbers but is not an address, as `ipv4` says
  host_name,      // the host `part` is not a DNS name, as `host_name` says
  port,           // the port `part` is wrong, as `port` says
  instance_name,  // the SQL instance `part` is wrong, as `instance` says
  mssql_parts,    // more than a host, an instance and a port
  binding_path,   // a binding with a path
};

struct UrlSyntaxError {
  UrlError reason = UrlError::none;
  std::string part;
  char character = 0;
  Ipv4Syntax ipv4;
  DnsNameSyntax host_name;
  directory::PortError port = directory::PortError::none;
  directory::NameSyntax instance;
};

struct UrlParse {
  UrlSyntaxError error;
  Url url;  // when error.reason is none
  bool ok() const { return error.reason == UrlError::none; }
};

UrlParse parse_url(std::string_view text, UrlUse use);
// A flow's URL, when the text is one. A trailing "/" after an mssql host names the default instance, as
// SQL clients read it.
std::optional<Url> parse_url(std::string_view text);

}  // namespace kerbsim::net
