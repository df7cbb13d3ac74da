// RAII wrappers around the SQLite C API used by the SQLite store: an owned
// connection (Db), an owned prepared statement (Stmt), and helpers that turn
// SQLite result codes into Status values.
//
// Thread-safety: a Db and its Stmts belong to one thread at a time (the
// connection is opened with SQLITE_OPEN_NOMUTEX).
#ifndef VIGIL_STORE_SQLITE_SQLITE_HANDLE_H_
#define VIGIL_STORE_SQLITE_SQLITE_HANDLE_H_

#include <sqlite3.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "vigil/status.h"

namespace vigil::sqlite {

struct DbCloser {
  void operator()(sqlite3* db) const { sqlite3_close_v2(db); }
};
struct StmtFinalizer {
  void operator()(sqlite3_stmt* stmt) const { sqlite3_finalize(stmt); }
};
using DbPtr = std::unique_ptr<sqlite3, DbCloser>;
using StmtPtr = std::unique_ptr<sqlite3_stmt, StmtFinalizer>;

// Maps a failed SQLite call to a Status: SQLITE_CORRUPT/NOTADB to Corruption,
// constraint failures to InvalidArgument, everything else to IOError. The
// message is "<what>: <sqlite message>".
Status ErrorStatus(sqlite3* db, int rc, std::string_view what);

// A prepared statement. Bind* take 1-based parameter indexes; text is copied
// by SQLite (SQLITE_TRANSIENT) unless BindTextStatic is used, whose bytes must
// outlive the next Step/Reset.
class Stmt {
 public:
  Stmt() = default;
  Stmt(sqlite3* db, StmtPtr stmt) : db_(db), stmt_(std::move(stmt)) {}

  bool valid() const { return stmt_ != nullptr; }
  sqlite3_stmt* get() const { return stmt_.get(); }

  void BindInt(int index, int64_t value) { sqlite3_bind_int64(get(), index, value); }
  void BindDouble(int index, double value) { sqlite3_bind_double(get(), index, value); }
  void BindNull(int index) { sqlite3_bind_null(get(), index); }
  void BindText(int index, std::string_view text);
  // Binds NULL for an empty string, the text otherwise.
  void BindTextOrNull(int index, std::string_view text);
  void BindTextStatic(int index, std::string_view text);
  void BindOptionalInt(int index, const std::optional<int64_t>& value);
  // Binds `bytes` as a BLOB without copying; they must outlive the next
  // Step/Reset.
  void BindBlobStatic(int index, std::string_view bytes);

  // Runs one step. Returns true with a row, false when done.
  // Failures come back as a Status (see ErrorStatus); the statement is reset.
  Result<bool> Step();
  // Runs a statement that returns no rows, then resets it for reuse.
  Status Run();
  // Resets for reuse and clears bindings.
  void Reset();

  bool IsNull(int col) const { return sqlite3_column_type(get(), col) == SQLITE_NULL; }
  int64_t ColumnInt(int col) const { return sqlite3_column_int64(get(), col); }
  double ColumnDouble(int col) const { return sqlite3_column_double(get(), col); }
  std::optional<int64_t> ColumnOptionalInt(int col) const;
  // Empty for NULL. The view is valid until the next Step/Reset.
  std::string_view ColumnText(int col) const;
  // The bytes of a BLOB column (empty for NULL); valid until the next
  // Step/Reset.
  std::string_view ColumnBlob(int col) const;

 private:
  sqlite3* db_ = nullptr;  // not owned
  StmtPtr stmt_;
};

// Prepares `sql` on `db`. IOError (naming the SQL) on failure.
// `persistent` hints SQLite that the statement will be reused many times.
Result<Stmt> Prepare(sqlite3* db, std::string_view sql, bool persistent = false);

// Executes one or more statements that return no rows.
Status Exec(sqlite3* db, const std::string& sql);

// Runs a single-value query ("PRAGMA user_version", "SELECT count(*) ...").
// NotFound when it returns no row.
Result<int64_t> QueryInt(sqlite3* db, std::string_view sql);
Result<std::string> QueryText(sqlite3* db, std::string_view sql);

}  // namespace vigil::sqlite

#endif  // VIGIL_STORE_SQLITE_SQLITE_HANDLE_H_
