// vigil eval's library on a small generated world: every metric line is
// there and means what it says.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <set>

#include "vigil/eval.h"
#include "vigil/ingest.h"
#include "vigil/sim.h"
#include "vigil/watch.h"

namespace vigil {
namespace {

class EvalTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = ::testing::TempDir() + "vigil_eval_XXXXXX";
    dir_ = mkdtemp(pattern.data());
  }
  void TearDown() override {
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
  }
  std::filesystem::path dir_;
};

Result<std::vector<MetricLine>> Evaluate(const std::string& world, Store& store) {
  EvalContext context;
  context.world_dir = world;
  context.store = &store;
  context.capacity = 50;
  return RunEval(context, RankOptions{}, DefaultMetricProviders());
}

TEST_F(EvalTest, PrintsEveryMetricOnAGeneratedWorld) {
  SimulateOptions sim;
  sim.out_dir = (dir_ / "world").string();
  sim.seed = 7;
  sim.people = 600;
  sim.days = 300;
  auto report = Simulate(sim);
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  auto store = OpenSqliteStore((dir_ / "w.db").string());
  ASSERT_TRUE(store.ok());
  std::vector<FileIngestResult> results;
  ASSERT_TRUE(IngestPaths(**store, {sim.out_dir}, IngestOptions{}, &results).ok());
  WatchOptions watch;
  watch.now = 1700000000;
  ASSERT_TRUE(RaiseAlerts(**store, watch).ok());
  auto lines = Evaluate(sim.out_dir, **store);
  ASSERT_TRUE(lines.ok()) << lines.status().ToString();
  std::set<std::string> names;
  for (const MetricLine& line : *lines) {
    names.insert(line.name);
    EXPECT_GE(line.value, 0) << line.name;
    EXPECT_FALSE(FormatMetricLine(line).empty());
  }
  for (const char* name :
       {"reactivation_recall_30d", "reactivation_median_delay_days",
        "false_reactivation_per_1000_subjects_per_30d", "screening_precision", "screening_recall",
        "rank_cell_members_in_top_capacity", "rank_reactivated_members_in_top_5pct"}) {
    EXPECT_EQ(names.count(name), 1u) << name;
  }
  for (const MetricLine& line : *lines) {
    if (line.name == "screening_recall") {
      EXPECT_GT(line.value, 0.8);  // the names module works
    }
    if (line.name.rfind("rank_", 0) == 0 || line.name.find("recall") != std::string::npos ||
        line.name == "screening_precision") {
      EXPECT_LE(line.value, 1.0) << line.name;
    }
  }
}

// A world written by hand (not by the generator) scores by the formats
// alone: one activation, alerted two days later, and one false alert.
TEST_F(EvalTest, ScoresAHandWrittenTruth) {
  const std::filesystem::path world = dir_ / "hand";
  std::filesystem::create_directories(world / "truth");
  std::ofstream(world / "truth" / "activations.csv")
      << "person_id,time\nPA,2023-03-01T10:00:00Z\nPB,2023-05-01T10:00:00Z\n";
  std::ofstream(world / "truth" / "travel_matches.csv") << "record_id,entry_id\nT1,E1\nT2,E2\n";
  std::ofstream(world / "truth" / "cells.csv") << "person_id,cell_id\nPA,c1\nPB,c1\n";
  auto store = OpenSqliteStore((dir_ / "h.db").string());
  ASSERT_TRUE(store.ok());
  SourceFile file{"/p", "h1", InputKind::kPersons, 1};
  auto writer = (*store)->BeginIngest(file);
  ASSERT_TRUE(writer.ok());
  for (const char* id : {"PA", "PB", "PC"}) {
    Person p;
    p.person_id = id;
    p.name = std::string("Person ") + id;
    p.status = PersonStatus::kSubject;
    ASSERT_TRUE((*writer)->Put(p).ok());
  }
  ASSERT_TRUE((*writer)->Commit(3).ok());
  WatchBatch batch;
  const UnixTime activation = *ParseTime("2023-03-01T10:00:00Z");
  batch.alerts.push_back(
      {"reactivation:PA:1", activation + 2 * 86400, "PA", "reactivation", 0.9, "e", 0});
  batch.alerts.push_back({"reactivation:PC:1", activation, "PC", "reactivation", 0.9, "e", 0});
  batch.alerts.push_back({"watchlist_match:T1:E1", activation, "", "watchlist_match", 0.9, "e", 0});
  batch.alerts.push_back({"watchlist_match:T3:E1", activation, "", "watchlist_match", 0.9, "e", 0});
  // A report naming a listed person is no travel match: not scored as one.
  batch.alerts.push_back(
      {"watchlist_match:report:R1:E2", activation, "", "watchlist_match", 0.9, "e", 0});
  batch.state.emplace_back("earliest_time", std::to_string(activation - 150 * 86400));
  batch.state.emplace_back("latest_time", std::to_string(activation + 150 * 86400));
  ASSERT_TRUE((*store)->CommitWatchBatch(batch, nullptr).ok());
  auto lines = Evaluate(world.string(), **store);
  ASSERT_TRUE(lines.ok()) << lines.status().ToString();
  std::map<std::string, double> values;
  for (const MetricLine& line : *lines) values[line.name] = line.value;
  EXPECT_DOUBLE_EQ(values["reactivation_recall_30d"], 0.5);
  EXPECT_NEAR(values["reactivation_median_delay_days"], 2.0, 1e-9);
  // One false alert, three watched subjects, ten periods of 30 days.
  EXPECT_NEAR(values["false_reactivation_per_1000_subjects_per_30d"], 1.0 / 3.0 * 1000 / 10, 1e-6);
  EXPECT_DOUBLE_EQ(values["screening_precision"], 0.5);
  EXPECT_DOUBLE_EQ(values["screening_recall"], 0.5);
  // Three ranked, so the top 5% is one place, for two reactivated members:
  // the goal's share cannot exceed 0.5; PA (reactivation alert, first by id
  // among equal scores) takes the place. The top two are PA and PC.
  EXPECT_DOUBLE_EQ(values["rank_reactivated_members_in_top_5pct"], 0.5);
  EXPECT_DOUBLE_EQ(values["rank_reactivated_members_top_5pct_of_reachable"], 1.0);
  EXPECT_DOUBLE_EQ(values["rank_reactivated_members_r_precision"], 0.5);
}

}  // namespace
}  // namespace vigil
