#include "sim/alias_table.h"

namespace vigil::sim {

AliasTable::AliasTable(const std::vector<double>& weights)
    : keep_(weights.size(), 1.0f), alias_(weights.size()) {
  for (double weight : weights) total_ += weight;
  const double count = static_cast<double>(weights.size());
  std::vector<double> scaled(weights.size());
  std::vector<uint32_t> small, large;
  for (uint32_t index = 0; index < weights.size(); ++index) {
    alias_[index] = index;
    scaled[index] = weights[index] * count / total_;
    (scaled[index] < 1.0 ? small : large).push_back(index);
  }
  while (!small.empty() && !large.empty()) {
    const uint32_t light = small.back();
    small.pop_back();
    const uint32_t heavy = large.back();
    keep_[light] = static_cast<float>(scaled[light]);
    alias_[light] = heavy;
    scaled[heavy] -= 1.0 - scaled[light];
    if (scaled[heavy] < 1.0) {
      large.pop_back();
      small.push_back(heavy);
    }
  }
}

uint32_t AliasTable::Draw(Rng& rng) const {
  const auto index = static_cast<uint32_t>(rng.Below(keep_.size()));
  return rng.Unit() < keep_[index] ? index : alias_[index];
}

}  // namespace vigil::sim
