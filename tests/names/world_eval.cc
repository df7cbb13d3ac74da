#include "names/world_eval.h"

#include <unistd.h>

#include <filesystem>

#include "vigil/ingest.h"
#include "vigil/store.h"

namespace vigil::names_eval {

Result<WorldEvalResult> EvaluateWorld(const std::string& world_dir,
                                      const ScreeningOptions& options) {
  namespace fs = std::filesystem;
  const fs::path db =
      fs::temp_directory_path() / ("vigil_screening_eval_" + std::to_string(::getpid()) + ".db");
  fs::remove(db);
  WorldEvalResult result;
  std::vector<TravelRecord> travel;
  VIGIL_ASSIGN_OR_RETURN(std::unique_ptr<ScreeningIndex> index, NewScreeningIndex());
  {
    VIGIL_ASSIGN_OR_RETURN(std::unique_ptr<Store> store, OpenSqliteStore(db.string()));
    std::vector<FileIngestResult> files;
    VIGIL_RETURN_IF_ERROR(
        IngestPaths(*store, {world_dir + "/watchlist.csv", world_dir + "/travel.csv"}, {}, &files));
    VIGIL_RETURN_IF_ERROR(store->ScanWatchlist([&](const WatchlistEntry& entry) {
      if (index->Add(ScreeningEntryFromWatchlist(entry)).ok()) ++result.entries;
      return true;
    }));
    VIGIL_RETURN_IF_ERROR(store->ScanTravel([&](const TravelRecord& record) {
      travel.push_back(record);
      return true;
    }));
  }
  for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(db.string() + suffix);
  VIGIL_ASSIGN_OR_RETURN(std::vector<ScreeningTruthPair> truth,
                         ReadTravelMatchTruth(world_dir + "/truth/travel_matches.csv"));
  VIGIL_ASSIGN_OR_RETURN(result.evaluation, EvaluateScreening(*index, travel, truth, options));
  return result;
}

}  // namespace vigil::names_eval
