// Tabular output of the vigil command in three formats: an aligned table for
// people, CSV (RFC 4180) and JSON Lines for programs.
#ifndef VIGIL_CLI_OUTPUT_H_
#define VIGIL_CLI_OUTPUT_H_

#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

#include "vigil/status.h"

namespace vigil::cli {

enum class OutputFormat { kTable, kCsv, kJsonl };

// "table", "csv" or "jsonl"; InvalidArgument otherwise.
Result<OutputFormat> ParseOutputFormat(std::string_view text);

// Writes rows under a fixed header. CSV and JSONL rows stream out as they are
// added; a table is buffered until Finish() so columns can be aligned.
// Not thread-safe.
class TableOutput {
 public:
  TableOutput(std::vector<std::string> columns, OutputFormat format, std::FILE* out);
  ~TableOutput();
  TableOutput(const TableOutput&) = delete;
  TableOutput& operator=(const TableOutput&) = delete;

  // REQUIRES: row.size() == number of columns.
  void AddRow(std::vector<std::string> row);
  // Flushes a buffered table; idempotent. Called by the destructor.
  void Finish();

 private:
  void WriteCsvRow(const std::vector<std::string>& row);
  void WriteJsonRow(const std::vector<std::string>& row);
  void WriteTable();

  std::vector<std::string> columns_;
  OutputFormat format_;
  std::FILE* out_;
  std::vector<std::vector<std::string>> buffered_;
  bool finished_ = false;
};

// Quotes a CSV field when it holds a comma, quote, CR or LF.
std::string CsvField(std::string_view value);

}  // namespace vigil::cli

#endif  // VIGIL_CLI_OUTPUT_H_
