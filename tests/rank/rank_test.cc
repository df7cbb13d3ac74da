// Ranking: explained factors, attack ties, and the proof that protected
// traits are no input.
#include <gtest/gtest.h>

#include <map>
#include <string>

#include "vigil/rank.h"
#include "vigil/watch.h"
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
constexpr char kX[] = "msisdn:+33600000099";

// A small cell (A, B, C) that goes quiet and wakes on day 300, a loner D,
// and E, who once talked to the attacker C. A flies to a conflict zone.
void CellWorld(TimelineStore& t) {
  t.AddPerson("PA", "Karim Benali");
  t.AddPerson("PB", "Yusuf Haddad");
  t.AddPerson("PC", "Omar Farouk");
  t.AddPerson("PD", "Samir Toumi");
  t.AddPerson("PE", "Lucas Moreau");
  t.Attribute(kA, "PA");
  t.Attribute(kB, "PB");
  t.Attribute(kC, "PC");
  t.Attribute(kD, "PD");
  t.Attribute(kE, "PE");
  t.Attribute("passport:FR:11AA22222", "PA");
  for (int day = 0; day <= 320; ++day) {
    const bool awake = day < 100 || day >= 300;
    if (awake) {
      t.Call(At(day, 9), kA, kB);
      t.Call(At(day, 10), kB, kC);
      t.Call(At(day, 11), kC, kA);
      for (int hour = 12; hour < (day >= 300 ? 17 : 13); ++hour) t.Call(At(day, hour), kA, kX);
    } else if (day % 6 == 0) {
      t.Call(At(day, 12), kA, kX);
      t.Call(At(day, 13), kB, kX);
      t.Call(At(day, 14), kC, kX);
    }
    t.Call(At(day, 18), kD, kX);
  }
  t.Call(At(310, 20), kE, kC);
  t.AddTravel("T1", At(305), "Karim Benali", "passport:FR:11AA22222", "CDG", "SY");
}

// Rewrites the persons of CellWorld with the given nationality and free
// x_religion / x_ethnicity attributes (a later persons file replaces them).
void WriteTraits(Store& store, const std::string& nationality, const std::string& religion,
                 int file_number) {
  SourceFile file;
  file.kind = InputKind::kPersons;
  file.path = "/traits";
  file.content_hash = "traits" + std::to_string(file_number);
  file.size_bytes = 1;
  auto writer = store.BeginIngest(file);
  ASSERT_TRUE(writer.ok());
  const char* ids[] = {"PA", "PB", "PC", "PD", "PE"};
  const char* names[] = {"Karim Benali", "Yusuf Haddad", "Omar Farouk", "Samir Toumi",
                         "Lucas Moreau"};
  for (int i = 0; i < 5; ++i) {
    Person person;
    person.person_id = ids[i];
    person.name = names[i];
    person.status = PersonStatus::kSubject;
    person.nationality = nationality;
    person.legal_basis = "warrant 1/2022";
    person.review_by = "2030-01-01";
    person.attributes.emplace_back("x_religion", religion);
    person.attributes.emplace_back("x_ethnicity", religion + "-group");
    ASSERT_TRUE((*writer)->Put(person).ok());
  }
  ASSERT_TRUE((*writer)->Commit(5).ok());
}

RankOptions Options() {
  RankOptions options;
  options.attackers = {"PC"};
  return options;
}

std::map<std::string, std::string> Scores(Store& store) {
  auto ranked = RankPeople(store, Options());
  EXPECT_TRUE(ranked.ok()) << ranked.status().ToString();
  std::map<std::string, std::string> scores;
  for (const RankedPerson& p : *ranked) {
    scores[p.person_id] =
        std::to_string(p.rank) + " " + std::to_string(p.score) + " " + FormatFactors(p);
  }
  return scores;
}

