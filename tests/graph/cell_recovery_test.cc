// Cell recovery: NMI by hand, truth file errors, and EvaluateCells on a
// small generated world (simulated, ingested into a temporary store, graph
// built from the store).
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <map>

#include <gtest/gtest.h>

#include "vigil/graph.h"
#include "vigil/ingest.h"
#include "vigil/sim.h"
#include "vigil/store.h"

namespace vigil {
namespace {

std::string MakeTempDir() {
  std::string pattern = (std::filesystem::temp_directory_path() / "vigil-cells-XXXXXX").string();
  if (mkdtemp(pattern.data()) == nullptr) return "";
  return pattern;
}

TEST(NmiTest, IdenticalRenamedAndIndependentLabelings) {
  std::vector<uint32_t> x = {0, 0, 1, 1}, renamed = {7, 7, 3, 3}, crossed = {0, 1, 0, 1};
  EXPECT_DOUBLE_EQ(NormalizedMutualInformation(x, renamed), 1.0);
  EXPECT_NEAR(NormalizedMutualInformation(x, crossed), 0.0, 1e-12);
  // One group against two: H(F) = 0, I = 0.
  std::vector<uint32_t> one = {5, 5, 5, 5};
  EXPECT_NEAR(NormalizedMutualInformation(x, one), 0.0, 1e-12);
  EXPECT_DOUBLE_EQ(NormalizedMutualInformation(one, one), 1.0);
  EXPECT_EQ(NormalizedMutualInformation({}, {}), 0.0);
  // {0,0,1,1} vs {0,0,0,1}: python-igraph's compare_communities(...,
  // method="nmi") gives 0.3437110184854509.
  std::vector<uint32_t> skewed = {0, 0, 0, 1};
  EXPECT_NEAR(NormalizedMutualInformation(x, skewed), 0.3437110184854509, 1e-12);
}

TEST(ReadTruthCellsTest, RowsAndErrorsNamingLineAndColumn) {
  std::string dir = MakeTempDir();
  ASSERT_FALSE(dir.empty());
  std::string good = dir + "/cells.csv";
  std::ofstream(good) << "person_id,cell_id\nP1,C1\nP2,C1\r\nP3,C2\n";
  auto rows = ReadTruthCells(good);
  ASSERT_TRUE(rows.ok()) << rows.status().message();
  ASSERT_EQ(rows->size(), 3u);
  EXPECT_EQ((*rows)[1].person_id, "P2");
  EXPECT_EQ((*rows)[1].cell_id, "C1");

  std::string bad = dir + "/bad.csv";
  std::ofstream(bad) << "person_id,cell_id\nP1,C1\nP2,C 1\n";
  auto error = ReadTruthCells(bad);
  ASSERT_TRUE(error.status().IsInvalidArgument());
  EXPECT_NE(error.status().message().find("bad.csv:3:4"), std::string::npos)
      << error.status().message();

  std::ofstream(bad) << "id,cell\n";
  EXPECT_TRUE(ReadTruthCells(bad).status().IsInvalidArgument());
  EXPECT_EQ(ReadTruthCells(dir + "/missing.csv").status().code(), Status::Code::kNotFound);
  std::filesystem::remove_all(dir);
}

// Two triangles {a,b,c} {d,e,f} joined by c-d, plus a loner pair g-h.
TEST(EvaluateCellsTest, ScoresMatchesByHand) {
  std::vector<TimedContact> contacts = {{0, 1, 1}, {0, 2, 1}, {1, 2, 1}, {2, 3, 1},
                                        {3, 4, 1}, {3, 5, 1}, {4, 5, 1}, {6, 7, 1}};
  auto graph = BuildGraph({"a", "b", "c", "d", "e", "f", "g", "h"}, contacts);
  ASSERT_TRUE(graph.ok());
  std::vector<TruthCellMember> truth = {{"a", "X"}, {"b", "X"}, {"c", "X"},
                                        {"d", "Y"}, {"e", "Y"}, {"absent", "Y"}};
  // Exact split: X perfect; Y has 2 of its 3 members (one is not in the graph).
  std::vector<uint32_t> split = {0, 0, 0, 1, 1, 1, 2, 2};
  auto recovery = EvaluateCells(*graph, split, truth);
  ASSERT_TRUE(recovery.ok());
  ASSERT_EQ(recovery->cells.size(), 2u);
  EXPECT_EQ(recovery->members, 6u);
  EXPECT_EQ(recovery->members_in_graph, 5u);
  EXPECT_DOUBLE_EQ(recovery->nmi, 1.0);
  EXPECT_DOUBLE_EQ(recovery->cells[0].recall, 1.0);
  EXPECT_DOUBLE_EQ(recovery->cells[0].precision, 1.0);
  EXPECT_DOUBLE_EQ(recovery->cells[1].recall, 2.0 / 3);
  EXPECT_DOUBLE_EQ(recovery->cells[1].precision, 2.0 / 3);  // f is not a member
  EXPECT_EQ(recovery->recovered, 2u);
  // Everything in one community: members-only NMI 0, precision 3/8.
  std::vector<uint32_t> one(8, 0);
  recovery = EvaluateCells(*graph, one, truth);
  ASSERT_TRUE(recovery.ok());
  EXPECT_NEAR(recovery->nmi, 0.0, 1e-12);
  EXPECT_DOUBLE_EQ(recovery->cells[0].precision, 3.0 / 8);
  EXPECT_EQ(recovery->recovered, 0u);  // precision 3/8 and 2/8 are below 1/2
  // Each cell in its own community but with the loners merged in: NMI stays
  // 1 over members, the strict NMI drops.
  std::vector<uint32_t> padded = {0, 0, 0, 1, 1, 1, 0, 0};
  recovery = EvaluateCells(*graph, padded, truth);
  ASSERT_TRUE(recovery.ok());
  EXPECT_DOUBLE_EQ(recovery->nmi, 1.0);
  EXPECT_LT(recovery->nmi_strict, 1.0);
  EXPECT_TRUE(
      EvaluateCells(*graph, std::vector<uint32_t>(3, 0), truth).status().IsInvalidArgument());
}

// A small generated world end to end: simulate, ingest, build the graph from
// the store, detect communities, score them against truth/cells.csv.
TEST(EvaluateCellsTest, GeneratedWorldEndToEnd) {
  std::string dir = MakeTempDir();
  ASSERT_FALSE(dir.empty());
  SimulateOptions sim;
  sim.out_dir = dir + "/world";
  sim.people = 600;
  sim.days = 120;
  sim.seed = 3;
  auto report = Simulate(sim);
  ASSERT_TRUE(report.ok()) << report.status().message();
  ASSERT_GT(report->cells, 0);
  auto store = OpenSqliteStore(dir + "/vigil.db");
  ASSERT_TRUE(store.ok());
  ASSERT_TRUE(IngestPaths(**store, {sim.out_dir}, IngestOptions{}, nullptr).ok());
  auto graph = BuildGraphFromStore(**store);
  ASSERT_TRUE(graph.ok());
  auto truth = ReadTruthCells(sim.out_dir + "/truth/cells.csv");
  ASSERT_TRUE(truth.ok()) << truth.status().message();
  EXPECT_EQ(truth->size(), static_cast<size_t>(report->cell_members));

  CommunityOptions options;
  options.weighted = true;
  Communities communities(*graph, options);
  ASSERT_TRUE(communities.run().ok());
  auto found = EvaluateCells(*graph, communities.membership(), *truth);
  ASSERT_TRUE(found.ok());
  EXPECT_EQ(found->cells.size(), static_cast<size_t>(report->cells));
  EXPECT_EQ(found->members, static_cast<size_t>(report->cell_members));
  // Cell members are persons of the service: all are nodes.
  EXPECT_EQ(found->members_in_graph, found->members);
  EXPECT_GT(found->nmi, 0.3);
  EXPECT_LE(found->nmi, 1.0);
  EXPECT_LE(found->nmi_strict, found->nmi);
  for (const CellMatch& cell : found->cells) {
    EXPECT_GE(cell.recall, 1.0 / static_cast<double>(cell.size));  // some member was placed
    EXPECT_LE(cell.overlap, cell.community_size);
  }

  // The truth itself as a partition (everyone else alone) is perfect.
  std::vector<uint32_t> ideal(graph->node_count());
  for (NodeId v = 0; v < ideal.size(); ++v) ideal[v] = static_cast<uint32_t>(1000 + v);
  std::map<std::string, uint32_t> cell_number;
  for (const TruthCellMember& member : *truth) {
    auto [it, fresh] = cell_number.try_emplace(member.cell_id, cell_number.size());
    ideal[*graph->Find(member.person_id)] = it->second;
  }
  auto perfect = EvaluateCells(*graph, ideal, *truth);
  ASSERT_TRUE(perfect.ok());
  EXPECT_DOUBLE_EQ(perfect->nmi, 1.0);
  EXPECT_DOUBLE_EQ(perfect->nmi_strict, 1.0);
  EXPECT_DOUBLE_EQ(perfect->mean_f1, 1.0);
  EXPECT_EQ(perfect->recovered, perfect->cells.size());

  // Expansion from one member: an unlimited 2-hop expansion reaches at
  // least as many cell mates as the top 20.
  ExpansionOptions top;
  top.limit = 20;
  ExpansionOptions all;
  all.limit = 0;
  auto top20 = EvaluateCellExpansion(*graph, *truth, top);
  auto unlimited = EvaluateCellExpansion(*graph, *truth, all);
  ASSERT_TRUE(top20.ok());
  ASSERT_TRUE(unlimited.ok());
  EXPECT_EQ(top20->cells, static_cast<size_t>(report->cells));
  EXPECT_EQ(top20->mates, unlimited->mates);
  EXPECT_LE(top20->mates_found, unlimited->mates_found);
  EXPECT_GT(unlimited->mates_found, 0u);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace vigil
