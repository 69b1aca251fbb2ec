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
  Records& r = names_[to_lower(name)];
  r.spelled = name;
  r.ip = ip;
  r.has_a = true;
}

void Dns::add_cname(const std::string& alias, const std::string& target) {
  Records& r = names_[to_lower(alias)];
  r.spelled = alias;
  r.cname = target;
  r.has_cname = true;
}

std::vector<Dns::Record> Dns::records() const {
  std::vector<Record> out;
  out.reserve(names_.size());
  for (const auto& [key, r] : names_)
    out.push_back({r.spelled, r.has_a ? r.ip : std::string(), r.has_cname ? r.cname : std::string()});
  return out;
}

DnsAnswer Dns::resolve(const std::string& name, const std::string& suffix) const {
  DnsAnswer ans;
  std::vector<std::string> candidates;
  if (name.find('.') == std::string::npos && !suffix.empty()) candidates.push_back(name + "." + suffix);
  candidates.push_back(name);
  for (const auto& candidate : candidates) {
    auto at = names_.find(to_lower(candidate));
    if (at == names_.end()) continue;
    ans.queried = at->second.spelled;
    std::string shown = ans.queried;
    for (int depth = 0; depth <= kMaxChain; ++depth) {
      if (at->second.has_a) {
        ans.found = true;
        ans.canonical = shown;
        ans.ip = at->second.ip;
        ans.why = ans.cnames.empty() ? ans.queried + " has an A record " + ans.ip
                                     : ans.queried + " is a CNAME; its canonical name " + ans.canonical +
                                           " has the A record " + ans.ip;
        return ans;
      }
      if (!at->second.has_cname) break;
      ans.cnames.push_back(at->second.cname);
      shown = at->second.cname;
      at = names_.find(to_lower(shown));
      if (at == names_.end()) break;
    }
    ans.why = "the CNAME chain from " + ans.queried + " does not end in an A record";
    return ans;
  }
  ans.queried = candidates.front();
  ans.why = "no DNS record for " + name + (candidates.size() > 1 ? " or " + candidates.front() : "");
  return ans;
}

}  // namespace kerbsim::net
