// AdviseHugePages: madvise on the 2 MiB-aligned interior of a range.
#include "graph/huge_pages.h"

#include <sys/mman.h>

#include <cstdint>

namespace vigil {
namespace {

constexpr uintptr_t kHugePage = uintptr_t{2} << 20;
#ifndef MADV_COLLAPSE
constexpr int MADV_COLLAPSE = 25;  // Linux 6.1; older headers lack it
#endif

}  // namespace

void AdviseHugePages(const void* data, size_t bytes) {
  const auto begin = reinterpret_cast<uintptr_t>(data);
  const uintptr_t first = (begin + kHugePage - 1) & ~(kHugePage - 1);
  const uintptr_t last = (begin + bytes) & ~(kHugePage - 1);
  if (data == nullptr || last <= first) return;
  void* start = reinterpret_cast<void*>(first);
  const size_t length = last - first;
  // Both are hints; an error (EINVAL on old kernels, EAGAIN without free
  // huge pages) leaves the memory as it was, which is correct, only slower.
  (void)madvise(start, length, MADV_HUGEPAGE);
  (void)madvise(start, length, MADV_COLLAPSE);
}

}  // namespace vigil
