// TieWeights: evidence weights from volume, kinds and synchronised activity.
#include <cmath>

#include <gtest/gtest.h>

#include "vigil/graph.h"

namespace vigil {
namespace {

constexpr UnixTime kWeek = 7 * 86400;

EdgeId EdgeBetween(const Graph& graph, NodeId a, NodeId b) {
  auto neighbours = graph.Neighbours(a);
  for (size_t i = 0; i < neighbours.size(); ++i) {
    if (neighbours[i] == b) return graph.IncidentEdges(a)[i];
  }
  ADD_FAILURE() << "no edge " << a << "-" << b;
  return 0;
}

// Nodes 0-1-2: a triangle whose ties are all busy in weeks 0-3 and 40-43
// and silent otherwise (they wake up together). Nodes 3-4-5: a triangle
// whose ties have one contact every week of the year (steady): 52 contacts
// against 8, so volume alone favours the steady ties.
std::vector<TimedContact> TwoTriangles() {
  std::vector<TimedContact> contacts;
  for (auto [a, b] : {std::pair<NodeId, NodeId>{0, 1}, {1, 2}, {0, 2}}) {
    for (UnixTime week : {0, 1, 2, 3, 40, 41, 42, 43}) {
      contacts.push_back({a, b, week * kWeek + 3600, kEdgeComm});
    }
  }
  for (auto [a, b] : {std::pair<NodeId, NodeId>{3, 4}, {4, 5}, {3, 5}}) {
    for (UnixTime week = 0; week < 52; ++week) {
      contacts.push_back({a, b, week * kWeek + 3600, kEdgeComm});
    }
  }
  return contacts;
}

TEST(TieWeightsTest, VolumeCountsWithDiminishingReturns) {
  auto graph = BuildGraph({}, TwoTriangles());
  ASSERT_TRUE(graph.ok());
  TieWeightOptions options;
  options.synchrony = false;
  auto weights = TieWeights(*graph, options);
  ASSERT_EQ(weights.size(), graph->edge_count());
  EXPECT_DOUBLE_EQ(weights[EdgeBetween(*graph, 0, 1)], std::log2(9.0));
  EXPECT_DOUBLE_EQ(weights[EdgeBetween(*graph, 3, 4)], std::log2(53.0));
}

TEST(TieWeightsTest, SynchronisedTrianglesOutweighSteadyOnes) {
  auto graph = BuildGraph({}, TwoTriangles());
  ASSERT_TRUE(graph.ok());
  TieWeightOptions unit;
  unit.synchrony_gain = 1;
  auto weights = TieWeights(*graph, unit);
  // Bursty ties that rise and fall together: synchrony 1, weight doubled.
  EXPECT_NEAR(weights[EdgeBetween(*graph, 0, 1)], 2 * std::log2(9.0), 1e-6);
  // Steady ties carry no synchrony (a flat series correlates with nothing).
  EXPECT_DOUBLE_EQ(weights[EdgeBetween(*graph, 3, 4)], std::log2(53.0));
  auto boosted = TieWeights(*graph);  // default gain 4: 5x
  EXPECT_NEAR(boosted[EdgeBetween(*graph, 0, 1)], 5 * std::log2(9.0), 1e-6);
  EXPECT_GT(boosted[EdgeBetween(*graph, 0, 1)], boosted[EdgeBetween(*graph, 3, 4)]);
}

TEST(TieWeightsTest, EachOtherKindOfLinkAddsOne) {
  auto contacts = TwoTriangles();
  contacts.push_back({0, 1, 5 * kWeek, kEdgeCustody});
  contacts.push_back({0, 1, 6 * kWeek, kEdgeCoTravel});
  auto graph = BuildGraph({}, contacts);
  ASSERT_TRUE(graph.ok());
  TieWeightOptions options;
  options.synchrony = false;
  auto weights = TieWeights(*graph, options);
  EXPECT_DOUBLE_EQ(weights[EdgeBetween(*graph, 0, 1)], std::log2(11.0) + 2);
  options.multiplex = false;
  EXPECT_DOUBLE_EQ(TieWeights(*graph, options)[EdgeBetween(*graph, 0, 1)], std::log2(11.0));
}

TEST(TieWeightsTest, WindowLeavesOtherTiesOut) {
  auto graph = BuildGraph({}, TwoTriangles());
  ASSERT_TRUE(graph.ok());
  TieWeightOptions options;
  options.filter.from = 39 * kWeek;
  options.filter.to = 39 * kWeek + 1;  // no contact inside
  auto weights = TieWeights(*graph, options);
  for (double w : weights) EXPECT_EQ(w, 0.0);
}

TEST(TieWeightsTest, CommunitiesUseEdgeWeights) {
  auto graph = BuildGraph({}, TwoTriangles());
  ASSERT_TRUE(graph.ok());
  CommunityOptions options;
  options.edge_weights = TieWeights(*graph);
  Communities communities(*graph, options);
  ASSERT_TRUE(communities.run().ok());
  EXPECT_EQ(communities.community_count(), 2u);
  EXPECT_EQ(communities.membership()[0], communities.membership()[2]);
  EXPECT_NE(communities.membership()[0], communities.membership()[3]);
  options.edge_weights.pop_back();
  Communities wrong(*graph, options);
  EXPECT_TRUE(wrong.run().IsInvalidArgument());
}

// Evidence strengths replace the volume term of expansion: the synchronised
// tie 0-1 (8 contacts) then outranks the steady tie 0-3 (52 contacts).
TEST(TieWeightsTest, ExpansionRanksByEvidenceStrengths) {
  auto contacts = TwoTriangles();
  for (UnixTime week = 0; week < 52; ++week) contacts.push_back({0, 3, week * kWeek, kEdgeComm});
  auto graph = BuildGraph({}, contacts);
  ASSERT_TRUE(graph.ok());
  ExpansionOptions options;
  options.hops = 1;
  options.now = 43 * kWeek;
  options.half_life_s = 1000 * kWeek;  // recency aside
  Expansion by_volume(*graph, {0}, options);
  ASSERT_TRUE(by_volume.run().ok());
  EXPECT_EQ(by_volume.hits().front().node, 3u);
  options.tie_strengths = EvidenceStrengths(*graph);
  for (double s : options.tie_strengths) {
    EXPECT_GE(s, 0.0);
    EXPECT_LT(s, 1.0);
  }
  Expansion by_evidence(*graph, {0}, options);
  ASSERT_TRUE(by_evidence.run().ok());
  EXPECT_NE(by_evidence.hits().front().node, 3u);
  options.tie_strengths.pop_back();
  Expansion wrong(*graph, {0}, options);
  EXPECT_TRUE(wrong.run().IsInvalidArgument());
}

}  // namespace
}  // namespace vigil

