// The duration grammar: [-] number unit ..., units d, h, m, s once each and in that order, and its
// inverse format_duration.
#include <catch2/catch.hpp>

#include "engine/time.h"

using namespace kerbsim::engine;

TEST_CASE("a duration is numbers with units from days down to seconds", "[time]") {
  CHECK(parse_duration("90s").value == 90 * kSecond);
  CHECK(parse_duration("5m").value == 5 * kMinute);
  CHECK(parse_duration("2h30m").value == 2 * kHour + 30 * kMinute);
  CHECK(parse_duration("7d").value == 7 * kDay);
  CHECK(parse_duration("1d2h3m4s").value == kDay + 2 * kHour + 3 * kMinute + 4 * kSecond);
  CHECK(parse_duration("0s").ok());
}

TEST_CASE("a leading minus makes a duration negative, and is reported even for zero", "[time]") {
  const auto back = parse_duration("-30s");
  REQUIRE(back.ok());
  CHECK(back.negative);
  CHECK(back.value == -30 * kSecond);
  CHECK(parse_duration("-0s").negative);
  CHECK_FALSE(parse_duration("30s").negative);
}

TEST_CASE("each malformed duration says why", "[time]") {
  CHECK(parse_duration("").error == DurationError::empty);
  CHECK(parse_duration("90").error == DurationError::no_unit);
  CHECK(parse_duration("-90").error == DurationError::no_unit);
  for (const char* text : {"5x", "m5", "5m3", "5 m", "1.5h", "h"}) {
    INFO(text);
    CHECK(parse_duration(text).error == DurationError::not_a_duration);
  }
  CHECK(parse_duration("30m2h").error == DurationError::unit_order);
  CHECK(parse_duration("5m5m").error == DurationError::unit_order);
  CHECK(parse_duration("36501d").error == DurationError::too_long);
  CHECK(parse_duration("9999999999s").error == DurationError::too_long);
  CHECK(parse_duration("36500d").ok());
  CHECK(parse_duration("36500d").value == kLongestDuration);
}

TEST_CASE("format_duration writes what parse_duration reads", "[time]") {
  for (const char* text : {"90s", "5m", "10h", "2h30m", "-3m", "1d1s", "0s"}) {
    INFO(text);
    const auto parsed = parse_duration(text);
    REQUIRE(parsed.ok());
    CHECK(parse_duration(format_duration(parsed.value)).value == parsed.value);
  }
  CHECK(format_duration(90 * kSecond) == "1m30s");
}
