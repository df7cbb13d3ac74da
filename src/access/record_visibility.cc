// RecordVisibility: compartments of records that are not persons
// (record_visibility.h).
#include "access/record_visibility.h"

#include <algorithm>

namespace vigil {
namespace {

// What the attributions of one selector say, as bits.
constexpr uint8_t kDecided = 1;          // a source or confirmed owner
constexpr uint8_t kDecidedVisible = 2;   // ... that the principal sees
constexpr uint8_t kProposed = 4;         // a proposed owner
constexpr uint8_t kProposedVisible = 8;  // ... that the principal sees
constexpr uint8_t kDecidedHidden = 16;   // a source or confirmed owner hidden from them
constexpr uint8_t kProposedHidden = 32;  // a proposed owner hidden from them

}  // namespace

bool RecordVisibility::SeesEveryCompartment(const Principal& principal) {
  return principal.setup || std::find(principal.compartments.begin(), principal.compartments.end(),
                                      kAllCompartments) != principal.compartments.end();
}

Result<RecordVisibility> RecordVisibility::Build(Store& inner, const Principal& principal,
                                                 const PersonVisibleFn& person_visible) {
  RecordVisibility visibility(principal);
  if (SeesEveryCompartment(principal)) {
    visibility.everything_ = true;
    return visibility;
  }
  std::vector<uint8_t> bits;
  std::unordered_map<int64_t, std::string> text_of;
  VIGIL_RETURN_IF_ERROR(inner.ScanAttributionIds([&](int64_t id, const Attribution& a) {
    if (a.state == AttributionState::kRejected || id <= 0) return true;
    if (static_cast<size_t>(id) >= bits.size()) bits.resize(static_cast<size_t>(id) + 1, 0);
    const bool visible = person_visible(a.person_id);
    if (a.state == AttributionState::kProposed) {
      bits[id] |= kProposed | (visible ? kProposedVisible : kProposedHidden);
    } else {
      bits[id] |= kDecided | (visible ? kDecidedVisible : kDecidedHidden);
    }
    text_of.emplace(id, a.selector);
    return true;
  }));
  visibility.by_id_.assign(bits.size(), Owner::kNone);
  visibility.partly_hidden_id_.assign(bits.size(), false);
  for (size_t id = 0; id < bits.size(); ++id) {
    const uint8_t b = bits[id];
    Owner owner = Owner::kNone;
    bool partly_hidden = false;
    if (b & kDecided) {
      owner = (b & kDecidedVisible) ? Owner::kVisible : Owner::kHidden;
      partly_hidden = (b & kDecidedVisible) && (b & kDecidedHidden);
    } else if (b & kProposed) {
      owner = (b & kProposedVisible) ? Owner::kVisible : Owner::kHidden;
      partly_hidden = (b & kProposedVisible) && (b & kProposedHidden);
    }
    visibility.by_id_[id] = owner;
    if (owner != Owner::kNone) {
      std::string& text = text_of[static_cast<int64_t>(id)];
      if (partly_hidden) {
        visibility.partly_hidden_.insert(text);
        visibility.partly_hidden_id_[id] = true;
      }
      visibility.by_text_.emplace(std::move(text), owner);
    }
  }
  return visibility;
}

RecordVisibility::Owner RecordVisibility::OwnerById(int64_t selector_id) const {
  if (selector_id <= 0 || static_cast<size_t>(selector_id) >= by_id_.size()) return Owner::kNone;
  return by_id_[static_cast<size_t>(selector_id)];
}

RecordVisibility::Owner RecordVisibility::OwnerByText(std::string_view selector) const {
  if (selector.empty()) return Owner::kNone;
  auto found = by_text_.find(std::string(selector));
  return found == by_text_.end() ? Owner::kNone : found->second;
}

bool RecordVisibility::EndsVisible(std::initializer_list<Owner> ends) const {
  bool owned = false;
  for (Owner end : ends) {
    if (end == Owner::kVisible) return true;
    owned = owned || end == Owner::kHidden;
  }
  return !owned && principal_.InCompartment(kDefaultCompartment);
}

bool RecordVisibility::CommVisible(const CommEdge& edge) const {
  if (everything_) return true;
  return EndsVisible({OwnerById(edge.src), OwnerById(edge.dst), OwnerById(edge.device)});
}

bool RecordVisibility::CommVisible(const Communication& comm) const {
  if (everything_) return true;
  return EndsVisible({OwnerByText(comm.src), OwnerByText(comm.dst), OwnerByText(comm.device)});
}

bool RecordVisibility::TravelVisible(const TravelRecord& travel) const {
  if (everything_) return true;
  const Owner owner = OwnerByText(travel.document);
  if (owner != Owner::kNone) return owner == Owner::kVisible;
  return UnownedVisible(travel.attributes);
}

bool RecordVisibility::SelectorVisible(int64_t selector_id) const {
  if (everything_) return true;
  const Owner owner = OwnerById(selector_id);
  return owner == Owner::kVisible ||
         (owner == Owner::kNone && principal_.InCompartment(kDefaultCompartment));
}

bool RecordVisibility::OwnersSeenInFull(std::string_view selector) const {
  if (everything_) return true;
  const Owner owner = OwnerByText(selector);
  if (owner == Owner::kHidden) return false;
  return owner == Owner::kNone || partly_hidden_.count(std::string(selector)) == 0;
}

bool RecordVisibility::CommSeenInFull(const Communication& comm) const {
  if (everything_) return true;
  bool owned = false;
  for (const std::string* end : {&comm.src, &comm.dst, &comm.device}) {
    if (end->empty()) continue;
    if (!OwnersSeenInFull(*end)) return false;
    owned = owned || OwnerByText(*end) != Owner::kNone;
  }
  return owned || principal_.InCompartment(kDefaultCompartment);
}

bool RecordVisibility::OwnersSeenInFull(int64_t selector_id) const {
  const Owner owner = OwnerById(selector_id);
  if (owner == Owner::kHidden) return false;
  return owner == Owner::kNone || !partly_hidden_id_[static_cast<size_t>(selector_id)];
}

bool RecordVisibility::CommSeenInFull(const CommEdge& edge) const {
  if (everything_) return true;
  bool owned = false;
  for (int64_t end : {edge.src, edge.dst, edge.device}) {
    if (end <= 0) continue;
    if (!OwnersSeenInFull(end)) return false;
    owned = owned || OwnerById(end) != Owner::kNone;
  }
  return owned || principal_.InCompartment(kDefaultCompartment);
}

bool RecordVisibility::TravelSeenInFull(const TravelRecord& travel) const {
  if (everything_) return true;
  if (!OwnersSeenInFull(travel.document)) return false;
  return TravelVisible(travel);
}

bool RecordVisibility::UnownedVisible(const Attributes& attributes) const {
  if (everything_) return true;
  for (const auto& [name, value] : attributes) {
    if (name == "x_compartment" && !value.empty()) return principal_.InCompartment(value);
  }
  return principal_.InCompartment(kDefaultCompartment);
}

}  // namespace vigil
