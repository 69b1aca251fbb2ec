// Seeded random numbers, one independent stream per purpose, so that adding draws to one stream
// never changes another's sequence. splitmix64 seeds xoshiro256**; both are fully specified, so a
// seed gives the same numbers on every platform and build type.
#pragma once

#include <cstdint>

namespace kerbsim::engine {

class Rng {
 public:
  explicit Rng(std::uint64_t seed, std::uint64_t stream = 0);

  std::uint64_t next();
  // Uniform in [0, 1).
  double uniform();
  // Uniform integer in [0, n); n > 0.
  std::uint64_t below(std::uint64_t n);
  // Exponentially distributed with the given mean (for Poisson arrivals).
  double exponential(double mean);

 private:
  std::uint64_t s_[4] = {};
};

}  // namespace kerbsim::engine
