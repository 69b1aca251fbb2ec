#include "net/dns.h"

#include "directory/names.h"

namespace kerbsim::net {

using directory::to_lower;

void Dns::add_a(const std::string& name, const std::string& ip) {
  a_[to_lower(name)] = ip;
  spelled_[to_lower(name)] = name;
}

void Dns::add_cname(const std::string& alias, const std::string& target) {
  cname_[to_lower(alias)] = target;
  spelled_[to_lower(alias)] = alias;
}

DnsAnswer Dns::resolve(const std::string& name, const std::string& suffix) const {
  DnsAnswer ans;
  std::vector<std::string> candidates;
  if (name.find('.') == std::string::npos && !suffix.empty()) candidates.push_back(name + "." + suffix);
  candidates.push_back(name);
  for (const auto& candidate : candidates) {
    std::string current = to_lower(candidate);
    if (!a_.count(current) && !cname_.count(current)) continue;
    ans.queried = spelled_.at(current);
    std::string shown = ans.queried;
    for (int depth = 0; depth <= kMaxChain; ++depth) {
      if (const auto a = a_.find(current); a != a_.end()) {
        ans.found = true;
        ans.canonical = shown;
        ans.ip = a->second;
        ans.why = ans.cnames.empty() ? ans.queried + " has an A record " + ans.ip
                                     : ans.queried + " is a CNAME; its canonical name " + ans.canonical +
                                           " has the A record " + ans.ip;
        return ans;
      }
      const auto c = cname_.find(current);
      if (c == cname_.end()) break;
      ans.cnames.push_back(c->second);
      shown = c->second;
      current = to_lower(c->second);
    }
    ans.why = "the CNAME chain from " + ans.queried + " does not end in an A record";
    return ans;
  }
  ans.queried = candidates.front();
  ans.why = "no DNS record for " + name + (candidates.size() > 1 ? " or " + candidates.front() : "");
  return ans;
}

}  // namespace kerbsim::net
