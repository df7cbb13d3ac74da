// A small, portable pseudo-random generator and the distributions the world
// generator needs (internal to vigil_sim).
//
// Deterministic on every platform: xoshiro256** seeded through splitmix64, and
// hand-written distributions (std:: distributions differ between libraries).
// Not thread-safe; use one Rng per thread or per purpose (see Fork).
#ifndef VIGIL_SIM_RNG_H_
#define VIGIL_SIM_RNG_H_

#include <cstdint>
#include <span>

namespace vigil::sim {

// One step of splitmix64: a good 64-bit mixing function. O(1).
uint64_t Mix64(uint64_t value);

class Rng {
 public:
  explicit Rng(uint64_t seed);

  // An independent generator for a named purpose: the same (seed, stream)
  // always yields the same sequence, whatever this generator did before.
  Rng Fork(uint64_t stream) const;

  uint64_t Next();
  // Uniform in [0, bound). REQUIRES: bound > 0.
  uint64_t Below(uint64_t bound);
  // Uniform in [low, high]. REQUIRES: low <= high.
  int64_t Between(int64_t low, int64_t high);
  // Uniform in [0, 1).
  double Unit();
  // True with probability `probability`.
  bool Chance(double probability);
  // Poisson with the given mean: exact (Knuth) for small means, a rounded
  // normal approximation for large ones. REQUIRES: mean >= 0.
  int64_t Poisson(double mean);
  // Standard normal (Box-Muller).
  double Gaussian();
  // Pareto with minimum 1 and tail index `alpha` (heavy-tailed). REQUIRES: alpha > 0.
  double Pareto(double alpha);
  // An index drawn with probability proportional to `weights`.
  // REQUIRES: weights non-empty with a positive sum.
  size_t Weighted(std::span<const double> weights);

 private:
  uint64_t state_[4];
  uint64_t seed_;
};

}  // namespace vigil::sim

#endif  // VIGIL_SIM_RNG_H_
