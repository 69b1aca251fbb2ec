#include "kerberos/errors.h"

namespace kerbsim::kerberos {

std::string error_name(KrbError e) {
  switch (e) {
    case KrbError::None:
      return "";
    case KrbError::KDC_ERR_C_PRINCIPAL_UNKNOWN:
      return "KDC_ERR_C_PRINCIPAL_UNKNOWN";
    case KrbError::KDC_ERR_S_PRINCIPAL_UNKNOWN:
      return "KDC_ERR_S_PRINCIPAL_UNKNOWN";
    case KrbError::KDC_ERR_PRINCIPAL_NOT_UNIQUE:
      return "KDC_ERR_PRINCIPAL_NOT_UNIQUE";
    case KrbError::KDC_ERR_POLICY:
      return "KDC_ERR_POLICY";
    case KrbError::KDC_ERR_BADOPTION:
      return "KDC_ERR_BADOPTION";
    case KrbError::KDC_ERR_ETYPE_NOSUPP:
      return "KDC_ERR_ETYPE_NOSUPP";
    case KrbError::KDC_ERR_CLIENT_REVOKED:
      return "KDC_ERR_CLIENT_REVOKED";
    case KrbError::KDC_ERR_TGT_REVOKED:
      return "KDC_ERR_TGT_REVOKED";
    case KrbError::KDC_ERR_KEY_EXPIRED:
      return "KDC_ERR_KEY_EXPIRED";
    case KrbError::KDC_ERR_PREAUTH_FAILED:
      return "KDC_ERR_PREAUTH_FAILED";
    case KrbError::KDC_ERR_PREAUTH_REQUIRED:
      return "KDC_ERR_PREAUTH_REQUIRED";
    case KrbError::KDC_ERR_SERVER_NOMATCH:
      return "KDC_ERR_SERVER_NOMATCH";
    case KrbError::KDC_ERR_MUST_USE_USER2USER:
      return "KDC_ERR_MUST_USE_USER2USER";
    case KrbError::KRB_AP_ERR_BAD_INTEGRITY:
      return "KRB_AP_ERR_BAD_INTEGRITY";
    case KrbError::KRB_AP_ERR_TKT_EXPIRED:
      return "KRB_AP_ERR_TKT_EXPIRED";
    case KrbError::KRB_AP_ERR_TKT_NYV:
      return "KRB_AP_ERR_TKT_NYV";
    case KrbError::KRB_AP_ERR_REPEAT:
      return "KRB_AP_ERR_REPEAT";
    case KrbError::KRB_AP_ERR_NOT_US:
      return "KRB_AP_ERR_NOT_US";
    case KrbError::KRB_AP_ERR_BADMATCH:
      return "KRB_AP_ERR_BADMATCH";
    case KrbError::KRB_AP_ERR_SKEW:
      return "KRB_AP_ERR_SKEW";
    case KrbError::KRB_AP_ERR_BADADDR:
      return "KRB_AP_ERR_BADADDR";
    case KrbError::KRB_AP_ERR_MODIFIED:
      return "KRB_AP_ERR_MODIFIED";
    case KrbError::KRB_AP_ERR_BADKEYVER:
      return "KRB_AP_ERR_BADKEYVER";
    case KrbError::KRB_ERR_RESPONSE_TOO_BIG:
      return "KRB_ERR_RESPONSE_TOO_BIG";
    case KrbError::KRB_ERR_GENERIC:
      return "KRB_ERR_GENERIC";
    case KrbError::KDC_ERR_WRONG_REALM:
      return "KDC_ERR_WRONG_REALM";
  }
  return "KRB_ERR_" + std::to_string(static_cast<int>(e));
}

std::string error_label(KrbError e) { return error_name(e) + " (" + std::to_string(static_cast<int>(e)) + ")"; }

std::string status_name(NtStatus s) {
  switch (s) {
    case NtStatus::None:
      return "";
    case NtStatus::STATUS_NOT_SUPPORTED:
      return "STATUS_NOT_SUPPORTED";
    case NtStatus::STATUS_NO_MATCH:
      return "STATUS_NO_MATCH";
    case NtStatus::STATUS_NOT_FOUND:
      return "STATUS_NOT_FOUND";
    case NtStatus::STATUS_ACCOUNT_RESTRICTION:
      return "STATUS_ACCOUNT_RESTRICTION";
  }
  return "";
}

}  // namespace kerbsim::kerberos