TEST(RankTest, ReactivatedTravellerFirstWithExplainedFactors) {
  TimelineStore t;
  CellWorld(t);
  t.Flush();
  WatchOptions watch;
  watch.now = At(400);
  ASSERT_TRUE(RaiseAlerts(t.store(), watch).ok());
  auto ranked = RankPeople(t.store(), Options());
  ASSERT_TRUE(ranked.ok()) << ranked.status().ToString();
  ASSERT_EQ(ranked->size(), 5u);
  const RankedPerson& first = (*ranked)[0];
  EXPECT_EQ(first.person_id, "PA");
  EXPECT_EQ(first.rank, 1);
  const std::string factors = FormatFactors(first);
  EXPECT_NE(factors.find("reactivation="), std::string::npos) << factors;
  EXPECT_NE(factors.find("concern_travel=1.000x2.0"), std::string::npos) << factors;
  EXPECT_NE(factors.find("attack_ties="), std::string::npos) << factors;  // talks to PC
  double sum = 0;
  for (const RankFactor& f : first.factors) sum += f.value * f.weight;
  EXPECT_NEAR(sum, first.score, 1e-3);
  // The loner has no factor and ranks last.
  EXPECT_EQ(ranked->back().person_id, "PD");
  EXPECT_TRUE(ranked->back().factors.empty());
  EXPECT_DOUBLE_EQ(ranked->back().score, 0.0);
  // E is tied to the attacker (a watched person) once.
  for (const RankedPerson& p : *ranked) {
    if (p.person_id == "PE") {
      EXPECT_EQ(FormatFactors(p), "attack_ties=0.500x3.0;watched_contacts=0.333x1.5");
    }
  }
}

TEST(RankTest, ProtectedTraitsChangeNoScoreAndNoAlert) {
  TimelineStore t;
  CellWorld(t);
  t.Flush();
  WriteTraits(t.store(), "FR", "none", 1);
  WatchOptions watch;
  watch.now = At(400);
  auto first_alerts = RaiseAlerts(t.store(), watch);
  ASSERT_TRUE(first_alerts.ok());
  const auto before = Scores(t.store());

  // Same people, other nationality, religion and ethnicity.
  WriteTraits(t.store(), "SY", "muslim", 2);
  auto person = t.store().GetPerson("PA");
  ASSERT_TRUE(person.ok());
  ASSERT_EQ(person->nationality, "SY");  // the change did land
  auto second_alerts = RaiseAlerts(t.store(), watch);
  ASSERT_TRUE(second_alerts.ok());
  EXPECT_TRUE(second_alerts->raised.empty());  // no alert depends on them
  EXPECT_EQ(Scores(t.store()), before);

  WriteTraits(t.store(), "IE", "christian", 3);
  EXPECT_EQ(Scores(t.store()), before);
}

TEST(RankTest, ClosedPeopleAreNotRanked) {
  TimelineStore t;
  CellWorld(t);
  t.Flush();
  ASSERT_TRUE(SetWatchLevel(t.store(), "PD", WatchLevel::kClosed, "", "a", 0, false).ok());
  auto ranked = RankPeople(t.store(), Options());
  ASSERT_TRUE(ranked.ok());
  for (const RankedPerson& p : *ranked) EXPECT_NE(p.person_id, "PD");
}

// A reactivation alert counts for itself: even a weak one (low trust in the
// attributions involved) gives half the factor, and its score grades the rest.
TEST(RankTest, AnyReactivationAlertGivesAtLeastHalfTheFactor) {
  TimelineStore t;
  t.AddPerson("PA", "Karim Benali");
  t.AddPerson("PB", "Yusuf Haddad");
  t.Attribute(kA, "PA");
  t.Attribute(kB, "PB");
  t.Call(At(1), kA, kB);
  t.Flush();
  WatchBatch batch;
  StoredAlert weak;
  weak.key = "reactivation:PA:test";
  weak.time = At(1);
  weak.person_id = "PA";
  weak.kind = "reactivation";
  weak.score = 0.2;
  weak.evidence = "test";
  batch.alerts.push_back(weak);
  std::vector<size_t> fresh;
  ASSERT_TRUE(t.store().CommitWatchBatch(batch, &fresh).ok());
  RankOptions options;
  options.now = At(2);
  auto ranked = RankPeople(t.store(), options);
  ASSERT_TRUE(ranked.ok()) << ranked.status().ToString();
  ASSERT_FALSE(ranked->empty());
  EXPECT_EQ((*ranked)[0].person_id, "PA");
  EXPECT_NE(FormatFactors((*ranked)[0]).find("reactivation=0.600x3.0"), std::string::npos)
      << FormatFactors((*ranked)[0]);
}

}  // namespace
}  // namespace vigil
