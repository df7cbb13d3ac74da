// Reading truth/ CSV files for evaluation.

#include "ingest/csv_file.h"
#include "vigil/eval.h"

namespace vigil {

Result<std::vector<TruthRow>> ReadTruthCsv(const std::string& path) {
  std::vector<TruthRow> rows;
  VIGIL_RETURN_IF_ERROR(ReadCsvRows(path, &rows));
  return rows;
}

}  // namespace vigil
