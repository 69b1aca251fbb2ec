// Reads a `kerbsim/1` scenario file into spec structs: JSON (with comments) -> located tree ->
// spec::Scenario, then validates the whole document. Every problem found is reported, each with
// file:line:column and its JSON path; any problem throws ScenarioError. The only user of nlohmann_json.
#pragma once

#include <string>
#include <string_view>

#include "kerbsim/diagnostic.h"
#include "scenario/json_tree.h"
#include "scenario/spec.h"

namespace kerbsim::scenario {

// Reads and validates a file. Throws ScenarioError (missing file, too large, bad JSON, bad content).
spec::Scenario load_file(const std::string& path);

// Validates scenario text; file_name is only used in messages. A text over stream_over bytes has its
// accounts read as they stream (json_tree.h); the fuzzer lowers it to exercise that path on small input.
spec::Scenario load_text(std::string_view text, const std::string& file_name, std::size_t stream_over = kMaxFileBytes);

}  // namespace kerbsim::scenario
