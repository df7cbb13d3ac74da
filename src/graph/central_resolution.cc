// CentralResolution: the resolution whose communities are the most typical
// across scales, chosen without any ground truth.
#include <algorithm>

#include "vigil/graph.h"

namespace vigil {

Result<double> CentralResolution(const Graph& graph, const CommunityOptions& options,
                                 std::span<const double> candidates) {
  if (candidates.size() < 2) {
    return Status::InvalidArgument("CentralResolution needs two or more candidate resolutions");
  }
  std::vector<std::vector<uint32_t>> partitions;
  for (double resolution : candidates) {
    CommunityOptions at = options;
    at.resolution = resolution;
    Communities communities(graph, at);
    VIGIL_RETURN_IF_ERROR(communities.run());
    partitions.push_back(communities.membership());
  }
  // Mean agreement of each partition with all the others; the first of the
  // highest wins (candidates in the caller's order).
  double best = candidates.front(), best_agreement = -1;
  for (size_t i = 0; i < partitions.size(); ++i) {
    double agreement = 0;
    for (size_t j = 0; j < partitions.size(); ++j) {
      if (j != i) agreement += NormalizedMutualInformation(partitions[i], partitions[j]);
    }
    if (agreement > best_agreement + 1e-12) {
      best_agreement = agreement;
      best = candidates[i];
    }
  }
  return best;
}

}  // namespace vigil
