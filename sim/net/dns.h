// DNS as a client sees it: A records (one per host automatically, plus extra ones) and CNAME
// aliases, with the primary DNS suffix appended to dotless names. The KDC never uses DNS (R1.9).
#pragma once

#include <map>
#include <string>
#include <vector>

namespace kerbsim::net {

struct DnsAnswer {
  bool found = false;
  std::string queried;              // the name actually asked (with the suffix for dotless names)
  std::vector<std::string> cnames;  // the CNAME chain followed, in order: alias -> ... -> canonical
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

 private:
  std::map<std::string, std::string> a_;        // lower-case name -> ip
  std::map<std::string, std::string> cname_;    // lower-case alias -> target as written
  std::map<std::string, std::string> spelled_;  // lower-case name -> name as written
};

}  // namespace kerbsim::net
