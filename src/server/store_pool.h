// A pool of AccessStores, one SQLite connection each, for the server's
// worker threads. A Store is used by one thread at a time (store.h), so a
// request checks one out, sets its RequestContext to the request's user and
// purpose, and returns it when done; every store shares one group-committed
// audit read log, so concurrent reads share one transaction and one sync.
//
// Thread-safety: Acquire and the returned lease's destructor may be called
// from any thread. Memory: at most one store per concurrent request (bounded
// by the server's worker threads), each with a small page cache.
#ifndef VIGIL_SERVER_STORE_POOL_H_
#define VIGIL_SERVER_STORE_POOL_H_

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "vigil/access.h"
#include "vigil/oversight.h"
#include "vigil/status.h"

namespace vigil::server {

class StorePool {
 public:
  // Opens the shared read log and one store to check that the file opens.
  static Result<std::unique_ptr<StorePool>> Open(const std::string& db_path,
                                                 OversightOptions options);

  // A store checked out of the pool; returned to it on destruction.
  class Lease {
   public:
    Lease(StorePool& pool, std::unique_ptr<AccessStore> store, int64_t change_generation)
        : pool_(&pool), store_(std::move(store)), change_generation_(change_generation) {}
    Lease(Lease&&) = default;
    Lease& operator=(Lease&&) = default;
    ~Lease();
    AccessStore& operator*() { return *store_; }
    AccessStore* operator->() { return store_.get(); }
    // Store::ChangeGeneration when the store was checked out (-1: unknown).
    int64_t change_generation() const { return change_generation_; }

   private:
    StorePool* pool_;
    std::unique_ptr<AccessStore> store_;
    int64_t change_generation_ = -1;
  };

  // An idle store, or a newly opened one. Its context is reset to an empty
  // principal (no rights) until the caller sets one. When data was ingested
  // or rights, attributions or erasures changed since the store last served
  // (Store::IngestGeneration or Store::ChangeGeneration moved; two small
  // queries, whoever wrote the change), its person -> compartment and
  // selector-owner caches are dropped first, so that no connection answers
  // from what another connection or process has changed.
  Result<Lease> Acquire();

 private:
  StorePool(std::string db_path, OversightOptions options)
      : db_path_(std::move(db_path)), options_(std::move(options)) {}
  Result<std::unique_ptr<AccessStore>> OpenOne();
  void Release(std::unique_ptr<AccessStore> store);

  const std::string db_path_;
  const OversightOptions options_;
  std::mutex mu_;
  std::vector<std::unique_ptr<AccessStore>> idle_;  // guarded by mu_
  // The (IngestGeneration, ChangeGeneration) each store's caches reflect.
  // guarded by mu_
  std::map<const AccessStore*, std::pair<int64_t, int64_t>> generations_;
};

}  // namespace vigil::server

#endif  // VIGIL_SERVER_STORE_POOL_H_
