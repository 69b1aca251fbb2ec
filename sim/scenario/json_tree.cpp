// The JSON tree of a scenario, built from nlohmann's SAX events: positions and JSON pointers for every
// value, the limits, the streaming of directory data, and the wording of syntax errors. One concept at
// about 650 lines: the error wording reads the same text positions and builder state as the tree does.
#include "scenario/json_tree.h"

#include <algorithm>
#include <cstdio>
#include <iterator>
#include <nlohmann/json.hpp>
#include <unordered_map>
#include <utility>

namespace kerbsim::scenario {

const JsonNode* JsonNode::find(std::string_view name) const {
  if (kind != JsonKind::object) return nullptr;
  for (const auto& child : children)
    if (child.key == name) return &child;
  return nullptr;
}

std::string pointer_append(const std::string& path, std::string_view token) {
  std::string out = path;
  out += '/';
  for (const char c : token) {
    if (c == '~')
      out += "~0";
    else if (c == '/')
      out += "~1";
    else
      out += c;
  }
  return out;
}

std::string pointer_append(const std::string& path, std::size_t index) { return path + "/" + std::to_string(index); }

std::string describe_kind(const JsonNode& node) {
  switch (node.kind) {
    case JsonKind::null:
      return "null";
    case JsonKind::boolean:
      return node.boolean ? "true" : "false";
    case JsonKind::integer:
    case JsonKind::number:
      return "a number";
    case JsonKind::string:
      return "a string";
    case JsonKind::array:
      return "an array";
    case JsonKind::object:
      return "an object";
  }
  return "a value";
}

namespace {

// Replaces the part of a parser message after its " - " separator (the reason) with our own.
void replace_reason(std::string& msg, const std::string& reason) {
  const auto dash = msg.find(" - ");
  if (dash == std::string::npos)
    msg += reason;
  else
    msg.replace(dash, std::string::npos, reason);
}

// Byte offset -> 1-based line and column (in characters). Offsets arrive mostly in increasing order,
// so the last answer is kept and the next one continues from it: linear in the file size overall.
class LineIndex {
 public:
  explicit LineIndex(std::string_view text) : text_(text), bom_(text.substr(0, 3) == "\xEF\xBB\xBF") {
    starts_.push_back(0);
    for (std::size_t i = 0; i < text.size(); ++i)
      if (text[i] == '\n') starts_.push_back(i + 1);
  }

  std::pair<int, int> at(std::size_t offset) {
    offset = std::min(offset, text_.size());
    const auto it = std::upper_bound(starts_.begin(), starts_.end(), offset);
    const auto line = static_cast<std::size_t>(it - starts_.begin());  // 1-based
    std::size_t from = starts_[line - 1];
    if (line == 1 && bom_) from = std::min<std::size_t>(3, offset);
    int column = 1;
    if (line == cached_line_ && offset >= cached_offset_) {
      from = cached_offset_;
      column = cached_column_;
    }
    for (std::size_t i = from; i < offset; ++i)
      if ((static_cast<unsigned char>(text_[i]) & 0xC0) != 0x80) ++column;
    cached_line_ = line;
    cached_offset_ = offset;
    cached_column_ = column;
    return {static_cast<int>(line), column};
  }

 private:
  std::string_view text_;
  bool bom_;
  std::vector<std::size_t> starts_;
  std::size_t cached_line_ = 0;
  std::size_t cached_offset_ = 0;
  int cached_column_ = 1;
};

// Feeds nlohmann one byte at a time and remembers the address of the last byte it read: nlohmann's
// lexer reads each byte exactly once, so at every SAX event this is the end of the token just seen.
class TrackingIterator {
 public:
  using iterator_category = std::forward_iterator_tag;
  using value_type = char;
  using difference_type = std::ptrdiff_t;
  using pointer = const char*;
  using reference = const char&;

  TrackingIterator() = default;
  TrackingIterator(const char* p, const char** last_read) : p_(p), last_read_(last_read) {}

  reference operator*() const {
    *last_read_ = p_;
    return *p_;
  }
  TrackingIterator& operator++() {
    ++p_;
    return *this;
  }
  TrackingIterator operator++(int) {
    TrackingIterator old = *this;
    ++p_;
    return old;
  }
  bool operator==(const TrackingIterator& other) const { return p_ == other.p_; }
  bool operator!=(const TrackingIterator& other) const { return p_ != other.p_; }

