// Transparent huge pages for the graph's large arrays. Internal.
//
// Why: the analyses (expansion, PageRank, Brandes) read the graph's arrays
// at random. With 4 KiB pages a 400 MB graph spans ~100k pages, far more
// than the TLB holds, so nearly every random read also misses the TLB and
// walks the page tables. With 2 MiB pages the same graph is ~200 pages.
#ifndef VIGIL_GRAPH_HUGE_PAGES_H_
#define VIGIL_GRAPH_HUGE_PAGES_H_

#include <cstddef>
#include <vector>

namespace vigil {

// Asks the kernel to back the whole 2 MiB pages inside [data, data + bytes)
// with huge pages: madvise(MADV_HUGEPAGE) for pages faulted later, and
// MADV_COLLAPSE (Linux >= 6.1) to convert the pages already there now.
// A hint only: contents never change, and where the kernel refuses (older
// kernel, THP disabled, no free huge page) nothing happens. Ranges under
// 2 MiB are skipped. Cost: one copy of the range at most (the collapse).
void AdviseHugePages(const void* data, size_t bytes);

// v.assign(size, value) with the storage advised onto huge pages before it
// is first written (so no collapse copy is needed): for the node-sized
// working arrays that analyses read at random (ranks, BFS state).
template <typename T>
void AssignOnHugePages(std::vector<T>& v, size_t size, const T& value = T()) {
  if (v.capacity() < size) {
    v = std::vector<T>();
    v.reserve(size);
    AdviseHugePages(v.data(), size * sizeof(T));
  }
  v.assign(size, value);
}

}  // namespace vigil

#endif  // VIGIL_GRAPH_HUGE_PAGES_H_
