// Turning one input row (CSV or JSONL, bound to a schema) into a validated
// model record (internal).
#ifndef VIGIL_INGEST_ROWS_H_
#define VIGIL_INGEST_ROWS_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "ingest/schema.h"
#include "vigil/model.h"

namespace vigil {

// One cell of a row, bound to a schema column. Views point into the reader's
// buffers and stay valid until the reader moves on.
struct Cell {
  std::string_view text;  // the value as written; "" when empty or absent
  // JSONL arrays: the items; null for a scalar (CSV cells are always scalar,
  // multi-valued ones joined with '|').
  const std::vector<std::string_view>* items = nullptr;
  int column = 0;          // where the cell is, for messages
  bool is_number = false;  // a JSON number (its text is the number as written)
  bool is_null = false;    // absent, empty or JSON null
};

// One row, ready for ParseRecord.
struct RowCells {
  int64_t line = 0;
  std::string_view raw;     // the row as written, for the quarantine file
  int row_column = 1;       // the column reported for row-level rules
  std::vector<Cell> cells;  // one per schema column, in schema order
  // The x_ columns: (name, value).
  std::vector<std::pair<std::string_view, std::string_view>> attributes;

  // Sizes `cells` for `schema` and marks every cell absent. O(columns).
  void Reset(const Schema& schema);
};

// A rule broken by one row: "column 'time': not an ISO 8601 ...".
struct RowError {
  int column = 0;
  std::string rule;
};

// Each ParseRecord validates every cell of `row` against formats.md and fills
// `record`, reusing its strings' capacity (no heap allocation once they have
// grown). On a broken rule it fills `error` and returns false; `record` is
// then partly filled and must not be used. Cost: O(bytes of the row).
bool ParseRecord(const RowCells& row, Person* record, RowError* error);
bool ParseRecord(const RowCells& row, SelectorRecord* record, RowError* error);
bool ParseRecord(const RowCells& row, Communication* record, RowError* error);
bool ParseRecord(const RowCells& row, TravelRecord* record, RowError* error);
bool ParseRecord(const RowCells& row, CustodyRecord* record, RowError* error);
bool ParseRecord(const RowCells& row, Report* record, RowError* error);
bool ParseRecord(const RowCells& row, WatchlistEntry* record, RowError* error);

// The column of the cell holding the row's reference to a person (for a store
// error about an unknown person), or the row's column. O(1).
int ReferenceColumn(const RowCells& row, InputKind kind);

// "column 'name': rule". O(length).
std::string ColumnRule(std::string_view column_name, std::string_view rule);

}  // namespace vigil

#endif  // VIGIL_INGEST_ROWS_H_