 private:
  const char* p_ = nullptr;
  const char** last_read_ = nullptr;
};

bool is_number_char(char c) {
  return (c >= '0' && c <= '9') || c == '-' || c == '+' || c == '.' || c == 'e' || c == 'E';
}

bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

// Replaces bytes that are not well-formed UTF-8 by \xNN, so a message is always printable text.
std::string printable(std::string_view s) {
  std::string out;
  std::size_t i = 0;
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    std::size_t len = 0;
    if (c < 0x80)
      len = 1;
    else if (c >= 0xC2 && c <= 0xDF)
      len = 2;
    else if (c >= 0xE0 && c <= 0xEF)
      len = 3;
    else if (c >= 0xF0 && c <= 0xF4)
      len = 4;
    bool ok = len > 0 && i + len <= s.size();
    for (std::size_t k = 1; ok && k < len; ++k) ok = (static_cast<unsigned char>(s[i + k]) & 0xC0) == 0x80;
    if (ok && len == 3) {
      const auto c1 = static_cast<unsigned char>(s[i + 1]);
      ok = !(c == 0xE0 && c1 < 0xA0) && !(c == 0xED && c1 >= 0xA0);
    }
    if (ok && len == 4) {
      const auto c1 = static_cast<unsigned char>(s[i + 1]);
      ok = !(c == 0xF0 && c1 < 0x90) && !(c == 0xF4 && c1 >= 0x90);
    }
    if (ok && len == 1 && c < 0x20) ok = false;
    if (ok) {
      out.append(s.substr(i, len));
      i += len;
    } else {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02X", c);
      out += buf;
      ++i;
    }
  }
  return out;
}

// nlohmann's "[json.exception.parse_error.101] parse error at line 3, column 5: syntax error ..."
// becomes "syntax error ..."; the "last read" excerpt is shortened and made printable.
std::string plain_message(std::string msg) {
  if (msg.rfind("[json.exception.", 0) == 0) {
    const auto close = msg.find("] ");
    if (close != std::string::npos) msg.erase(0, close + 2);
  }
  if (msg.rfind("parse error", 0) == 0) {
    const auto colon = msg.find(": ");
    if (colon != std::string::npos) msg.erase(0, colon + 2);
  }
  const std::string marker = "; last read: '";
  const auto at = msg.find(marker);
  if (at != std::string::npos) {
    const auto begin = at + marker.size();
    auto end = msg.rfind("'; expected ");
    if (end == std::string::npos || end < begin) end = msg.size() - 1;
    if (end >= begin) {
      std::string excerpt = msg.substr(begin, end - begin);
      if (excerpt.size() > 40) excerpt.replace(30, std::string::npos, "...");
      msg.replace(begin, end - begin, excerpt);
    }
  }
  return printable(msg);
}

class TreeBuilder {
 public:
  using json = nlohmann::json;

  TreeBuilder(std::string_view text, const std::string& file, const char** last_read, const ElementSink& accounts,
              std::size_t stream_over)
      : text_(text),
        file_(file),
        last_read_(last_read),
        lines_(text),
        accounts_sink_(accounts),
        stream_over_(stream_over) {}

  bool null() { return scalar(JsonNode{}, token_end() - 4); }
  bool boolean(bool value) {
    JsonNode node;
    node.kind = JsonKind::boolean;
    node.boolean = value;
    return scalar(std::move(node), token_end() - (value ? 4 : 5));
  }
  bool number_integer(json::number_integer_t value) {
    JsonNode node;
    node.kind = JsonKind::integer;
    node.integer = value;
    return number(std::move(node));
  }
  bool number_unsigned(json::number_unsigned_t value) {
    JsonNode node;
    if (value <= static_cast<json::number_unsigned_t>(INT64_MAX)) {
      node.kind = JsonKind::integer;
      node.integer = static_cast<std::int64_t>(value);
    } else {
      node.kind = JsonKind::number;
      node.number = static_cast<double>(value);
    }
    return number(std::move(node));
  }
  bool number_float(json::number_float_t value, const std::string&) {
    JsonNode node;
    node.kind = JsonKind::number;
    node.number = value;
    return number(std::move(node));
  }
  bool string(std::string& value) {
    JsonNode node;
    node.kind = JsonKind::string;
    node.text = std::move(value);
    return scalar(std::move(node), string_start());
  }
  bool binary(json::binary_t&) { return true; }

