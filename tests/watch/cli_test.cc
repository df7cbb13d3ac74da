// The watch commands end to end through the vigil binary (VIGIL_BIN):
// simulate, eval (which ingests and raises alerts), alerts again (nothing
// new), watch set, changes and rank.
#include <gtest/gtest.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "vigil/store.h"
#include "vigil/watch.h"

namespace {

struct CliRun {
  int code = -1;
  std::string out;
};

// Runs `vigil ARGS` (stderr to stdout) and captures the output.
CliRun Vigil(const std::string& args) {
  const char* bin = std::getenv("VIGIL_BIN");
  CliRun run;
  if (bin == nullptr) return run;
  const std::string command = std::string(bin) + " " + args + " 2>&1";
  std::unique_ptr<FILE, int (*)(FILE*)> pipe(popen(command.c_str(), "r"), &pclose);
  if (!pipe) return run;
  std::array<char, 4096> buffer{};
  while (fgets(buffer.data(), buffer.size(), pipe.get()) != nullptr) run.out += buffer.data();
  run.code = pclose(pipe.release());
  return run;
}

class WatchCliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (std::getenv("VIGIL_BIN") == nullptr) GTEST_SKIP() << "VIGIL_BIN not set";
    std::string pattern = ::testing::TempDir() + "vigil_watch_cli_XXXXXX";
    dir_ = mkdtemp(pattern.data());
  }
  void TearDown() override {
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
  }
  std::string Path(const std::string& name) const { return (dir_ / name).string(); }
  std::filesystem::path dir_;
};

TEST_F(WatchCliTest, EvalSuiteNamesTheSuitesItKnows) {
  CliRun run = Vigil("eval --suite everything --suite-dir " + Path("s"));
  EXPECT_NE(run.code, 0);
  EXPECT_NE(run.out.find("training, held-out"), std::string::npos) << run.out;
  CliRun neither = Vigil("--db " + Path("n.db") + " eval");
  EXPECT_NE(neither.code, 0);
  EXPECT_NE(neither.out.find("--world or --suite"), std::string::npos) << neither.out;
}

TEST_F(WatchCliTest, EvalAlertsWatchChangesRank) {
  ASSERT_EQ(Vigil("simulate --out " + Path("w") + " --seed 2 --people 400 --days 200").code, 0);
  const std::string db = " --db " + Path("w.db") + " ";
  CliRun eval = Vigil(db + "eval --world " + Path("w") + " --capacity 20");
  ASSERT_EQ(eval.code, 0) << eval.out;
  EXPECT_NE(eval.out.find("reactivation_recall_30d "), std::string::npos) << eval.out;
  EXPECT_NE(eval.out.find("screening_recall "), std::string::npos) << eval.out;
  EXPECT_NE(eval.out.find("rank_reactivated_members_in_top_5pct "), std::string::npos);

  CliRun again = Vigil(db + "--format csv alerts --now 2030-01-01");
  ASSERT_EQ(again.code, 0) << again.out;
  EXPECT_NE(again.out.find("vigil: 0 new alerts"), std::string::npos) << again.out;

  CliRun all = Vigil(db + "--format csv alerts --all --out " + Path("alerts.csv"));
  ASSERT_EQ(all.code, 0) << all.out;
  EXPECT_TRUE(std::filesystem::file_size(Path("alerts.csv")) > 0);

  CliRun set = Vigil(db + "watch set P0000001 dormant --reason test --reviewed");
  // P0000001 may not be in persons.csv of this world: either it is set or
  // the person is named as unknown.
  EXPECT_TRUE(set.code == 0 || set.out.find("unknown person_id") != std::string::npos) << set.out;
  CliRun bad = Vigil(db + "watch set P0000001 asleep");
  EXPECT_NE(bad.code, 0);
  EXPECT_NE(bad.out.find("active, dormant or closed"), std::string::npos) << bad.out;

  CliRun rank = Vigil(db + "--format csv rank --capacity 5");
  ASSERT_EQ(rank.code, 0) << rank.out;
  EXPECT_EQ(rank.out.rfind("person_id,rank,score,factors", 0), 0u) << rank.out;

  CliRun changes = Vigil(db + "changes NOPE");
  EXPECT_NE(changes.code, 0);
}

