// One watch level per person: a supervisor's review decision (oversight) and
// `vigil watch set` (watch) write the same record, which the alert engine,
// reviews and retention all read; and migration 8 carries the review state
// of a version-6 store over.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "access/oversight_world.h"
#include "cli/cli_runner.h"
#include "store/sqlite/schema.h"
#include "store/sqlite/sqlite_handle.h"
#include "store/sqlite/sqlite_store.h"
#include "vigil/access.h"
#include "vigil/oversight.h"
#include "vigil/watch.h"
#include "watch/timeline_builder.h"

namespace vigil {
namespace {

using testing_util::At;
using testing_util::TimelineStore;

constexpr char kA[] = "msisdn:+33600000001";
constexpr char kB[] = "msisdn:+33600000002";
constexpr char kX[] = "msisdn:+33600000099";

const Principal kSupervisor = testing::MakePrincipal("sup", Role::kSupervisor, {"*"});

// PA is busy with PB for 120 days, quiet until day 300 (a call to X every
// five days), then wakes: calls PB again and is busy (the watch tests'
// sleeper). PB is the contact he wakes with.
void SleeperDay(TimelineStore& t, int day) {
  if (day < 120) {
    t.Call(At(day, 10), kA, kB);
    t.Call(At(day, 12), kA, kX);
  } else if (day < 300) {
    if (day % 5 == 0) t.Call(At(day, 12), kA, kX);
  } else {
    t.Call(At(day, 9), kA, kB);
    t.Call(At(day, 15), kB, kA);
    for (int hour = 10; hour < 16; ++hour) t.Call(At(day, hour, 30), kA, kX);
  }
}

size_t ReactivationsOf(const AlertRun& run, const std::string& person_id) {
  return static_cast<size_t>(std::count_if(run.raised.begin(), run.raised.end(), [&](auto& a) {
    return a.kind == "reactivation" && a.person_id == person_id;
  }));
}

std::map<std::string, WatchRecord> StoredLevels(Store& store) {
  std::map<std::string, WatchRecord> out;
  EXPECT_TRUE(store
                  .ScanWatchRecords([&](const WatchRecord& record) {
                    out[record.person_id] = record;
                    return true;
                  })
                  .ok());
  return out;
}

// Runs the sleeper's first 299 days through the engine, lets a supervisor
// decide on PA on day 299, then delivers the days he wakes and runs again.
// Returns the second run.
AlertRun DecideThenWake(TimelineStore& t, std::optional<ReviewDecision> decision) {
  t.AddPerson("PA", "Karim Benali");
  t.AddPerson("PB", "Yusuf Haddad");
  t.Attribute(kA, "PA");
  t.Attribute(kB, "PB");
  for (int day = 0; day < 299; ++day) SleeperDay(t, day);
  t.Flush();
  WatchOptions options;
  options.now = At(299);
  options.min_renewed_ties = 1;  // PA wakes with PB alone; the subject here is the level
  auto first = RaiseAlerts(t.store(), options);
  EXPECT_TRUE(first.ok()) << first.status().ToString();
  EXPECT_EQ(ReactivationsOf(*first, "PA"), 0u) << "asleep until day 300";

  if (decision) {
    FakeClock clock(At(299));
    OversightOptions oversight_options;
    oversight_options.clock = &clock;
    oversight_options.synchronous = false;
    auto oversight = Oversight::Open(t.store(), oversight_options);
    EXPECT_TRUE(oversight.ok()) << oversight.status().ToString();
    RequestContext context;
    context.principal = kSupervisor;
    context.purpose = "test";
    const std::string until = *decision == ReviewDecision::kEnd ? "" : "2030-06-30";
    Status status = (*oversight)->DecideReview(context, "PA", *decision, "quarterly review", until);
    EXPECT_TRUE(status.ok()) << status.ToString();
  }
  for (int day = 299; day <= 320; ++day) SleeperDay(t, day);
  t.Flush();
  options.now = At(321);
  auto second = RaiseAlerts(t.store(), options);
  EXPECT_TRUE(second.ok()) << second.status().ToString();
  return second.ok() ? std::move(*second) : AlertRun{};
}

// Without a decision PA's waking is a reactivation; after a supervisor ends
// his watch it is not (the engine sees him closed); on dormant watch it is.
TEST(WatchStateTest, SupervisorDecisionIsTheLevelTheAlertEngineUses) {
  {
    TimelineStore t;
    EXPECT_EQ(ReactivationsOf(DecideThenWake(t, std::nullopt), "PA"), 1u);
  }
  {
    TimelineStore t;
    const AlertRun run = DecideThenWake(t, ReviewDecision::kEnd);
    EXPECT_EQ(ReactivationsOf(run, "PA"), 0u);
    for (const StoredAlert& a : run.raised) EXPECT_NE(a.person_id, "PA") << a.key;
    auto levels = StoredLevels(t.store());
    ASSERT_EQ(levels.count("PA"), 1u);
    EXPECT_EQ(levels["PA"].state, static_cast<int>(WatchLevel::kClosed));
    EXPECT_EQ(levels["PA"].set_by, "sup");
    EXPECT_EQ(levels["PA"].last_review, At(299));
    EXPECT_EQ(levels["PA"].reason, "review end: quarterly review");
  }
  {
    TimelineStore t;
    const AlertRun run = DecideThenWake(t, ReviewDecision::kDormant);
    EXPECT_EQ(ReactivationsOf(run, "PA"), 1u);
    auto levels = StoredLevels(t.store());
    EXPECT_EQ(levels["PA"].state, static_cast<int>(WatchLevel::kDormant));
  }
}

std::vector<std::string> Rows(const std::vector<ReviewItem>& items) {
  std::vector<std::string> out;
  for (const ReviewItem& item : items) {
    out.push_back(item.person_id + "/" + std::string(WatchStateName(item.state)));
  }
  return out;
}

// `vigil watch set` (SetWatchLevel through the access layer) is what reviews
// list and what retention acts on; a review decision is what LoadWatchLevels
// returns. Both are audited as decide_review.
TEST(WatchStateTest, WatchSetIsSeenByReviewsAndRetentionAndDecisionsByTheEngine) {
  testing::OversightWorld world("watchstate", {"CT-A"}, 4);  // review_by 2026-01-31
  Oversight& o = world.oversight();
  world.ActAs(kSupervisor);
  const RequestContext supervisor = world.Context(kSupervisor);
  world.clock().Set(testing::kStart + 31 * testing::kDay);  // 2026-02-01: all are due
  const UnixTime now = world.clock().Now();

  ASSERT_TRUE(
      SetWatchLevel(world.store(), "CT-A-1", WatchLevel::kDormant, "quiet", "", now, true).ok());
  ASSERT_TRUE(
      SetWatchLevel(world.store(), "CT-A-2", WatchLevel::kClosed, "done", "", now, false).ok());
  auto due = o.DueReviews(supervisor, now);
  ASSERT_TRUE(due.ok()) << due.status().ToString();
  EXPECT_EQ(Rows(*due),
            (std::vector<std::string>{"CT-A-0/active", "CT-A-1/dormant", "CT-A-3/active"}));
  EXPECT_EQ(*o.WatchStateOf("CT-A-2"), WatchState::kEnded);
  EXPECT_TRUE(o.WatchStateOf("NOPE").status().IsNotFound());

  // A decision moves CT-A-3 to dormant; the engine's view agrees.
  ASSERT_TRUE(
      o.DecideReview(supervisor, "CT-A-3", ReviewDecision::kDormant, "low cost", "2026-12-01")
          .ok());
  auto levels = LoadWatchLevels(world.store().inner());
  ASSERT_TRUE(levels.ok());
  std::map<std::string, WatchLevel> level_of;
  for (const PersonWatch& w : *levels) level_of[w.person_id] = w.level;
  EXPECT_EQ(level_of["CT-A-0"], WatchLevel::kActive);
  EXPECT_EQ(level_of["CT-A-1"], WatchLevel::kDormant);
  EXPECT_EQ(level_of["CT-A-2"], WatchLevel::kClosed);
  EXPECT_EQ(level_of["CT-A-3"], WatchLevel::kDormant);
  // The access layer wrote the authenticated user where --by was not given.
  EXPECT_EQ(StoredLevels(world.store().inner())["CT-A-2"].set_by, "sup");

  // Retention: the closed subject's clock started when watch set closed it;
  // closing again does not restart it; the watched ones are kept.
  const RequestContext admin =
      world.Context(testing::MakePrincipal("adm", Role::kAdmin, std::vector<std::string>{}));
  ASSERT_TRUE(o.SetRetentionLimit(admin, "none", 100).ok());
  world.clock().Set(now + 50 * testing::kDay);
  ASSERT_TRUE(SetWatchLevel(world.store(), "CT-A-2", WatchLevel::kClosed, "still done", "",
                            world.clock().Now(), false)
                  .ok());
  world.clock().Set(now + 100 * testing::kDay);
  auto erased = o.ApplyRetention(admin, false);
  ASSERT_TRUE(erased.ok()) << erased.status().ToString();
  ASSERT_EQ(erased->size(), 1u);
  EXPECT_EQ((*erased)[0].person_id, "CT-A-2");
  EXPECT_EQ((*erased)[0].anchor, now);
  EXPECT_TRUE(StoredLevels(world.store().inner()).count("CT-A-2") == 0)
      << "erasure removes the watch level too";

  AuditQuery q;
  q.subject = "CT-A-1";
  auto records = o.QueryAudit(world.Context(testing::MakePrincipal("aud", Role::kAuditor, {})), q);
  ASSERT_TRUE(records.ok());
  EXPECT_TRUE(std::any_of(records->begin(), records->end(), [](const AuditRecord& r) {
    return r.action == "decide_review" && r.object == "watch:CT-A-1";
  }));
}

// A file at schema version 6 (person_oversight holds the review state)
// migrates to one level per person: the newer of the review decision and
// the watch record wins, the decision's time counts as a review, and the
// duplicate column is gone.
TEST(WatchStateTest, MigrationCarriesVersion6ReviewStateOver) {
  testing_util::TempDir dir;
  const std::string path = dir.File("v6.db");
  {
    sqlite3* raw = nullptr;
    ASSERT_EQ(sqlite3_open(path.c_str(), &raw), SQLITE_OK);
    sqlite::DbPtr db(raw);
    for (const sqlite::Migration& migration : sqlite::Migrations()) {
      if (migration.version > 6) continue;
      ASSERT_TRUE(sqlite::Exec(db.get(), migration.sql).ok()) << migration.version;
    }
    ASSERT_TRUE(sqlite::Exec(db.get(), "PRAGMA user_version = 6; PRAGMA application_id = " +
                                           std::to_string(sqlite::kApplicationId))
                    .ok());
    // P1 ended by review; P2 dormant by review, later set active by watch
    // set; P3 set active, later dormant by review; P4 extended (active,
    // after a watch set closed); P5 never decided; P6 reviewed back to
    // active on the day a watch set closed it (a tie: the decision wins).
    const char* world = R"sql(
      INSERT INTO persons(person_id, name, status) VALUES
        ('P1', 'A', 1), ('P2', 'B', 1), ('P3', 'C', 1), ('P4', 'D', 1), ('P5', 'E', 1),
        ('P6', 'F', 1);
      INSERT INTO person_oversight(person_id, state, stored_at, ended_at) VALUES
        ('P1', 2, 10, 100), ('P2', 1, 10, NULL), ('P3', 1, 10, NULL), ('P4', 0, 10, NULL),
        ('P5', 0, 10, NULL), ('P6', 0, 10, NULL);
      INSERT INTO review_decisions(person_id, decision, reason, new_review_by, decided_by,
                                   decided_at) VALUES
        ('P1', 'extend', 'first', '2030-01-01', 'sup1', 50),
        ('P1', 'end', 'over', NULL, 'sup2', 100),
        ('P2', 'dormant', 'quiet', '2030-01-01', 'sup1', 200),
        ('P3', 'dormant', 'quiet', '2030-01-01', 'sup1', 500),
        ('P4', 'extend', 'busy', '2030-01-01', 'sup1', 700),
        ('P6', 'extend', 'busy', '2030-01-01', 'sup1', 900);
      INSERT INTO watch_subjects(person_id, state, reason, set_by, set_at, last_review) VALUES
        ('P2', 0, 'woke', 'ana', 300, NULL),
        ('P3', 0, 'first', 'ana', 400, 400),
        ('P4', 2, 'closed', 'ana', 600, NULL),
        ('P6', 2, 'closed', 'ana', 900, NULL);
    )sql";
    ASSERT_TRUE(sqlite::Exec(db.get(), world).ok());
  }
  auto opened = sqlite::SqliteStore::Open(path, StoreOptions());
  ASSERT_TRUE(opened.ok()) << opened.status().ToString();
  sqlite::SqliteStore& store = **opened;
  EXPECT_EQ(*sqlite::QueryInt(store.db(), "PRAGMA user_version"), CurrentSchemaVersion());
  EXPECT_GE(CurrentSchemaVersion(), 8);

