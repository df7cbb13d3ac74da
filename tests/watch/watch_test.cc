// The alert engine on hand-made timelines: each signal, watch levels,
// idempotent and incremental re-runs, and ListChanges.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "vigil/watch.h"
#include "watch/profile.h"
#include "watch/timeline_builder.h"

namespace vigil {
namespace {

using testing_util::At;
using testing_util::TimelineStore;

constexpr char kA[] = "msisdn:+33600000001";
constexpr char kB[] = "msisdn:+33600000002";
constexpr char kC[] = "msisdn:+33600000003";
constexpr char kD[] = "msisdn:+33600000004";
constexpr char kE[] = "msisdn:+33600000005";
constexpr char kX[] = "msisdn:+33600000099";  // an ordinary, unknown number

WatchOptions Options(UnixTime now = At(1000)) {
  WatchOptions options;
  options.now = now;
  return options;
}

std::vector<StoredAlert> OfKind(const std::vector<StoredAlert>& alerts, const std::string& kind,
                                const std::string& person_id = "") {
  std::vector<StoredAlert> out;
  for (const StoredAlert& a : alerts) {
    if (a.kind == kind && (person_id.empty() || a.person_id == person_id)) out.push_back(a);
  }
  return out;
}

std::vector<StoredAlert> AllStored(Store& store) {
  std::vector<StoredAlert> alerts;
  EXPECT_TRUE(store
                  .ScanAlerts("",
                              [&](const StoredAlert& a) {
                                alerts.push_back(a);
                                return true;
                              })
                  .ok());
  return alerts;
}

// Five watched subjects. A is busy with B and E for 120 days, then quiet
// for 180 days (a call to X every five days), and wakes on day 300: calls B
// and E again and is busy. D is steady all along: X daily and C every ten
// days.
void SleeperPeople(TimelineStore& t) {
  t.AddPerson("PA", "Karim Benali");
  t.AddPerson("PB", "Yusuf Haddad");
  t.AddPerson("PC", "Omar Farouk");
  t.AddPerson("PD", "Samir Toumi");
  t.AddPerson("PE", "Nabil Saadi");
  t.Attribute(kA, "PA");
  t.Attribute(kB, "PB");
  t.Attribute(kC, "PC");
  t.Attribute(kD, "PD");
  t.Attribute(kE, "PE");
}

void SleeperDay(TimelineStore& t, int day) {
  if (day < 120) {
    t.Call(At(day, 10), kA, kB);
    if (day % 3 == 0) t.Call(At(day, 11), kA, kE);
    t.Call(At(day, 12), kA, kX);
  } else if (day < 300) {
    if (day % 5 == 0) t.Call(At(day, 12), kA, kX);
  } else {
    t.Call(At(day, 9), kA, kB);
    t.Call(At(day, 9, 40), kA, kE);
    t.Call(At(day, 15), kB, kA);
    for (int hour = 10; hour < 16; ++hour) t.Call(At(day, hour, 30), kA, kX);
  }
  t.Call(At(day, 18), kD, kX);
  if (day % 10 == 0) t.Call(At(day, 19), kD, kC);
}

void SleeperWorld(TimelineStore& t, int last_day) {
  SleeperPeople(t);
  for (int day = 0; day <= last_day; ++day) SleeperDay(t, day);
}

TEST(WatchTest, QuietSubjectWhoWakesRaisesOneReactivation) {
  TimelineStore t;
  SleeperWorld(t, 320);
  t.Flush();
  auto run = RaiseAlerts(t.store(), Options());
  ASSERT_TRUE(run.ok()) << run.status().ToString();
  // (B, silent since day 120 and woken by A, is reactivated too.)
  const auto reactivations = OfKind(run->raised, "reactivation", "PA");
  ASSERT_EQ(reactivations.size(), 1u);
  const StoredAlert& alert = reactivations[0];
  EXPECT_EQ(alert.person_id, "PA");
  EXPECT_GE(alert.time, At(300, 9));
  EXPECT_LE(alert.time, At(303));  // within three days of waking
  EXPECT_GT(alert.score, 0.5);
  EXPECT_NE(alert.evidence.find("renewed contact with PB"), std::string::npos) << alert.evidence;
  EXPECT_NE(alert.evidence.find("PE"), std::string::npos) << alert.evidence;
  EXPECT_NE(alert.evidence.find("quiet"), std::string::npos);
  EXPECT_NE(alert.evidence.find("ties renewed with 2 persons (minimum 2)"), std::string::npos)
      << alert.evidence;
  // A and B last spoke on day 119: the alert says how long the dormancy was.
  EXPECT_NE(alert.evidence.find("dormant 18"), std::string::npos) << alert.evidence;
}

// A waking member need not talk more, only to other people: A calls X
// twice a day all along (and B and E too for 120 days); from day 300 the
// same two calls a day go to B and E instead. His number of calls does not
// rise, but he takes up contact with the watched himself: that is own
// activity, and the wake is alerted within three days.
TEST(WatchTest, WakingWithoutTalkingMoreIsStillOwnActivity) {
  TimelineStore t;
  SleeperPeople(t);
  for (int day = 0; day <= 320; ++day) {
    if (day < 300) {
      t.Call(At(day, 9), kA, kX);
      t.Call(At(day, 17), kA, kX);
    } else {
      t.Call(At(day, 9), kA, kB);
      t.Call(At(day, 17), kA, kE);
    }
    if (day < 120) {
      t.Call(At(day, 10), kA, kB);
      t.Call(At(day, 11), kA, kE);
    }
  }
  t.Flush();
  auto run = RaiseAlerts(t.store(), Options());
  ASSERT_TRUE(run.ok()) << run.status().ToString();
  const auto reactivations = OfKind(run->raised, "reactivation", "PA");
  ASSERT_EQ(reactivations.size(), 1u);
  EXPECT_GE(reactivations[0].time, At(300));
  EXPECT_LE(reactivations[0].time, At(303));
  EXPECT_NE(reactivations[0].evidence.find("started with the watched"), std::string::npos)
      << reactivations[0].evidence;
}

// One renewed tie is a pair taking up contact again, not a network waking:
// A wakes on day 300 with B alone (E stays silent). No reactivation with
// the default minimum of two renewed ties; with a minimum of one, the same
// wake is alerted.
TEST(WatchTest, OneRenewedTieIsAPairNotANetwork) {
  for (const int min_ties : {WatchOptions{}.min_renewed_ties, 1}) {
    TimelineStore t;
    SleeperPeople(t);
    for (int day = 0; day <= 320; ++day) {
      if (day < 120) {
        t.Call(At(day, 10), kA, kB);
        if (day % 3 == 0) t.Call(At(day, 11), kA, kE);
        t.Call(At(day, 12), kA, kX);
      } else if (day < 300) {
        if (day % 5 == 0) t.Call(At(day, 12), kA, kX);
      } else {
        t.Call(At(day, 9), kA, kB);
        t.Call(At(day, 15), kB, kA);
        for (int hour = 10; hour < 16; ++hour) t.Call(At(day, hour, 30), kA, kX);
      }
    }
    t.Flush();
    WatchOptions options = Options();
    options.min_renewed_ties = min_ties;
    auto run = RaiseAlerts(t.store(), options);
    ASSERT_TRUE(run.ok()) << run.status().ToString();
    EXPECT_EQ(OfKind(run->raised, "reactivation", "PA").size(), min_ties == 1 ? 1u : 0u)
        << "min_renewed_ties=" << min_ties;
  }
}

// Someone who takes up old contacts all the time is judged against that
// habit: A calls one of four watched friends every seven days (each friend
// once in four weeks, so every call renews a tie) up to day 273, then after
// four quiet weeks calls two of them twice a day and is busy from day 300.
// Two renewed ties in a few days are A's habit, not a change: no
// reactivation at the default ties_p; without the test (ties_p = 1) the
// same days are alerted.
TEST(WatchTest, RenewingTiesOftenIsAHabitNotAReactivation) {
  constexpr const char* kFriends[] = {kB, kC, kD, kE};
  for (const double ties_p : {WatchOptions{}.ties_p, 1.0}) {
    TimelineStore t;
    SleeperPeople(t);
    for (int day = 0; day <= 305; ++day) {
      if (day < 280 && day % 7 == 0) t.Call(At(day, 10), kA, kFriends[(day / 7) % 4]);
      if (day % 3 == 0) t.Call(At(day, 12), kA, kX);
      if (day >= 300 && day < 303) {
        for (const int hour : {9, 17}) {
          t.Call(At(day, hour), kA, kB);
          t.Call(At(day, hour, 30), kA, kC);
        }
        for (int hour = 10; hour < 16; ++hour) t.Call(At(day, hour, 30), kA, kX);
      }
    }
    t.Flush();
    WatchOptions options = Options();
    options.ties_p = ties_p;
    options.mix_p = 1;  // this test is about the renewed-ties test alone
    auto run = RaiseAlerts(t.store(), options);
    ASSERT_TRUE(run.ok()) << run.status().ToString();
    const auto reactivations = OfKind(run->raised, "reactivation", "PA");
    EXPECT_EQ(reactivations.size(), ties_p < 1 ? 0u : 1u) << "ties_p=" << ties_p;
    for (const StoredAlert& a : reactivations) {
      EXPECT_NE(a.evidence.find("renewals/day"), std::string::npos) << a.evidence;
    }
  }
}

// A burst of a subject who never went quiet (a watched friend called every
// nine days, then many calls in three days) is ordinary bursty life, not
// the end of a dormancy: no reactivation with the default minimum dormancy;
// without it, the same rate change is alerted.
TEST(WatchTest, BurstWithoutDormancyIsNotAReactivation) {
  for (const int min_dormancy : {WatchOptions{}.min_dormancy_days, 0}) {
    TimelineStore t;
    SleeperPeople(t);
    for (int day = 0; day <= 260; ++day) {
      if (day % 9 == 0) t.Call(At(day, 11), kA, kB);
      if (day % 4 == 0) t.Call(At(day, 12), kA, kX);
      if (day >= 250 && day < 253) {
        for (int hour = 9; hour < 17; ++hour) t.Call(At(day, hour, 20), kA, kB);
      }
    }
    t.Flush();
    WatchOptions options = Options();
    options.min_dormancy_days = min_dormancy;
    options.min_renewed_ties = 1;  // one watched friend: the dormancy rule alone
    auto run = RaiseAlerts(t.store(), options);
    ASSERT_TRUE(run.ok()) << run.status().ToString();
    EXPECT_EQ(OfKind(run->raised, "reactivation", "PA").size(), min_dormancy == 0 ? 1u : 0u)
        << "min_dormancy_days=" << min_dormancy;
  }
}

// A burst of ordinary life after a long silence with a watched friend: A
// calls X every other day and B every 60 days up to day 180 (about one
// event in 30 is relevant), then makes eight calls a day for three days in
// the same
// proportions (seven to X, one to B). Activity rises, and the tie with B
// is renewed after 70 days, but whom A talks to has not changed: no
// reactivation with the contact-mix test (default mix_p); without it
// (mix_p = 1) the same burst is alerted.
TEST(WatchTest, BurstOfTheUsualContactsIsNotAReactivation) {
  for (const double mix_p : {WatchOptions{}.mix_p, 1.0}) {
    TimelineStore t;
    SleeperPeople(t);
    for (int day = 0; day <= 260; ++day) {
      if (day % 2 == 0) t.Call(At(day, 12), kA, kX);
      if (day % 60 == 0 && day < 200) t.Call(At(day, 11), kA, kB);
      if (day >= 250 && day < 253) {
        for (int hour = 9; hour < 16; ++hour) t.Call(At(day, hour, 20), kA, kX);
        t.Call(At(day, 17, 20), kA, kB);
      }
    }
    t.Flush();
    WatchOptions options = Options();
    options.mix_p = mix_p;
    options.min_renewed_ties = 1;  // one watched friend: the contact-mix test alone
    options.ties_p = 1;
    auto run = RaiseAlerts(t.store(), options);
    ASSERT_TRUE(run.ok()) << run.status().ToString();
    EXPECT_EQ(OfKind(run->raised, "reactivation", "PA").size(), mix_p < 1 ? 0u : 1u)
        << "mix_p=" << mix_p;
  }
}

TEST(WatchTest, SteadySubjectRaisesNoReactivation) {
  TimelineStore t;
  SleeperWorld(t, 320);
  t.Flush();
  auto run = RaiseAlerts(t.store(), Options());
  ASSERT_TRUE(run.ok());
  EXPECT_TRUE(OfKind(run->raised, "reactivation", "PD").empty());
  EXPECT_TRUE(OfKind(run->raised, "reactivation", "PC").empty());
}

// Reactivation is a change in the person's OWN behaviour: a quiet subject
// whom watched people suddenly call a lot, but who starts nothing himself,
// is not reactivated (the callers may be); the same subject calling back
// as much is.
TEST(WatchTest, BeingCalledMoreIsNotAReactivation) {
  for (const bool calls_back : {false, true}) {
    TimelineStore t;
    SleeperPeople(t);
    for (int day = 0; day < 330; ++day) {
      if (day < 120) t.Call(At(day, 10), kA, kB);
      if (day % 5 == 0) t.Call(At(day, 12), kA, kX);
      if (day >= 300) {
        for (int hour = 9; hour < 13; ++hour) {
          t.Call(At(day, hour), kB, kA);
          if (calls_back) t.Call(At(day, hour, 30), kA, kB);
        }
      }
    }
    t.Flush();
    WatchOptions options = Options();
    options.min_renewed_ties = 1;  // one watched caller: the own-activity rule alone
    auto run = RaiseAlerts(t.store(), options);
    ASSERT_TRUE(run.ok()) << run.status().ToString();
    EXPECT_EQ(OfKind(run->raised, "reactivation", "PA").size(), calls_back ? 1u : 0u)
        << "calls_back=" << calls_back;
  }
}

TEST(WatchTest, RerunRaisesNothingNew) {
  TimelineStore t;
  SleeperWorld(t, 320);
  t.Flush();
  auto first = RaiseAlerts(t.store(), Options());
  ASSERT_TRUE(first.ok());
  EXPECT_FALSE(first->raised.empty());
  auto second = RaiseAlerts(t.store(), Options());
  ASSERT_TRUE(second.ok());
  EXPECT_TRUE(second->raised.empty());
  EXPECT_EQ(second->stats.comms_read, 0);
  EXPECT_EQ(second->stats.profiles_touched, 0);
  EXPECT_EQ(AllStored(t.store()).size(), first->raised.size());
}

TEST(WatchTest, DailyIncrementsRaiseTheSameAsOneWholeRun) {
  TimelineStore whole;
  SleeperWorld(whole, 320);
  whole.Flush();
  auto whole_run = RaiseAlerts(whole.store(), Options());
  ASSERT_TRUE(whole_run.ok());

  // The same timeline delivered as days 0..298 at once, then a file a day.
  TimelineStore daily;
  SleeperPeople(daily);
  for (int day = 0; day <= 320; ++day) {
    SleeperDay(daily, day);
    if (day < 298) continue;
    daily.Flush();
    auto run = RaiseAlerts(daily.store(), Options());
    ASSERT_TRUE(run.ok()) << run.status().ToString();
    if (day > 298) {
      EXPECT_LE(run->stats.profiles_touched, 5);  // only that day's people
    }
  }
  std::vector<std::string> whole_keys;
  std::vector<std::string> daily_keys;
  for (const StoredAlert& a : AllStored(whole.store())) whole_keys.push_back(a.key);
  for (const StoredAlert& a : AllStored(daily.store())) daily_keys.push_back(a.key);
  std::sort(whole_keys.begin(), whole_keys.end());
  std::sort(daily_keys.begin(), daily_keys.end());
  EXPECT_EQ(whole_keys, daily_keys);
}

// A sparse sleeper, as most are: a month with PB, then one call to X every
// twelve days, and on day 250 he wakes: PB at 10:00 and X at 14:00 and
// 16:00, every day. Two renewed contacts and five calls of his own in two
// days are enough against his own quiet baseline; the alert comes at the
// call that completes the rise (to X, someone unwatched) on the second day,
// not at the next contact with PB a day later.
void SparseSleeperDay(TimelineStore& t, int day) {
  if (day < 30) t.Call(At(day, 10), kA, kB);
  if (day >= 30 && day < 250 && day % 12 == 0) t.Call(At(day, 12), kA, kX);
  if (day >= 250) {
    t.Call(At(day, 10), kA, kB);
    t.Call(At(day, 14), kA, kX);
    t.Call(At(day, 16), kA, kX);
  }
}

TEST(WatchTest, SparseSleeperIsAlertedAtTheOwnCallThatCompletesTheRise) {
  TimelineStore whole;
  SleeperPeople(whole);
  for (int day = 0; day <= 260; ++day) SparseSleeperDay(whole, day);
  whole.Flush();
  // The contact-mix test (two relevant events of four are not yet an
  // unusual share) would wait for the next contact with PB; this test is
  // about the activity rise alone.
  WatchOptions options = Options();
  options.mix_p = 1;
  options.min_renewed_ties = 1;  // one watched contact: the activity rise alone
  options.ties_p = 1;
  auto run = RaiseAlerts(whole.store(), options);
  ASSERT_TRUE(run.ok()) << run.status().ToString();
  const auto reactivations = OfKind(run->raised, "reactivation", "PA");
  ASSERT_EQ(reactivations.size(), 1u);
  EXPECT_EQ(reactivations[0].time, At(251, 14));
  EXPECT_NE(reactivations[0].evidence.find("renewed contact with PB"), std::string::npos)
      << reactivations[0].evidence;
  EXPECT_NE(reactivations[0].evidence.find("last 3"), std::string::npos)
      << reactivations[0].evidence;
  EXPECT_TRUE(OfKind(run->raised, "reactivation", "PB").empty());  // called, started nothing
  // Re-running raises nothing new.
  auto again = RaiseAlerts(whole.store(), options);
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE(again->raised.empty());

  // Delivered a day at a time from the wake on: the same alert, once.
  TimelineStore daily;
  SleeperPeople(daily);
  for (int day = 0; day <= 260; ++day) {
    SparseSleeperDay(daily, day);
    if (day < 249) continue;
    daily.Flush();
    ASSERT_TRUE(RaiseAlerts(daily.store(), options).ok());
  }
  const auto stored = OfKind(AllStored(daily.store()), "reactivation", "PA");
  ASSERT_EQ(stored.size(), 1u);
  EXPECT_EQ(stored[0].key, reactivations[0].key);
}

// An ordinary watched person's busy week (many calls to people nobody
// watches, and his routine watched relative a little more often) is a rise
// of his own activity without renewed relevant contact: no reactivation.
TEST(WatchTest, OrdinaryBurstWithRoutineWatchedContactIsNotAReactivation) {
  TimelineStore t;
  SleeperPeople(t);
  for (int day = 0; day <= 300; ++day) {
    const bool busy = day >= 250 && day < 257;
    if (day % 3 == 0) t.Call(At(day, 12), kD, kX);
    if (day % 4 == 0 || (busy && day % 2 == 0)) t.Call(At(day, 19), kD, kC);
    if (busy) {
      for (int hour = 8; hour < 16; ++hour) t.Call(At(day, hour, 15), kD, kX);
    }
  }
  t.Flush();
  auto run = RaiseAlerts(t.store(), Options());
  ASSERT_TRUE(run.ok()) << run.status().ToString();
  EXPECT_TRUE(OfKind(run->raised, "reactivation", "PD").empty());
  EXPECT_TRUE(OfKind(run->raised, "reactivation", "PC").empty());
}

TEST(WatchTest, ReportByNameVariantReachesTheSubject) {
  TimelineStore t;
  t.AddPerson("PK", "Mohammed Abdelsalam Kouachi");
  t.AddPerson("PZ", "Jean Dupont");
  t.AddReport("R1", At(10), "", "Muhamad Abd al-Salam Kouashi", ReportCategory::kBehaviourChange,
              "Withdrawn, new contacts in the wing");
  t.AddReport("R2", At(11), "", "Pierre Martin", ReportCategory::kOther, "Unrelated");
  t.Flush();
  auto run = RaiseAlerts(t.store(), Options());
  ASSERT_TRUE(run.ok());
  const auto reports = OfKind(run->raised, "report");
  ASSERT_EQ(reports.size(), 1u);
  EXPECT_EQ(reports[0].person_id, "PK");
  EXPECT_EQ(reports[0].time, At(10));
  EXPECT_NE(reports[0].evidence.find("R1"), std::string::npos);
}

TEST(WatchTest, ReportByPersonIdOnlyForWatchedPeople) {
  TimelineStore t;
  t.AddPerson("PS", "Ali Kamal");
  t.AddPerson("PN", "Hugo Bernard", PersonStatus::kAssociate);  // closed by default
  t.AddReport("R1", At(5), "PS", "", ReportCategory::kWeapon, "Asked about a rifle");
  t.AddReport("R2", At(6), "PN", "", ReportCategory::kWeapon, "Hunting licence");
  t.Flush();
  auto run = RaiseAlerts(t.store(), Options());
  ASSERT_TRUE(run.ok());
  const auto reports = OfKind(run->raised, "report");
  ASSERT_EQ(reports.size(), 1u);
  EXPECT_EQ(reports[0].person_id, "PS");
  EXPECT_DOUBLE_EQ(reports[0].score, 1.0);
}

TEST(WatchTest, CustodyOverlapOnlyWhenStaysOverlap) {
  TimelineStore t;
  t.AddPerson("PA", "Karim Benali");
  t.AddPerson("PR", "Hassan Mourad");
  t.AddPerson("PL", "Nabil Saadi");
  t.AddCustody("PA", "PRISON-1", "2019-01-10", "2020-06-01");
  t.AddCustody("PR", "PRISON-1", "2020-03-01", "2021-01-01");  // overlaps PA
  t.AddCustody("PL", "PRISON-1", "2021-02-01", "2021-05-01");  // overlaps nobody
  t.Flush();
  auto run = RaiseAlerts(t.store(), Options());
  ASSERT_TRUE(run.ok());
  const auto overlaps = OfKind(run->raised, "custody_overlap");
  ASSERT_EQ(overlaps.size(), 2u);  // one for each watched side
  for (const StoredAlert& a : overlaps) {
    EXPECT_TRUE(a.person_id == "PA" || a.person_id == "PR");
    EXPECT_NE(a.evidence.find("PRISON-1"), std::string::npos);
    EXPECT_EQ(a.time, *ParseDate("2020-03-01"));
  }
  EXPECT_TRUE(OfKind(run->raised, "custody_overlap", "PL").empty());
}

TEST(WatchTest, CoDetaineeContactCountsAsRenewedContact) {
  TimelineStore t;
  t.AddPerson("PA", "Karim Benali");
  t.AddPerson("PR", "Hassan Mourad", PersonStatus::kAssociate);  // not watched
  t.Attribute(kA, "PA");
  t.Attribute(kB, "PR");
  t.AddCustody("PA", "PRISON-1", "2019-01-10", "2020-06-01");
  t.AddCustody("PR", "PRISON-1", "2020-03-01", "2021-01-01");
  for (int day = 0; day < 200; ++day) {
    if (day < 60) t.Call(At(day, 10), kA, kB);
    if (day % 4 == 0) t.Call(At(day, 12), kA, kX);
  }
  for (int day = 200; day < 204; ++day) {
    t.Call(At(day, 9), kA, kB);
    t.Call(At(day, 16), kB, kA);
    for (int hour = 10; hour < 15; ++hour) t.Call(At(day, hour, 5), kA, kX);
  }
  t.Flush();
  WatchOptions options = Options();
  options.min_renewed_ties = 1;  // one co-detainee: the custody rule alone
  auto run = RaiseAlerts(t.store(), options);
  ASSERT_TRUE(run.ok());
  const auto reactivations = OfKind(run->raised, "reactivation", "PA");
  ASSERT_EQ(reactivations.size(), 1u);
  EXPECT_NE(reactivations[0].evidence.find("PR"), std::string::npos);
  EXPECT_NE(reactivations[0].evidence.find("dormant 14"), std::string::npos)
      << reactivations[0].evidence;
}

TEST(WatchTest, NewContactBetweenWatchedPeopleOnceAfterWarmup) {
  TimelineStore t;
  t.AddPerson("PA", "Karim Benali");
  t.AddPerson("PB", "Yusuf Haddad");
  t.AddPerson("PC", "Omar Farouk");
  t.Attribute(kA, "PA");
  t.Attribute(kB, "PB");
  t.Attribute(kC, "PC");
  for (int day = 0; day < 100; ++day) t.Call(At(day, 8), kA, kX);
  t.Call(At(5, 9), kA, kC);   // within the warm-up: not "new"
  t.Call(At(60, 9), kA, kB);  // first contact A-B
  t.Call(At(61, 9), kB, kA);  // not first any more
  t.Flush();
  auto run = RaiseAlerts(t.store(), Options());
  ASSERT_TRUE(run.ok());
  const auto contacts = OfKind(run->raised, "new_contact");
  ASSERT_EQ(contacts.size(), 1u);
  EXPECT_EQ(contacts[0].time, At(60, 9));
  EXPECT_EQ(contacts[0].key, "new_contact:PA:PB");
}

TEST(WatchTest, ReviewDueWithFakeClock) {
  TimelineStore t;
  t.AddPerson("PA", "Karim Benali", PersonStatus::kSubject, "2024-03-15");
  t.AddPerson("PB", "Yusuf Haddad", PersonStatus::kSubject, "2026-01-01", "");
  t.Flush();
  auto early = RaiseAlerts(t.store(), Options(*ParseDate("2024-02-01")));
  ASSERT_TRUE(early.ok());
  EXPECT_TRUE(OfKind(early->raised, "review_due", "PA").empty());   // 43 days ahead
  ASSERT_EQ(OfKind(early->raised, "review_due", "PB").size(), 1u);  // no legal basis
  auto later = RaiseAlerts(t.store(), Options(*ParseDate("2024-02-20")));
  ASSERT_TRUE(later.ok());
  const auto due = OfKind(later->raised, "review_due", "PA");
  ASSERT_EQ(due.size(), 1u);
  EXPECT_EQ(due[0].time, *ParseDate("2024-02-14"));                // 30 days before
  EXPECT_TRUE(OfKind(later->raised, "review_due", "PB").empty());  // raised before
}

TEST(WatchTest, WatchlistMatchNamesTheDocumentOwner) {
  TimelineStore t;
  t.AddPerson("PA", "Hayat Boumeddiene");
  t.Attribute("passport:FR:12AB34567", "PA");
  t.AddWatchlist("E1", "Hayat Boumeddienne");
  t.AddTravel("T1", At(3), "BOUMEDDIENE HAYAT", "passport:FR:12AB34567", "MAD", "IST");
  t.AddTravel("T2", At(4), "Claire Petit", "", "MAD", "LIS");
  t.Flush();
  auto run = RaiseAlerts(t.store(), Options());
  ASSERT_TRUE(run.ok());
  const auto matches = OfKind(run->raised, "watchlist_match");
  ASSERT_EQ(matches.size(), 1u);
  EXPECT_EQ(matches[0].key, "watchlist_match:T1:E1");
  EXPECT_EQ(matches[0].person_id, "PA");
}

TEST(WatchTest, NewTravelIsScreenedAloneAndANewListEntryRescreensAll) {
  TimelineStore t;
  t.AddPerson("PA", "Hayat Boumeddiene");
  t.AddWatchlist("E1", "Hayat Boumeddienne");
  t.AddTravel("T1", At(3), "BOUMEDDIENE HAYAT", "", "MAD", "IST");
  t.AddTravel("T2", At(4), "Amedy Coulibaly", "", "MAD", "IST");
  t.Flush();
  auto first = RaiseAlerts(t.store(), Options());
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(OfKind(first->raised, "watchlist_match").size(), 1u);
  t.AddTravel("T3", At(9), "Hayat Boumedienne", "", "IST", "GZT");
  t.Flush();
  auto second = RaiseAlerts(t.store(), Options());
  ASSERT_TRUE(second.ok());
  const auto new_travel = OfKind(second->raised, "watchlist_match");
  ASSERT_EQ(new_travel.size(), 1u);
  EXPECT_EQ(new_travel[0].key, "watchlist_match:T3:E1");
  const auto& phases = second->stats.phases_run;
  EXPECT_NE(std::find(phases.begin(), phases.end(), "screening"), phases.end());
  EXPECT_NE(std::find(phases.begin(), phases.end(), "watchlist"), phases.end());
  t.AddWatchlist("E2", "Amedy Coulibaly");
  t.Flush();
  auto third = RaiseAlerts(t.store(), Options());
  ASSERT_TRUE(third.ok());
  const auto new_entry = OfKind(third->raised, "watchlist_match");
  ASSERT_EQ(new_entry.size(), 1u);  // T2 against the new entry; T1, T3 not again
  EXPECT_EQ(new_entry[0].key, "watchlist_match:T2:E2");
  // Listed after T2 was screened: the alert says the person was already seen.
  EXPECT_NE(new_entry[0].evidence.find("already seen on 2022-01-07"), std::string::npos)
      << new_entry[0].evidence;
  EXPECT_EQ(new_entry[0].time, At(4));
}

// The engine raises watch-list alerts from the matches screening stored
// (not by screening again): a stored match becomes one alert with its score
// and explanation, once; nothing is raised without a stored match.
TEST(WatchTest, StoredScreeningMatchesBecomeAlertsOnce) {
  TimelineStore t;
  t.AddPerson("PA", "Hayat Boumeddiene");
  t.Attribute("passport:FR:12AB34567", "PA");
  t.AddTravel("T1", At(3), "Someone Else", "passport:FR:12AB34567", "MAD", "IST");
  t.Flush();
  auto first = RaiseAlerts(t.store(), Options());
  ASSERT_TRUE(first.ok());
  EXPECT_TRUE(OfKind(first->raised, "watchlist_match").empty());  // no list, no match
  StoredWatchlistMatch match;
  match.source_kind = InputKind::kTravel;
  match.source_id = "T1";
  match.entry_id = "E9";
  match.score = 0.8765;
  match.explanation = "test explanation";
  match.seen_at = At(3);
  match.screened_at = At(5);
  match.retroactive = true;
  ASSERT_TRUE(t.store().PutScreeningResults({match}, {}).ok());
  auto second = RaiseAlerts(t.store(), Options());
  ASSERT_TRUE(second.ok());
  const auto alerts = OfKind(second->raised, "watchlist_match");
  ASSERT_EQ(alerts.size(), 1u);
  EXPECT_EQ(alerts[0].key, "watchlist_match:T1:E9");
  EXPECT_EQ(alerts[0].person_id, "PA");  // the document's owner
  EXPECT_DOUBLE_EQ(alerts[0].score, 0.877);
  EXPECT_NE(alerts[0].evidence.find("test explanation"), std::string::npos);
  EXPECT_NE(alerts[0].evidence.find("already seen on 2022-01-06"), std::string::npos)
      << alerts[0].evidence;
  auto third = RaiseAlerts(t.store(), Options());
  ASSERT_TRUE(third.ok());
  EXPECT_TRUE(OfKind(third->raised, "watchlist_match").empty());
}

// Ingest raises watch-list alerts on their own (RaiseWatchlistAlerts); the
// full engine run after it must not raise them again, nor other kinds early.
TEST(WatchTest, WatchlistAlertsAloneShareTheEnginesState) {
  TimelineStore t;
  t.AddPerson("PA", "Hayat Boumeddiene");
  t.Attribute("passport:FR:12AB34567", "PA");
  t.AddTravel("T1", At(3), "Someone Else", "passport:FR:12AB34567", "MAD", "IST");
  t.Flush();
  StoredWatchlistMatch match;
  match.source_kind = InputKind::kTravel;
  match.source_id = "T1";
  match.entry_id = "E9";
  match.score = 0.91;
  match.explanation = "test explanation";
  match.seen_at = At(3);
  match.screened_at = At(3);
  ASSERT_TRUE(t.store().PutScreeningResults({match}, {}).ok());
  auto alone = RaiseWatchlistAlerts(t.store(), Options());
  ASSERT_TRUE(alone.ok()) << alone.status().ToString();
  ASSERT_EQ(alone->raised.size(), 1u);  // only the watch-list kind
  EXPECT_EQ(alone->raised[0].key, "watchlist_match:T1:E9");
  EXPECT_EQ(alone->raised[0].person_id, "PA");
  auto again = RaiseWatchlistAlerts(t.store(), Options());
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE(again->raised.empty());
  auto full = RaiseAlerts(t.store(), Options());
  ASSERT_TRUE(full.ok());
  EXPECT_TRUE(OfKind(full->raised, "watchlist_match").empty());
}

TEST(WatchTest, ClosedSubjectRaisesNothingAndDormantStillWatched) {
  TimelineStore t;
  SleeperWorld(t, 320);
  t.Flush();
  ASSERT_TRUE(
      SetWatchLevel(t.store(), "PA", WatchLevel::kClosed, "ended", "analyst1", At(0), true).ok());
  auto closed = RaiseAlerts(t.store(), Options());
  ASSERT_TRUE(closed.ok());
  for (const StoredAlert& a : closed->raised) EXPECT_NE(a.person_id, "PA") << a.key;

  TimelineStore d;
  SleeperWorld(d, 320);
  d.Flush();
  ASSERT_TRUE(SetWatchLevel(d.store(), "PA", WatchLevel::kDormant, "surveillance ended", "analyst1",
                            At(130), true)
                  .ok());
  auto dormant = RaiseAlerts(d.store(), Options());
  ASSERT_TRUE(dormant.ok());
  EXPECT_EQ(OfKind(dormant->raised, "reactivation", "PA").size(), 1u);
  auto levels = LoadWatchLevels(d.store());
  ASSERT_TRUE(levels.ok());
  for (const PersonWatch& w : *levels) {
    if (w.person_id == "PA") {
      EXPECT_EQ(w.level, WatchLevel::kDormant);
      EXPECT_TRUE(w.stored);
      EXPECT_EQ(w.last_review, At(130));
    } else {
      EXPECT_EQ(w.level, WatchLevel::kActive);  // subjects default to active
    }
  }
}

TEST(WatchTest, ChangesSinceLastReview) {
  TimelineStore t;
  SleeperWorld(t, 320);
  t.Attribute("passport:FR:99XY00001", "PA");
  t.AddTravel("T9", At(305), "Karim Benali", "passport:FR:99XY00001", "CDG", "IST");
  t.AddReport("R9", At(306), "PA", "", ReportCategory::kContact, "Seen with PB");
  t.Call(At(310), kA, kC);  // first contact with watched PC
  t.Flush();
  ASSERT_TRUE(RaiseAlerts(t.store(), Options()).ok());
  ASSERT_TRUE(
      SetWatchLevel(t.store(), "PA", WatchLevel::kActive, "", "analyst1", At(299), true).ok());
  auto changes = ListChanges(t.store(), "PA", std::nullopt);
  ASSERT_TRUE(changes.ok()) << changes.status().ToString();
  std::vector<std::string> kinds;
  for (const Change& c : *changes) {
    EXPECT_GE(c.time, At(299));
    kinds.push_back(c.kind);
  }
  for (const char* kind : {"travel", "report", "watched_link", "alert"}) {
    EXPECT_NE(std::find(kinds.begin(), kinds.end(), kind), kinds.end()) << kind;
  }
  auto unknown = ListChanges(t.store(), "NOPE", std::nullopt);
  EXPECT_TRUE(unknown.status().IsNotFound());
}

TEST(WatchTest, LevelsParseAndDefault) {
  EXPECT_EQ(*ParseWatchLevel("dormant"), WatchLevel::kDormant);
  EXPECT_TRUE(ParseWatchLevel("asleep").status().IsInvalidArgument());
  EXPECT_EQ(DefaultWatchLevel(PersonStatus::kSubject), WatchLevel::kActive);
  EXPECT_EQ(DefaultWatchLevel(PersonStatus::kAssociate), WatchLevel::kClosed);
  TimelineStore t;
  EXPECT_TRUE(
      SetWatchLevel(t.store(), "NOPE", WatchLevel::kActive, "", "", 0, false).IsInvalidArgument());
}

// Profiles survive a restart in the current format, and a store written by
// the earlier release (version 1, no own-activity counts, a pending-renewal
// line) still loads, counting every earlier event as the person's own.
TEST(WatchTest, ProfilesRoundTripAndReadVersionOne) {
  watch::Profile profile;
  profile.first_time = 100;
  profile.last_time = 900;
  profile.last_relevant = 800;
  profile.relevant_total = 4;
  profile.days[3] = {5, 2, 1};
  profile.counterparts["PB"] = 800;
  auto again = watch::ParseProfile("PA", watch::SerializeProfile(profile));
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_EQ(again->days.at(3).out, 1);
  EXPECT_EQ(again->counterparts.at("PB"), 800);
  auto old = watch::ParseProfile(
      "PA", "1 100 900 800 0 4 2\n1 3 5 2\n1 PB 800\nR 850 100 PB 0.1 0 3 1 1 0.5 1\n");
  ASSERT_TRUE(old.ok()) << old.status().ToString();
  EXPECT_EQ(old->days.at(3).all, 5);
  EXPECT_EQ(old->days.at(3).out, 5);
  EXPECT_EQ(old->relevant_total, 4);
  // Version 2 (no renewal counts) still loads; the current one keeps them.
  auto two = watch::ParseProfile("PA", "2 100 900 800 0 4\n1 3 5 2 1\n1 PB 800\n");
  ASSERT_TRUE(two.ok()) << two.status().ToString();
  EXPECT_EQ(two->days.at(3).out, 1);
  EXPECT_EQ(two->days.at(3).renewed, 0);
  profile.days[3].renewed = 2;
  profile.days[3].dormancy = 140;
  auto renewed = watch::ParseProfile("PA", watch::SerializeProfile(profile));
  ASSERT_TRUE(renewed.ok());
  EXPECT_EQ(renewed->days.at(3).renewed, 2);
  EXPECT_EQ(renewed->days.at(3).dormancy, 140);
  // Version 3 (no renewal list) still loads, with no renewals; the current
  // version keeps them.
  auto three = watch::ParseProfile("PA", "3 100 900 800 0 4\n1 3 5 2 1 2 140\n1 PB 800\n");
  ASSERT_TRUE(three.ok()) << three.status().ToString();
  EXPECT_EQ(three->days.at(3).renewed, 2);
  EXPECT_TRUE(three->renewals.empty());
  profile.renewals = {{3, "PB"}, {3, "PC"}};
  profile.days[3].out_relevant = 1;
  auto four = watch::ParseProfile("PA", watch::SerializeProfile(profile));
  ASSERT_TRUE(four.ok()) << four.status().ToString();
  ASSERT_EQ(four->renewals.size(), 2u);
  EXPECT_EQ(four->renewals[1].day, 3);
  EXPECT_EQ(four->renewals[1].who, "PC");
  EXPECT_EQ(four->days.at(3).out_relevant, 1);
  EXPECT_FALSE(watch::ParseProfile("PA", "4 100 900 800 0 4\n0\n0\n2 3 PB\n").ok());  // cut
  EXPECT_FALSE(watch::ParseProfile("PA", "5 1 2 3 4 5\n0\n0\n").ok());  // unknown version
}

}  // namespace
}  // namespace vigil
