#include <catch2/catch.hpp>

#include <sys/resource.h>

#include <string>

#include "scenario/builder.h"
#include "scenario/loader.h"

namespace {

long peak_rss_kb() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss;
}

// 100,000 user accounts, each in a group, in the shape exported from a real directory.
std::string large_scenario(int accounts) {
  std::string s = R"({"format": "kerbsim/1", "name": "large",
    "domains": [{"dns": "corp.contoso.com", "netbios": "CORP"}],
    "accounts": [)";
  s.reserve(static_cast<std::size_t>(accounts) * 90 + 1000);
  for (int i = 0; i < accounts; ++i) {
    if (i) s += ",\n";
    s += R"({"name": "CORP\\user)" + std::to_string(i) + R"(", "groups": ["Staff"], "token_groups": 12})";
  }
  s += R"(],
    "hosts": [{"name": "web1", "domain": "corp.contoso.com",
               "iis": {"sites": [{"name": "a", "windows": {"enabled": true}, "anonymous": {"enabled": false}}]}},
              {"name": "ws1", "domain": "corp.contoso.com", "client": {"user": "CORP\\user1"}}],
    "flows": [{"name": "f", "client": "ws1", "url": "http://web1.corp.contoso.com/"}]})";
  return s;
}

}  // namespace

#if defined(__SANITIZE_ADDRESS__)
#define KERBSIM_SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define KERBSIM_SANITIZED 1
#endif
#endif

TEST_CASE("a 100,000-account scenario loads and builds within a memory bound", "[scenario][large]") {
  const std::string text = large_scenario(100000);
  const long before = peak_rss_kb();
  const auto spec = kerbsim::scenario::load_text(text, "large.json");
  const auto env = kerbsim::scenario::build(spec);
  REQUIRE(spec.accounts.size() == 100000);
  REQUIRE(env.directory.accounts().size() == 100000 + 2);  // plus two computer accounts
#ifndef KERBSIM_SANITIZED
  // About 9 MB of JSON: the located tree, the spec and the model together stay under 400 MB of peak
  // growth (measured about 200 MB). Sanitizer builds inflate memory, so the bound is not checked there.
  const long grown_mb = (peak_rss_kb() - before) / 1024;
  INFO("peak RSS grew by " << grown_mb << " MB");
  REQUIRE(grown_mb < 400);
#else
  (void)before;
#endif
}
