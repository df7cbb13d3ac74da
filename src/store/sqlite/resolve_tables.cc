// SqliteStore: identifier resolution's saved state (schema version 7), named
// sections of bytes stored as parts of at most kPartBytes each, because one
// SQLite blob is limited to about 1 GB and a section of a large store can be
// larger.
#include <algorithm>
#include <string>

#include "store/sqlite/sqlite_store.h"

namespace vigil::sqlite {
namespace {

constexpr size_t kPartBytes = size_t{64} << 20;
constexpr char kClearState[] = "DELETE FROM resolve_state";
constexpr char kPutPart[] = "INSERT INTO resolve_state(name, part, data) VALUES (?1, ?2, ?3)";
constexpr char kGetParts[] = "SELECT data FROM resolve_state WHERE name = ?1 ORDER BY part";

// Writes one section as consecutive parts. REQUIRES: inside a write
// transaction.
Status PutSection(SqliteStore& store, const std::string& name, std::string_view bytes) {
  VIGIL_ASSIGN_OR_RETURN(Stmt * put, store.Cached(kPutPart));
  size_t offset = 0;
  int64_t part = 0;
  do {
    const size_t size = std::min(kPartBytes, bytes.size() - offset);
    put->BindText(1, name);
    put->BindInt(2, part++);
    if (size == 0) {
      sqlite3_bind_zeroblob(put->get(), 3, 0);  // NOT NULL: an empty section
    } else {
      put->BindBlobStatic(3, bytes.substr(offset, size));
    }
    VIGIL_RETURN_IF_ERROR(put->Run());
    offset += size;
  } while (offset < bytes.size());
  return Status::Ok();
}

}  // namespace

Status SqliteStore::PutResolveState(
    const std::vector<std::pair<std::string, std::string_view>>& sections) {
  return InWriteTransaction([&]() -> Status {
    VIGIL_ASSIGN_OR_RETURN(Stmt * clear, Cached(kClearState));
    VIGIL_RETURN_IF_ERROR(clear->Run());
    for (const auto& [name, bytes] : sections) {
      VIGIL_RETURN_IF_ERROR(PutSection(*this, name, bytes));
    }
    return Status::Ok();
  });
}

Result<std::optional<std::string>> SqliteStore::GetResolveState(std::string_view name) {
  VIGIL_ASSIGN_OR_RETURN(Stmt stmt, Prepare(db(), kGetParts));
  stmt.BindText(1, name);
  std::optional<std::string> section;
  while (true) {
    VIGIL_ASSIGN_OR_RETURN(bool has_row, stmt.Step());
    if (!has_row) return section;
    const auto* bytes = static_cast<const char*>(sqlite3_column_blob(stmt.get(), 0));
    const int size = sqlite3_column_bytes(stmt.get(), 0);
    if (!section) section.emplace();
    if (bytes != nullptr) section->append(bytes, static_cast<size_t>(size));
  }
}

}  // namespace vigil::sqlite
