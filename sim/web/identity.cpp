#include "web/identity.h"

#include "directory/names.h"

namespace kerbsim::web {

std::string ProcessIdentity::local_name(const std::string& pool_name) const {
  switch (type) {
    case IdentityType::ApplicationPoolIdentity:
      return "IIS APPPOOL\\" + pool_name;
    case IdentityType::NetworkService:
      return "NT AUTHORITY\\NETWORK SERVICE";
    case IdentityType::LocalService:
      return "NT AUTHORITY\\LOCAL SERVICE";
    case IdentityType::LocalSystem:
      return "NT AUTHORITY\\SYSTEM";
    case IdentityType::VirtualAccount:
    case IdentityType::DomainAccount:
    case IdentityType::LocalAccount:
      return account;
  }
  return account;
}

std::string ProcessIdentity::key_account(const std::string& computer_account) const {
  if (type == IdentityType::DomainAccount) return account;
  if (type == IdentityType::LocalAccount) return "";  // no key in any domain
  return computer_account;
}

std::string ProcessIdentity::describe() const {
  switch (type) {
    case IdentityType::ApplicationPoolIdentity:
      return "ApplicationPoolIdentity";
    case IdentityType::NetworkService:
      return "NetworkService";
    case IdentityType::LocalService:
      return "LocalService";
    case IdentityType::LocalSystem:
      return "LocalSystem";
    case IdentityType::VirtualAccount:
    case IdentityType::DomainAccount:
    case IdentityType::LocalAccount:
      return account;
  }
  return account;
}

ProcessIdentity parse_identity(const std::string& text) {
  using directory::iequals;
  using directory::istarts_with;
  if (iequals(text, "ApplicationPoolIdentity")) return {IdentityType::ApplicationPoolIdentity, ""};
  if (iequals(text, "NetworkService") || iequals(text, "NT AUTHORITY\\NETWORK SERVICE"))
    return {IdentityType::NetworkService, ""};
  if (iequals(text, "LocalService") || iequals(text, "NT AUTHORITY\\LOCAL SERVICE"))
    return {IdentityType::LocalService, ""};
  if (iequals(text, "LocalSystem") || iequals(text, "NT AUTHORITY\\SYSTEM")) return {IdentityType::LocalSystem, ""};
  if (istarts_with(text, "NT SERVICE\\")) return {IdentityType::VirtualAccount, text};
  return {IdentityType::DomainAccount, text};
}

}  // namespace kerbsim::web
