// Communities (Leiden) on small graphs whose communities are known: two
// cliques joined by one tie, a ring of cliques (the resolution limit), and
// random graphs for the guarantees (connected communities, determinism).
#include <random>
#include <set>

#include <gtest/gtest.h>

#include "vigil/graph.h"

namespace vigil {
namespace {

// `cliques` complete graphs of `size` nodes; clique c holds nodes
// c * size .. c * size + size - 1. With `ring`, the last node of each
// clique is tied to the first node of the next (the last to the first).
std::vector<TimedContact> Cliques(uint32_t cliques, uint32_t size, bool ring) {
  std::vector<TimedContact> contacts;
  for (uint32_t c = 0; c < cliques; ++c) {
    const uint32_t base = c * size;
    for (uint32_t i = 0; i < size; ++i) {
      for (uint32_t j = i + 1; j < size; ++j) contacts.push_back({base + i, base + j, 1});
    }
    if (ring) contacts.push_back({base + size - 1, ((c + 1) % cliques) * size, 1});
  }
  return contacts;
}

// Whether the members of every community are connected through members
// of the same community (a breadth-first search per community).
bool EveryCommunityConnected(const Graph& graph, const std::vector<uint32_t>& membership,
                             size_t count) {
  std::vector<uint8_t> seen(graph.node_count(), 0), started(count, 0);
  for (NodeId start = 0; start < graph.node_count(); ++start) {
    if (seen[start] != 0) continue;
    if (started[membership[start]] != 0) return false;  // a second part
    started[membership[start]] = 1;
    std::vector<NodeId> queue = {start};
    seen[start] = 1;
    for (size_t head = 0; head < queue.size(); ++head) {
      for (NodeId w : graph.Neighbours(queue[head])) {
        if (seen[w] == 0 && membership[w] == membership[start]) {
          seen[w] = 1;
          queue.push_back(w);
        }
      }
    }
  }
  return true;
}

// n nodes, every node tied to `degree` random others, plus planted groups
// of 8 that are denser: a graph with community structure but no clean
// answer, so that moves, refinement and aggregation all have work.
Graph NoisyGroups(uint32_t n, uint32_t degree, uint64_t seed) {
  std::mt19937_64 random(seed);
  std::uniform_int_distribution<uint32_t> any(0, n - 1);
  std::vector<TimedContact> contacts;
  for (uint32_t v = 0; v < n; ++v) {
    for (uint32_t d = 0; d < degree; ++d) contacts.push_back({v, any(random), 1});
    const uint32_t base = v / 8 * 8;
    for (uint32_t d = 0; d < 3; ++d)
      contacts.push_back({v, base + static_cast<uint32_t>(random() % 8), 1});
  }
  return std::move(BuildGraph({}, std::move(contacts))).value();
}

TEST(CommunitiesTest, TwoCliquesJoinedByOneTie) {
  auto contacts = Cliques(2, 5, false);
  contacts.push_back({4, 5, 1});
  auto graph = BuildGraph({}, contacts);
  ASSERT_TRUE(graph.ok());
  Communities communities(*graph);
  ASSERT_TRUE(communities.run().ok());
  ASSERT_EQ(communities.community_count(), 2u);
  const auto& c = communities.membership();
  for (NodeId v = 0; v < 10; ++v) EXPECT_EQ(c[v], c[v / 5 * 5]) << v;
  EXPECT_NE(c[0], c[5]);
  // m = 21; each side holds 10 ties and half of the total degree.
  EXPECT_NEAR(communities.modularity(), 2 * (10.0 / 21 - 0.25), 1e-12);
}

// 30 five-cliques in a ring: at resolution 1 modularity prefers merging
// neighbouring cliques in pairs (Q 0.8879 against 0.8758 for the cliques:
// Fortunato and Barthelemy's resolution limit); at resolution 2 every clique
// is its own community.
TEST(CommunitiesTest, RingOfCliquesShowsTheResolutionLimit) {
  auto graph = BuildGraph({}, Cliques(30, 5, true));
  ASSERT_TRUE(graph.ok());
  const double m = 330, pairs = 15 * (21 / m - (44 / (2 * m)) * (44 / (2 * m)));
  Communities merged(*graph);
  ASSERT_TRUE(merged.run().ok());
  EXPECT_LT(merged.community_count(), 30u);
  EXPECT_GE(merged.modularity(), pairs - 1e-9);
  // Merging never splits a clique.
  for (NodeId v = 0; v < 150; ++v)
    EXPECT_EQ(merged.membership()[v], merged.membership()[v / 5 * 5]);

  CommunityOptions options;
  options.resolution = 2;
  Communities cliques(*graph, options);
  ASSERT_TRUE(cliques.run().ok());
  ASSERT_EQ(cliques.community_count(), 30u);
  for (NodeId v = 0; v < 150; ++v)
    EXPECT_EQ(cliques.membership()[v], cliques.membership()[v / 5 * 5]);
  EXPECT_TRUE(EveryCommunityConnected(*graph, cliques.membership(), 30));
}

TEST(CommunitiesTest, EveryCommunityIsConnected) {
  for (uint64_t seed : {1, 2}) {
    Graph graph = NoisyGroups(2000, 2, seed);
    for (double resolution : {0.5, 1.0, 4.0}) {
      CommunityOptions options;
      options.resolution = resolution;
      options.seed = seed;
      options.rounds = 4;
      Communities communities(graph, options);
      ASSERT_TRUE(communities.run().ok());
      EXPECT_GT(communities.community_count(), 1u);
      EXPECT_TRUE(
          EveryCommunityConnected(graph, communities.membership(), communities.community_count()))
          << "seed " << seed << " resolution " << resolution;
      EXPECT_NEAR(communities.modularity(), Modularity(graph, communities.membership(), resolution),
                  1e-9);
    }
  }
}

// The same seed gives the same communities, whatever the thread count:
// 9,000 four-cliques in a ring with a random chord per clique, so that
// refinement and aggregation have over 8,192 groups and split over two
// workers.
TEST(CommunitiesTest, DeterministicGivenTheSeed) {
  auto contacts = Cliques(9000, 4, true);
  std::mt19937_64 random(7);
  for (uint32_t c = 0; c < 9000; ++c) {
    contacts.push_back({c * 4 + 1, static_cast<uint32_t>(random() % 36000), 1});
  }
  auto graph = BuildGraph({}, std::move(contacts));
  ASSERT_TRUE(graph.ok());
  CommunityOptions options;
  options.seed = 11;
  options.rounds = 2;
  options.threads = 1;
  Communities one(*graph, options);
  ASSERT_TRUE(one.run().ok());
  options.threads = 2;
  Communities two(*graph, options);
  ASSERT_TRUE(two.run().ok());
  Communities again(*graph, options);
  ASSERT_TRUE(again.run().ok());
  EXPECT_EQ(one.membership(), two.membership());
  EXPECT_EQ(two.membership(), again.membership());
  EXPECT_EQ(one.modularity(), two.modularity());
  EXPECT_TRUE(EveryCommunityConnected(*graph, two.membership(), two.community_count()));
}

// Weighted: a heavy tie pulls its two ends together against the cliques.
TEST(CommunitiesTest, EdgeWeightsDecide) {
  auto contacts = Cliques(2, 4, false);
  contacts.push_back({3, 4, 1});
  auto graph = BuildGraph({}, contacts);
  ASSERT_TRUE(graph.ok());
  CommunityOptions options;
  options.edge_weights.assign(graph->edge_count(), 1.0);
  Communities plain(*graph, options);
  ASSERT_TRUE(plain.run().ok());
  EXPECT_EQ(plain.community_count(), 2u);
  // The bridge 3-4 made 50 times heavier than any clique tie.
  for (NodeId v : {3u, 4u}) {
    auto neighbours = graph->Neighbours(v);
    for (size_t i = 0; i < neighbours.size(); ++i) {
      if (neighbours[i] == 7 - v) options.edge_weights[graph->IncidentEdges(v)[i]] = 50;
    }
  }
  Communities heavy(*graph, options);
  ASSERT_TRUE(heavy.run().ok());
  EXPECT_EQ(heavy.membership()[3], heavy.membership()[4]);
}

// The most typical partition across resolutions: on the ring of cliques,
// resolutions 2 and 4 both give the 30 cliques, which agree with each
// other fully, so 2 (the first of them) is central; 0.5 and 1 merge cliques.
TEST(CommunitiesTest, CentralResolutionPicksTheMostTypicalPartition) {
  auto graph = BuildGraph({}, Cliques(30, 5, true));
  ASSERT_TRUE(graph.ok());
  const std::vector<double> candidates = {0.5, 1, 2, 4};
  auto central = CentralResolution(*graph, CommunityOptions{}, candidates);
  ASSERT_TRUE(central.ok()) << central.status().ToString();
  EXPECT_EQ(*central, 2.0);
  const std::vector<double> one = {1};
  EXPECT_TRUE(CentralResolution(*graph, CommunityOptions{}, one).status().IsInvalidArgument());
}

}  // namespace
}  // namespace vigil
