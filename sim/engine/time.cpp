#include "engine/time.h"

namespace kerbsim::engine {

std::string format_duration(SimTime t) {
  std::string out;
  if (t < 0) {
    out = "-";
    t = -t;
  }
  std::int64_t s = t / kSecond;
  const std::int64_t d = s / 86400;
  s %= 86400;
  const std::int64_t h = s / 3600;
  s %= 3600;
  const std::int64_t m = s / 60;
  s %= 60;
  if (d) out += std::to_string(d) + "d";
  if (h) out += std::to_string(h) + "h";
  if (m) out += std::to_string(m) + "m";
  if (s || out.empty() || out == "-") out += std::to_string(s) + "s";
  return out;
}

namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }

DurationParse failed(DurationError error) {
  DurationParse p;
  p.error = error;
  return p;
}

}  // namespace

DurationParse parse_duration(std::string_view text) {
  if (text.empty()) return failed(DurationError::empty);
  DurationParse result;
  std::string_view rest = text;
  if (rest[0] == '-') {
    result.negative = true;
    rest.remove_prefix(1);
  }
  bool digits_only = !rest.empty();
  for (const char c : rest) digits_only = digits_only && is_digit(c);
  if (digits_only) return failed(DurationError::no_unit);
  constexpr std::string_view kUnits = "dhms";
  // Counted in seconds: nine digits of days in microseconds would overflow.
  constexpr std::int64_t kScale[] = {86400, 3600, 60, 1};
  std::int64_t total = 0;
  int last_unit = -1;
  while (!rest.empty()) {
    std::size_t i = 0;
    while (i < rest.size() && is_digit(rest[i])) ++i;
    if (i == 0 || i == rest.size()) return failed(DurationError::not_a_duration);
    const auto found = kUnits.find(rest[i]);
    if (found == std::string_view::npos) return failed(DurationError::not_a_duration);
    const auto unit = static_cast<int>(found);
    if (unit <= last_unit) return failed(DurationError::unit_order);
    last_unit = unit;
    if (i > 9) return failed(DurationError::too_long);
    std::int64_t number = 0;
    for (const char c : rest.substr(0, i)) number = number * 10 + (c - '0');
    total += number * kScale[unit];
    if (total > kLongestDuration / kSecond) return failed(DurationError::too_long);
    rest.remove_prefix(i + 1);
  }
  result.value = (result.negative ? -total : total) * kSecond;
  return result;
}

}  // namespace kerbsim::engine
