// Ground truth of a generated world (truth/selectors.csv, truth/cells.csv),
// read only by evaluation and calibration, never by resolution itself
// (internal to src/resolve).
#ifndef VIGIL_RESOLVE_TRUTH_H_
#define VIGIL_RESOLVE_TRUTH_H_

#include <string>
#include <unordered_map>
#include <unordered_set>

#include "vigil/status.h"

namespace vigil::resolve {

struct Truth {
  std::unordered_map<std::string, std::string> owner;  // selector -> person_id
  std::unordered_set<std::string> cell_members;        // person_ids
};

// Reads `world_dir`/truth/selectors.csv and truth/cells.csv (the latter may
// be absent). InvalidArgument names file, line and column of a bad row or a
// missing column. Time and memory O(rows).
Result<Truth> ReadTruth(const std::string& world_dir);

}  // namespace vigil::resolve

#endif  // VIGIL_RESOLVE_TRUTH_H_
