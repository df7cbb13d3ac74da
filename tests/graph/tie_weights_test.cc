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
