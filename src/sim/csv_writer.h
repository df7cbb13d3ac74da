// A buffered RFC 4180 CSV file writer (internal to vigil_sim).
//
// Rows are assembled field by field into a large buffer that is flushed with
// fwrite when it fills; integers and times are formatted by hand. The first
// I/O error is kept and returned by Close(); later calls are ignored.
// Not thread-safe.
#ifndef VIGIL_SIM_CSV_WRITER_H_
#define VIGIL_SIM_CSV_WRITER_H_

#include <cstdint>
#include <cstdio>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "vigil/status.h"

namespace vigil::sim {

class CsvWriter {
 public:
  // Creates (truncates) `path` and writes the header row `columns`.
  // IOError if the file cannot be created.
  static Result<std::unique_ptr<CsvWriter>> Open(const std::string& path,
                                                 std::span<const std::string_view> columns);
  // Use Open(); public only for std::make_unique (the key is private).
  struct Key {
   private:
    friend class CsvWriter;
    Key() = default;
  };
  CsvWriter(Key key, std::FILE* file, std::string path);
  ~CsvWriter();
  CsvWriter(const CsvWriter&) = delete;
  CsvWriter& operator=(const CsvWriter&) = delete;

  // A text field, quoted when it holds a comma, quote, CR or LF.
  void Field(std::string_view text);
  // A field known to need no quoting (selectors, ids, codes): no scan.
  void Plain(std::string_view text);
  void Int(int64_t value);
  void Empty();
  // YYYY-MM-DDTHH:MM:SSZ from seconds since 1970 (UTC).
  void Time(int64_t seconds);
  // YYYY-MM-DD from days since 1970.
  void Date(int64_t days);
  // Ends the current row.
  void EndRow();

  int64_t rows() const { return rows_; }
  // Flushes and closes the file; the first error seen, if any.
  Status Close();

 private:
  void Separate();
  void Reserve(size_t bytes);
  void Flush();

  std::FILE* file_;
  std::string path_;
  std::vector<char> buffer_;
  size_t used_ = 0;
  bool row_started_ = false;
  int64_t rows_ = 0;
  int64_t cached_day_ = INT64_MIN;
  char cached_date_[16] = {};
  Status status_;
};

}  // namespace vigil::sim

#endif  // VIGIL_SIM_CSV_WRITER_H_
