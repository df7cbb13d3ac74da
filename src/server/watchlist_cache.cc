#include "server/watchlist_cache.h"

namespace vigil::server {

Result<std::shared_ptr<const WatchlistNameIndex>> WatchlistIndexCache::Get(AccessStore& store) {
  VIGIL_ASSIGN_OR_RETURN(int64_t ingest, store.IngestGeneration());
  VIGIL_ASSIGN_OR_RETURN(int64_t change, store.ChangeGeneration());
  const std::pair<int64_t, int64_t> generation = {ingest, change};
  std::lock_guard<std::mutex> lock(mu_);
  if (index_ && generation == generation_) return index_;
  VIGIL_ASSIGN_OR_RETURN(WatchlistNameIndex built, WatchlistNameIndex::Build(store.inner()));
  index_ = std::make_shared<const WatchlistNameIndex>(std::move(built));
  generation_ = generation;
  return index_;
}

}  // namespace vigil::server
