// The defaults a scenario file implies from its other parts, written once: the loader fills them in
// and the writer leaves out exactly what the loader would fill in.
#pragma once

#include <string>
#include <string_view>

namespace kerbsim::scenario {

// A domain without "netbios": its first DNS label in capitals, cut to 15 characters.
std::string default_netbios(std::string_view domain_dns);
// An app pool without "identity": NetworkService on IIS 6.0 and 7.0, ApplicationPoolIdentity from 7.5.
std::string default_app_pool_identity(std::string_view iis_version);
// A site's anonymous user without "user": IUSR, or HOST\IUSR_HOST on IIS 6.0.
std::string default_anonymous_user(std::string_view host_name, std::string_view iis_version);
// A SQL instance without "service_account": its virtual account, NT SERVICE\MSSQLSERVER or NT SERVICE\MSSQL$NAME.
std::string default_sql_service_account(std::string_view instance);
// Whether a SQL instance is the default instance MSSQLSERVER (a named instance without "port" or
// "dynamic_port" listens on a dynamic port).
bool is_default_sql_instance(std::string_view instance);

}  // namespace kerbsim::scenario
