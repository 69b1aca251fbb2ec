// Printers: they format traced outcomes, check results and audit findings; they never decide.
#pragma once

#include <ostream>
#include <vector>

#include "kerbsim/audit.h"
#include "kerbsim/check.h"
#include "kerbsim/diff.h"
#include "kerbsim/graph.h"
#include "kerbsim/kdc_question.h"
#include "kerbsim/outcome.h"
#include "kerbsim/rehearsal.h"
#include "kerbsim/replications.h"
#include "kerbsim/simulation.h"

namespace kerbsim {

struct PrintOptions {
  bool color = false;    // ANSI colours (the command line decides: a TTY and no NO_COLOR)
  bool explain = false;  // also print each step's details (DC events, settings behind decisions)
};

void print_trace_text(const TraceReport& report, const PrintOptions& options, std::ostream& out);
void print_trace_json(const TraceReport& report, std::ostream& out);
void print_trace_mermaid(const TraceReport& report, std::ostream& out);

// The fixes a fix script runs: for each path that is not ok, its first fix with steps, each fix once.
// Empty when no path has one (there is no script to write).
std::vector<const Fix*> fix_script_fixes(const TraceReport& report);
// The fix script: one PowerShell script in sections, one machine each, in rollout order, run as
// `.\fix.ps1 -Section N`; each step guarded; `.\fix.ps1 -Check` runs the checks of the machine it runs on.
// script_name is the file name it is saved under, which its usage text names.
void print_fix_script(const TraceReport& report, const std::string& script_name, std::ostream& out);

void print_check_text(const CheckReport& report, const PrintOptions& options, std::ostream& out);
// `kerbsim audit`: the findings worst first, each with its rule, the path that makes it dangerous and
// its fixes' commands (whole, on their own lines); a count per severity. JSON: scenarios/README.md.
void print_audit_text(const AuditReport& report, const PrintOptions& options, std::ostream& out);
void print_audit_json(const AuditReport& report, std::ostream& out);

void print_kdc_text(const KdcAnswer& answer, const PrintOptions& options, std::ostream& out);
void print_kdc_json(const KdcAnswer& answer, std::ostream& out);

void print_simulation_text(const SimulationReport& report, const PrintOptions& options, std::ostream& out);
void print_simulation_json(const SimulationReport& report, std::ostream& out);
// The timeline, one interval per line, for a spreadsheet.
void print_simulation_csv(const SimulationReport& report, std::ostream& out);

// Replications (`kerbsim simulate --replications N`): each fraction's mean, 95 % interval, min and max,
// the users' spread, and a line per replication with its seed. CSV: a row per replication, then the
// summary rows mean, ci95_low, ci95_high, min and max.
void print_replications_text(const ReplicationReport& report, const PrintOptions& options, std::ostream& out);
void print_replications_json(const ReplicationReport& report, std::ostream& out);
void print_replications_csv(const ReplicationReport& report, std::ostream& out);

// A rehearsed rollout (`kerbsim trace --rehearse`): a line per step with its failure fraction, overall
// and per node, and when failures stopped.
void print_rehearsal_text(const RehearsalReport& report, const PrintOptions& options, std::ostream& out);
void print_rehearsal_json(const RehearsalReport& report, std::ostream& out);

// `kerbsim diff`: the environment's changes (and their commands), the outcome per flow and path, the
// simulation metrics side by side; JSON as to_value(DiffReport).
void print_diff_text(const DiffReport& report, const PrintOptions& options, std::ostream& out);
void print_diff_json(const DiffReport& report, std::ostream& out);

// `kerbsim graph`: the chains as text or JSON, the part of the graph they run over as Graphviz DOT or a
// Mermaid flowchart.
void print_graph_text(const GraphReport& report, const PrintOptions& options, std::ostream& out);
void print_graph_json(const GraphReport& report, std::ostream& out);
void print_graph_dot(const GraphReport& report, std::ostream& out);
void print_graph_mermaid(const GraphReport& report, std::ostream& out);
// The same part of the graph as a BloodHound OpenGraph payload (kinds prefixed KS_), for BloodHound CE.
void print_graph_opengraph(const GraphReport& report, std::ostream& out);

}  // namespace kerbsim
