// DNS as a client sees it: A records (one per host automatically, plus extra ones) and CNAME
// aliases, with the primary DNS suffix appended to dotless names. The KDC never uses DNS (R1.9).
// check_dns_name is the grammar of the names it holds.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace kerbsim::net {

// How a DNS name is written (RFC 1035 section 2.3.1, as Windows DNS takes it): labels of letters, digits
// and "-", not at a label's ends, at most 63 characters each and 253 in all; the last label is not all
// digits. The first problem met is returned; `character` is the character not allowed.
enum class DnsNameError {
  none,
  empty,
  too_long,       // more than 253 characters
  url,            // contains "://"
  empty_label,    // two dots, or a dot at an end
  long_label,     // a label longer than 63 characters
  bad_character,  // a character DNS names cannot contain
  hyphen_at_end,  // a label that starts or ends with "-"
  numeric,        // the last label is all digits: an address, not a name
};

struct DnsNameSyntax {
  DnsNameError error = DnsNameError::none;
  char character = 0;
  bool ok() const { return error == DnsNameError::none; }
};

DnsNameSyntax check_dns_name(std::string_view name);

struct DnsAnswer {
  bool found = false;
  std::string queried;              // the name actually asked (with the suffix for dotless names)
  std::vector<std::string> cnames;  // the CNAME targets followed, in order (the queried alias is not among them)
  std::string canonical;            // the name that holds the A record
  std::string ip;
  std::string why;
};

class Dns {
 public:
  void add_a(const std::string& name, const std::string& ip);
  void add_cname(const std::string& alias, const std::string& target);

  // Resolves name; a dotless name is tried with suffix appended first (DNS suffix search).
  DnsAnswer resolve(const std::string& name, const std::string& suffix) const;

  static constexpr int kMaxChain = 16;

  // Every name with its records, by lower-case name: what a design diff compares.
  struct Record {
    std::string name;   // as last written
    std::string a;      // "" when the name has no A record
    std::string cname;  // "" when the name is no alias
  };
  std::vector<Record> records() const;

 private:
  struct Records {
    std::string spelled;  // the name as last written
    std::string ip;       // "" when the name has no A record
    std::string cname;    // target as written; "" when the name is no alias
    bool has_a = false;
    bool has_cname = false;
  };
  std::map<std::string, Records> names_;  // by lower-case name
};

}  // namespace kerbsim::net
