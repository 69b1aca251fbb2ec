// The traced-outcome documents of scenario-format.md ("The traced outcome"). The key names and their
// order are a contract: `kerbsim trace --format json` prints them and `kerbsim check` matches them.
#include "kerbsim/outcome.h"

#include "kerberos/errors.h"

namespace kerbsim {

std::string to_string(Protocol p) {
  switch (p) {
    case Protocol::Kerberos:
      return "kerberos";
    case Protocol::Ntlm:
      return "ntlm";
    case Protocol::Basic:
      return "basic";
    case Protocol::Anonymous:
      return "anonymous";
    case Protocol::None:
      return "none";
  }
  return "none";
}

std::string to_string(const Error& e) {
  switch (e.kind) {
    case ErrorKind::Kerberos:
      return kerberos::error_name(static_cast<kerberos::KrbError>(e.krb_error));
    case ErrorKind::DnsNameNotFound:
      return "DNS_NAME_NOT_FOUND";
    case ErrorKind::HostUnreachable:
      return "HOST_UNREACHABLE";
    case ErrorKind::NoWebServer:
      return "NO_WEB_SERVER";
    case ErrorKind::NoSiteBinding:
      return "NO_SITE_BINDING";
    case ErrorKind::Http401:
      return "HTTP_401";
    case ErrorKind::Http401_2:
      return "HTTP_401_2";
    case ErrorKind::Http401_3:
      return "HTTP_401_3";
    case ErrorKind::Http400HeaderTooLong:
      return "HTTP_400_HEADER_TOO_LONG";
    case ErrorKind::NoCommonAuthScheme:
      return "NO_COMMON_AUTH_SCHEME";
    case ErrorKind::KdcUnreachable:
      return "KDC_UNREACHABLE";
    case ErrorKind::NtlmHandshakeBroken:
      return "NTLM_HANDSHAKE_BROKEN";
    case ErrorKind::StatusLogonFailure:
      return "STATUS_LOGON_FAILURE";
    case ErrorKind::StatusNoLogonServers:
      return "STATUS_NO_LOGON_SERVERS";
    case ErrorKind::StatusAccountRestriction:
      return "STATUS_ACCOUNT_RESTRICTION";
    case ErrorKind::SqlInstanceNotFound:
      return "SQL_INSTANCE_NOT_FOUND";
    case ErrorKind::SspiContext:
      return "SSPI_CONTEXT";
    case ErrorKind::SqlLoginFailed:
      return "SQL_18456";
    case ErrorKind::SqlUntrustedDomain:
      return "SQL_18452";
    case ErrorKind::NoDelegation:
      return "NO_DELEGATION";
    case ErrorKind::NoNodeInService:
      return "NO_NODE_IN_SERVICE";
    case ErrorKind::NetlogonTimeout:
      return "NETLOGON_TIMEOUT";
  }
  return "";
}

const HopOutcome* first_failed_hop(const std::vector<HopOutcome>& hops) {
  for (const auto& hop : hops) {
    if (hop.result != HopResult::Ok) return &hop;
    if (const HopOutcome* inner = first_failed_hop(hop.hops)) return inner;
  }
  return nullptr;
}

std::optional<Error> root_cause(const PathOutcome& path) {
  if (path.front.identity)
    if (const HopOutcome* hop = first_failed_hop(path.hops)) return hop->error;
  return path.front.error;
}

std::string to_string(Verdict v) {
  switch (v) {
    case Verdict::Ok:
      return "ok";
    case Verdict::Degraded:
      return "degraded";
    case Verdict::Failed:
      return "failed";
  }
  return "failed";
}

std::string to_string(Delegation d) {
  switch (d) {
    case Delegation::None:
      return "none";
    case Delegation::Unconstrained:
      return "unconstrained";
    case Delegation::Constrained:
      return "constrained";
    case Delegation::ProtocolTransition:
      return "protocol_transition";
    case Delegation::ResourceBased:
      return "resource_based";
  }
  return "none";
}

std::string to_string(HopResult r) {
  switch (r) {
    case HopResult::Ok:
      return "ok";
    case HopResult::LoginFailed:
      return "login_failed";
    case HopResult::AuthFailed:
      return "auth_failed";
    case HopResult::AccessDenied:
      return "access_denied";
  }
  return "ok";
}

std::string to_string(StepKind k) {
  switch (k) {
    case StepKind::Dns:
      return "dns";
    case StepKind::Http:
      return "http";
    case StepKind::AsExchange:
      return "as";
    case StepKind::TgsExchange:
      return "tgs";
    case StepKind::ApExchange:
      return "ap";
    case StepKind::Ntlm:
      return "ntlm";
    case StepKind::Decision:
      return "decision";
    case StepKind::Sql:
      return "sql";
  }
  return "decision";
}

namespace {

Value optional_string(const std::optional<std::string>& s) {
  if (!s) return Value();
  return Value(*s);
}

Value strings(const std::vector<std::string>& list) {
  Value out = Value::array();
  for (const auto& s : list) out.push(s);
  return out;
}

Value ticket_value(const std::optional<TicketSummary>& ticket) {
  if (!ticket) return Value();
  Value out = Value::object();
  out.set("encrypted_for", ticket->encrypted_for);
  out.set("flags", strings(ticket->flags));
  out.set("etype", ticket->etype);
  return out;
}

Value front_value(const FrontOutcome& front) {
  Value out = Value::object();
  out.set("protocol", to_string(front.protocol));
  out.set("http_status", front.http_status);
  out.set("identity", optional_string(front.identity));
  out.set("process_identity", optional_string(front.process_identity));
  out.set("ticket", ticket_value(front.ticket));
  out.set("decrypted_with", optional_string(front.decrypted_with));
  out.set("prompt", front.prompt);
  out.set("error", front.error ? Value(to_string(*front.error)) : Value());
  return out;
}

Value hops_value(const std::vector<HopOutcome>& hops) {
  Value out = Value::array();
  for (const auto& hop : hops) {
    Value h = Value::object();
    h.set("to", hop.to);
    h.set("service", hop.service);
    h.set("as", hop.as);
    h.set("protocol", to_string(hop.protocol));
    h.set("identity", optional_string(hop.identity));
    h.set("delegation", to_string(hop.delegation));
    h.set("result", to_string(hop.result));
    h.set("error", hop.error ? Value(to_string(*hop.error)) : Value());
    h.set("hops", hops_value(hop.hops));
    out.push(std::move(h));
  }
  return out;
}

Value step_value(const FixStep& step) {
  Value out = Value::object();
  out.set("host", step.host);
  out.set("needs", step.needs);
  out.set("command", step.command);
  out.set("phase", step.phase);
  out.set("guard", step.guard);
  out.set("check", step.check);
  out.set("wait", step.wait);
  out.set("why", step.why);
  return out;
}

}  // namespace

Value to_value(const Fix& fix) {
  Value out = Value::object();
  out.set("change", fix.change);
  out.set("command", fix.command);
  // Extensions: the rollout, step by step, and why no change fixes the path.
  Value steps = Value::array();
  for (const auto& step : fix.steps) steps.push(step_value(step));
  out.set("steps", std::move(steps));
  out.set("none", fix.none.empty() ? Value() : Value(fix.none));
  return out;
}

Value to_value(const Step& step) {
  Value out = Value::object();
  out.set("seq", step.seq);
  out.set("from", step.from);
  out.set("to", step.to);
  out.set("message", step.message);
  out.set("result", step.result);
  out.set("why", step.why);
  out.set("rule", step.rule);
  // Extensions (scenario-format.md allows added keys).
  out.set("kind", to_string(step.kind));
  out.set("failed", step.failed);
  out.set("details", strings(step.details));
  return out;
}

Value to_value(const PathOutcome& path) {
  Value out = Value::object();
  out.set("via", optional_string(path.via));
  out.set("spn", optional_string(path.spn));
  out.set("front", front_value(path.front));
  out.set("hops", hops_value(path.hops));
  out.set("verdict", to_string(path.verdict));
  Value steps = Value::array();
  for (const auto& step : path.steps) steps.push(to_value(step));
  out.set("steps", std::move(steps));
  Value fixes = Value::array();
  for (const auto& fix : path.fixes) fixes.push(to_value(fix));
  out.set("fixes", std::move(fixes));
  out.set("summary", path.summary);  // extension
  return out;
}

Value to_value(const FlowOutcome& flow) {
  Value out = Value::object();
  out.set("flow", flow.flow);
  out.set("client", flow.client);
  out.set("user", flow.user);
  Value paths = Value::array();
  for (const auto& path : flow.paths) paths.push(to_value(path));
  out.set("paths", std::move(paths));
  // Extensions.
  out.set("url", flow.url);
  out.set("browser", flow.browser);
  out.set("balancer", optional_string(flow.balancer));
  return out;
}

Value to_value(const TraceReport& report) {
  Value out = Value::object();
  out.set("scenario", report.scenario);
  Value flows = Value::array();
  for (const auto& flow : report.flows) flows.push(to_value(flow));
  out.set("flows", std::move(flows));
  return out;
}

}  // namespace kerbsim
