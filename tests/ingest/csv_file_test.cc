// ReadCsvColumns / ReadCsvRows: columns by name, BOM, errors with positions.
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>

#include "ingest/csv_file.h"

namespace vigil {
namespace {

std::string WriteTemp(const std::string& name, const std::string& text) {
  const std::string path = ::testing::TempDir() + name;
  std::ofstream(path, std::ios::binary) << text;
  return path;
}

TEST(CsvFileTest, ColumnsByNameInAnyOrderAfterABom) {
  const std::string path = WriteTemp("cols.csv", "\xEF\xBB\xBFx,b,a\n1,2,3\n4,\"5,6\",7\n");
  std::vector<std::string> seen;
  ASSERT_TRUE(ReadCsvColumns(path, {"a", "b"}, [&](const std::vector<std::string_view>& v) {
                seen.push_back(std::string(v[0]) + "|" + std::string(v[1]));
              }).ok());
  EXPECT_EQ(seen, (std::vector<std::string>{"3|2", "7|5,6"}));
  std::vector<std::map<std::string, std::string>> rows;
  ASSERT_TRUE(ReadCsvRows(path, &rows).ok());
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0]["x"], "1");
}

TEST(CsvFileTest, ErrorsNameFileLineAndColumn) {
  const std::string missing = WriteTemp("missing.csv", "a,b\n1,2\n");
  Status status = ReadCsvColumns(missing, {"c"}, [](const auto&) {});
  EXPECT_TRUE(status.IsInvalidArgument());
  EXPECT_NE(status.message().find("missing.csv:1:1: missing column 'c'"), std::string::npos)
      << status.message();

  const std::string short_row = WriteTemp("short.csv", "a,b\n1,2\n3\n");
  status = ReadCsvColumns(short_row, {"b"}, [](const auto&) {});
  EXPECT_NE(status.message().find("short.csv:3:2: row has 1 fields but the header has 2"),
            std::string::npos)
      << status.message();

  EXPECT_TRUE(
      ReadCsvColumns(::testing::TempDir() + "absent.csv", {"a"}, [](const auto&) {}).IsNotFound());
}

}  // namespace
}  // namespace vigil
