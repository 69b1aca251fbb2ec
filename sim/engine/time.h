// Simulated time: an integer count of microseconds since the start of the run. Never a double.
#pragma once

#include <cstdint>
#include <string>

namespace kerbsim::engine {

using SimTime = std::int64_t;  // microseconds

constexpr SimTime kMicrosecond = 1;
constexpr SimTime kMillisecond = 1000;
constexpr SimTime kSecond = 1000 * kMillisecond;
constexpr SimTime kMinute = 60 * kSecond;
constexpr SimTime kHour = 60 * kMinute;

constexpr SimTime seconds(std::int64_t s) { return s * kSecond; }

// "90s", "5m", "10h", "2h30m", "-3m"; whole units only, as people write durations.
std::string format_duration(SimTime t);

}  // namespace kerbsim::engine
