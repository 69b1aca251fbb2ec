// The tracer's flow-level entry points: resolve a flow's URL, trace one path per balancer member
// (or the dead end when nothing answers), and run one path in order: DNS, the balancer, then the
// legs of path_tracer.h, the hops behind the front end and the verdict.
#include "flow/tracer.h"

#include "flow/path_tracer.h"

#include <utility>

#include "directory/names.h"
#include "farm/resolver.h"
#include "net/url.h"

namespace kerbsim::flow {

using net::AuthScheme;

std::string PathTracer::user_domain() const {
  const auto* d = env_.directory.domain_of(user());
  return d ? d->dns : "";
}

// The calls behind the front end (kerberos-rules sections 3-4).
void PathTracer::trace_hops() {
  if (!service_ || service_->calls.empty()) return;
  CallerContext caller;
  if (attempt_.protocol == Protocol::Anonymous) {
    caller.anonymous_identity = out_.front.identity.value_or("");
  } else {
    caller.user = user();
  }
  caller.protocol = attempt_.protocol;
  caller.evidence = front_ticket_;
  caller.forwarded_tgt = forwarded_tgt_;
  StepLog log(out_.steps);
  out_.hops = trace_calls(env_, farm_state_, *service_, caller, log);
}

PathOutcome PathTracer::run() {
  if (lb_) out_.via = node_.name;

  // DNS (iis-rules 4.4, 4.8): every path repeats it so that each reads on its own.
  if (!url_.host_is_ip()) {
    std::string result = dns_.cnames.empty() ? "A " + dns_.ip : "CNAME ";
    if (!dns_.cnames.empty()) {
      for (std::size_t i = 0; i < dns_.cnames.size(); ++i) result += (i ? " → " : "") + dns_.cnames[i];
      result += ", A " + dns_.ip;
    }
    add(StepKind::Dns, client_.name, "dns", "A? " + dns_.queried, result, dns_.why,
        dns_.cnames.empty() ? "iis-rules 4.8" : "iis-rules 5.5");
  }
  if (lb_) {
    std::string algo;
    switch (lb_->algorithm) {
      case net::LbAlgorithm::RoundRobin:
        algo = "round robin";
        break;
      case net::LbAlgorithm::LeastConnections:
        algo = "least connections";
        break;
      case net::LbAlgorithm::SourceIpHash:
        algo = "source-IP hash";
        break;
      case net::LbAlgorithm::Random:
        algo = "random";
        break;
    }
    add(StepKind::Decision, lb_->name, lb_->name, "connection to " + lb_->vip, "forwarded to " + node_.name,
        "the balancer picks a member by " + algo + "; this path follows " + node_.name +
            ", and the client cannot tell which node answered",
        "iis-rules 5.1");
  }
  if (url_.scheme == "mssql") {
    sql_login();
    if (attempt_.authenticated) trace_hops();
    finish();
    return out_;
  }
  if (!find_endpoint()) {
    finish();
    return out_;
  }

  std::vector<AuthScheme> offered;
  if (anonymous_leg(offered)) {
    const net::LogonDecision logon = net::decide_logon(policy(), url_);
    logon_ = logon;
    Step& asked = add(StepKind::Decision, client_.name, client_.name, "log on silently?",
                      logon.automatic ? "yes, with " + user() : "no: credential prompt", logon.why, logon.rule);
    if (!logon.automatic) {
      out_.front.prompt = true;
      asked.action = StepAction::CredentialPrompt;
    }
    const net::SchemeDecision scheme = net::choose_scheme(policy(), offered, logon);
    Step& s = add(StepKind::Decision, client_.name, client_.name, "choose a scheme",
                  scheme.scheme ? net::scheme_name(*scheme.scheme) : "none", scheme.why, scheme.rule);
    if (scheme.scheme && *scheme.scheme != AuthScheme::Negotiate && *scheme.scheme != AuthScheme::Kerberos)
      s.action = StepAction::WeakerScheme;
    if (!scheme.scheme) {
      s.failed = true;
      attempt_.http_status = 401;
      fail_root(Error{ErrorKind::NoCommonAuthScheme});
    } else if (*scheme.scheme == AuthScheme::Negotiate) {
      negotiate();
    } else if (*scheme.scheme == AuthScheme::Ntlm) {
      ntlm(false);
    } else if (*scheme.scheme == AuthScheme::Basic) {
      basic();
    }
    if (attempt_.authenticated) authorize_user();
    if (attempt_.authenticated) trace_hops();
  } else if (attempt_.authenticated && attempt_.protocol == Protocol::Anonymous) {
    trace_hops();  // served anonymously: the application's calls still run (iis-rules 1.12, 3.12)
  }
  finish();
  return out_;
}

namespace {

using directory::iequals;

// Where the flow's URL leads, as its client resolves it.
struct Resolution {
  const farm::Host* client = nullptr;
  farm::UrlTarget target;
};

Resolution resolve(const farm::Environment& env, const farm::FlowSpec& flow) {
  Resolution r;
  r.client = env.host(flow.client);
  if (!r.client || !r.client->client) return r;  // the loader guarantees a client
  r.target = farm::resolve_url(env, flow.url, r.client->domain);
  return r;
}

// The path of a request that reaches no web server: the name does not resolve, or nothing answers.
PathOutcome dead_end(const Resolution& res) {
  const farm::UrlTarget& r = res.target;
  PathOutcome p;
  Step s;
  s.seq = 1;
  s.from = res.client->name;
  s.failed = true;
  if (!r.dns.found) {
    s.kind = StepKind::Dns;
    s.to = "dns";
    s.message = "A? " + r.dns.queried;
    s.result = "NXDOMAIN";
    s.why = r.dns.why;
    s.rule = "iis-rules 4.4";
    p.front.error = Error{ErrorKind::DnsNameNotFound};
    p.summary = "the name " + r.url->host + " does not resolve";
  } else {
    s.kind = StepKind::Http;
    s.to = r.ip;
    s.message = "connect to " + r.ip + ":" + std::to_string(r.url->port);
    s.result = "no answer";
    s.why = "no host or load balancer in the scenario has the address " + r.ip;
    s.rule = "iis-rules 5.1";
    p.front.error = Error{ErrorKind::HostUnreachable};
    p.summary = "nothing answers at " + r.ip;
  }
  p.steps.push_back(s);
  p.verdict = Verdict::Failed;
  return p;
}

FlowTarget target_of(const Resolution& r) {
  FlowTarget t;
  if (!r.client || !r.client->client || !r.target.url || !r.target.dns.found) return t;
  t.balancer = r.target.balancer;
  t.nodes = r.target.nodes;
  return t;
}

const ClientState kFreshClient{};
const farm::FarmState kFarmAsConfigured{};

FlowOutcome trace_flow(const farm::Environment& env, const farm::FlowSpec& flow, const TraceOptions& options) {
  FlowOutcome fo;
  fo.flow = flow.name;
  fo.client = flow.client;
  fo.url = flow.url;
  const Resolution r = resolve(env, flow);
  if (!r.client || !r.client->client || !r.target.url) return fo;
  fo.user = r.client->client->user;
  fo.browser = net::browser_name(r.client->client->policy.browser);
  const FlowTarget target = target_of(r);
  if (target.balancer) fo.balancer = target.balancer->name;
  if (target.nodes.empty() && !target.balancer) {
    fo.paths.push_back(dead_end(r));
    return fo;
  }
  for (const farm::Host* node : target.nodes) {
    if (target.balancer && !options.via.empty() && !iequals(options.via, node->name)) continue;
    PathTracer tracer(env, *r.client, *r.target.url, r.target.dns, *node, target.balancer, kFreshClient,
                      kFarmAsConfigured, nullptr);
    fo.paths.push_back(tracer.run());
  }
  return fo;
}

}  // namespace

TraceReport trace(const farm::Environment& env, const TraceOptions& options) {
  TraceReport report;
  report.scenario = env.name;
  report.title = env.title;
  for (const auto& flow : env.flows) {
    if (!options.flow.empty() && flow.name != options.flow) continue;
    report.flows.push_back(trace_flow(env, flow, options));
  }
  return report;
}

FlowTarget flow_target(const farm::Environment& env, const farm::FlowSpec& flow) {
  return target_of(resolve(env, flow));
}

PathOutcome trace_path(const farm::Environment& env, const farm::FlowSpec& flow, const std::string& node,
                       const ClientState& client, const farm::FarmState& hosts, ClientGains* gains) {
  const Resolution r = resolve(env, flow);
  if (!r.client || !r.client->client || !r.target.url) return {};
  const FlowTarget target = target_of(r);
  for (const farm::Host* n : target.nodes)
    if (iequals(n->name, node)) {
      PathTracer tracer(env, *r.client, *r.target.url, r.target.dns, *n, target.balancer, client, hosts, gains);
      return tracer.run();
    }
  return dead_end(r);
}

}  // namespace kerbsim::flow
