#include "names/posting_table.h"

#include <algorithm>

namespace vigil::names {
namespace {

constexpr size_t kInitialSlots = 1024;
constexpr uint64_t kFibonacci = 0x9E3779B97F4A7C15ULL;
constexpr int kBits = 64;
// Grow when more than 7 of 10 slots are used.
constexpr size_t kLoadNumerator = 7;
constexpr size_t kLoadDenominator = 10;

int Log2(size_t power_of_two) {
  int bits = 0;
  while ((size_t{1} << bits) < power_of_two) ++bits;
  return bits;
}

}  // namespace

PostingTable::PostingTable()
    : slots_(kInitialSlots), mask_(kInitialSlots - 1), shift_(kBits - Log2(kInitialSlots)) {}

uint32_t PostingTable::Fingerprint(uint64_t key) {
  return static_cast<uint32_t>(key ^ (key >> 32));
}

size_t PostingTable::Home(uint32_t fingerprint) const {
  return static_cast<size_t>((static_cast<uint64_t>(fingerprint) * kFibonacci) >> shift_);
}

size_t PostingTable::Locate(uint32_t fingerprint) const {
  size_t index = Home(fingerprint);
  while (slots_[index].value != kEmpty && slots_[index].fingerprint != fingerprint) {
    index = (index + 1) & mask_;
  }
  return index;
}

uint32_t PostingTable::NewList() {
  if (!free_lists_.empty()) {
    const uint32_t list = free_lists_.back();
    free_lists_.pop_back();
    return list;
  }
  lists_.emplace_back();
  return static_cast<uint32_t>(lists_.size() - 1);
}

void PostingTable::Grow() {
  std::vector<Slot> old = std::move(slots_);
  slots_.assign(old.size() * 2, Slot{});
  mask_ = slots_.size() - 1;
  shift_ = kBits - Log2(slots_.size());
  for (const Slot& slot : old) {
    if (slot.value != kEmpty) slots_[Locate(slot.fingerprint)] = slot;
  }
}

void PostingTable::Add(uint64_t key, uint32_t id) {
  if ((used_ + 1) * kLoadDenominator > slots_.size() * kLoadNumerator) Grow();
  const uint32_t fingerprint = Fingerprint(key);
  Slot& slot = slots_[Locate(fingerprint)];
  if (slot.value == kEmpty) {
    slot = {fingerprint, id};
    ++used_;
    return;
  }
  if ((slot.value & kListBit) == 0) {
    const uint32_t list = NewList();
    lists_[list] = {slot.value};
    slot.value = list | kListBit;
  }
  lists_[slot.value & ~kListBit].push_back(id);
}

void PostingTable::Remove(uint64_t key, uint32_t id) {
  const size_t index = Locate(Fingerprint(key));
  Slot& slot = slots_[index];
  if (slot.value == kEmpty) return;
  if ((slot.value & kListBit) == 0) {
    if (slot.value == id) EraseSlot(index);
    return;
  }
  const uint32_t list = slot.value & ~kListBit;
  std::vector<uint32_t>& ids = lists_[list];
  auto position = std::find(ids.begin(), ids.end(), id);
  if (position == ids.end()) return;
  *position = ids.back();
  ids.pop_back();
  if (ids.size() == 1) {  // back inline
    slot.value = ids.front();
    lists_[list] = std::vector<uint32_t>();
    free_lists_.push_back(list);
  }
}

// Backward-shift deletion: later slots of the same probe run move up so that
// every key stays reachable from its home slot.
void PostingTable::EraseSlot(size_t index) {
  size_t hole = index;
  size_t next = (hole + 1) & mask_;
  while (slots_[next].value != kEmpty) {
    const size_t home = Home(slots_[next].fingerprint);
    // Move `next` into the hole unless its home lies in (hole, next].
    const bool home_after_hole =
        hole <= next ? (home > hole && home <= next) : (home > hole || home <= next);
    if (!home_after_hole) {
      slots_[hole] = slots_[next];
      hole = next;
    }
    next = (next + 1) & mask_;
  }
  slots_[hole] = Slot{};
  --used_;
}

std::span<const uint32_t> PostingTable::Find(uint64_t key) const {
  const Slot& slot = slots_[Locate(Fingerprint(key))];
  if (slot.value == kEmpty) return {};
  if ((slot.value & kListBit) == 0) return {&slot.value, 1};
  return lists_[slot.value & ~kListBit];
}

size_t PostingTable::MemoryUsage() const {
  constexpr size_t kAllocationOverhead = 16;
  size_t bytes = slots_.capacity() * sizeof(Slot) + lists_.capacity() * sizeof(lists_[0]) +
                 free_lists_.capacity() * sizeof(uint32_t);
  for (const std::vector<uint32_t>& ids : lists_) {
    if (ids.capacity() > 0) bytes += ids.capacity() * sizeof(uint32_t) + kAllocationOverhead;
  }
  return bytes;
}

}  // namespace vigil::names
