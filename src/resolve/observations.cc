#include "resolve/observations.h"

#include <algorithm>
#include <iterator>
#include <string_view>
#include <utility>

namespace vigil::resolve {
namespace {

constexpr int64_t kSecondsPerDay = 86400;
// A place-day key is cell (20 bits, larger ids folded) << 16 | day (16 bits,
// days since 1970 modulo 2^16: distinct within any 179-year span), under a
// 28-bit selector index.
constexpr int kDayBits = 16;
constexpr int kCellBits = 20;
constexpr int kPlaceShift = kDayBits + kCellBits;
constexpr int kContactShift = 32;
// Pairs are gathered in a buffer that is sorted and deduplicated whenever it
// fills; repeated contacts and places collapse, so memory follows the number
// of distinct pairs, not of communications.
constexpr size_t kCompactEvery = size_t{1} << 23;
constexpr int64_t kProgressEvery = 1 << 20;

// A growing set of (selector, value) pairs packed as selector << shift |
// value, so that sorting groups them by selector.
class PairSet {
 public:
  explicit PairSet(int shift) : shift_(shift) {}

  void Add(uint64_t selector, uint64_t value) {
    pairs_.push_back(selector << shift_ | value);
    if (pairs_.size() >= limit_) Compact();
  }

  // Sorts and deduplicates; grows the limit when most pairs are distinct.
  void Compact() {
    std::sort(pairs_.begin() + static_cast<std::ptrdiff_t>(sorted_), pairs_.end());
    std::inplace_merge(pairs_.begin(), pairs_.begin() + static_cast<std::ptrdiff_t>(sorted_),
                       pairs_.end());
    pairs_.erase(std::unique(pairs_.begin(), pairs_.end()), pairs_.end());
    sorted_ = pairs_.size();
    limit_ = std::max(limit_, sorted_ + kCompactEvery);
  }

  // Moves the pairs into CSR arrays indexed by selector (0..selectors).
  template <typename Value>
  void ToCsr(size_t selectors, std::vector<uint64_t>* offsets, std::vector<Value>* values) {
    Compact();
    offsets->assign(selectors + 1, 0);
    const uint64_t mask = (uint64_t{1} << shift_) - 1;
    for (uint64_t pair : pairs_) ++(*offsets)[(pair >> shift_) + 1];
    for (size_t index = 0; index < selectors; ++index) (*offsets)[index + 1] += (*offsets)[index];
    values->resize(pairs_.size());
    for (size_t index = 0; index < pairs_.size(); ++index) {
      (*values)[index] = static_cast<Value>(pairs_[index] & mask);
    }
    std::vector<uint64_t>().swap(pairs_);
  }

