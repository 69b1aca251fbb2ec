#include "backend/ssrs.h"

#include <algorithm>
#include <string_view>

#include "directory/names.h"

namespace kerbsim::backend {

std::string auth_type_name(SsrsAuthType t) {
  switch (t) {
    case SsrsAuthType::RSWindowsNegotiate:
      return "RSWindowsNegotiate";
    case SsrsAuthType::RSWindowsNTLM:
      return "RSWindowsNTLM";
    case SsrsAuthType::RSWindowsKerberos:
      return "RSWindowsKerberos";
    case SsrsAuthType::RSWindowsBasic:
      return "RSWindowsBasic";
    case SsrsAuthType::Custom:
      return "Custom";
  }
  return "";
}

std::vector<SsrsAuthType> SsrsServer::default_authentication_types(const web::ProcessIdentity& account) {
  // Setup writes RSWindowsNegotiate for NetworkService/LocalSystem, otherwise RSWindowsNTLM; a virtual
  // account is treated like NetworkService, as it acts as the computer on the network (UNCONFIRMED, 7.3).
  switch (account.type) {
    case web::IdentityType::NetworkService:
    case web::IdentityType::LocalSystem:
    case web::IdentityType::VirtualAccount:
    case web::IdentityType::ApplicationPoolIdentity:
      return {SsrsAuthType::RSWindowsNegotiate, SsrsAuthType::RSWindowsNTLM};
    case web::IdentityType::LocalService:
    case web::IdentityType::DomainAccount:
    case web::IdentityType::LocalAccount:
      break;
  }
  return {SsrsAuthType::RSWindowsNTLM};
}

bool SsrsServer::serves_path(const std::string& path) {
  // URL reservations match whole path segments: /Reports and /Reports/..., not /ReportsArchive.
  const auto reserved = [&](std::string_view name) {
    if (!directory::istarts_with(path, name)) return false;
    return path.size() == name.size() || path[name.size()] == '/' || path[name.size()] == '?';
  };
  return reserved("/ReportServer") || reserved("/Reports");
}

base::KeyDecision SsrsServer::decryption_key(const base::HostInfo& host) const {
  base::KeyDecision d;
  d.account = service_account.key_account(host.computer_account);
  d.why = "SSRS authenticates in user mode inside the ReportServer service, with the key of its service account " +
          service_account.describe() + (service_account.built_in() ? ", which is the computer account's key" : "");
  d.rule = "iis-rules 7.6";
  return d;
}

std::vector<net::AuthScheme> SsrsServer::challenge() const {
  std::vector<net::AuthScheme> out;
  for (const auto t : authentication_types) switch (t) {
      case SsrsAuthType::RSWindowsNegotiate:
        out.push_back(net::AuthScheme::Negotiate);
        break;
      case SsrsAuthType::RSWindowsNTLM:
        out.push_back(net::AuthScheme::Ntlm);
        break;
      case SsrsAuthType::RSWindowsKerberos:
        out.push_back(net::AuthScheme::Kerberos);
        break;
      case SsrsAuthType::RSWindowsBasic:
        out.push_back(net::AuthScheme::Basic);
        break;
      case SsrsAuthType::Custom:
        break;
    }
  return out;
}

bool SsrsServer::accepts_ntlm() const {
  return std::any_of(authentication_types.begin(), authentication_types.end(), [](SsrsAuthType t) {
    return t == SsrsAuthType::RSWindowsNegotiate || t == SsrsAuthType::RSWindowsNTLM;
  });
}

}  // namespace kerbsim::backend
