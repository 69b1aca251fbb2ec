#include "net/dns.h"

#include <algorithm>

#include "directory/names.h"

namespace kerbsim::net {

using directory::to_lower;

namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_letter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

}  // namespace

DnsNameSyntax check_dns_name(std::string_view name) {
  if (name.empty()) return {DnsNameError::empty};
  if (name.size() > 253) return {DnsNameError::too_long};
  if (name.find("://") != std::string_view::npos) return {DnsNameError::url};
  std::size_t start = 0;
  std::string_view last_label;
  while (true) {
    const auto dot = name.find('.', start);
    const std::string_view label =
        name.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start);
    if (label.empty()) return {DnsNameError::empty_label};
    if (label.size() > 63) return {DnsNameError::long_label};
    for (const char c : label)
      if (!is_letter(c) && !is_digit(c) && c != '-') return {DnsNameError::bad_character, c};
    if (label.front() == '-' || label.back() == '-') return {DnsNameError::hyphen_at_end};
    last_label = label;
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  if (std::all_of(last_label.begin(), last_label.end(), is_digit)) return {DnsNameError::numeric};
  return {};
}

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
