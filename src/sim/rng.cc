#include "sim/rng.h"

#include <cmath>
#include <numbers>

namespace vigil::sim {
namespace {

constexpr uint64_t kGoldenGamma = 0x9e3779b97f4a7c15ULL;
constexpr int kMantissaShift = 11;  // 64 - 53 bits of a double
constexpr double kTwoToMinus53 = 1.0 / 9007199254740992.0;
constexpr double kExactPoissonLimit = 30.0;  // Knuth below, normal above

__extension__ using Uint128 = unsigned __int128;  // GCC/Clang builtin

uint64_t RotateLeft(uint64_t value, int shift) {
  return (value << shift) | (value >> (64 - shift));
}

}  // namespace

uint64_t Mix64(uint64_t value) {
  value += kGoldenGamma;
  value = (value ^ (value >> 30)) * 0xbf58476d1ce4e5b9ULL;
  value = (value ^ (value >> 27)) * 0x94d049bb133111ebULL;
  return value ^ (value >> 31);
}

Rng::Rng(uint64_t seed) : seed_(seed) {
  uint64_t mixer = seed;
  for (uint64_t& word : state_) {
    mixer += kGoldenGamma;
    word = Mix64(mixer);
  }
}

Rng Rng::Fork(uint64_t stream) const { return Rng(Mix64(seed_ ^ Mix64(stream))); }

uint64_t Rng::Next() {
  const uint64_t result = RotateLeft(state_[1] * 5, 7) * 9;
  const uint64_t shifted = state_[1] << 17;
  state_[2] ^= state_[0];
  state_[3] ^= state_[1];
  state_[1] ^= state_[2];
  state_[0] ^= state_[3];
  state_[2] ^= shifted;
  state_[3] = RotateLeft(state_[3], 45);
  return result;
}

uint64_t Rng::Below(uint64_t bound) {
  // Lemire's multiply-shift; the bias is below 2^-40 for our bounds.
  return static_cast<uint64_t>((static_cast<Uint128>(Next()) * bound) >> 64);
}

int64_t Rng::Between(int64_t low, int64_t high) {
  return low + static_cast<int64_t>(Below(static_cast<uint64_t>(high - low) + 1));
}

double Rng::Unit() { return static_cast<double>(Next() >> kMantissaShift) * kTwoToMinus53; }

bool Rng::Chance(double probability) { return Unit() < probability; }

double Rng::Gaussian() {
  const double radius = std::sqrt(-2.0 * std::log(1.0 - Unit()));
  return radius * std::cos(2.0 * std::numbers::pi * Unit());
}

int64_t Rng::Poisson(double mean) {
  if (mean <= 0) return 0;
  if (mean > kExactPoissonLimit) {
    const double draw = std::round(mean + std::sqrt(mean) * Gaussian());
    return draw < 0 ? 0 : static_cast<int64_t>(draw);
  }
  const double limit = std::exp(-mean);
  int64_t count = 0;
  double product = Unit();
  while (product > limit) {
    ++count;
    product *= Unit();
  }
  return count;
}

double Rng::Pareto(double alpha) { return std::pow(1.0 - Unit(), -1.0 / alpha); }

size_t Rng::Weighted(std::span<const double> weights) {
  double total = 0;
  for (double weight : weights) total += weight;
  double target = Unit() * total;
  for (size_t index = 0; index < weights.size(); ++index) {
    target -= weights[index];
    if (target < 0) return index;
  }
  return weights.size() - 1;
}

}  // namespace vigil::sim
