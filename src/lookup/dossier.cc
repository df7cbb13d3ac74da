#include <algorithm>
#include <cctype>
#include <set>

#include "vigil/lookup.h"

namespace vigil {
namespace {

// ASCII case folding and whitespace collapsing, for the exact name look-up.
std::string FoldName(std::string_view name) {
  std::string folded;
  bool pending_space = false;
  for (char c : name) {
    if (std::isspace(static_cast<unsigned char>(c))) {
      pending_space = !folded.empty();
      continue;
    }
    if (pending_space) folded += ' ';
    pending_space = false;
    folded += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return folded;
}

std::set<std::string> FoldedNamesOf(const std::string& name,
                                    const std::vector<std::string>& aliases) {
  std::set<std::string> names = {FoldName(name)};
  for (const auto& alias : aliases) names.insert(FoldName(alias));
  names.erase("");
  return names;
}

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

}  // namespace

Result<Dossier> LoadDossier(Store& store, std::string_view person_id) {
  Dossier dossier;
  VIGIL_ASSIGN_OR_RETURN(dossier.person, store.GetPerson(person_id));
  VIGIL_RETURN_IF_ERROR(LoadSelectors(store, dossier));
  VIGIL_ASSIGN_OR_RETURN(dossier.custody, store.CustodyOf(person_id));
  VIGIL_ASSIGN_OR_RETURN(dossier.reports, store.ReportsAbout(person_id));
  VIGIL_RETURN_IF_ERROR(LoadTravel(store, dossier));
  VIGIL_RETURN_IF_ERROR(LoadWatchlist(store, dossier));
  return dossier;
}

}  // namespace vigil
