// Walker/Vose alias table: O(1) draws of an index with probability
// proportional to a weight (internal to vigil_sim).
#ifndef VIGIL_SIM_ALIAS_TABLE_H_
#define VIGIL_SIM_ALIAS_TABLE_H_

#include <cstdint>
#include <vector>

#include "sim/rng.h"

namespace vigil::sim {

class AliasTable {
 public:
  // REQUIRES: weights non-empty, non-negative, with a positive sum.
  // O(n) time and memory.
  explicit AliasTable(const std::vector<double>& weights);

  // An index in [0, n) drawn proportionally to its weight. O(1).
  uint32_t Draw(Rng& rng) const;
  double total() const { return total_; }

 private:
  std::vector<float> keep_;
  std::vector<uint32_t> alias_;
  double total_ = 0;
};

}  // namespace vigil::sim

#endif  // VIGIL_SIM_ALIAS_TABLE_H_
