#include "store/sqlite/sqlite_handle.h"

#include <string>

namespace vigil::sqlite {

Status ErrorStatus(sqlite3* db, int rc, std::string_view what) {
  std::string message(what);
  message += ": ";
  message += db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
  switch (rc & 0xff) {
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      return Status::Corruption(std::move(message));
    case SQLITE_CONSTRAINT:
      return Status::InvalidArgument(std::move(message));
    default:
      return Status::IOError(std::move(message));
  }
}

void Stmt::BindText(int index, std::string_view text) {
  sqlite3_bind_text(get(), index, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT);
}

void Stmt::BindTextOrNull(int index, std::string_view text) {
  if (text.empty()) {
    BindNull(index);
  } else {
    BindText(index, text);
  }
}

void Stmt::BindTextStatic(int index, std::string_view text) {
  sqlite3_bind_text(get(), index, text.data(), static_cast<int>(text.size()), SQLITE_STATIC);
}

void Stmt::BindBlobStatic(int index, std::string_view bytes) {
  sqlite3_bind_blob(get(), index, bytes.data(), static_cast<int>(bytes.size()), SQLITE_STATIC);
}

void Stmt::BindOptionalInt(int index, const std::optional<int64_t>& value) {
  if (value.has_value()) {
    BindInt(index, *value);
  } else {
    BindNull(index);
  }
}

Result<bool> Stmt::Step() {
  const int rc = sqlite3_step(get());
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  Status status = ErrorStatus(db_, rc, "sqlite step");
  sqlite3_reset(get());
  return status;
}

Status Stmt::Run() {
  Result<bool> row = Step();
  Reset();
  return row.status();
}

void Stmt::Reset() {
  sqlite3_reset(get());
  sqlite3_clear_bindings(get());
}

std::optional<int64_t> Stmt::ColumnOptionalInt(int col) const {
  if (IsNull(col)) return std::nullopt;
  return ColumnInt(col);
}

std::string_view Stmt::ColumnText(int col) const {
  const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(get(), col));
  if (text == nullptr) return {};
  return std::string_view(text, static_cast<size_t>(sqlite3_column_bytes(get(), col)));
}

std::string_view Stmt::ColumnBlob(int col) const {
  const void* bytes = sqlite3_column_blob(get(), col);
  if (bytes == nullptr) return {};
  return std::string_view(static_cast<const char*>(bytes),
                          static_cast<size_t>(sqlite3_column_bytes(get(), col)));
}

Result<Stmt> Prepare(sqlite3* db, std::string_view sql, bool persistent) {
  sqlite3_stmt* raw = nullptr;
  const unsigned flags = persistent ? SQLITE_PREPARE_PERSISTENT : 0;
  const int rc =
      sqlite3_prepare_v3(db, sql.data(), static_cast<int>(sql.size()), flags, &raw, nullptr);
  StmtPtr stmt(raw);
  if (rc != SQLITE_OK) {
    return ErrorStatus(db, rc, "preparing \"" + std::string(sql) + "\"");
  }
  return Stmt(db, std::move(stmt));
}

Status Exec(sqlite3* db, const std::string& sql) {
  const int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr);
  if (rc != SQLITE_OK) return ErrorStatus(db, rc, "executing \"" + sql + "\"");
  return Status::Ok();
}

Result<int64_t> QueryInt(sqlite3* db, std::string_view sql) {
  VIGIL_ASSIGN_OR_RETURN(Stmt stmt, Prepare(db, sql));
  VIGIL_ASSIGN_OR_RETURN(bool has_row, stmt.Step());
  if (!has_row) return Status::NotFound("no row from \"" + std::string(sql) + "\"");
  return stmt.ColumnInt(0);
}

Result<std::string> QueryText(sqlite3* db, std::string_view sql) {
  VIGIL_ASSIGN_OR_RETURN(Stmt stmt, Prepare(db, sql));
  VIGIL_ASSIGN_OR_RETURN(bool has_row, stmt.Step());
  if (!has_row) return Status::NotFound("no row from \"" + std::string(sql) + "\"");
  return std::string(stmt.ColumnText(0));
}

}  // namespace vigil::sqlite
