// A JSON document as the scenario author wrote it: every value keeps its line, column and JSON
// pointer, so a message can point at the offending text. Built from nlohmann's SAX events, with limits
// (size, depth, value count) that no input can get past.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "kerbsim/diagnostic.h"

namespace kerbsim::scenario {

inline constexpr std::size_t kMaxFileBytes = 32u * 1024 * 1024;
inline constexpr int kMaxDepth = 64;
inline constexpr std::size_t kMaxValues = 2000000;
// Directory data: the elements of the top-level "accounts" array have limits of their own, so that a
// directory of a million accounts loads while everything else stays within the limits above. The file
// may then be at most kMaxDirectoryFileBytes, of which at most kMaxFileBytes outside "accounts".
inline constexpr std::size_t kMaxDirectoryFileBytes = 1024u * 1024 * 1024;
inline constexpr std::size_t kMaxDirectoryValues = 100000000;

enum class JsonKind { null, boolean, integer, number, string, array, object };

struct JsonNode {
  JsonKind kind = JsonKind::null;
  bool boolean = false;
  std::int64_t integer = 0;        // kind integer: every whole number that fits in 64 signed bits
  double number = 0;               // kind number: a fraction, an exponent, or a whole number too large
  std::string text;                // kind string: the decoded string; numbers: the token as written
  std::vector<JsonNode> children;  // array elements, or object members in file order

  std::string key;  // the member's key, when the parent is an object
  int key_line = 0;
  int key_column = 0;

  int line = 0;      // 1-based position of the value's first character
  int column = 0;    // 1-based, in characters
  std::string path;  // JSON pointer; "" for the document

  bool is_object() const { return kind == JsonKind::object; }
  bool is_array() const { return kind == JsonKind::array; }
  bool is_string() const { return kind == JsonKind::string; }
  // The member named key, or nullptr.
  const JsonNode* find(std::string_view name) const;
};

struct ParseResult {
  std::optional<JsonNode> root;      // absent when the text is not JSON at all
  std::vector<Diagnostic> problems;  // syntax errors, duplicate keys, limits
};

// "a scenario file may be at most 1024 MiB (...), and at most 32 MiB outside its "accounts" array".
std::string directory_size_limit();

// Receives each element of the top-level "accounts" array of a file too large to keep whole (over
// kMaxFileBytes, or the stream_over given): the element, with its positions and paths, is handed over
// as soon as it is read and is not kept in the tree, whose "accounts" array then stays empty.
using ElementSink = std::function<void(JsonNode&&)>;

// Parses JSON with // and /* */ comments. Never throws for bad input; each problem is a diagnostic.
// Without a sink, a file over kMaxFileBytes is refused.
ParseResult parse_json(std::string_view text, const std::string& file_name, const ElementSink& accounts = {},
                       std::size_t stream_over = kMaxFileBytes);

// Appends one reference token to a JSON pointer, escaping "~" and "/".
std::string pointer_append(const std::string& path, std::string_view token);
std::string pointer_append(const std::string& path, std::size_t index);

// A sentence-friendly name of a value's kind: "a string", "a number", "true", "an array", ...
std::string describe_kind(const JsonNode& node);

}  // namespace kerbsim::scenario
