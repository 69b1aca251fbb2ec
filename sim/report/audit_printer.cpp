// `kerbsim audit` for people and for tools. Text: the findings worst first, each with its severity,
// code and subject, the message, the rule, the path that makes it dangerous and the fix, then a count
// per severity. JSON: the same, in the keys of scenarios/README.md ("kerbsim audit --format json").
#include <algorithm>

#include "kerbsim/report.h"
#include "report/text_layout.h"

namespace kerbsim {

namespace {

using layout::display_width;
using layout::kWidth;
using layout::pad_right;
using layout::Painter;
using layout::spaces;
using layout::wrap;
using layout::write_wrapped;

constexpr Severity kScale[] = {Severity::Critical, Severity::High, Severity::Medium, Severity::Low, Severity::Info};

std::string label(Severity s, const Painter& paint) {
  std::string name = to_string(s);
  switch (s) {
    case Severity::Critical:
      return paint.bold(paint.red(name));
    case Severity::High:
      return paint.red(name);
    case Severity::Medium:
      return paint.yellow(name);
    case Severity::Low:
    case Severity::Info:
      return paint.cyan(name);
  }
  return name;
}

Value strings(const std::vector<std::string>& list) {
  Value out = Value::array();
  for (const auto& s : list) out.push(s);
  return out;
}

}  // namespace

void print_audit_text(const AuditReport& report, const PrintOptions& options, std::ostream& out) {
  const Painter paint(options.color);
  if (report.findings.empty()) {
    out << "no findings\n";
    return;
  }
  for (const auto& f : report.findings) {
    const std::string head = to_string(f.severity);
    out << label(f.severity, paint) << spaces(9 - display_width(head)) << paint.bold(f.code) << "  " << f.subject
        << '\n';
    write_wrapped(out, "  ", 2, f.message + (f.rule.empty() ? "" : "  [" + f.rule + "]"));
    for (const auto& line : f.path) write_wrapped(out, "  path: ", 8, line);
    for (const auto& fix : f.fixes) print_fix_text(fix, out);
    out << '\n';
  }
  std::string counts;
  for (const Severity s : kScale) {
    const auto n = std::count_if(report.findings.begin(), report.findings.end(),
                                 [&](const Finding& f) { return f.severity == s; });
    if (n) counts += (counts.empty() ? "" : ", ") + std::to_string(n) + " " + to_string(s);
  }
  const auto total = report.findings.size();
  out << total << (total == 1 ? " finding: " : " findings: ") << counts << '\n';
}

void print_audit_json(const AuditReport& report, std::ostream& out) {
  Value doc = Value::object();
  doc.set("scenario", report.scenario);
  Value counts = Value::object();
  for (const Severity s : kScale)
    counts.set(to_string(s),
               static_cast<std::int64_t>(std::count_if(report.findings.begin(), report.findings.end(),
                                                       [&](const Finding& f) { return f.severity == s; })));
  doc.set("counts", std::move(counts));
  Value findings = Value::array();
  for (const auto& f : report.findings) {
    Value item = Value::object();
    item.set("severity", to_string(f.severity));
    item.set("code", f.code);
    item.set("subject", f.subject);
    item.set("accounts", strings(f.accounts));
    item.set("spns", strings(f.spns));
    item.set("hosts", strings(f.hosts));
    item.set("message", f.message);
    item.set("rule", f.rule);
    item.set("path", strings(f.path));
    Value fixes = Value::array();
    for (const auto& fix : f.fixes) fixes.push(to_value(fix));
    item.set("fixes", std::move(fixes));
    findings.push(std::move(item));
  }
  doc.set("findings", std::move(findings));
  out << doc.dump(2) << '\n';
}

}  // namespace kerbsim
