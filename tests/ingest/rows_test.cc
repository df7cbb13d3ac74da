#include "ingest/rows.h"

#include <gtest/gtest.h>

#include "ingest/row_source.h"

namespace vigil {
namespace {

// Reads every row of a CSV text of `kind` into records; returns the errors as
// "line:column: rule", one per bad row, and the good records in `records`.
template <typename Record>
std::vector<std::string> ParseCsv(std::string_view text, InputKind kind,
                                  std::vector<Record>* records = nullptr) {
  std::unique_ptr<RowSource> source = MakeRowSource(FileFormat::kCsv, text, kind);
  std::vector<std::string> errors;
  RowError error;
  if (!source->Start(&error)) {
    errors.push_back("1:" + std::to_string(error.column) + ": " + error.rule);
    return errors;
  }
  RowCells row;
  Record record;
  for (;;) {
    const RowStep step = source->Next(&row, &error);
    if (step == RowStep::kEnd) break;
    if (step == RowStep::kRow && ParseRecord(row, &record, &error)) {
      if (records != nullptr) records->push_back(record);
      continue;
    }
    errors.push_back(std::to_string(row.line) + ":" + std::to_string(error.column) + ": " +
                     error.rule);
  }
  return errors;
}

TEST(Rows, CommsGoodRowsAndEveryFieldRule) {
  const std::string text =
      "time,src,dst,kind,duration_s,device,cell,x_note\n"
      "2014-06-30T23:08:00+02:00,msisdn:+447700900001,handle:telegram:abc,call,42,"
      "imei:490154203237518,C1,hi\n"
      "2014-06-30T21:08:00Z,msisdn:+447700900001,email:a@b.org,,,,,\n"
      "2014-06-30 21:08,msisdn:+447700900001,msisdn:+447700900002,,,,,\n"
      "2014-06-30T21:08:00Z,fax:1,msisdn:+447700900002,,,,,\n"
      "2014-06-30T21:08:00Z,msisdn:+447700900001,msisdn:+447700900002,video,,,,\n"
      "2014-06-30T21:08:00Z,msisdn:+447700900001,msisdn:+447700900002,,-5,,,\n"
      "2014-06-30T21:08:00Z,msisdn:+447700900001,msisdn:+447700900002,,,imsi:123456,,\n"
      ",msisdn:+447700900001,msisdn:+447700900002,,,,,\n";
  std::vector<Communication> comms;
  const std::vector<std::string> errors = ParseCsv(text, InputKind::kComms, &comms);
  ASSERT_EQ(comms.size(), 2u);
  EXPECT_EQ(comms[0].time, 1404162480);
  EXPECT_EQ(comms[0].kind, CommKind::kCall);
  EXPECT_EQ(comms[0].duration_s, 42);
  EXPECT_EQ(comms[0].device, "imei:490154203237518");
  EXPECT_EQ(comms[0].attributes, (Attributes{{"x_note", "hi"}}));
  EXPECT_EQ(comms[1].kind, CommKind::kUnknown);
  EXPECT_FALSE(comms[1].duration_s.has_value());
  EXPECT_TRUE(comms[1].attributes.empty());
  ASSERT_EQ(errors.size(), 6u);
  EXPECT_EQ(errors[0],
            "4:1: column 'time': not an ISO 8601 time with an explicit offset or Z: "
            "\"2014-06-30 21:08\"");
  EXPECT_EQ(errors[1].substr(0, 34), "5:2: column 'src': unknown selecto");
  EXPECT_EQ(errors[2].substr(0, 36), "6:4: column 'kind': must be one of c");
  EXPECT_EQ(errors[3].substr(0, 42), "7:5: column 'duration_s': must be a non-ne");
  EXPECT_EQ(errors[4].substr(0, 53), "8:6: column 'device': must be a selector of kind imei");
  EXPECT_EQ(errors[5], "9:1: column 'time': required; must not be empty");
}

TEST(Rows, HeaderRules) {
  EXPECT_EQ(ParseCsv<Communication>("time,src,dst,colour\n", InputKind::kComms)[0].substr(0, 38),
            "1:4: column 'colour': unknown column (");
  EXPECT_EQ(ParseCsv<Communication>("time,src\n", InputKind::kComms)[0],
            "1:1: column 'dst': required column is missing");
  EXPECT_EQ(ParseCsv<Communication>("time,src,dst,src\n", InputKind::kComms)[0],
            "1:4: column 'src': duplicate column");
  EXPECT_EQ(ParseCsv<Communication>("time,src,dst,x_a,x_a\n", InputKind::kComms)[0],
            "1:5: column 'x_a': duplicate column");
  EXPECT_EQ(ParseCsv<Communication>("", InputKind::kComms)[0].substr(0, 19), "1:1: the file is em");
  EXPECT_EQ(ParseCsv<Report>("report_id,time,source\n", InputKind::kReports).size(), 1u);
}

TEST(Rows, PersonsAndWatchlist) {
  std::vector<Person> persons;
  const std::vector<std::string> errors = ParseCsv(
      "person_id,name,aliases,birth_date,nationality,status,review_by,legal_basis\n"
      "P1,Ali Hassan,Abu Ali|علي,1985-07,ES,subject,2026-01-31,warrant-1\n"
      "P2,,,,,,,\n"
      "P 3,Bo,,,,,,\n"
      "P4,Bo,a||b,,,,,\n"
      "P5,Bo,,1985-13,,,,\n"
      "P6,Bo,,,es,,,\n"
      "P7,Bo,,,,boss,,\n"
      "P8,Bo,,,,,2026-02-30,\n"
      "P9,\"Bo\tX\",,,,,,\n",
      InputKind::kPersons, &persons);
  ASSERT_EQ(persons.size(), 1u);
  EXPECT_EQ(persons[0].aliases, (std::vector<std::string>{"Abu Ali", "علي"}));
  EXPECT_EQ(persons[0].status, PersonStatus::kSubject);
  ASSERT_EQ(errors.size(), 8u);
  EXPECT_EQ(errors[0], "3:2: column 'name': required; must not be empty");
  EXPECT_EQ(errors[1].substr(0, 22), "4:1: column 'person_id");
  EXPECT_EQ(errors[2].substr(0, 20), "5:3: column 'aliases");
  EXPECT_EQ(errors[3].substr(0, 23), "6:4: column 'birth_date");
  EXPECT_EQ(errors[4].substr(0, 24), "7:5: column 'nationality");
  EXPECT_EQ(errors[5].substr(0, 19), "8:6: column 'status");
  EXPECT_EQ(errors[6].substr(0, 22), "9:7: column 'review_by");
  EXPECT_EQ(errors[7], "10:2: column 'name': must not contain control characters");

  // A subject needs a legal basis and a review date (oversight).
  EXPECT_EQ(ParseCsv<Person>("person_id,name,status,legal_basis,review_by\n"
                             "P1,Ali,subject,,2030-01-01\n",
                             InputKind::kPersons)[0],
            "2:4: column 'legal_basis': a subject needs a legal basis");
  EXPECT_EQ(ParseCsv<Person>("person_id,name,status,legal_basis,review_by\n"
                             "P1,Ali,subject,warrant-1,\n",
                             InputKind::kPersons)[0],
            "2:5: column 'review_by': a subject needs a review date (review_by)");
  EXPECT_TRUE(ParseCsv<Person>("person_id,name,status\nP1,Ali,associate\n", InputKind::kPersons)
                  .empty());
  std::vector<WatchlistEntry> entries;
  EXPECT_TRUE(ParseCsv("entry_id,list,name,handling,valid_until\nW1,EU,Ana,amber,2030-01-01\n",
                       InputKind::kWatchlist, &entries)
                  .empty());
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_EQ(entries[0].handling, Handling::kAmber);
  EXPECT_EQ(ParseCsv<WatchlistEntry>("entry_id,list,name,handling\nW1,EU,Ana,purple\n",
                                     InputKind::kWatchlist)
                .size(),
            1u);
}

TEST(Rows, TravelCustodyReportsSelectors) {
  std::vector<TravelRecord> travel;
  const auto travel_errors = ParseCsv(
      "record_id,time,name,document,origin,destination\n"
      "T1,2015-11-08T06:00:00Z,Ana,passport:ES:AB123,MAD,IST\n"
      "T2,2015-11-08T06:00:00Z,Ana,msisdn:+447700900001,MAD,IST\n"
      "T3,2015-11-08T06:00:00Z,Ana,,MAD,\n"
      "T4,2015-11-08T06:00:00Z,Ana,,Madrid,IST\n",
      InputKind::kTravel, &travel);
  ASSERT_EQ(travel.size(), 1u);
  ASSERT_EQ(travel_errors.size(), 3u);
  EXPECT_NE(travel_errors[0].find("passport or idcard"), std::string::npos);
  EXPECT_EQ(travel_errors[1], "4:6: column 'destination': required; must not be empty");
  EXPECT_EQ(travel_errors[2].substr(0, 20), "5:5: column 'origin'");

  const auto custody_errors = ParseCsv<CustodyRecord>(
      "person_id,facility,start,end\nP1,HMP X,2010-01-01,2012-05-01\nP1,HMP X,2010-01-01,"
      "2009-12-31\nP1,HMP X,,\n",
      InputKind::kCustody);
  ASSERT_EQ(custody_errors.size(), 2u);
  EXPECT_EQ(custody_errors[0], "3:4: column 'end': must not be before start");
  EXPECT_EQ(custody_errors[1], "4:3: column 'start': required; must not be empty");

  std::vector<Report> reports;
  const auto report_errors = ParseCsv(
      "report_id,time,person_id,name,source,category,text\n"
      "R1,2016-01-01T00:00:00Z,P1,,prison,behaviour_change,\"grew a beard,\nstopped talking\"\n"
      "R2,2016-01-01T00:00:00Z,,Ali,police,,\n"
      "R3,2016-01-01T00:00:00Z,,,police,,\n",
      InputKind::kReports, &reports);
  ASSERT_EQ(reports.size(), 2u);
  EXPECT_EQ(reports[0].text, "grew a beard,\nstopped talking");
  EXPECT_EQ(reports[0].category, ReportCategory::kBehaviourChange);
  EXPECT_EQ(reports[1].category, ReportCategory::kOther);
  ASSERT_EQ(report_errors.size(), 1u);
  EXPECT_EQ(report_errors[0].substr(0, 25), "5:3: column 'person_id': ");

  std::vector<SelectorRecord> selectors;
  EXPECT_TRUE(ParseCsv("selector,person_id,first_seen\nimsi:234150999999999,P1,"
                       "2014-01-01T00:00:00Z\n",
                       InputKind::kSelectors, &selectors)
                  .empty());
  ASSERT_EQ(selectors.size(), 1u);
  EXPECT_EQ(selectors[0].first_seen, 1388534400);
  EXPECT_FALSE(selectors[0].last_seen.has_value());
}

}  // namespace
}  // namespace vigil
