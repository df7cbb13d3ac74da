// Nothing acts on a person through an unconfirmed machine link unnoticed:
// a reactivation reached through a proposed attribution says so in the
// alert ("via a proposed link, confidence 0.87") and in the rank factor it
// sets; below the alert engine's threshold a proposed attribution raises no
// alert about the person at all.
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

constexpr char kA[] = "msisdn:+33600000001";
constexpr char kB[] = "msisdn:+33600000002";
constexpr char kX[] = "msisdn:+33600000099";  // an ordinary, unknown number

// A talks with B for 120 days, is quiet for 180 (a call to X every five
// days) and wakes on day 300. A's phone is attributed to PA only by a
// proposal of `confidence` (none when 0).
void Sleeper(TimelineStore& t, double confidence) {
  t.AddPerson("PA", "Karim Benali");
  t.AddPerson("PB", "Yusuf Haddad");
  t.Attribute(kB, "PB");
  if (confidence == 0) t.Attribute(kA, "PA");
  for (int day = 0; day <= 320; ++day) {
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
  t.Flush();
  if (confidence > 0) {
    Attribution proposed;
    proposed.selector = kA;
    proposed.person_id = "PA";
    proposed.confidence = confidence;
    proposed.evidence = "hand-over (test)";
    proposed.state = AttributionState::kProposed;
    auto stored = t.store().ReplaceProposedAttributions({proposed});
    ASSERT_TRUE(stored.ok()) << stored.status().ToString();
  }
}

std::vector<StoredAlert> AlertsOf(const std::vector<StoredAlert>& alerts, const std::string& kind,
                                  const std::string& person) {
  std::vector<StoredAlert> out;
  for (const StoredAlert& alert : alerts) {
    if (alert.kind == kind && alert.person_id == person) out.push_back(alert);
  }
  return out;
}

const RankFactor* FactorOf(const std::vector<RankedPerson>& ranked, const std::string& person,
                           const std::string& name) {
  for (const RankedPerson& p : ranked) {
    if (p.person_id != person) continue;
    for (const RankFactor& f : p.factors) {
      if (f.name == name) return &f;
    }
  }
  return nullptr;
}

// The sleeper takes up contact with PB alone: one renewed tie is enough
// here, where the subject is how a proposed link is reported.
WatchOptions Options() {
  WatchOptions options;
  options.now = At(1000);
  options.min_renewed_ties = 1;
  return options;
}

TEST(ProposedLinkTest, ReactivationThroughAProposedLinkSaysSoInAlertAndRank) {
  TimelineStore t;
  Sleeper(t, 0.87);
  auto run = RaiseAlerts(t.store(), Options());
  ASSERT_TRUE(run.ok()) << run.status().ToString();
  const auto alerts = AlertsOf(run->raised, "reactivation", "PA");
  ASSERT_EQ(alerts.size(), 1u);
  EXPECT_NE(alerts[0].evidence.find("via a proposed link, confidence 0.87"), std::string::npos)
      << alerts[0].evidence;
  auto ranked = RankPeople(t.store(), RankOptions{});
  ASSERT_TRUE(ranked.ok()) << ranked.status().ToString();
  const RankFactor* factor = FactorOf(*ranked, "PA", "reactivation");
  ASSERT_NE(factor, nullptr);
  EXPECT_EQ(factor->note, "via a proposed link, confidence 0.87");
  for (const RankedPerson& p : *ranked) {
    if (p.person_id == "PA") {
      EXPECT_NE(FormatFactors(p).find("[via a proposed link, confidence 0.87]"), std::string::npos)
          << FormatFactors(p);
    }
  }
}

TEST(ProposedLinkTest, TrustedAttributionCarriesNoNote) {
  TimelineStore t;
  Sleeper(t, 0);
  auto run = RaiseAlerts(t.store(), Options());
  ASSERT_TRUE(run.ok()) << run.status().ToString();
  const auto alerts = AlertsOf(run->raised, "reactivation", "PA");
  ASSERT_EQ(alerts.size(), 1u);
  EXPECT_EQ(alerts[0].evidence.find("via a proposed link"), std::string::npos)
      << alerts[0].evidence;
  auto ranked = RankPeople(t.store(), RankOptions{});
  ASSERT_TRUE(ranked.ok()) << ranked.status().ToString();
  const RankFactor* factor = FactorOf(*ranked, "PA", "reactivation");
  ASSERT_NE(factor, nullptr);
  EXPECT_TRUE(factor->note.empty()) << factor->note;
}

TEST(ProposedLinkTest, BelowTheThresholdNoPersonAlert) {
  TimelineStore t;
  Sleeper(t, 0.4);  // below WatchOptions::min_proposed_confidence (0.5)
  auto run = RaiseAlerts(t.store(), Options());
  ASSERT_TRUE(run.ok()) << run.status().ToString();
  for (const StoredAlert& alert : run->raised) {
    EXPECT_NE(alert.person_id, "PA") << alert.kind << ": " << alert.evidence;
  }
  auto ranked = RankPeople(t.store(), RankOptions{});
  ASSERT_TRUE(ranked.ok()) << ranked.status().ToString();
  EXPECT_EQ(FactorOf(*ranked, "PA", "reactivation"), nullptr);
}

}  // namespace
}  // namespace vigil
