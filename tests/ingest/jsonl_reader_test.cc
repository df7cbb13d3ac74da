#include "ingest/jsonl_reader.h"

#include <gtest/gtest.h>

namespace vigil {
namespace {

TEST(JsonlReader, ReadsObjectsWithKeyOffsetsAsColumns) {
  const std::string text =
      "{\"person_id\":\"P1\",\"name\":\"Ali\",\"aliases\":[\"A\",\"B\"],\"x_team\":7}\n"
      "\n"
      "  {\"name\":\"Bo\", \"person_id\":\"P2\", \"status\":null}\r\n";
  JsonlReader reader(text, InputKind::kPersons);
  RowError error;
  ASSERT_TRUE(reader.Start(&error));
  RowCells row;
  ASSERT_EQ(reader.Next(&row, &error), RowStep::kRow);
  EXPECT_EQ(row.line, 1);
  EXPECT_EQ(row.cells[kPersonId].text, "P1");
  EXPECT_EQ(row.cells[kPersonId].column, 2);
  EXPECT_EQ(row.cells[kPersonName].column, 19);
  ASSERT_NE(row.cells[kPersonAliases].items, nullptr);
  EXPECT_EQ(row.cells[kPersonAliases].items->size(), 2u);
  ASSERT_EQ(row.attributes.size(), 1u);
  EXPECT_EQ(row.attributes[0].first, "x_team");
  EXPECT_EQ(row.attributes[0].second, "7");
  Person person;
  ASSERT_TRUE(ParseRecord(row, &person, &error)) << error.rule;
  EXPECT_EQ(person.aliases, (std::vector<std::string>{"A", "B"}));

  ASSERT_EQ(reader.Next(&row, &error), RowStep::kRow);
  EXPECT_EQ(row.line, 3);
  EXPECT_EQ(row.cells[kPersonName].column, 4);
  EXPECT_TRUE(row.cells[kPersonStatus].is_null);
  ASSERT_TRUE(ParseRecord(row, &person, &error)) << error.rule;
  EXPECT_EQ(person.person_id, "P2");
  EXPECT_TRUE(person.aliases.empty());
  EXPECT_EQ(reader.Next(&row, &error), RowStep::kEnd);
}

struct BadLine {
  const char* line;
  int column;
  const char* rule_part;
};

TEST(JsonlReader, ReportsBadLinesWithColumns) {
  const BadLine cases[] = {
      {"{\"person_id\":\"P1\",\"name\":tru}", 29, "JSON syntax error"},
      {"[1,2]", 1, "JSON object"},
      {"\"text\"", 1, "JSON object"},
      {"{\"person_id\":\"P1\",\"nick\":\"x\"}", 19, "column 'nick': unknown column"},
      {"{\"person_id\":\"P1\",\"person_id\":\"P2\"}", 19, "duplicate key"},
      {"{\"person_id\":\"P1\",\"name\":{\"a\":1}}", 19, "nested object"},
      {"{\"person_id\":\"P1\",\"name\":true}", 19, "not true/false"},
      {"{\"person_id\":\"P1\",\"aliases\":[[\"a\"]]}", 19, "not lists"},
      {"{\"person_id\":\"P1\"} {}", 20, "JSON syntax error"},
  };
  for (const BadLine& bad : cases) {
    JsonlReader reader(bad.line, InputKind::kPersons);
    RowCells row;
    RowError error;
    ASSERT_EQ(reader.Next(&row, &error), RowStep::kBadRow) << bad.line;
    EXPECT_EQ(error.column, bad.column) << bad.line << " -> " << error.rule;
    EXPECT_NE(error.rule.find(bad.rule_part), std::string::npos)
        << bad.line << " -> " << error.rule;
    EXPECT_EQ(row.line, 1);
    EXPECT_EQ(row.raw, bad.line);
  }
}

TEST(JsonlReader, NumbersOnlyForNumericFields) {
  const std::string text =
      "{\"time\":\"2014-06-30T21:08:00Z\",\"src\":\"msisdn:+447700900001\","
      "\"dst\":\"msisdn:+447700900002\",\"duration_s\":42}\n"
      "{\"time\":\"2014-06-30T21:08:00Z\",\"src\":\"msisdn:+447700900001\","
      "\"dst\":\"msisdn:+447700900002\",\"duration_s\":4.5}\n"
      "{\"time\":\"2014-06-30T21:08:00Z\",\"src\":\"msisdn:+447700900001\","
      "\"dst\":\"msisdn:+447700900002\",\"cell\":12}\n";
  JsonlReader reader(text, InputKind::kComms);
  RowCells row;
  RowError error;
  Communication comm;
  ASSERT_EQ(reader.Next(&row, &error), RowStep::kRow);
  ASSERT_TRUE(ParseRecord(row, &comm, &error)) << error.rule;
  EXPECT_EQ(comm.duration_s, 42);
  ASSERT_EQ(reader.Next(&row, &error), RowStep::kRow);
  EXPECT_FALSE(ParseRecord(row, &comm, &error));
  EXPECT_NE(error.rule.find("column 'duration_s': must be a non-negative integer"),
            std::string::npos);
  ASSERT_EQ(reader.Next(&row, &error), RowStep::kRow);
  EXPECT_FALSE(ParseRecord(row, &comm, &error));
  EXPECT_NE(error.rule.find("column 'cell': must be a JSON string"), std::string::npos);
}

TEST(JsonlReader, MissingRequiredKeyIsReportedAtTheObject) {
  JsonlReader reader("  {\"name\":\"Ali\"}", InputKind::kPersons);
  RowCells row;
  RowError error;
  ASSERT_EQ(reader.Next(&row, &error), RowStep::kRow);
  Person person;
  ASSERT_FALSE(ParseRecord(row, &person, &error));
  EXPECT_EQ(error.column, 3);
  EXPECT_EQ(error.rule, "column 'person_id': required; must not be empty");
}

}  // namespace
}  // namespace vigil
