// Disjoint sets over 0..n-1 with path halving and union by size (internal).
// Find and Union cost O(alpha(n)) amortised; memory O(n).
#ifndef VIGIL_RESOLVE_UNION_FIND_H_
#define VIGIL_RESOLVE_UNION_FIND_H_

#include <cstdint>
#include <numeric>
#include <utility>
#include <vector>

namespace vigil::resolve {

class UnionFind {
 public:
  explicit UnionFind(size_t n) : parent_(n), size_(n, 1) {
    std::iota(parent_.begin(), parent_.end(), uint32_t{0});
  }

  uint32_t Find(uint32_t x) {
    while (parent_[x] != x) {
      parent_[x] = parent_[parent_[x]];
      x = parent_[x];
    }
    return x;
  }

  // Joins the sets of x and y; returns the root of the joined set.
  uint32_t Union(uint32_t x, uint32_t y) {
    x = Find(x);
    y = Find(y);
    if (x == y) return x;
    if (size_[x] < size_[y]) std::swap(x, y);
    parent_[y] = x;
    size_[x] += size_[y];
    return x;
  }

  uint32_t Size(uint32_t x) { return size_[Find(x)]; }

 private:
  std::vector<uint32_t> parent_;
  std::vector<uint32_t> size_;
};

}  // namespace vigil::resolve

#endif  // VIGIL_RESOLVE_UNION_FIND_H_
