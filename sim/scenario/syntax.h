// How the values of a scenario are written: names, SPNs, IPv4 addresses, URLs and durations. The grammars
// live beside their types in the model (directory/names.h, directory/spn.h, net/dns.h, net/url.h,
// engine/time.h) and return a reason; each check here turns that reason into the sentence reported:
// "" when the text is well formed.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "net/url.h"
#include "scenario/spec.h"

namespace kerbsim::scenario {

std::string check_spn(std::string_view spn);
std::string check_ipv4(std::string_view ip);
std::string check_dns_name(std::string_view name, std::string_view what);
std::string check_domain_dns(std::string_view name);
std::string check_netbios(std::string_view name);
std::string check_host_name(std::string_view name);
std::string check_sql_instance_name(std::string_view name);
std::string check_account_name(std::string_view name);

struct ParsedUrl {
  std::string error;  // "" when well formed
  std::string scheme;
  std::string host;
  int port = 0;      // the explicit or the scheme's default port
  std::string path;  // http: "/..." ; mssql: the instance name (MSSQLSERVER when none is written)
};
using net::UrlUse;
ParsedUrl check_url(std::string_view url, UrlUse use);

struct DurationRule {
  bool allow_negative = false;
  bool allow_zero = true;
};
// "90s", "5m", "10h", "7d", "2h30m", "-30s" (when negative is allowed). On failure returns nullopt and
// sets error to a sentence about the text.
std::optional<spec::Seconds> parse_duration(std::string_view text, DurationRule rule, std::string& error);

}  // namespace kerbsim::scenario
