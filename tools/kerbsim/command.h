// The subcommands of the kerbsim program. Each parses its own options into a plain struct and
// makes one library call; main() only dispatches.
#pragma once

#include <boost/program_options.hpp>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "kerbsim/kerbsim.h"
#include "kerbsim/report.h"

namespace kerbsim::cli {

// Exit codes of the command-line contract.
constexpr int kExitOk = 0;
constexpr int kExitFailed = 1;  // a check or expectation failed
constexpr int kExitUsage = 2;   // bad usage or bad input

using Args = std::vector<std::string>;

int trace_command(const Args& args);
int check_command(const Args& args);
int simulate_command(const Args& args);
int kdc_command(const Args& args);
int audit_command(const Args& args);
int lint_command(const Args& args);  // audit_command under its old name
int explain_command(const Args& args);
int list_command(const Args& args);
int diff_command(const Args& args);
int graph_command(const Args& args);

// Colour on a terminal unless NO_COLOR is set (https://no-color.org).
bool use_color();

// A scenario argument is a file path or the name of a bundled scenario.
std::string resolve_scenario(const std::string& arg);
std::string bundled_scenario_dir();

// One line per problem on standard error: file:line:column: /json/path: message.
void print_diagnostics(const ScenarioError& e);

// Loads a scenario; on a bad file prints every diagnostic to stderr and returns nullptr.
std::unique_ptr<Scenario> load_or_report(const std::string& arg);

// Writes text to path atomically: a temporary file beside it, then a rename, so that a failure never
// leaves a truncated or half-overwritten report. Returns false (after a message naming path) on failure.
bool write_file_atomically(const std::string& path, const std::string& text);

// Whether an --output argument means standard output: not given, or "-".
bool is_standard_output(const std::string& path);

// Prints a command's report to standard output, or (with --output) writes it to path: a regular file,
// or a new one, is replaced atomically; a device, a FIFO or a symlink is written through. The
// command's exit code.
int emit(const std::string& path, const std::string& text);

// One file a command writes (or standard output, for "" and "-"), and its text.
struct Output {
  std::string path;
  std::string text;
};

// Writes every output or none: each file is written beside its target first, and only when all are
// written are they moved into place, then standard output is printed. The command's exit code.
int emit_all(const std::vector<Output>& outputs);

// Throws a usage error when two of the options (option, path; "" = not given) name the same file.
void check_distinct_outputs(const std::vector<std::pair<std::string, std::string>>& outputs);

// Parses a subcommand's arguments: its visible options plus positional arguments stored through
// `value` (count -1 = any number). Prints the help and returns false for --help.
bool parse_options(const Args& args, const boost::program_options::options_description& visible,
                   boost::program_options::value_semantic* value, int count);

// Runs a subcommand body, turning usage errors into a message and exit code 2.
int run_guarded(const std::string& command, const std::function<int()>& body);

}  // namespace kerbsim::cli