  bool start_object(std::size_t) { return open(JsonKind::object); }
  bool start_array(std::size_t) { return open(JsonKind::array); }
  bool end_object() { return close(); }
  bool end_array() { return close(); }

  bool key(std::string& name) {
    const std::size_t start = string_start();
    const auto [line, column] = lines_.at(start);
    Frame& frame = stack_.back();
    const auto [it, inserted] = frame.keys.emplace(name, line);
    pending_duplicate_ = !inserted;
    if (!inserted) {
      const std::string where = it->second == line ? "on the same line" : "at line " + std::to_string(it->second);
      problem(line, column, pointer_append(frame.node->path, name),
              "the key \"" + printable(name) + "\" appears twice in this object (first " + where + "); keep one");
    }
    last_event_end_ = token_end();
    pending_key_ = std::move(name);
    pending_key_line_ = line;
    pending_key_column_ = column;
    return true;
  }

  bool parse_error(std::size_t position, const std::string& last_token, const nlohmann::detail::exception& ex) {
    std::string msg = plain_message(ex.what());
    const std::size_t offset = error_offset(position, last_token, msg);
    const auto [line, column] = lines_.at(offset);
    problem(line, column, current_path(), msg);
    failed_ = true;
    return false;
  }

  // Bytes of the text outside the top-level "accounts" array.
  std::size_t bytes_outside_accounts() const {
    if (stack_.size() >= 2 && stack_[1].accounts) return stack_[1].start;  // still open: the text ended inside
    return text_.size() - accounts_bytes_;
  }

  ParseResult finish(bool parsed) {
    ParseResult result;
    if (parsed && !failed_ && root_) result.root = std::move(root_);
    result.problems = std::move(problems_);
    return result;
  }

 private:
  struct Frame {
    JsonNode* node;
    std::unordered_map<std::string, int> keys;  // key -> line of its first occurrence
    std::vector<std::size_t> duplicates;        // children to drop when the object closes
    std::size_t elements = 0;                   // array elements read so far, streamed ones included
    bool accounts = false;                      // the top-level "accounts" array
    std::size_t start = 0;                      // offset of its opening bracket
  };

  // Is the value being placed inside the top-level "accounts" array?
  bool in_accounts() const { return stack_.size() >= 2 && stack_[1].accounts; }
  // Are the array's elements handed to the sink rather than kept?
  bool streaming() const { return accounts_sink_ && text_.size() > stream_over_; }

  std::size_t token_end() const { return *last_read_ ? static_cast<std::size_t>(*last_read_ - text_.data()) + 1 : 0; }

  // A string token ends at the closing quote just read; its opening quote is the nearest quote
  // before it that is not escaped (strings hold no raw quotes).
  std::size_t string_start() const {
    if (token_end() == 0) return 0;
    std::size_t i = token_end() - 1;
    while (i > 0) {
      --i;
      if (text_[i] != '"') continue;
      std::size_t backslashes = 0;
      while (backslashes < i && text_[i - 1 - backslashes] == '\\') ++backslashes;
      if (backslashes % 2 == 0) return i;
    }
    return 0;
  }

  // The lexer reads one byte past a number (and puts it back), except at the end of the text.
  std::size_t number_end() const {
    std::size_t end = token_end();
    if (end == 0) return 0;
    const char last = text_[end - 1];
    const bool at_eof = end == text_.size() && last >= '0' && last <= '9';
    return at_eof ? end : end - 1;
  }

  bool number(JsonNode node) {
    const std::size_t end = number_end();
    std::size_t start = end;
    while (start > 0 && is_number_char(text_[start - 1])) --start;
    node.text = std::string(text_.substr(start, end - start));
    return scalar(std::move(node), start);
  }

  bool scalar(JsonNode node, std::size_t start) {
    JsonNode* placed = place(std::move(node), start);
    return placed != nullptr;
  }

