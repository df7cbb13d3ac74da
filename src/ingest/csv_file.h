// Reading a whole small CSV file (a truth file, a watch list given on the
// command line) row by row, by column name. Not for bulk input: ingest
// streams through CsvSource instead.
#ifndef VIGIL_INGEST_CSV_FILE_H_
#define VIGIL_INGEST_CSV_FILE_H_

#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "vigil/status.h"

namespace vigil {

// Calls `fn` with the values of the `wanted` columns (in that order) of every
// data row of the CSV file at `path`; the header row names the columns (a
// UTF-8 BOM before it is skipped). Values are valid only during the call.
// Errors: NotFound if the file cannot be read; InvalidArgument naming file,
// line, column and rule for a malformed row (one as wide as the header is
// required) or a missing column. Cost: O(file size); the file is held in memory.
Status ReadCsvColumns(const std::string& path, const std::vector<std::string>& wanted,
                      const std::function<void(const std::vector<std::string_view>&)>& fn);

// Every data row of the CSV file at `path` as column name -> value . Errors and cost as
// ReadCsvColumns.
Status ReadCsvRows(const std::string& path, std::vector<std::map<std::string, std::string>>* rows);

}  // namespace vigil

#endif  // VIGIL_INGEST_CSV_FILE_H_
