// An in-memory map from interned text (a selector, a cell id) to its dense
// integer id, mirroring one interning table of the store so that the comms
// hot path never queries SQLite to resolve a selector.
//
// The map is a cache: the store loads it lazily, adds to it as it inserts
// rows, and clears it whenever it may disagree with the file (a rolled-back
// transaction, a commit by another connection). Memory: O(distinct keys).
// Thread-safety: none; owned by one SqliteStore.
#ifndef VIGIL_STORE_SQLITE_INTERN_MAP_H_
#define VIGIL_STORE_SQLITE_INTERN_MAP_H_

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

namespace vigil::sqlite {

class InternMap {
 public:
  bool loaded() const { return loaded_; }

  // The id of `key`, or nullopt. O(|key|) expected.
  std::optional<int64_t> Find(std::string_view key) const {
    auto found = ids_.find(key);
    if (found == ids_.end()) return std::nullopt;
    return found->second;
  }

  // The id the next new key gets: one past the largest id seen.
  int64_t NextId() const { return max_id_ + 1; }

  // Records that `key` has id `id`; marks the map loaded.
  void Add(std::string_view key, int64_t id) {
    ids_.emplace(std::string(key), id);
    if (id > max_id_) max_id_ = id;
  }
  void MarkLoaded() { loaded_ = true; }

  // Forgets everything; the next use reloads from the store.
  void Clear() {
    ids_.clear();
    max_id_ = 0;
    loaded_ = false;
  }

 private:
  struct Hash {
    using is_transparent = void;
    size_t operator()(std::string_view text) const { return std::hash<std::string_view>{}(text); }
  };

  std::unordered_map<std::string, int64_t, Hash, std::equal_to<>> ids_;
  int64_t max_id_ = 0;
  bool loaded_ = false;
};

}  // namespace vigil::sqlite

#endif  // VIGIL_STORE_SQLITE_INTERN_MAP_H_