  bool open(JsonKind kind) {
    const std::size_t start = token_end() - 1;
    if (static_cast<int>(stack_.size()) >= kMaxDepth) {
      const auto [line, column] = lines_.at(start);
      problem(line, column, current_path(),
              "the JSON is nested more than " + std::to_string(kMaxDepth) +
                  " levels deep; a scenario never needs that many");
      failed_ = true;
      return false;
    }
    const bool accounts = kind == JsonKind::array && stack_.size() == 1 && stack_[0].node->kind == JsonKind::object &&
                          pending_key_ == "accounts";
    JsonNode node;
    node.kind = kind;
    JsonNode* placed = place(std::move(node), start);
    if (!placed) return false;
    stack_.push_back(Frame{placed, {}, {}, 0, accounts, start});
    return true;
  }

  bool close() {
    Frame& frame = stack_.back();
    if (!frame.duplicates.empty()) {
      auto& children = frame.node->children;
      std::vector<bool> drop(children.size(), false);
      for (const auto i : frame.duplicates) drop[i] = true;
      std::size_t kept = 0;
      for (std::size_t i = 0; i < children.size(); ++i) {
        if (drop[i]) continue;
        if (kept != i) children[kept] = std::move(children[i]);
        ++kept;
      }
      children.erase(children.begin() + static_cast<std::ptrdiff_t>(kept), children.end());
    }
    if (frame.accounts) accounts_bytes_ = token_end() - frame.start;
    stack_.pop_back();
    if (streaming() && stack_.size() == 2 && stack_[1].accounts) hand_over();
    return true;
  }

  // Hands the element just completed to the sink and forgets it.
  void hand_over() {
    auto& elements = stack_[1].node->children;
    JsonNode element = std::move(elements.back());
    elements.pop_back();
    accounts_sink_(std::move(element));
  }

  JsonNode* place(JsonNode node, std::size_t start) {
    last_event_end_ = token_end();
    if (in_accounts() ? ++account_values_ > kMaxDirectoryValues : ++values_ > kMaxValues) {
      const auto [line, column] = lines_.at(start);
      problem(line, column, current_path(),
              in_accounts() ? "the \"accounts\" array holds more than " + std::to_string(kMaxDirectoryValues) +
                                  " JSON values; directory data is limited to that many"
                            : "the file holds more than " + std::to_string(kMaxValues) +
                                  " JSON values outside its \"accounts\" array; a scenario is limited to that many");
      failed_ = true;
      return nullptr;
    }
    if (!in_accounts() && token_end() - accounts_bytes_ > kMaxFileBytes) {
      failed_ = true;  // parse_json reports the size
      return nullptr;
    }
    const auto [line, column] = lines_.at(start);
    node.line = line;
    node.column = column;
    if (stack_.empty()) {
      root_ = std::move(node);
      return &*root_;
    }
    Frame& frame = stack_.back();
    JsonNode& parent = *frame.node;
    if (parent.kind == JsonKind::object) {
      node.path = pointer_append(parent.path, pending_key_);
      node.key = std::move(pending_key_);
      node.key_line = pending_key_line_;
      node.key_column = pending_key_column_;
      pending_key_.clear();
      if (pending_duplicate_) frame.duplicates.push_back(parent.children.size());
      pending_duplicate_ = false;
    } else {
      node.path = pointer_append(parent.path, frame.elements++);
      if (frame.accounts && streaming() && node.kind != JsonKind::object && node.kind != JsonKind::array) {
        accounts_sink_(std::move(node));
        return &discarded_;
      }
    }
    parent.children.push_back(std::move(node));
    return &parent.children.back();
  }

  std::string current_path() const {
    if (stack_.empty()) return "";
    const JsonNode& top = *stack_.back().node;
    if (top.kind == JsonKind::object && !pending_key_.empty()) return pointer_append(top.path, pending_key_);
    return top.path;
  }

