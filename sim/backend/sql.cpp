#include "backend/sql.h"

#include "directory/names.h"

namespace kerbsim::backend {

std::vector<directory::Spn> SqlInstance::own_spns(const std::string& fqdn) const {
  return {tcp_spn(fqdn), {.service_class = "MSSQLSvc", .host = fqdn, .port = default_instance() ? "" : name}};
}

std::string SqlInstance::self_registration_account(const std::string& computer_account) const {
  // LocalService is a null session on the network and cannot write to the directory (iis-rules 2.1).
  if (service_account.type == web::IdentityType::LocalService) return "";
  if (service_account.type == web::IdentityType::LocalAccount) return "";
  if (service_account.type != web::IdentityType::DomainAccount) return computer_account;
  if (!service_account.account.empty() && service_account.account.back() == '$') return service_account.account;
  return "";
}

base::KeyDecision SqlInstance::decryption_key(const base::HostInfo& host) const {
  base::KeyDecision d;
  d.account = service_account.key_account(host.computer_account);
  d.why = "SQL Server accepts Kerberos with the key of its service account " + service_account.describe() +
          (service_account.built_in() ? ", which is the computer account's key on the network" : "");
  d.rule = "iis-rules 6.1";
  return d;
}

const SqlInstance* SqlServer::instance(const std::string& name) const {
  for (const auto& i : instances)
    if (directory::iequals(i.name, name)) return &i;
  return nullptr;
}

}  // namespace kerbsim::backend
