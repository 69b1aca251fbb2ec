// Remembered authentications (internal to sim/workload): every traced authentication, reduced to
// what the simulation counts, keyed by everything that can change its result while the simulation
// runs, so a population costs a handful of traces. Tickets are interned: a user holds small numbers.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "kerberos/ticket.h"
#include "kerbsim/outcome.h"

namespace kerbsim::workload {

// Tickets differ between users only in their times, which the simulator keeps itself; the rest
// (whose key, which kvno, which flags) is interned once and named by a small number. 0 = none.
class TicketTable {
 public:
  std::uint32_t intern(const kerberos::Ticket& t);
  const kerberos::Ticket& at(std::uint32_t id) const { return tickets_[id - 1]; }

 private:
  std::vector<kerberos::Ticket> tickets_;
  std::unordered_map<std::string, std::uint32_t> ids_;
};

// One authentication at one node as the tracer decided it, reduced to what the simulation counts.
struct Auth {
  Verdict verdict = Verdict::Failed;
  Protocol protocol = Protocol::None;
  std::uint16_t error = 0;  // index into Simulator::errors_; 0 = none
  std::uint32_t gained_tgt = 0;
  std::uint32_t gained_ticket = 0;
  bool spn_not_found = false;
  std::uint8_t client_as = 0;
  std::uint8_t client_tgs = 0;
  std::uint8_t server_kdc = 0;  // the servers' own KDC requests for the hops (S4U, service logons)
  std::uint8_t round_trips = 1;
  std::uint8_t hops = 0;  // calls behind the front end that every request makes (SSRS data source, SQL, ...)
  std::vector<std::uint16_t> passthrough;  // host index of each NTLM pass-through, in order
};

// Everything a traced authentication depends on that changes while the simulation runs.
struct AuthKey {
  std::uint64_t a = 0;  // flow << 48 | node << 32 | dc view << 16 | flags
  std::uint64_t b = 0;  // view version << 32 | node key version
  std::uint64_t c = 0;  // cached TGT << 32 | cached service ticket
  std::uint64_t d = 0;  // every host's key version << 32 | which of the flow's calls cross a clock skew
  bool operator==(const AuthKey& o) const { return a == o.a && b == o.b && c == o.c && d == o.d; }
};
struct AuthKeyHash {
  std::size_t operator()(const AuthKey& k) const {
    std::uint64_t h = k.a * 0x9E3779B97F4A7C15ULL;
    h ^= (k.b + 0x7F4A7C15ULL) * 0xBF58476D1CE4E5B9ULL;
    h ^= (k.c + 0x94D049BBULL) * 0x94D049BB133111EBULL;
    h ^= (k.d + 0x2545F491ULL) * 0xD6E8FEB86659FD93ULL;
    return static_cast<std::size_t>(h ^ (h >> 31));
  }
};

}  // namespace kerbsim::workload
