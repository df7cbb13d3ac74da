// SqliteStore: opening, schema migration, interning and every read.
#include "store/sqlite/sqlite_store.h"
#include "store/sqlite/rows.h"

#include <algorithm>
#include <cstdio>
#include <limits>
#include <string>
#include <utility>

#include "store/sqlite/codec.h"
#include "store/sqlite/schema.h"

namespace vigil {

int CurrentSchemaVersion() { return sqlite::Migrations().back().version; }

Result<std::unique_ptr<Store>> OpenSqliteStore(const std::string& path,
                                               const StoreOptions& options) {
  VIGIL_ASSIGN_OR_RETURN(std::unique_ptr<sqlite::SqliteStore> store,
                         sqlite::SqliteStore::Open(path, options));
  return std::unique_ptr<Store>(std::move(store));
}

namespace sqlite {
namespace {

constexpr int64_t kNoTimeLimitLow = std::numeric_limits<int64_t>::min();
constexpr int64_t kNoTimeLimitHigh = std::numeric_limits<int64_t>::max();

// ---- Statements ------------------------------------------------------------

constexpr char kLoadSelectors[] = "SELECT id, selector FROM selectors";
constexpr char kInsertSelector[] = "INSERT INTO selectors(id, selector, kind) VALUES (?1, ?2, ?3)";
constexpr char kLoadCells[] = "SELECT id, name FROM cells";
constexpr char kInsertCell[] = "INSERT INTO cells(id, name) VALUES (?1, ?2)";
constexpr char kPersonExists[] = "SELECT 1 FROM persons WHERE person_id = ?1";

constexpr char kPersonColumns[] =
    "SELECT person_id, name, aliases, birth_date, nationality, status, compartment, "
    "legal_basis, review_by, attrs FROM persons";
constexpr char kGetPerson[] =
    "SELECT person_id, name, aliases, birth_date, nationality, status, compartment, "
    "legal_basis, review_by, attrs FROM persons WHERE person_id = ?1";

constexpr char kAttributionColumns[] =
    "SELECT s.selector, a.person_id, a.confidence, a.evidence, a.state, a.decided_by, "
    "a.decided_at FROM attributions a JOIN selectors s ON s.id = a.selector_id";
constexpr char kAttributionsOfPerson[] =
    "SELECT s.selector, a.person_id, a.confidence, a.evidence, a.state, a.decided_by, "
    "a.decided_at FROM attributions a JOIN selectors s ON s.id = a.selector_id "
    "WHERE a.person_id = ?1 ORDER BY s.selector";
constexpr char kAttributionsOfSelector[] =
    "SELECT s.selector, a.person_id, a.confidence, a.evidence, a.state, a.decided_by, "
    "a.decided_at FROM attributions a JOIN selectors s ON s.id = a.selector_id "
    "WHERE s.selector = ?1 ORDER BY a.person_id";
constexpr char kUpsertAttribution[] =
    "INSERT INTO attributions(selector_id, person_id, confidence, evidence, state, "
    "decided_by, decided_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) "
    "ON CONFLICT(selector_id, person_id) DO UPDATE SET confidence = excluded.confidence, "
    "evidence = excluded.evidence, state = excluded.state, decided_by = excluded.decided_by, "
    "decided_at = excluded.decided_at";

// A proposal never replaces a decision already held for the pair.
constexpr char kInsertProposal[] =
    "INSERT INTO attributions(selector_id, person_id, confidence, evidence, state) "
    "VALUES (?1, ?2, ?3, ?4, 0) ON CONFLICT(selector_id, person_id) DO NOTHING";

constexpr char kUpsertWatchlistMatch[] =
    "INSERT INTO watchlist_matches(source_kind, source_id, entry_id, score, explanation, "
    "seen_at, screened_at, retroactive) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) "
    "ON CONFLICT(source_kind, source_id, entry_id) DO UPDATE SET score = excluded.score, "
    "explanation = excluded.explanation, seen_at = excluded.seen_at, "
    "screened_at = excluded.screened_at, retroactive = excluded.retroactive";
constexpr char kInsertScreeningMark[] =
    "INSERT OR IGNORE INTO screening_marks(kind, id) VALUES (?1, ?2)";

constexpr char kGetSelectorRecord[] =
    "SELECT s.selector, r.first_seen, r.last_seen, r.source, r.attrs, "
    "(SELECT a.person_id FROM attributions a WHERE a.selector_id = s.id AND a.state = 3 "
    " ORDER BY a.person_id LIMIT 1) "
    "FROM selector_records r JOIN selectors s ON s.id = r.selector_id WHERE s.selector = ?1";

constexpr char kCustodyColumns[] = "SELECT person_id, facility, start, end, attrs FROM custody";
constexpr char kCustodyOf[] =
    "SELECT person_id, facility, start, end, attrs FROM custody WHERE person_id = ?1 "
    "ORDER BY start, facility";

constexpr char kReportColumns[] =
    "SELECT report_id, time, person_id, name, source, category, text, attrs FROM reports";
constexpr char kReportsAbout[] =
    "SELECT report_id, time, person_id, name, source, category, text, attrs FROM reports "
    "WHERE person_id = ?1 ORDER BY time, report_id";

constexpr char kTravelColumns[] =
    "SELECT t.record_id, t.time, t.name, t.birth_date, s.selector, t.nationality, t.origin, "
    "t.destination, t.carrier, t.attrs FROM travel t LEFT JOIN selectors s ON s.id = t.document";
constexpr char kTravelByDocuments[] =
    "SELECT t.record_id, t.time, t.name, t.birth_date, s.selector, t.nationality, t.origin, "
    "t.destination, t.carrier, t.attrs FROM travel t JOIN selectors s ON s.id = t.document "
    "WHERE t.document IN (SELECT id FROM selectors WHERE selector IN "
    "(SELECT value FROM json_each(?1))) ORDER BY t.time, t.record_id";

constexpr char kGetTravel[] =
    "SELECT t.record_id, t.time, t.name, t.birth_date, s.selector, t.nationality, t.origin, "
    "t.destination, t.carrier, t.attrs FROM travel t LEFT JOIN selectors s ON s.id = t.document "
    "WHERE t.record_id = ?1";
constexpr char kGetReport[] =
    "SELECT report_id, time, person_id, name, source, category, text, attrs FROM reports "
    "WHERE report_id = ?1";

constexpr char kWatchlistColumns[] =
    "SELECT entry_id, list, name, aliases, birth_date, nationality, reason, valid_until, "
    "handling, attrs FROM watchlist";
constexpr char kGetWatchlistEntry[] =
    "SELECT entry_id, list, name, aliases, birth_date, nationality, reason, valid_until, "
    "handling, attrs FROM watchlist WHERE entry_id = ?1";

constexpr char kIngestedFiles[] =
    "SELECT content_hash, path, kind, size_bytes, rows, committed_at FROM ingested_files "
    "ORDER BY seq";

// ScanComms of selectors: each selector's id, its postings in the window
// (postings.h), then each comm by rowid.
constexpr char kSelectorId[] = "SELECT id FROM selectors WHERE selector = ?1";
constexpr char kCommByRowid[] =
    "SELECT c.time, s.selector, d.selector, c.kind, c.duration_s, v.selector, l.name, c.attrs "
    "FROM comms c JOIN selectors s ON s.id = c.src JOIN selectors d ON d.id = c.dst "
    "LEFT JOIN selectors v ON v.id = c.device LEFT JOIN cells l ON l.id = c.cell "
    "WHERE c.rowid = ?1";
constexpr char kCommsInWindow[] =
    "SELECT c.time, s.selector, d.selector, c.kind, c.duration_s, v.selector, l.name, c.attrs "
    "FROM comms c JOIN selectors s ON s.id = c.src JOIN selectors d ON d.id = c.dst "
    "LEFT JOIN selectors v ON v.id = c.device LEFT JOIN cells l ON l.id = c.cell "
    "WHERE c.time >= ?2 AND c.time < ?3 ORDER BY c.rowid";

// ---- Row decoding ----------------------------------------------------------

std::string Text(const Stmt& stmt, int col) { return std::string(stmt.ColumnText(col)); }

Result<Person> ReadPerson(const Stmt& stmt) {
  Person person;
  person.person_id = Text(stmt, 0);
  person.name = Text(stmt, 1);
  VIGIL_ASSIGN_OR_RETURN(person.aliases, DecodeStringList(stmt.ColumnText(2)));
  person.birth_date = Text(stmt, 3);
  person.nationality = Text(stmt, 4);
  VIGIL_RETURN_IF_ERROR(CheckEnumCode(stmt.ColumnInt(5), kMaxPersonStatus, "persons.status"));
  person.status = static_cast<PersonStatus>(stmt.ColumnInt(5));
  person.compartment = Text(stmt, 6);
  person.legal_basis = Text(stmt, 7);
  person.review_by = Text(stmt, 8);
  VIGIL_ASSIGN_OR_RETURN(person.attributes, DecodeAttributes(stmt.ColumnText(9)));
  return person;
}

Result<Attribution> ReadAttribution(const Stmt& stmt) {
  Attribution attribution;
  attribution.selector = Text(stmt, 0);
  attribution.person_id = Text(stmt, 1);
  attribution.confidence = stmt.ColumnDouble(2);
  attribution.evidence = Text(stmt, 3);
  VIGIL_RETURN_IF_ERROR(
      CheckEnumCode(stmt.ColumnInt(4), kMaxAttributionState, "attributions.state"));
  attribution.state = static_cast<AttributionState>(stmt.ColumnInt(4));
  attribution.decided_by = Text(stmt, 5);
  attribution.decided_at = stmt.ColumnOptionalInt(6);
  return attribution;
}

Result<CustodyRecord> ReadCustody(const Stmt& stmt) {
  CustodyRecord custody;
  custody.person_id = Text(stmt, 0);
  custody.facility = Text(stmt, 1);
  custody.start = Text(stmt, 2);
  custody.end = Text(stmt, 3);
  VIGIL_ASSIGN_OR_RETURN(custody.attributes, DecodeAttributes(stmt.ColumnText(4)));
  return custody;
}

Result<Report> ReadReport(const Stmt& stmt) {
  Report report;
  report.report_id = Text(stmt, 0);
  report.time = stmt.ColumnInt(1);
  report.person_id = Text(stmt, 2);
  report.name = Text(stmt, 3);
  report.source = Text(stmt, 4);
  VIGIL_RETURN_IF_ERROR(CheckEnumCode(stmt.ColumnInt(5), kMaxReportCategory, "reports.category"));
  report.category = static_cast<ReportCategory>(stmt.ColumnInt(5));
  report.text = Text(stmt, 6);
  VIGIL_ASSIGN_OR_RETURN(report.attributes, DecodeAttributes(stmt.ColumnText(7)));
  return report;
}

Result<WatchlistEntry> ReadWatchlist(const Stmt& stmt) {
  WatchlistEntry entry;
  entry.entry_id = Text(stmt, 0);
  entry.list = Text(stmt, 1);
  entry.name = Text(stmt, 2);
  VIGIL_ASSIGN_OR_RETURN(entry.aliases, DecodeStringList(stmt.ColumnText(3)));
  entry.birth_date = Text(stmt, 4);
  entry.nationality = Text(stmt, 5);
  entry.reason = Text(stmt, 6);
  entry.valid_until = Text(stmt, 7);
  VIGIL_RETURN_IF_ERROR(CheckEnumCode(stmt.ColumnInt(8), kMaxHandling, "watchlist.handling"));
  entry.handling = static_cast<Handling>(stmt.ColumnInt(8));
  VIGIL_ASSIGN_OR_RETURN(entry.attributes, DecodeAttributes(stmt.ColumnText(9)));
  return entry;
}

Result<Communication> ReadComm(const Stmt& stmt) {
  Communication comm;
  comm.time = stmt.ColumnInt(0);
  comm.src = Text(stmt, 1);
  comm.dst = Text(stmt, 2);
  VIGIL_RETURN_IF_ERROR(CheckEnumCode(stmt.ColumnInt(3), kMaxCommKind, "comms.kind"));
  comm.kind = static_cast<CommKind>(stmt.ColumnInt(3));
  comm.duration_s = stmt.ColumnOptionalInt(4);
  comm.device = Text(stmt, 5);
  comm.cell = Text(stmt, 6);
  VIGIL_ASSIGN_OR_RETURN(comm.attributes, DecodeAttributes(stmt.ColumnText(7)));
  return comm;
}

// Steps `stmt` to the end, decoding each row with `read` into `out`.
template <typename T, typename Reader>
Status CollectRows(Stmt& stmt, Reader read, std::vector<T>* out) {
  while (true) {
    VIGIL_ASSIGN_OR_RETURN(bool has_row, stmt.Step());
    if (!has_row) return Status::Ok();
    VIGIL_ASSIGN_OR_RETURN(T row, read(stmt));
    out->push_back(std::move(row));
  }
}

// Runs `sql` (no parameters) and hands each decoded row to `fn` until it
// returns false.
template <typename T, typename Reader>
Status ScanRows(sqlite3* db, const char* sql, Reader read,
                const std::function<bool(const T&)>& fn) {
  VIGIL_ASSIGN_OR_RETURN(Stmt stmt, Prepare(db, sql));
  while (true) {
    VIGIL_ASSIGN_OR_RETURN(bool has_row, stmt.Step());
    if (!has_row) return Status::Ok();
    VIGIL_ASSIGN_OR_RETURN(T row, read(stmt));
    if (!fn(row)) return Status::Ok();
  }
}

// ---- Opening ---------------------------------------------------------------

enum class FileState { kFresh, kVigil };

Status NotVigil(const std::string& path, const std::string& why) {
  return Status::Corruption("'" + path + "' is not a Vigil store: " + why);
}

// Decides whether the open file is empty (to be created), a Vigil store this
// build can read, or something else (refused).
Result<FileState> InspectFile(sqlite3* db, const std::string& path) {
  Result<int64_t> application_id = QueryInt(db, "PRAGMA application_id");
  if (!application_id.ok()) {
    if (application_id.status().code() == Status::Code::kCorruption) {
      return NotVigil(path, application_id.status().message());
    }
    return application_id.status();
  }
  if (*application_id == kApplicationId) {
    VIGIL_ASSIGN_OR_RETURN(int64_t version, QueryInt(db, "PRAGMA user_version"));
    if (version > CurrentSchemaVersion()) {
      return Status::Corruption("store '" + path + "' has schema version " +
                                std::to_string(version) + ", newer than this build's " +
                                std::to_string(CurrentSchemaVersion()) +
                                "; open it with a newer Vigil");
    }
    return FileState::kVigil;
  }
  if (*application_id != 0) {
    return NotVigil(path, "SQLite application_id " + std::to_string(*application_id));
  }
  VIGIL_ASSIGN_OR_RETURN(int64_t objects, QueryInt(db, "SELECT count(*) FROM sqlite_schema"));
  if (objects != 0) return NotVigil(path, "an SQLite database of another application");
  return FileState::kFresh;
}

}  // namespace

Result<TravelRecord> ReadTravel(const Stmt& stmt) {
  TravelRecord travel;
  travel.record_id = Text(stmt, 0);
  travel.time = stmt.ColumnInt(1);
  travel.name = Text(stmt, 2);
  travel.birth_date = Text(stmt, 3);
  travel.document = Text(stmt, 4);
  travel.nationality = Text(stmt, 5);
  travel.origin = Text(stmt, 6);
  travel.destination = Text(stmt, 7);
  travel.carrier = Text(stmt, 8);
  VIGIL_ASSIGN_OR_RETURN(travel.attributes, DecodeAttributes(stmt.ColumnText(9)));
  return travel;
}

Result<std::unique_ptr<SqliteStore>> SqliteStore::Open(const std::string& path,
                                                       const StoreOptions& options) {
  int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX;
  if (options.create_if_missing) flags |= SQLITE_OPEN_CREATE;
  sqlite3* raw = nullptr;
  const int rc = sqlite3_open_v2(path.c_str(), &raw, flags, nullptr);
  DbPtr db(raw);
  if (rc != SQLITE_OK) {
    return Status::IOError("cannot open store '" + path +
                           "': " + (raw != nullptr ? sqlite3_errmsg(raw) : sqlite3_errstr(rc)));
  }
  sqlite3_busy_timeout(db.get(), kBusyTimeoutMs);
  VIGIL_ASSIGN_OR_RETURN(FileState state, InspectFile(db.get(), path));
  auto store = std::make_unique<SqliteStore>(PassKey{}, std::move(db), path);
  VIGIL_RETURN_IF_ERROR(store->Configure(options, state == FileState::kFresh));
  VIGIL_RETURN_IF_ERROR(store->Migrate());
  VIGIL_RETURN_IF_ERROR(store->RebuildPostingsIfMarked());
  return store;
}

Status SqliteStore::Configure(const StoreOptions& options, bool fresh) {
  sqlite3* handle = db();
  if (fresh) {
    VIGIL_RETURN_IF_ERROR(Exec(handle, "PRAGMA page_size = " + std::to_string(kPageSizeBytes)));
  }
  VIGIL_ASSIGN_OR_RETURN(std::string mode, QueryText(handle, "PRAGMA journal_mode = WAL"));
  if (mode != "wal") {
    return Status::IOError("store '" + path_ + "' cannot use WAL (journal_mode " + mode + ")");
  }
  const int64_t cache_kib = static_cast<int64_t>(options.cache_mib) * kKibPerMib;
  return Exec(handle,
              "PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON; PRAGMA secure_delete = ON; "
              "PRAGMA threads = " +
                  std::to_string(kSorterThreads) +
                  "; "
                  "PRAGMA cache_size = -" +
                  std::to_string(cache_kib) + ";");
}

Status SqliteStore::Migrate() {
  VIGIL_RETURN_IF_ERROR(Exec(db(), "BEGIN IMMEDIATE"));
  auto apply = [&]() -> Status {
    // Re-read under the write lock: another process may have migrated.
    VIGIL_ASSIGN_OR_RETURN(int64_t version, QueryInt(db(), "PRAGMA user_version"));
    if (version >= CurrentSchemaVersion()) return Status::Ok();
    for (const Migration& migration : Migrations()) {
      if (migration.version <= version) continue;
      VIGIL_RETURN_IF_ERROR(Exec(db(), migration.sql));
    }
    return Exec(db(), "PRAGMA user_version = " + std::to_string(CurrentSchemaVersion()) +
                          "; PRAGMA application_id = " + std::to_string(kApplicationId) + ";");
  };
  Status status = apply();
  if (!status.ok()) {
    Exec(db(), "ROLLBACK");
    return Status(status);
  }
  return Exec(db(), "COMMIT");
}

Status SqliteStore::RebuildPostingsIfMarked() {
  const std::string mark_sql =
      std::string("SELECT value FROM meta WHERE key = '") + kPostingsRebuildKey + "'";
  Result<std::string> mark = QueryText(db(), mark_sql);
  if (!mark.ok()) return mark.status().IsNotFound() ? Status::Ok() : mark.status();
  VIGIL_RETURN_IF_ERROR(Exec(db(), "BEGIN IMMEDIATE"));
  auto rebuild = [&]() -> Status {
    // Re-read under the write lock: another process may have rebuilt them.
    Result<std::string> still = QueryText(db(), mark_sql);
    if (!still.ok()) return still.status().IsNotFound() ? Status::Ok() : still.status();
    VIGIL_RETURN_IF_ERROR(RebuildAllPostings(db()));
    return Exec(db(), std::string("DELETE FROM meta WHERE key = '") + kPostingsRebuildKey + "'");
  };
  Status status = rebuild();
  if (!status.ok()) {
    Exec(db(), "ROLLBACK");
    return status;
  }
  return Exec(db(), "COMMIT");
}

// ---- Caches ----------------------------------------------------------------

Result<Stmt*> SqliteStore::Cached(const char* sql) {
  auto found = statements_.find(sql);
  if (found != statements_.end()) return &found->second;
  VIGIL_ASSIGN_OR_RETURN(Stmt stmt, Prepare(db(), sql, /*persistent=*/true));
  return &statements_.emplace(sql, std::move(stmt)).first->second;
}

void SqliteStore::ClearCaches() {
  selectors_.Clear();
  cells_.Clear();
}

Status SqliteStore::LoadInternMap(InternMap& map, const char* load_sql) {
  VIGIL_ASSIGN_OR_RETURN(Stmt stmt, Prepare(db(), load_sql));
  while (true) {
    VIGIL_ASSIGN_OR_RETURN(bool has_row, stmt.Step());
    if (!has_row) break;
    map.Add(stmt.ColumnText(1), stmt.ColumnInt(0));
  }
  map.MarkLoaded();
  return Status::Ok();
}

Status SqliteStore::LoadInternMaps() {
  if (!selectors_.loaded()) VIGIL_RETURN_IF_ERROR(LoadInternMap(selectors_, kLoadSelectors));
  if (!cells_.loaded()) VIGIL_RETURN_IF_ERROR(LoadInternMap(cells_, kLoadCells));
  return Status::Ok();
}

int64_t SqliteStore::Resolve(InternMap& map, const InternMap::Hash& hash, bool* fresh) {
  if (std::optional<int64_t> id = map.Find(hash)) {
    *fresh = false;
    return *id;
  }
  const int64_t id = map.NextId();
  map.Add(hash, id);
  *fresh = true;
  return id;
}

Status SqliteStore::InsertSelectorRow(int64_t id, std::string_view selector) {
  VIGIL_ASSIGN_OR_RETURN(Stmt * insert, Cached(kInsertSelector));
  insert->BindInt(1, id);
  insert->BindTextStatic(2, selector);
  if (std::optional<SelectorKind> kind = SelectorKindOfPrefix(selector)) {
    insert->BindInt(3, static_cast<int64_t>(*kind));
  }
  return insert->Run();
}

Status SqliteStore::InsertCellRow(int64_t id, std::string_view cell) {
  VIGIL_ASSIGN_OR_RETURN(Stmt * insert, Cached(kInsertCell));
  insert->BindInt(1, id);
  insert->BindTextStatic(2, cell);
  return insert->Run();
}

// A failed row insert leaves the map ahead of the file; forgetting the map
// makes the next use reload it from the file.
Result<int64_t> SqliteStore::InternSelector(std::string_view selector) {
  VIGIL_RETURN_IF_ERROR(LoadInternMaps());
  bool fresh = false;
  const int64_t id = ResolveSelector(selector, &fresh);
  if (!fresh) return id;
  Status status = InsertSelectorRow(id, selector);
  if (!status.ok()) {
    ClearCaches();
    return status;
  }
  return id;
}

Result<int64_t> SqliteStore::InternCell(std::string_view cell) {
  VIGIL_RETURN_IF_ERROR(LoadInternMaps());
  bool fresh = false;
  const int64_t id = ResolveCell(cell, &fresh);
  if (!fresh) return id;
  Status status = InsertCellRow(id, cell);
  if (!status.ok()) {
    ClearCaches();
    return status;
  }
  return id;
}

Status SqliteStore::BeginWrite() {
  if (writer_open_) {
    return Status::InvalidArgument("a StoreWriter of this store is still open");
  }
  VIGIL_RETURN_IF_ERROR(Exec(db(), "BEGIN IMMEDIATE"));
  // data_version changes when another connection commits; then the intern
  // maps may miss rows (and their next ids may be taken).
  Result<int64_t> version = QueryInt(db(), "PRAGMA data_version");
  if (!version.ok()) {
    Exec(db(), "ROLLBACK");
    return version.status();
  }
  if (*version != cached_data_version_) {
    ClearCaches();
    cached_data_version_ = *version;
  }
  return Status::Ok();
}

Status SqliteStore::EndWrite(bool commit) {
  if (commit) {
    Status status = commit_hook_ ? commit_hook_() : Status::Ok();
    if (status.ok()) status = Exec(db(), "COMMIT");
    if (status.ok()) return status;
    if (sqlite3_get_autocommit(db()) == 0) Exec(db(), "ROLLBACK");
    ClearCaches();
    return status;
  }
  if (sqlite3_get_autocommit(db()) == 0) Exec(db(), "ROLLBACK");
  ClearCaches();
  return Status::Ok();
}

Result<bool> SqliteStore::PersonExists(std::string_view person_id) {
  VIGIL_ASSIGN_OR_RETURN(Stmt * stmt, Cached(kPersonExists));
  StmtResetter reset(stmt);
  stmt->BindTextStatic(1, person_id);
  return stmt->Step();
}

// ---- Writing outside a file ------------------------------------------------

Result<std::unique_ptr<StoreWriter>> SqliteStore::BeginIngest(const SourceFile& file) {
  if (file.content_hash.empty()) {
    return Status::InvalidArgument("source file '" + file.path + "' has no content hash");
  }
  VIGIL_RETURN_IF_ERROR(BeginWrite());
  auto already = [&]() -> Result<bool> {
    VIGIL_ASSIGN_OR_RETURN(Stmt stmt,
                           Prepare(db(), "SELECT 1 FROM ingested_files WHERE content_hash = ?1"));
    stmt.BindText(1, file.content_hash);
    return stmt.Step();
  }();
  if (!already.ok() || *already) {
    EndWrite(/*commit=*/false);
    if (!already.ok()) return already.status();
    return Status::AlreadyExists("a file with content hash " + file.content_hash +
                                 " was already ingested ('" + file.path + "')");
  }
  writer_open_ = true;
  return std::unique_ptr<StoreWriter>(std::make_unique<SqliteWriter>(*this, file));
}

Status SqliteStore::PutAttribution(const Attribution& attribution) {
  if (attribution.selector.empty() || attribution.person_id.empty()) {
    return Status::InvalidArgument("an attribution needs a selector and a person_id");
  }
  return InWriteTransaction([&]() -> Status {
    VIGIL_ASSIGN_OR_RETURN(bool exists, PersonExists(attribution.person_id));
    if (!exists) {
      return Status::InvalidArgument("attribution of '" + attribution.selector +
                                     "' names unknown person_id '" + attribution.person_id + "'");
    }
    VIGIL_ASSIGN_OR_RETURN(int64_t selector_id, InternSelector(attribution.selector));
    VIGIL_ASSIGN_OR_RETURN(Stmt * upsert, Cached(kUpsertAttribution));
    upsert->BindInt(1, selector_id);
    upsert->BindTextStatic(2, attribution.person_id);
    upsert->BindDouble(3, attribution.confidence);
    upsert->BindTextOrNull(4, attribution.evidence);
    upsert->BindInt(5, static_cast<int64_t>(attribution.state));
    upsert->BindTextOrNull(6, attribution.decided_by);
    upsert->BindOptionalInt(7, attribution.decided_at);
    return upsert->Run();
  });
}

Result<int64_t> SqliteStore::ReplaceProposedAttributions(
    const std::vector<Attribution>& proposals) {
  for (const Attribution& proposal : proposals) {
    if (proposal.state != AttributionState::kProposed || proposal.selector.empty() ||
        proposal.person_id.empty()) {
      return Status::InvalidArgument(
          "ReplaceProposedAttributions takes proposed attributions "
          "with a selector and a person_id");
    }
  }
  int64_t stored = 0;
  VIGIL_RETURN_IF_ERROR(InWriteTransaction([&]() -> Status {
    VIGIL_RETURN_IF_ERROR(Exec(db(), "DELETE FROM attributions WHERE state = 0"));
    VIGIL_ASSIGN_OR_RETURN(Stmt * insert, Cached(kInsertProposal));
    for (const Attribution& proposal : proposals) {
      VIGIL_ASSIGN_OR_RETURN(int64_t selector_id, InternSelector(proposal.selector));
      StmtResetter reset(insert);
      insert->BindInt(1, selector_id);
      insert->BindTextStatic(2, proposal.person_id);
      insert->BindDouble(3, proposal.confidence);
      insert->BindTextOrNull(4, proposal.evidence);
      VIGIL_RETURN_IF_ERROR(insert->Run());
      stored += sqlite3_changes(db());
    }
    return Status::Ok();
  }));
  return stored;
}

Status SqliteStore::PutScreeningResults(const std::vector<StoredWatchlistMatch>& matches,
                                        const std::vector<ScreeningMark>& marks) {
  for (const StoredWatchlistMatch& match : matches) {
    if (match.source_kind != InputKind::kTravel && match.source_kind != InputKind::kReports) {
      return Status::InvalidArgument("a watch-list match's source must be travel or reports");
    }
  }
  return InWriteTransaction([&]() -> Status {
    for (const StoredWatchlistMatch& match : matches) {
      VIGIL_ASSIGN_OR_RETURN(Stmt * upsert, Cached(kUpsertWatchlistMatch));
      upsert->BindInt(1, static_cast<int64_t>(match.source_kind));
      upsert->BindText(2, match.source_id);
      upsert->BindText(3, match.entry_id);
      upsert->BindDouble(4, match.score);
      upsert->BindText(5, match.explanation);
      upsert->BindInt(6, match.seen_at);
      upsert->BindInt(7, match.screened_at);
      upsert->BindInt(8, match.retroactive ? 1 : 0);
      VIGIL_RETURN_IF_ERROR(upsert->Run());
    }
    for (const ScreeningMark& mark : marks) {
      VIGIL_ASSIGN_OR_RETURN(Stmt * insert, Cached(kInsertScreeningMark));
      insert->BindInt(1, static_cast<int64_t>(mark.kind));
      insert->BindText(2, mark.id);
      VIGIL_RETURN_IF_ERROR(insert->Run());
    }
    return Status::Ok();
  });
}

// ---- Reading ---------------------------------------------------------------

Result<StoreCounts> SqliteStore::Counts() {
  StoreCounts counts;
  const std::pair<const char*, int64_t*> queries[] = {
      {"SELECT count(*) FROM persons", &counts.persons},
      {"SELECT count(*) FROM selectors", &counts.selectors},
      {"SELECT count(*) FROM attributions", &counts.attributions},
      {"SELECT count(*) FROM comms", &counts.comms},
      {"SELECT count(*) FROM travel", &counts.travel},
      {"SELECT count(*) FROM custody", &counts.custody},
      {"SELECT count(*) FROM reports", &counts.reports},
      {"SELECT count(*) FROM watchlist", &counts.watchlist},
      {"SELECT count(*) FROM ingested_files", &counts.files},
  };
  // One read transaction, so the counts are one snapshot.
  const bool own_transaction = sqlite3_get_autocommit(db()) != 0;
  if (own_transaction) VIGIL_RETURN_IF_ERROR(Exec(db(), "BEGIN"));
  Status status;
  for (const auto& [sql, target] : queries) {
    Result<int64_t> count = QueryInt(db(), sql);
    if (!count.ok()) {
      status = count.status();
      break;
    }
    *target = *count;
  }
  if (own_transaction) Exec(db(), "COMMIT");
  if (!status.ok()) return status;
  return counts;
}

Result<int64_t> SqliteStore::IngestGeneration() {
  return QueryInt(db(), "SELECT coalesce(max(seq), 0) FROM ingested_files");
}

Result<int64_t> SqliteStore::ChangeGeneration() {
  VIGIL_ASSIGN_OR_RETURN(Stmt * stmt, Cached("SELECT value FROM change_generation"));
  StmtResetter reset(stmt);
  VIGIL_ASSIGN_OR_RETURN(bool has_row, stmt->Step());
  if (!has_row) return Status::Corruption("change_generation has no row");
  return stmt->ColumnInt(0);
}

Result<std::vector<IngestedFile>> SqliteStore::IngestedFiles() {
  VIGIL_ASSIGN_OR_RETURN(Stmt stmt, Prepare(db(), kIngestedFiles));
  std::vector<IngestedFile> files;
  auto read = [](const Stmt& row) -> Result<IngestedFile> {
    IngestedFile file;
    file.file.content_hash = Text(row, 0);
    file.file.path = Text(row, 1);
    VIGIL_RETURN_IF_ERROR(CheckEnumCode(row.ColumnInt(2), kMaxInputKind, "ingested_files.kind"));
    file.file.kind = static_cast<InputKind>(row.ColumnInt(2));
    file.file.size_bytes = row.ColumnInt(3);
    file.rows = row.ColumnInt(4);
    file.committed_at = row.ColumnInt(5);
    return file;
  };
  VIGIL_RETURN_IF_ERROR(CollectRows<IngestedFile>(stmt, read, &files));
  return files;
}

Result<Person> SqliteStore::GetPerson(std::string_view person_id) {
  VIGIL_ASSIGN_OR_RETURN(Stmt * stmt, Cached(kGetPerson));
  StmtResetter reset(stmt);
  stmt->BindTextStatic(1, person_id);
  VIGIL_ASSIGN_OR_RETURN(bool has_row, stmt->Step());
  if (!has_row) return Status::NotFound("no person with id '" + std::string(person_id) + "'");
  return ReadPerson(*stmt);
}

Result<std::vector<Attribution>> SqliteStore::AttributionsOfPerson(std::string_view person_id) {
  VIGIL_ASSIGN_OR_RETURN(Stmt * stmt, Cached(kAttributionsOfPerson));
  StmtResetter reset(stmt);
  stmt->BindTextStatic(1, person_id);
  std::vector<Attribution> attributions;
  VIGIL_RETURN_IF_ERROR(CollectRows<Attribution>(*stmt, ReadAttribution, &attributions));
  return attributions;
}

Result<std::vector<Attribution>> SqliteStore::AttributionsOfSelector(std::string_view selector) {
  VIGIL_ASSIGN_OR_RETURN(Stmt * stmt, Cached(kAttributionsOfSelector));
  StmtResetter reset(stmt);
  stmt->BindTextStatic(1, selector);
  std::vector<Attribution> attributions;
  VIGIL_RETURN_IF_ERROR(CollectRows<Attribution>(*stmt, ReadAttribution, &attributions));
  return attributions;
}

Result<SelectorRecord> SqliteStore::GetSelectorRecord(std::string_view selector) {
  VIGIL_ASSIGN_OR_RETURN(Stmt * stmt, Cached(kGetSelectorRecord));
  StmtResetter reset(stmt);
  stmt->BindTextStatic(1, selector);
  VIGIL_ASSIGN_OR_RETURN(bool has_row, stmt->Step());
  if (!has_row) {
    return Status::NotFound("no selectors.csv record of '" + std::string(selector) + "'");
  }
  SelectorRecord record;
  record.selector = Text(*stmt, 0);
  record.first_seen = stmt->ColumnOptionalInt(1);
  record.last_seen = stmt->ColumnOptionalInt(2);
  record.source = Text(*stmt, 3);
  VIGIL_ASSIGN_OR_RETURN(record.attributes, DecodeAttributes(stmt->ColumnText(4)));
  record.person_id = Text(*stmt, 5);
  return record;
}

Result<std::vector<CustodyRecord>> SqliteStore::CustodyOf(std::string_view person_id) {
  VIGIL_ASSIGN_OR_RETURN(Stmt * stmt, Cached(kCustodyOf));
  StmtResetter reset(stmt);
  stmt->BindTextStatic(1, person_id);
  std::vector<CustodyRecord> stays;
  VIGIL_RETURN_IF_ERROR(CollectRows<CustodyRecord>(*stmt, ReadCustody, &stays));
  return stays;
}

Result<std::vector<Report>> SqliteStore::ReportsAbout(std::string_view person_id) {
  VIGIL_ASSIGN_OR_RETURN(Stmt * stmt, Cached(kReportsAbout));
  StmtResetter reset(stmt);
  stmt->BindTextStatic(1, person_id);
  std::vector<Report> reports;
  VIGIL_RETURN_IF_ERROR(CollectRows<Report>(*stmt, ReadReport, &reports));
  return reports;
}

Result<std::vector<TravelRecord>> SqliteStore::TravelByDocuments(
    const std::vector<std::string>& documents) {
  std::vector<TravelRecord> records;
  if (documents.empty()) return records;
  VIGIL_ASSIGN_OR_RETURN(Stmt * stmt, Cached(kTravelByDocuments));
  StmtResetter reset(stmt);
  const std::string wanted = EncodeStringList(documents);
  stmt->BindTextStatic(1, wanted);
  VIGIL_RETURN_IF_ERROR(CollectRows<TravelRecord>(*stmt, ReadTravel, &records));
  return records;
}

Result<WatchlistEntry> SqliteStore::GetWatchlistEntry(std::string_view entry_id) {
  VIGIL_ASSIGN_OR_RETURN(Stmt * stmt, Cached(kGetWatchlistEntry));
  StmtResetter reset(stmt);
  stmt->BindTextStatic(1, entry_id);
  VIGIL_ASSIGN_OR_RETURN(bool has_row, stmt->Step());
  if (!has_row) {
    return Status::NotFound("no watch-list entry with id '" + std::string(entry_id) + "'");
  }
  return ReadWatchlist(*stmt);
}

Result<TravelRecord> SqliteStore::GetTravel(std::string_view record_id) {
  VIGIL_ASSIGN_OR_RETURN(Stmt * stmt, Cached(kGetTravel));
  StmtResetter reset(stmt);
  stmt->BindTextStatic(1, record_id);
  VIGIL_ASSIGN_OR_RETURN(bool has_row, stmt->Step());
  if (!has_row)
    return Status::NotFound("no travel record with id '" + std::string(record_id) + "'");
  return ReadTravel(*stmt);
}

Result<Report> SqliteStore::GetReport(std::string_view report_id) {
  VIGIL_ASSIGN_OR_RETURN(Stmt * stmt, Cached(kGetReport));
  StmtResetter reset(stmt);
  stmt->BindTextStatic(1, report_id);
  VIGIL_ASSIGN_OR_RETURN(bool has_row, stmt->Step());
  if (!has_row) return Status::NotFound("no report with id '" + std::string(report_id) + "'");
  return ReadReport(*stmt);
}

Status SqliteStore::ScanPersons(const std::function<bool(const Person&)>& fn) {
  return ScanRows<Person>(db(), kPersonColumns, ReadPerson, fn);
}

Status SqliteStore::ScanWatchlist(const std::function<bool(const WatchlistEntry&)>& fn) {
  return ScanRows<WatchlistEntry>(db(), kWatchlistColumns, ReadWatchlist, fn);
}

Status SqliteStore::ScanTravel(const std::function<bool(const TravelRecord&)>& fn) {
  return ScanRows<TravelRecord>(db(), kTravelColumns, ReadTravel, fn);
}

Status SqliteStore::ScanReports(const std::function<bool(const Report&)>& fn) {
  return ScanRows<Report>(db(), kReportColumns, ReadReport, fn);
}

Status SqliteStore::ScanCustody(const std::function<bool(const CustodyRecord&)>& fn) {
  return ScanRows<CustodyRecord>(db(), kCustodyColumns, ReadCustody, fn);
}

Status SqliteStore::ScanAttributions(const std::function<bool(const Attribution&)>& fn) {
  return ScanRows<Attribution>(db(), kAttributionColumns, ReadAttribution, fn);
}

Status SqliteStore::ScanSelectors(const std::function<bool(int64_t id, std::string_view)>& fn) {
  VIGIL_ASSIGN_OR_RETURN(Stmt stmt,
                         Prepare(db(), "SELECT id, selector FROM selectors ORDER BY id"));
  while (true) {
    VIGIL_ASSIGN_OR_RETURN(bool has_row, stmt.Step());
    if (!has_row || !fn(stmt.ColumnInt(0), stmt.ColumnText(1))) return Status::Ok();
  }
}

Status SqliteStore::ScanWatchlistMatches(
    const std::function<bool(const StoredWatchlistMatch&)>& fn) {
  VIGIL_ASSIGN_OR_RETURN(
      Stmt stmt, Prepare(db(),
                         "SELECT source_kind, source_id, entry_id, score, explanation, seen_at, "
                         "screened_at, retroactive FROM watchlist_matches "
                         "ORDER BY entry_id, seen_at, source_kind, source_id"));
  StoredWatchlistMatch match;
  while (true) {
    VIGIL_ASSIGN_OR_RETURN(bool has_row, stmt.Step());
    if (!has_row) return Status::Ok();
    match.source_kind = static_cast<InputKind>(stmt.ColumnInt(0));
    match.source_id = std::string(stmt.ColumnText(1));
    match.entry_id = std::string(stmt.ColumnText(2));
    match.score = stmt.ColumnDouble(3);
    match.explanation = std::string(stmt.ColumnText(4));
    match.seen_at = stmt.ColumnInt(5);
    match.screened_at = stmt.ColumnInt(6);
    match.retroactive = stmt.ColumnInt(7) != 0;
    if (!fn(match)) return Status::Ok();
  }
}

Status SqliteStore::ScanScreeningMarks(const std::function<bool(const ScreeningMark&)>& fn) {
  VIGIL_ASSIGN_OR_RETURN(Stmt stmt,
                         Prepare(db(), "SELECT kind, id FROM screening_marks ORDER BY kind, id"));
  ScreeningMark mark;
  while (true) {
    VIGIL_ASSIGN_OR_RETURN(bool has_row, stmt.Step());
    if (!has_row) return Status::Ok();
    mark.kind = static_cast<InputKind>(stmt.ColumnInt(0));
    mark.id = std::string(stmt.ColumnText(1));
    if (!fn(mark)) return Status::Ok();
  }
}

const char* SqliteStore::CommsQuerySql(bool by_selector) {
  return by_selector ? kCommByRowid : kCommsInWindow;
}

// Cost: O(b + p log p + p * log n) for b posting blocks read, p postings in
// the window and n comms; memory O(p).
Status SqliteStore::ScanCommsOfSelectors(const CommQuery& query,
                                         const std::function<bool(const Communication&)>& fn) {
  const UnixTime from = query.from.value_or(kNoTimeLimitLow);
  const UnixTime to = query.to.value_or(kNoTimeLimitHigh);
  VIGIL_ASSIGN_OR_RETURN(Stmt lookup, Prepare(db(), kSelectorId));
  VIGIL_ASSIGN_OR_RETURN(Stmt blocks, Prepare(db(), PostingBlocksSql()));
  std::vector<Posting> postings;
  for (const std::string& selector : query.selectors) {
    lookup.BindTextStatic(1, selector);
    Result<bool> found = lookup.Step();
    const int64_t id = found.ok() && *found ? lookup.ColumnInt(0) : 0;
    lookup.Reset();
    if (!found.ok()) return found.status();
    if (id != 0) VIGIL_RETURN_IF_ERROR(CollectPostings(blocks, id, from, to, &postings));
  }
  // A comm between two wanted selectors is in both lists; it comes once.
  std::sort(postings.begin(), postings.end());
  postings.erase(std::unique(postings.begin(), postings.end()), postings.end());
  VIGIL_ASSIGN_OR_RETURN(Stmt row, Prepare(db(), kCommByRowid));
  for (const Posting& posting : postings) {
    row.BindInt(1, posting.comm);
    VIGIL_ASSIGN_OR_RETURN(bool has_row, row.Step());
    if (!has_row) {
      return Status::Corruption("comm_postings of '" + path_ + "' names comm " +
                                std::to_string(posting.comm) + ", which is not in comms");
    }
    Result<Communication> comm = ReadComm(row);
    row.Reset();
    if (!comm.ok()) return comm.status();
    if (!fn(*comm)) return Status::Ok();
  }
  return Status::Ok();
}

Status SqliteStore::ScanComms(const CommQuery& query,
                              const std::function<bool(const Communication&)>& fn) {
  if (!query.selectors.empty()) {
    // One read transaction, so postings and rows are one snapshot.
    const bool own_transaction = sqlite3_get_autocommit(db()) != 0;
    if (own_transaction) VIGIL_RETURN_IF_ERROR(Exec(db(), "BEGIN"));
    Status status = ScanCommsOfSelectors(query, fn);
    if (own_transaction) Exec(db(), "COMMIT");
    return status;
  }
  VIGIL_ASSIGN_OR_RETURN(Stmt stmt, Prepare(db(), kCommsInWindow));
  stmt.BindInt(2, query.from.value_or(kNoTimeLimitLow));
  stmt.BindInt(3, query.to.value_or(kNoTimeLimitHigh));
  while (true) {
    VIGIL_ASSIGN_OR_RETURN(bool has_row, stmt.Step());
    if (!has_row) return Status::Ok();
    VIGIL_ASSIGN_OR_RETURN(Communication comm, ReadComm(stmt));
    if (!fn(comm)) return Status::Ok();
  }
}

Status SqliteStore::ScanCommEdges(const std::function<bool(const CommEdge&)>& fn) {
  // Row ids start at 1, so "after row 0" is every communication, in row order.
  return ScanCommEdgesAfter(0, [&](int64_t, const CommEdge& edge) { return fn(edge); });
}

Status SqliteStore::CheckIntegrity() {
  VIGIL_ASSIGN_OR_RETURN(Stmt integrity, Prepare(db(), "PRAGMA integrity_check"));
  std::string problems;
  while (true) {
    VIGIL_ASSIGN_OR_RETURN(bool has_row, integrity.Step());
    if (!has_row) break;
    if (integrity.ColumnText(0) != "ok") {
      problems += std::string(integrity.ColumnText(0)) + "; ";
    }
  }
  if (!problems.empty()) {
    return Status::Corruption("integrity_check of '" + path_ + "' failed: " + problems);
  }
  VIGIL_ASSIGN_OR_RETURN(Stmt foreign, Prepare(db(), "PRAGMA foreign_key_check"));
  while (true) {
    VIGIL_ASSIGN_OR_RETURN(bool has_row, foreign.Step());
    if (!has_row) break;
    problems += std::string(foreign.ColumnText(0)) + " row " +
                std::to_string(foreign.ColumnInt(1)) + " references a missing " +
                std::string(foreign.ColumnText(2)) + "; ";
  }
  if (!problems.empty()) {
    return Status::Corruption("foreign_key_check of '" + path_ + "' failed: " + problems);
  }
  return Status::Ok();
}

}  // namespace sqlite
}  // namespace vigil
