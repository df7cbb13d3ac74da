// Screening of the store: new travel and reports are screened against the
// stored list; a newly listed entry re-screens the past year's records and
// flags what it finds as retroactive; a second run redoes nothing; matches
// keep score and explanation.
#include <unistd.h>

#include <filesystem>

#include <gtest/gtest.h>

#include "vigil/screening.h"
#include "vigil/store.h"

namespace vigil {
namespace {

namespace fs = std::filesystem;

constexpr UnixTime kDay = 86400;
constexpr UnixTime kT0 = 1700000000;

class ScreenStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = fs::temp_directory_path() / ("vigil_screen_store_" + std::to_string(::getpid()));
    Cleanup();
    auto store = OpenSqliteStore(path_.string());
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    store_ = std::move(*store);
  }
  void TearDown() override {
    store_.reset();
    Cleanup();
  }
  void Cleanup() {
    for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(path_.string() + suffix);
  }

  // Writes records as one "file" of the given kind.
  template <typename Record>
  void Put(InputKind kind, const std::vector<Record>& records) {
    SourceFile file{"test", "hash" + std::to_string(files_++), kind, 1};
    auto writer = store_->BeginIngest(file);
    ASSERT_TRUE(writer.ok()) << writer.status().ToString();
    for (const Record& record : records) ASSERT_TRUE((*writer)->Put(record).ok());
    ASSERT_TRUE((*writer)->Commit(static_cast<int64_t>(records.size())).ok());
  }
  static WatchlistEntry Entry(const std::string& id, const std::string& name) {
    WatchlistEntry entry;
    entry.entry_id = id;
    entry.list = "partner";
    entry.name = name;
    return entry;
  }
  static TravelRecord Travel(const std::string& id, UnixTime time, const std::string& name) {
    TravelRecord record;
    record.record_id = id;
    record.time = time;
    record.name = name;
    record.destination = "IST";
    return record;
  }
  std::vector<StoredWatchlistMatch> Matches() {
    std::vector<StoredWatchlistMatch> matches;
    EXPECT_TRUE(store_
                    ->ScanWatchlistMatches([&matches](const StoredWatchlistMatch& match) {
                      matches.push_back(match);
                      return true;
                    })
                    .ok());
    return matches;
  }
  StoreScreeningReport Run() {
    StoreScreeningOptions options;
    options.screened_at = kT0 + 400 * kDay;
    auto report = ScreenStore(*store_, options);
    EXPECT_TRUE(report.ok()) << report.status().ToString();
    return report.ok() ? *report : StoreScreeningReport{};
  }

  fs::path path_;
  std::unique_ptr<Store> store_;
  int files_ = 0;
};

TEST_F(ScreenStoreTest, NewTravelIsScreenedAgainstTheStoredList) {
  Put(InputKind::kWatchlist, std::vector<WatchlistEntry>{Entry("W1", "Hayat Boumeddiene")});
  Put(InputKind::kTravel, std::vector<TravelRecord>{Travel("T1", kT0, "Hayat Boumedienne"),
                                                    Travel("T2", kT0, "Anna Schmidt")});
  const StoreScreeningReport report = Run();
  EXPECT_EQ(report.records_screened, 2U);
  EXPECT_EQ(report.matches, 1U);
  const auto matches = Matches();
  ASSERT_EQ(matches.size(), 1U);
  EXPECT_EQ(matches[0].source_id, "T1");
  EXPECT_EQ(matches[0].entry_id, "W1");
  EXPECT_GE(matches[0].score, kDefaultScreeningThreshold);
  EXPECT_FALSE(matches[0].explanation.empty());
  EXPECT_FALSE(matches[0].retroactive);
  EXPECT_EQ(matches[0].seen_at, kT0);
  // A second run has nothing new to do.
  const StoreScreeningReport again = Run();
  EXPECT_EQ(again.records_screened, 0U);
  EXPECT_EQ(again.records_rescreened, 0U);
  EXPECT_EQ(Matches().size(), 1U);
}

TEST_F(ScreenStoreTest, NewEntryFindsEarlierSightingsWithinTheWindow) {
  Put(InputKind::kWatchlist, std::vector<WatchlistEntry>{Entry("W1", "Cherif Kouachi")});
  Put(InputKind::kTravel,
      std::vector<TravelRecord>{Travel("T1", kT0, "Salah Abdeslam"),                // too old
                                Travel("T2", kT0 + 200 * kDay, "Salah Abdesalam"),  // in window
                                Travel("T3", kT0 + 380 * kDay, "Peter Smith")});
  EXPECT_EQ(Run().matches, 0U);
  // Salah Abdeslam is listed now: the past year's records are re-screened.
  Put(InputKind::kWatchlist, std::vector<WatchlistEntry>{Entry("W2", "Salah Abd al-Salam")});
  const StoreScreeningReport report = Run();
  EXPECT_EQ(report.new_entries, 1U);
  EXPECT_EQ(report.records_screened, 0U);
  EXPECT_EQ(report.records_rescreened, 2U);  // T2, T3 (T1 is older than 365 days)
  EXPECT_EQ(report.retroactive_matches, 1U);
  const auto matches = Matches();
  ASSERT_EQ(matches.size(), 1U);
  EXPECT_EQ(matches[0].source_id, "T2");
  EXPECT_EQ(matches[0].entry_id, "W2");
  EXPECT_TRUE(matches[0].retroactive);
}

TEST_F(ScreenStoreTest, ReportsWithANameAreScreened) {
  Put(InputKind::kWatchlist, std::vector<WatchlistEntry>{Entry("W1", "Amedy Coulibaly")});
  Report report;
  report.report_id = "R1";
  report.time = kT0;
  report.name = "Amedi Koulibali";
  report.source = "police";
  Put(InputKind::kReports, std::vector<Report>{report});
  Run();
  const auto matches = Matches();
  ASSERT_EQ(matches.size(), 1U);
  EXPECT_EQ(matches[0].source_kind, InputKind::kReports);
  EXPECT_EQ(matches[0].source_id, "R1");
}

TEST_F(ScreenStoreTest, BadMatchSourceIsRejected) {
  StoredWatchlistMatch match;
  match.source_kind = InputKind::kComms;
  match.source_id = "x";
  match.entry_id = "W1";
  EXPECT_TRUE(store_->PutScreeningResults({match}, {}).IsInvalidArgument());
}

}  // namespace
}  // namespace vigil
