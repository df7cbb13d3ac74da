// PostingTable: the screening index's map from a 64-bit key hash to the ids
// of the names holding that key, compact for the common case of one id.
//
// Open addressing with linear probing and backward-shift deletion (no
// tombstones). A slot is 8 bytes: a 32-bit fingerprint of the key, and either
// the single id inline or the index of an overflow list. Most keys of a large
// list (one-deletions of rare family names) have one id, so this holds 8-23
// bytes per key instead of ~100 for a node-based map of vectors.
// Keys whose fingerprints collide share a list: Find may return ids of
// another key (about keys / 2^32 of lookups). The index only uses ids as
// candidates that the scorer then checks, so a collision costs a little
// time, never a wrong or a missed match.
//   Add, Remove: amortised O(1) + O(list length) for Remove's search.
//   Find: O(1) expected. Memory: O(keys + ids).
#ifndef VIGIL_NAMES_POSTING_TABLE_H_
#define VIGIL_NAMES_POSTING_TABLE_H_

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace vigil::names {

class PostingTable {
 public:
  PostingTable();

  // Appends `id` to the list of `key` (ids may repeat if added twice).
  // REQUIRES: id < 2^31.
  void Add(uint64_t key, uint32_t id);
  // Removes one occurrence of `id` from the list of `key`; no-op if absent.
  void Remove(uint64_t key, uint32_t id);
  // The ids of `key` (empty when none); valid until the next Add/Remove.
  std::span<const uint32_t> Find(uint64_t key) const;
  // Number of keys with at least one id.
  size_t KeyCount() const { return used_; }
  // Heap bytes held.
  size_t MemoryUsage() const;

 private:
  static constexpr uint32_t kEmpty = 0xFFFFFFFFU;
  static constexpr uint32_t kListBit = 0x80000000U;
  struct Slot {
    uint32_t fingerprint = 0;
    // kEmpty: unused; with kListBit: index of an overflow list; else the id.
    uint32_t value = kEmpty;
  };

  static uint32_t Fingerprint(uint64_t key);
  size_t Home(uint32_t fingerprint) const;
  size_t Locate(uint32_t fingerprint) const;  // its slot, or an empty one
  void Grow();
  void EraseSlot(size_t index);
  uint32_t NewList();

  std::vector<Slot> slots_;
  size_t mask_ = 0;
  int shift_ = 0;
  size_t used_ = 0;
  std::vector<std::vector<uint32_t>> lists_;
  std::vector<uint32_t> free_lists_;
};

}  // namespace vigil::names

#endif  // VIGIL_NAMES_POSTING_TABLE_H_
