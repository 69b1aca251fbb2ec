// The generic readers every section of a scenario uses: an object with its allowed and required keys,
// strings, flags, whole numbers, durations, choices and lists, each reporting a wrong type or value at
// the value and leaving the spec field untouched.
#include "scenario/reader.h"

#include <algorithm>
#include <unordered_set>
#include <utility>

#include "engine/time.h"

namespace kerbsim::scenario {

namespace {

std::string unescape_token(std::string_view token) {
  std::string out;
  for (std::size_t i = 0; i < token.size(); ++i) {
    if (token[i] == '~' && i + 1 < token.size()) {
      out += token[i + 1] == '1' ? '/' : '~';
      ++i;
    } else {
      out += token[i];
    }
  }
  return out;
}

// How a message names a value: its key ("port"), or, inside an array, `each entry of "spns"`.
std::string subject(const JsonNode& n) {
  if (n.key_line > 0) return quote(n.key);
  if (n.path.empty()) return "the scenario";
  const auto last = n.path.rfind('/');
  const auto before = n.path.rfind('/', last == 0 ? 0 : last - 1);
  if (last == 0 || before == std::string::npos) return "this value";
  return "each entry of " + quote(unescape_token(n.path.substr(before + 1, last - before - 1)));
}

}  // namespace

bool Reader::object(const JsonNode& n, const Kind& k) {
  if (!n.is_object()) {
    r_.at(n, subject(n) + " must be an object { ... }, not " + describe_kind(n));
    return false;
  }
  check_keys(n, k.keys, k.where);
  for (const auto& key : k.required)
    if (!n.find(key)) r_.at(n, k.noun + " needs " + quote(key));
  return true;
}

void Reader::check_keys(const JsonNode& n, const Strings& allowed, const std::string& where) {
  for (const auto& child : n.children) {
    if (std::find(allowed.begin(), allowed.end(), child.key) != allowed.end()) continue;
    std::string msg = "unknown key " + quote(child.key) + " " + where;
    const std::string close = suggest(child.key, allowed);
    if (!close.empty())
      msg += "; did you mean " + quote(close) + "?";
    else
      msg += "; the keys allowed here are: " + join(allowed);
    r_.at_key(child, msg);
  }
}

void Reader::wrong_type(const JsonNode& n, std::string_view expected) {
  std::string msg = subject(n) + " must be " + std::string(expected) + ", not " + describe_kind(n);
  if (expected == "an array" && n.is_string()) msg += "; write [ " + quote(n.text) + " ]";
  r_.at(n, msg);
}

bool Reader::text(const JsonNode* n, std::string& out) {
  if (!n) return false;
  if (!n->is_string()) {
    wrong_type(*n, "a string");
    return false;
  }
  out = n->text;
  return true;
}

bool Reader::nonempty_text(const JsonNode* n, std::string& out) {
  std::string value;
  if (!text(n, value)) return false;
  if (value.empty()) {
    r_.at(*n, subject(*n) + " must not be empty");
    return false;
  }
  out = std::move(value);
  return true;
}

bool Reader::checked(const JsonNode* n, std::string& out, const Check& check) {
  std::string value;
  if (!text(n, value)) return false;
  if (std::string problem = check(value); !problem.empty()) {
    r_.at(*n, problem);
    return false;
  }
  out = std::move(value);
  return true;
}

bool Reader::flag(const JsonNode* n, bool& out) {
  if (!n) return false;
  if (n->kind != JsonKind::boolean) {
    wrong_type(*n, "true or false");
    return false;
  }
  out = n->boolean;
  return true;
}

bool Reader::whole(const JsonNode* n, int& out, std::int64_t lo, std::int64_t hi) {
  if (!n) return false;
  const std::string range = hi == INT_MAX ? "a whole number of at least " + std::to_string(lo)
                                          : "a whole number from " + std::to_string(lo) + " to " + std::to_string(hi);
  if (n->kind == JsonKind::number) {
    r_.at(*n, subject(*n) + " must be " + range + ", not " + n->text);
    return false;
  }
  if (n->kind != JsonKind::integer) {
    wrong_type(*n, "a whole number");
    return false;
  }
  if (n->integer < lo || n->integer > hi) {
    r_.at(*n, subject(*n) + " must be " + range + ", not " + n->text);
    return false;
  }
  out = static_cast<int>(n->integer);
  return true;
}

bool Reader::positive_real(const JsonNode* n, double& out) {
  if (!n) return false;
  if (n->kind != JsonKind::integer && n->kind != JsonKind::number) {
    wrong_type(*n, "a number");
    return false;
  }
  const double v = n->kind == JsonKind::integer ? static_cast<double>(n->integer) : n->number;
  if (!(v > 0)) {
    r_.at(*n, subject(*n) + " must be a number greater than 0, not " + n->text);
    return false;
  }
  out = v;
  return true;
}

bool Reader::duration(const JsonNode* n, spec::Seconds& out, DurationRule rule) {
  if (!n) return false;
  constexpr std::int64_t kMax = engine::kLongestDuration / engine::kSecond;
  if (n->kind == JsonKind::integer) {
    if (n->integer < 0 && !rule.allow_negative) {
      r_.at(*n, subject(*n) + " cannot be negative");
      return false;
    }
    if (n->integer == 0 && !rule.allow_zero) {
      r_.at(*n, subject(*n) + " must be longer than 0 seconds");
      return false;
    }
    if (n->integer > kMax || n->integer < -kMax) {
      r_.at(*n, subject(*n) + " is too long; the longest duration is 36500d (100 years)");
      return false;
    }
    out = n->integer;
    return true;
  }
  if (n->kind == JsonKind::number) {
    r_.at(*n, subject(*n) + " must be a whole number of seconds, not " + n->text);
    return false;
  }
  if (!n->is_string()) {
    wrong_type(*n, "a duration such as \"5m\" or a number of seconds");
    return false;
  }
  std::string problem;
  const auto value = parse_duration(n->text, rule, problem);
  if (!value) {
    r_.at(*n, subject(*n) + ": " + problem);
    return false;
  }
  out = *value;
  return true;
}

bool Reader::choice(const JsonNode* n, std::string& out, const Strings& values) {
  if (!n) return false;
  if (!n->is_string()) {
    r_.at(*n, subject(*n) + " must be one of " + join(values) + " (as a string in quotes), not " + describe_kind(*n));
    return false;
  }
  std::string value = n->text;
  if (std::find(values.begin(), values.end(), value) != values.end()) {
    out = std::move(value);
    return true;
  }
  std::string msg = subject(*n) + " must be one of " + join(values) + ", not " + quote(value);
  if (const std::string close = suggest(value, values); !close.empty()) msg += "; did you mean " + quote(close) + "?";
  r_.at(*n, msg);
  return false;
}

// Elements of an array (reported when the value is not an array).
std::vector<const JsonNode*> Reader::items(const JsonNode* n) {
  std::vector<const JsonNode*> out;
  if (!n) return out;
  if (!n->is_array()) {
    wrong_type(*n, "an array");
    return out;
  }
  for (const auto& child : n->children) out.push_back(&child);
  return out;
}

// An array of strings, each passing `check`; a repeated entry is reported.
bool Reader::texts(const JsonNode* n, std::vector<std::string>& out, const Check& check, bool case_blind) {
  if (!n) return false;
  if (!n->is_array()) {
    wrong_type(*n, "an array");
    return false;
  }
  std::vector<std::string> values;
  std::unordered_set<std::string> seen;
  for (const auto& child : n->children) {
    std::string value;
    if (!nonempty_text(&child, value)) continue;
    if (check) {
      if (std::string problem = check(value); !problem.empty()) {
        r_.at(child, problem);
        continue;
      }
    }
    const std::string folded = case_blind ? lower(value) : value;
    if (!seen.insert(folded).second) {
      r_.at(child, quote(value) + " is listed twice in " + quote(n->key));
      continue;
    }
    values.push_back(std::move(value));
  }
  out = std::move(values);
  return true;
}

Check Reader::one_of(const Strings& values, const std::string& what) {
  return [values, what](std::string_view v) -> std::string {
    if (std::find(values.begin(), values.end(), v) != values.end()) return "";
    std::string msg = "unknown " + what + " " + quote(v) + "; use " + join(values);
    if (const std::string close = suggest(v, values); !close.empty()) msg += " (did you mean " + quote(close) + "?)";
    return msg;
  };
}

Check Reader::dns_check(const std::string& what) {
  return [what](std::string_view v) { return check_dns_name(v, what); };
}

void Reader::valid_choice(const JsonNode* n, const Strings& values) {
  std::string ignored;
  choice(n, ignored, values);
}

void Reader::nullable_text(const JsonNode* n) {
  if (n && n->kind != JsonKind::null && !n->is_string()) wrong_type(*n, "a string or null");
}

// Depth is bounded by the parser's nesting limit.
Value Reader::to_value(const JsonNode& n) {
  switch (n.kind) {
    case JsonKind::null:
      return Value();
    case JsonKind::boolean:
      return Value(n.boolean);
    case JsonKind::integer:
      return Value(static_cast<std::int64_t>(n.integer));
    case JsonKind::number:
      return Value(n.number);
    case JsonKind::string:
      return Value(n.text);
    case JsonKind::array: {
      Value v = Value::array();
      for (const auto& c : n.children) v.push(to_value(c));
      return v;
    }
    case JsonKind::object: {
      Value v = Value::object();
      for (const auto& c : n.children) v.as_object().emplace_back(c.key, to_value(c));
      return v;
    }
  }
  return Value();
}

}  // namespace kerbsim::scenario
