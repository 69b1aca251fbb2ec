// `kerbsim diff` printers: the changes that turn A into B, the outcome per flow, path and hop, and the
// simulation metrics side by side. They lay out what the diff decided (better, worse); commands are
// printed whole, one to a line.
#include <cstdio>
#include <string>

#include "kerbsim/report.h"
#include "report/text_layout.h"

namespace kerbsim {
namespace {

Value text_or_null(const std::string& s) { return s.empty() ? Value() : Value(s); }

std::string shown(const Value& v) { return v.is_null() ? "null" : v.is_string() ? v.as_string() : v.dump(); }

std::string number(double v) {
  char buffer[32];
  if (v == static_cast<double>(static_cast<long long>(v)) && v < 1e15 && v > -1e15)
    std::snprintf(buffer, sizeof buffer, "%lld", static_cast<long long>(v));
  else
    std::snprintf(buffer, sizeof buffer, "%.4f", v);
  return buffer;
}

std::string verdict_text(const std::optional<Verdict>& v) { return v ? to_string(*v) : "(none)"; }

std::string direction_text(const layout::Painter& paint, Direction d) {
  switch (d) {
    case Direction::Worse:
      return paint.red("worse");
    case Direction::Better:
      return paint.green("better");
    case Direction::Changed:
      return paint.yellow("changed");
    case Direction::Same:
      break;
  }
  return paint.dim("same");
}

}  // namespace

Value to_value(const DiffReport& r) {
  Value doc = Value::object();
  doc.set("before", r.before);
  doc.set("after", r.after);
  Value changes = Value::array();
  for (const auto& c : r.changes) {
    Value item = Value::object();
    item.set("action", c.action);
    item.set("change", c.change);
    if (c.keys.is_object())
      for (const auto& [key, v] : c.keys.as_object()) item.set(key, v);
    changes.push(std::move(item));
  }
  doc.set("changes", std::move(changes));
  Value steps = Value::array();
  for (const auto& s : r.steps) {
    Value item = Value::object();
    item.set("host", text_or_null(s.host));
    item.set("needs", text_or_null(s.needs));
    item.set("command", text_or_null(s.command));
    item.set("phase", text_or_null(s.phase));
    item.set("wait", text_or_null(s.wait));
    steps.push(std::move(item));
  }
  doc.set("steps", std::move(steps));
  Value other = Value::array();
  for (const auto& d : r.other) {
    Value item = Value::object();
    item.set("subject", d.subject);
    item.set("object", d.object);
    item.set("field", text_or_null(d.field));
    item.set("before", text_or_null(d.before));
    item.set("after", text_or_null(d.after));
    other.push(std::move(item));
  }
  doc.set("other", std::move(other));
  Value flows = Value::array();
  for (const auto& f : r.flows) {
    Value flow = Value::object();
    flow.set("flow", f.flow);
    flow.set("presence", f.in_before && f.in_after ? "both" : f.in_after ? "added" : "removed");
    flow.set("direction", to_string(f.direction));
    Value paths = Value::array();
    for (const auto& p : f.paths) {
      Value path = Value::object();
      path.set("via", p.via ? Value(*p.via) : Value());
      path.set("before", p.before ? Value(to_string(*p.before)) : Value());
      path.set("after", p.after ? Value(to_string(*p.after)) : Value());
      path.set("direction", to_string(p.direction));
      Value fields = Value::array();
      for (const auto& c : p.fields) {
        Value item = Value::object();
        item.set("field", c.field);
        item.set("before", c.before);
        item.set("after", c.after);
        fields.push(std::move(item));
      }
      path.set("fields", std::move(fields));
      paths.push(std::move(path));
    }
    flow.set("paths", std::move(paths));
    flows.push(std::move(flow));
  }
  doc.set("flows", std::move(flows));
  doc.set("simulated", r.simulated);
  Value metrics = Value::array();
  for (const auto& m : r.metrics) {
    Value item = Value::object();
    item.set("metric", m.metric);
    item.set("node", text_or_null(m.node));
    item.set("before", m.before);
    item.set("after", m.after);
    item.set("direction", to_string(m.direction));
    metrics.push(std::move(item));
  }
  doc.set("metrics", std::move(metrics));
  doc.set("worse", r.worse());
  doc.set("outcome_changed", r.outcome_changed());
  return doc;
}

void print_diff_json(const DiffReport& report, std::ostream& out) { out << to_value(report).dump(2) << '\n'; }

void print_diff_text(const DiffReport& r, const PrintOptions& options, std::ostream& out) {
  const layout::Painter paint(options.color);
  out << paint.bold("kerbsim diff: " + r.before + " → " + r.after) << "\n\n";

  out << paint.bold("Environment") << ": ";
  if (r.changes.empty() && r.other.empty()) out << "no change\n";
  if (!r.changes.empty()) {
    out << r.changes.size() << (r.changes.size() == 1 ? " change\n" : " changes\n");
    for (std::size_t i = 0; i < r.changes.size(); ++i) out << "  " << i + 1 << ". " << r.changes[i].change << "\n";
  }
  if (!r.other.empty()) {
    out << (r.changes.empty() ? "" : "  ") << r.other.size() << (r.other.size() == 1 ? " difference" : " differences")
        << " no change expresses:\n";
    for (const auto& d : r.other)
      out << "  - " << d.subject << " " << d.object << (d.field.empty() ? "" : " " + d.field) << ": "
          << (d.before.empty() ? "(none)" : d.before) << " → " << (d.after.empty() ? "(none)" : d.after) << "\n";
  }
  // Commands are printed whole, each on its own line, never wrapped; a wait on a line of its own.
  if (!r.steps.empty()) {
    out << "\n" << paint.bold("Commands") << ", in this order:\n";
    std::string where;
    for (const auto& s : r.steps) {
      const std::string here = "# on " + (s.host.empty() ? std::string("any domain member") : s.host) +
                               (s.needs.empty() ? "" : ", needs " + s.needs);
      if (here != where) out << "  " << paint.dim(here) << "\n";
      where = here;
      if (!s.command.empty()) out << "  " << s.command << "\n";
      if (!s.wait.empty()) out << "  " << paint.dim("# then wait " + s.wait + " before the next step") << "\n";
    }
  }

  out << "\n" << paint.bold("Outcome") << ":\n";
  if (r.flows.empty()) out << "  no flows\n";
  for (const auto& f : r.flows) {
    out << "  " << f.flow;
    if (!f.in_before) out << " (added)";
    if (!f.in_after) out << " (removed)";
    out << ": " << direction_text(paint, f.direction) << "\n";
    for (const auto& p : f.paths) {
      out << "    " << (p.via ? "via " + *p.via : std::string("path")) << ": " << verdict_text(p.before) << " → "
          << verdict_text(p.after) << " (" << direction_text(paint, p.direction) << ")\n";
      for (const auto& c : p.fields)
        out << "      " << c.field << ": " << shown(c.before) << " → " << shown(c.after) << "\n";
    }
  }

  if (r.simulated) {
    out << "\n" << paint.bold("Simulation") << ":\n";
    int width = 6;
    for (const auto& m : r.metrics)
      width = std::max(width, layout::display_width(m.metric + (m.node.empty() ? "" : " " + m.node)));
    out << "  " << layout::pad_right("metric", width) << "  " << layout::pad_left(r.before, 14) << "  "
        << layout::pad_left(r.after, 14) << "\n";
    for (const auto& m : r.metrics)
      out << "  " << layout::pad_right(m.metric + (m.node.empty() ? "" : " " + m.node), width) << "  "
          << layout::pad_left(number(m.before), 14) << "  " << layout::pad_left(number(m.after), 14) << "  "
          << direction_text(paint, m.direction) << "\n";
  }

  out << "\n";
  if (r.worse())
    out << paint.red("Something got worse.") << "\n";
  else if (r.outcome_changed())
    out << "Nothing got worse.\n";
  else
    out << "The outcome is the same.\n";
}

}  // namespace kerbsim
