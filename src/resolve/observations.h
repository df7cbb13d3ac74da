// What identifier resolution knows about each selector, read from the store
// in one scan of the communications (internal to src/resolve).
#ifndef VIGIL_RESOLVE_OBSERVATIONS_H_
#define VIGIL_RESOLVE_OBSERVATIONS_H_

#include <cstdint>
#include <limits>
#include <string>
#include <unordered_map>
#include <vector>

#include "vigil/model.h"
#include "vigil/progress.h"
#include "vigil/status.h"
#include "vigil/store.h"

namespace vigil::resolve {

// Selector indexes are the store's dense selector ids (1..N); index 0 is
// unused. uint32_t keeps the pair arrays small (4e9 selectors is far beyond
// one machine's store).
using SelectorIndex = uint32_t;

enum class Family : uint8_t { kSim, kHandset, kMessenger, kDocument, kOther };

struct Activity {
  UnixTime first = std::numeric_limits<UnixTime>::max();
  UnixTime last = std::numeric_limits<UnixTime>::min();
  int32_t comms = 0;  // as src or dst
  bool seen() const { return comms > 0; }
};

// A selector used from a handset: `device` was the comms `device` of `comms`
// communications sent by `selector`, between `first` and `last`.
struct DeviceUse {
  SelectorIndex selector = 0;
  SelectorIndex device = 0;
  int32_t comms = 0;
  UnixTime first = 0;
  UnixTime last = 0;
};

// A (cell, day) presence key: cell id (20 bits) << 16 | day number (days
// since 1970 modulo 2^16).
using PlaceDay = uint64_t;
inline uint32_t CellOf(PlaceDay key) { return static_cast<uint32_t>(key >> 16); }

struct Observations {
  std::vector<std::string> texts;  // by selector index
  std::vector<Family> families;
  std::vector<Activity> activity;
  std::vector<DeviceUse> device_uses;  // sorted by (device, selector)
  // Distinct counterparts of each selector (both directions), CSR.
  std::vector<uint64_t> contact_offsets;
  std::vector<SelectorIndex> contacts;
  // Distinct (cell, day) keys where each selector sent a communication, CSR,
  // each selector's keys sorted.
  std::vector<uint64_t> place_offsets;
  std::vector<PlaceDay> places;
  UnixTime first_time = 0;  // of all communications
  UnixTime last_time = 0;
  int64_t comms = 0;
  // Storage position (Store::ScanCommEdgesAfter) of the last communication
  // summarised here; 0 when none.
  int64_t high_water_row = 0;

  size_t size() const { return texts.size(); }
  const SelectorIndex* ContactsBegin(SelectorIndex s) const {
    return contacts.data() + contact_offsets[s];
  }
  const SelectorIndex* ContactsEnd(SelectorIndex s) const {
    return contacts.data() + contact_offsets[s + 1];
  }
  size_t Degree(SelectorIndex s) const { return contact_offsets[s + 1] - contact_offsets[s]; }
  const PlaceDay* PlacesBegin(SelectorIndex s) const { return places.data() + place_offsets[s]; }
  const PlaceDay* PlacesEnd(SelectorIndex s) const { return places.data() + place_offsets[s + 1]; }
};

// Which family of selector `text` ("msisdn:..." etc.) belongs to.
Family FamilyOf(std::string_view text);

// Reads every selector and the communications stored after
// `saved->high_water_row`, and merges them into `saved`'s summaries (which it
// consumes); with `saved` null it reads every communication. Either way the
// result is what reading every communication gives. Time O(C log P) for the
// C comms read and P distinct (selector, contact) and (selector, place-day)
// pairs they add, plus O(S + P) to merge into saved summaries; memory
// O(S + P) plus a compaction buffer of fixed size.
Result<Observations> LoadObservations(Store& store, Progress* progress,
                                      Observations* saved = nullptr);

}  // namespace vigil::resolve

#endif  // VIGIL_RESOLVE_OBSERVATIONS_H_