namespace vigil {
namespace {

// A hub (node 0) with 100 leaves, each tie one contact; leaves 1 and 2 also
// share a tie of their own. With hub_damping k, a hub tie counts
// (h / 100)^k of its weight (h = hub_min_degree = 50 here); the leaves'
// own tie is untouched.
TEST(TieWeightsTest, HubTiesAreDamped) {
  std::vector<TimedContact> contacts;
  for (NodeId leaf = 1; leaf <= 100; ++leaf) contacts.push_back({0, leaf, 3600, kEdgeComm});
  contacts.push_back({1, 2, 7200, kEdgeComm});
  auto graph = BuildGraph({}, contacts);
  ASSERT_TRUE(graph.ok());
  TieWeightOptions options;
  options.synchrony = false;
  const auto plain = TieWeights(*graph, options);
  options.hub_damping = 1.0;
  const auto damped = TieWeights(*graph, options);
  const EdgeId hub_tie = EdgeBetween(*graph, 0, 7);
  const EdgeId leaf_tie = EdgeBetween(*graph, 1, 2);
  EXPECT_DOUBLE_EQ(plain[hub_tie], 1.0);
  EXPECT_NEAR(damped[hub_tie], 50.0 / 100.0, 1e-12);
  EXPECT_DOUBLE_EQ(damped[leaf_tie], plain[leaf_tie]);
  options.hub_damping = 0.5;
  EXPECT_NEAR(TieWeights(*graph, options)[hub_tie], std::sqrt(0.5), 1e-12);
}

// Shared events count by how few shared them: a flight of two says as
// much as the shared_gain, a flight of 200 next to nothing, and their
// contacts are not volume; the graph keeps each tie's summed share.
TEST(TieWeightsTest, SharedEventsCountOneOverNMinusOne) {
  std::vector<TimedContact> contacts = {
      {0, 1, 1000, kEdgeCoTravel, 1.0f},           // two people on the flight
      {2, 3, 1000, kEdgeCoTravel, 1.0f / 199.0f},  // two of 200
      {4, 5, 1000, kEdgeCustody, 0.5f},            // two of three, held together a month
      {4, 5, 2000, kEdgeComm, 0.0f},
  };
  auto graph = BuildGraph({}, contacts);
  ASSERT_TRUE(graph.ok());
  const EdgeId pair = EdgeBetween(*graph, 0, 1);
  const EdgeId crowd = EdgeBetween(*graph, 2, 3);
  const EdgeId cell = EdgeBetween(*graph, 4, 5);
  EXPECT_EQ(graph->EdgeSharedEvents(pair), 1u);
  EXPECT_NEAR(graph->EdgeSharedWeight(crowd), 1.0 / 199.0, 1e-7);
  EXPECT_EQ(graph->EdgeSharedEvents(cell), 1u);
  TieWeightOptions options;
  options.synchrony = false;
  const std::vector<double> weights = TieWeights(*graph, options);
  EXPECT_NEAR(weights[pair], 1.0, 1e-9);  // log2(1 + 1), no contacts as volume
  EXPECT_NEAR(weights[crowd], std::log2(1.0 + 1.0 / 199.0), 1e-7);
  EXPECT_LT(weights[crowd], 0.01 * weights[pair]);
  // One call (log2 2 = 1) plus the custody share.
  EXPECT_NEAR(weights[cell], 1.0 + std::log2(1.5), 1e-6);
  options.shared_gain = 2;
  EXPECT_NEAR(TieWeights(*graph, options)[pair], 2.0, 1e-9);
}

// The default of `vigil network communities`: evidence weights with hubs
// damped at resolution 3; on two triangles it separates the groups.
TEST(TieWeightsTest, DefaultCommunityOptionsUseDampedEvidenceWeights) {
  auto graph = BuildGraph({}, TwoTriangles());
  ASSERT_TRUE(graph.ok());
  const CommunityOptions options = DefaultCommunityOptions(*graph);
  EXPECT_EQ(options.resolution, kDefaultCommunityResolution);
  TieWeightOptions tie;
  tie.hub_damping = kDefaultHubDamping;
  EXPECT_EQ(options.edge_weights, TieWeights(*graph, tie));
  Communities communities(*graph, options);
  ASSERT_TRUE(communities.run().ok());
  // No community holds members of both triangles (at resolution 3 a
  // triangle this small may split further).
  for (NodeId a = 0; a < 3; ++a) {
    for (NodeId b = 3; b < 6; ++b) {
      EXPECT_NE(communities.membership()[a], communities.membership()[b]) << a << " " << b;
    }
  }
}

}  // namespace
}  // namespace vigil
