// The person search's name index: a ScreeningIndex (names.h) over every
// person's name and aliases, so that a search finds a person in any
// spelling or script ("Mohamed" finds "Muhammad", "Мухаммад" and
// "محمد"), each hit with the scorer's explanation. Built once and kept while
// the store's IngestGeneration and ChangeGeneration are unchanged (an
// erased person leaves the index at the next search).
//
// The index is built from the undecorated store (AccessStore::inner()): it
// holds person ids and names, is shown to no one, and is the same for every
// user; a search keeps only the hits the caller may see (AccessStore's
// reveal, audited) and reads each through the caller's AccessStore.
//
// Thread-safety: Get may be called from any thread; the index it returns is
// immutable once built and stays valid while held.
// Cost: Get is two generation queries plus, when either moved,
// one pass over the persons (O(persons x name tokens)), done by one caller
// while the others wait. Memory: O(persons x keys per name) (names.h).
#ifndef VIGIL_SERVER_PERSON_INDEX_CACHE_H_
#define VIGIL_SERVER_PERSON_INDEX_CACHE_H_

#include <cstdint>
#include <memory>
#include <mutex>
#include <utility>

#include "vigil/access.h"
#include "vigil/names.h"
#include "vigil/status.h"

namespace vigil::server {

class PersonIndexCache {
 public:
  // The index current for `store`'s persons. Errors: the store's, or ICU's.
  Result<std::shared_ptr<const ScreeningIndex>> Get(AccessStore& store);

 private:
  std::mutex mu_;
  std::pair<int64_t, int64_t> generation_{-1, -1};  // (ingest, change); guarded by mu_
  std::shared_ptr<const ScreeningIndex> index_;     // guarded by mu_
};

}  // namespace vigil::server

#endif  // VIGIL_SERVER_PERSON_INDEX_CACHE_H_
