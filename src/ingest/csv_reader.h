// A fast RFC 4180 CSV reader over an in-memory buffer (internal).
//
// Rows come out as string_views into the buffer (zero-copy); only quoted
// fields holding "" escapes are unescaped, into a scratch buffer owned by the
// reader. The first row read is the header; every later row must have as many
// fields. Accepted: a UTF-8 BOM (skipped), LF or CRLF line ends, quoted
// fields with "" escapes and embedded newlines, blank lines (skipped).
//
// Thread-safety: one reader is used by one thread at a time.
#ifndef VIGIL_INGEST_CSV_READER_H_
#define VIGIL_INGEST_CSV_READER_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace vigil {

struct CsvRow {
  int64_t line = 0;                      // 1-based line on which the row starts
  std::vector<std::string_view> fields;  // field i has column number i + 1
  std::string_view raw;                  // the row's bytes, without its line end
};

// A malformed row: where, and the rule it breaks.
struct CsvError {
  int64_t line = 0;
  int column = 0;  // 1-based field number
  std::string rule;
  std::string_view raw;
};

enum class CsvStep { kRow, kBadRow, kEnd };

class CsvReader {
 public:
  // Reads `text`, which must outlive the reader and every view it returns.
  explicit CsvReader(std::string_view text);

  CsvReader(const CsvReader&) = delete;
  CsvReader& operator=(const CsvReader&) = delete;

  // Reads the next row. kRow: `row` holds it; its views stay valid until the
  // next call. kBadRow: `error` says why, and the reader has skipped to the
  // next line (an unterminated quote skips to the end of the input). kEnd: no
  // more rows. Never allocates once the row and scratch buffers have grown to
  // the widest row. Cost: O(bytes of the row).
  CsvStep Next(CsvRow* row, CsvError* error);

  // Bytes of the input consumed so far (for progress). O(1).
  size_t offset() const { return pos_; }

 private:
  enum class FieldEnd { kRead, kComma, kRowEnd, kError };

  // Each reads one field at pos_ into row->fields; kError sets `rule`.
  FieldEnd ReadUnquoted(CsvRow* row, std::string_view* rule);
  FieldEnd ReadQuoted(CsvRow* row, std::string_view* rule);
  // Consumes the comma or line end after a field; sets *row_end at a line end.
  FieldEnd ReadDelimiter(size_t* row_end);
  void SkipBlankLines();
  void SkipRestOfLine();
  // Fills `error` for the current row and skips to the next line.
  CsvStep Fail(CsvError* error, int column, std::string rule);

  struct Fixup {
    size_t field = 0;
    size_t offset = 0;
    size_t length = 0;
  };

  std::string_view text_;
  size_t pos_ = 0;
  int64_t line_ = 1;
  int64_t row_line_ = 0;
  size_t row_start_ = 0;
  size_t expected_fields_ = 0;  // 0 until the header has been read
  std::string scratch_;
  std::vector<Fixup> fixups_;
};

}  // namespace vigil

#endif  // VIGIL_INGEST_CSV_READER_H_
