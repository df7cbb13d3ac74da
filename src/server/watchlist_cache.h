// The dossier's watch-list name index (lookup.h), built once and kept while
// the store's IngestGeneration and ChangeGeneration are unchanged, so that a subject look-up reads
// its few candidate entries instead of scanning and folding the whole list
// on every request.
//
// The index is built from the undecorated store (AccessStore::inner()): it
// holds entry ids and folded names only, is shown to no one, and is the same
// for every user; every entry a dossier shows is then read through the
// caller's AccessStore (authorised against their compartments and audited).
//
// Thread-safety: Get may be called from any thread; the index it returns is
// immutable and stays valid while held (a rebuild swaps in a new one).
// Cost: Get is one IngestGeneration query (O(log files)) plus, when the
// generation moved, WatchlistNameIndex::Build (O(entries)), done by one
// caller while the others wait. Memory: one index (O(entries x names)).
#ifndef VIGIL_SERVER_WATCHLIST_CACHE_H_
#define VIGIL_SERVER_WATCHLIST_CACHE_H_

#include <cstdint>
#include <memory>
#include <mutex>
#include <utility>

#include "vigil/access.h"
#include "vigil/lookup.h"
#include "vigil/status.h"

namespace vigil::server {

class WatchlistIndexCache {
 public:
  // The index current for `store`'s data. Errors: the store's (a backend
  // without IngestGeneration returns Internal: the caller should scan).
  Result<std::shared_ptr<const WatchlistNameIndex>> Get(AccessStore& store);

 private:
  std::mutex mu_;
  std::pair<int64_t, int64_t> generation_ = {-1, -1};  // guarded by mu_
  std::shared_ptr<const WatchlistNameIndex> index_;    // guarded by mu_
};

}  // namespace vigil::server

#endif  // VIGIL_SERVER_WATCHLIST_CACHE_H_
