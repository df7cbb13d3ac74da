// Reading truth/ CSV files for evaluation.
#include <fstream>
#include <sstream>

#include <fmt/format.h>

#include "ingest/csv_reader.h"
#include "vigil/eval.h"

namespace vigil {

Result<std::vector<TruthRow>> ReadTruthCsv(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  if (!file) return Status::NotFound("cannot read " + path);
  std::stringstream buffer;
  buffer << file.rdbuf();
  const std::string text = buffer.str();
  CsvReader reader(text);
  CsvRow row;
  CsvError error;
  std::vector<std::string> header;
  std::vector<TruthRow> rows;
  while (true) {
    const CsvStep step = reader.Next(&row, &error);
    if (step == CsvStep::kEnd) return rows;
    if (step == CsvStep::kBadRow) {
      return Status::InvalidArgument(
          fmt::format("{}:{}:{}: {}", path, error.line, error.column, error.rule));
    }
    if (header.empty()) {
      for (std::string_view field : row.fields) header.emplace_back(field);
      continue;
    }
    TruthRow values;
    for (size_t i = 0; i < header.size() && i < row.fields.size(); ++i) {
      values[header[i]] = std::string(row.fields[i]);
    }
    rows.push_back(std::move(values));
  }
}

}  // namespace vigil
