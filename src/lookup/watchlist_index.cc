#include <algorithm>

#include "lookup/fold.h"
#include "vigil/lookup.h"

namespace vigil {

Result<WatchlistNameIndex> WatchlistNameIndex::Build(Store& store) {
  WatchlistNameIndex index;
  VIGIL_RETURN_IF_ERROR(store.ScanWatchlist([&](const WatchlistEntry& entry) {
    for (const std::string& name : lookup::FoldedNamesOf(entry.name, entry.aliases)) {
      index.by_name_[name].push_back(entry.entry_id);
    }
    return true;
  }));
  return index;
}

std::vector<std::string> WatchlistNameIndex::EntriesNaming(
    const std::set<std::string>& folded_names) const {
  std::vector<std::string> ids;
  for (const std::string& name : folded_names) {
    auto found = by_name_.find(name);
    if (found != by_name_.end()) ids.insert(ids.end(), found->second.begin(), found->second.end());
  }
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  return ids;
}

}  // namespace vigil
