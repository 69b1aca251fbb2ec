#include "directory/names.h"

#include <algorithm>
#include <cctype>

namespace kerbsim::directory {

std::string to_lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

std::string to_upper(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  return out;
}

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](unsigned char x, unsigned char y) {
           return std::tolower(x) == std::tolower(y);
         });
}

bool istarts_with(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && iequals(s.substr(0, prefix.size()), prefix);
}

bool iends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && iequals(s.substr(s.size() - suffix.size()), suffix);
}

AccountName split_account(std::string_view name) {
  const auto slash = name.find('\\');
  if (slash == std::string_view::npos) return {"", std::string(name)};
  return {std::string(name.substr(0, slash)), std::string(name.substr(slash + 1))};
}

namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_letter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

NameSyntax bad(NameError error, char c = 0) { return NameSyntax{error, c}; }

}  // namespace

NameSyntax check_netbios_name(std::string_view name) {
  if (name.empty()) return bad(NameError::empty);
  if (name.size() > kNetbiosNameLimit) return bad(NameError::too_long);
  for (const char c : name)
    if (!is_letter(c) && !is_digit(c) && c != '-') return bad(NameError::bad_character, c);
  return {};
}

NameSyntax check_computer_name(std::string_view name) {
  if (name.empty()) return bad(NameError::empty);
  if (name.find('.') != std::string_view::npos) return bad(NameError::has_dot);
  for (const char c : name)
    if (!is_letter(c) && !is_digit(c) && c != '-') return bad(NameError::bad_character, c);
  if (name.front() == '-' || name.back() == '-') return bad(NameError::hyphen_at_end);
  if (std::all_of(name.begin(), name.end(), is_digit)) return bad(NameError::all_digits);
  if (name.size() > kNetbiosNameLimit) return bad(NameError::too_long);
  return {};
}

NameSyntax check_sql_instance_name(std::string_view name) {
  if (name.empty()) return bad(NameError::empty);
  if (name.size() > kSqlInstanceNameLimit) return bad(NameError::too_long);
  if (!is_letter(name[0]) && name[0] != '_') return bad(NameError::bad_start, name[0]);
  for (const char c : name)
    if (!is_letter(c) && !is_digit(c) && c != '_' && c != '$') return bad(NameError::bad_character, c);
  if (iequals(name, "DEFAULT")) return bad(NameError::reserved);
  return {};
}

NameSyntax check_account_name(std::string_view name) {
  if (name.empty()) return bad(NameError::empty);
  if (name.size() > kAccountNameLimit) return bad(NameError::too_long);
  for (const char c : name)
    if (std::string_view("\"/\\[]:;|=,+*?<>@").find(c) != std::string_view::npos ||
        static_cast<unsigned char>(c) < 0x20)
      return bad(NameError::bad_character, c);
  return {};
}

}  // namespace kerbsim::directory
