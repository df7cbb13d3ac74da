// Screening evaluation on a generated world: ingests the world's watch list
// and travel into a temporary store (the same path `vigil ingest` takes),
// indexes the watch list and runs EvaluateScreening against
// truth/travel_matches.csv. Shared by the ctest (world_eval_test) and
// bench/screening/screening_world_eval.
#ifndef VIGIL_TESTS_NAMES_WORLD_EVAL_H_
#define VIGIL_TESTS_NAMES_WORLD_EVAL_H_

#include <string>

#include "vigil/names.h"

namespace vigil::names_eval {

struct WorldEvalResult {
  size_t entries = 0;  // watch-list entries indexed
  ScreeningEvaluation evaluation;
};

// `world_dir` holds watchlist.csv, travel.csv and truth/travel_matches.csv.
// Cost: ingesting the two files plus one Screen() per travel record.
Result<WorldEvalResult> EvaluateWorld(const std::string& world_dir,
                                      const ScreeningOptions& options);

}  // namespace vigil::names_eval

#endif  // VIGIL_TESTS_NAMES_WORLD_EVAL_H_
