// Which edges a question admits, and an edge's tie strength. Internal.
#ifndef VIGIL_GRAPH_EDGE_FILTER_H_
#define VIGIL_GRAPH_EDGE_FILTER_H_

#include <limits>

#include "vigil/graph.h"

namespace vigil {

inline constexpr UnixTime kMinTime = std::numeric_limits<UnixTime>::min();
inline constexpr UnixTime kMaxTime = std::numeric_limits<UnixTime>::max();

// Contacts of edge e inside the filter's window, or 0 when the edge is not
// admitted (fewer than filter.min_contacts). Cost O(1) without a window,
// O(log contacts) with one.
inline uint32_t AdmittedContacts(const Graph& graph, EdgeId e, const EdgeFilter& filter) {
  uint32_t contacts =
      (filter.from || filter.to)
          ? graph.EdgeContactsIn(e, filter.from.value_or(kMinTime), filter.to.value_or(kMaxTime))
          : graph.EdgeContactCount(e);
  return contacts >= std::max<uint32_t>(1, filter.min_contacts) ? contacts : 0;
}

}  // namespace vigil

#endif  // VIGIL_GRAPH_EDGE_FILTER_H_
