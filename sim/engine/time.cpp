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

}  // namespace kerbsim::engine
