// An in-memory map from interned text (a selector, a cell id) to its dense
// integer id, mirroring one interning table of the store so that the comms
// hot path never queries SQLite to resolve a selector.
//
// The map is a cache: the store loads it lazily, adds to it as it inserts
// rows, and clears it whenever it may disagree with the file (a rolled-back
// transaction, a commit by another connection).
//
// Layout: open addressing with linear probing over 24-byte slots holding a
// 128-bit keyed hash of the text (SipHash-2-4 with 128-bit output, libsodium's
// crypto_shorthash_siphashx24, under a random key drawn per map) and the id.
// The text itself is not kept: a lookup touches one slot (usually one cache
// line) and never the key bytes of another entry. With millions of selectors
// the table is far larger than the CPU caches, and the former layout (64-bit
// hash, then a compare against the key in a byte arena) paid two cache misses
// a lookup; bench/ingest measured interning as the largest cost of a bulk
// load before this change.
// Why equal hashes may stand for equal texts: SipHash is a pseudo-random
// function, so without the key (random, never stored or shown) nobody can
// choose texts that collide, and the chance that any two of n distinct texts
// collide by accident is below n^2 / 2^129: under 2e-21 for a billion
// selectors, far below the rate of undetected hardware memory errors.
// Memory: about 34 bytes per key (24-byte slots at most 70% full).
// Thread-safety: none; owned by one SqliteStore.
#ifndef VIGIL_STORE_SQLITE_INTERN_MAP_H_
#define VIGIL_STORE_SQLITE_INTERN_MAP_H_

#include <sodium.h>

#include <cstdint>
#include <cstring>
#include <optional>
#include <string_view>
#include <vector>

namespace vigil::sqlite {

class InternMap {
 public:
  InternMap() {
    // sodium_init is idempotent and thread-safe; it readies randombytes.
    [[maybe_unused]] const int initialised = sodium_init();
    randombytes_buf(key_, sizeof key_);
  }

  bool loaded() const { return loaded_; }

  // The keyed hash that stands for a key in this map.
  struct Hash {
    uint64_t low = 0;
    uint64_t high = 0;
  };
  Hash HashOf(std::string_view key) const {
    unsigned char out[crypto_shorthash_siphashx24_BYTES];
    crypto_shorthash_siphashx24(out, reinterpret_cast<const unsigned char*>(key.data()), key.size(),
                                key_);
    Hash hash;
    std::memcpy(&hash, out, sizeof hash);
    return hash;
  }

  // Starts loading the slot where a lookup of `hash` begins into the CPU
  // cache, so that a lookup a little later does not wait for memory.
  void Prefetch(const Hash& hash) const {
    if (!slots_.empty()) __builtin_prefetch(&slots_[hash.low & mask_]);
  }

  // The id of `key`, or nullopt. O(|key|) expected.
  std::optional<int64_t> Find(std::string_view key) const { return Find(HashOf(key)); }
  std::optional<int64_t> Find(const Hash& hash) const {
    if (slots_.empty()) return std::nullopt;
    for (size_t index = hash.low & mask_;; index = (index + 1) & mask_) {
      const Slot& slot = slots_[index];
      if (slot.id == kEmpty) return std::nullopt;
      if (slot.hash.low == hash.low && slot.hash.high == hash.high) return slot.id;
    }
  }

  // The id the next new key gets: one past the largest id seen.
  int64_t NextId() const { return max_id_ + 1; }

  // Records that `key` (not yet present) has id `id` (> 0).
  void Add(std::string_view key, int64_t id) { Add(HashOf(key), id); }
  void Add(const Hash& hash, int64_t id) {
    if ((size_ + 1) * kMaxLoadDenominator > slots_.size() * kMaxLoadNumerator) Grow();
    Place(Slot{hash, id});
    ++size_;
    if (id > max_id_) max_id_ = id;
  }
  void MarkLoaded() { loaded_ = true; }

  // Forgets everything; the next use reloads from the store.
  void Clear() {
    slots_.clear();
    slots_.shrink_to_fit();
    mask_ = 0;
    size_ = 0;
    max_id_ = 0;
    loaded_ = false;
  }

 private:
  static constexpr int64_t kEmpty = 0;  // ids start at 1
  static constexpr size_t kInitialSlots = 1024;
  static constexpr size_t kMaxLoadNumerator = 7;  // grow beyond 70% full
  static constexpr size_t kMaxLoadDenominator = 10;

  struct Slot {
    Hash hash;
    int64_t id = kEmpty;
  };
  static_assert(crypto_shorthash_siphashx24_BYTES == sizeof(Hash));

  void Place(const Slot& slot) {
    size_t index = slot.hash.low & mask_;
    while (slots_[index].id != kEmpty) index = (index + 1) & mask_;
    slots_[index] = slot;
  }
  void Grow() {
    std::vector<Slot> old = std::move(slots_);
    slots_.assign(old.empty() ? kInitialSlots : old.size() * 2, Slot{});
    mask_ = slots_.size() - 1;
    for (const Slot& slot : old) {
      if (slot.id != kEmpty) Place(slot);
    }
  }

  unsigned char key_[crypto_shorthash_siphashx24_KEYBYTES];
  std::vector<Slot> slots_;  // size is a power of two (or zero)
  size_t mask_ = 0;
  size_t size_ = 0;
  int64_t max_id_ = 0;
  bool loaded_ = false;
};

}  // namespace vigil::sqlite

#endif  // VIGIL_STORE_SQLITE_INTERN_MAP_H_
