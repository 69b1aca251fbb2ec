// Indexing a directory with duplicate detection: N accounts (1,000,000 unless given) with two SPNs each
// (2,000,000 SPNs, a hundred of them duplicated on a second account, some written in other letter cases)
// added to a kerbsim Directory, then its duplicate_spns() (what `setspn -X -F` lists), against a C++
// sort-and-scan of the same SPNs in memory: every SPN lower-cased with its holder, sorted, adjacent equal
// keys of different holders collected. Both must find the same duplicates. Best of alternating rounds (3
// unless given) and the ratio; target: the directory at most 2x the sort-and-scan.
// Usage: directory_bench [ACCOUNTS [ROUNDS]]
#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <utility>
#include <vector>

#include "directory/directory.h"

namespace {

using Clock = std::chrono::steady_clock;
using kerbsim::directory::Account;
using kerbsim::directory::Directory;

double seconds_since(Clock::time_point start) { return std::chrono::duration<double>(Clock::now() - start).count(); }

// Computers, as a domain join writes them (kerberos-rules R1.5): HOST/<name> and HOST/<fqdn>. Every
// ten-thousandth account also holds the SPN of the one before it, in upper case: a duplicate.
std::vector<Account> accounts(std::size_t n) {
  std::vector<Account> out;
  out.reserve(n);
  for (std::size_t i = 0; i < n; ++i) {
    char name[32];
    std::snprintf(name, sizeof name, "WS%07zu", i);
    Account a;
    a.sam = std::string(name) + "$";
    a.name = "CORP\\" + a.sam;
    a.domain = "corp.contoso.com";
    a.kind = kerbsim::directory::AccountKind::Computer;
    a.spns = {"HOST/" + std::string(name), "HOST/" + std::string(name) + ".corp.contoso.com"};
    if (i % 10000 == 1) {
      std::snprintf(name, sizeof name, "WS%07zu", i - 1);
      a.spns.back() = "HOST/" + std::string(name) + ".CORP.CONTOSO.COM";
    }
    out.push_back(std::move(a));
  }
  return out;
}

// kerbsim: the directory's own index, built as the loader builds it, and its duplicate report.
std::size_t directory_duplicates(std::vector<Account> all) {
  Directory d;
  kerbsim::directory::Domain domain;
  domain.dns = "corp.contoso.com";
  domain.netbios = "CORP";
  domain.forest = domain.dns;
  d.add_domain(domain);
  d.reserve(all.size(), all.size() * 2);  // as the scenario builder does
  for (auto& a : all) d.add_account(std::move(a));
  return d.duplicate_spns().size();
}

// The baseline: (lower-cased SPN, holder) pairs, sorted, scanned.
std::size_t sort_and_scan(const std::vector<Account>& all) {
  std::vector<std::pair<std::string, std::size_t>> keys;
  keys.reserve(all.size() * 2);
  for (std::size_t id = 0; id < all.size(); ++id)
    for (const auto& spn : all[id].spns) {
      std::string k = spn;
      for (auto& c : k) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      keys.emplace_back(std::move(k), id);
    }
  std::sort(keys.begin(), keys.end());
  std::size_t duplicates = 0;
  for (std::size_t i = 0; i < keys.size();) {
    std::size_t j = i + 1;
    bool other_holder = false;
    while (j < keys.size() && keys[j].first == keys[i].first) other_holder |= keys[j++].second != keys[i].second;
    duplicates += other_holder ? 1 : 0;
    i = j;
  }
  return duplicates;
}

}  // namespace

int main(int argc, char** argv) {
  const std::size_t n = argc > 1 ? std::strtoull(argv[1], nullptr, 10) : 1000000;
  const int rounds = argc > 2 ? std::atoi(argv[2]) : 3;
  if (n < 2 || rounds < 1) {
    std::fprintf(stderr, "usage: directory_bench [ACCOUNTS >= 2 [ROUNDS >= 1]]\n");
    return 2;
  }
  const std::vector<Account> all = accounts(n);
  double best_directory = 1e300, best_sort = 1e300;
  std::size_t found_directory = 0, found_sort = 0;
  for (int r = 0; r < rounds; ++r) {
    std::vector<Account> copy = all;  // copied outside the timed part: add_account takes its account
    auto start = Clock::now();
    found_sort = sort_and_scan(all);
    best_sort = std::min(best_sort, seconds_since(start));
    start = Clock::now();
    found_directory = directory_duplicates(std::move(copy));
    best_directory = std::min(best_directory, seconds_since(start));
  }
  std::printf("directory_bench: %zu accounts, %zu SPNs, best of %d\n", n, n * 2, rounds);
  std::printf("  sort-and-scan (lower-case, sort, scan): %.3f s, %zu duplicate SPNs\n", best_sort, found_sort);
  std::printf("  Directory (add_account, duplicate_spns): %.3f s, %zu duplicate SPNs\n", best_directory,
              found_directory);
  std::printf("  ratio: %.2fx the sort-and-scan (target <= 2x)\n", best_directory / best_sort);
  if (found_directory != found_sort) {
    std::fprintf(stderr, "directory_bench: the two found different duplicates\n");
    return 1;
  }
  return 0;
}
