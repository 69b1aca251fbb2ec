// `kerbsim kdc`: one question to the simulated KDC and its answer, with the exchanges that led to
// it. Teachers use it to show one decision at a time; the real-KDC differential suite
// (tests/fidelity) asks a real KDC the same questions and compares.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "kerbsim/outcome.h"
#include "kerbsim/value.h"

namespace kerbsim {

enum class KdcQuestionKind { As, Tgs, S4u2Self, S4u2Proxy, ForwardTgt };

struct KdcQuestion {
  KdcQuestionKind kind = KdcQuestionKind::As;
  std::string user;                   // as, tgs, s4u2self, s4u2proxy, forward-tgt
  std::string service;                // s4u2self, s4u2proxy: the account asking
  std::string spn;                    // tgs: the SPN; s4u2proxy: the target SPN
  bool forwardable = true;            // the client's TGT is requested forwardable (kinit -f)
  bool user_ticket_evidence = false;  // s4u2proxy: the user's own ticket to the service, not S4U2Self
};

struct KdcAnswer {
  bool ok = false;
  std::optional<std::string> error;   // "KDC_ERR_BADOPTION"
  std::optional<std::string> status;  // the NTSTATUS in the KRB-ERROR's e-data
  std::vector<std::string> flags;     // of the final ticket, in klist's order
  std::optional<std::int64_t> lifetime_s;
  std::optional<std::string> encrypted_for;
  std::optional<std::string> etype;
  std::string reason;       // why the last exchange ended as it did, with its rule
  std::vector<Step> steps;  // every exchange, in order
  std::string problem;      // set when the question names something that does not exist
};

Value to_value(const KdcAnswer& answer);

}  // namespace kerbsim
