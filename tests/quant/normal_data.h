// Test data for the quantization tests: standard normal values generated
// exactly as /work/shared/reference/quant-rmse.md describes (splitmix64,
// top 53 bits / 2^53, Box-Muller in double, both outputs kept, rounded to
// float), so measured errors are comparable with the reference figures.
#pragma once

#include <cmath>
#include <cstdint>
#include <numbers>
#include <vector>

namespace corral::test {

class SplitMix64 {
 public:
  explicit SplitMix64(std::uint64_t seed) : state_(seed) {}
  std::uint64_t next() {
    std::uint64_t z = (state_ += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
  double uniform() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }  // [0, 1)

 private:
  std::uint64_t state_;
};

inline constexpr std::uint64_t kReferenceSeed = 20250220;

// n standard normal values (n even) from the given seed.
inline std::vector<float> normal_values(std::size_t n, std::uint64_t seed = kReferenceSeed) {
  SplitMix64 rng(seed);
  std::vector<float> out;
  out.reserve(n);
  while (out.size() < n) {
    const double u1 = rng.uniform(), u2 = rng.uniform();
    const double r = std::sqrt(-2.0 * std::log(1.0 - u1));
    out.push_back(static_cast<float>(r * std::cos(2 * std::numbers::pi * u2)));
    out.push_back(static_cast<float>(r * std::sin(2 * std::numbers::pi * u2)));
  }
  out.resize(n);
  return out;
}

}  // namespace corral::test
