#include "server/store_pool.h"

#include "store/sqlite/sqlite_handle.h"
#include "store/sqlite/sqlite_store.h"

namespace vigil::server {

Result<std::unique_ptr<StorePool>> StorePool::Open(const std::string& db_path,
                                                   OversightOptions options) {
  if (!options.shared_read_log) {
    VIGIL_ASSIGN_OR_RETURN(options.shared_read_log, OpenAuditReadLog(db_path, options));
  }
  std::unique_ptr<StorePool> pool(new StorePool(db_path, std::move(options)));
  VIGIL_ASSIGN_OR_RETURN(std::unique_ptr<AccessStore> first, pool->OpenOne());
  pool->idle_.push_back(std::move(first));
  return pool;
}

Result<std::unique_ptr<AccessStore>> StorePool::OpenOne() {
  StoreOptions store_options;
  store_options.create_if_missing = false;
  store_options.cache_mib = 16;  // many connections: keep each page cache small
  VIGIL_ASSIGN_OR_RETURN(std::unique_ptr<Store> store, OpenSqliteStore(db_path_, store_options));
  if (!options_.synchronous) {
    // Tests only: writes need no durability there (the audit chain is the same).
    VIGIL_RETURN_IF_ERROR(
        sqlite::Exec(static_cast<sqlite::SqliteStore&>(*store).db(), "PRAGMA synchronous = OFF"));
  }
  VIGIL_ASSIGN_OR_RETURN(std::unique_ptr<Oversight> oversight, Oversight::Open(*store, options_));
  RequestContext nobody;
  nobody.client = "http";
  return std::make_unique<AccessStore>(std::move(store), std::move(oversight), std::move(nobody));
}

Result<StorePool::Lease> StorePool::Acquire() {
  std::unique_ptr<AccessStore> store;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (!idle_.empty()) {
      store = std::move(idle_.back());
      idle_.pop_back();
    }
  }
  if (!store) {
    VIGIL_ASSIGN_OR_RETURN(store, OpenOne());
  }
  Result<int64_t> ingest = store->IngestGeneration();
  Result<int64_t> change = store->ChangeGeneration();
  // A backend that cannot tell gets its caches dropped every time.
  const std::pair<int64_t, int64_t> now = {ingest.ok() ? *ingest : -1, change.ok() ? *change : -1};
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto [seen, fresh] = generations_.try_emplace(store.get(), now);
    if (!fresh && (seen->second != now || now.first < 0 || now.second < 0)) {
      store->InvalidatePersonCache();
      seen->second = now;
    }
  }
  store->mutable_context() = RequestContext{};
  return Lease(*this, std::move(store), now.second);
}

void StorePool::Release(std::unique_ptr<AccessStore> store) {
  // The dispatcher flushes a request's deferred reads before it answers;
  // this only keeps a record a path forgot from waiting for the next user.
  // Its failure has no one left to tell: the store is not reused.
  if (!store->FlushDeferredReads().ok()) return;
  store->mutable_context() = RequestContext{};
  std::lock_guard<std::mutex> lock(mu_);
  idle_.push_back(std::move(store));
}

StorePool::Lease::~Lease() {
  if (store_) pool_->Release(std::move(store_));
}

}  // namespace vigil::server
