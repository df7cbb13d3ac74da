#include "cli/output.h"

#include <algorithm>

#include <nlohmann/json.hpp>

namespace vigil::cli {
namespace {

// Longer cells are cut in a table (never in CSV or JSONL).
constexpr size_t kMaxTableCell = 72;

// Display width of UTF-8 text, counting code points (good enough for
// alignment of Latin, Arabic and Cyrillic names).
size_t DisplayWidth(std::string_view text) {
  return static_cast<size_t>(std::count_if(text.begin(), text.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  }));
}

// Cuts `text` to at most `width` code points, ending with "..." when cut.
std::string CutToWidth(const std::string& text, size_t width) {
  if (DisplayWidth(text) <= width) return text;
  size_t points = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80 && ++points > width - 3) {
      return text.substr(0, i) + "...";
    }
  }
  return text;
}

}  // namespace

Result<OutputFormat> ParseOutputFormat(std::string_view text) {
  if (text == "table") return OutputFormat::kTable;
  if (text == "csv") return OutputFormat::kCsv;
  if (text == "jsonl") return OutputFormat::kJsonl;
  return Status::InvalidArgument("unknown output format '" + std::string(text) +
                                 "' (expected table, csv or jsonl)");
}

std::string CsvField(std::string_view value) {
  if (value.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(value);
  std::string quoted = "\"";
  for (char c : value) {
    if (c == '"') quoted += '"';
    quoted += c;
  }
  quoted += '"';
  return quoted;
}

TableOutput::TableOutput(std::vector<std::string> columns, OutputFormat format, std::FILE* out)
    : columns_(std::move(columns)), format_(format), out_(out) {
  if (format_ == OutputFormat::kCsv) WriteCsvRow(columns_);
}

TableOutput::~TableOutput() { Finish(); }

void TableOutput::AddRow(std::vector<std::string> row) {
  switch (format_) {
    case OutputFormat::kCsv:
      WriteCsvRow(row);
      break;
    case OutputFormat::kJsonl:
      WriteJsonRow(row);
      break;
    case OutputFormat::kTable:
      buffered_.push_back(std::move(row));
      break;
  }
}

void TableOutput::Finish() {
  if (finished_) return;
  finished_ = true;
  if (format_ == OutputFormat::kTable) WriteTable();
  std::fflush(out_);
}

void TableOutput::WriteCsvRow(const std::vector<std::string>& row) {
  std::string line;
  for (size_t i = 0; i < row.size(); ++i) {
    if (i > 0) line += ',';
    line += CsvField(row[i]);
  }
  line += '\n';
  std::fputs(line.c_str(), out_);
}

void TableOutput::WriteJsonRow(const std::vector<std::string>& row) {
  nlohmann::ordered_json object = nlohmann::ordered_json::object();
  for (size_t i = 0; i < columns_.size() && i < row.size(); ++i) object[columns_[i]] = row[i];
  std::string line = object.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  line += '\n';
  std::fputs(line.c_str(), out_);
}

void TableOutput::WriteTable() {
  std::vector<size_t> widths(columns_.size());
  for (size_t i = 0; i < columns_.size(); ++i) widths[i] = DisplayWidth(columns_[i]);
  for (auto& row : buffered_) {
    for (size_t i = 0; i < row.size() && i < widths.size(); ++i) {
      row[i] = CutToWidth(row[i], kMaxTableCell);
      widths[i] = std::max(widths[i], DisplayWidth(row[i]));
    }
  }
  auto write_row = [&](const std::vector<std::string>& row) {
    std::string line;
    for (size_t i = 0; i < row.size() && i < widths.size(); ++i) {
      line += row[i];
      if (i + 1 < row.size()) line += std::string(widths[i] - DisplayWidth(row[i]) + 2, ' ');
    }
    line += '\n';
    std::fputs(line.c_str(), out_);
  };
  write_row(columns_);
  std::vector<std::string> rule;
  for (size_t width : widths) rule.push_back(std::string(width, '-'));
  write_row(rule);
  for (const auto& row : buffered_) write_row(row);
}

}  // namespace vigil::cli
