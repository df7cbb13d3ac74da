#include "resolve/state.h"

#include <array>
#include <cstring>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

namespace vigil::resolve {
namespace {

// Bump when the meaning or layout of any saved array changes.
constexpr int64_t kFormatVersion = 1;

// The meta section: int64 fields in this order.
enum MetaField : size_t {
  kVersion,
  kActivitySize,
  kDeviceUseSize,
  kSelectors,
  kHighWaterRow,
  kComms,
  kFirstTime,
  kLastTime,
  kMetaFields,
};
using Meta = std::array<int64_t, kMetaFields>;

template <typename T>
std::string_view Bytes(const std::vector<T>& values) {
  static_assert(std::is_trivially_copyable_v<T>);
  return {reinterpret_cast<const char*>(values.data()), values.size() * sizeof(T)};
}

// Reads the section `name` into `values`; false when it is missing or its
// size is not a whole number of records.
template <typename T>
Result<bool> ReadSection(Store& store, const std::string& name, std::vector<T>* values) {
  static_assert(std::is_trivially_copyable_v<T>);
  VIGIL_ASSIGN_OR_RETURN(std::optional<std::string> bytes, store.GetResolveState(name));
  if (!bytes || bytes->size() % sizeof(T) != 0) return false;
  values->resize(bytes->size() / sizeof(T));
  if (!bytes->empty()) std::memcpy(values->data(), bytes->data(), bytes->size());
  return true;
}

}  // namespace

Status SaveObservations(Store& store, const Observations& obs) {
  const std::vector<int64_t> meta = {kFormatVersion,
                                     static_cast<int64_t>(sizeof(Activity)),
                                     static_cast<int64_t>(sizeof(DeviceUse)),
                                     static_cast<int64_t>(obs.activity.size()),
                                     obs.high_water_row,
                                     obs.comms,
                                     obs.first_time,
                                     obs.last_time};
  const std::vector<std::pair<std::string, std::string_view>> sections = {
      {"meta", Bytes(meta)},
      {"activity", Bytes(obs.activity)},
      {"device_uses", Bytes(obs.device_uses)},
      {"contact_offsets", Bytes(obs.contact_offsets)},
      {"contacts", Bytes(obs.contacts)},
      {"place_offsets", Bytes(obs.place_offsets)},
      {"places", Bytes(obs.places)},
  };
  return store.PutResolveState(sections);
}

Result<std::optional<Observations>> RestoreObservations(Store& store) {
  const std::optional<Observations> none;
  std::vector<int64_t> meta;
  Result<bool> has_meta = ReadSection(store, "meta", &meta);
  // A backend that keeps no state (Internal) is the same as no state.
  if (!has_meta.ok() && has_meta.status().code() == Status::Code::kInternal) return none;
  VIGIL_RETURN_IF_ERROR(has_meta.status());
  if (!*has_meta || meta.size() != kMetaFields || meta[kVersion] != kFormatVersion ||
      meta[kActivitySize] != static_cast<int64_t>(sizeof(Activity)) ||
      meta[kDeviceUseSize] != static_cast<int64_t>(sizeof(DeviceUse)) || meta[kSelectors] < 1) {
    return none;
  }
  Observations obs;
  obs.high_water_row = meta[kHighWaterRow];
  obs.comms = meta[kComms];
  obs.first_time = meta[kFirstTime];
  obs.last_time = meta[kLastTime];
  const auto saved = static_cast<size_t>(meta[kSelectors]);
  bool complete = true;
  VIGIL_ASSIGN_OR_RETURN(complete, ReadSection(store, "activity", &obs.activity));
  if (!complete || obs.activity.size() != saved) return none;
  VIGIL_ASSIGN_OR_RETURN(complete, ReadSection(store, "device_uses", &obs.device_uses));
  if (!complete) return none;
  VIGIL_ASSIGN_OR_RETURN(complete, ReadSection(store, "contact_offsets", &obs.contact_offsets));
  if (!complete || obs.contact_offsets.size() != saved + 1) return none;
  VIGIL_ASSIGN_OR_RETURN(complete, ReadSection(store, "contacts", &obs.contacts));
  if (!complete || obs.contacts.size() != obs.contact_offsets.back()) return none;
  VIGIL_ASSIGN_OR_RETURN(complete, ReadSection(store, "place_offsets", &obs.place_offsets));
  if (!complete || obs.place_offsets.size() != saved + 1) return none;
  VIGIL_ASSIGN_OR_RETURN(complete, ReadSection(store, "places", &obs.places));
  if (!complete || obs.places.size() != obs.place_offsets.back()) return none;
  return std::optional<Observations>(std::move(obs));
}

}  // namespace vigil::resolve
