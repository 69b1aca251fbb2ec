// What is wrong with a scenario file: each problem names the file, line, column and JSON path, in a
// plain sentence. A bad file is the one error kerbsim throws; only the command line catches it.
#pragma once

#include <stdexcept>
#include <string>
#include <vector>

namespace kerbsim {

struct Diagnostic {
  std::string file;
  int line = 0;      // 1-based; 0 when the problem concerns the whole file
  int column = 0;    // 1-based, in characters
  std::string path;  // JSON pointer such as "/hosts/1/iis/sites/0/app_pool"; "" for the document
  std::string message;

  // "scenarios/x.json:12:7: /hosts/1/iis/sites/0/app_pool: no app pool named \"Report\" ..."
  std::string to_string() const;
};

class ScenarioError : public std::runtime_error {
 public:
  explicit ScenarioError(std::vector<Diagnostic> diagnostics);
  const std::vector<Diagnostic>& diagnostics() const { return diagnostics_; }

 private:
  std::vector<Diagnostic> diagnostics_;
};

}  // namespace kerbsim
