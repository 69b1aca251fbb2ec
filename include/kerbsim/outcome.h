// The traced outcome of a scenario's flows: for each flow, one path per load-balancer member (or
// one), with the steps taken, the front-end result, the hops behind it and a verdict. This is the
// data every printer formats and `kerbsim check` compares (scenario-format.md, "The traced outcome").
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace kerbsim {

enum class Protocol { Kerberos, Ntlm, Basic, Anonymous, None };
enum class Verdict { Ok, Degraded, Failed };
enum class Delegation { None, Unconstrained, Constrained, ProtocolTransition, ResourceBased };
enum class HopResult { Ok, LoginFailed, AuthFailed, AccessDenied };

std::string to_string(Protocol p);    // "kerberos", "ntlm", ...
std::string to_string(Verdict v);     // "ok", "degraded", "failed"
std::string to_string(Delegation d);  // "none", "constrained", ...
std::string to_string(HopResult r);   // "ok", "login_failed", ...

// Why a request or a hop failed, as a fact: a Kerberos error (by its RFC 4120 code), or a
// condition outside Kerberos. Its name, to_string(Error), is what the JSON and the text show.
enum class ErrorKind {
  Kerberos,                  // KRB_AP_ERR_MODIFIED, KDC_ERR_S_PRINCIPAL_UNKNOWN, ...: see Error::krb_error
  DnsNameNotFound,           // DNS_NAME_NOT_FOUND
  HostUnreachable,           // HOST_UNREACHABLE
  NoWebServer,               // NO_WEB_SERVER
  NoSiteBinding,             // NO_SITE_BINDING: http.sys 400 Invalid Hostname
  Http401,                   // HTTP_401
  Http401_2,                 // HTTP_401_2: no authentication method enabled
  Http401_3,                 // HTTP_401_3: denied by the content's ACL
  Http400HeaderTooLong,      // HTTP_400_HEADER_TOO_LONG
  NoCommonAuthScheme,        // NO_COMMON_AUTH_SCHEME
  KdcUnreachable,            // KDC_UNREACHABLE
  NtlmHandshakeBroken,       // NTLM_HANDSHAKE_BROKEN
  StatusLogonFailure,        // STATUS_LOGON_FAILURE
  StatusNoLogonServers,      // STATUS_NO_LOGON_SERVERS
  StatusAccountRestriction,  // STATUS_ACCOUNT_RESTRICTION
  SqlInstanceNotFound,       // SQL_INSTANCE_NOT_FOUND
  SspiContext,               // SSPI_CONTEXT: "Cannot generate SSPI context"
  SqlLoginFailed,            // SQL_18456
  SqlUntrustedDomain,        // SQL_18452
  NoDelegation,              // NO_DELEGATION
  NoNodeInService,           // NO_NODE_IN_SERVICE (simulation)
  NetlogonTimeout,           // NETLOGON_TIMEOUT (simulation)
};

struct Error {
  ErrorKind kind = ErrorKind::Kerberos;
  int krb_error = 0;  // the RFC 4120 error code, when kind is Kerberos

  static Error kerberos(int code) { return {ErrorKind::Kerberos, code}; }
  friend bool operator==(const Error&, const Error&) = default;
};
std::string to_string(const Error& e);  // "KRB_AP_ERR_MODIFIED", "NO_SITE_BINDING", ...

// What kind of exchange a step is; printers draw each kind its own way.
enum class StepKind {
  Dns,          // name resolution
  Http,         // an HTTP request and its response
  AsExchange,   // AS-REQ / AS-REP or KRB-ERROR at a KDC
  TgsExchange,  // TGS-REQ / TGS-REP, referral or KRB-ERROR
  ApExchange,   // AP-REQ carried in an Authorization header, checked by the server
  Ntlm,         // NTLM legs and pass-through validation
  Decision,     // a local decision of one party (zone, scheme, SPN, key choice)
  Sql,          // TDS login
};
std::string to_string(StepKind k);

// What a step does, where the kind alone does not say: the facts the simulation counts, whatever the
// step's sentences say. Not part of the JSON.
enum class StepAction {
  Other,
  NetlogonPassThrough,  // a server asks a DC to validate an NTLM response (kerberos-rules R5.1)
  S4U2Self,             // protocol transition: a ticket to the service for the user (R3.3)
  S4U2Proxy,            // constrained or resource-based delegation (R3.2, R3.4)
  ForwardedTgt,         // the client asks for a forwarded TGT to send along (R3.1.2)
  // Decisions that leave a path degraded though nothing failed (the audit names the path by them):
  CredentialPrompt,  // the browser will not log on silently: the user is prompted (iis-rules 4.9)
  KerberosNotTried,  // no SPN, or a local connection: Negotiate goes straight to NTLM (R1.10, iis-rules 3.13)
  WeakerScheme,      // the scheme chosen is NTLM or Basic, not Negotiate (iis-rules 4.2)
};

struct Step {
  int seq = 0;
  StepKind kind = StepKind::Decision;
  StepAction action = StepAction::Other;
  std::string from;                  // "ws1"
  std::string to;                    // "dc1"; equal to from for a local decision
  std::string message;               // "TGS-REQ HTTP/reports.corp.contoso.com"
  std::string result;                // "TGS-REP, ticket for CORP\\WEB1$"
  std::string why;                   // one sentence: the reason
  std::string rule;                  // "kerberos-rules R1.3"
  bool failed = false;               // this step is where something went wrong
  std::vector<std::string> details;  // DC events, settings behind the decision (shown with --explain)
};

struct TicketSummary {
  std::string encrypted_for;
  std::vector<std::string> flags;  // delegation-relevant: forwardable, forwarded, ok_as_delegate
  std::string etype;
};

struct FrontOutcome {
  Protocol protocol = Protocol::None;
  int http_status = 0;
  std::optional<std::string> identity;
  std::optional<std::string> process_identity;
  std::optional<TicketSummary> ticket;
  std::optional<std::string> decrypted_with;
  bool prompt = false;
  std::optional<Error> error;  // the first failure on the path (scenario-format.md)
};

struct HopOutcome {
  std::string to;
  std::string service;
  std::string as;
  Protocol protocol = Protocol::None;
  std::optional<std::string> identity;
  Delegation delegation = Delegation::None;
  HopResult result = HopResult::Ok;
  std::optional<Error> error;
  std::vector<HopOutcome> hops;
};

// One parameter of a PowerShell command, as the fix script splats it ("Identity", "gmsa-reports").
// The value is written as PowerShell source: quoted strings, @(...) arrays, @{...} tables, $true.
struct CommandParameter {
  std::string name;   // without the dash
  std::string value;  // "" for a switch parameter
};

// One step of a fix's rollout: the command an admin types, on the machine where it runs, with the
// right it needs. Steps come in rollout order (identity created and installed, pools, SPNs moved,
// delegation, clients). A step may be a prerequisite with no change of its own (Add-KdsRootKey,
// Install-ADServiceAccount) or a wait ("cached tickets expire").
struct FixStep {
  std::string host;     // where it runs: a DC for directory writes, a node, a client; "" = any domain member
  std::string needs;    // the right it needs: "Domain Admins (SeEnableDelegationPrivilege)", "local Administrators"
  std::string phase;    // prerequisites | identity | servers | spn | delegation | cut-over | clients
  std::string command;  // the whole command as typed, one line, no placeholders; "" for a wait
  // The same command for a script: a cmdlet (or program) and its parameters, splatted when long.
  std::string program;                       // "New-ADServiceAccount", "setspn", "appcmd"
  std::vector<CommandParameter> parameters;  // PowerShell cmdlets only; empty for a native program
  std::vector<std::string> arguments;        // a native program's arguments, in order
  // PowerShell that is true while the step is still needed (the script runs the step only then), and
  // PowerShell whose output proves it worked (setspn -Q, Test-ADServiceAccount). Both "" when the step
  // has nothing to query.
  std::string guard;
  std::string check;
  std::string wait;   // a wait after the step before the next may run: "10h" (KDS root key), "" = none
  std::string ready;  // with a wait: PowerShell that is true once it is over ("" = nothing to query)
  std::string why;    // one sentence: why the step is needed or why it comes here in the order
};

struct Fix {
  std::string change;
  std::string command;         // every step's command, one per line, in rollout order
  std::vector<FixStep> steps;  // in rollout order
  std::string none;            // set instead of a command when no change can fix the path: why
};

struct PathOutcome {
  std::optional<std::string> via;  // the load-balancer member, when there is a balancer
  std::optional<std::string> spn;  // null if Kerberos was never tried
  FrontOutcome front;
  std::vector<HopOutcome> hops;
  Verdict verdict = Verdict::Failed;
  std::string summary;  // one line: why this verdict
  std::vector<Step> steps;
  std::vector<Fix> fixes;
};

// The first hop that failed, depth first in call order; nullptr when every hop worked.
const HopOutcome* first_failed_hop(const std::vector<HopOutcome>& hops);
// The cause of a path's verdict, one rule for the tracer, every printer and the simulation's tally:
// when the front end worked (it has an identity) and a call behind it failed, that hop's error;
// otherwise the front end's first failure, FrontOutcome::error (which may have been recovered from,
// as when Kerberos fails and NTLM works).
std::optional<Error> root_cause(const PathOutcome& path);

struct FlowOutcome {
  std::string flow;
  std::string client;
  std::string user;
  std::string url;
  std::string browser;
  std::optional<std::string> balancer;  // the load balancer the URL reached
  std::vector<PathOutcome> paths;
};

struct TraceReport {
  std::string scenario;
  std::string title;
  std::vector<FlowOutcome> flows;
};

}  // namespace kerbsim

#include "kerbsim/value.h"

namespace kerbsim {

// The documents of scenario-format.md's traced outcome (key names are a contract).
Value to_value(const Step& step);
Value to_value(const Fix& fix);  // {change, command, steps, none}
Value to_value(const PathOutcome& path);
Value to_value(const FlowOutcome& flow);
Value to_value(const TraceReport& report);

}  // namespace kerbsim
