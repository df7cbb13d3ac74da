// TieWeights: per-tie weights for finding cells, from the evidence the
// graph keeps about each tie (how often, of which kinds, and when), rather
// than raw contact counts.
//
// Why: with raw counts, the ties a person uses most (family, work) outweigh
// the fewer ties of a covert group, and modularity then assigns each member
// to their family. Three behavioural signals, each generic to contact data:
//  - diminishing returns on volume: the 50th call of a tie is less new
//    evidence than the 2nd, so volume counts as log2(1 + contacts);
//  - multiplexity: a custody overlap, a shared flight or a report naming the
//    other is independent evidence of the same tie: a report adds one; an
//    event several people shared adds in proportion to how few shared it
//    (1/(n-1) per event for n people, summed, on a log scale), so a full
//    flight is not a clique of strong ties and two people held together
//    for months are;
//  - synchrony: ties of a triangle that go quiet and wake up together (their
//    per-bin activity series correlate) belong to one group acting together,
//    while ties that are merely steady (every-day contacts) do not correlate
//    beyond chance. A tie's synchrony is the mean positive Pearson
//    correlation of its series with the two other ties of each triangle it
//    closes (hubs excluded as third nodes: they close triangles by volume).
#include <algorithm>
#include <cmath>

#include "graph/edge_filter.h"
#include "vigil/graph.h"

namespace vigil {
namespace {

// Every edge's activity series, z-normalised (mean 0, norm 1; all zeros for
// a constant series), `bins` values each, back to back.
std::vector<float> ActivitySeries(const Graph& graph, const TieWeightOptions& options,
                                  UnixTime first, size_t bins) {
  std::vector<float> series(graph.edge_count() * bins, 0.0f);
  const UnixTime from = options.filter.from.value_or(kMinTime);
  const UnixTime to = options.filter.to.value_or(kMaxTime);
  std::vector<double> counts(bins);
  for (EdgeId e = 0; e < graph.edge_count(); ++e) {
    std::fill(counts.begin(), counts.end(), 0.0);
    for (UnixTime t : graph.EdgeContacts(e)) {
      if (t < from || t >= to) continue;
      counts[std::min<size_t>(bins - 1, static_cast<size_t>((t - first) / options.bin_s))] += 1;
    }
    double mean = 0;
    for (double c : counts) mean += c;
    mean /= static_cast<double>(bins);
    double norm = 0;
    for (double c : counts) norm += (c - mean) * (c - mean);
    if (norm <= 0) continue;
    norm = std::sqrt(norm);
    float* out = series.data() + static_cast<size_t>(e) * bins;
    for (size_t i = 0; i < bins; ++i) out[i] = static_cast<float>((counts[i] - mean) / norm);
  }
  return series;
}

double Correlation(const float* x, const float* y, size_t bins) {
  double sum = 0;
  for (size_t i = 0; i < bins; ++i) sum += static_cast<double>(x[i]) * y[i];
  return sum;
}

}  // namespace

std::vector<double> TieWeights(const Graph& graph, const TieWeightOptions& options) {
  const size_t m = graph.edge_count();
  std::vector<double> weights(m, 0.0);
  if (m == 0) return weights;
  UnixTime first = kMaxTime, last = kMinTime;
  for (EdgeId e = 0; e < m; ++e) {
    first = std::min(first, graph.EdgeFirst(e));
    last = std::max(last, graph.EdgeLast(e));
  }
  if (options.filter.from) first = std::max(first, *options.filter.from);
  const int64_t bin_s = std::max<int64_t>(1, options.bin_s);
  const size_t bins =
      last > first
          ? std::min<size_t>(options.max_bins, 1 + static_cast<size_t>((last - first) / bin_s))
          : 1;
  TieWeightOptions effective = options;
  effective.bin_s = std::max<int64_t>(bin_s, (last - first) / static_cast<int64_t>(bins) + 1);
  std::vector<float> series;
  if (options.synchrony && bins > 1) series = ActivitySeries(graph, effective, first, bins);
  const double mean_degree =
      2.0 * static_cast<double>(m) / static_cast<double>(std::max<size_t>(1, graph.node_count()));
  const double hub_degree = std::max(static_cast<double>(options.hub_min_degree),
                                     options.hub_relative_degree * mean_degree);
  auto profile = [&](EdgeId e) { return series.data() + static_cast<size_t>(e) * bins; };
  for (NodeId u = 0; u < graph.node_count(); ++u) {
    auto nu = graph.Neighbours(u);
    auto eu = graph.IncidentEdges(u);
    for (size_t i = 0; i < nu.size(); ++i) {
      const NodeId v = nu[i];
      if (v < u) continue;  // each edge once, from its lower end
      const EdgeId e = eu[i];
      const uint32_t contacts = AdmittedContacts(graph, e, options.filter);
      if (contacts == 0) continue;
      // Contacts of shared events (custody, co-travel) are not volume.
      const uint32_t shared_events = graph.EdgeSharedEvents(e);
      const uint32_t pairwise = contacts > shared_events ? contacts - shared_events : 0;
      double weight = std::log2(1.0 + static_cast<double>(pairwise));
      if (options.multiplex) {
        const unsigned kinds = graph.EdgeKinds(e);
        if ((kinds & kEdgeReport) != 0) weight += 1.0;
        if ((kinds & (kEdgeCustody | kEdgeCoTravel | kEdgeHandset)) != 0) {
          if (shared_events > 0) {
            weight += options.shared_gain * std::log2(1.0 + graph.EdgeSharedWeight(e));
          } else {
            // Shared events without a group size (a network file, contacts
            // made by hand): each such kind adds one, as a report does.
            weight += ((kinds & kEdgeCustody) != 0 ? 1.0 : 0.0) +
                      ((kinds & kEdgeCoTravel) != 0 ? 1.0 : 0.0) +
                      ((kinds & kEdgeHandset) != 0 ? 1.0 : 0.0);
          }
        }
      }
      if (!series.empty()) {
        // Triangles u-v-w: merge the two sorted neighbour lists.
        auto nv = graph.Neighbours(v);
        auto ev = graph.IncidentEdges(v);
        double sync = 0;
        size_t triangles = 0;
        for (size_t a = 0, b = 0; a < nu.size() && b < nv.size();) {
          if (nu[a] < nv[b]) {
            ++a;
          } else if (nv[b] < nu[a]) {
            ++b;
          } else {
            const NodeId w = nu[a];
            if (static_cast<double>(graph.Degree(w)) < hub_degree) {
              sync += std::max(0.0, Correlation(profile(e), profile(eu[a]), bins));
              sync += std::max(0.0, Correlation(profile(e), profile(ev[b]), bins));
              triangles += 2;
            }
            ++a;
            ++b;
          }
        }
        if (triangles > 0)
          weight *= 1.0 + options.synchrony_gain * sync / static_cast<double>(triangles);
      }
      if (options.hub_damping > 0) {
        const double degree = static_cast<double>(std::max(graph.Degree(u), graph.Degree(v)));
        if (degree > hub_degree) weight *= std::pow(hub_degree / degree, options.hub_damping);
      }
      weights[e] = weight;
    }
  }
  return weights;
}

std::vector<double> EvidenceStrengths(const Graph& graph, const TieWeightOptions& options) {
  std::vector<double> strengths = TieWeights(graph, options);
  for (double& w : strengths) w = 1.0 - std::exp(-w / 3.0);
  return strengths;
}

}  // namespace vigil
