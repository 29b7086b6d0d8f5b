// SplitMix64: the sampler's pseudo-random generator. Its output is defined
// bit for bit by the algorithm (Steele, Lea & Flood, "Fast splittable
// pseudorandom number generators", 2014), unlike std::*_distribution, so a
// seed gives the same draws with every compiler and standard library.
#pragma once

#include <cstdint>

namespace corral::sample {

class SplitMix64 {
 public:
  explicit SplitMix64(std::uint64_t seed = 0) : state_(seed) {}

  std::uint64_t next() {
    state_ += 0x9e3779b97f4a7c15ULL;
    std::uint64_t z = state_;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }

  // Uniform in [0, 1): the top 53 bits as a double (exact, never 1.0).
  double next_unit() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }

 private:
  std::uint64_t state_;
};

}  // namespace corral::sample
