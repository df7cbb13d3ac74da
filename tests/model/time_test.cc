#include <gtest/gtest.h>

#include "vigil/model.h"

namespace vigil {
namespace {

TEST(ParseTime, AcceptsZuluAndOffsets) {
  EXPECT_EQ(*ParseTime("1970-01-01T00:00:00Z"), 0);
  EXPECT_EQ(*ParseTime("2014-06-30T21:08:00Z"), 1404162480);
  EXPECT_EQ(*ParseTime("2014-06-30T23:08:00+02:00"), 1404162480);
  EXPECT_EQ(*ParseTime("2014-06-30T19:08:00-0200"), 1404162480);
  EXPECT_EQ(*ParseTime("2014-06-30T21:08:00.999Z"), 1404162480);
  EXPECT_EQ(*ParseTime("1969-12-31T23:59:59Z"), -1);
  EXPECT_EQ(*ParseTime("2000-02-29T00:00:00Z"), 951782400);
}

TEST(ParseTime, RejectsMissingOffsetWithPlainRule) {
  const Result<UnixTime> time = ParseTime("2014-06-30 21:08");
  ASSERT_FALSE(time.ok());
  EXPECT_TRUE(time.status().IsInvalidArgument());
  EXPECT_EQ(time.status().message(),
            "not an ISO 8601 time with an explicit offset or Z: \"2014-06-30 21:08\"");
  EXPECT_NE(ParseTime("2014-06-30T21:08:00").status().message().find("offset is missing"),
            std::string::npos);
}

TEST(ParseTime, RejectsImpossibleValues) {
  for (const char* text :
       {"2014-02-30T00:00:00Z", "2013-02-29T00:00:00Z", "2014-13-01T00:00:00Z",
        "2014-00-10T00:00:00Z", "2014-06-30T24:00:00Z", "2014-06-30T12:60:00Z",
        "2014-06-30T12:00:60Z", "2014-06-30T12:00:00+24:00", "2014-06-30T12:00:00.Z",
        "2014-06-30T12:00:00ZZ", "2014-06-30T12:00:00+2:00", "2014-6-30T12:00:00Z", "",
        "2014-06-30t12:00:00Z", "1900-02-29T00:00:00Z"}) {
    EXPECT_FALSE(ParseTime(text).ok()) << text;
  }
}

TEST(FormatTime, RoundTrips) {
  for (const UnixTime t : {UnixTime{0}, UnixTime{1404162480}, UnixTime{-1}, UnixTime{951782400},
                           UnixTime{253402300799}}) {
    EXPECT_EQ(*ParseTime(FormatTime(t)), t) << FormatTime(t);
  }
  EXPECT_EQ(FormatTime(1404162480), "2014-06-30T21:08:00Z");
  EXPECT_EQ(FormatTime(-1), "1969-12-31T23:59:59Z");
}

TEST(ParseDate, CheckedAgainstCalendar) {
  EXPECT_EQ(*ParseDate("2014-06-30"), 1404086400);
  EXPECT_EQ(FormatDate(*ParseDate("2000-02-29")), "2000-02-29");
  EXPECT_EQ(FormatDate(1404162480), "2014-06-30");
  EXPECT_FALSE(ParseDate("2014-02-30").ok());
  EXPECT_FALSE(ParseDate("2014-06").ok());
  EXPECT_FALSE(ParseDate("2014-06-30T00:00:00Z").ok());
  EXPECT_NE(ParseDate("2014-02-30").status().message().find("calendar"), std::string::npos);
}

TEST(ValidatePartialDate, AcceptsYearMonthOrFullDate) {
  EXPECT_TRUE(ValidatePartialDate("1985").ok());
  EXPECT_TRUE(ValidatePartialDate("1985-07").ok());
  EXPECT_TRUE(ValidatePartialDate("1985-07-31").ok());
  EXPECT_FALSE(ValidatePartialDate("1985-13").ok());
  EXPECT_FALSE(ValidatePartialDate("1985-06-31").ok());
  EXPECT_FALSE(ValidatePartialDate("85").ok());
  EXPECT_FALSE(ValidatePartialDate("").ok());
  EXPECT_FALSE(ValidatePartialDate("198a").ok());
}

}  // namespace
}  // namespace vigil
