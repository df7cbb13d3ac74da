// The CSV row source: CsvReader plus the header's binding to the schema.
#include <string>
#include <vector>

#include "ingest/csv_reader.h"
#include "ingest/jsonl_reader.h"
#include "ingest/row_source.h"
#include "ingest/schema.h"

namespace vigil {
namespace {

// A header field is a schema column (>= 0), a free attribute, or ignored.
constexpr int kAttributeSlot = -1;

class CsvRowSource final : public RowSource {
 public:
  CsvRowSource(std::string_view text, InputKind kind) : reader_(text), schema_(SchemaFor(kind)) {}

  bool Start(RowError* error) override {
    CsvError csv_error;
    const CsvStep step = reader_.Next(&header_, &csv_error);
    if (step == CsvStep::kEnd) return HeaderError(error, 1, "the file is empty (no header row)");
    if (step == CsvStep::kBadRow) return HeaderError(error, csv_error.column, csv_error.rule);
    std::vector<bool> seen(schema_.columns.size(), false);
    for (size_t i = 0; i < header_.fields.size(); ++i) {
      const std::string_view name = header_.fields[i];
      names_.emplace_back(name);
      const int column = static_cast<int>(i) + 1;
      const int index = schema_.Find(name);
      if (index >= 0) {
        if (seen[index]) return HeaderError(error, column, ColumnRule(name, "duplicate column"));
        seen[index] = true;
        slots_.push_back(index);
        continue;
      }
      if (name.substr(0, kAttributePrefix.size()) != kAttributePrefix) {
        return HeaderError(
            error, column,
            ColumnRule(name, "unknown column (allowed: " + schema_.AllowedNames() + ")"));
      }
      for (size_t j = 0; j < i; ++j) {
        if (names_[j] == name) {
          return HeaderError(error, column, ColumnRule(name, "duplicate column"));
        }
      }
      slots_.push_back(kAttributeSlot);
    }
    for (size_t index = 0; index < schema_.columns.size(); ++index) {
      if (schema_.columns[index].required && !seen[index]) {
        return HeaderError(error, 1,
                           ColumnRule(schema_.columns[index].name, "required column is missing"));
      }
    }
    if (schema_.kind == InputKind::kReports && !seen[kReportPersonId] && !seen[kReportName]) {
      return HeaderError(error, 1,
                         ColumnRule("person_id", "a reports file needs column person_id or name"));
    }
    return true;
  }

  RowStep Next(RowCells* row, RowError* error) override {
    CsvError csv_error;
    const CsvStep step = reader_.Next(&csv_row_, &csv_error);
    if (step == CsvStep::kEnd) return RowStep::kEnd;
    if (step == CsvStep::kBadRow) {
      row->line = csv_error.line;
      row->raw = csv_error.raw;
      error->column = csv_error.column;
      const size_t field = static_cast<size_t>(csv_error.column) - 1;
      error->rule = field < names_.size() ? ColumnRule(names_[field], csv_error.rule)
                                          : std::move(csv_error.rule);
      return RowStep::kBadRow;
    }
    row->Reset(schema_);
    row->line = csv_row_.line;
    row->raw = csv_row_.raw;
    row->row_column = 1;
    for (size_t i = 0; i < csv_row_.fields.size(); ++i) {
      const std::string_view text = csv_row_.fields[i];
      if (slots_[i] == kAttributeSlot) {
        if (!text.empty()) row->attributes.emplace_back(names_[i], text);
        continue;
      }
      Cell& cell = row->cells[slots_[i]];
      cell.text = text;
      cell.column = static_cast<int>(i) + 1;
      cell.is_null = text.empty();
    }
    return RowStep::kRow;
  }

  size_t offset() const override { return reader_.offset(); }

 private:
  static bool HeaderError(RowError* error, int column, std::string rule) {
    error->column = column;
    error->rule = std::move(rule);
    return false;
  }

  CsvReader reader_;
  const Schema& schema_;
  CsvRow header_;
  CsvRow csv_row_;
  std::vector<std::string> names_;  // header names, by field
  std::vector<int> slots_;          // schema index or kAttributeSlot, by field
};

}  // namespace

std::optional<FileFormat> FileFormatFromName(std::string_view file_name) {
  constexpr std::string_view kCsvSuffix = ".csv";
  constexpr std::string_view kJsonlSuffix = ".jsonl";
  if (file_name.ends_with(kCsvSuffix)) return FileFormat::kCsv;
  if (file_name.ends_with(kJsonlSuffix)) return FileFormat::kJsonl;
  return std::nullopt;
}

std::unique_ptr<RowSource> MakeRowSource(FileFormat format, std::string_view text, InputKind kind) {
  if (format == FileFormat::kJsonl) return std::make_unique<JsonlReader>(text, kind);
  return std::make_unique<CsvRowSource>(text, kind);
}

}  // namespace vigil
