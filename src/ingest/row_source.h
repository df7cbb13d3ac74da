// Rows of one input kind read from a CSV or JSONL buffer, bound to the kind's
// schema (internal). The ingest pipeline and the fuzz targets drive this.
#ifndef VIGIL_INGEST_ROW_SOURCE_H_
#define VIGIL_INGEST_ROW_SOURCE_H_

#include <cstddef>
#include <memory>
#include <optional>
#include <string_view>

#include "ingest/rows.h"
#include "vigil/model.h"

namespace vigil {

enum class RowStep { kRow, kBadRow, kEnd };

class RowSource {
 public:
  virtual ~RowSource() = default;

  // Reads what precedes the rows (the CSV header) and binds it to the schema.
  // Returns false with `error` (its column, and line 1) for an unknown,
  // duplicate or missing required column, or a malformed or absent header.
  // Call once, before Next. O(header bytes).
  virtual bool Start(RowError* error) = 0;

  // kRow: `row` holds the next row. kBadRow: the next row breaks a syntax
  // rule; `error` says which, and row->line / row->raw say where. kEnd: no
  // more rows. Views in `row` are valid until the next call. O(row bytes).
  virtual RowStep Next(RowCells* row, RowError* error) = 0;

  // Bytes of the buffer consumed so far. O(1).
  virtual size_t offset() const = 0;
};

enum class FileFormat { kCsv, kJsonl };

// kCsv for "*.csv", kJsonl for "*.jsonl", nullopt otherwise. O(length).
std::optional<FileFormat> FileFormatFromName(std::string_view file_name);

// A source over `text` (which must outlive it) for rows of `kind`. O(1).
std::unique_ptr<RowSource> MakeRowSource(FileFormat format, std::string_view text, InputKind kind);

}  // namespace vigil

#endif  // VIGIL_INGEST_ROW_SOURCE_H_
