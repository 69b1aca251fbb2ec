#include "backend/ssrs.h"

#include <algorithm>

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
  if (account.type == web::IdentityType::DomainAccount) return {SsrsAuthType::RSWindowsNTLM};
  return {SsrsAuthType::RSWindowsNegotiate, SsrsAuthType::RSWindowsNTLM};
}

bool SsrsServer::serves_path(const std::string& path) {
  return directory::istarts_with(path, "/ReportServer") || directory::istarts_with(path, "/Reports");
}

web::KeyDecision SsrsServer::decryption_key(const web::HostInfo& host) const {
  web::KeyDecision d;
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
