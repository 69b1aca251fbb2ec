// Simulated time: an integer count of microseconds since the start of the run. Never a double.
// Durations are written as people write them ("90s", "2h30m"); parse_duration is that grammar.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace kerbsim::engine {

using SimTime = std::int64_t;  // microseconds

constexpr SimTime kMicrosecond = 1;
constexpr SimTime kMillisecond = 1000;
constexpr SimTime kSecond = 1000 * kMillisecond;
constexpr SimTime kMinute = 60 * kSecond;
constexpr SimTime kHour = 60 * kMinute;
constexpr SimTime kDay = 24 * kHour;

// The longest duration a scenario can write: 36500d (100 years).
constexpr SimTime kLongestDuration = 36500 * kDay;

constexpr SimTime seconds(std::int64_t s) { return s * kSecond; }

// "90s", "5m", "10h", "2h30m", "-3m"; whole units only, as people write durations.
std::string format_duration(SimTime t);

// Why a text is not a duration. Checked from left to right, so the first problem met is the one named.
enum class DurationError {
  none,
  empty,           // ""
  no_unit,         // "90": digits alone (a caller may accept a plain number of seconds instead)
  not_a_duration,  // "5x", "m5", "5m3": each number must be followed by d, h, m or s
  unit_order,      // "30m2h", "5m5m": each unit once, from days down to seconds
  too_long,        // more than kLongestDuration
};

struct DurationParse {
  DurationError error = DurationError::none;
  SimTime value = 0;      // when error is none; negative when written with "-"
  bool negative = false;  // written with a leading "-" (even "-0s"), so callers can refuse the sign
  bool ok() const { return error == DurationError::none; }
};

// [-] number unit [number unit ...], units d, h, m, s, each at most once and in that order; the inverse
// of format_duration. A lone "-" is zero.
DurationParse parse_duration(std::string_view text);

}  // namespace kerbsim::engine
