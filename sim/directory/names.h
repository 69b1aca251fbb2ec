// Name handling shared by the directory and the network: Windows compares account names, SPNs and
// DNS names case-insensitively (kerberos-rules R1.8), so comparisons go through these helpers. The
// grammars of Windows names (NetBIOS, computer, SQL instance and logon names) live here too.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace kerbsim::directory {

std::string to_lower(std::string_view s);
std::string to_upper(std::string_view s);
bool iequals(std::string_view a, std::string_view b);
bool istarts_with(std::string_view s, std::string_view prefix);
bool iends_with(std::string_view s, std::string_view suffix);

// "CORP\\alice" -> {"CORP", "alice"}; a name without a backslash has an empty domain part.
struct AccountName {
  std::string domain;
  std::string sam;
};
AccountName split_account(std::string_view name);

// How Windows names are written. Each check returns the first problem met, left to right; `character`
// is the character not allowed (bad_character, bad_start).
enum class NameError {
  none,
  empty,
  too_long,       // more characters than the name's limit
  bad_character,  // a character the name cannot contain
  has_dot,        // a computer name written as an FQDN
  hyphen_at_end,  // a computer name that starts or ends with "-"
  all_digits,     // a computer name of digits only
  bad_start,      // a SQL instance name that does not start with a letter or "_"
  reserved,       // the SQL instance name DEFAULT
};

struct NameSyntax {
  NameError error = NameError::none;
  char character = 0;
  bool ok() const { return error == NameError::none; }
};

// A NetBIOS domain name: 1-15 letters, digits and "-".
NameSyntax check_netbios_name(std::string_view name);
// A computer's short name: letters, digits and "-", not at either end, not all digits, at most 15
// characters (the NetBIOS limit).
NameSyntax check_computer_name(std::string_view name);
// A SQL Server instance name: at most 16 letters, digits, "_" and "$", starting with a letter or "_";
// DEFAULT is reserved (the default instance is MSSQLSERVER).
NameSyntax check_sql_instance_name(std::string_view name);
// A logon name (sAMAccountName): at most 20 characters, none of "/\[]:;|=,+*?<>@ or a control character.
NameSyntax check_account_name(std::string_view name);

constexpr std::size_t kNetbiosNameLimit = 15;
constexpr std::size_t kSqlInstanceNameLimit = 16;
constexpr std::size_t kAccountNameLimit = 20;

}  // namespace kerbsim::directory
