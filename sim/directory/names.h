// Name handling shared by the directory and the network: Windows compares account names, SPNs and
// DNS names case-insensitively (kerberos-rules R1.8), so comparisons go through these helpers.
#pragma once

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

}  // namespace kerbsim::directory
