// Where a scenario problem is reported: a Reporter indexes every JSON path of the file, so a check that
// knows only a path ("/hosts/2/iis/sites/0/app_pool") still reports file:line:column.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "kerbsim/diagnostic.h"
#include "scenario/json_tree.h"

namespace kerbsim::scenario {

// Collects diagnostics, each placed at a value, at a key, or at the nearest located part of a path.
class Reporter {
 public:
  Reporter(std::string file, const JsonNode* root);
  // A reporter for a file whose tree is not built yet: call index() when it is.
  explicit Reporter(std::string file) : file_(std::move(file)) {}
  void index(const JsonNode& root);
  // An element of "accounts" handed over while the file was read (json_tree.h's ElementSink) and no
  // longer in the tree: a path inside it is reported at the element's own position.
  void streamed(const JsonNode& element);

  void at(const JsonNode& value, std::string message);
  void at_key(const JsonNode& member, std::string message);
  void at_path(const std::string& path, std::string message);

  // Whether a problem was already reported at exactly this path (so later checks skip it).
  bool flagged(const std::string& path) const { return flagged_.count(path) > 0; }
  // Whether the file wrote this path (a key given explicitly, even as null).
  bool has(const std::string& path) const { return index_.count(path) > 0; }
  const JsonNode* node(const std::string& path) const;
  int line_of(const std::string& path) const;

  const std::string& file() const { return file_; }
  std::vector<Diagnostic>& diagnostics() { return diagnostics_; }

 private:
  std::string file_;
  struct Position {
    int line = 0;
    int column = 0;
  };
  // The position of path's nearest located part, and that part's path; nullopt when none is.
  std::optional<std::pair<Position, std::string>> position(const std::string& path) const;

  std::unordered_map<std::string_view, const JsonNode*> index_;  // keys view the nodes' paths
  std::vector<Position> streamed_;                               // by element of "accounts"
  std::unordered_set<std::string> flagged_;
  std::vector<Diagnostic> diagnostics_;
};

}  // namespace kerbsim::scenario
