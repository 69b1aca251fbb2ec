// The fix script: the verified fixes of a trace as one PowerShell script an admin runs section by
// section, each section on one machine, in rollout order (`.\fix.ps1 -Section 1` on dc1, then
// `-Section 2` on web1, ...), and `.\fix.ps1 -Check` on each machine at the end, by the name it is
// saved under. Every step runs only while its guard says it is still needed, so a section can be run
// again after a stop or a failure.
#include <algorithm>
#include <cctype>
#include <ostream>
#include <set>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "kerbsim/report.h"

namespace kerbsim {
namespace {

constexpr std::size_t kSplatOver = 100;  // a cmdlet longer than this is splatted
constexpr const char* kIndent = "    ";

std::string quote(const std::string& s) {
  std::string out = "'";
  for (const char c : s) out += c == '\'' ? std::string("''") : std::string(1, c);
  return out + "'";
}

// Comment text on one line: a line break would end a line comment, and "#>" the block comment.
std::string comment(const std::string& s) {
  std::string out = s;
  std::replace(out.begin(), out.end(), '\n', ' ');
  for (auto i = out.find("#>"); i != std::string::npos; i = out.find("#>", i)) out.replace(i, 2, "# >");
  return out;
}

bool uses(const FixStep& s, const std::string& word) {
  return s.command.find(word) != std::string::npos || s.guard.find(word) != std::string::npos ||
         s.check.find(word) != std::string::npos || s.ready.find(word) != std::string::npos;
}

// Consecutive steps on one machine: what an admin runs there before moving to the next machine.
struct Section {
  std::string host;
  std::vector<const FixStep*> steps;
};

std::vector<Section> sections_of(const std::vector<const FixStep*>& steps) {
  std::vector<Section> out;
  for (const auto* s : steps) {
    if (out.empty() || out.back().host != s->host) out.push_back({s->host, {}});
    out.back().steps.push_back(s);
  }
  return out;
}

std::string machine(const std::string& host) { return host.empty() ? "any domain member" : host; }

// What a section needs loaded before its first step: the AD module where AD cmdlets run (a DC has it;
// a node gets it from its own Install-WindowsFeature step and loads it on first use), and appcmd, which
// is not on the PATH.
void print_prelude(const std::vector<const FixStep*>& steps, bool directory_host, const std::string& indent,
                   std::ostream& out) {
  bool ad = false, appcmd = false;
  for (const auto* s : steps) {
    ad |= uses(*s, "-AD") || uses(*s, "ADServiceAccount") || uses(*s, "ADAccount");
    appcmd |= uses(*s, "appcmd ");
  }
  if (ad && directory_host) out << indent << "Import-Module ActiveDirectory\n";
  if (appcmd) out << indent << "Set-Alias -Name appcmd -Value \"$env:windir\\system32\\inetsrv\\appcmd.exe\"\n";
}

bool directory_section(const std::vector<const FixStep*>& steps) {
  for (const auto* s : steps)
    if (uses(*s, "Install-WindowsFeature")) return false;
  return true;
}

void print_command(const FixStep& s, const std::string& indent, std::ostream& out) {
  if (!s.arguments.empty()) {
    // A native program's failure does not stop a script: its exit code is checked.
    out << indent << s.command << "\n"
        << indent << "if ($LASTEXITCODE -ne 0) { throw \"" << s.program << " failed (exit $LASTEXITCODE)\" }\n";
    return;
  }
  if (s.parameters.empty() || s.command.size() <= kSplatOver) {
    out << indent << s.command << "\n";
    return;
  }
  out << indent << "$params = @{\n";
  for (const auto& p : s.parameters)
    out << indent << kIndent << p.name << " = " << (p.value.empty() ? "$true" : p.value) << "\n";
  out << indent << "}\n" << indent << s.program << " @params\n";
}

void print_step(const FixStep& s, int number, const std::string& again, const std::string& next, std::ostream& out) {
  const std::string in = kIndent;
  out << in << "# " << number << ". " << comment(s.why) << "\n";
  out << in << "#    needs " << comment(s.needs) << "\n";
  if (!s.command.empty()) {
    if (s.guard.empty()) {
      print_command(s, in, out);
    } else {
      out << in << "if (" << s.guard << ") {\n";
      print_command(s, in + kIndent, out);
      out << in << "}\n";
    }
  }
  if (s.wait.empty()) return;
  // With something to query the section can be run again (the stop passes once the wait is over);
  // without, it would stop again, so the admin goes on with the next section.
  const std::string message = "Wait " + s.wait + " (see step " + std::to_string(number) + "), then run " +
                              (s.ready.empty() ? next : again) + ".";
  if (s.ready.empty()) {
    out << in << "Write-Warning " << quote(message) << "\n" << in << "return\n";
    return;
  }
  out << in << "if (-not (" << s.ready << ")) {\n"
      << in << kIndent << "Write-Warning " << quote(message) << "\n"
      << in << kIndent << "return\n"
      << in << "}\n";
}

void print_checks(const std::vector<const FixStep*>& steps, std::ostream& out) {
  // Per machine, the checks of its steps, each once, in rollout order.
  std::vector<std::pair<std::string, std::vector<const FixStep*>>> hosts;
  for (const auto* s : steps) {
    if (s->check.empty() || s->host.empty()) continue;
    auto it = std::find_if(hosts.begin(), hosts.end(), [&](const auto& h) { return h.first == s->host; });
    if (it == hosts.end()) {
      hosts.push_back({s->host, {}});
      it = hosts.end() - 1;
    }
    it->second.push_back(s);
  }
  out << "if ($Check) {\n" << kIndent << "switch ($env:COMPUTERNAME) {\n";
  const std::string in = std::string(kIndent) + kIndent + kIndent;
  for (const auto& [host, checks] : hosts) {
    out << kIndent << kIndent << quote(host) << " {\n";
    print_prelude(checks, false, in, out);  // the AD module loads on first use
    std::set<std::string> seen;
    for (const auto* s : checks)
      if (seen.insert(s->check).second) out << in << s->check << "\n";
    out << kIndent << kIndent << "}\n";
  }
  out << kIndent << kIndent << "default { Write-Warning \"Nothing to check on $env:COMPUTERNAME.\" }\n"
      << kIndent << "}\n"
      << kIndent << "return\n}\n\n";
}

}  // namespace

std::vector<const Fix*> fix_script_fixes(const TraceReport& report) {
  std::vector<const Fix*> out;
  for (const auto& flow : report.flows)
    for (const auto& path : flow.paths) {
      if (path.verdict == Verdict::Ok) continue;
      const auto fix =
          std::find_if(path.fixes.begin(), path.fixes.end(), [](const Fix& f) { return !f.steps.empty(); });
      if (fix == path.fixes.end()) continue;
      const bool again = std::any_of(
          out.begin(), out.end(), [&](const Fix* f) { return f->change == fix->change && f->command == fix->command; });
      if (!again) out.push_back(&*fix);
    }
  return out;
}

void print_fix_script(const TraceReport& report, const std::string& script_name, std::ostream& out) {
  // How the admin runs it from its folder: .\fix.ps1, or with the call operator when the name needs quotes.
  const bool bare = !script_name.empty() && std::all_of(script_name.begin(), script_name.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == '_';
  });
  const std::string run = bare ? ".\\" + script_name : "& " + quote(".\\" + comment(script_name));
  const std::vector<const Fix*> fixes = fix_script_fixes(report);
  std::vector<const FixStep*> steps;
  std::set<std::pair<std::string, std::string>> seen;  // a step two fixes share runs once
  for (const auto* f : fixes)
    for (const auto& s : f->steps)
      // Each section's prelude sets the aliases it needs (appcmd), whichever steps it holds.
      if (s.program != "Set-Alias" && (s.command.empty() || seen.insert({s.host, s.command}).second))
        steps.push_back(&s);
  const std::vector<Section> sections = sections_of(steps);
  const int count = static_cast<int>(sections.size());

