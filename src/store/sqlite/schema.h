// The SQLite store's schema: identity of a Vigil store file, the ordered list
// of migrations that build the current schema, and the DDL of the indexes the
// writer may drop and rebuild during a bulk load.
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

// The comms indexes, which a large load drops and recreates within its
// transaction (see SqliteWriter). Kept here so both paths use one definition.
struct IndexDef {
  const char* name;
  const char* create_sql;
};
std::span<const IndexDef> CommsIndexes();

}  // namespace vigil::sqlite

#endif  // VIGIL_STORE_SQLITE_SCHEMA_H_
