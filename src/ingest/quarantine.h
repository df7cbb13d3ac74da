// The quarantine file: bad rows with their reasons, as CSV (internal).
#ifndef VIGIL_INGEST_QUARANTINE_H_
#define VIGIL_INGEST_QUARANTINE_H_

#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>
#include <string_view>

#include "vigil/status.h"

namespace vigil {

// Appends rows "file,line,column,rule,raw" to a CSV file, writing the header
// first when the file is new or empty. Opens the file on the first Append,
// created (or set) 0600: owner read and write only.
class QuarantineFile {
 public:
  explicit QuarantineFile(std::string path) : path_(std::move(path)) {}

  // Appends one bad row. IOError if the file cannot be opened or written.
  // O(bytes written).
  Status Append(std::string_view file, int64_t line, int column, std::string_view rule,
                std::string_view raw);
  // Flushes and closes. IOError if buffered rows could not be written.
  Status Close();

 private:
  struct FileCloser {
    void operator()(FILE* file) const { std::fclose(file); }
  };

  std::string path_;
  std::unique_ptr<FILE, FileCloser> file_;
  std::string buffer_;
};

// `field` as one RFC 4180 CSV field (quoted when it holds , " CR or LF),
// appended to `out`. O(length).
void AppendCsvField(std::string_view field, std::string* out);

}  // namespace vigil

#endif  // VIGIL_INGEST_QUARANTINE_H_