  out << "<#\n.SYNOPSIS\n"
      << kIndent << "The verified fix for " << comment(report.scenario)
      << (report.title.empty() ? "" : " (" + comment(report.title) + ")") << ", from kerbsim.\n\n.DESCRIPTION\n";
  for (const auto* f : fixes) {
    // The paths it fixes: every path that is not ok and whose first fix with steps is this one.
    std::string paths;
    for (const auto& flow : report.flows)
      for (const auto& path : flow.paths) {
        if (path.verdict == Verdict::Ok) continue;
        const auto first =
            std::find_if(path.fixes.begin(), path.fixes.end(), [](const Fix& x) { return !x.steps.empty(); });
        if (first == path.fixes.end() || first->change != f->change || first->command != f->command) continue;
        paths += (paths.empty() ? "" : ", ") + ("\"" + flow.flow + "\"") + (path.via ? " via " + *path.via : "");
      }
    out << kIndent << "Fixes " << comment(paths) << ": " << comment(f->change) << "\n";
  }
  out << "\n" << kIndent << "Run the sections in order, each on its machine:\n";
  for (int i = 0; i < count; ++i)
    out << kIndent << "  " << run << " -Section " << i + 1 << "   on " << machine(sections[i].host) << "\n";
  out << kIndent << "then " << run << " -Check on each machine. Every step queries first and changes only\n"
      << kIndent << "what is still needed, so a section can be run again.\n#>\n";
  out << "[CmdletBinding()]\nparam(\n"
      << kIndent << "[Parameter(Mandatory = $true, ParameterSetName = 'Section')]\n"
      << kIndent << "[ValidateRange(1, " << std::max(count, 1) << ")]\n"
      << kIndent << "[int]$Section,\n\n"
      << kIndent << "[Parameter(Mandatory = $true, ParameterSetName = 'Check')]\n"
      << kIndent << "[switch]$Check\n)\n\n"
      << "$ErrorActionPreference = 'Stop'\n\n"
      << "function Assert-Machine([string]$Name) {\n"
      << kIndent
      << "if ($env:COMPUTERNAME -ne $Name) { throw \"Run this section on $Name, not on $env:COMPUTERNAME.\" }\n"
      << "}\n\n";
  print_checks(steps, out);

  out << "switch ($Section) {\n";
  int number = 0;
  for (int i = 0; i < count; ++i) {
    const Section& section = sections[i];
    const std::string next = i + 1 < count ? "section " + std::to_string(i + 2) + " on " + machine(sections[i + 1].host)
                                           : "-Check on each machine";
    const std::string again = "section " + std::to_string(i + 1) + " again";
    out << kIndent << "# ---- section " << i + 1 << " of " << count << ": on " << machine(section.host) << "\n";
    out << kIndent << i + 1 << " {\n";
    if (!section.host.empty()) out << kIndent << kIndent << "Assert-Machine " << quote(section.host) << "\n";
    print_prelude(section.steps, directory_section(section.steps), std::string(kIndent) + kIndent, out);
    std::ostringstream body;
    for (const auto* s : section.steps) print_step(*s, ++number, again, next, body);
    // The steps are indented one more level inside the section's block.
    std::string line;
    std::istringstream lines(body.str());
    while (std::getline(lines, line)) out << kIndent << line << "\n";
    out << kIndent << kIndent << "Write-Host "
        << quote("Section " + std::to_string(i + 1) + " done. Next: " + next + ".") << "\n";
    out << kIndent << "}\n";
  }
  out << "}\n";
}

}  // namespace kerbsim
