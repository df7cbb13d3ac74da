#include <algorithm>
#include <cctype>
#include <set>

#include "lookup/fold.h"
#include "vigil/lookup.h"

namespace vigil {
namespace {

using lookup::FoldedNamesOf;

bool IsDocument(std::string_view selector) {
  return selector.starts_with("passport:") || selector.starts_with("idcard:");
}

Status LoadSelectors(Store& store, Dossier& dossier) {
  VIGIL_ASSIGN_OR_RETURN(auto attributions, store.AttributionsOfPerson(dossier.person.person_id));
  for (auto& attribution : attributions) {
    DossierSelector entry{std::move(attribution), std::nullopt};
    auto record = store.GetSelectorRecord(entry.attribution.selector);
    if (record.ok()) {
      entry.record = std::move(record).value();
    } else if (!record.status().IsNotFound()) {
      return record.status();
    }
    dossier.selectors.push_back(std::move(entry));
  }
  return Status::Ok();
}

Status LoadTravel(Store& store, Dossier& dossier) {
  std::vector<std::string> documents;
  for (const auto& entry : dossier.selectors) {
    const Attribution& a = entry.attribution;
    if (a.state != AttributionState::kRejected && IsDocument(a.selector)) {
      documents.push_back(a.selector);
    }
  }
  if (documents.empty()) return Status::Ok();
  VIGIL_ASSIGN_OR_RETURN(dossier.travel, store.TravelByDocuments(documents));
  return Status::Ok();
}

Status LoadWatchlist(Store& store, Dossier& dossier) {
  const auto names = FoldedNamesOf(dossier.person.name, dossier.person.aliases);
  return store.ScanWatchlist([&](const WatchlistEntry& entry) {
    for (const auto& name : FoldedNamesOf(entry.name, entry.aliases)) {
      if (names.count(name)) {
        dossier.watchlist.push_back(entry);
        break;
      }
    }
    return true;
  });
}

// The index's candidates, each read through the store (so authorised and
// audited there) and checked again against the person's names: an entry the
// caller may not see (NotFound) or that no longer names the person is left
// out.
Status LoadIndexedWatchlist(Store& store, const WatchlistNameIndex& index, Dossier& dossier) {
  const auto names = FoldedNamesOf(dossier.person.name, dossier.person.aliases);
  for (const std::string& entry_id : index.EntriesNaming(names)) {
    Result<WatchlistEntry> entry = store.GetWatchlistEntry(entry_id);
    if (!entry.ok()) {
      if (entry.status().IsNotFound()) continue;
      return entry.status();
    }
    for (const auto& name : FoldedNamesOf(entry->name, entry->aliases)) {
      if (names.count(name)) {
        dossier.watchlist.push_back(std::move(entry).value());
        break;
      }
    }
  }
  return Status::Ok();
}

// Everything but the watch list.
Result<Dossier> LoadRecords(Store& store, std::string_view person_id) {
  Dossier dossier;
  VIGIL_ASSIGN_OR_RETURN(dossier.person, store.GetPerson(person_id));
  VIGIL_RETURN_IF_ERROR(LoadSelectors(store, dossier));
  VIGIL_ASSIGN_OR_RETURN(dossier.custody, store.CustodyOf(person_id));
  VIGIL_ASSIGN_OR_RETURN(dossier.reports, store.ReportsAbout(person_id));
  VIGIL_RETURN_IF_ERROR(LoadTravel(store, dossier));
  return dossier;
}

}  // namespace

Result<Dossier> LoadDossier(Store& store, std::string_view person_id) {
  VIGIL_ASSIGN_OR_RETURN(Dossier dossier, LoadRecords(store, person_id));
  VIGIL_RETURN_IF_ERROR(LoadWatchlist(store, dossier));
  return dossier;
}

Result<Dossier> LoadDossier(Store& store, std::string_view person_id,
                            const WatchlistNameIndex& index) {
  VIGIL_ASSIGN_OR_RETURN(Dossier dossier, LoadRecords(store, person_id));
  VIGIL_RETURN_IF_ERROR(LoadIndexedWatchlist(store, index, dossier));
  return dossier;
}

}  // namespace vigil
