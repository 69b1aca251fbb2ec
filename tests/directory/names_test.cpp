// How Windows names are written: NetBIOS domain names, computer names, SQL instance names and logon
// names, each refusal with its reason.
#include <catch2/catch.hpp>

#include "directory/names.h"

using namespace kerbsim::directory;

TEST_CASE("a NetBIOS name is 1-15 letters, digits and hyphens", "[names]") {
  CHECK(check_netbios_name("CORP").ok());
  CHECK(check_netbios_name("").error == NameError::empty);
  CHECK(check_netbios_name("ABCDEFGHIJKLMNOP").error == NameError::too_long);
  const auto bad = check_netbios_name("CO.RP");
  CHECK(bad.error == NameError::bad_character);
  CHECK(bad.character == '.');
}

TEST_CASE("a computer name is short, not all digits, and has no dot", "[names]") {
  CHECK(check_computer_name("web1").ok());
  CHECK(check_computer_name("").error == NameError::empty);
  CHECK(check_computer_name("web1.corp").error == NameError::has_dot);
  CHECK(check_computer_name("web_1").error == NameError::bad_character);
  CHECK(check_computer_name("-web1").error == NameError::hyphen_at_end);
  CHECK(check_computer_name("1234").error == NameError::all_digits);
  CHECK(check_computer_name("averyveryverylongname").error == NameError::too_long);
}

TEST_CASE("a SQL instance name starts with a letter or underscore, and DEFAULT is reserved", "[names]") {
  CHECK(check_sql_instance_name("SALES").ok());
  CHECK(check_sql_instance_name("_x$1").ok());
  CHECK(check_sql_instance_name("").error == NameError::empty);
  CHECK(check_sql_instance_name("ABCDEFGHIJKLMNOPQ").error == NameError::too_long);
  CHECK(check_sql_instance_name("1SALES").error == NameError::bad_start);
  CHECK(check_sql_instance_name("SA-LES").error == NameError::bad_character);
  CHECK(check_sql_instance_name("default").error == NameError::reserved);
}

TEST_CASE("a logon name is at most 20 characters without the reserved ones", "[names]") {
  CHECK(check_account_name("svc-web").ok());
  CHECK(check_account_name("").error == NameError::empty);
  CHECK(check_account_name("abcdefghijklmnopqrstu").error == NameError::too_long);
  const auto bad = check_account_name("a@b");
  CHECK(bad.error == NameError::bad_character);
  CHECK(bad.character == '@');
}
