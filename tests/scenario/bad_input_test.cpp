// The bad-input corpus: each tests/bad-input/NAME.json must fail to load with exactly the diagnostics
// in NAME.expected, whose file names are relative to the source tree ("tests/bad-input/NAME.json:3:5: ...").
#include <algorithm>
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "kerbsim/diagnostic.h"
#include "scenario/loader.h"

namespace {

namespace fs = std::filesystem;

const fs::path kCorpus = "tests/bad-input";

// Runs a test from the source tree, so files load by the relative paths the .expected files name.
class InSourceTree {
 public:
  InSourceTree() : previous_(fs::current_path()) { fs::current_path(KERBSIM_SOURCE_DIR); }
  ~InSourceTree() { fs::current_path(previous_); }
  InSourceTree(const InSourceTree&) = delete;
  InSourceTree& operator=(const InSourceTree&) = delete;

 private:
  fs::path previous_;
};

std::string read(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::string without_final_newlines(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r')) s.pop_back();
  return s;
}

std::vector<fs::path> corpus_files(const std::string& extension) {
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(kCorpus))
    if (entry.path().extension() == extension) files.push_back(entry.path());
  std::sort(files.begin(), files.end());
  return files;
}

}  // namespace

TEST_CASE("every bad input file fails with exactly the diagnostics it expects") {
  InSourceTree here;
  const auto files = corpus_files(".json");
  REQUIRE(files.size() >= 30);
  for (const auto& file : files) {
    INFO(file.generic_string());
    fs::path expected = file;
    expected.replace_extension(".expected");
    REQUIRE(fs::exists(expected));
    std::string actual = "(loaded without an error)";
    try {
      kerbsim::scenario::load_file(file.generic_string());
    } catch (const kerbsim::ScenarioError& e) {
      actual = e.what();
    }
    CHECK(actual == without_final_newlines(read(expected)));
  }
}

TEST_CASE("every expected file in the bad input corpus has its input file") {
  InSourceTree here;
  for (const auto& expected : corpus_files(".expected")) {
    INFO(expected.generic_string());
    fs::path input = expected;
    input.replace_extension(".json");
    CHECK(fs::exists(input));
  }
}
