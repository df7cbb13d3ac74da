// The SQLite store's schema: identity of a Vigil store file and the ordered
// list of migrations that build the current schema.
#ifndef VIGIL_STORE_SQLITE_SCHEMA_H_
#define VIGIL_STORE_SQLITE_SCHEMA_H_

#include <cstdint>
#include <span>

namespace vigil::sqlite {

// PRAGMA application_id of every Vigil store ("VGL1" in ASCII). A file with
// another non-zero id, or with tables but id 0, is not a Vigil store.
inline constexpr int32_t kApplicationId = 0x56474C31;

// One step of the schema. Migration N turns a version N-1 file into a version
// N file; PRAGMA user_version holds the version a file is at.
struct Migration {
  int version;
  const char* sql;
};

// Every migration, in order; the last one's version is the current version.
std::span<const Migration> Migrations();

// meta key whose value 'rebuild' (set by migration 5 on a store that held
// comms) makes SqliteStore::Open rebuild the comm postings.
inline constexpr char kPostingsRebuildKey[] = "comm_postings";

}  // namespace vigil::sqlite

#endif  // VIGIL_STORE_SQLITE_SCHEMA_H_
