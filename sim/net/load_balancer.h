// A load balancer in front of a farm: a virtual IP and its members. Which member a request reaches
// is the question; a trace follows every member (iis-rules 5.1-5.7).
#pragma once

#include <string>
#include <vector>

namespace kerbsim::net {

enum class LbAlgorithm { RoundRobin, LeastConnections, SourceIpHash, Random };
enum class LbAffinity { None, SourceIp, Cookie };

struct LoadBalancer {
  std::string name;
  std::string vip;
  std::vector<std::string> members;  // host names
  LbAlgorithm algorithm = LbAlgorithm::RoundRobin;
  LbAffinity affinity = LbAffinity::None;
  int layer = 4;  // 4 keeps client connections intact; 7 re-pools them (breaks NTLM, iis-rules 5.7)
};

}  // namespace kerbsim::net
