#include "server/person_index_cache.h"

namespace vigil::server {

Result<std::shared_ptr<const ScreeningIndex>> PersonIndexCache::Get(AccessStore& store) {
  // Ingests add and change persons; an erasure removes one (it moves the
  // change counter). A backend without the counters (Internal) rebuilds
  // every time.
  Result<int64_t> ingest = store.IngestGeneration();
  Result<int64_t> change = store.ChangeGeneration();
  const bool known = ingest.ok() && change.ok();
  const std::pair<int64_t, int64_t> generation =
      known ? std::pair{*ingest, *change} : std::pair<int64_t, int64_t>{-1, -1};
  std::lock_guard<std::mutex> lock(mu_);
  if (index_ && known && generation == generation_) return index_;
  VIGIL_ASSIGN_OR_RETURN(std::unique_ptr<ScreeningIndex> built, NewScreeningIndex());
  VIGIL_RETURN_IF_ERROR(store.inner().ScanPersons([&](const Person& person) {
    ScreeningEntry entry;
    entry.entry_id = person.person_id;
    entry.names.push_back(person.name);
    entry.names.insert(entry.names.end(), person.aliases.begin(), person.aliases.end());
    entry.birth_date = person.birth_date;
    // A person whose names all fail normalisation is found by id only.
    (void)built->Add(entry);
    return true;
  }));
  index_ = std::shared_ptr<const ScreeningIndex>(std::move(built));
  generation_ = generation;
  return index_;
}

}  // namespace vigil::server