 private:
  int shift_;
  std::vector<uint64_t> pairs_;
  size_t sorted_ = 0;
  size_t limit_ = kCompactEvery;
};

struct DeviceKey {
  SelectorIndex selector;
  SelectorIndex device;
  bool operator==(const DeviceKey& other) const {
    return selector == other.selector && device == other.device;
  }
};
struct DeviceKeyHash {
  size_t operator()(const DeviceKey& key) const {
    return std::hash<uint64_t>()(static_cast<uint64_t>(key.selector) << 32 | key.device);
  }
};

void Touch(Activity& activity, UnixTime time) {
  activity.first = std::min(activity.first, time);
  activity.last = std::max(activity.last, time);
  ++activity.comms;
}

}  // namespace

Family FamilyOf(std::string_view text) {
  auto starts = [text](std::string_view prefix) { return text.substr(0, prefix.size()) == prefix; };
  if (starts("msisdn:") || starts("imsi:")) return Family::kSim;
  if (starts("imei:")) return Family::kHandset;
  if (starts("handle:") || starts("email:")) return Family::kMessenger;
  if (starts("passport:") || starts("idcard:")) return Family::kDocument;
  return Family::kOther;
}

namespace {

// Merges the sorted, distinct values per selector of `add` into the CSR
// arrays (`offsets`, `values`), which may cover fewer selectors (those known
// when they were saved) or none. Time O(S + P); memory O(S + P) for the
// merged copy.
template <typename Value>
void MergeCsr(size_t selectors, std::vector<uint64_t> add_offsets, std::vector<Value> add_values,
              std::vector<uint64_t>* offsets, std::vector<Value>* values) {
  if (values->empty()) {
    *offsets = std::move(add_offsets);
    *values = std::move(add_values);
    return;
  }
  offsets->resize(selectors + 1, offsets->back());  // selectors new since have none yet
  if (add_values.empty()) return;
  std::vector<uint64_t> merged_offsets(selectors + 1, 0);
  std::vector<Value> merged;
  merged.reserve(values->size() + add_values.size());
  for (size_t s = 0; s < selectors; ++s) {
    std::set_union(values->begin() + static_cast<std::ptrdiff_t>((*offsets)[s]),
                   values->begin() + static_cast<std::ptrdiff_t>((*offsets)[s + 1]),
                   add_values.begin() + static_cast<std::ptrdiff_t>(add_offsets[s]),
                   add_values.begin() + static_cast<std::ptrdiff_t>(add_offsets[s + 1]),
                   std::back_inserter(merged));
    merged_offsets[s + 1] = merged.size();
  }
  *offsets = std::move(merged_offsets);
  *values = std::move(merged);
}

// Adds the fresh handset uses to `uses`, combining uses of the same
// (selector, device), and sorts them by (device, selector). O(D log D).
void MergeDeviceUses(const std::unordered_map<DeviceKey, DeviceUse, DeviceKeyHash>& fresh,
                     std::vector<DeviceUse>* uses) {
  uses->reserve(uses->size() + fresh.size());
  for (const auto& [key, use] : fresh) uses->push_back(use);
  std::sort(uses->begin(), uses->end(), [](const DeviceUse& left, const DeviceUse& right) {
    return left.device != right.device ? left.device < right.device
                                       : left.selector < right.selector;
  });
  size_t kept = 0;
  for (size_t index = 0; index < uses->size(); ++index) {
    const DeviceUse& use = (*uses)[index];
    if (kept > 0 && (*uses)[kept - 1].device == use.device &&
        (*uses)[kept - 1].selector == use.selector) {
      DeviceUse& into = (*uses)[kept - 1];
      into.comms += use.comms;
      into.first = std::min(into.first, use.first);
      into.last = std::max(into.last, use.last);
    } else {
      (*uses)[kept++] = use;
    }
  }
  uses->resize(kept);
}

}  // namespace

Result<Observations> LoadObservations(Store& store, Progress* progress, Observations* saved) {
  Observations obs;
  if (saved != nullptr) obs = std::move(*saved);
  obs.texts.assign(1, std::string());
  VIGIL_RETURN_IF_ERROR(store.ScanSelectors([&obs](int64_t id, std::string_view text) {
    obs.texts.resize(static_cast<size_t>(id) + 1);
    obs.texts[static_cast<size_t>(id)] = std::string(text);
    return true;
  }));
  const size_t selectors = obs.texts.size();
  obs.families.assign(selectors, Family::kOther);
  for (size_t index = 1; index < selectors; ++index) {
    obs.families[index] = FamilyOf(obs.texts[index]);
  }
  if (obs.activity.size() > selectors) {  // saved from another store: read everything
    Observations fresh;
    fresh.texts = std::move(obs.texts);
    fresh.families = std::move(obs.families);
    obs = std::move(fresh);
  }
  obs.activity.resize(selectors);
  if (selectors >= (size_t{1} << (64 - kPlaceShift))) {
    return Status::InvalidArgument("identifier resolution supports at most 2^28 selectors");
  }
  PairSet contacts(kContactShift);
  PairSet places(kPlaceShift);
  // Pointers into an unordered_map stay valid when it rehashes.
  std::unordered_map<DeviceKey, DeviceUse, DeviceKeyHash> devices;
  std::vector<DeviceUse*> last_use(selectors, nullptr);
  if (obs.comms == 0) {
    obs.first_time = std::numeric_limits<UnixTime>::max();
    obs.last_time = std::numeric_limits<UnixTime>::min();
  }
  const int64_t comms_before = obs.comms;
  if (progress != nullptr) progress->Start("resolve: reading comms", -1, "comms");
  Status scan =
      store.ScanCommEdgesAfter(obs.high_water_row, [&](int64_t row, const CommEdge& edge) {
        obs.high_water_row = std::max(obs.high_water_row, row);
        const auto src = static_cast<SelectorIndex>(edge.src);
        const auto dst = static_cast<SelectorIndex>(edge.dst);
        if (src == 0 || dst == 0 || src >= selectors || dst >= selectors) return true;
        ++obs.comms;
        obs.first_time = std::min(obs.first_time, edge.time);
        obs.last_time = std::max(obs.last_time, edge.time);
        Touch(obs.activity[src], edge.time);
        Touch(obs.activity[dst], edge.time);
        if (src != dst) {
          contacts.Add(src, dst);
          contacts.Add(dst, src);
        }
        if (edge.cell > 0) {
          const uint64_t day =
              static_cast<uint64_t>(std::max<UnixTime>(0, edge.time) / kSecondsPerDay) &
              ((uint64_t{1} << kDayBits) - 1);
          const uint64_t cell = static_cast<uint64_t>(edge.cell) & ((uint64_t{1} << kCellBits) - 1);
          places.Add(src, cell << kDayBits | day);
        }
        if (edge.device > 0 && static_cast<size_t>(edge.device) < selectors) {
          const auto device = static_cast<SelectorIndex>(edge.device);
          // A selector stays in one handset for many comms: remember its
          // last use and look the hash table up only when it moves.
          DeviceUse* cached = last_use[src];
          if (cached == nullptr || cached->device != device) {
            cached = &devices[DeviceKey{src, device}];
            last_use[src] = cached;
          }
          DeviceUse& use = *cached;
          if (use.comms == 0) {
            use = DeviceUse{src, device, 0, edge.time, edge.time};
          }
          ++use.comms;
          use.first = std::min(use.first, edge.time);
          use.last = std::max(use.last, edge.time);
        }
        const int64_t read = obs.comms - comms_before;
        if (progress != nullptr && read % kProgressEvery == 0) progress->Update(read);
        return true;
      });
  VIGIL_RETURN_IF_ERROR(scan);
  if (progress != nullptr) progress->Finish();
  if (obs.comms == 0) {
    obs.first_time = 0;
    obs.last_time = 0;
  }
  std::vector<uint64_t> add_offsets;
  std::vector<SelectorIndex> add_contacts;
  contacts.ToCsr(selectors, &add_offsets, &add_contacts);
  MergeCsr(selectors, std::move(add_offsets), std::move(add_contacts), &obs.contact_offsets,
           &obs.contacts);
  std::vector<PlaceDay> add_places;
  places.ToCsr(selectors, &add_offsets, &add_places);
  MergeCsr(selectors, std::move(add_offsets), std::move(add_places), &obs.place_offsets,
           &obs.places);
  MergeDeviceUses(devices, &obs.device_uses);
  return obs;
}

}  // namespace vigil::resolve
