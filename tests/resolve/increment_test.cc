// Identifier resolution's daily increment: a run that starts from the state
// the last run saved and reads only the comms stored since gives exactly
// what a run reading every communication gives; the saved state round-trips
// through the store, also when a section is larger than one stored part.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "store/store_test_util.h"
#include "vigil/ingest.h"
#include "vigil/resolve.h"
#include "vigil/sim.h"

namespace vigil {
namespace {

using testing_util::ScratchDir;

// Splits `world`'s comms.csv into `base` (every file, comms without the last
// day) and `day` (comms of the last day only). Returns the last day's rows.
int64_t SplitLastDay(const std::string& world, const std::string& base, const std::string& day) {
  namespace fs = std::filesystem;
  fs::create_directories(base);
  fs::create_directories(day);
  for (const auto& entry : fs::directory_iterator(world)) {
    if (entry.is_regular_file() && entry.path().filename() != "comms.csv") {
      fs::copy_file(entry.path(), fs::path(base) / entry.path().filename());
    }
  }
  std::vector<std::string> rows;
  std::ifstream in(world + "/comms.csv");
  std::string header, row;
  std::getline(in, header);
  EXPECT_EQ(header.rfind("time,", 0), 0u) << "the split expects time as the first column";
  while (std::getline(in, row)) rows.push_back(row);
  EXPECT_FALSE(rows.empty());
  const std::string last_day = rows.back().substr(0, 10);  // comms are in time order
  std::ofstream base_out(base + "/comms.csv");
  std::ofstream day_out(day + "/comms.csv");
  base_out << header << '\n';
  day_out << header << '\n';
  int64_t day_rows = 0;
  for (const std::string& line : rows) {
    if (line.compare(0, 10, last_day) == 0) {
      day_out << line << '\n';
      ++day_rows;
    } else {
      base_out << line << '\n';
    }
  }
  return day_rows;
}

void ExpectSameProposals(const ResolveReport& left, const ResolveReport& right) {
  EXPECT_EQ(left.comms, right.comms);
  EXPECT_EQ(left.candidate_links, right.candidate_links);
  ASSERT_EQ(left.proposals.size(), right.proposals.size());
  for (size_t index = 0; index < left.proposals.size(); ++index) {
    const LinkProposal& a = left.proposals[index];
    const LinkProposal& b = right.proposals[index];
    EXPECT_EQ(a.selector, b.selector);
    EXPECT_EQ(a.owner, b.owner) << a.selector;
    EXPECT_EQ(a.anchor, b.anchor) << a.selector;
    EXPECT_DOUBLE_EQ(a.confidence, b.confidence) << a.selector;
    EXPECT_EQ(a.evidence, b.evidence) << a.selector;
  }
}

// Days 1..N-1 resolved (state saved), day N ingested and resolved from the
// saved state, equals a run on the same store that reads all N days.
TEST(ResolveIncrementTest, IncrementEqualsFullRun) {
  ScratchDir dir;
  SimulateOptions simulate;
  simulate.out_dir = dir.File("world");
  simulate.seed = 102;
  simulate.people = 800;
  simulate.days = 120;
  ASSERT_TRUE(Simulate(simulate).ok());
  const int64_t day_rows = SplitLastDay(simulate.out_dir, dir.File("base"), dir.File("day"));
  ASSERT_GT(day_rows, 0);
  auto store = OpenSqliteStore(dir.File("vigil.db"));
  ASSERT_TRUE(store.ok());
  std::vector<FileIngestResult> results;
  ASSERT_TRUE(IngestPaths(**store, {dir.File("base")}, IngestOptions{}, &results).ok());
  auto before = ResolveIdentifiers(**store);
  ASSERT_TRUE(before.ok()) << before.status().ToString();
  EXPECT_EQ(before->comms_read, before->comms);
  ASSERT_TRUE(IngestPaths(**store, {dir.File("day")}, IngestOptions{}, &results).ok());

  auto increment = ResolveIdentifiers(**store);
  ASSERT_TRUE(increment.ok()) << increment.status().ToString();
  EXPECT_EQ(increment->comms_read, day_rows);
  EXPECT_EQ(increment->comms, before->comms + day_rows);
  ResolveOptions full;
  full.use_saved_state = false;
  full.save_state = false;
  auto whole = ResolveIdentifiers(**store, full);
  ASSERT_TRUE(whole.ok()) << whole.status().ToString();
  EXPECT_EQ(whole->comms_read, whole->comms);
  ExpectSameProposals(*increment, *whole);
  EXPECT_GT(whole->proposals.size(), 100u);

  // Nothing new: the next run reads nothing and changes nothing.
  auto again = ResolveIdentifiers(**store);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->comms_read, 0);
  ExpectSameProposals(*again, *whole);
}

// The saved state comes back byte for byte, a section larger than one
// stored part (64 MiB) included, and a new save replaces the old one whole.
TEST(ResolveIncrementTest, SavedStateRoundTrips) {
  ScratchDir dir;
  auto store = OpenSqliteStore(dir.File("vigil.db"));
  ASSERT_TRUE(store.ok());
  auto missing = (*store)->GetResolveState("meta");
  ASSERT_TRUE(missing.ok());
  EXPECT_FALSE(missing->has_value());
  std::string big((size_t{64} << 20) + 5, 'x');
  big[0] = 'a';
  big[big.size() - 1] = 'z';
  ASSERT_TRUE((*store)->PutResolveState({{"big", big}, {"empty", ""}, {"small", "abc"}}).ok());
  auto got = (*store)->GetResolveState("big");
  ASSERT_TRUE(got.ok() && got->has_value());
  EXPECT_TRUE(**got == big);
  auto empty = (*store)->GetResolveState("empty");
  ASSERT_TRUE(empty.ok() && empty->has_value());
  EXPECT_EQ(**empty, "");
  ASSERT_TRUE((*store)->PutResolveState({{"small", "de"}}).ok());
  auto replaced = (*store)->GetResolveState("big");
  ASSERT_TRUE(replaced.ok());
  EXPECT_FALSE(replaced->has_value());
  auto small = (*store)->GetResolveState("small");
  ASSERT_TRUE(small.ok() && small->has_value());
  EXPECT_EQ(**small, "de");
}

}  // namespace
}  // namespace vigil