  // Where to point for a syntax error: the start of the unexpected token, the byte the lexer choked
  // on, or just past the last text for a premature end.
  std::size_t error_offset(std::size_t position, const std::string& last_token, std::string& msg) const {
    const std::size_t end = std::min(position, text_.size());
    if (msg.find("unexpected end of input") != std::string::npos) {
      std::size_t i = text_.size();
      while (i > 0 && is_space(text_[i - 1])) --i;
      return i;
    }
    if (end == 0) return 0;
    if (msg.find("control character U+000A") != std::string::npos && last_token.size() >= 8) {
      replace_reason(msg, " - this string runs past the end of its line; is its closing \" missing?");
      const std::size_t raw = last_token.size() - 7;
      return raw <= end ? end - raw : 0;
    }
    if (msg.find("ill-formed UTF-8 byte") != std::string::npos) {
      std::size_t i = end - 1;
      const auto high = [&](std::size_t k) { return static_cast<unsigned char>(text_[k]) >= 0x80; };
      if (!high(i) && i > 0 && high(i - 1)) --i;
      while (i > 0 && (static_cast<unsigned char>(text_[i]) & 0xC0) == 0x80 && high(i - 1)) --i;
      char byte[8];
      std::snprintf(byte, sizeof byte, "0x%02X", static_cast<unsigned char>(text_[i]));
      replace_reason(msg, std::string(" - this string is not valid UTF-8 (byte ") + byte + "); save the file as UTF-8");
      return i;
    }
    if (msg.find("missing closing quote") != std::string::npos) {
      return last_token.size() <= text_.size() ? text_.size() - last_token.size() : 0;
    }
    if (msg.find("missing closing '*/'") != std::string::npos) {
      replace_reason(msg, " - a /* comment is never closed with */");
      return unclosed_comment_start(end);
    }
    if (msg.find("unexpected string literal") != std::string::npos) {
      std::size_t i = end - 1;
      while (i > 0) {
        --i;
        if (text_[i] != '"') continue;
        std::size_t backslashes = 0;
        while (backslashes < i && text_[i - 1 - backslashes] == '\\') ++backslashes;
        if (backslashes % 2 == 0) break;
      }
      if (msg.find("expected '}'") != std::string::npos || msg.find("expected ']'") != std::string::npos)
        msg += "; is a comma missing before it?";
      return i;
    }
    if (msg.find("number overflow") != std::string::npos) {
      std::size_t i = end;
      while (i > 0 && is_number_char(text_[i - 1])) --i;
      msg = "the number " + std::string(text_.substr(i, std::min<std::size_t>(end - i, 40))) + " is too large";
      return i;
    }
    if (msg.find("unexpected number literal") != std::string::npos) {
      std::size_t i = end;
      while (i > 0 && is_number_char(text_[i - 1])) --i;
      if (msg.find("expected '}'") != std::string::npos || msg.find("expected ']'") != std::string::npos)
        msg += "; is a comma missing before it?";
      return i;
    }
    for (const auto& [literal, size] :
         {std::pair{"unexpected true literal", 4}, std::pair{"unexpected false literal", 5},
          std::pair{"unexpected null literal", 4}})
      if (msg.find(literal) != std::string::npos)
        return end >= static_cast<std::size_t>(size) ? end - static_cast<std::size_t>(size) : 0;
    if (msg.find("invalid literal") != std::string::npos) {
      std::size_t i = end - 1;
      if (!is_alpha(text_[i]) && i > 0 && is_alpha(text_[i - 1])) --i;
      while (i > 0 && is_alpha(text_[i - 1])) --i;
      std::size_t stop = i;
      while (stop < text_.size() && stop - i < 20 && !is_space(text_[stop]) && text_[stop] != ',' &&
             text_[stop] != ':' && text_[stop] != ']' && text_[stop] != '}')
        ++stop;
      if (stop == i) stop = i + 1;
      const auto context = msg.substr(0, msg.find(" - "));
      msg = context + " - invalid literal " + printable(text_.substr(i, stop - i)) +
            "; a value is true, false, null, a number, a \"string\" in double quotes, [ ] or { }";
      return i;
    }
    const std::size_t at = end - 1;
    if (msg.find("unexpected '}'") != std::string::npos || msg.find("unexpected ']'") != std::string::npos) {
      std::size_t i = at;
      while (i > 0 && is_space(text_[i - 1])) --i;
      if (i > 0 && text_[i - 1] == ',') msg += "; JSON allows no comma after the last item";
    }
    if (msg.find("unexpected string literal") == std::string::npos &&
        (msg.find("unexpected '{'") != std::string::npos || msg.find("unexpected '['") != std::string::npos) &&
        (msg.find("expected '}'") != std::string::npos || msg.find("expected ']'") != std::string::npos))
      msg += "; is a comma missing before it?";
    return at;
  }

