#include "scenario/implied_defaults.h"

#include <algorithm>

#include "scenario/wording.h"

namespace kerbsim::scenario {

std::string default_netbios(std::string_view domain_dns) {
  return upper(domain_dns.substr(0, std::min<std::size_t>(domain_dns.find('.'), 15)));
}

std::string default_app_pool_identity(std::string_view iis_version) {
  return iis_version == "6.0" || iis_version == "7.0" ? "NetworkService" : "ApplicationPoolIdentity";
}

std::string default_anonymous_user(std::string_view host_name, std::string_view iis_version) {
  if (iis_version != "6.0") return "IUSR";
  return upper(host_name) + "\\IUSR_" + upper(host_name);
}

std::string default_sql_service_account(std::string_view instance) {
  return is_default_sql_instance(instance) ? "NT SERVICE\\MSSQLSERVER" : "NT SERVICE\\MSSQL$" + upper(instance);
}

bool is_default_sql_instance(std::string_view instance) { return iequals(instance, "MSSQLSERVER"); }

}  // namespace kerbsim::scenario
