// Reads "flows" and "expect": the requests a scenario traces, and what it expects of them: a partial
// traced outcome (keys and values as `kerbsim trace --format json` writes them) or a simulation metric.
#include <algorithm>
#include <optional>

#include "scenario/reader.h"
#include "workload/workload.h"

namespace kerbsim::scenario {

namespace {

const Kind kFlow{"a flow", "in a flow", {"name", "client", "url"}, {"name", "client", "url"}};
const Kind kExpectation{"an expectation", "in an expectation", {"flow", "via", "outcome", "simulation"}, {}};
const Kind kSimulation{"a simulation expectation",
                       "in a simulation expectation",
                       {"metric", "node", "flow", "from", "until", "min", "max"},
                       {"metric"}};
const Kind kOutcome{"an outcome", "in an outcome", {"via", "spn", "front", "hops", "verdict", "steps", "fixes"}, {}};
const Kind kFront{
    "an outcome's front",
    "in an outcome's front",
    {"protocol", "http_status", "identity", "process_identity", "ticket", "decrypted_with", "prompt", "error"},
    {}};
const Kind kTicket{"a ticket", "in a ticket", {"encrypted_for", "flags", "etype"}, {}};
const Kind kHop{
    "a hop", "in a hop", {"to", "service", "as", "protocol", "identity", "delegation", "result", "error", "hops"}, {}};
const Kind kStep{"a step", "in a step", {"seq", "from", "to", "message", "result", "why", "rule"}, {}};
const Kind kFix{"a fix", "in a fix", {"change", "command"}, {}};

const Strings kVerdicts = {"ok", "degraded", "failed"};
const Strings kFrontProtocols = {"kerberos", "ntlm", "basic", "anonymous", "none"};
const Strings kHopProtocols = {"kerberos", "ntlm", "anonymous", "none"};
const Strings kDelegations = {"none", "unconstrained", "constrained", "protocol_transition", "resource_based"};
const Strings kHopResults = {"ok", "login_failed", "auth_failed", "access_denied"};

}  // namespace

std::optional<spec::Flow> Reader::flow(const JsonNode& n) {
  if (!object(n, kFlow)) return std::nullopt;
  spec::Flow f;
  f.at = n.path;
  nonempty_text(n.find("name"), f.name);
  nonempty_text(n.find("client"), f.client);
  checked(n.find("url"), f.url, [](std::string_view v) { return check_url(v, UrlUse::flow).error; });
  return f;
}

std::optional<spec::Expectation> Reader::expectation(const JsonNode& n) {
  if (!object(n, kExpectation)) return std::nullopt;
  spec::Expectation e;
  e.at = n.path;
  if (const auto* sim = n.find("simulation")) {
    for (const char* key : {"flow", "via", "outcome"})
      if (const auto* other = n.find(key))
        r_.at(*other, "an expectation has either \"simulation\" or \"flow\" and \"outcome\", not both");
    if (object(*sim, kSimulation)) e.simulation = simulation_expectation(*sim);
    return e;
  }
  if (!n.find("flow"))
    r_.at(n, "an expectation needs \"flow\" and \"outcome\" (or \"simulation\")");
  else if (!n.find("outcome"))
    r_.at(n, "an expectation needs \"outcome\"");
  nonempty_text(n.find("flow"), e.flow);
  nonempty_text(n.find("via"), e.via);
  if (const auto* o = n.find("outcome"); o && object(*o, kOutcome)) {
    outcome(*o);
    e.outcome = to_value(*o);
  }
  return e;
}

spec::SimulationExpectation Reader::simulation_expectation(const JsonNode& n) {
  spec::SimulationExpectation e;
  e.at = n.path;
  choice(n.find("metric"), e.metric, workload::metric_names());
  nonempty_text(n.find("node"), e.node);
  nonempty_text(n.find("flow"), e.flow);
  duration(n.find("from"), e.from, {false, true});
  spec::Seconds until = 0;
  if (duration(n.find("until"), until, {false, false})) e.until = until;
  for (const char* key : {"min", "max"})
    if (const auto* b = n.find(key)) {
      if (b->kind != JsonKind::integer && b->kind != JsonKind::number) {
        wrong_type(*b, "a number");
        continue;
      }
      (std::string(key) == "min" ? e.min : e.max) =
          b->kind == JsonKind::integer ? static_cast<double>(b->integer) : b->number;
    }
  if (!n.find("min") && !n.find("max")) r_.at(n, "a simulation expectation needs \"min\", \"max\" or both");
  if (e.min && e.max && *e.min > *e.max) r_.at(n, "\"min\" is greater than \"max\"");
  if (e.until && e.from >= *e.until) r_.at(n, "\"from\" must come before \"until\"");
  const auto metric = workload::metric_by_name(e.metric);
  const bool load_metric = metric && workload::counts_load(*metric);
  if (load_metric && n.find("flow"))
    r_.at(*n.find("flow"), "\"flow\" does not apply to " + e.metric +
                               ": KDC and Netlogon load is counted per DC and per server, for every flow");
  return e;
}

// A partial traced outcome: keys and enum values as `kerbsim trace --format json` writes them.
void Reader::outcome(const JsonNode& root) {
  std::string via;
  text(root.find("via"), via);
  nullable_text(root.find("spn"));
  valid_choice(root.find("verdict"), kVerdicts);
  if (const auto* f = root.find("front"); f && object(*f, kFront)) {
    valid_choice(f->find("protocol"), kFrontProtocols);
    int status = 0;
    whole(f->find("http_status"), status, 100, 599);
    for (const char* key : {"identity", "process_identity", "decrypted_with", "error"}) nullable_text(f->find(key));
    bool prompt = false;
    flag(f->find("prompt"), prompt);
    if (const auto* t = f->find("ticket"); t && t->kind != JsonKind::null && object(*t, kTicket)) {
      nullable_text(t->find("encrypted_for"));
      std::vector<std::string> flags;
      texts(t->find("flags"), flags, {}, false);
      valid_choice(t->find("etype"), kEnctypes);
    }
  }
  for (const auto* s : items(root.find("steps"))) {
    if (!object(*s, kStep)) continue;
    int seq = 0;
    whole(s->find("seq"), seq, 1);
    for (const char* key : {"from", "to", "message", "result", "why", "rule"}) nullable_text(s->find(key));
  }
  for (const auto* f : items(root.find("fixes")))
    if (object(*f, kFix))
      for (const char* key : {"change", "command"}) nullable_text(f->find(key));
  std::vector<const JsonNode*> pending = items(root.find("hops"));
  while (!pending.empty()) {
    const JsonNode* h = pending.back();
    pending.pop_back();
    if (!object(*h, kHop)) continue;
    for (const char* key : {"to", "service", "as", "identity", "error"}) nullable_text(h->find(key));
    valid_choice(h->find("protocol"), kHopProtocols);
    valid_choice(h->find("delegation"), kDelegations);
    valid_choice(h->find("result"), kHopResults);
    for (const auto* child : items(h->find("hops"))) pending.push_back(child);
  }
}

}  // namespace kerbsim::scenario