// Feedback: `vigil eval` counts the dismissed alerts that today's detector
// would raise again on the same data, with the store's analyst decisions: a
// dismissed alert about a subject since closed is not raised again, one
// about anyone else is, and its reason is shown.
TEST_F(WatchCliTest, EvalCountsDismissedAlertsThatStillFire) {
  ASSERT_EQ(Vigil("simulate --out " + Path("w") + " --seed 2 --people 400 --days 200").code, 0);
  const std::string db = " --db " + Path("w.db") + " ";
  CliRun first = Vigil(db + "eval --world " + Path("w") + " --capacity 20");
  ASSERT_EQ(first.code, 0) << first.out;
  EXPECT_NE(first.out.find("dismissed_alerts_still_firing 0.0000  (no dismissed alerts"),
            std::string::npos)
      << first.out;
  std::string closed_person;
  std::string dismissed_key, kept_key;
  {
    auto store = vigil::OpenSqliteStore(Path("w.db"));
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    std::vector<vigil::StoredAlert> alerts;
    ASSERT_TRUE((*store)
                    ->ScanAlerts("",
                                 [&](const vigil::StoredAlert& alert) {
                                   alerts.push_back(alert);
                                   return true;
                                 })
                    .ok());
    for (const auto& alert : alerts) {
      if (alert.kind == "reactivation" && !alert.person_id.empty()) {
        closed_person = alert.person_id;
        dismissed_key = alert.key;
        break;
      }
    }
    ASSERT_FALSE(closed_person.empty()) << "no reactivation alert on this world";
    for (const auto& alert : alerts) {
      if (alert.kind == "watchlist_match" && alert.person_id != closed_person) {
        kept_key = alert.key;
        break;
      }
    }
    ASSERT_FALSE(kept_key.empty()) << "no watch-list match on this world";
    for (const auto& [key, reason] :
         {std::pair{dismissed_key, std::string("family event")},
          std::pair{kept_key, std::string("namesake, checked by hand")}}) {
      vigil::AlertTriage triage;
      triage.key = key;
      triage.state = vigil::AlertState::kDismissed;
      triage.reason = reason;
      triage.decided_by = "ana";
      triage.decided_at = 1700000000;
      ASSERT_TRUE((*store)->PutAlertTriage(triage).ok());
    }
    ASSERT_TRUE(vigil::SetWatchLevel(**store, closed_person, vigil::WatchLevel::kClosed,
                                     "no longer of interest", "ana", 1700000000, false)
                    .ok());
  }
  CliRun second = Vigil(db + "eval --world " + Path("w") + " --capacity 20");
  ASSERT_EQ(second.code, 0) << second.out;
  const size_t line = second.out.find("dismissed_alerts_still_firing ");
  ASSERT_NE(line, std::string::npos) << second.out;
  const std::string text = second.out.substr(line, second.out.find('\n', line) - line);
  EXPECT_NE(text.find("dismissed_alerts_still_firing 1.0000"), std::string::npos) << text;
  EXPECT_NE(text.find("1 of 2 dismissed alerts"), std::string::npos) << text;
  EXPECT_NE(text.find("namesake, checked by hand"), std::string::npos) << text;
  EXPECT_EQ(text.find("family event"), std::string::npos) << text;
}

// Listing an entry re-screens earlier sightings (vigil watchlist add), and
// the next alert run turns the stored retroactive match into one
// watchlist_match alert naming the document's owner and when the person was
// already seen; a third run raises nothing.
TEST_F(WatchCliTest, WatchlistAddRaisesRetroactiveMatchOnce) {
  std::filesystem::create_directories(dir_ / "w");
  auto write = [&](const std::string& name, const std::string& text) {
    std::unique_ptr<FILE, int (*)(FILE*)> file(std::fopen(Path("w/" + name).c_str(), "w"),
                                               &std::fclose);
    ASSERT_NE(file, nullptr);
    std::fputs(text.c_str(), file.get());
  };
  write("persons.csv",
        "person_id,name,status,legal_basis,review_by\nPA,Hayat Boumeddiene,subject,warrant "
        "1,2030-01-01\n");
  write("selectors.csv", "selector,person_id,source\npassport:FR:12AB34567,PA,warrant\n");
  write("travel.csv",
        "record_id,time,name,document,origin,destination\nT1,2022-03-01T10:00:00Z,BOUMEDDIENE "
        "HAYAT,passport:FR:12AB34567,MAD,IST\n");
  const std::string db = " --db " + Path("t.db") + " ";
  ASSERT_EQ(Vigil(db + "ingest " + Path("w")).code, 0);
  CliRun before = Vigil(db + "--format csv alerts --now 2022-04-01");
  ASSERT_EQ(before.code, 0) << before.out;
  EXPECT_EQ(before.out.find("watchlist_match"), std::string::npos) << before.out;
  CliRun add = Vigil(db + "watchlist add E1 --list national --name \"Hayat Boumeddienne\"");
  ASSERT_EQ(add.code, 0) << add.out;
  EXPECT_NE(add.out.find("(1 retroactive)"), std::string::npos) << add.out;
  CliRun after = Vigil(db + "--format csv alerts --now 2022-04-01");
  ASSERT_EQ(after.code, 0) << after.out;
  EXPECT_NE(after.out.find("2022-03-01T10:00:00Z,PA,watchlist_match,"), std::string::npos)
      << after.out;
  EXPECT_NE(after.out.find("already seen on 2022-03-01"), std::string::npos) << after.out;
  CliRun again = Vigil(db + "--format csv alerts --now 2022-04-01");
  EXPECT_NE(again.out.find("vigil: 0 new alerts"), std::string::npos) << again.out;
}

}  // namespace