  // The comment that runs to the end of the text starts after the last token, past any complete ones.
  std::size_t unclosed_comment_start(std::size_t fallback) const {
    std::size_t i = last_event_end_;
    while (i < text_.size()) {
      const char c = text_[i];
      if (is_space(c) || c == ',' || c == ':') {
        ++i;
      } else if (text_.substr(i, 2) == "//") {
        const auto nl = text_.find('\n', i);
        if (nl == std::string_view::npos) return fallback;
        i = nl + 1;
      } else if (text_.substr(i, 2) == "/*") {
        const auto close = text_.find("*/", i + 2);
        if (close == std::string_view::npos) return i;
        i = close + 2;
      } else {
        ++i;
      }
    }
    return fallback;
  }

  void problem(int line, int column, std::string path, std::string message) {
    problems_.push_back(Diagnostic{file_, line, column, std::move(path), std::move(message)});
  }

  std::string_view text_;
  const std::string& file_;
  const char** last_read_;
  LineIndex lines_;
  std::optional<JsonNode> root_;
  std::vector<Frame> stack_;
  std::string pending_key_;
  int pending_key_line_ = 0;
  int pending_key_column_ = 0;
  bool pending_duplicate_ = false;
  std::size_t values_ = 0;
  std::size_t account_values_ = 0;
  std::size_t accounts_bytes_ = 0;  // the span of the "accounts" array, once it has closed
  const ElementSink& accounts_sink_;
  std::size_t stream_over_;
  JsonNode discarded_;  // where a scalar element handed to the sink was placed
  std::size_t last_event_end_ = 0;
  bool failed_ = false;
  std::vector<Diagnostic> problems_;
};

}  // namespace

namespace {

std::string size_limit(std::size_t bytes) {
  return std::to_string(bytes >> 20) + " MiB (" + std::to_string(bytes) + " bytes)";
}

ParseResult refused(const std::string& file_name, std::string message) {
  ParseResult result;
  result.problems.push_back(Diagnostic{file_name, 0, 0, "", std::move(message)});
  return result;
}

}  // namespace

std::string directory_size_limit() {
  return "a scenario file may be at most " + size_limit(kMaxDirectoryFileBytes) + ", and at most " +
         std::to_string(kMaxFileBytes >> 20) + " MiB outside its \"accounts\" array";
}

ParseResult parse_json(std::string_view text, const std::string& file_name, const ElementSink& accounts,
                       std::size_t stream_over) {
  if (!accounts && text.size() > kMaxFileBytes)
    return refused(file_name, "the text is " + std::to_string(text.size()) + " bytes; a scenario file may be at most " +
                                  size_limit(kMaxFileBytes));
  const std::string outside = " bytes outside its \"accounts\" array; a scenario file may be at most " +
                              size_limit(kMaxFileBytes) + " apart from its directory data";
  if (text.size() > kMaxFileBytes && text.find("\"accounts\"") == std::string_view::npos)
    return refused(file_name, "the text holds " + std::to_string(text.size()) + outside);  // no directory data at all
  if (text.size() > kMaxDirectoryFileBytes)
    return refused(file_name, "the text is " + std::to_string(text.size()) + " bytes; " + directory_size_limit());
  if (text.empty()) {
    ParseResult result;
    result.problems.push_back(Diagnostic{file_name, 0, 0, "", "the file is empty; a scenario is a JSON object"});
    return result;
  }
  if (text.substr(0, 2) == "\xFF\xFE" || text.substr(0, 2) == "\xFE\xFF") {
    ParseResult result;
    result.problems.push_back(Diagnostic{file_name, 0, 0, "", "the file is saved as UTF-16; save it as UTF-8"});
    return result;
  }
  const char* last_read = nullptr;
  TreeBuilder builder(text, file_name, &last_read, accounts, stream_over);
  const TrackingIterator first(text.data(), &last_read);
  const TrackingIterator last(text.data() + text.size(), &last_read);
  bool parsed = false;
  try {
    parsed = nlohmann::json::sax_parse(first, last, &builder, nlohmann::json::input_format_t::json,
                                       /*strict=*/true, /*ignore_comments=*/true);
  } catch (const std::exception& e) {
    ParseResult result;
    result.problems.push_back(Diagnostic{file_name, 0, 0, "", std::string("the JSON could not be read: ") + e.what()});
    return result;
  }
  if (builder.bytes_outside_accounts() > kMaxFileBytes)
    return refused(file_name, "the text holds " + std::to_string(builder.bytes_outside_accounts()) + outside);
  return builder.finish(parsed);
}

}  // namespace kerbsim::scenario
