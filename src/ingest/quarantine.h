// The quarantine file: bad rows with their reasons, as CSV (internal).
#ifndef VIGIL_INGEST_QUARANTINE_H_
#define VIGIL_INGEST_QUARANTINE_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "vigil/status.h"

namespace vigil {

// Appends rows "file,line,column,rule,raw" to a CSV file, writing the header
// first when the file is new or empty. Opens the file on the first Append,
// created (or set) 0600: owner read and write only.
//
// Each row is written under an exclusive advisory lock on the file
// (flock), the lock erasure holds from reading a quarantine file to renaming
// its rewritten copy over it (access::WrittenFileScrub). Having the lock,
// Append checks that the file it holds open is still the one at the path;
// if it was replaced (renamed over, or removed when only its header was
// left) it opens the file now at the path (creating it with its header if
// needed) and writes there, so no row goes to a file no longer named.
// Not thread-safe (one ingest owns it).
class QuarantineFile {
 public:
  explicit QuarantineFile(std::string path) : path_(std::move(path)) {}
  QuarantineFile(const QuarantineFile&) = delete;
  QuarantineFile& operator=(const QuarantineFile&) = delete;
  ~QuarantineFile();

  // Appends one bad row, on the disk when it returns. IOError if the file
  // cannot be opened, locked or written. O(bytes written).
  Status Append(std::string_view file, int64_t line, int column, std::string_view rule,
                std::string_view raw);
  // Closes the file. Always Ok (each Append has written its row).
  Status Close();

  // How often Append found its open file replaced and opened the one at
  // the path instead (for tests of the interleaving with erasure).
  int reopened() const { return reopened_; }

 private:
  // Opens (creating, 0600) the file at path_ into fd_.
  Status Open();

  std::string path_;
  int fd_ = -1;
  int reopened_ = 0;
};

// `field` as one RFC 4180 CSV field (quoted when it holds , " CR or LF),
// appended to `out`. O(length).
void AppendCsvField(std::string_view field, std::string* out);

}  // namespace vigil

#endif  // VIGIL_INGEST_QUARANTINE_H_
