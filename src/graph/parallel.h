// ParallelFor: split [0, count) into `threads` contiguous chunks. Internal.
#ifndef VIGIL_GRAPH_PARALLEL_H_
#define VIGIL_GRAPH_PARALLEL_H_

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <thread>
#include <vector>

namespace vigil {

// Calls fn(worker, begin, end) once per chunk, chunks on their own threads
// (the first on the caller's). Returns when all are done.
template <typename Fn>
void ParallelFor(size_t count, int threads, Fn&& fn) {
  constexpr size_t kMinPerThread = 4096;
  size_t workers = std::clamp<size_t>(count / kMinPerThread, 1, std::max(1, threads));
  std::vector<std::jthread> pool;
  for (size_t w = 1; w < workers; ++w) {
    pool.emplace_back(
        [&fn, w, workers, count] { fn(w, count * w / workers, count * (w + 1) / workers); });
  }
  fn(size_t{0}, size_t{0}, count / workers);
}

inline bool Cancelled(const std::atomic<bool>* cancel) {
  return cancel != nullptr && cancel->load(std::memory_order_relaxed);
}

}  // namespace vigil

#endif  // VIGIL_GRAPH_PARALLEL_H_
