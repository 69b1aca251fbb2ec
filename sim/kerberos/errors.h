// Kerberos error codes with their RFC 4120 names and numbers, written once (kerberos-rules R8.7),
// and the NTSTATUS values Windows KDCs put in the e-data of S4U refusals (section 3).
#pragma once

#include <string>

namespace kerbsim::kerberos {

enum class KrbError : int {
  None = 0,
  KDC_ERR_C_PRINCIPAL_UNKNOWN = 6,
  KDC_ERR_S_PRINCIPAL_UNKNOWN = 7,
  KDC_ERR_PRINCIPAL_NOT_UNIQUE = 8,
  KDC_ERR_POLICY = 12,
  KDC_ERR_BADOPTION = 13,
  KDC_ERR_ETYPE_NOSUPP = 14,
  KDC_ERR_CLIENT_REVOKED = 18,
  KDC_ERR_TGT_REVOKED = 20,
  KDC_ERR_KEY_EXPIRED = 23,
  KDC_ERR_PREAUTH_FAILED = 24,
  KDC_ERR_PREAUTH_REQUIRED = 25,
  KDC_ERR_SERVER_NOMATCH = 26,
  KDC_ERR_MUST_USE_USER2USER = 27,
  KRB_AP_ERR_BAD_INTEGRITY = 31,
  KRB_AP_ERR_TKT_EXPIRED = 32,
  KRB_AP_ERR_TKT_NYV = 33,
  KRB_AP_ERR_REPEAT = 34,
  KRB_AP_ERR_NOT_US = 35,
  KRB_AP_ERR_BADMATCH = 36,
  KRB_AP_ERR_SKEW = 37,
  KRB_AP_ERR_BADADDR = 38,
  KRB_AP_ERR_MODIFIED = 41,
  KRB_AP_ERR_BADKEYVER = 44,
  KRB_ERR_RESPONSE_TOO_BIG = 52,
  KRB_ERR_GENERIC = 60,
  KDC_ERR_WRONG_REALM = 68,
};

// "KRB_AP_ERR_MODIFIED"; "" for None.
std::string error_name(KrbError e);
// "KRB_AP_ERR_MODIFIED (41)".
std::string error_label(KrbError e);

enum class NtStatus { None, STATUS_NOT_SUPPORTED, STATUS_NO_MATCH, STATUS_NOT_FOUND, STATUS_ACCOUNT_RESTRICTION };
std::string status_name(NtStatus s);

}  // namespace kerbsim::kerberos
