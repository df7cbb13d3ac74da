#include "resolve/truth.h"

#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>
#include <vector>

#include <fmt/format.h>

#include "ingest/csv_reader.h"

namespace vigil::resolve {
namespace {

// Calls `fn` with the values of `wanted` columns of every data row of the
// CSV file at `path`.
Status ReadColumns(const std::string& path, const std::vector<std::string>& wanted,
                   const std::function<void(const std::vector<std::string_view>&)>& fn) {
  std::ifstream file(path, std::ios::binary);
  if (!file) return Status::IOError("cannot read " + path);
  std::stringstream buffer;
  buffer << file.rdbuf();
  const std::string text = buffer.str();
  CsvReader reader(text);
  CsvRow row;
  CsvError error;
  std::vector<int> columns;
  std::vector<std::string_view> values(wanted.size());
  while (true) {
    const CsvStep step = reader.Next(&row, &error);
    if (step == CsvStep::kEnd) break;
    if (step == CsvStep::kBadRow) {
      return Status::InvalidArgument(
          fmt::format("{}:{}:{}: {}", path, error.line, error.column, error.rule));
    }
    if (columns.empty()) {
      for (const std::string& name : wanted) {
        int found = -1;
        for (size_t index = 0; index < row.fields.size(); ++index) {
          std::string_view field = row.fields[index];
          if (index == 0 && field.substr(0, 3) == "\xEF\xBB\xBF") field.remove_prefix(3);
          if (field == name) found = static_cast<int>(index);
        }
        if (found < 0) {
          return Status::InvalidArgument(
              fmt::format("{}:{}:1: missing column '{}'", path, row.line, name));
        }
        columns.push_back(found);
      }
      continue;
    }
    for (size_t index = 0; index < wanted.size(); ++index) {
      const auto column = static_cast<size_t>(columns[index]);
      if (column >= row.fields.size()) {
        return Status::InvalidArgument(
            fmt::format("{}:{}:{}: row has too few fields", path, row.line, column + 1));
      }
      values[index] = row.fields[column];
    }
    fn(values);
  }
  return Status::Ok();
}

}  // namespace

Result<Truth> ReadTruth(const std::string& world_dir) {
  Truth truth;
  const std::string selectors = world_dir + "/truth/selectors.csv";
  VIGIL_RETURN_IF_ERROR(ReadColumns(
      selectors, {"selector", "person_id"}, [&truth](const std::vector<std::string_view>& values) {
        truth.owner.emplace(std::string(values[0]), std::string(values[1]));
      }));
  const std::string cells = world_dir + "/truth/cells.csv";
  if (std::filesystem::exists(cells)) {
    VIGIL_RETURN_IF_ERROR(
        ReadColumns(cells, {"person_id"}, [&truth](const std::vector<std::string_view>& values) {
          truth.cell_members.emplace(values[0]);
        }));
  }
  return truth;
}

}  // namespace vigil::resolve
