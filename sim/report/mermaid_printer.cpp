// Mermaid sequence diagrams in Markdown: one "## flow" heading and one fenced block per flow; when a
// load balancer splits the flow, each member's path is an alt/else section.
#include <algorithm>
#include <string>
#include <vector>

#include "kerbsim/report.h"

namespace kerbsim {

namespace {

// Words the sequence-diagram grammar reserves; a participant id must not be one of them.
bool is_keyword(const std::string& id) {
  static const char* const kKeywords[] = {"participant",    "actor",    "as",    "alt",    "else",       "opt",
                                          "loop",           "par",      "and",   "rect",   "end",        "note",
                                          "over",           "left",     "right", "of",     "autonumber", "activate",
                                          "deactivate",     "critical", "break", "option", "box",        "create",
                                          "destroy",        "title",    "links", "link",   "properties", "details",
                                          "sequencediagram"};
  std::string lower = id;
  for (auto& c : lower) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  return std::find(std::begin(kKeywords), std::end(kKeywords), lower) != std::end(kKeywords);
}

// A Mermaid-safe participant id: [A-Za-z0-9_] only, never a keyword, never empty.
std::string participant_id(const std::string& name) {
  std::string id;
  for (const char c : name) {
    const bool safe = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
    id += safe ? c : '_';
  }
  if (id.empty() || is_keyword(id)) id = "p_" + id;
  return id;
}

// Message text Mermaid accepts: ';' ends a statement and '#' starts an entity code, so ';' becomes
// ',' and '#' becomes "#35;"; line breaks become <br/>.
std::string text(const std::string& s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (c == ';') {
      out += ',';
    } else if (c == '#') {
      out += "#35;";
    } else if (c == '\r') {
      if (i + 1 < s.size() && s[i + 1] == '\n') continue;
      out += "<br/>";
    } else if (c == '\n') {
      out += "<br/>";
    } else {
      out += c;
    }
  }
  return out;
}

class Diagram {
 public:
  explicit Diagram(std::ostream& out) : out_(out) {}

  void participants(const FlowOutcome& flow) {
    std::vector<std::string> names;
    const auto add = [&](const std::string& name) {
      if (!name.empty() && std::find(names.begin(), names.end(), name) == names.end()) names.push_back(name);
    };
    add(flow.client);
    for (const auto& path : flow.paths)
      for (const auto& step : path.steps) {
        add(step.from);
        add(step.to);
      }
    for (const auto& name : names) {
      const std::string id = participant_id(name);
      out_ << "    participant " << id;
      const std::string label = name == flow.client ? name + " (client)" : name;
      if (label != id) out_ << " as " << text(label);
      out_ << '\n';
    }
  }

  void steps(const PathOutcome& path, const std::string& indent) {
    for (const auto& step : path.steps) {
      const std::string from = participant_id(step.from);
      const std::string to = participant_id(step.to);
      if (step.from == step.to) {
        std::string note = text(step.message);
        if (!step.result.empty()) note += " — " + text(step.result);
        if (step.failed) note += " ✘";
        out_ << indent << "Note over " << from << ": " << note << '\n';
        continue;
      }
      out_ << indent << from << "->>" << to << ": " << text(step.message) << '\n';
      if (!step.result.empty() || step.failed) {
        const std::string result = step.result.empty() ? "failed" : text(step.result);
        out_ << indent << to << (step.failed ? "--x" : "-->>") << from << ": " << result << '\n';
      }
    }
  }

  void verdict(const PathOutcome& path, const std::string& client, const std::string& indent) {
    std::string note = "verdict: " + to_string(path.verdict);
    if (!path.summary.empty()) note += " — " + text(path.summary);
    out_ << indent << "Note over " << participant_id(client) << ": " << note << '\n';
  }

 private:
  std::ostream& out_;
};

std::string section_label(const PathOutcome& path, std::size_t index) {
  const std::string name = path.via ? "via " + *path.via : "path " + std::to_string(index + 1);
  return text(name + " (" + to_string(path.verdict) + ")");
}

}  // namespace

void print_trace_mermaid(const TraceReport& report, std::ostream& out) {
  Diagram diagram(out);
  for (std::size_t f = 0; f < report.flows.size(); ++f) {
    const FlowOutcome& flow = report.flows[f];
    if (f > 0) out << '\n';
    out << "## " << flow.flow << "\n\n";
    out << "```mermaid\n";
    out << "sequenceDiagram\n";
    diagram.participants(flow);
    if (flow.paths.size() == 1) {
      diagram.steps(flow.paths[0], "    ");
      diagram.verdict(flow.paths[0], flow.client, "    ");
    } else {
      for (std::size_t i = 0; i < flow.paths.size(); ++i) {
        out << (i == 0 ? "    alt " : "    else ") << section_label(flow.paths[i], i) << '\n';
        diagram.steps(flow.paths[i], "        ");
        diagram.verdict(flow.paths[i], flow.client, "        ");
      }
      if (!flow.paths.empty()) out << "    end\n";
    }
    out << "```\n";
  }
}

}  // namespace kerbsim
