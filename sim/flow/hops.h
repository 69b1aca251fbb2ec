// The hops behind a front end: each call an application makes next (IIS site -> SQL Server, SSRS
// data source -> SQL Server, SQL Server linked server -> SQL Server), with the identity that reaches
// the back end, the delegation mechanism that carried it, or the condition that stopped it
// (kerberos-rules sections 3-4, iis-rules 0.8-0.11, 2.6, 3.12, 6.5-6.9).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "farm/environment.h"
#include "kerberos/ticket.h"
#include "kerbsim/outcome.h"

namespace kerbsim::flow {

// Appends numbered steps to a path's step list.
class StepLog {
 public:
  explicit StepLog(std::vector<Step>& steps) : steps_(steps) {}
  Step& add(StepKind kind, std::string from, std::string to, std::string message, std::string result, std::string why,
            std::string rule);

 private:
  std::vector<Step>& steps_;
};

// The request's identity as the calling tier holds it.
struct CallerContext {
  std::string user;                // canonical account; "" when the request ran anonymously
  std::string anonymous_identity;  // the anonymous identity when user is "" (NT AUTHORITY\IUSR, ...)
  Protocol protocol = Protocol::None;
  std::optional<kerberos::Ticket> evidence;       // the user's ticket to this tier (Kerberos)
  std::optional<kerberos::Ticket> forwarded_tgt;  // the user's TGT, forwarded by the client
};

// The tier that makes the calls: a site, the SSRS service or a SQL Server instance.
struct CallingTier {
  const farm::Host* host = nullptr;
  std::string label;             // "IIS site Orders", "SSRS", "SQL Server MSSQLSERVER"
  web::ProcessIdentity process;  // the worker or service identity
  std::string process_name;      // as seen locally: IIS APPPOOL\Orders, NT SERVICE\MSSQLSERVER
  std::string key_account;       // whose key decrypted the user's ticket
  bool impersonates = false;     // does as: caller run as the caller?
  std::string impersonation_rule = "iis-rules 3.12";
  std::vector<base::Call> calls;
};

constexpr int kMaxHopDepth = 8;

// The account a process identity presents off its machine: the computer account for built-in and
// virtual identities on a domain member, the account itself for a domain account or gMSA, "" for
// LocalService and on a workgroup host (iis-rules 2.1, 2.5, 2.6, 6.1).
std::string outbound_account(const farm::Host& host, const web::ProcessIdentity& identity);

std::vector<HopOutcome> trace_calls(const farm::Environment& env, const CallingTier& tier, const CallerContext& caller,
                                    StepLog& log, int depth = 0);

}  // namespace kerbsim::flow
