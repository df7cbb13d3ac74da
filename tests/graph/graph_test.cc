// Tests of the network engine on small graphs drawn here with answers
// computed by hand.
#include <unistd.h>

#include <filesystem>
#include <numeric>
#include <sstream>

#include <gtest/gtest.h>

#include "vigil/graph.h"
#include "vigil/store.h"

namespace vigil {
namespace {

// Two triangles joined by a bridge:
//
//   0       4
//   | \   / |
//   |  2-3  |
//   | /   \ |
//   1       5
//
// m = 7. Every path from {0,1} to {3,4,5} crosses 2, and from {0,1,2} to
// {4,5} crosses 3: betweenness(2) = betweenness(3) = 2 * 3 = 6, others 0.
// The split {0,1,2} | {3,4,5} has modularity 2 * (3/7 - (7/14)^2) = 5/14.
Graph Bridge() {
  std::vector<TimedContact> contacts = {{0, 1, 1}, {0, 2, 1}, {1, 2, 1}, {2, 3, 1},
                                        {3, 4, 1}, {3, 5, 1}, {4, 5, 1}};
  return std::move(BuildGraph({"a0", "a1", "a2", "a3", "a4", "a5"}, contacts)).value();
}

TEST(GraphTest, BuildCollapsesContactsIntoEdgesWithTimes) {
  // 0 -- 1 contacted three times (out of order, once reversed); 1 -- 1 dropped.
  std::vector<TimedContact> contacts = {
      {0, 1, 30}, {1, 0, 10}, {0, 1, 20, kEdgeCustody}, {1, 1, 5}, {1, 2, 7}};
  auto graph = BuildGraph({"p", "q", "r"}, contacts);
  ASSERT_TRUE(graph.ok());
  EXPECT_EQ(graph->node_count(), 3u);
  EXPECT_EQ(graph->edge_count(), 2u);
  EXPECT_EQ(graph->contact_count(), 4u);
  ASSERT_EQ(graph->Degree(1), 2u);
  EdgeId pq = graph->IncidentEdges(0)[0];
  EXPECT_EQ(graph->EdgeContactCount(pq), 3u);
  EXPECT_EQ(graph->EdgeFirst(pq), 10);
  EXPECT_EQ(graph->EdgeLast(pq), 30);
  EXPECT_EQ(EdgeKindsName(graph->EdgeKinds(pq)), "comm|custody");
  EXPECT_EQ(graph->EdgeContactsIn(pq, 15, 30), 1u);
  EXPECT_EQ(graph->Neighbours(1)[0], 0u);
  EXPECT_EQ(graph->Neighbours(1)[1], 2u);
  EXPECT_EQ(*graph->Find("r"), 2u);
  EXPECT_TRUE(graph->Find("nobody").status().IsNotFound());
  EXPECT_GT(graph->MemoryBytes(), 0u);
}

TEST(GraphTest, BuildRejectsBadInput) {
  EXPECT_TRUE(BuildGraph({"a"}, {{0, 1, 0}}).status().IsInvalidArgument());
  EXPECT_TRUE(BuildGraph({"a", "a"}, {}).status().IsInvalidArgument());
}

TEST(GraphTest, EmptyGraphAnswersEmpty) {
  auto graph = BuildGraph({}, {});
  ASSERT_TRUE(graph.ok());
  PageRank pagerank(*graph);
  EXPECT_TRUE(pagerank.run().ok());
  Communities communities(*graph);
  EXPECT_TRUE(communities.run().ok());
  EXPECT_EQ(communities.community_count(), 0u);
  Betweenness betweenness(*graph);
  EXPECT_TRUE(betweenness.run().ok());
}

TEST(GraphTest, DegreeAndBetweennessOfBridge) {
  Graph graph = Bridge();
  EXPECT_EQ(DegreeCentrality(graph), (std::vector<double>{2, 2, 3, 3, 2, 2}));
  Betweenness exact(graph);
  ASSERT_TRUE(exact.run().ok());
  EXPECT_EQ(exact.scores(), (std::vector<double>{0, 0, 6, 6, 0, 0}));
  // Sampling every node is exact; sampling half stays unbiased in shape.
  BetweennessOptions sampled;
  sampled.samples = 3;
  Betweenness approx(graph, sampled);
  ASSERT_TRUE(approx.run().ok());
  EXPECT_EQ(approx.scores()[0], 0);
  EXPECT_GT(approx.scores()[2] + approx.scores()[3], 0);
}

TEST(GraphTest, PageRankIsSymmetricAndSumsToOne) {
  Graph graph = Bridge();
  PageRank pagerank(graph);
  ASSERT_TRUE(pagerank.run().ok());
  const auto& pr = pagerank.scores();
  EXPECT_NEAR(std::accumulate(pr.begin(), pr.end(), 0.0), 1.0, 1e-12);
  EXPECT_NEAR(pr[0], pr[5], 1e-12);
  EXPECT_NEAR(pr[2], pr[3], 1e-12);
  EXPECT_GT(pr[2], pr[0]);
}

TEST(GraphTest, PageRankOfIsolatedNodesIsUniform) {
  // Three nodes, no edges: every node is dangling, 1/3 each.
  auto graph = BuildGraph({"x", "y", "z"}, {});
  PageRank pagerank(*graph);
  ASSERT_TRUE(pagerank.run().ok());
  for (double score : pagerank.scores()) EXPECT_NEAR(score, 1.0 / 3, 1e-12);
}

TEST(GraphTest, CommunitiesSplitTheBridge) {
  Graph graph = Bridge();
  Communities communities(graph);
  ASSERT_TRUE(communities.run().ok());
  const auto& c = communities.membership();
  EXPECT_EQ(communities.community_count(), 2u);
  EXPECT_EQ(c[0], c[1]);
  EXPECT_EQ(c[1], c[2]);
  EXPECT_EQ(c[3], c[4]);
  EXPECT_EQ(c[4], c[5]);
  EXPECT_NE(c[0], c[3]);
  EXPECT_NEAR(communities.modularity(), 5.0 / 14, 1e-12);
}

TEST(GraphTest, CommunitiesOfDisconnectedPairs) {
  // 0-1   2-3: two components, Q = 2 * (1/2 - (1/2)^2) = 1/2.
  auto graph = BuildGraph({}, {{0, 1, 0}, {2, 3, 0}});
  Communities communities(*graph);
  ASSERT_TRUE(communities.run().ok());
  EXPECT_EQ(communities.community_count(), 2u);
  EXPECT_NEAR(communities.modularity(), 0.5, 1e-12);
}

TEST(GraphTest, ShortestPathCrossesTheBridge) {
  Graph graph = Bridge();
  ShortestPath path(graph, 0, 5);
  ASSERT_TRUE(path.run().ok());
  EXPECT_EQ(path.path(), (std::vector<NodeId>{0, 2, 3, 5}));
  ShortestPath outside(graph, 0, 9);
  EXPECT_TRUE(outside.run().IsInvalidArgument());
}

TEST(GraphTest, ShortestPathHonoursTheTimeWindow) {
  // 0 -1- 1 -1- 2 at time 10; 0 -- 2 only at time 100.
  auto graph = BuildGraph({}, {{0, 1, 10}, {1, 2, 10}, {0, 2, 100}});
  ShortestPath direct(*graph, 0, 2);
  ASSERT_TRUE(direct.run().ok());
  EXPECT_EQ(direct.path(), (std::vector<NodeId>{0, 2}));
  ShortestPath early(*graph, 0, 2, EdgeFilter{std::nullopt, UnixTime{50}, 1});
  ASSERT_TRUE(early.run().ok());
  EXPECT_EQ(early.path(), (std::vector<NodeId>{0, 1, 2}));
  ShortestPath late(*graph, 0, 1, EdgeFilter{UnixTime{50}, std::nullopt, 1});
  ASSERT_TRUE(late.run().ok());
  EXPECT_FALSE(late.found());  // 0 -- 1 only before 50
}

TEST(GraphTest, TemporalPathFollowsTimeOrder) {
  // 0 -(10)- 1 -(5, 20)- 2 -(15)- 3: from 0 at time 0, 1 hears at 10, 2 at
  // 20, and 2 -- 3 at 15 is too early, so 3 is unreachable in time order
  // although a static path exists.
  std::vector<TimedContact> contacts = {{0, 1, 10}, {1, 2, 5}, {1, 2, 20}, {2, 3, 15}};
  auto graph = BuildGraph({}, contacts);
  TemporalPath none(*graph, 0, 3, 0);
  ASSERT_TRUE(none.run().ok());
  EXPECT_FALSE(none.found());
  ShortestPath still(*graph, 0, 3);
  ASSERT_TRUE(still.run().ok());
  EXPECT_TRUE(still.found());
  // Add 2 -- 3 at 25: 0@0, 1@10, 2@20, 3@25.
  contacts.push_back({2, 3, 25});
  auto later = BuildGraph({}, contacts);
  TemporalPath path(*later, 0, 3, 0);
  ASSERT_TRUE(path.run().ok());
  EXPECT_EQ(path.path(), (std::vector<NodeId>{0, 1, 2, 3}));
  EXPECT_EQ(path.times(), (std::vector<UnixTime>{0, 10, 20, 25}));
  // Starting after 20 nothing leaves 1 in time.
  TemporalPath too_late(*later, 0, 3, 11);
  ASSERT_TRUE(too_late.run().ok());
  EXPECT_FALSE(too_late.found());
}

// Seed S(0) calls friend F(1) five times and a taxi firm H(2) once; F calls
// G(3); H is called by 60 customers (4..63), so H has degree 61 >= 50: a hub.
//
//   G - F - S - H - {60 customers}
Graph TaxiWorld() {
  std::vector<TimedContact> contacts;
  for (UnixTime t = 100; t < 105; ++t) contacts.push_back({0, 1, t});
  contacts.push_back({0, 2, 100});
  contacts.push_back({1, 3, 100});
  for (NodeId customer = 4; customer < 64; ++customer) contacts.push_back({2, customer, 100});
  return std::move(BuildGraph({}, contacts)).value();
}

TEST(GraphTest, ExpansionRanksByStrengthAndStopsAtHubs) {
  Graph graph = TaxiWorld();
  ExpansionOptions options;
  options.hops = 2;
  Expansion expansion(graph, {0}, options);
  ASSERT_TRUE(expansion.run().ok());
  const auto& hits = expansion.hits();
  ASSERT_EQ(hits.size(), 3u);  // F, G and the hub; no customer
  EXPECT_EQ(hits[0].node, 1u);
  EXPECT_EQ(hits[0].hops, 1);
  EXPECT_EQ(hits[1].node, 3u);
  EXPECT_EQ(hits[1].path, (std::vector<NodeId>{0, 1, 3}));
  EXPECT_EQ(hits[2].node, 2u);
  EXPECT_TRUE(hits[2].hub);
  EXPECT_EQ(expansion.hubs(), (std::vector<NodeId>{2}));
}

// Keeping the top K (selection) gives exactly the first K hits of the full
// ranking, with the same scores and paths, on a random graph with ties.
TEST(GraphTest, ExpansionTopKIsThePrefixOfTheFullRanking) {
  std::vector<TimedContact> contacts;
  uint64_t state = 7;
  auto next = [&state](uint64_t bound) {
    state = state * 6364136223846793005ull + 1442695040888963407ull;
    return (state >> 33) % bound;
  };
  for (int i = 0; i < 3000; ++i) {
    contacts.push_back({static_cast<NodeId>(next(400)), static_cast<NodeId>(next(400)),
                        static_cast<UnixTime>(next(5) * 86400), kEdgeComm});
  }
  auto graph = BuildGraph({}, contacts);
  ASSERT_TRUE(graph.ok());
  ExpansionOptions all;
  all.limit = 0;
  Expansion full(*graph, {3, 17}, all);
  ASSERT_TRUE(full.run().ok());
  ASSERT_GT(full.hits().size(), 40u);
  for (size_t limit : {1, 5, 40}) {
    ExpansionOptions top = all;
    top.limit = limit;
    Expansion kept(*graph, {3, 17}, top);
    ASSERT_TRUE(kept.run().ok());
    ASSERT_EQ(kept.hits().size(), limit);
    for (size_t i = 0; i < limit; ++i) {
      EXPECT_EQ(kept.hits()[i].node, full.hits()[i].node) << limit << " " << i;
      EXPECT_EQ(kept.hits()[i].score, full.hits()[i].score);
      EXPECT_EQ(kept.hits()[i].path, full.hits()[i].path);
    }
  }
}

// Enough hits (> 64) for the radix ranking, and contact times on 5 days
// only, so that many hits tie on score and (hops, node) must decide.
TEST(GraphTest, ExpansionFullRankingIsTotallyOrderedWithTies) {
  std::vector<TimedContact> contacts;
  uint64_t state = 11;
  auto next = [&state](uint64_t bound) {
    state = state * 6364136223846793005ull + 1442695040888963407ull;
    return (state >> 33) % bound;
  };
  for (int i = 0; i < 4000; ++i) {
    contacts.push_back({static_cast<NodeId>(next(600)), static_cast<NodeId>(next(600)),
                        static_cast<UnixTime>(next(5) * 86400), kEdgeComm});
  }
  auto graph = BuildGraph({}, contacts);
  ASSERT_TRUE(graph.ok());
  ExpansionOptions all;
  all.limit = 0;
  Expansion full(*graph, {5}, all);
  ASSERT_TRUE(full.run().ok());
  const auto& hits = full.hits();
  ASSERT_GT(hits.size(), 64u);
  size_t ties = 0;
  for (size_t i = 1; i < hits.size(); ++i) {
    const ExpansionHit& x = hits[i - 1];
    const ExpansionHit& y = hits[i];
    ASSERT_GE(x.score, y.score) << i;
    if (x.score != y.score) continue;
    ++ties;
    ASSERT_TRUE(x.hops < y.hops || (x.hops == y.hops && x.node < y.node)) << i;
  }
  EXPECT_GT(ties, 0u);
  for (const ExpansionHit& hit : hits) {
    ASSERT_EQ(hit.path.size(), static_cast<size_t>(hit.hops) + 1);
    EXPECT_EQ(hit.path.front(), 5u);
    EXPECT_EQ(hit.path.back(), hit.node);
  }
}

TEST(GraphTest, ExpansionWindowAndMinimumContacts) {
  Graph graph = TaxiWorld();
  ExpansionOptions options;
  options.filter.min_contacts = 2;  // only S -- F qualifies from S
  Expansion strong(graph, {0}, options);
  ASSERT_TRUE(strong.run().ok());
  ASSERT_EQ(strong.hits().size(), 1u);
  EXPECT_EQ(strong.hits()[0].node, 1u);
  options.filter = EdgeFilter{UnixTime{200}, std::nullopt, 1};
  Expansion later(graph, {0}, options);
  ASSERT_TRUE(later.run().ok());
  EXPECT_TRUE(later.hits().empty());
}

TEST(GraphTest, ExpansionFromTwoSeedsRanksSharedContactFirst) {
  // 0 - 2 - 1 and 0 - 3, 1 - 4, one contact each, same time: 2 is tied to
  // both seeds, so it outranks 3 and 4.
  auto graph = BuildGraph({}, {{0, 2, 0}, {1, 2, 0}, {0, 3, 0}, {1, 4, 0}});
  ExpansionOptions options;
  options.hops = 1;
  Expansion expansion(*graph, {0, 1}, options);
  ASSERT_TRUE(expansion.run().ok());
  ASSERT_EQ(expansion.hits().size(), 3u);
  EXPECT_EQ(expansion.hits()[0].node, 2u);
  EXPECT_EQ(expansion.hits()[0].seeds_reached, 2);
  Expansion bad(*graph, {99}, options);
  EXPECT_TRUE(bad.run().IsInvalidArgument());
}

TEST(GraphTest, BrokersBetweenSeeds) {
  // Seeds 0 and 5 in the bridge graph: every shortest path 0..5 is 0-2-3-5,
  // so 2 and 3 each carry the one seed pair.
  Graph graph = Bridge();
  Brokers brokers(graph, {0, 5}, {});
  ASSERT_TRUE(brokers.run().ok());
  ASSERT_EQ(brokers.brokers().size(), 2u);
  EXPECT_EQ(brokers.brokers()[0].node, 2u);
  EXPECT_DOUBLE_EQ(brokers.brokers()[0].score, 1.0);
  EXPECT_EQ(brokers.brokers()[1].node, 3u);
}

TEST(GraphTest, BrokersBetweenCommunities) {
  Graph graph = Bridge();
  Communities communities(graph);
  ASSERT_TRUE(communities.run().ok());
  Brokers brokers(graph, {}, communities.membership());
  ASSERT_TRUE(brokers.run().ok());
  ASSERT_EQ(brokers.brokers().size(), 2u);
  EXPECT_EQ(brokers.brokers()[0].communities_bridged, 2);
}

TEST(GraphTest, ExportsNameEveryNodeAndLink) {
  Graph graph = Bridge();
  std::vector<uint32_t> membership = {0, 0, 0, 1, 1, 1};
  for (ExportFormat format : {ExportFormat::kGraphml, ExportFormat::kGexf}) {
    std::ostringstream out;
    ASSERT_TRUE(ExportGraph(graph, membership, format, out).ok());
    EXPECT_NE(out.str().find("a5"), std::string::npos);
  }
  std::ostringstream links;
  ASSERT_TRUE(ExportGraph(graph, {}, ExportFormat::kCsvLinks, links).ok());
  const std::string table = links.str();
  EXPECT_EQ(std::count(table.begin(), table.end(), '\n'), 8);  // header + 7
  std::ostringstream nodes;
  ASSERT_TRUE(ExportGraph(graph, membership, ExportFormat::kCsvNodes, nodes).ok());
  EXPECT_NE(nodes.str().find("3,a3,person,3,1"), std::string::npos);
}

TEST(GraphTest, BuildsPeopleGraphFromStore) {
  namespace fs = std::filesystem;
  const fs::path dir =
      fs::temp_directory_path() / ("vigil_graph_store_" + std::to_string(getpid()));
  fs::create_directories(dir);
  auto store = OpenSqliteStore((dir / "vigil.db").string());
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  auto put = [&](InputKind kind, const std::string& hash, auto&& records) {
    auto writer = (*store)->BeginIngest(SourceFile{"x", hash, kind, 1});
    ASSERT_TRUE(writer.ok()) << writer.status().ToString();
    for (const auto& r : records) ASSERT_TRUE((*writer)->Put(r).ok());
    ASSERT_TRUE((*writer)->Commit(static_cast<int64_t>(records.size())).ok());
  };
  // alice owns two SIMs, bob one; +443 is nobody's. alice and carol shared
  // a cell in 2020.
  put(InputKind::kPersons, std::string(64, 'a'),
      std::vector<Person>{{"alice", "Alice"}, {"bob", "Bob"}, {"carol", "Carol"}});
  put(InputKind::kSelectors, std::string(64, 'b'),
      std::vector<SelectorRecord>{{"msisdn:+441000001", "alice"},
                                  {"msisdn:+441000002", "alice"},
                                  {"msisdn:+441000003", "bob"}});
  Communication c1{100, "msisdn:+441000001", "msisdn:+441000003", CommKind::kCall};
  Communication c2{200, "msisdn:+441000002", "msisdn:+441000003", CommKind::kSms};
  Communication c3{300, "msisdn:+441000003", "msisdn:+449999999", CommKind::kCall};
  put(InputKind::kComms, std::string(64, 'c'), std::vector<Communication>{c1, c2, c3});
  put(InputKind::kCustody, std::string(64, 'd'),
      std::vector<CustodyRecord>{{"alice", "HMP X", "2020-01-01", "2020-06-30"},
                                 {"carol", "HMP X", "2020-03-01", ""}});
  auto graph = BuildGraphFromStore(**store);
  ASSERT_TRUE(graph.ok()) << graph.status().ToString();
  NodeId alice = *graph->Find("alice"), bob = *graph->Find("bob"), carol = *graph->Find("carol");
  NodeId stranger = *graph->Find("msisdn:+449999999");
  EXPECT_TRUE(graph->IsSelector(stranger));
  EXPECT_FALSE(graph->IsSelector(alice));
  ShortestPath ab(*graph, alice, bob);
  ASSERT_TRUE(ab.run().ok());
  ASSERT_EQ(ab.path().size(), 2u);
  EdgeId edge = graph->IncidentEdges(alice)[0];
  for (size_t i = 0; i < graph->Degree(alice); ++i) {
    if (graph->Neighbours(alice)[i] == bob) edge = graph->IncidentEdges(alice)[i];
  }
  EXPECT_EQ(graph->EdgeContactCount(edge), 2u);  // both SIMs lifted to alice
  EXPECT_EQ(graph->EdgeFirst(edge), 100);
  ShortestPath ac(*graph, alice, carol);
  ASSERT_TRUE(ac.run().ok());
  EXPECT_EQ(ac.path().size(), 2u);  // custody overlap
  store->reset();
  fs::remove_all(dir);
}

}  // namespace
}  // namespace vigil