  auto levels = StoredLevels(store);
  ASSERT_EQ(levels.size(), 5u) << "P5 keeps the default";
  const WatchRecord& p1 = levels["P1"];
  EXPECT_EQ(p1.state, static_cast<int>(WatchLevel::kClosed));
  EXPECT_EQ(p1.reason, "review end: over");
  EXPECT_EQ(p1.set_by, "sup2");
  EXPECT_EQ(p1.set_at, 100);
  EXPECT_EQ(p1.last_review, 100);
  EXPECT_EQ(levels["P2"].state, static_cast<int>(WatchLevel::kActive)) << "watch set was later";
  EXPECT_EQ(levels["P2"].set_at, 300);
  EXPECT_EQ(levels["P2"].last_review, 200) << "the review still counts as a review";
  EXPECT_EQ(levels["P3"].state, static_cast<int>(WatchLevel::kDormant)) << "review was later";
  EXPECT_EQ(levels["P3"].last_review, 500);
  EXPECT_EQ(levels["P4"].state, static_cast<int>(WatchLevel::kActive));
  EXPECT_EQ(levels["P6"].state, static_cast<int>(WatchLevel::kActive));

  // person_oversight keeps only the retention clock.
  EXPECT_EQ(*sqlite::QueryInt(store.db(),
                              "SELECT count(*) FROM pragma_table_info('person_oversight') "
                              "WHERE name = 'state'"),
            0);
  EXPECT_EQ(
      *sqlite::QueryInt(store.db(), "SELECT ended_at FROM person_oversight WHERE person_id = 'P1'"),
      100);
}

// Through the binary: watch set shows in `vigil reviews`, a review decision
// takes a subject out of it, and an extension brings a closed one back.
TEST(WatchStateTest, CliWatchSetAndReviewShareOneState) {
  testing_util::TempDir dir;
  testing_util::WriteFileText(dir.path() / "w" / "persons.csv",
                              "person_id,name,status,legal_basis,review_by\n"
                              "P1,Ali Kaya,subject,warrant 1,2026-01-31\n"
                              "P2,Omar Said,subject,warrant 2,2026-01-31\n"
                              "P3,Sami Nour,subject,warrant 3,2026-01-31\n");
  const std::string db = dir.File("v.db");
  auto run = [&](std::vector<std::string> args) {
    args.insert(args.begin(), {"--db", db, "--format", "csv"});
    return testing_util::RunVigil(args, dir.path());
  };
  auto ingest = run({"ingest", dir.File("w")});
  ASSERT_EQ(ingest.exit_code, 0) << ingest.err;
  auto reviews = [&]() {
    auto out = run({"reviews", "--due-by", "2026-02-01"});
    EXPECT_EQ(out.exit_code, 0) << out.err;
    return out.out;
  };
  ASSERT_EQ(run({"watch", "set", "P1", "dormant", "--reason", "quiet"}).exit_code, 0);
  ASSERT_EQ(run({"watch", "set", "P2", "closed", "--reason", "done"}).exit_code, 0);
  std::string listed = reviews();
  EXPECT_NE(listed.find("P1,2026-01-31,dormant"), std::string::npos) << listed;
  EXPECT_EQ(listed.find("P2,"), std::string::npos) << listed;
  EXPECT_NE(listed.find("P3,2026-01-31,active"), std::string::npos) << listed;

  auto ended = run({"review", "P1", "end", "--reason", "no longer of interest"});
  ASSERT_EQ(ended.exit_code, 0) << ended.err;
  auto extended =
      run({"review", "P2", "extend", "--reason", "new contacts", "--until", "2099-01-01"});
  ASSERT_EQ(extended.exit_code, 0) << extended.err;
  listed = reviews();
  EXPECT_EQ(listed.find("P1,"), std::string::npos) << listed;
  auto later = run({"reviews", "--due-by", "2099-01-01"});
  EXPECT_NE(later.out.find("P2,2099-01-01,active"), std::string::npos) << later.out;
}

}  // namespace
}  // namespace vigil
