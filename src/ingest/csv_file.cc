#include "ingest/csv_file.h"

#include <fstream>
#include <sstream>

#include "ingest/csv_reader.h"

namespace vigil {
namespace {

constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";

// Calls `on_header(header)` once (if not null), then `fn(header, row)` for
// every data row of the file.
Status ForEachRow(const std::string& path,
                  const std::function<Status(const std::vector<std::string>&, const CsvRow&)>& fn,
                  const std::function<Status(const std::vector<std::string>&)>& on_header = {}) {
  std::ifstream file(path, std::ios::binary);
  if (!file) return Status::NotFound("cannot read " + path);
  std::stringstream buffer;
  buffer << file.rdbuf();
  const std::string text = buffer.str();
  CsvReader reader(text);
  CsvRow row;
  CsvError error;
  std::vector<std::string> header;
  while (true) {
    const CsvStep step = reader.Next(&row, &error);
    if (step == CsvStep::kEnd) return Status::Ok();
    if (step == CsvStep::kBadRow) {
      return Status::InvalidArgument(path + ":" + std::to_string(error.line) + ":" +
                                     std::to_string(error.column) + ": " + error.rule);
    }
    if (header.empty()) {
      for (std::string_view field : row.fields) header.emplace_back(field);
      if (!header.empty() && header[0].starts_with(kUtf8Bom)) header[0].erase(0, kUtf8Bom.size());
      if (on_header) VIGIL_RETURN_IF_ERROR(on_header(header));
      continue;
    }
    VIGIL_RETURN_IF_ERROR(fn(header, row));
  }
}

}  // namespace

Status ReadCsvColumns(const std::string& path, const std::vector<std::string>& wanted,
                      const std::function<void(const std::vector<std::string_view>&)>& fn) {
  std::vector<size_t> columns;
  std::vector<std::string_view> values(wanted.size());
  // The columns are found in the header, so a file without data rows that
  // lacks one is refused too.
  auto find_columns = [&](const std::vector<std::string>& header) {
    for (const std::string& name : wanted) {
      size_t found = 0;
      while (found < header.size() && header[found] != name) ++found;
      if (found == header.size()) {
        return Status::InvalidArgument(path + ":1:1: missing column '" + name + "'");
      }
      columns.push_back(found);
    }
    return Status::Ok();
  };
  return ForEachRow(
      path,
      [&](const std::vector<std::string>& /*header*/, const CsvRow& row) {
        // CsvReader rejects a row whose width differs from the header's.
        for (size_t index = 0; index < wanted.size(); ++index) {
          values[index] = row.fields[columns[index]];
        }
        fn(values);
        return Status::Ok();
      },
      find_columns);
}

Status ReadCsvRows(const std::string& path, std::vector<std::map<std::string, std::string>>* rows) {
  return ForEachRow(path, [&](const std::vector<std::string>& header, const CsvRow& row) {
    std::map<std::string, std::string> values;
    for (size_t index = 0; index < header.size() && index < row.fields.size(); ++index) {
      values[header[index]] = std::string(row.fields[index]);
    }
    rows->push_back(std::move(values));
    return Status::Ok();
  });
}

}  // namespace vigil
