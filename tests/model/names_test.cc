#include <gtest/gtest.h>

#include "vigil/model.h"

namespace vigil {
namespace {

TEST(Names, MatchFormats) {
  EXPECT_EQ(PersonStatusName(PersonStatus::kSubject), "subject");
  EXPECT_EQ(PersonStatusName(PersonStatus::kAssociate), "associate");
  EXPECT_EQ(PersonStatusName(PersonStatus::kUnknown), "unknown");
  EXPECT_EQ(CommKindName(CommKind::kMsg), "msg");
  EXPECT_EQ(CommKindName(CommKind::kEmail), "email");
  EXPECT_EQ(ReportCategoryName(ReportCategory::kBehaviourChange), "behaviour_change");
  EXPECT_EQ(ReportCategoryName(ReportCategory::kOther), "other");
  EXPECT_EQ(HandlingName(Handling::kAmber), "amber");
  EXPECT_EQ(HandlingName(Handling::kClear), "clear");
  EXPECT_EQ(AttributionStateName(AttributionState::kProposed), "proposed");
  EXPECT_EQ(AttributionStateName(AttributionState::kSource), "source");
  EXPECT_EQ(SelectorKindName(SelectorKind::kIdcard), "idcard");
  EXPECT_EQ(InputKindName(InputKind::kWatchlist), "watchlist");
}

TEST(InputKindFromFileName, RecognisesKnownFiles) {
  EXPECT_EQ(InputKindFromFileName("comms.csv"), InputKind::kComms);
  EXPECT_EQ(InputKindFromFileName("/x/persons.jsonl"), InputKind::kPersons);
  EXPECT_EQ(InputKindFromFileName("a/b/watchlist.csv"), InputKind::kWatchlist);
  EXPECT_FALSE(InputKindFromFileName("comms.txt").has_value());
  EXPECT_FALSE(InputKindFromFileName("mycomms.csv").has_value());
  EXPECT_FALSE(InputKindFromFileName("comms.csv/").has_value());
  EXPECT_FALSE(InputKindFromFileName("").has_value());
}

}  // namespace
}  // namespace vigil
