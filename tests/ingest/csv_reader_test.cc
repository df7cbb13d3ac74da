#include "ingest/csv_reader.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace vigil {
namespace {

struct Read {
  std::vector<std::vector<std::string>> rows;
  std::vector<int64_t> lines;
  std::vector<CsvError> errors;
};

Read ReadAll(std::string_view text) {
  CsvReader reader(text);
  Read read;
  CsvRow row;
  CsvError error;
  for (;;) {
    const CsvStep step = reader.Next(&row, &error);
    if (step == CsvStep::kEnd) break;
    if (step == CsvStep::kBadRow) {
      read.errors.push_back(error);
      continue;
    }
    read.rows.emplace_back(row.fields.begin(), row.fields.end());
    read.lines.push_back(row.line);
  }
  EXPECT_EQ(reader.offset(), text.size());
  return read;
}

TEST(CsvReader, ReadsPlainRowsWithLineNumbers) {
  const Read read = ReadAll("a,b\n1,2\n\n3,\n");
  ASSERT_TRUE(read.errors.empty());
  ASSERT_EQ(read.rows.size(), 3u);
  EXPECT_EQ(read.rows[1], (std::vector<std::string>{"1", "2"}));
  EXPECT_EQ(read.rows[2], (std::vector<std::string>{"3", ""}));
  EXPECT_EQ(read.lines, (std::vector<int64_t>{1, 2, 4}));
}

TEST(CsvReader, SkipsBomAndAcceptsCrlfWithoutFinalNewline) {
  const Read read = ReadAll("\xEF\xBB\xBFname,x\r\nAli,1\r\nBo,2");
  ASSERT_TRUE(read.errors.empty());
  ASSERT_EQ(read.rows.size(), 3u);
  EXPECT_EQ(read.rows[0][0], "name");
  EXPECT_EQ(read.rows[2], (std::vector<std::string>{"Bo", "2"}));
}

TEST(CsvReader, UnescapesQuotedFieldsWithEmbeddedNewlines) {
  const Read read = ReadAll("a,b,c\n\"x,\"\"y\"\"\",\"line1\nline2\",\"\"\nnext,2,3\n");
  ASSERT_TRUE(read.errors.empty());
  ASSERT_EQ(read.rows.size(), 3u);
  EXPECT_EQ(read.rows[1], (std::vector<std::string>{"x,\"y\"", "line1\nline2", ""}));
  EXPECT_EQ(read.lines, (std::vector<int64_t>{1, 2, 4}));
}

TEST(CsvReader, NamesEachSyntaxRuleWithLineAndColumn) {
  const Read read = ReadAll(
      "a,b\n"
      "1,x\"y\n"    // quote in unquoted field, column 2
      "\"1\"z,2\n"  // text after closing quote, column 1
      "1,2,3\n"     // too many fields
      "ok,\xff\n"   // invalid UTF-8, column 2
      "good,row\n"
      "\"open,2\n");  // unterminated
  ASSERT_EQ(read.errors.size(), 5u);
  EXPECT_EQ(read.errors[0].line, 2);
  EXPECT_EQ(read.errors[0].column, 2);
  EXPECT_NE(read.errors[0].rule.find("quote inside an unquoted field"), std::string::npos);
  EXPECT_EQ(read.errors[0].raw, "1,x\"y");
  EXPECT_EQ(read.errors[1].line, 3);
  EXPECT_EQ(read.errors[1].column, 1);
  EXPECT_NE(read.errors[1].rule.find("text after a closing quote"), std::string::npos);
  EXPECT_EQ(read.errors[2].line, 4);
  EXPECT_EQ(read.errors[2].column, 3);
  EXPECT_NE(read.errors[2].rule.find("3 fields but the header has 2"), std::string::npos);
  EXPECT_EQ(read.errors[3].line, 5);
  EXPECT_EQ(read.errors[3].column, 2);
  EXPECT_NE(read.errors[3].rule.find("UTF-8"), std::string::npos);
  EXPECT_EQ(read.errors[4].line, 7);
  EXPECT_NE(read.errors[4].rule.find("unterminated"), std::string::npos);
  ASSERT_EQ(read.rows.size(), 2u);
  EXPECT_EQ(read.rows[1][0], "good");
}

TEST(CsvReader, AcceptsMultibyteUtf8AndRejectsOverlongForms) {
  const Read good = ReadAll("name\nМухаммад\n\"علي\"\n");
  EXPECT_TRUE(good.errors.empty());
  ASSERT_EQ(good.rows.size(), 3u);
  EXPECT_EQ(good.rows[2][0], "علي");
  EXPECT_EQ(ReadAll("name\n\xC0\xAF\n").errors.size(), 1u);
  EXPECT_EQ(ReadAll("name\n\"\xED\xA0\x80\"\n").errors.size(), 1u);  // surrogate
}

}  // namespace
}  // namespace vigil
