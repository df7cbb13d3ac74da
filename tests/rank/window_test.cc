// Ranking's windowed reads: the SQLite store's own versions (index range on
// alert time, travel rows built only inside the window) return exactly the
// rows, in the same order, that the Store defaults get by filtering the full
// scans. This is what lets a daily `vigil rank` read only its windows and
// still rank as a reading of everything would.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "vigil/rank.h"
#include "vigil/watch.h"
#include "watch/timeline_builder.h"

namespace vigil {
namespace {

using testing_util::At;
using testing_util::TimelineStore;

// Three people who talk daily, go quiet and wake (reactivation alerts), one
// of them travelling several times (travel inside and outside windows).
void SmallWorld(TimelineStore& t) {
  const char* phones[] = {"msisdn:+33600000011", "msisdn:+33600000012", "msisdn:+33600000013"};
  t.AddPerson("PA", "Karim Benali");
  t.AddPerson("PB", "Yusuf Haddad");
  t.AddPerson("PC", "Omar Farouk");
  t.Attribute(phones[0], "PA");
  t.Attribute(phones[1], "PB");
  t.Attribute(phones[2], "PC");
  t.Attribute("passport:FR:11AA22222", "PA");
  for (int day = 0; day <= 320; ++day) {
    const bool awake = day < 100 || day >= 300;
    if (!awake && day % 9 != 0) continue;
    t.Call(At(day, 9), phones[0], phones[1]);
    t.Call(At(day, 10), phones[1], phones[2]);
    if (day >= 300) t.Call(At(day, 11), phones[2], phones[0]);
  }
  t.AddTravel("T1", At(20), "Karim Benali", "passport:FR:11AA22222", "CDG", "IST");
  t.AddTravel("T2", At(200), "Karim Benali", "passport:FR:11AA22222", "IST", "CDG");
  t.AddTravel("T3", At(305), "Karim Benali", "passport:FR:11AA22222", "CDG", "SY");
}

std::vector<std::string> AlertKeys(Store& store, bool defaults, UnixTime from, UnixTime to,
                                   const std::vector<std::string>& kinds) {
  std::vector<std::string> keys;
  auto collect = [&](const StoredAlert& alert) {
    keys.push_back(alert.key + "@" + std::to_string(alert.time) + ":" + alert.kind);
    return true;
  };
  const Status status = defaults ? store.Store::ScanAlertsBetween(from, to, kinds, collect)
                                 : store.ScanAlertsBetween(from, to, kinds, collect);
  EXPECT_TRUE(status.ok()) << status.ToString();
  return keys;
}

std::vector<std::string> TravelIds(Store& store, bool defaults, UnixTime from, UnixTime to) {
  std::vector<std::string> ids;
  auto collect = [&](const TravelRecord& record) {
    ids.push_back(record.record_id + ":" + record.document + ":" + record.destination);
    return true;
  };
  const Status status = defaults ? store.Store::ScanTravelBetween(from, to, collect)
                                 : store.ScanTravelBetween(from, to, collect);
  EXPECT_TRUE(status.ok()) << status.ToString();
  return ids;
}

TEST(RankWindowTest, SqliteWindowsEqualFilteredFullScans) {
  TimelineStore t;
  SmallWorld(t);
  t.Flush();
  WatchOptions watch;
  watch.now = At(330);
  // This world's wake is a small burst that the contact-mix test (tested in
  // tests/watch) does not alert; the scans compared here need alerts.
  watch.mix_p = 1;
  // PA takes up contact again with PC alone (PB never went quiet).
  watch.min_renewed_ties = 1;
  ASSERT_TRUE(RaiseAlerts(t.store(), watch).ok());
  const std::vector<std::vector<std::string>> kind_sets = {
      {"reactivation", "report"}, {"reactivation"}, {"new_contact", "review_due"}, {}};
  const std::vector<std::pair<UnixTime, UnixTime>> windows = {
      {At(0), At(400)}, {At(150), At(330)}, {At(300), At(300)}, {At(310), At(100)}};
  size_t alerts_seen = 0;
  for (const auto& kinds : kind_sets) {
    for (const auto& [from, to] : windows) {
      const auto own = AlertKeys(t.store(), false, from, to, kinds);
      EXPECT_EQ(own, AlertKeys(t.store(), true, from, to, kinds));
      alerts_seen += own.size();
    }
  }
  // The comparison is not vacuous: the world raised reactivation alerts.
  EXPECT_GT(AlertKeys(t.store(), false, At(0), At(400), {"reactivation"}).size(), 0u);
  EXPECT_GT(alerts_seen, 0u);
  for (const auto& [from, to] : windows) {
    EXPECT_EQ(TravelIds(t.store(), false, from, to), TravelIds(t.store(), true, from, to));
  }
  EXPECT_EQ(TravelIds(t.store(), false, At(150), At(330)).size(), 2u);  // T2, T3
}

// A daily run reads only its windows: what lies outside them (an old trip
// to a conflict zone) does not count, and what is inside does.
TEST(RankWindowTest, OnlyTheWindowsCount) {
  TimelineStore t;
  SmallWorld(t);
  t.AddTravel("T0", At(1), "Karim Benali", "passport:FR:11AA22222", "SY", "CDG");
  t.Flush();
  WatchOptions watch;
  watch.now = At(330);
  ASSERT_TRUE(RaiseAlerts(t.store(), watch).ok());
  RankOptions options;
  options.now = At(330);
  options.travel_days = 100;  // T3 (day 305) inside, T0 (day 1) outside
  auto ranked = RankPeople(t.store(), options);
  ASSERT_TRUE(ranked.ok()) << ranked.status().ToString();
  const RankedPerson* pa = nullptr;
  for (const RankedPerson& p : *ranked) {
    if (p.person_id == "PA") pa = &p;
  }
  ASSERT_NE(pa, nullptr);
  const std::string factors = FormatFactors(*pa);
  EXPECT_NE(factors.find("concern_travel=1.000"), std::string::npos) << factors;
  EXPECT_EQ(factors.find("conflict_return"), std::string::npos) << factors;
}

}  // namespace
}  // namespace vigil
