#include "analysis/outcome_diff.h"

#include <algorithm>

namespace kerbsim::analysis {
namespace {

int rank(Verdict v) { return v == Verdict::Ok ? 2 : v == Verdict::Degraded ? 1 : 0; }

// Worse outranks better, which outranks a change: a review must see the regression first.
Direction combine(Direction a, Direction b) {
  const auto weight = [](Direction d) {
    return d == Direction::Worse ? 3 : d == Direction::Better ? 2 : d == Direction::Changed ? 1 : 0;
  };
  return weight(a) >= weight(b) ? a : b;
}

Value value(const Value* v) { return v ? *v : Value(); }

void compare(const Value& x, const Value& y, const char* key, const std::string& prefix,
             std::vector<FieldChange>& out) {
  Value before = value(x.find(key));
  Value after = value(y.find(key));
  if (before != after) out.push_back({prefix + key, std::move(before), std::move(after)});
}

const Value::Array& hops_of(const Value& v) {
  static const Value::Array kNone;
  const Value* h = v.find("hops");
  return h && h->is_array() ? h->as_array() : kNone;
}

// Hops in call order; one present on one side only is reported by its target.
void compare_hops(const Value& x, const Value& y, const std::string& prefix, std::vector<FieldChange>& out) {
  const auto& hx = hops_of(x);
  const auto& hy = hops_of(y);
  for (std::size_t i = 0; i < std::max(hx.size(), hy.size()); ++i) {
    const std::string at = prefix + "hops/" + std::to_string(i);
    if (i >= hx.size() || i >= hy.size()) {
      out.push_back(
          {at, i < hx.size() ? value(hx[i].find("to")) : Value(), i < hy.size() ? value(hy[i].find("to")) : Value()});
      continue;
    }
    for (const char* key : {"to", "service", "as", "protocol", "identity", "delegation", "result", "error"})
      compare(hx[i], hy[i], key, at + "/", out);
    compare_hops(hx[i], hy[i], at + "/", out);
  }
}

PathDiff path_diff(const PathOutcome* x, const PathOutcome* y) {
  PathDiff d;
  if (x) {
    d.via = x->via;
    d.before = x->verdict;
  }
  if (y) {
    d.via = y->via;
    d.after = y->verdict;
  }
  if (!x || !y) {
    d.direction = Direction::Changed;
    return d;
  }
  const Value vx = to_value(*x);
  const Value vy = to_value(*y);
  compare(vx, vy, "verdict", "", d.fields);
  compare(vx, vy, "spn", "", d.fields);
  const Value* fx = vx.find("front");
  const Value* fy = vy.find("front");
  if (fx && fy)
    for (const char* key :
         {"protocol", "http_status", "identity", "process_identity", "decrypted_with", "prompt", "error"})
      compare(*fx, *fy, key, "front.", d.fields);
  compare_hops(vx, vy, "", d.fields);
  if (rank(y->verdict) > rank(x->verdict))
    d.direction = Direction::Better;
  else if (rank(y->verdict) < rank(x->verdict))
    d.direction = Direction::Worse;
  else
    d.direction = d.fields.empty() ? Direction::Same : Direction::Changed;
  return d;
}

const FlowOutcome* find_flow(const TraceReport& r, const std::string& name) {
  for (const auto& f : r.flows)
    if (f.flow == name) return &f;
  return nullptr;
}

const PathOutcome* find_path(const FlowOutcome& f, const std::optional<std::string>& via, std::size_t index) {
  if (!via) return index < f.paths.size() && !f.paths[index].via ? &f.paths[index] : nullptr;
  for (const auto& p : f.paths)
    if (p.via == via) return &p;
  return nullptr;
}

FlowDiff flow_diff(const FlowOutcome& x, const FlowOutcome& y) {
  FlowDiff d;
  d.flow = y.flow;
  for (std::size_t i = 0; i < y.paths.size(); ++i) {
    const PathOutcome& py = y.paths[i];
    d.paths.push_back(path_diff(find_path(x, py.via, i), &py));
  }
  for (std::size_t i = 0; i < x.paths.size(); ++i)
    if (!find_path(y, x.paths[i].via, i)) d.paths.push_back(path_diff(&x.paths[i], nullptr));
  for (const auto& p : d.paths) d.direction = combine(d.direction, p.direction);
  return d;
}

FlowDiff one_side(const FlowOutcome& f, bool before) {
  FlowDiff d;
  d.flow = f.flow;
  d.in_before = before;
  d.in_after = !before;
  d.direction = Direction::Changed;
  for (const auto& p : f.paths) d.paths.push_back(before ? path_diff(&p, nullptr) : path_diff(nullptr, &p));
  return d;
}

void metric(std::vector<MetricDiff>& out, std::string name, std::string node, double before, double after,
            int worse_sign) {
  MetricDiff m{std::move(name), std::move(node), before, after, Direction::Same};
  if (before != after) {
    const int sign = after > before ? 1 : -1;
    m.direction = worse_sign == 0 ? Direction::Changed : sign == worse_sign ? Direction::Worse : Direction::Better;
  }
  out.push_back(std::move(m));
}

template <typename T, typename Name>
const T* by_name(const std::vector<T>& items, const std::string& name, Name name_of) {
  for (const auto& x : items)
    if (name_of(x) == name) return &x;
  return nullptr;
}

}  // namespace

std::vector<FlowDiff> outcome_diff(const TraceReport& before, const TraceReport& after) {
  std::vector<FlowDiff> out;
  for (const auto& y : after.flows) {
    const FlowOutcome* x = find_flow(before, y.flow);
    out.push_back(x ? flow_diff(*x, y) : one_side(y, false));
  }
  for (const auto& x : before.flows)
    if (!find_flow(after, x.flow)) out.push_back(one_side(x, true));
  return out;
}

std::vector<MetricDiff> metrics_diff(const SimulationReport& a, const SimulationReport& b) {
  std::vector<MetricDiff> out;
  const auto fraction = [](std::uint64_t part, std::uint64_t whole) {
    return whole ? static_cast<double>(part) / static_cast<double>(whole) : 0.0;
  };
  metric(out, "failed_fraction", "", a.requests.failure_fraction(), b.requests.failure_fraction(), 1);
  metric(out, "degraded_fraction", "", fraction(a.requests.degraded, a.requests.requests),
         fraction(b.requests.degraded, b.requests.requests), 1);
  metric(out, "users_never_failing", "", static_cast<double>(a.user_spread.never_failing),
         static_cast<double>(b.user_spread.never_failing), -1);
  metric(out, "users_sometimes_failing", "", static_cast<double>(a.user_spread.sometimes_failing),
         static_cast<double>(b.user_spread.sometimes_failing), 1);
  metric(out, "users_always_failing", "", static_cast<double>(a.user_spread.always_failing),
         static_cast<double>(b.user_spread.always_failing), 1);
  const auto node_name = [](const NodeLoad& n) { return n.node; };
  const NodeLoad none_node;
  for (const auto& y : b.nodes) {
    const NodeLoad* x = by_name(a.nodes, y.node, node_name);
    const NodeLoad& nx = x ? *x : none_node;
    metric(out, "failed_fraction", y.node, nx.requests.failure_fraction(), y.requests.failure_fraction(), 1);
    metric(out, "netlogon_calls", y.node, static_cast<double>(nx.netlogon_calls), static_cast<double>(y.netlogon_calls),
           0);
    metric(out, "netlogon_timeouts", y.node, static_cast<double>(nx.netlogon_timeouts),
           static_cast<double>(y.netlogon_timeouts), 1);
  }
  const auto dc_name = [](const DcLoad& d) { return d.dc; };
  const DcLoad none_dc;
  for (const auto& y : b.dcs) {
    const DcLoad* x = by_name(a.dcs, y.dc, dc_name);
    const DcLoad& dx = x ? *x : none_dc;
    const auto kdc = [](const DcLoad& d) {
      return static_cast<double>(d.as_requests + d.tgs_requests + d.s4u_requests);
    };
    metric(out, "kdc_requests", y.dc, kdc(dx), kdc(y), 0);
    metric(out, "kdc_peak_per_s", y.dc, static_cast<double>(dx.peak_per_s), static_cast<double>(y.peak_per_s), 0);
    metric(out, "ntlm_validations", y.dc, static_cast<double>(dx.ntlm_validations),
           static_cast<double>(y.ntlm_validations), 0);
  }
  return out;
}

}  // namespace kerbsim::analysis

namespace kerbsim {

std::string to_string(Direction d) {
  switch (d) {
    case Direction::Same:
      return "same";
    case Direction::Better:
      return "better";
    case Direction::Worse:
      return "worse";
    case Direction::Changed:
      return "changed";
  }
  return "";
}

bool DiffReport::worse() const {
  const auto worse = [](const auto& x) { return x.direction == Direction::Worse; };
  return std::any_of(flows.begin(), flows.end(), worse) || std::any_of(metrics.begin(), metrics.end(), worse);
}

bool DiffReport::outcome_changed() const {
  const auto changed = [](const auto& x) { return x.direction != Direction::Same; };
  return std::any_of(flows.begin(), flows.end(), changed) || std::any_of(metrics.begin(), metrics.end(), changed);
}

}  // namespace kerbsim
